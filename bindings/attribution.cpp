// Bindings of attribution: every model by name with its parameters and, on request, bootstrap intervals.
// Results come back as dicts of columns that the Python package turns into DataFrames.

#include "common.hpp"
#include "journeygraph/attribution.hpp"

namespace jgpy {
namespace {

void put_intervals(py::dict& d, const std::string& prefix, const std::optional<jg::Intervals>& iv) {
  if (!iv) return;
  d[py::str(prefix + "_se")] = array_from(iv->standard_error);
  d[py::str(prefix + "_lower")] = array_from(iv->lower);
  d[py::str(prefix + "_upper")] = array_from(iv->upper);
  d[py::str(prefix + "_stability")] = iv->stability;
}

}  // namespace

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
      [](const jg::JourneySet& journeys, const std::vector<std::string>& models, unsigned order, double smoothing,
         const std::string& self_loops, unsigned threads) {
        jg::AttributionOptions o;
        o.models.clear();
        for (const auto& name : models) o.models.push_back(jg::parse_model(name));
        if (o.models.empty()) throw jg::InvalidArgument("no attribution model requested");
        o.markov.order = order;
        o.markov.smoothing = smoothing;
        o.markov.self_loops = parse_self_loops(self_loops);
        jg::AttributionResult r =
            run_released(threads, [&](const jg::Execution& exec) { return jg::attribute(journeys, o, exec); });
        py::dict d;
        d["touchpoints"] = r.touchpoints;
        py::list per_model;
        for (const auto& x : r.models)
          per_model.append(py::make_tuple(jg::model_name(x.model), array_from(x.conversions), array_from(x.value)));
        d["models"] = per_model;
        d["total_conversions"] = r.total_conversions;
        d["total_nulls"] = r.total_nulls;
        d["total_value"] = r.total_value;
        d["order"] = r.order;
        d["markov"] = r.markov ? py::object(removal_dict(*r.markov)) : py::object(py::none());
        return d;
      },
      py::arg("journeys"), py::arg("models"), py::arg("order") = 1, py::arg("smoothing") = 0.0,
      py::arg("self_loops") = "drop", py::arg("threads") = 0,
      "Run the named attribution models; returns a dict with touchpoints, per-model columns and totals.");

  m.def(
      "attribute_models",
      [](const jg::JourneySet& journeys, const std::vector<std::string>& models, unsigned order, double smoothing,
         const std::string& self_loops, const std::vector<std::string>& excluded, double first_weight,
         double last_weight, double half_life, std::size_t max_coalition, std::size_t replicates, double confidence,
         std::uint64_t seed, unsigned threads) {
        jg::AttributionOptions o;
        o.models.clear();
        for (const auto& name : models) o.models.push_back(jg::parse_model(name));
        if (o.models.empty()) throw jg::InvalidArgument("no attribution model requested");
        o.markov.order = order;
        o.markov.smoothing = smoothing;
        o.markov.self_loops = parse_self_loops(self_loops);
        o.heuristics.excluded = excluded;
        o.heuristics.first_weight = first_weight;
        o.heuristics.last_weight = last_weight;
        o.heuristics.half_life = half_life;
        o.shapley.max_coalition = max_coalition;
        o.bootstrap.replicates = replicates;
        o.bootstrap.confidence = confidence;
        o.bootstrap.seed = seed;
        const jg::AttributionResult r =
            run_released(threads, [&](const jg::Execution& exec) { return jg::attribute(journeys, o, exec); });
        py::dict d;
        d["touchpoints"] = r.touchpoints;
        py::list per_model;
        for (const auto& x : r.models) {
          py::dict md;
          md["name"] = jg::model_name(x.model);
          md["conversions"] = array_from(x.conversions);
          md["value"] = array_from(x.value);
          put_intervals(md, "conversions", x.conversions_interval);
          put_intervals(md, "value", x.value_interval);
          per_model.append(md);
        }
        d["models"] = per_model;
        d["total_conversions"] = r.total_conversions;
        d["total_nulls"] = r.total_nulls;
        d["total_value"] = r.total_value;
        d["order"] = r.order;
        if (r.markov) {
          py::dict mk;
          mk["removal_effect"] = array_from(r.markov->removal_effect);
          mk["removal_effect_value"] = array_from(r.markov->removal_effect_value);
          mk["conversion_probability"] = r.markov->conversion_probability;
          mk["expected_value"] = r.markov->expected_value;
          mk["max_residual"] = r.markov->max_residual;
          put_intervals(mk, "removal_effect", r.removal_effect_interval);
          d["markov"] = mk;
        } else {
          d["markov"] = py::none();
        }
        if (r.positions) {
          const auto rows = static_cast<py::ssize_t>(r.touchpoints.size());
          const auto cols = static_cast<py::ssize_t>(r.positions->positions);
          py::array_t<double> conv({rows, cols}), value({rows, cols});
          if (rows * cols > 0) {
            std::copy(r.positions->conversions.begin(), r.positions->conversions.end(), conv.mutable_data());
            std::copy(r.positions->value.begin(), r.positions->value.end(), value.mutable_data());
          }
          d["positions"] = py::make_tuple(conv, value);
        } else {
          d["positions"] = py::none();
        }
        if (r.bootstrap) {
          py::dict b;
          b["replicates"] = r.bootstrap->replicates;
          b["confidence"] = r.bootstrap->confidence;
          b["seed"] = r.bootstrap->seed;
          b["markov_failed_replicates"] = r.bootstrap->markov_failed_replicates;
          d["bootstrap"] = b;
        } else {
          d["bootstrap"] = py::none();
        }
        return d;
      },
      py::arg("journeys"), py::arg("models"), py::arg("order") = 1, py::arg("smoothing") = 0.0,
      py::arg("self_loops") = "drop", py::arg("excluded") = std::vector<std::string>{"direct"},
      py::arg("first_weight") = 0.4, py::arg("last_weight") = 0.4, py::arg("half_life") = 7 * 24 * 3600.0,
      py::arg("max_coalition") = 0, py::arg("replicates") = 0, py::arg("confidence") = 0.95, py::arg("seed") = 0,
      py::arg("threads") = 0,
      "Run the named attribution models with their parameters and, with replicates > 0, bootstrap intervals.");
}

}  // namespace jgpy
