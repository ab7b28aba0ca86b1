// The pictures of a journey map, drawn as self-contained SVG: the journey graph laid out by stage, the
// stage funnel and the Sankey of step flows. No scripts, no external fonts or images; generic font
// families only, so every browser and converter renders them offline.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <map>

#include "journeygraph/error.hpp"
#include "journeygraph/render.hpp"
#include "render/text.hpp"

namespace journeygraph {

namespace {

using detail::xml_escape;

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, f);
  const int n = std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  if (n < 0) return {};
  if (std::size_t(n) < sizeof buf) return std::string(buf, std::size_t(n));
  std::string big(std::size_t(n) + 1, '\0');
  va_start(ap, f);
  std::vsnprintf(big.data(), big.size(), f, ap);
  va_end(ap);
  big.resize(std::size_t(n));
  return big;
}

const char* const kPalette[] = {"#4a6fa5", "#5b9a4b", "#d9952b", "#9b5094", "#2a9d8f",
                                "#c8507d", "#7c8aa3", "#a9746e", "#6a7f2f", "#3f7fbf"};
constexpr std::size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);
const char* kConvColor = "#2e9d5b";
const char* kNullColor = "#c44e52";
const char* kGrey = "#8a8f98";
const char* kFont = "font-family=\"Helvetica, Arial, sans-serif\"";

const char* stage_color(std::int32_t s) { return s < 0 ? kGrey : kPalette[std::size_t(s) % kPaletteSize]; }

using detail::shorten;

std::string svg_open(double w, double h, const std::string& label) {
  return fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
             "role=\"img\" aria-label=\"",
             w, h, w, h) +
         xml_escape(label) + "\" " + kFont + " font-size=\"12\">\n" +
         fmt("<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", w, h);
}

std::string title_text(double x, double y, const std::string& title) {
  if (title.empty()) return {};
  return fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\">", x, y) +
         xml_escape(title) + "</text>\n";
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// The journey graph
// ------------------------------------------------------------------------------------------------

