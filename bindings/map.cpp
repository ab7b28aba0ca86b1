// Bindings of the journey map: stage maps, the map and its analyses (tables come back as dicts of columns:
// lists of strings and numpy arrays, in column order), what-if, comparison, time windows and exports.

#include "common.hpp"
#include "journeygraph/journey_map.hpp"

namespace jgpy {
namespace {

py::dict table_dict(const jg::DataTable& t) {
  py::dict d;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    if (const auto* s = std::get_if<std::vector<std::string>>(&t.columns[c])) {
      d[py::str(t.names[c])] = *s;
    } else {
      const auto& v = std::get<std::vector<double>>(t.columns[c]);
      d[py::str(t.names[c])] = py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
    }
  }
  return d;
}

py::dict stats_dict(const jg::DurationStats& s) {
  py::dict d;
  d["count"] = s.count;
  d["mean_s"] = s.mean;
  d["median_s"] = s.median;
  d["p90_s"] = s.p90;
  return d;
}

jg::PainRanking ranking(const std::string& name) { return jg::parse_pain_ranking(name); }

}  // namespace

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
      .def(
          "stage_of",
          [](const jg::StageMap& s, const std::string& touchpoint) -> std::optional<std::string> {
            auto i = s.stage_of(touchpoint);
            if (!i) return std::nullopt;
            return s.stages()[*i];
          },
          py::arg("touchpoint"), "The stage of a touchpoint, or None.")
      .def("__repr__", [](const jg::StageMap& s) {
        return "<StageMap: " + std::to_string(s.size()) + " stages, " + std::to_string(s.assignments().size()) +
               " touchpoints>";
      });

  m.def(
      "read_stages_csv",
      [](const std::string& file, const std::vector<std::string>& order, const std::string& touchpoint,
         const std::string& stage) {
        jg::StageCsvOptions o;
        o.order = order;
        o.touchpoint_column = touchpoint;
        o.stage_column = stage;
        return jg::read_stages_csv(file, o);
      },
      py::arg("file"), py::arg("order"), py::arg("touchpoint") = "touchpoint", py::arg("stage") = "stage",
      "Read a stages CSV (touchpoint, stage); order is the funnel order (empty: order of appearance).");
  m.def("sample_stage_map", &jg::sample_stage_map, "The stages of the built-in retailer sample.");
  m.def(
      "time_window",
      [](const jg::JourneySet& journeys, std::int64_t start, std::int64_t end) {
        return jg::time_window(journeys, start, end);
      },
      py::arg("journeys"), py::arg("start"), py::arg("end"),
      "The journeys whose first touch lies in [start, end) (in the set's time unit).");

  py::class_<jg::JourneyMap>(m, "JourneyMap", "A journey map: journeys, fitted chain, graph, stages (immutable).")
      .def_static(
          "build",
          [](const jg::JourneySet& journeys, std::optional<jg::StageMap> stages, unsigned order, double smoothing,
             const std::string& self_loops, const std::string& other_stage, unsigned threads) {
            jg::MapOptions o;
            o.model.order = order;
            o.model.smoothing = smoothing;
            o.model.self_loops = parse_self_loops(self_loops);
            o.other_stage = other_stage;
            return run_released(threads, [&](const jg::Execution& exec) {
              return jg::JourneyMap(journeys, stages ? std::move(*stages) : jg::StageMap(), o, exec);
            });
          },
          py::arg("journeys"), py::arg("stages"), py::arg("order") = 1, py::arg("smoothing") = 0.0,
          py::arg("self_loops") = "drop", py::arg("other_stage") = "", py::arg("threads") = 0,
          "Fit the chain and build the graph, absorption probabilities and removal effects.")
      .def_property_readonly("stages", [](const jg::JourneyMap& s) { return s.stages().stages(); })
      .def_property_readonly("has_stages", &jg::JourneyMap::has_stages)
      .def_property_readonly("order", [](const jg::JourneyMap& s) { return s.model().order(); })
      .def_property_readonly("conversion_probability", [](const jg::JourneyMap& s) { return s.model().conversion_probability(); })
      .def_property_readonly("journeys", [](const jg::JourneyMap& s) { return s.graph().journeys(); })
      .def_property_readonly("touchpoint_count", [](const jg::JourneyMap& s) { return s.graph().touchpoint_count(); })
      .def_property_readonly("has_timestamps", [](const jg::JourneyMap& s) { return s.graph().has_timestamps(); })
      .def("nodes", [](const jg::JourneyMap& s) { return table_dict(jg::node_table(s.graph(), s.stages().stages())); },
           "The graph's nodes as columns.")
      .def("edges", [](const jg::JourneyMap& s) { return table_dict(jg::edge_table(s.graph())); },
           "The graph's edges as columns.")
      .def(
          "funnel",
          [](const jg::JourneyMap& s, unsigned threads) {
            jg::Funnel f = run_released(threads, [&](const jg::Execution& exec) { return s.funnel(exec); });
            py::dict d;
            d["funnel"] = table_dict(jg::funnel_table(f));
            d["flows"] = table_dict(jg::flow_table(f));
            return d;
          },
          py::arg("threads") = 0, "The funnel per stage and the stage-to-stage flows, as columns.")
      .def(
          "pain_points",
          [](const jg::JourneyMap& s, const std::string& rank_by, double min_journeys) {
            jg::PainPointOptions o;
            o.rank_by = ranking(rank_by);
            o.min_journeys = min_journeys;
            return table_dict(jg::pain_point_table(s.pain_points(o), s.stages().stages()));
          },
          py::arg("rank_by") = "drop_offs", py::arg("min_journeys") = 0.0, "Pain points, ranked, as columns.")
      .def(
          "paths",
          [](const jg::JourneyMap& s, std::size_t top, std::size_t most_probable, unsigned threads) {
            jg::PathAnalysis p = run_released(threads, [&](const jg::Execution& exec) {
              return s.paths({top, most_probable}, exec);
            });
            py::dict d;
            d["variants"] = table_dict(jg::variant_table(p));
            d["probable"] = table_dict(jg::probable_path_table(p));
            d["lengths"] = table_dict(jg::length_table(p));
            d["time"] = table_dict(jg::time_to_conversion_table(p));
            d["time_to_conversion"] = stats_dict(p.time_to_conversion);
            d["distinct_paths"] = p.distinct_paths;
            d["journeys"] = p.journeys;
            return d;
          },
          py::arg("top") = 10, py::arg("most_probable") = 10, py::arg("threads") = 0,
          "Common paths, most probable chain paths, lengths and time to conversion, as columns.")
      .def(
          "sankey",
          [](const jg::JourneyMap& s, bool by_stage, std::size_t max_steps) {
            return table_dict(jg::sankey_link_table(s.sankey({by_stage, max_steps})));
          },
          py::arg("by_stage") = true, py::arg("max_steps") = 6, "Step flows (Sankey links) as columns.")
      .def(
          "what_if",
          [](const jg::JourneyMap& s, const std::vector<std::tuple<std::string, std::string, std::string, double>>& edits) {
            std::vector<jg::WhatIfEdit> e;
            for (const auto& [kind, from, to, p] : edits) {
              if (kind == "set") e.push_back(jg::WhatIfEdit::set(from, to, p));
              else if (kind == "remove_edge") e.push_back(jg::WhatIfEdit::remove_edge(from, to));
              else if (kind == "remove_touchpoint") e.push_back(jg::WhatIfEdit::remove_touchpoint(from));
              else throw jg::InvalidArgument("what-if edit kind must be 'set', 'remove_edge' or 'remove_touchpoint', got '" + kind + "'");
            }
            jg::WhatIfResult r = s.what_if(e);
            py::dict d;
            d["conversion_probability_before"] = r.conversion_probability_before;
            d["conversion_probability"] = r.conversion_probability;
            d["expected_conversions_before"] = r.expected_conversions_before;
            d["expected_conversions"] = r.expected_conversions;
            d["expected_value_before"] = r.expected_value_before;
            d["expected_value"] = r.expected_value;
            d["max_residual"] = r.max_residual;
            return d;
          },
          py::arg("edits"), "Apply (kind, from, to, probability) edits to the chain and solve it exactly.")
      .def(
          "export",
          [](const jg::JourneyMap& s, const std::string& format, const std::string& title, std::size_t max_edges,
             bool by_stage, std::size_t max_steps) {
            jg::SvgOptions svg;
            svg.title = title;
            svg.max_edges = max_edges;
            const jg::SankeyOptions so{by_stage, max_steps};
            const auto& stages = s.stages().stages();
            if (format == "dot") return jg::to_dot(s.graph(), stages);
            if (format == "graphml") return jg::to_graphml(s.graph(), stages);
            if (format == "json") return jg::to_json(s.graph(), stages);
            if (format == "sankey_json") return jg::to_json(s.sankey(so));
            if (format == "svg") return jg::graph_svg(s, svg);
            if (format == "funnel_svg") return jg::funnel_svg(s.funnel(), svg);
            if (format == "sankey_svg") return jg::sankey_svg(s.sankey(so), svg);
            if (format == "html") {
              jg::ReportOptions r;
              if (!title.empty()) r.title = title;
              r.sankey = so;
              return jg::report_html(s, r);
            }
            throw jg::InvalidArgument("export format must be dot, graphml, json, sankey_json, svg, funnel_svg, "
                                      "sankey_svg or html, got '" + format + "'");
          },
          py::arg("format"), py::arg("title") = "", py::arg("max_edges") = 60, py::arg("by_stage") = true,
          py::arg("max_steps") = 6, "The map as DOT, GraphML, JSON, Sankey JSON, SVG pictures or the HTML report.")
      .def("__repr__", [](const jg::JourneyMap& s) {
        return "<JourneyMap: " + std::to_string(s.graph().touchpoint_count()) + " touchpoints, " +
               std::to_string(s.stages().size()) + " stages, order " + std::to_string(s.model().order()) + ">";
      });

  m.def(
      "compare_maps",
      [](const jg::JourneyMap& a, const jg::JourneyMap& b, double alpha, const std::string& label_a,
         const std::string& label_b) {
        jg::CompareOptions o;
        o.alpha = alpha;
        o.label_a = label_a;
        o.label_b = label_b;
        jg::Comparison c = jg::compare(a, b, o);
        py::dict d;
        d["transitions"] = table_dict(jg::transition_change_table(c));
        d["attribution"] = table_dict(jg::attribution_change_table(c));
        d["significant"] = c.significant;
        d["conversion_probability_a"] = c.conversion_probability_a;
        d["conversion_probability_b"] = c.conversion_probability_b;
        return d;
      },
      py::arg("a"), py::arg("b"), py::arg("alpha") = 0.05, py::arg("label_a") = "a", py::arg("label_b") = "b",
      "Compare two maps' chains: per-transition two-proportion tests (Holm) and attribution shares.");
}

}  // namespace jgpy
