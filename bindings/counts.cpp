// Bindings of transition counts (mergeable across partitions of the journeys) and their binary format: bytes,
// files and pickling, so that counts travel between processes.

#include <string_view>

#include "common.hpp"

namespace jgpy {
namespace {

std::string state_label(const jg::TransitionCounts& c, std::uint32_t s) {
  if (s == jg::TransitionCounts::kStart) return "(start)";
  std::string out;
  const auto t = c.state(s);
  for (std::size_t a = 0; a < t.size(); ++a) {
    if (a) out += " > ";
    out += c.touchpoints()[t[a]];
  }
  return out;
}

// Every counted transition: START and state-to-state edges in canonical order, then each state's ends in
// CONVERSION (its conversions) and NULL (its nulls) where they are non-zero.
py::dict transitions_dict(const jg::TransitionCounts& c) {
  std::vector<std::string> from, to;
  std::vector<double> count;
  const auto& edges = c.edges();
  for (const auto& e : edges) {
    from.push_back(state_label(c, e.from));
    to.push_back(state_label(c, e.to));
    count.push_back(e.count);
  }
  for (std::size_t s = 0; s < c.n_states(); ++s) {
    const auto name = state_label(c, static_cast<std::uint32_t>(s));
    if (c.state_conversions(s) != 0) {
      from.push_back(name);
      to.push_back("(conversion)");
      count.push_back(c.state_conversions(s));
    }
    if (c.state_nulls(s) != 0) {
      from.push_back(name);
      to.push_back("(null)");
      count.push_back(c.state_nulls(s));
    }
  }
  py::dict d;
  d["from"] = from;
  d["to"] = to;
  d["count"] = array_from(count);
  return d;
}

}  // namespace

void bind_counts(py::module_& m) {
  py::class_<jg::TransitionCounts>(m, "TransitionCounts",
                                   "Transition counts of order k (exact sums; counts of disjoint journeys merge exactly).")
      .def_static(
          "count",
          [](const jg::JourneySet& journeys, unsigned order, const std::string& self_loops, unsigned threads) {
            const jg::SelfLoops loops = parse_self_loops(self_loops);
            return run_released(threads, [&](const jg::Execution& exec) {
              return jg::TransitionCounts::count(journeys, order, loops, exec);
            });
          },
          py::arg("journeys"), py::arg("order") = 1, py::arg("self_loops") = "drop", py::arg("threads") = 0,
          "Count the transitions of order k of every journey with positive weight.")
      .def_static(
          "merged",
          [](const std::vector<const jg::TransitionCounts*>& parts) {
            if (parts.empty()) throw jg::InvalidArgument("merged: no counts to merge");
            jg::TransitionCounts out = *parts.front();
            py::gil_scoped_release release;
            for (std::size_t i = 1; i < parts.size(); ++i) out.merge(*parts[i]);
            return out;
          },
          py::arg("parts"), "The counts of the union of disjoint sets of journeys: the parts merged (by touchpoint name).")
      .def_property_readonly("order", &jg::TransitionCounts::order)
      .def_property_readonly("self_loops",
                             [](const jg::TransitionCounts& c) { return self_loops_label(c.self_loops()); })
      .def_property_readonly("touchpoints", &jg::TransitionCounts::touchpoints)
      .def_property_readonly("n_states", &jg::TransitionCounts::n_states)
      .def_property_readonly("n_edges", [](const jg::TransitionCounts& c) { return c.edges().size(); })
      .def_property_readonly("journeys", &jg::TransitionCounts::journeys)
      .def_property_readonly("total_conversions", &jg::TransitionCounts::total_conversions)
      .def_property_readonly("total_nulls", &jg::TransitionCounts::total_nulls)
      .def_property_readonly("total_value", &jg::TransitionCounts::total_value)
      .def_property_readonly("zero_weight_journeys", &jg::TransitionCounts::zero_weight_journeys)
      .def_property_readonly("rows", &jg::TransitionCounts::rows)
      .def("transitions", &transitions_dict, "Every counted transition as columns from, to, count.")
      .def(
          "fit",
          [](const jg::TransitionCounts& c, double smoothing, unsigned threads) {
            return run_released(threads,
                                [&](const jg::Execution& exec) { return jg::MarkovModel::fit(c, smoothing, exec); });
          },
          py::arg("smoothing") = 0.0, py::arg("threads") = 0, "Fit the Markov chain of these counts.")
      .def("to_bytes", [](const jg::TransitionCounts& c) { return py::bytes(c.to_bytes()); },
           "The counts in journeygraph's binary format (versioned, CRC-64 checked, exact sums).")
      .def_static(
          "from_bytes",
          [](const py::buffer& data, const std::string& name) {
            const py::buffer_info info = data.request();
            const std::string_view bytes = bytes_of(info);
            py::gil_scoped_release release;
            return jg::TransitionCounts::from_bytes(bytes, name);
          },
          py::arg("data"), py::arg("name") = "<memory>",
          "Counts from to_bytes() output; a corrupted, truncated or newer input raises, naming the byte offset.")
      .def(
          "save",
          [](const jg::TransitionCounts& c, const std::string& file) {
            py::gil_scoped_release release;
            c.save(file);
          },
          py::arg("file"), "Write to_bytes() to a file.")
      .def_static(
          "load",
          [](const std::string& file) {
            py::gil_scoped_release release;
            return jg::TransitionCounts::load(file);
          },
          py::arg("file"), "Read counts written by save() (or a model file's counts).")
      .def("__eq__", [](const jg::TransitionCounts& a, const jg::TransitionCounts& b) { return a == b; }, py::is_operator())
      .def("__ne__", [](const jg::TransitionCounts& a, const jg::TransitionCounts& b) { return a != b; }, py::is_operator())
      .def(py::pickle([](const jg::TransitionCounts& c) { return py::bytes(c.to_bytes()); },
                      [](const py::bytes& data) {
                        return jg::TransitionCounts::from_bytes(std::string_view(data), "<pickle>");
                      }))
      .def("__repr__", [](const jg::TransitionCounts& c) {
        return "<TransitionCounts: order " + std::to_string(c.order()) + ", " + std::to_string(c.n_states()) +
               " states, " + std::to_string(c.edges().size()) + " edges, " + std::to_string(c.rows()) + " journey rows>";
      });

}

}  // namespace jgpy
