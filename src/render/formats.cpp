// The text exports of a journey map: DOT, GraphML, JSON (graph and Sankey).

#include <algorithm>
#include <iterator>

#include "common/names.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/render.hpp"
#include "render/text.hpp"

namespace journeygraph {

using detail::json_escape;
using detail::json_number;
using detail::xml_escape;

namespace {
std::string dot_id(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}
}  // namespace

std::string to_dot(const JourneyGraph& g, const std::vector<std::string>& stages) {
  std::string out = "digraph journey_map {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=9];\n";
  const auto& nodes = g.nodes();
  double max_count = 0;
  for (const auto& e : g.edges()) max_count = std::max(max_count, e.count);
  auto node_line = [&](std::size_t i) {
    const MapNode& n = nodes[i];
    std::string fill = n.kind == NodeKind::conversion ? "#d5f0d8" : n.kind == NodeKind::null ? "#f6dada"
                       : n.kind == NodeKind::start ? "#e6e6e6" : "#eef3fb";
    return "    n" + std::to_string(i) + " [label=" + dot_id(n.name + "\n" + detail::human_count(n.visits)) +
           ", fillcolor=\"" + fill + "\"];\n";
  };
  out += "  { rank=source;\n" + node_line(0) + "  }\n";
  for (std::size_t s = 0; s < stages.size(); ++s) {
    std::string members;
    for (std::size_t i = 1; i + 2 < nodes.size(); ++i)
      if (nodes[i].stage == std::int32_t(s)) members += node_line(i);
    if (members.empty()) continue;
    out += "  subgraph cluster_" + std::to_string(s) + " {\n    label=" + dot_id(stages[s]) +
           ";\n    style=dashed;\n" + members + "  }\n";
  }
  for (std::size_t i = 1; i + 2 < nodes.size(); ++i)
    if (nodes[i].stage < 0 || std::size_t(nodes[i].stage) >= stages.size()) out += node_line(i).substr(2);
  if (nodes.size() >= 3) out += "  { rank=sink;\n" + node_line(nodes.size() - 2) + node_line(nodes.size() - 1) + "  }\n";
  for (const MapEdge& e : g.edges()) {
    const double width = max_count > 0 ? 0.5 + 5.5 * e.count / max_count : 1.0;
    out += "  n" + std::to_string(e.source) + " -> n" + std::to_string(e.target) + " [label=" +
           dot_id(detail::human_count(e.count) + " (" + detail::percent(e.probability) + ")") +
           ", penwidth=" + detail::fixed(width, 2) + "];\n";
  }
  return out + "}\n";
}

std::string to_graphml(const JourneyGraph& g, const std::vector<std::string>& stages) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
      "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
      "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
      "  <key id=\"stage\" for=\"node\" attr.name=\"stage\" attr.type=\"string\"/>\n"
      "  <key id=\"visits\" for=\"node\" attr.name=\"visits\" attr.type=\"double\"/>\n"
      "  <key id=\"journeys\" for=\"node\" attr.name=\"journeys\" attr.type=\"double\"/>\n"
      "  <key id=\"conversions\" for=\"node\" attr.name=\"conversions\" attr.type=\"double\"/>\n"
      "  <key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"double\"/>\n"
      "  <key id=\"probability\" for=\"edge\" attr.name=\"probability\" attr.type=\"double\"/>\n"
      "  <key id=\"time_mean_s\" for=\"edge\" attr.name=\"time_mean_s\" attr.type=\"double\"/>\n"
      "  <key id=\"time_median_s\" for=\"edge\" attr.name=\"time_median_s\" attr.type=\"double\"/>\n"
      "  <key id=\"time_p90_s\" for=\"edge\" attr.name=\"time_p90_s\" attr.type=\"double\"/>\n"
      "  <graph id=\"journey_map\" edgedefault=\"directed\">\n";
  for (std::size_t i = 0; i < g.nodes().size(); ++i) {
    const MapNode& n = g.nodes()[i];
    out += "    <node id=\"n" + std::to_string(i) + "\">\n      <data key=\"name\">" + xml_escape(n.name) +
           "</data>\n      <data key=\"kind\">" + node_kind_name(n.kind) + "</data>\n";
    if (n.stage >= 0 && std::size_t(n.stage) < stages.size())
      out += "      <data key=\"stage\">" + xml_escape(stages[std::size_t(n.stage)]) + "</data>\n";
    out += "      <data key=\"visits\">" + detail::format_double(n.visits) + "</data>\n      <data key=\"journeys\">" +
           detail::format_double(n.journeys) + "</data>\n      <data key=\"conversions\">" +
           detail::format_double(n.conversions) + "</data>\n    </node>\n";
  }
  for (std::size_t i = 0; i < g.edges().size(); ++i) {
    const MapEdge& e = g.edges()[i];
    out += "    <edge id=\"e" + std::to_string(i) + "\" source=\"n" + std::to_string(e.source) + "\" target=\"n" +
           std::to_string(e.target) + "\">\n      <data key=\"count\">" + detail::format_double(e.count) +
           "</data>\n      <data key=\"probability\">" + detail::format_double(e.probability) + "</data>\n";
    if (e.time.count > 0)
      out += "      <data key=\"time_mean_s\">" + detail::format_double(e.time.mean) +
             "</data>\n      <data key=\"time_median_s\">" + detail::format_double(e.time.median) +
             "</data>\n      <data key=\"time_p90_s\">" + detail::format_double(e.time.p90) + "</data>\n";
    out += "    </edge>\n";
  }
  return out + "  </graph>\n</graphml>\n";
}

