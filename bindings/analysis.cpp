// Bindings of the models beyond removal effects (every attribution model with its parameters and bootstrap
// intervals), chain analysis, simulation and order choice. Results come back as dicts of columns (lists of
// names and numpy arrays) that the Python package turns into DataFrames.

#include "common.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"

namespace jgpy {
namespace {

template <class T>
py::array_t<T> array_from(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

void put_intervals(py::dict& d, const std::string& prefix, const std::optional<jg::Intervals>& iv) {
  if (!iv) return;
  d[py::str(prefix + "_se")] = array_from(iv->standard_error);
  d[py::str(prefix + "_lower")] = array_from(iv->lower);
  d[py::str(prefix + "_upper")] = array_from(iv->upper);
  d[py::str(prefix + "_stability")] = iv->stability;
}

}  // namespace

void bind_analysis(py::module_& m) {
  m.def(
      "applicable_models",
      [](const jg::JourneySet& journeys) {
        std::vector<std::string> names;
        for (auto model : jg::applicable_models(journeys)) names.emplace_back(jg::model_name(model));
        return names;
      },
      py::arg("journeys"), "Names of the models that apply to the journeys (time_decay needs timestamps).");

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

  m.def(
      "choose_order",
      [](const jg::JourneySet& journeys, unsigned max_order, double holdout, std::uint64_t seed, double smoothing,
         const std::string& self_loops, double floor, unsigned threads) {
        jg::OrderChoiceOptions o;
        o.max_order = max_order;
        o.holdout = holdout;
        o.seed = seed;
        o.smoothing = smoothing;
        o.self_loops = parse_self_loops(self_loops);
        o.floor = floor;
        const jg::OrderChoice c =
            run_released(threads, [&](const jg::Execution& exec) { return jg::choose_order(journeys, o, exec); });
        std::vector<unsigned> order;
        std::vector<std::uint64_t> states;
        std::vector<double> parameters, observations, ll, aic, bic, heldout, heldout_journeys, unseen, auc, loss;
        for (const auto& s : c.scores) {
          order.push_back(s.order);
          states.push_back(s.states);
          parameters.push_back(s.parameters);
          observations.push_back(s.observations);
          ll.push_back(s.log_likelihood);
          aic.push_back(s.aic);
          bic.push_back(s.bic);
          heldout.push_back(s.heldout_log_likelihood);
          heldout_journeys.push_back(s.heldout_journeys);
          unseen.push_back(s.unseen);
          auc.push_back(s.auc);
          loss.push_back(s.log_loss);
        }
        py::dict d;
        d["order"] = array_from(order);
        d["log_likelihood"] = array_from(ll);
        d["aic"] = array_from(aic);
        d["bic"] = array_from(bic);
        d["heldout_log_likelihood"] = array_from(heldout);
        d["auc"] = array_from(auc);
        d["log_loss"] = array_from(loss);
        d["states"] = array_from(states);
        d["parameters"] = array_from(parameters);
        d["observations"] = array_from(observations);
        d["heldout_journeys"] = array_from(heldout_journeys);
        d["unseen"] = array_from(unseen);
        d["recommended_order"] = c.recommended_order;
        return d;
      },
      py::arg("journeys"), py::arg("max_order") = 4, py::arg("holdout") = 0.2, py::arg("seed") = 0,
      py::arg("smoothing") = 0.0, py::arg("self_loops") = "keep", py::arg("floor") = 1e-6, py::arg("threads") = 0,
      "Scores of the chains of orders 1..max_order as columns, and the recommended order.");

  m.def(
      "analyze_chain",
      [](const jg::MarkovModel& model, unsigned threads) {
        if (!model.fitted()) throw jg::StateError("the model is not fitted");
        const jg::ChainAnalysis a =
            run_released(threads, [&](const jg::Execution& exec) { return jg::analyze_chain(model, exec); });
        py::dict d;
        d["states"] = a.states;
        d["conversion_probability"] = array_from(a.conversion_probability);
        d["expected_value"] = array_from(a.expected_value);
        d["touches_to_go"] = array_from(a.touches_to_go);
        d["expected_visits"] = array_from(a.expected_visits);
        d["touchpoints"] = a.touchpoints;
        d["touchpoint_visits"] = array_from(a.touchpoint_visits);
        d["expected_touches"] = a.expected_touches;
        d["max_residual"] = a.max_residual;
        return d;
      },
      py::arg("model"), py::arg("threads") = 0, "Fundamental-matrix quantities of a fitted chain as columns.");

  m.def(
      "simulate_journeys",
      [](const jg::MarkovModel& model, std::size_t journeys, std::uint64_t seed, std::size_t max_touches,
         unsigned threads) {
        jg::SimulationOptions o;
        o.journeys = journeys;
        o.seed = seed;
        o.max_touches = max_touches;
        jg::JourneySet js =
            run_released(threads, [&](const jg::Execution& exec) { return jg::simulate_journeys(model, o, exec); });
        jg::BuildReport report;
        report.rows = js.size();
        report.journeys = js.size();
        report.touches = js.touch_count();
        report.notes.push_back("drawn from a fitted order-" + std::to_string(model.order()) + " chain (seed " +
                               std::to_string(seed) + ")");
        return std::make_pair(std::move(js), std::move(report));
      },
      py::arg("model"), py::arg("journeys") = 10000, py::arg("seed") = 0, py::arg("max_touches") = 10000,
      py::arg("threads") = 0, "Journeys drawn from a fitted chain; returns (JourneySet, BuildReport).");
}

}  // namespace jgpy
