// Bindings of attribution: every model by name with its parameters and, on request, bootstrap intervals; the
// result is the core's 'attribution' table.

#include "common.hpp"
#include "journeygraph/attribution.hpp"

namespace jgpy {

namespace {
std::vector<std::string> names_of(const std::vector<jg::AttributionModel>& models) {
  std::vector<std::string> names;
  for (auto model : models) names.emplace_back(jg::model_name(model));
  return names;
}
}  // namespace

void bind_attribution(py::module_& m) {
  m.def("all_models", [] { return names_of(jg::all_models()); },
        "Names of every attribution model of the core, in declaration order.");
  m.def("default_models", [] { return names_of(jg::default_models()); },
        "Names of the default attribution models (models = None), the core's default_models().");
  m.def(
      "applicable_models", [](const jg::JourneySet& journeys) { return names_of(jg::applicable_models(journeys)); },
      py::arg("journeys"), "Names of the models that apply to the journeys (time_decay needs timestamps).");
  m.def(
      "attribute",
      [](const jg::JourneySet& journeys, const jg::AttributionOptions& o, unsigned threads) {
        if (o.models.empty()) throw jg::InvalidArgument("no attribution model requested");
        return table_dict(jg::attribution_table(
            run_released(threads, [&](const jg::Execution& exec) { return jg::attribute(journeys, o, exec); })));
      },
      py::arg("journeys"), py::arg("options"), py::arg("threads"),
      "Run the models of options on the journeys (the 'attribution' table).");
  m.def(
      "attribute_model",
      [](const jg::MarkovModel& model, unsigned threads) {
        return table_dict(jg::attribution_table(
            run_released(threads, [&](const jg::Execution& exec) { return jg::attribute(model, exec); })));
      },
      py::arg("model"), py::arg("threads"), "The markov attribution of a fitted model (the 'attribution' table).");
}

}  // namespace jgpy
