// Bindings of attribution: every model by name with its parameters and, on request, bootstrap intervals; the
// result is the core's 'attribution' table.

#include "common.hpp"
#include "journeygraph/attribution.hpp"

namespace jgpy {

void bind_attribution(py::module_& m) {
  m.def(
      "applicable_models",
      [](const jg::JourneySet& journeys) {
        std::vector<std::string> names;
        for (auto model : jg::applicable_models(journeys)) names.emplace_back(jg::model_name(model));
        return names;
      },
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
