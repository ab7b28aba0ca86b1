// Result tables and the text exports of a journey map: CSV, JSON, DOT, GraphML, Sankey JSON.

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/text.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph {

namespace detail {


std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string human_count(double x, bool compact) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  if (compact && std::fabs(x) >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", x / 1e6);
    return buf;
  }
  if (compact && std::fabs(x) >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.1fk", x / 1e3);
    return buf;
  }
  // Whole numbers without decimals, others with 2 (1 from 100 up); thousands separated by commas.
  const bool whole = std::fabs(x - std::round(x)) < 1e-9;
  std::snprintf(buf, sizeof buf, "%.*f", whole ? 0 : std::fabs(x) >= 100 ? 1 : 2, x);
  const std::string s = buf;
  const std::size_t digits_start = s[0] == '-' ? 1 : 0;
  const std::size_t point = std::min(s.find('.'), s.size());
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > digits_start && i < point && (point - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  char buf[64];
  if (seconds < 60) std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  else if (seconds < 3600) std::snprintf(buf, sizeof buf, "%.1f min", seconds / 60);
  else if (seconds < 86400) std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600);
  else std::snprintf(buf, sizeof buf, "%.1f d", seconds / 86400);
  return buf;
}

std::string percent(double share, int decimals) {
  if (!std::isfinite(share)) return "-";
  return fixed(100.0 * share, decimals) + "%";
}

}  // namespace detail

using detail::json_escape;
using detail::json_number;
using detail::xml_escape;

// ------------------------------------------------------------------------------------------------
// Tables
// ------------------------------------------------------------------------------------------------

std::size_t DataTable::rows() const {
  if (columns.empty()) return 0;
  return std::visit([](const auto& v) { return v.size(); }, columns[0]);
}

std::optional<std::size_t> DataTable::find(std::string_view name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  return std::nullopt;
}

namespace {
double share(double part, double whole) { return whole > 0 ? part / whole : 0.0; }
std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += sep;
    s += v[i];
  }
  return s;
}
std::string stage_name(const std::vector<std::string>& stages, std::int32_t s) {
  return s >= 0 && std::size_t(s) < stages.size() ? stages[std::size_t(s)] : std::string();
}
}  // namespace

