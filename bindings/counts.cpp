// Bindings of transition counts (mergeable across partitions of the journeys) and their binary format: bytes,
// files and pickling, so that counts travel between processes.

#include <string_view>

#include "common.hpp"
#include "journeygraph/markov.hpp"

namespace jgpy {

void bind_counts(py::module_& m) {
  using C = jg::TransitionCounts;
  py::class_<C>(m, "TransitionCounts", "Transition counts of order k (exact sums; counts of disjoint journeys merge exactly).")
      .def_static(
          "count",
          [](const jg::JourneySet& journeys, unsigned order, const std::string& self_loops, unsigned threads) {
            const jg::SelfLoops loops = jg::parse_self_loops(self_loops);
            return run_released(threads, [&](const jg::Execution& exec) { return C::count(journeys, order, loops, exec); });
          },
          py::arg("journeys"), py::arg("order"), py::arg("self_loops"), py::arg("threads"),
          "Count the transitions of order k of every journey with positive weight.")
      .def_static(
          "merged",
          [](const std::vector<const C*>& parts) {
            if (parts.empty()) throw jg::InvalidArgument("merged: no counts to merge");
            C out = *parts.front();
            py::gil_scoped_release release;
            for (std::size_t i = 1; i < parts.size(); ++i) out.merge(*parts[i]);
            return out;
          },
          py::arg("parts"), "The counts of the union of disjoint sets of journeys: the parts merged (by touchpoint name).")
      .def_property_readonly("order", &C::order)
      .def_property_readonly("self_loops", [](const C& c) { return jg::self_loops_name(c.self_loops()); })
      .def_property_readonly("touchpoints", &C::touchpoints)
      .def_property_readonly("n_states", &C::n_states)
      .def_property_readonly("n_edges", [](const C& c) { return c.edges().size(); })
      .def_property_readonly("journeys", &C::journeys)
      .def_property_readonly("total_conversions", &C::total_conversions)
      .def_property_readonly("total_nulls", &C::total_nulls)
      .def_property_readonly("total_value", &C::total_value)
      .def_property_readonly("zero_weight_journeys", &C::zero_weight_journeys)
      .def_property_readonly("rows", &C::rows)
      .def("transitions", [](const C& c) { return table_dict(jg::count_table(c)); },
           "Every counted transition (the 'transition_counts' table).")
      .def(
          "fit",
          [](const C& c, double smoothing, unsigned threads) {
            return run_released(threads, [&](const jg::Execution& exec) { return jg::MarkovModel::fit(c, smoothing, exec); });
          },
          py::arg("smoothing"), py::arg("threads"), "Fit the Markov chain of these counts.")
      .def("to_bytes", [](const C& c) { return py::bytes(c.to_bytes()); },
           "The counts in journeygraph's binary format (versioned, CRC-64 checked, exact sums).")
      .def_static(
          "from_bytes",
          [](const py::buffer& data, const std::string& name) {
            const py::buffer_info info = data.request();
            const std::string_view bytes = bytes_of(info);
            py::gil_scoped_release release;
            return C::from_bytes(bytes, name);
          },
          py::arg("data"), py::arg("name") = "<memory>",
          "Counts from to_bytes() output; a corrupted, truncated or newer input raises, naming the byte offset.")
      .def(
          "save",
          [](const C& c, const std::string& file) {
            py::gil_scoped_release release;
            c.save(file);
          },
          py::arg("file"), "Write to_bytes() to a file.")
      .def_static(
          "load",
          [](const std::string& file) {
            py::gil_scoped_release release;
            return C::load(file);
          },
          py::arg("file"), "Read counts written by save() (or a model file's counts).")
      .def("__eq__", [](const C& a, const C& b) { return a == b; }, py::is_operator())
      .def("__ne__", [](const C& a, const C& b) { return a != b; }, py::is_operator())
      .def(py::pickle([](const C& c) { return py::bytes(c.to_bytes()); },
                      [](const py::bytes& data) { return C::from_bytes(std::string_view(data), "<pickle>"); }))
      .def("__repr__", [](const C& c) {
        return "<TransitionCounts: order " + std::to_string(c.order()) + ", " + std::to_string(c.n_states()) +
               " states, " + std::to_string(c.edges().size()) + " edges, " + std::to_string(c.rows()) + " journey rows>";
      });
}

}  // namespace jgpy
