// Bindings of the fitted Markov chain, its removal effects and attribution. Results come back as dicts of
// columns (lists of names and numpy arrays) that the Python package turns into DataFrames.

#include "common.hpp"
#include "journeygraph/attribution.hpp"

namespace jgpy {
namespace {

template <class T>
py::array_t<T> array_from(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

py::dict removal_dict(const jg::RemovalEffects& r) {
  py::dict d;
  d["touchpoint"] = r.touchpoints;
  d["removal_effect"] = array_from(r.removal_effect);
  d["removal_effect_value"] = array_from(r.removal_effect_value);
  d["conversions"] = array_from(r.conversions);
  d["value"] = array_from(r.value);
  d["conversion_probability_without"] = array_from(r.conversion_probability_without);
  d["conversion_probability"] = r.conversion_probability;
  d["expected_value"] = r.expected_value;
  d["total_conversions"] = r.total_conversions;
  d["total_value"] = r.total_value;
  d["max_residual"] = r.max_residual;
  return d;
}

const jg::MarkovModel& fitted(const jg::MarkovModel& m) {
  if (!m.fitted()) throw jg::StateError("the model is not fitted");
  return m;
}

}  // namespace

void bind_models(py::module_& m) {
  py::class_<jg::MarkovModel>(m, "MarkovModel", "A fitted absorbing Markov chain (immutable).")
      .def(py::init<>())
      .def_static(
          "fit",
          [](const jg::JourneySet& journeys, unsigned order, double smoothing, const std::string& self_loops,
             unsigned threads) {
            jg::ModelOptions o;
            o.order = order;
            o.smoothing = smoothing;
            o.self_loops = parse_self_loops(self_loops);
            return run_released(threads, [&](const jg::Execution& exec) { return jg::MarkovModel::fit(journeys, o, exec); });
          },
          py::arg("journeys"), py::arg("order") = 1, py::arg("smoothing") = 0.0, py::arg("self_loops") = "drop",
          py::arg("threads") = 0, "Count the transitions of order k and fit the chain.")
      .def_property_readonly("fitted", &jg::MarkovModel::fitted)
      .def_property_readonly("order", &jg::MarkovModel::order)
      .def_property_readonly("smoothing", &jg::MarkovModel::smoothing)
      .def_property_readonly("self_loops", [](const jg::MarkovModel& s) { return self_loops_label(s.self_loops()); })
      .def_property_readonly("touchpoints", &jg::MarkovModel::touchpoints)
      .def_property_readonly("n_states", &jg::MarkovModel::n_states)
      .def_property_readonly("conversion_probability", &jg::MarkovModel::conversion_probability)
      .def_property_readonly("expected_value", &jg::MarkovModel::expected_value)
      .def_property_readonly("solve_residual", [](const jg::MarkovModel& s) { return fitted(s).solve_residual(); })
      .def_property_readonly("journeys", [](const jg::MarkovModel& s) { return fitted(s).counts().journeys(); })
      .def_property_readonly("total_conversions",
                             [](const jg::MarkovModel& s) { return fitted(s).counts().total_conversions(); })
      .def_property_readonly("total_nulls", [](const jg::MarkovModel& s) { return fitted(s).counts().total_nulls(); })
      .def_property_readonly("total_value", [](const jg::MarkovModel& s) { return fitted(s).counts().total_value(); })
      .def(
          "state_names",
          [](const jg::MarkovModel& s) {
            std::vector<std::string> names;
            const std::size_t n = fitted(s).n_states();
            names.reserve(n + 2);
            for (std::size_t i = 0; i < n + 2; ++i) names.push_back(s.state_name(i));
            return names;
          },
          "Names of the transient states (START first), then '(conversion)' and '(null)'.")
      .def(
          "transitions",
          [](const jg::MarkovModel& s) {
            std::vector<jg::Transition> t = fitted(s).transitions();
            std::vector<std::string> from, to;
            std::vector<double> count, probability;
            from.reserve(t.size());
            to.reserve(t.size());
            count.reserve(t.size());
            probability.reserve(t.size());
            for (auto& x : t) {
              from.push_back(std::move(x.from));
              to.push_back(std::move(x.to));
              count.push_back(x.count);
              probability.push_back(x.probability);
            }
            py::dict d;
            d["from"] = from;
            d["to"] = to;
            d["count"] = array_from(count);
            d["probability"] = array_from(probability);
            return d;
          },
          "Every transition as columns from, to, count, probability.")
      .def(
          "rows",
          [](py::object self) {
            const auto& s = fitted(self.cast<const jg::MarkovModel&>());
            py::dict d;
            d["row_offsets"] = view_of(s.row_offsets().data(), s.row_offsets().size(), self);
            d["columns"] = view_of(s.columns().data(), s.columns().size(), self);
            d["probabilities"] = view_of(s.probabilities().data(), s.probabilities().size(), self);
            d["row_counts"] = view_of(s.row_counts().data(), s.row_counts().size(), self);
            return d;
          },
          "The compressed transition rows over transient states (read-only numpy views).")
      .def(
          "removal_effects",
          [](const jg::MarkovModel& s, unsigned threads) {
            jg::RemovalEffects r =
                run_released(threads, [&](const jg::Execution& exec) { return jg::removal_effects(s, exec); });
            return removal_dict(r);
          },
          py::arg("threads") = 0, "Exact removal effects, one entry per touchpoint, as a dict of columns.")
      .def("__repr__", [](const jg::MarkovModel& s) {
        if (!s.fitted()) return std::string("<MarkovModel: not fitted>");
        return "<MarkovModel: order " + std::to_string(s.order()) + ", " + std::to_string(s.n_states()) +
               " states, P(conversion) " + py::repr(py::float_(s.conversion_probability())).cast<std::string>() + ">";
      });

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
}

}  // namespace jgpy
