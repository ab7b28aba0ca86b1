// Bindings of the fitted Markov chain: fitting, its transitions and removal effects, simulation, and the binary
// format (bytes, files, pickling). Results come back as dicts of columns that the Python package turns into
// DataFrames.

#include "common.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"

namespace jgpy {
namespace {

const jg::MarkovModel& fitted(const jg::MarkovModel& m) {
  if (!m.fitted()) throw jg::StateError("the model is not fitted");
  return m;
}

}  // namespace

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

void bind_model(py::module_& m) {
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


  py::reinterpret_borrow<py::class_<jg::MarkovModel>>(m.attr("MarkovModel"))
      .def(
          "to_bytes", [](const jg::MarkovModel& s) { return py::bytes(s.to_bytes()); },
          "The model (its counts and smoothing) in journeygraph's binary format.")
      .def_static(
          "from_bytes",
          [](const py::buffer& data, const std::string& name, unsigned threads) {
            const py::buffer_info info = data.request();
            const std::string_view bytes = bytes_of(info);
            return run_released(threads, [&](const jg::Execution& exec) {
              return jg::MarkovModel::from_bytes(bytes, name, exec);
            });
          },
          py::arg("data"), py::arg("name") = "<memory>", py::arg("threads") = 0,
          "A model from to_bytes() output, refitted deterministically (equal to the saved one bit for bit).")
      .def(
          "save",
          [](const jg::MarkovModel& s, const std::string& file) {
            py::gil_scoped_release release;
            s.save(file);
          },
          py::arg("file"), "Write to_bytes() to a file.")
      .def_static(
          "load",
          [](const std::string& file, unsigned threads) {
            return run_released(threads,
                                [&](const jg::Execution& exec) { return jg::MarkovModel::load(file, exec); });
          },
          py::arg("file"), py::arg("threads") = 0, "Read a model written by save().")
      .def("counts", [](const jg::MarkovModel& s) { return s.counts(); }, "A copy of the counts the model was fitted on.")
      .def(py::pickle(
          [](const jg::MarkovModel& s) { return py::bytes(s.fitted() ? s.to_bytes() : std::string()); },
          [](const py::bytes& data) {
            const std::string_view bytes(data);
            if (bytes.empty()) return jg::MarkovModel();
            py::gil_scoped_release release;
            return jg::MarkovModel::from_bytes(bytes, "<pickle>");
          }));

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