std::string graph_svg(const JourneyMap& map, const SvgOptions& options) {
  const JourneyGraph& g = map.graph();
  const auto& nodes = g.nodes();
  const std::size_t N = nodes.size();
  if (N < 3) throw StateError("the graph is empty");
  const std::uint32_t conv = static_cast<std::uint32_t>(N - 2), nul = static_cast<std::uint32_t>(N - 1);
  const bool staged = map.has_stages();
  const auto& stage_names = map.stages().stages();

  // Columns: START, one per stage (or by typical position in the journeys), then the outcomes.
  std::vector<std::size_t> col(N, 0);
  std::vector<std::string> headings;  // of columns 1..inner
  std::size_t inner = 0;
  if (staged) {
    inner = stage_names.size();
    for (std::uint32_t v = 1; v < conv; ++v) col[v] = std::size_t(nodes[v].stage) + 1;
    headings = stage_names;
  } else {
    // Breadth-first depth puts nearly every touchpoint one step from START; the median 1-based position of
    // a touchpoint's touches says where it typically happens. Positions past kMaxColumns share the last column.
    constexpr std::size_t kMaxColumns = 8;
    const JourneySet& js = map.journeys();
    std::vector<std::uint32_t> node_of(js.touchpoints().size(), 0);
    for (std::uint32_t t = 0; t < node_of.size(); ++t)
      if (auto v = g.find_node(js.touchpoints().name(t))) node_of[t] = *v;
    std::vector<std::array<double, kMaxColumns>> weight(N, std::array<double, kMaxColumns>{});
    for (std::size_t j = 0; j < js.size(); ++j) {
      const auto path = js.path(j);
      const double w = js.weight(j);
      for (std::size_t i = 0; i < path.size(); ++i)
        if (node_of[path[i]]) weight[node_of[path[i]]][std::min(i, kMaxColumns - 1)] += w;
    }
    std::vector<std::size_t> median(N, 0);
    std::vector<char> used(kMaxColumns + 1, 0);
    for (std::uint32_t v = 1; v < conv; ++v) {
      double total = 0, cum = 0;
      for (double x : weight[v]) total += x;
      std::size_t m = 1;
      for (std::size_t k = 0; k < kMaxColumns; ++k) {
        cum += weight[v][k];
        if (cum >= total / 2 && total > 0) {
          m = k + 1;
          break;
        }
      }
      median[v] = m;
      used[m] = 1;
    }
    std::vector<std::size_t> column_of(kMaxColumns + 1, 0);
    for (std::size_t m = 1; m <= kMaxColumns; ++m)
      if (used[m]) {
        column_of[m] = ++inner;
        headings.push_back("step " + std::to_string(m) + (m == kMaxColumns ? "+" : ""));
      }
    for (std::uint32_t v = 1; v < conv; ++v) col[v] = column_of[median[v]];
  }
  const std::size_t out_col = inner + 1;
  col[conv] = col[nul] = out_col;
  std::vector<std::vector<std::uint32_t>> columns(out_col + 1);
  for (std::uint32_t v = 0; v < N; ++v) columns[col[v]].push_back(v);
  for (std::size_t c = 1; c < out_col; ++c)
    std::stable_sort(columns[c].begin(), columns[c].end(), [&](std::uint32_t a, std::uint32_t b) {
      if (nodes[a].visits != nodes[b].visits) return nodes[a].visits > nodes[b].visits;
      return nodes[a].name < nodes[b].name;
    });

  // Observed exit rate and the chain's conversion probability per node, for labels and tooltips.
  std::vector<double> exit_rate(N, 0.0), p_conv(N, 0.0);
  for (std::uint32_t v = 1; v < conv; ++v)
    if (auto e = g.find_edge(v, nul)) exit_rate[v] = g.edges()[*e].probability;
  for (const PainPoint& p : map.pain_points())
    if (auto v = g.find_node(p.touchpoint)) p_conv[*v] = p.conversion_probability;

  const double NW = 150, gap_x = 96, gap_y = 14, top = options.title.empty() ? 44 : 74, margin = 24;
  double vmax = 0;
  for (std::uint32_t v = 1; v < conv; ++v) vmax = std::max(vmax, nodes[v].visits);
  const double J = std::max(g.journeys(), 1e-300);
  std::vector<double> h(N), x(N), y(N);
  for (std::uint32_t v = 0; v < N; ++v) {
    const double share = v == 0 || v >= conv ? nodes[v].visits / J : (vmax > 0 ? nodes[v].visits / vmax : 0);
    h[v] = 30 + 30 * std::sqrt(std::max(0.0, std::min(1.0, share)));
  }
  double tallest = 0;
  std::vector<double> col_height(columns.size(), 0);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    for (std::uint32_t v : columns[c]) col_height[c] += h[v] + gap_y;
    tallest = std::max(tallest, col_height[c]);
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    double yy = top + (tallest - col_height[c]) / 2;
    for (std::uint32_t v : columns[c]) {
      x[v] = margin + double(c) * (NW + gap_x);
      y[v] = yy;
      yy += h[v] + gap_y;
    }
  }
  const double width = margin * 2 + double(columns.size()) * NW + double(columns.size() - 1) * gap_x;
  const double legend_y = top + tallest + 16;
  const double height = legend_y + 40;

  // Edges to draw: START and CONVERSION edges always, the heaviest of the others up to max_edges.
  std::vector<std::size_t> drawn, rest;
  for (std::size_t i = 0; i < g.edges().size(); ++i) {
    const MapEdge& e = g.edges()[i];
    if (e.count <= 0) continue;
    (e.source == 0 || e.target == conv ? drawn : rest).push_back(i);
  }
  std::stable_sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) { return g.edges()[a].count > g.edges()[b].count; });
  if (rest.size() > options.max_edges) rest.resize(options.max_edges);
  drawn.insert(drawn.end(), rest.begin(), rest.end());
  double cmax = 0;
  for (std::size_t i : drawn)
    if (g.edges()[i].source != 0) cmax = std::max(cmax, g.edges()[i].count);
  double smax = 0;
  for (std::size_t i : drawn)
    if (g.edges()[i].source == 0) smax = std::max(smax, g.edges()[i].count);
  // Heavy edges are drawn last, on top.
  std::stable_sort(drawn.begin(), drawn.end(), [&](std::size_t a, std::size_t b) { return g.edges()[a].count < g.edges()[b].count; });

  std::string s = svg_open(width, height, options.title.empty() ? "journey graph" : options.title);
  s += "<defs>\n";
  for (auto [id, color] : {std::pair{"f", "#4a6fa5"}, {"b", "#d9822b"}, {"c", kConvColor}, {"n", kNullColor}})
    s += fmt("<marker id=\"jg-graph-arrow-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" "
             "markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
             "fill=\"%s\"/></marker>\n",
             id, color);
  s += "</defs>\n";
  s += title_text(margin, 30, options.title);
  // Column headings.
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::string head = c == 0 ? "start" : c == out_col ? "outcome" : headings[c - 1];
    const char* color = c > 0 && c < out_col && staged ? stage_color(std::int32_t(c - 1)) : "#555";
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"%s\">", margin +
                 double(c) * (NW + gap_x) + NW / 2, top - 14, color) +
         xml_escape(shorten(head, 24)) + "</text>\n";
  }
  s += "<g fill=\"none\">\n";
  for (std::size_t i : drawn) {
    const MapEdge& e = g.edges()[i];
    const std::uint32_t u = e.source, v = e.target;
    const double ref = u == 0 ? smax : cmax;
    const double w = ref > 0 ? 0.8 + 10.0 * e.count / ref : 1.0;
    const double y1 = y[u] + h[u] / 2, y2 = y[v] + h[v] / 2;
    std::string d, color, marker, dash;
    double opacity = 0.45;
    if (col[v] > col[u]) {
      const double x1 = x[u] + NW, x2 = x[v] - 2, dx = (x2 - x1) / 2;
      d = fmt("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, x1 + dx, y1, x2 - dx, y2, x2, y2);
      color = v == conv ? kConvColor : v == nul ? kNullColor : "#4a6fa5";
      marker = v == conv ? "c" : v == nul ? "n" : "f";
      if (v == nul) opacity = 0.3;
    } else if (u == v) {
      const double x1 = x[u] + NW, yy = y[u] + 4;
      d = fmt("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, yy + 6, x1 + 30, yy - 10, x1 + 30, yy + 26, x1 + 2, yy + 14);
      color = "#d9822b";
      marker = "b";
      dash = " stroke-dasharray=\"5 3\"";
    } else if (col[v] == col[u]) {
      const double x1 = x[u] + NW, x2 = x[v] + NW + 2, bend = 40 + std::fabs(y2 - y1) * 0.15;
      d = fmt("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, x1 + bend, y1, x2 + bend, y2, x2, y2);
      color = "#d9822b";
      marker = "b";
      dash = " stroke-dasharray=\"5 3\"";
    } else {
      const double x1 = x[u], x2 = x[v] + NW + 2, dx = std::max(40.0, (x1 - x2) / 3);
      d = fmt("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, x1 - dx, y1, x2 + dx, y2, x2, y2);
      color = "#d9822b";
      marker = "b";
      dash = " stroke-dasharray=\"5 3\"";
    }
    std::string tip = nodes[u].name + " \xE2\x86\x92 " + nodes[v].name + ": " + detail::human_count(e.count) +
                      " transitions, P = " + detail::percent(e.probability);
    if (e.time.count > 0)
      tip += ", median time " + detail::human_duration(e.time.median) + ", p90 " + detail::human_duration(e.time.p90);
    s += "<path d=\"" + d + "\" stroke=\"" + color + "\" stroke-width=\"" + detail::fixed(w, 2) +
         "\" stroke-opacity=\"" + detail::fixed(opacity, 2) + "\"" + dash + " marker-end=\"url(#jg-graph-arrow-" +
         marker + ")\"><title>" + xml_escape(tip) + "</title></path>\n";
  }
  s += "</g>\n";
  for (std::uint32_t v = 0; v < N; ++v) {
    const MapNode& n = nodes[v];
    const char* fill = v == 0 ? "#e7e9ee" : v == conv ? "#d5f0d8" : v == nul ? "#f6dada" : "#ffffff";
    const char* stroke = v == 0 ? "#777" : v == conv ? kConvColor : v == nul ? kNullColor : stage_color(n.stage);
    std::string tip = n.name + ": " + detail::human_count(n.visits) + " visits, " + detail::human_count(n.journeys) +
                      " journeys, " + detail::human_count(n.conversions) + " conversions";
    if (v > 0 && v < conv)
      tip += "; exit rate " + detail::percent(exit_rate[v]) + ", P(conversion | here) " + detail::percent(p_conv[v]);
    s += "<g><title>" + xml_escape(tip) + "</title>";
    s += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" fill=\"%s\" stroke=\"%s\" "
             "stroke-width=\"1.6\"/>",
             x[v], y[v], NW, h[v], fill, stroke);
    if (v > 0 && v < conv)
      s += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"%.1f\" rx=\"2\" fill=\"%s\"/>", x[v], y[v], h[v],
               stage_color(n.stage));
    std::string sub = v == 0 ? detail::human_count(n.journeys, true) + " journeys"
                      : v >= conv ? detail::human_count(n.visits, true) + " (" + detail::percent(n.visits / J) + ")"
                                  : detail::human_count(n.visits, true) + " visits \xC2\xB7 exit " +
                                        detail::percent(exit_rate[v], 0);
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" fill=\"#222\">", x[v] + 11, y[v] + h[v] / 2 - 3) +
         xml_escape(shorten(n.name, 22)) + "</text>";
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#555\">", x[v] + 11, y[v] + h[v] / 2 + 11) +
         xml_escape(sub) + "</text></g>\n";
  }
  // Legend.
  double lx = margin;
  for (auto [label, color, dashed] : {std::tuple{"forward move", "#4a6fa5", false},
                                      {"backward or within stage", "#d9822b", true},
                                      {"to conversion", kConvColor, false},
                                      {"to no conversion", kNullColor, false}}) {
    s += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"%s/>", lx,
             legend_y + 8, lx + 26, legend_y + 8, color, dashed ? " stroke-dasharray=\"5 3\"" : "");
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"#444\">%s</text>\n", lx + 32, legend_y + 12, label);
    lx += 60 + 7.0 * double(std::char_traits<char>::length(label));
  }
  double all_count = 0, drawn_count = 0;
  std::size_t all_edges = 0;
  for (const MapEdge& e : g.edges())
    if (e.count > 0) all_count += e.count, ++all_edges;
  for (std::size_t i : drawn) drawn_count += g.edges()[i].count;
  std::string caption = "edge width = transitions; node height = visits; " + std::to_string(drawn.size()) + " of " +
                        std::to_string(all_edges) + " edges drawn";
  if (drawn.size() < all_edges)
    caption += " (the heaviest; the other " + std::to_string(all_edges - drawn.size()) + " carry " +
               detail::percent(all_count > 0 ? 1 - drawn_count / all_count : 0) + " of the transitions)";
  s += fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"#777\" font-size=\"10\">", margin, legend_y + 30) +
       xml_escape(caption) + "</text>\n";
  return s + "</svg>\n";
}