std::string to_json(const JourneyGraph& g, const std::vector<std::string>& stages) {
  std::string out = "{\n  \"nodes\": [";
  for (std::size_t i = 0; i < g.nodes().size(); ++i) {
    const MapNode& n = g.nodes()[i];
    out += std::string(i ? "," : "") + "\n    {\"id\": " + std::to_string(i) + ", \"name\": " + json_escape(n.name) +
           ", \"kind\": \"" + node_kind_name(n.kind) + "\", \"stage\": " +
           (n.stage >= 0 && std::size_t(n.stage) < stages.size() ? json_escape(stages[std::size_t(n.stage)]) : "null") +
           ", \"visits\": " + json_number(n.visits) + ", \"journeys\": " + json_number(n.journeys) +
           ", \"conversions\": " + json_number(n.conversions) + "}";
  }
  out += "\n  ],\n  \"links\": [";
  for (std::size_t i = 0; i < g.edges().size(); ++i) {
    const MapEdge& e = g.edges()[i];
    out += std::string(i ? "," : "") + "\n    {\"source\": " + std::to_string(e.source) +
           ", \"target\": " + std::to_string(e.target) + ", \"count\": " + json_number(e.count) +
           ", \"probability\": " + json_number(e.probability);
    if (e.time.count > 0)
      out += ", \"time\": {\"count\": " + json_number(e.time.count) + ", \"mean_s\": " + json_number(e.time.mean) +
             ", \"median_s\": " + json_number(e.time.median) + ", \"p90_s\": " + json_number(e.time.p90) + "}";
    out += "}";
  }
  return out + "\n  ]\n}\n";
}

std::string to_json(const SankeyData& s) {
  std::string out = "{\n  \"nodes\": [";
  for (std::size_t i = 0; i < s.nodes.size(); ++i)
    out += std::string(i ? "," : "") + "\n    {\"name\": " + json_escape(s.nodes[i].name) +
           ", \"key\": " + json_escape(s.nodes[i].key) + ", \"step\": " + std::to_string(s.nodes[i].step) + "}";
  out += "\n  ],\n  \"links\": [";
  for (std::size_t i = 0; i < s.links.size(); ++i)
    out += std::string(i ? "," : "") + "\n    {\"source\": " + std::to_string(s.links[i].source) +
           ", \"target\": " + std::to_string(s.links[i].target) + ", \"value\": " + json_number(s.links[i].value) + "}";
  return out + "\n  ]\n}\n";
}

namespace {
constexpr MapFormat kFormats[] = {MapFormat::dot, MapFormat::graphml,    MapFormat::json,       MapFormat::sankey_json,
                                  MapFormat::svg, MapFormat::funnel_svg, MapFormat::sankey_svg, MapFormat::html};
}  // namespace

const char* map_format_name(MapFormat format) noexcept {
  static const char* const names[] = {"dot", "graphml", "json", "sankey_json", "svg", "funnel_svg", "sankey_svg", "html"};
  return names[static_cast<std::size_t>(format)];
}

MapFormat parse_map_format(std::string_view name) {
  // The C header's spelling of the SVG pictures (JG_MAP_SVG_GRAPH, ...), also the R package's.
  if (name == "svg_graph") return MapFormat::svg;
  if (name == "svg_funnel") return MapFormat::funnel_svg;
  if (name == "svg_sankey") return MapFormat::sankey_svg;
  return detail::parse_name(name, kFormats, map_format_name, "map format");
}

std::vector<MapFormat> all_map_formats() { return {std::begin(kFormats), std::end(kFormats)}; }

std::string render_map(const JourneyMap& map, MapFormat format, const RenderOptions& o, const Execution& exec) {
  const SvgOptions svg{o.max_edges, o.title};
  const SankeyOptions sankey{o.by_stage.value_or(map.has_stages()), o.max_steps};
  const auto& stages = map.stages().stages();
  switch (format) {
    case MapFormat::dot: return to_dot(map.graph(), stages);
    case MapFormat::graphml: return to_graphml(map.graph(), stages);
    case MapFormat::json: return to_json(map.graph(), stages);
    case MapFormat::sankey_json: return to_json(map.sankey(sankey, exec));
    case MapFormat::svg: return graph_svg(map, svg);
    case MapFormat::funnel_svg:
      if (!map.has_stages()) throw StateError("the map has no stages, so no funnel");
      return funnel_svg(map.funnel(o.funnel, exec), svg);
    case MapFormat::sankey_svg: return sankey_svg(map.sankey(sankey, exec), svg);
    case MapFormat::html: {
      ReportOptions r;
      if (!o.title.empty()) r.title = o.title;
      r.top_paths = o.top_paths;
      r.pain_points = o.pain_points;
      r.pain = o.pain;
      r.sankey = sankey;
      r.funnel = o.funnel;
      r.sections = o.sections;
      r.segment_switch = o.segment_switch;
      r.period_switch = o.period_switch;
      return report_html(map, r, exec);
    }
  }
  throw InvalidArgument("unknown map format " + std::to_string(static_cast<int>(format)));
}

}  // namespace journeygraph
