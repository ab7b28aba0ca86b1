// Bindings of the built-in data: the retailer sample and the synthetic generator, held in a C++-owned
// EventTable whose columns are exposed as read-only numpy views and which builds journeys without copying.

#include "common.hpp"
#include "journeygraph/samples.hpp"

namespace jgpy {

void bind_samples(py::module_& m) {
  py::class_<jg::EventTable>(m, "EventTable", "Events owned by the C++ library (columns as read-only views).")
      .def("__len__", &jg::EventTable::size)
      .def_property_readonly("journey", [](py::object self) {
        const auto& c = self.cast<const jg::EventTable&>().journey;
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("time", [](py::object self) {
        const auto& c = self.cast<const jg::EventTable&>().time;
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("time_unit", [](const jg::EventTable& t) { return time_unit_label(t.time_unit); })
      .def_property_readonly("touchpoint", [](py::object self) {
        const auto& c = self.cast<const jg::EventTable&>().touchpoint;
        return view_of(c.data(), c.size(), self);
      })
      .def_readonly("touchpoint_names", &jg::EventTable::touchpoint_names)
      .def_property_readonly("conversion", [](py::object self) {
        const auto& c = self.cast<const jg::EventTable&>().conversion;
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("value", [](py::object self) {
        const auto& c = self.cast<const jg::EventTable&>().value;
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("segment", [](py::object self) {
        const auto& c = self.cast<const jg::EventTable&>().segment;
        return view_of(c.data(), c.size(), self);
      })
      .def_readonly("segment_names", &jg::EventTable::segment_names)
      .def(
          "build",
          [](const jg::EventTable& t, bool split_on_conversion, std::optional<double> lookback, std::optional<double> gap,
             bool collapse_repeats, std::size_t max_touches, unsigned threads) {
            const jg::JourneyOptions o = journey_options(split_on_conversion, lookback, gap, collapse_repeats, max_touches);
            return run_released(threads, [&](const jg::Execution& exec) {
              jg::BuildReport report;
              jg::JourneySet set = jg::build_journeys(t.arrays(), o, &report, exec);
              return std::make_pair(std::move(set), std::move(report));
            });
          },
          py::arg("split_on_conversion") = true, py::arg("lookback") = py::none(), py::arg("gap") = py::none(),
          py::arg("collapse_repeats") = false, py::arg("max_touches") = 0, py::arg("threads") = 0,
          "Build journeys from the table (as the C++ API does); returns (JourneySet, BuildReport).")
      .def("__repr__", [](const jg::EventTable& t) {
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
      py::arg("customers") = 20000, py::arg("seed") = 42, "The built-in retailer touch log (what the CLI demo uses).");
  m.def("sample_stages", &jg::sample_stages, "The retailer sample's (touchpoint, stage) pairs.");
  m.def("sample_stage_order", &jg::sample_stage_order, "The retailer sample's stages in funnel order.");
  m.def(
      "synthetic_events",
      [](std::size_t journeys, std::size_t touchpoints, double mean_touches, std::size_t min_touches, double zipf,
         double stickiness, double base_conversion, std::uint64_t seed) {
        jg::SyntheticOptions o;
        o.journeys = journeys;
        o.touchpoints = touchpoints;
        o.mean_touches = mean_touches;
        o.min_touches = min_touches;
        o.zipf = zipf;
        o.stickiness = stickiness;
        o.base_conversion = base_conversion;
        o.seed = seed;
        py::gil_scoped_release release;
        return jg::synthetic_events(o);
      },
      py::arg("journeys") = 100000, py::arg("touchpoints") = 12, py::arg("mean_touches") = 4.0,
      py::arg("min_touches") = 1, py::arg("zipf") = 1.0, py::arg("stickiness") = 0.3,
      py::arg("base_conversion") = 0.08, py::arg("seed") = 1, "Seeded synthetic events for benchmarks and scale tests.");
}

}  // namespace jgpy
