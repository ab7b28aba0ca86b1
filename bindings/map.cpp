// Bindings of the journey map: stage maps, the map and its analyses (each the core's table), what-if,
// comparison, and the exports and pictures.

#include "common.hpp"
#include "journeygraph/compare.hpp"
#include "journeygraph/render.hpp"

namespace jgpy {

void bind_map(py::module_& m) {
  py::class_<jg::StageMap>(m, "StageMap", "Stages in funnel order and the stage of each touchpoint.")
      .def(py::init([](const std::vector<std::string>& order, const std::vector<std::pair<std::string, std::string>>& a) {
             return jg::StageMap(order, a);
           }),
           py::arg("order"), py::arg("assignment"))
      .def_property_readonly("stages", &jg::StageMap::stages)
      .def_property_readonly("assignments",
                             [](const jg::StageMap& s) {
                               std::vector<std::pair<std::string, std::string>> out;
                               for (const auto& [tp, i] : s.assignments()) out.emplace_back(tp, s.stages()[i]);
                               return out;
                             })
      .def_property_readonly("source", &jg::StageMap::source)
      .def("__repr__", [](const jg::StageMap& s) {
        return "<StageMap: " + std::to_string(s.size()) + " stages, " + std::to_string(s.assignments().size()) +
               " touchpoints>";
      });
  m.def("read_stages_csv", &jg::read_stages_csv, py::arg("file"), py::arg("options"),
        "Read a stages CSV (touchpoint, stage); order is the funnel order (empty: order of appearance).");
  m.def("sample_stage_map", &jg::sample_stage_map, "The stages of the built-in retailer sample.");

  using Map = jg::JourneyMap;
  py::class_<Map>(m, "JourneyMap", "A journey map: journeys, fitted chain, graph, stages (immutable).")
      .def_static(
          "build",
          [](const jg::JourneySet& journeys, std::optional<jg::StageMap> stages, const jg::MapOptions& o, unsigned threads) {
            return run_released(threads, [&](const jg::Execution& exec) {
              return Map(journeys, stages ? std::move(*stages) : jg::StageMap(), o, exec);
            });
          },
          py::arg("journeys"), py::arg("stages"), py::arg("options"), py::arg("threads"),
          "Fit the chain and build the graph, absorption probabilities and removal effects.")
      .def_property_readonly("stages", [](const Map& s) { return s.stages().stages(); })
      .def_property_readonly("order", [](const Map& s) { return s.model().order(); })
      .def_property_readonly("conversion_probability", [](const Map& s) { return s.model().conversion_probability(); })
      .def_property_readonly("journeys", [](const Map& s) { return s.graph().journeys(); })
      .def_property_readonly("touchpoint_count", [](const Map& s) { return s.graph().touchpoint_count(); })
      .def("nodes", [](const Map& s) { return table_dict(jg::node_table(s.graph(), s.stages().stages())); },
           "The 'nodes' table.")
      .def("edges", [](const Map& s) { return table_dict(jg::edge_table(s.graph())); }, "The 'edges' table.")
      .def(
          "funnel",
          [](const Map& s, unsigned threads, const std::string& journeys) {
            jg::FunnelOptions o;
            o.journeys = jg::parse_funnel_journeys(journeys);
            const jg::Funnel f = run_released(threads, [&](const jg::Execution& exec) { return s.funnel(o, exec); });
            return py::make_tuple(table_dict(jg::funnel_table(f)), table_dict(jg::flow_table(f)));
          },
          py::arg("threads"), py::arg("journeys") = jg::funnel_journeys_name(jg::FunnelOptions().journeys),
          "The 'funnel' (its column notes in meta['notes']) and 'stage_flows' tables of the journeys named "
          "('first', 'repeat' or 'all').")
      .def(
          "pain_points",
          [](const Map& s, const jg::PainPointOptions& o) {
            return table_dict(jg::pain_point_table(s.pain_points(o), s.stages().stages()));
          },
          py::arg("options"), "The 'pain_points' table.")
      .def(
          "paths",
          [](const Map& s, const jg::PathOptions& o, unsigned threads) {
            const jg::PathAnalysis p = run_released(threads, [&](const jg::Execution& exec) { return s.paths(o, exec); });
            return py::make_tuple(table_dict(jg::variant_table(p)), table_dict(jg::probable_path_table(p)),
                                  table_dict(jg::length_table(p)), table_dict(jg::time_to_conversion_table(p)));
          },
          py::arg("options"), py::arg("threads"),
          "The 'paths', 'probable_paths', 'path_lengths' and 'time_to_conversion' tables.")
      .def(
          "sankey",
          [](const Map& s, std::optional<bool> by_stage, std::size_t max_steps) {
            const jg::SankeyOptions o{by_stage.value_or(s.has_stages()), max_steps};
            const jg::SankeyData d = run_released(1, [&](const jg::Execution& exec) { return s.sankey(o, exec); });
            return table_dict(jg::sankey_link_table(d));
          },
          py::arg("by_stage"), py::arg("max_steps"), "The 'sankey' table (by stage when None and the map has stages).")
      .def(
          "what_if",
          [](const Map& s, const std::vector<std::tuple<std::string, std::string, std::string, double>>& edits) {
            std::vector<jg::WhatIfEdit> e;
            for (const auto& [kind, from, to, p] : edits) e.push_back({jg::parse_what_if_kind(kind), from, to, p});
            // One solve of the chain, for seconds at high orders: without the GIL, as every long call.
            const jg::WhatIfResult r = run_released(1, [&](const jg::Execution&) { return s.what_if(e); });
            return table_dict(jg::what_if_table(r));
          },
          py::arg("edits"), "Apply (kind, from, to, probability) edits to the chain and solve it (the 'what_if' table).")
      .def(
          "render",
          [](const Map& s, const std::string& format, const jg::RenderOptions& o, unsigned threads) {
            const jg::MapFormat f = jg::parse_map_format(format);
            return run_released(threads, [&](const jg::Execution& exec) { return jg::render_map(s, f, o, exec); });
          },
          py::arg("format"), py::arg("options"), py::arg("threads"),
          "The map as one of the core's export formats (render_map).")
      .def("__repr__", [](const Map& s) {
        return "<JourneyMap: " + std::to_string(s.graph().touchpoint_count()) + " touchpoints, " +
               std::to_string(s.stages().size()) + " stages, order " + std::to_string(s.model().order()) + ">";
      });

  m.def(
      "compare_maps",
      [](const Map& a, const Map& b, const jg::CompareOptions& o) {
        const jg::Comparison c = run_released(1, [&](const jg::Execution&) { return jg::compare(a, b, o); });
        return py::make_tuple(table_dict(jg::transition_change_table(c)), table_dict(jg::attribution_change_table(c)));
      },
      py::arg("a"), py::arg("b"), py::arg("options"),
      "Compare two maps' chains: the 'transition_changes' and 'attribution_changes' tables.");
}

}  // namespace jgpy
