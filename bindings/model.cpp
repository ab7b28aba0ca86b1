// Bindings of the fitted Markov chain: fitting, its tables (transitions, removal effects, chain analysis), its
// journey graph, simulation, and the binary format (bytes, files, pickling).

#include "common.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/render.hpp"

namespace jgpy {
namespace {

const jg::MarkovModel& fitted(const jg::MarkovModel& m) {
  if (!m.fitted()) throw jg::StateError("the model is not fitted");
  return m;
}

}  // namespace

void bind_model(py::module_& m) {
  using M = jg::MarkovModel;
  py::class_<M>(m, "MarkovModel", "A fitted absorbing Markov chain (immutable).")
      .def(py::init<>())
      .def_static(
          "fit",
          [](const jg::JourneySet& journeys, const jg::ModelOptions& o, unsigned threads) {
            return run_released(threads, [&](const jg::Execution& exec) { return M::fit(journeys, o, exec); });
          },
          py::arg("journeys"), py::arg("options"), py::arg("threads"), "Count the transitions of order k and fit.")
      .def_property_readonly("fitted", &M::fitted)
      .def_property_readonly("order", &M::order)
      .def_property_readonly("smoothing", &M::smoothing)
      .def_property_readonly("self_loops", [](const M& s) { return jg::self_loops_name(s.self_loops()); })
      .def_property_readonly("touchpoints", &M::touchpoints)
      .def_property_readonly("n_states", &M::n_states)
      .def_property_readonly("conversion_probability", &M::conversion_probability)
      .def_property_readonly("expected_value", &M::expected_value)
      .def_property_readonly("solve_residual", [](const M& s) { return fitted(s).solve_residual(); })
      .def(
          "state_names",
          [](const M& s) {
            std::vector<std::string> names;
            for (std::size_t i = 0; i < fitted(s).n_states() + 2; ++i) names.push_back(s.state_name(i));
            return names;
          },
          "Names of the transient states (START first), then '(conversion)' and '(null)'.")
      .def("transitions", [](const M& s) { return table_dict(jg::transition_table(fitted(s))); },
           "Every transition (the 'transitions' table).")
      .def(
          "rows",
          [](py::object self) {
            const auto& s = fitted(self.cast<const M&>());
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
          [](const M& s, unsigned threads) {
            return table_dict(jg::removal_table(
                run_released(threads, [&](const jg::Execution& exec) { return jg::removal_effects(fitted(s), exec); })));
          },
          py::arg("threads"), "Exact removal effects (the 'removal_effects' table).")
      .def(
          "analysis",
          [](const M& s, unsigned threads) {
            const jg::ChainAnalysis a =
                run_released(threads, [&](const jg::Execution& exec) { return jg::analyze_chain(fitted(s), exec); });
            return py::make_tuple(table_dict(jg::chain_table(a)), table_dict(jg::touchpoint_visit_table(a)));
          },
          py::arg("threads"), "The 'chain_analysis' and 'touchpoint_visits' tables.")
      .def(
          "graph",
          [](const M& s, unsigned threads) {
            const jg::JourneyGraph g =
                run_released(threads, [&](const jg::Execution& exec) { return jg::JourneyGraph::from_model(fitted(s), exec); });
            return py::make_tuple(jg::to_dot(g), table_dict(jg::node_table(g)), table_dict(jg::edge_table(g)));
          },
          py::arg("threads"), "The journey graph the chain implies: (DOT, 'nodes' table, 'edges' table).")
      .def(
          "simulate",
          [](const M& s, const jg::SimulationOptions& o, unsigned threads) {
            jg::JourneySet js =
                run_released(threads, [&](const jg::Execution& exec) { return jg::simulate_journeys(fitted(s), o, exec); });
            jg::BuildReport report;
            report.rows = report.journeys = js.size();
            report.touches = js.touch_count();
            report.notes.push_back("drawn from a fitted order-" + std::to_string(s.order()) + " chain (seed " +
                                   std::to_string(o.seed) + ")");
            return std::make_pair(std::move(js), std::move(report));
          },
          py::arg("options"), py::arg("threads"), "Journeys drawn from the chain; returns (JourneySet, BuildReport).")
      .def("to_bytes", [](const M& s) { return py::bytes(s.to_bytes()); }, "The model in journeygraph's binary format.")
      .def_static(
          "from_bytes",
          [](const py::buffer& data, const std::string& name, unsigned threads) {
            const py::buffer_info info = data.request();
            const std::string_view bytes = bytes_of(info);
            return run_released(threads, [&](const jg::Execution& exec) { return M::from_bytes(bytes, name, exec); });
          },
          py::arg("data"), py::arg("name"), py::arg("threads"), "A model from to_bytes() output, refitted deterministically.")
      .def(
          "save",
          [](const M& s, const std::string& file) {
            py::gil_scoped_release release;
            s.save(file);
          },
          py::arg("file"), "Write to_bytes() to a file.")
      .def_static(
          "load",
          [](const std::string& file, unsigned threads) {
            return run_released(threads, [&](const jg::Execution& exec) { return M::load(file, exec); });
          },
          py::arg("file"), py::arg("threads"), "Read a model written by save().")
      .def("counts", [](const M& s) { return fitted(s).counts(); }, "A copy of the counts the model was fitted on.")
      .def(py::pickle([](const M& s) { return py::bytes(s.fitted() ? s.to_bytes() : std::string()); },
                      [](const py::bytes& data) {
                        const std::string_view bytes(data);
                        if (bytes.empty()) return M();
                        py::gil_scoped_release release;
                        return M::from_bytes(bytes, "<pickle>");
                      }))
      .def("__repr__", [](const M& s) {
        if (!s.fitted()) return std::string("<MarkovModel: not fitted>");
        return "<MarkovModel: order " + std::to_string(s.order()) + ", " + std::to_string(s.n_states()) +
               " states, P(conversion) " + py::repr(py::float_(s.conversion_probability())).cast<std::string>() + ">";
      });
}

}  // namespace jgpy