DataTable funnel_table(const Funnel& f) {
  DataTable t;
  std::vector<std::string> stage;
  std::vector<double> c[17];
  for (const FunnelStage& r : f.rows) {
    auto stay = [&](double v) { return r.time_in_stage.count > 0 ? v : std::nan(""); };
    stage.push_back(r.stage);
    const double v[17] = {r.journeys, r.entered_first, r.advanced, r.converted, r.dropped,
                          share(r.advanced, r.journeys), share(r.converted, r.journeys), share(r.dropped, r.journeys),
                          r.conversions, r.moves_forward, r.moves_skipping, r.moves_backward, r.skipped_over,
                          stay(r.time_in_stage.median), stay(r.time_in_stage.mean), stay(r.time_in_stage.p90),
                          r.time_in_stage.count};
    for (int k = 0; k < 17; ++k) c[k].push_back(v[k]);
  }
  static const char* const names[17] = {"journeys", "entered_first", "advanced", "converted", "dropped",
                                        "advanced_share", "converted_share", "dropped_share", "conversions",
                                        "moves_forward", "moves_skipping", "moves_backward", "skipped_over",
                                        "time_in_stage_median_s", "time_in_stage_mean_s", "time_in_stage_p90_s",
                                        "time_in_stage_count"};
  t.add("stage", std::move(stage));
  for (int k = 0; k < 17; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable flow_table(const Funnel& f) {
  const std::size_t S = f.stages.size();
  std::vector<std::string> from, to;
  std::vector<double> flow;
  for (std::size_t r = 0; r <= S; ++r)
    for (std::size_t c = 0; c < S + 2; ++c) {
      const double v = f.flow[r * (S + 2) + c];
      if (v == 0) continue;
      from.push_back(r == 0 ? "(start)" : f.stages[r - 1]);
      to.push_back(c < S ? f.stages[c] : c == S ? "(conversion)" : "(null)");
      flow.push_back(v);
    }
  DataTable t;
  t.add("from", std::move(from));
  t.add("to", std::move(to));
  t.add("flow", std::move(flow));
  return t;
}

DataTable pain_point_table(const std::vector<PainPoint>& points, const std::vector<std::string>& stages) {
  DataTable t;
  std::vector<std::string> tp, st;
  std::vector<double> c[11];
  for (const PainPoint& p : points) {
    tp.push_back(p.touchpoint);
    st.push_back(stage_name(stages, p.stage));
    const double v[11] = {double(p.rank), p.journeys, p.visits, p.exits, p.exit_rate, p.conversion_probability,
                          p.drop_offs, p.removal_effect, p.lost_conversions, p.small_sample ? 1.0 : 0.0, 0};
    for (int k = 0; k < 10; ++k) c[k].push_back(v[k]);
  }
  t.add("rank", std::move(c[0]));
  t.add("touchpoint", std::move(tp));
  t.add("stage", std::move(st));
  static const char* const names[9] = {"journeys", "visits", "exits", "exit_rate", "conversion_probability",
                                       "drop_offs", "removal_effect", "lost_conversions", "small_sample"};
  for (int k = 0; k < 9; ++k) t.add(names[k], std::move(c[k + 1]));
  return t;
}

DataTable variant_table(const PathAnalysis& p, std::string_view sep) {
  DataTable t;
  std::vector<std::string> path;
  std::vector<double> c[7];
  for (const PathVariant& v : p.variants) {
    path.push_back(join(v.touchpoints, sep));
    const double x[7] = {double(v.touchpoints.size()), v.journeys, v.conversions, v.value, v.conversion_rate, v.share,
                         v.cumulative_share};
    for (int k = 0; k < 7; ++k) c[k].push_back(x[k]);
  }
  t.add("path", std::move(path));
  static const char* const names[7] = {"length", "journeys", "conversions", "value", "conversion_rate", "share",
                                       "cumulative_share"};
  for (int k = 0; k < 7; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable probable_path_table(const PathAnalysis& p, std::string_view sep) {
  DataTable t;
  std::vector<std::string> path, states;
  std::vector<double> rank, length, prob;
  for (std::size_t i = 0; i < p.most_probable.size(); ++i) {
    const ProbablePath& x = p.most_probable[i];
    rank.push_back(double(i + 1));
    path.push_back(join(x.touchpoints, sep));
    states.push_back(join(x.states, " | "));
    length.push_back(double(x.touchpoints.size()));
    prob.push_back(x.probability);
  }
  t.add("rank", std::move(rank));
  t.add("path", std::move(path));
  t.add("states", std::move(states));
  t.add("length", std::move(length));
  t.add("probability", std::move(prob));
  return t;
}

DataTable length_table(const PathAnalysis& p) {
  DataTable t;
  std::vector<double> len, j, c, r;
  for (const LengthBin& b : p.lengths) {
    len.push_back(double(b.length));
    j.push_back(b.journeys);
    c.push_back(b.conversions);
    r.push_back(share(b.conversions, b.journeys));
  }
  t.add("length", std::move(len));
  t.add("journeys", std::move(j));
  t.add("conversions", std::move(c));
  t.add("conversion_rate", std::move(r));
  return t;
}

DataTable time_to_conversion_table(const PathAnalysis& p) {
  DataTable t;
  std::vector<std::string> bin;
  std::vector<double> lo, hi, w;
  for (const DurationBin& b : p.time_to_conversion_bins) {
    bin.push_back(b.label);
    lo.push_back(b.lower);
    hi.push_back(b.upper);
    w.push_back(b.weight);
  }
  t.add("bin", std::move(bin));
  t.add("lower_s", std::move(lo));
  t.add("upper_s", std::move(hi));
  t.add("conversions", std::move(w));
  return t;
}

DataTable node_table(const JourneyGraph& g, const std::vector<std::string>& stages) {
  DataTable t;
  std::vector<double> id, visits, journeys, conv;
  std::vector<std::string> name, kind, stage;
  for (std::size_t i = 0; i < g.nodes().size(); ++i) {
    const MapNode& n = g.nodes()[i];
    id.push_back(double(i));
    name.push_back(n.name);
    kind.push_back(node_kind_name(n.kind));
    stage.push_back(stage_name(stages, n.stage));
    visits.push_back(n.visits);
    journeys.push_back(n.journeys);
    conv.push_back(n.conversions);
  }
  t.add("node", std::move(id));
  t.add("name", std::move(name));
  t.add("kind", std::move(kind));
  t.add("stage", std::move(stage));
  t.add("visits", std::move(visits));
  t.add("journeys", std::move(journeys));
  t.add("conversions", std::move(conv));
  return t;
}

DataTable edge_table(const JourneyGraph& g) {
  DataTable t;
  std::vector<std::string> src, dst;
  std::vector<double> c[6];
  for (const MapEdge& e : g.edges()) {
    src.push_back(g.nodes()[e.source].name);
    dst.push_back(g.nodes()[e.target].name);
    const double none = std::nan("");
    const bool timed = e.time.count > 0;
    const double x[6] = {e.count, e.probability, e.time.count, timed ? e.time.mean : none,
                         timed ? e.time.median : none, timed ? e.time.p90 : none};
    for (int k = 0; k < 6; ++k) c[k].push_back(x[k]);
  }
  t.add("source", std::move(src));
  t.add("target", std::move(dst));
  static const char* const names[6] = {"count", "probability", "time_count", "time_mean_s", "time_median_s",
                                       "time_p90_s"};
  for (int k = 0; k < 6; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable transition_change_table(const Comparison& cmp) {
  DataTable t;
  std::vector<std::string> from, to;
  std::vector<double> c[11];
  for (const TransitionChange& x : cmp.transitions) {
    from.push_back(x.from);
    to.push_back(x.to);
    const double v[11] = {x.count_a, x.total_a, x.p_a, x.count_b, x.total_b, x.p_b, x.difference, x.z, x.p_value,
                          x.p_adjusted, x.significant ? 1.0 : 0.0};
    for (int k = 0; k < 11; ++k) c[k].push_back(v[k]);
  }
  t.add("from", std::move(from));
  t.add("to", std::move(to));
  static const char* const names[11] = {"count_a", "total_a", "p_a", "count_b", "total_b", "p_b", "difference",
                                        "z", "p_value", "p_adjusted", "significant"};
  for (int k = 0; k < 11; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable attribution_change_table(const Comparison& cmp) {
  DataTable t;
  std::vector<std::string> tp;
  std::vector<double> c[5];
  for (const AttributionChange& x : cmp.attribution) {
    tp.push_back(x.touchpoint);
    const double v[5] = {x.conversions_a, x.conversions_b, x.share_a, x.share_b, x.difference};
    for (int k = 0; k < 5; ++k) c[k].push_back(v[k]);
  }
  t.add("touchpoint", std::move(tp));
  static const char* const names[5] = {"conversions_a", "conversions_b", "share_a", "share_b", "difference"};
  for (int k = 0; k < 5; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable sankey_link_table(const SankeyData& s) {
  DataTable t;
  std::vector<std::string> src, dst;
  std::vector<double> v, step;
  for (const auto& l : s.links) {
    src.push_back(s.nodes[l.source].name);
    dst.push_back(s.nodes[l.target].name);
    step.push_back(double(s.nodes[l.source].step));
    v.push_back(l.value);
  }
  t.add("step", std::move(step));
  t.add("source", std::move(src));
  t.add("target", std::move(dst));
  t.add("value", std::move(v));
  return t;
}

std::string to_csv(const DataTable& t) {
  auto cell = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  std::string out;
  for (std::size_t c = 0; c < t.names.size(); ++c) out += (c ? "," : "") + cell(t.names[c]);
  out += '\n';
  const std::size_t rows = t.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out += ',';
      if (const auto* s = std::get_if<std::vector<std::string>>(&t.columns[c])) out += cell((*s)[r]);
      else {
        const double x = std::get<std::vector<double>>(t.columns[c])[r];
        out += std::isfinite(x) ? detail::format_double(x) : (std::isnan(x) ? "" : x > 0 ? "inf" : "-inf");
      }
    }
    out += '\n';
  }
  return out;
}

std::string to_json(const DataTable& t) {
  std::string out = "[";
  const std::size_t rows = t.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ",\n  {" : "\n  {";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out += ", ";
      out += json_escape(t.names[c]) + ": ";
      if (const auto* s = std::get_if<std::vector<std::string>>(&t.columns[c])) out += json_escape((*s)[r]);
      else out += json_number(std::get<std::vector<double>>(t.columns[c])[r]);
    }
    out += "}";
  }
  return out + (rows ? "\n]\n" : "]\n");
}

// ------------------------------------------------------------------------------------------------
// Graph exports
// ------------------------------------------------------------------------------------------------

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

void write_text_file(const std::string& file, std::string_view text) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (!f) throw IoError("cannot write " + file + ": " + std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int err = errno;
  if (std::fclose(f) != 0 || !ok) throw IoError("error writing " + file + ": " + std::strerror(ok ? errno : err));
}

}  // namespace journeygraph
