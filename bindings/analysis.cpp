// Bindings of what a fitted chain says beyond attribution: chain analysis and order choice. Results come back
// as dicts of columns (lists of names and numpy arrays) that the Python package turns into DataFrames.

#include "common.hpp"
#include "journeygraph/analysis.hpp"

namespace jgpy {

void bind_analysis(py::module_& m) {

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

}

}  // namespace jgpy