// ------------------------------------------------------------------------------------------------
// The funnel
// ------------------------------------------------------------------------------------------------

std::string funnel_svg(const Funnel& f, const SvgOptions& options) {
  if (f.stages.empty()) throw StateError("the funnel has no stages");
  const double label_w = 150, bar_w = 560, right_w = 230, row_h = 64, margin = 24;
  const double top = (options.title.empty() ? 24 : 54) + 26;
  const double width = margin * 2 + label_w + bar_w + right_w;
  const double height = top + row_h * double(f.rows.size()) + 16;
  double jmax = 0;
  for (const auto& r : f.rows) jmax = std::max(jmax, r.journeys);
  std::string s = svg_open(width, height, options.title.empty() ? "stage funnel" : options.title);
  s += title_text(margin, 30, options.title);
  // Legend.
  double lx = margin + label_w;
  const double ly = top - 18;
  for (auto [label, color] : {std::pair{"advanced to a later stage", "#4a6fa5"}, {"converted here", kConvColor},
                              {"dropped", "#d3a3a5"}}) {
    s += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx, ly - 10, color);
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"#444\">%s</text>\n", lx + 17, ly, label);
    lx += 40 + 6.6 * double(std::char_traits<char>::length(label));
  }
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const FunnelStage& r = f.rows[i];
    const double y0 = top + row_h * double(i);
    const double len = jmax > 0 ? bar_w * r.journeys / jmax : 0;
    const double x0 = margin + label_w + (bar_w - len) / 2;  // centred bars read as a funnel
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\" fill=\"%s\">", margin, y0 + 20,
             stage_color(std::int32_t(i))) +
         xml_escape(shorten(r.stage, 20)) + "</text>\n";
    double xx = x0;
    for (auto [part, color, what] : {std::tuple{r.advanced, "#4a6fa5", "advanced"},
                                     {r.converted, kConvColor, "converted"}, {r.dropped, "#d3a3a5", "dropped"}}) {
      const double wpart = r.journeys > 0 ? len * part / r.journeys : 0;
      if (wpart <= 0) continue;
      const std::string tip = r.stage + ": " + detail::human_count(part) + " " + what + " (" +
                              detail::percent(r.journeys > 0 ? part / r.journeys : 0) + " of " +
                              detail::human_count(r.journeys) + ")";
      s += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"28\" fill=\"%s\">", xx, y0 + 4, wpart, color) +
           "<title>" + xml_escape(tip) + "</title></rect>";
      if (wpart > 44)
        s += fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"11\">", xx + wpart / 2,
                 y0 + 22) +
             detail::percent(r.journeys > 0 ? part / r.journeys : 0, 0) + "</text>";
      s += "\n";
      xx += wpart;
    }
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"#222\">", margin + label_w + bar_w + 12, y0 + 16) +
         detail::human_count(r.journeys) + " journeys</text>";
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"#666\" font-size=\"10\">", margin + label_w + bar_w + 12, y0 + 30) +
         detail::percent(r.journeys > 0 ? r.conversions / r.journeys : 0) + " of them convert</text>\n";
    std::string moves = "next " + detail::human_count(r.moves_forward, true) + " \xC2\xB7 skip " +
                        detail::human_count(r.moves_skipping, true) + " \xC2\xB7 back " +
                        detail::human_count(r.moves_backward, true);
    if (r.time_in_stage.count > 0) moves += " \xC2\xB7 median stay " + detail::human_duration(r.time_in_stage.median);
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"#666\" font-size=\"10\" text-anchor=\"middle\">",
             margin + label_w + bar_w / 2, y0 + 48) +
         xml_escape(moves) + "</text>\n";
  }
  return s + "</svg>\n";
}

