#pragma once
/// \file render.hpp
/// Exports and pictures of a journey map: DOT, GraphML, JSON (graph and Sankey), self-contained SVG
/// pictures of the graph, the funnel and the step flows, and one self-contained HTML report.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/graph.hpp"
#include "journeygraph/map.hpp"

namespace journeygraph {

/// Graphviz DOT of the graph: one cluster per stage (left to right), node labels with visits, edge
/// labels with counts and probabilities, pen width by count. Complexity: O(nodes + edges).
std::string to_dot(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// GraphML with node data (name, kind, stage, visits, journeys, conversions) and edge data (count,
/// probability, time_mean_s, time_median_s, time_p90_s). Complexity: O(nodes + edges).
std::string to_graphml(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// JSON {"nodes": [...], "links": [...]} (d3 force-graph shape). Complexity: O(nodes + edges).
std::string to_json(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// JSON {"nodes": [{"name", "key", "step"}], "links": [{"source", "target", "value"}]} (d3-sankey and
/// plotly shape). Complexity: O(nodes + links).
std::string to_json(const SankeyData& sankey);

/// Options of the pictures.
struct SvgOptions {
  std::size_t max_edges = 60;  ///< touchpoint edges drawn (the heaviest; edges to CONVERSION always)
  std::string title;           ///< drawn at the top when non-empty
};

/// The journey graph as a self-contained SVG (no scripts, no external fonts or images): columns by
/// stage left to right (START first, CONVERSION and NULL last; without stages, by breadth-first depth
/// from START), node height by visits, edge width by count, backward moves drawn as dashed arcs, a
/// <title> tooltip on every node and edge. Complexity: O(nodes log nodes + edges log edges).
std::string graph_svg(const JourneyMap& map, const SvgOptions& options = {});
/// The stage funnel as a self-contained SVG: one bar per stage, length by journeys reached, split
/// into advanced / converted / dropped. Throws StateError without stages. Complexity: O(stages).
std::string funnel_svg(const Funnel& funnel, const SvgOptions& options = {});
/// A Sankey diagram of step flows as a self-contained SVG. Complexity: O(nodes + links log links).
std::string sankey_svg(const SankeyData& sankey, const SvgOptions& options = {});

/// Options of report_html().
struct ReportOptions {
  std::string title = "Journey map";
  std::size_t top_paths = 10;
  std::size_t pain_points = 12;
  PainPointOptions pain;
  SankeyOptions sankey;
};

/// One self-contained HTML page (inline CSS, inline SVG, one small inline script for sortable tables;
/// nothing fetched from the network): headline figures, the journey graph, the funnel and stage flow
/// table, the Sankey of step flows, pain points, attribution (Markov and heuristics), top paths, most
/// probable paths, path lengths and time to conversion. Sections needing stages or timestamps are
/// replaced by a note when those are absent. Complexity: the analyses it shows.
std::string report_html(const JourneyMap& map, const ReportOptions& options = {}, const Execution& exec = {});

}  // namespace journeygraph
