// Bindings of the built-in data: the retailer sample and the synthetic generator, held in a C++-owned
// EventTable whose columns are exposed as read-only numpy views, as the 'events' table, and which builds
// journeys without copying.

#include "common.hpp"
#include "journeygraph/samples.hpp"

namespace jgpy {
namespace {

template <class T>
py::array_t<T> column_view(const py::object& self, std::vector<T> jg::EventTable::*column) {
  const auto& c = self.cast<const jg::EventTable&>().*column;
  return view_of(c.data(), c.size(), self);
}

}  // namespace

void bind_samples(py::module_& m) {
  using E = jg::EventTable;
  py::class_<E>(m, "EventTable", "Events owned by the C++ library (columns as read-only views).")
      .def("__len__", &E::size)
      .def_property_readonly("journey", [](py::object s) { return column_view(s, &E::journey); })
      .def_property_readonly("time", [](py::object s) { return column_view(s, &E::time); })
      .def_property_readonly("time_unit", [](const E& t) { return jg::time_unit_name(t.time_unit); })
      .def_property_readonly("touchpoint", [](py::object s) { return column_view(s, &E::touchpoint); })
      .def_readonly("touchpoint_names", &E::touchpoint_names)
      .def_property_readonly("conversion", [](py::object s) { return column_view(s, &E::conversion); })
      .def_property_readonly("value", [](py::object s) { return column_view(s, &E::value); })
      .def_property_readonly("segment", [](py::object s) { return column_view(s, &E::segment); })
      .def_readonly("segment_names", &E::segment_names)
      .def("table", [](const E& t) { return table_dict(jg::event_table(t)); }, "The events (the 'events' table).")
      .def(
          "build",
          [](const E& t, const jg::JourneyOptions& o, unsigned threads) {
            return run_released(threads, [&](const jg::Execution& exec) {
              jg::BuildReport report;
              jg::JourneySet set = jg::build_journeys(t.arrays(), o, &report, exec);
              return std::make_pair(std::move(set), std::move(report));
            });
          },
          py::arg("options"), py::arg("threads"), "Build journeys from the table; returns (JourneySet, BuildReport).")
      .def("__repr__", [](const E& t) {
        return "<EventTable: " + std::to_string(t.size()) + " events, " + std::to_string(t.touchpoint_names.size()) +
               " touchpoints>";
      });

  m.def(
      "sample_events",
      [](std::size_t customers, std::uint64_t seed) {
        if (customers == 0) throw jg::InvalidArgument("customers must be at least 1");
        py::gil_scoped_release release;
        return jg::sample_events(customers, seed);
      },
      py::arg("customers"), py::arg("seed"), "The built-in retailer touch log (what the CLI demo uses).");
  m.attr("SAMPLE_CUSTOMERS") = jg::kSampleCustomers;
  m.attr("SAMPLE_SEED") = jg::kSampleSeed;
  m.def("sample_stages", &jg::sample_stages, "The retailer sample's (touchpoint, stage) pairs.");
  m.def("sample_stage_order", &jg::sample_stage_order, "The retailer sample's stages in funnel order.");
  m.def(
      "synthetic_events",
      [](const jg::SyntheticOptions& o) {
        py::gil_scoped_release release;
        return jg::synthetic_events(o);
      },
      py::arg("options"), "Seeded synthetic events for benchmarks and scale tests.");
}

}  // namespace jgpy