// ------------------------------------------------------------------------------------------------
// The Sankey of step flows
// ------------------------------------------------------------------------------------------------

std::string sankey_svg(const SankeyData& sk, const SvgOptions& options) {
  const double margin = 24, node_w = 14, label_room = 150;
  const double top = options.title.empty() ? 24 : 54;
  std::size_t steps = 0;
  for (const auto& n : sk.nodes) steps = std::max(steps, n.step);
  const std::size_t NN = sk.nodes.size();
  std::vector<double> in(NN, 0), out(NN, 0);
  for (const auto& l : sk.links) {
    out[l.source] += l.value;
    in[l.target] += l.value;
  }
  std::vector<double> value(NN);
  for (std::size_t i = 0; i < NN; ++i) value[i] = std::max(in[i], out[i]);
  std::vector<std::vector<std::size_t>> column(steps + 1);
  for (std::size_t i = 0; i < NN; ++i) column[sk.nodes[i].step].push_back(i);
  const double gap = 10, avail = 420;
  double scale = 1e300;
  for (const auto& c : column) {
    double total = 0;
    for (std::size_t i : c) total += value[i];
    if (total > 0) scale = std::min(scale, (avail - gap * double(c.size() > 0 ? c.size() - 1 : 0)) / total);
  }
  if (!(scale < 1e300)) scale = 1;
  const double col_w = steps > 1 ? 190 : 0;
  const double width = margin * 2 + node_w + col_w * double(steps > 1 ? steps - 1 : 0) + label_room;
  std::vector<double> x(NN), y(NN), h(NN);
  double tallest = 0;
  for (std::size_t st = 1; st <= steps; ++st) {
    double yy = top + 20;
    for (std::size_t i : column[st]) {
      x[i] = margin + double(st - 1) * col_w;
      y[i] = yy;
      h[i] = std::max(1.0, value[i] * scale);
      yy += h[i] + gap;
    }
    tallest = std::max(tallest, yy - top - 20);
  }
  const double height = top + 20 + tallest + 24;
  // Palette by key: stages and touchpoints in order of first appearance, outcomes fixed.
  std::map<std::string, const char*> key_color{{"(conversion)", kConvColor}, {"(null)", kNullColor}, {"(continues)", kGrey}};
  std::size_t next = 0;
  for (const auto& n : sk.nodes)
    if (!key_color.count(n.key)) key_color[n.key] = kPalette[next++ % kPaletteSize];

  std::string s = svg_open(width, height, options.title.empty() ? "step flows" : options.title);
  s += title_text(margin, 30, options.title);
  for (std::size_t st = 1; st <= steps; ++st)
    s += fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"#666\" font-size=\"11\">step %zu</text>\n",
             margin + double(st - 1) * col_w, top + 10, st);
  // Bands: outgoing links stacked by target position, incoming by source position.
  std::vector<std::size_t> order(sk.links.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<double> out_off(NN, 0), in_off(NN, 0);
  std::vector<double> y_src(sk.links.size()), y_dst(sk.links.size());
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto &la = sk.links[a], &lb = sk.links[b];
    return la.source != lb.source ? la.source < lb.source : y[la.target] < y[lb.target];
  });
  for (std::size_t i : order) {
    y_src[i] = y[sk.links[i].source] + out_off[sk.links[i].source];
    out_off[sk.links[i].source] += sk.links[i].value * scale;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto &la = sk.links[a], &lb = sk.links[b];
    return la.target != lb.target ? la.target < lb.target : y[la.source] < y[lb.source];
  });
  for (std::size_t i : order) {
    y_dst[i] = y[sk.links[i].target] + in_off[sk.links[i].target];
    in_off[sk.links[i].target] += sk.links[i].value * scale;
  }
  s += "<g>\n";
  for (std::size_t i = 0; i < sk.links.size(); ++i) {
    const auto& l = sk.links[i];
    const double th = std::max(0.5, l.value * scale);
    const double x0 = x[l.source] + node_w, x1 = x[l.target], xm = (x0 + x1) / 2;
    const double a0 = y_src[i], a1 = y_dst[i];
    const std::string d = fmt("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f L%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f Z",
                              x0, a0, xm, a0, xm, a1, x1, a1, x1, a1 + th, xm, a1 + th, xm, a0 + th, x0, a0 + th);
    const std::string tip = sk.nodes[l.source].name + " \xE2\x86\x92 " + sk.nodes[l.target].name + ": " +
                            detail::human_count(l.value) + " journeys";
    s += "<path d=\"" + d + "\" fill=\"" + key_color[sk.nodes[l.target].key] + "\" fill-opacity=\"0.28\"><title>" +
         xml_escape(tip) + "</title></path>\n";
  }
  s += "</g>\n";
  for (std::size_t i = 0; i < NN; ++i) {
    const auto& n = sk.nodes[i];
    s += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">", x[i], y[i], node_w, h[i],
             key_color[n.key]) +
         "<title>" + xml_escape(n.name + ": " + detail::human_count(value[i]) + " journeys") + "</title></rect>";
    if (h[i] >= 9)
      s += fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#333\">", x[i] + node_w + 4, y[i] + h[i] / 2 + 3.5) +
           xml_escape(shorten(n.key, 22) + " " + detail::human_count(value[i], true)) + "</text>";
    s += "\n";
  }
  return s + "</svg>\n";
}

}  // namespace journeygraph
