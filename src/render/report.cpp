// The HTML report: one self-contained page (inline CSS and SVG, one small inline script that makes the
// tables sortable) that opens offline in any browser.

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/render.hpp"
#include "render/text.hpp"
#include "journeygraph/version.hpp"

namespace journeygraph {

namespace {

using detail::xml_escape;

enum class Fmt { text, count, share, prob, number, duration, integer, boolean };

struct Col {
  const char* name;    // column of the DataTable
  const char* header;  // shown
  Fmt fmt;
};

std::string cell(double x, Fmt f) {
  switch (f) {
    case Fmt::count: return detail::human_count(x);
    case Fmt::share: return detail::percent(x);
    case Fmt::prob: return detail::fixed(x, 4);
    case Fmt::number: return detail::fixed(x, 3);
    case Fmt::duration: return std::isfinite(x) ? detail::human_duration(x) : "-";
    case Fmt::integer: return detail::fixed(x, 0);
    case Fmt::boolean: return x != 0 ? "yes" : "no";
    case Fmt::text: break;
  }
  return detail::format_double(x);
}

std::string html_table(const DataTable& t, const std::vector<Col>& cols, std::size_t max_rows = 0,
                       const char* css = "") {
  std::string s = std::string("<div class=\"scroll\"><table class=\"sortable ") + css + "\"><thead><tr>";
  std::vector<std::size_t> idx;
  for (const Col& c : cols) {
    auto i = t.find(c.name);
    if (!i) throw InvalidArgument(std::string("report: no column ") + c.name);
    idx.push_back(*i);
    s += std::string("<th") + (c.fmt == Fmt::text ? "" : " class=\"num\"") + " title=\"sort\">" + xml_escape(c.header) + "</th>";
  }
  s += "</tr></thead><tbody>\n";
  const std::size_t rows = max_rows ? std::min(max_rows, t.rows()) : t.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    s += "<tr>";
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const auto& col = t.columns[idx[k]];
      if (const auto* str = std::get_if<std::vector<std::string>>(&col)) {
        s += "<td>" + xml_escape((*str)[r]) + "</td>";
      } else {
        const double x = t.number(idx[k], r);
        s += "<td class=\"num\" data-v=\"" + detail::json_number(x) + "\">" + xml_escape(cell(x, cols[k].fmt)) + "</td>";
      }
    }
    s += "</tr>\n";
  }
  return s + "</tbody></table></div>\n";
}

std::string card(const std::string& value, const std::string& label) {
  return "<div class=\"card\"><div class=\"value\">" + xml_escape(value) + "</div><div class=\"label\">" +
         xml_escape(label) + "</div></div>\n";
}

std::string note(const std::string& text) { return "<p class=\"note\">" + xml_escape(text) + "</p>\n"; }

// A small horizontal bar chart (labels left, bars right) as inline SVG.
std::string bars_svg(const std::vector<std::string>& labels, const std::vector<double>& values, const char* color,
                     const std::string& aria) {
  // Labels are right-aligned against the bars: the column is as wide as the longest (about 6.5 px a character
  // at 11 px Helvetica), so none runs off the left edge.
  std::size_t longest = 0;
  for (const std::string& l : labels) longest = std::max(longest, detail::utf8_length(l));
  const double row = 20, label_w = std::max(110.0, 6.5 * double(longest) + 14), bar_w = 360,
               width = label_w + bar_w + 90;
  const double height = row * double(labels.size()) + 10;
  double vmax = 0;
  for (double v : values) vmax = std::max(vmax, v);
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + detail::fixed(width, 0) + "\" height=\"" +
                  detail::fixed(height, 0) + "\" viewBox=\"0 0 " + detail::fixed(width, 0) + " " +
                  detail::fixed(height, 0) + "\" role=\"img\" aria-label=\"" + xml_escape(aria) +
                  "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double y = 5 + row * double(i);
    const double w = vmax > 0 ? bar_w * values[i] / vmax : 0;
    s += "<text x=\"" + detail::fixed(label_w - 6, 1) + "\" y=\"" + detail::fixed(y + 13, 1) +
         "\" text-anchor=\"end\" fill=\"#333\">" + xml_escape(labels[i]) + "</text>";
    s += "<rect x=\"" + detail::fixed(label_w, 1) + "\" y=\"" + detail::fixed(y + 3, 1) + "\" width=\"" +
         detail::fixed(std::max(w, 0.5), 1) + "\" height=\"14\" fill=\"" + color + "\"/>";
    s += "<text x=\"" + detail::fixed(label_w + w + 5, 1) + "\" y=\"" + detail::fixed(y + 13, 1) + "\" fill=\"#555\">" +
         xml_escape(detail::human_count(values[i])) + "</text>\n";
  }
  return s + "</svg>\n";
}

// Odds ratios with their intervals on a log axis (a forest plot): one row per driver, the line of no effect
// at 1, filled dots for significant drivers, hollow orange ones for those the length adjustment explains away.
std::string forest_svg(const std::vector<Driver>& drivers, double level) {
  std::size_t longest = 0;
  for (const Driver& d : drivers) longest = std::max(longest, detail::utf8_length(detail::shorten(d.feature, 30)));
  const double row = 22, label_w = std::max(120.0, 6.5 * double(longest) + 14), plot_w = 330, text_w = 170, top = 24;
  const double width = label_w + plot_w + text_w, height = top + row * double(drivers.size()) + 8;
  double lo = 1, hi = 1;
  for (const Driver& d : drivers)
    for (double x : {d.lower, d.upper, d.odds_ratio})
      if (std::isfinite(x) && x > 0) lo = std::min(lo, x), hi = std::max(hi, x);
  // Clamped so one degenerate interval cannot flatten the others.
  lo = std::max(lo / 1.15, 1e-3);
  hi = std::min(hi * 1.15, 1e3);
  const double llo = std::log(lo), lhi = std::log(hi);
  auto xpos = [&](double v) {
    const double lv = std::log(std::clamp(v > 0 && std::isfinite(v) ? v : (v > 0 ? hi : lo), lo, hi));
    return label_w + plot_w * (lv - llo) / (lhi - llo);
  };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + detail::fixed(width, 0) + "\" height=\"" +
                  detail::fixed(height, 0) + "\" viewBox=\"0 0 " + detail::fixed(width, 0) + " " +
                  detail::fixed(height, 0) + "\" role=\"img\" aria-label=\"odds ratios of the drivers\" "
                  "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  const double x1 = xpos(1);
  s += "<line x1=\"" + detail::fixed(x1, 1) + "\" y1=\"" + detail::fixed(top - 4, 1) + "\" x2=\"" + detail::fixed(x1, 1) +
       "\" y2=\"" + detail::fixed(height - 4, 1) + "\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>";
  for (double t : {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0}) {
    if (t < lo || t > hi || t == 1.0) continue;
    const double x = xpos(t);
    s += "<line x1=\"" + detail::fixed(x, 1) + "\" y1=\"" + detail::fixed(top - 4, 1) + "\" x2=\"" + detail::fixed(x, 1) +
         "\" y2=\"" + detail::fixed(height - 4, 1) + "\" stroke=\"#e6e9ee\"/>";
    s += "<text x=\"" + detail::fixed(x, 1) + "\" y=\"" + detail::fixed(top - 8, 1) +
         "\" text-anchor=\"middle\" fill=\"#555\">" + detail::format_double(t) + "</text>";
  }
  s += "<text x=\"" + detail::fixed(label_w + plot_w + 8, 1) + "\" y=\"" + detail::fixed(top - 8, 1) + "\" fill=\"#555\">OR [" +
       detail::fixed(100 * level, 0) + " % interval]</text>\n";
  for (std::size_t i = 0; i < drivers.size(); ++i) {
    const Driver& d = drivers[i];
    const double y = top + row * double(i) + row / 2;
    const std::string name = detail::shorten(d.feature, 30);
    const char* color = d.confounded ? "#d55e00" : d.significant ? "#0072b2" : "#999999";
    s += "<g><title>" + xml_escape(d.feature) + ": odds ratio " + detail::fixed(d.odds_ratio, 3) + " [" +
         detail::fixed(d.lower, 3) + ", " + detail::fixed(d.upper, 3) + "], q " + detail::format_double(d.q_value) +
         (d.confounded ? ", explained by journey length (Mantel-Haenszel)" : "") + "</title>";
    s += "<text x=\"" + detail::fixed(label_w - 8, 1) + "\" y=\"" + detail::fixed(y + 4, 1) +
         "\" text-anchor=\"end\" fill=\"#333\">" + xml_escape(name) + "</text>";
    s += "<line x1=\"" + detail::fixed(xpos(d.lower), 1) + "\" y1=\"" + detail::fixed(y, 1) + "\" x2=\"" +
         detail::fixed(xpos(d.upper), 1) + "\" y2=\"" + detail::fixed(y, 1) + "\" stroke=\"" + color +
         "\" stroke-width=\"2\"/>";
    s += "<circle cx=\"" + detail::fixed(xpos(d.odds_ratio), 1) + "\" cy=\"" + detail::fixed(y, 1) + "\" r=\"4\" fill=\"" +
         (d.confounded ? std::string("#fff") : std::string(color)) + "\" stroke=\"" + color + "\" stroke-width=\"1.5\"/>";
    s += "<text x=\"" + detail::fixed(label_w + plot_w + 8, 1) + "\" y=\"" + detail::fixed(y + 4, 1) + "\" fill=\"#555\">" +
         detail::fixed(d.odds_ratio, 2) + " [" + detail::fixed(d.lower, 2) + ", " + detail::fixed(d.upper, 2) +
         "]</text></g>\n";
  }
  return s + "</svg>\n";
}

// One grouped bar per touchpoint and model, with the bootstrap interval as an error bar when there is one.
std::string model_bars_svg(const std::vector<std::string>& rows, const std::vector<AttributionModel>& models,
                           const std::vector<std::vector<double>>& credit, const std::vector<std::vector<double>>& lower,
                           const std::vector<std::vector<double>>& upper) {
  std::size_t longest = 0;
  for (const std::string& r : rows) longest = std::max(longest, detail::utf8_length(r));
  const double bar_h = 9, group_gap = 10, label_w = std::max(100.0, 6.5 * double(longest) + 14), plot_w = 380,
               legend_w = 150, top = 10;
  const double group_h = bar_h * double(models.size()) + group_gap;
  const double width = label_w + plot_w + 50 + legend_w, height = top + group_h * double(rows.size()) + 24;
  double vmax = 0;
  for (std::size_t m = 0; m < models.size(); ++m)
    for (std::size_t r = 0; r < rows.size(); ++r) {
      vmax = std::max(vmax, credit[m][r]);
      if (!upper[m].empty() && std::isfinite(upper[m][r])) vmax = std::max(vmax, upper[m][r]);
    }
  auto xpos = [&](double v) { return label_w + (vmax > 0 ? plot_w * std::max(0.0, v) / vmax : 0.0); };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + detail::fixed(width, 0) + "\" height=\"" +
                  detail::fixed(height, 0) + "\" viewBox=\"0 0 " + detail::fixed(width, 0) + " " +
                  detail::fixed(height, 0) + "\" role=\"img\" aria-label=\"credit by model\" "
                  "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double y0 = top + group_h * double(r);
    s += "<text x=\"" + detail::fixed(label_w - 6, 1) + "\" y=\"" + detail::fixed(y0 + bar_h * double(models.size()) / 2 + 4, 1) +
         "\" text-anchor=\"end\" fill=\"#333\">" + xml_escape(rows[r]) + "</text>";
    for (std::size_t m = 0; m < models.size(); ++m) {
      const double y = y0 + bar_h * double(m);
      const double v = credit[m][r];
      s += "<rect x=\"" + detail::fixed(label_w, 1) + "\" y=\"" + detail::fixed(y, 1) + "\" width=\"" +
           detail::fixed(std::max(xpos(v) - label_w, 0.5), 1) + "\" height=\"" + detail::fixed(bar_h - 1, 1) +
           "\" fill=\"" + model_color(models[m]) + "\"><title>" + xml_escape(rows[r]) + ", " + model_name(models[m]) +
           ": " + detail::fixed(v, 1) +
           (!lower[m].empty() && std::isfinite(lower[m][r])
                ? " [" + detail::fixed(lower[m][r], 1) + ", " + detail::fixed(upper[m][r], 1) + "]"
                : std::string()) +
           "</title></rect>";
      if (!lower[m].empty() && std::isfinite(lower[m][r]) && std::isfinite(upper[m][r])) {
        const double yc = y + (bar_h - 1) / 2;
        s += "<line x1=\"" + detail::fixed(xpos(lower[m][r]), 1) + "\" y1=\"" + detail::fixed(yc, 1) + "\" x2=\"" +
             detail::fixed(xpos(upper[m][r]), 1) + "\" y2=\"" + detail::fixed(yc, 1) + "\" stroke=\"#333\" stroke-width=\"1\"/>";
      }
    }
    s += "\n";
  }
  const double axis_y = top + group_h * double(rows.size()) + 4;
  s += "<line x1=\"" + detail::fixed(label_w, 1) + "\" y1=\"" + detail::fixed(axis_y, 1) + "\" x2=\"" +
       detail::fixed(label_w + plot_w, 1) + "\" y2=\"" + detail::fixed(axis_y, 1) + "\" stroke=\"#999\"/>";
  s += "<text x=\"" + detail::fixed(label_w, 1) + "\" y=\"" + detail::fixed(axis_y + 14, 1) + "\" fill=\"#555\">0</text>";
  s += "<text x=\"" + detail::fixed(label_w + plot_w, 1) + "\" y=\"" + detail::fixed(axis_y + 14, 1) +
       "\" text-anchor=\"end\" fill=\"#555\">" + detail::human_count(vmax) + " conversions</text>\n";
  const double lx = label_w + plot_w + 50;
  for (std::size_t m = 0; m < models.size(); ++m) {
    const double y = top + 16 * double(m);
    s += "<rect x=\"" + detail::fixed(lx, 1) + "\" y=\"" + detail::fixed(y, 1) + "\" width=\"12\" height=\"10\" fill=\"" +
         model_color(models[m]) + "\"/><text x=\"" + detail::fixed(lx + 18, 1) + "\" y=\"" + detail::fixed(y + 9, 1) +
         "\" fill=\"#333\">" + model_name(models[m]) + "</text>\n";
  }
  return s + "</svg>\n";
}

// Money: the money table (money.hpp) as it is. A table and no chart: the ratios of touchpoints whose spend
// differs by orders of magnitude share no useful scale.
std::string money_section(const AttributionResult& r, const Spend& spend, const AttributionOptions& options) {
  const Table t = money_table(r, spend);
  std::string s = "<section id=\"money\"><h2>Money</h2>\n";
  std::vector<Col> cols{{"model", "model", Fmt::text},
                        {"touchpoint", "touchpoint", Fmt::text},
                        {"spend", "spend", Fmt::number},
                        {"conversions", "conversions", Fmt::number},
                        {"value", "value", Fmt::number},
                        {"cost_per_conversion", "cost per conversion", Fmt::number},
                        {"roas", "ROAS", Fmt::number}};
  const bool intervals = t.find("roas_lower").has_value();
  if (intervals) {
    cols.push_back({"roas_lower", "ROAS lower", Fmt::number});
    cols.push_back({"roas_upper", "ROAS upper", Fmt::number});
  }
  cols.push_back({"status", "status", Fmt::text});
  s += html_table(t, cols, 0, "money");
  std::string text =
      "Spend per touchpoint next to each model's credit: cost per conversion = spend / credited conversions, "
      "ROAS = credited value / spend (\"-\" where the denominator is 0). Status no_credit: spend without credited "
      "conversions; no_spend: credit without spend.";
  if (intervals)
    text += " ROAS lower / upper: " + detail::fixed(100 * options.bootstrap.confidence, 0) +
            " % bootstrap percentile intervals over " + std::to_string(options.bootstrap.replicates) +
            " resamples of the journeys, spend held fixed.";
  else
    text += " Ask for a bootstrap for intervals.";
  s += note(text);
  return s + "</section>\n";
}

std::string model_comparison_section(const JourneyMap& map, const AttributionOptions& options,
                                     const std::optional<Spend>& spend, const Execution& exec) {
  std::string s = "<section id=\"models\"><h2>Model comparison</h2>\n";
  if (map.journeys().total_conversions() <= 0) {
    const std::string none = note("The journeys have no conversions: there is nothing to attribute.");
    s += none + "</section>\n";
    if (spend) s += "<section id=\"money\"><h2>Money</h2>\n" + none + "</section>\n";
    return s;
  }
  const AttributionResult r = attribute(map.journeys(), options, exec);
  if (r.models.empty()) throw InvalidArgument("report: the model comparison needs at least one model");
  const std::size_t T = r.touchpoints.size(), M = r.models.size();
  // The baseline of the percent changes is the core's default (last_touch when computed, else the first model).
  const ModelAttribution& base = *r.find(default_baseline(r));
  // Touchpoints by the baseline's credit, largest first (ties by name); the rest become "other".
  std::vector<std::size_t> order(T);
  for (std::size_t t = 0; t < T; ++t) order[t] = t;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return base.conversions[a] > base.conversions[b]; });
  const std::size_t shown = std::min<std::size_t>(T, 10);
  std::vector<std::string> rows;
  for (std::size_t i = 0; i < shown; ++i) rows.push_back(detail::shorten(r.touchpoints[order[i]], 28));
  if (T > shown) rows.push_back("other (" + std::to_string(T - shown) + ")");
  std::vector<AttributionModel> models;
  std::vector<std::vector<double>> credit(M), lower(M), upper(M);
  for (std::size_t m = 0; m < M; ++m) {
    const ModelAttribution& a = r.models[m];
    models.push_back(a.model);
    double other = 0;
    for (std::size_t i = shown; i < T; ++i) other += a.conversions[order[i]];
    for (std::size_t i = 0; i < shown; ++i) credit[m].push_back(a.conversions[order[i]]);
    if (T > shown) credit[m].push_back(other);
    if (a.conversions_interval) {
      for (std::size_t i = 0; i < shown; ++i) {
        lower[m].push_back(a.conversions_interval->lower[order[i]]);
        upper[m].push_back(a.conversions_interval->upper[order[i]]);
      }
      if (T > shown) lower[m].push_back(std::nan("")), upper[m].push_back(std::nan(""));  // intervals do not add
    }
  }
  s += "<div class=\"figure\">" + model_bars_svg(rows, models, credit, lower, upper) + "</div>\n";

  // The table: every touchpoint, each model's credit (with its interval) and its change against the baseline.
  s += "<div class=\"scroll\"><table class=\"sortable models\"><thead><tr><th title=\"sort\">touchpoint</th>";
  for (std::size_t m = 0; m < M; ++m) {
    const std::string name = model_name(models[m]);
    s += "<th class=\"num\" title=\"sort\">" + name + "</th>";
    if (!lower[m].empty())
      s += "<th class=\"num\" title=\"sort\">" + name + " lower</th><th class=\"num\" title=\"sort\">" + name +
           " upper</th>";
    if (models[m] != base.model)
      s += "<th class=\"num\" title=\"sort\">" + name + " vs " + model_name(base.model) + "</th>";
  }
  s += "</tr></thead><tbody>\n";
  auto num = [](double x, const std::string& text) {
    return "<td class=\"num\" data-v=\"" + detail::json_number(x) + "\">" + xml_escape(text) + "</td>";
  };
  for (std::size_t i = 0; i < T; ++i) {
    const std::size_t t = order[i];
    s += "<tr><td>" + xml_escape(r.touchpoints[t]) + "</td>";
    for (std::size_t m = 0; m < M; ++m) {
      const ModelAttribution& a = r.models[m];
      s += num(a.conversions[t], detail::fixed(a.conversions[t], 1));
      if (a.conversions_interval)
        s += num(a.conversions_interval->lower[t], detail::fixed(a.conversions_interval->lower[t], 1)) +
             num(a.conversions_interval->upper[t], detail::fixed(a.conversions_interval->upper[t], 1));
      if (a.model != base.model) {
        const double b = base.conversions[t];
        const double change = b > 0 ? 100 * (a.conversions[t] - b) / b : std::nan("");
        s += num(change, std::isfinite(change) ? (change > 0 ? "+" : "") + detail::fixed(change, 1) + " %" : "-");
      }
    }
    s += "</tr>\n";
  }
  s += "</tbody></table></div>\n";
  std::string text = "Conversions credited to each touchpoint by " + std::to_string(M) + " models; " +
                     model_name(base.model) + " is the baseline of the percent changes (\"-\" where it gives no credit).";
  if (r.bootstrap)
    text += " Error bars and lower / upper: " + detail::fixed(100 * options.bootstrap.confidence, 0) +
            " % bootstrap percentile intervals over " + std::to_string(options.bootstrap.replicates) +
            " resamples of the journeys (seed " + std::to_string(options.bootstrap.seed) + ").";
  else
    text += " Ask for a bootstrap for intervals.";
  s += note(text);
  s += "</section>\n";
  if (spend) s += money_section(r, *spend, options);
  return s;
}

// Conversion paths: where in the converting journeys each touchpoint works (its linear share of each
// conversion, by the touch's place: first touch of a longer journey = early, last touch = last, the others =
// middle; a one-touch journey's touch is its last), how many touches converting journeys take, and the paths
// that bring the most conversions.
std::string conversion_paths_section(const JourneyMap& map, std::size_t top_paths) {
  const JourneySet& js = map.journeys();
  std::string s = "<section id=\"conversion-paths\"><h2>Conversion paths</h2>\n";
  if (js.total_conversions() <= 0)
    return s + note("The journeys have no conversions: there are no conversion paths.") + "</section>\n";
  const std::size_t T = js.touchpoints().size();
  std::vector<std::array<double, 3>> phase(T, std::array<double, 3>{});  // early, middle, last
  constexpr std::size_t kMaxTouches = 10;                                 // 10 and more share the last bar
  std::vector<double> touches(kMaxTouches, 0.0);
  std::unordered_map<std::string, std::pair<double, std::size_t>> by_path;  // conversions, touches
  for (std::size_t j = 0; j < js.size(); ++j) {
    const double c = js.conversions(j);
    const auto path = js.path(j);
    if (c <= 0 || path.size() == 0) continue;
    const std::size_t n = path.size();
    for (std::size_t i = 0; i < n; ++i) phase[path[i]][i + 1 == n ? 2 : i == 0 ? 0 : 1] += c / double(n);
    touches[std::min(n, kMaxTouches) - 1] += c;
    auto& p = by_path[js.path_string(j)];
    p.first += c;
    p.second = n;
  }
  std::vector<std::size_t> order(T);
  for (std::size_t t = 0; t < T; ++t) order[t] = t;
  auto total = [&](std::size_t t) { return phase[t][0] + phase[t][1] + phase[t][2]; };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return total(a) > total(b); });

  // Stacked bars: early / middle / last credit of the touchpoints with the most credit.
  const std::size_t shown = std::min<std::size_t>(T, 12);
  std::size_t longest = 0;
  for (std::size_t i = 0; i < shown; ++i)
    longest = std::max(longest, detail::utf8_length(detail::shorten(js.touchpoints().name(order[i]), 28)));
  const double row = 20, label_w = std::max(100.0, 6.5 * double(longest) + 14), bar_w = 380, top = 24;
  const double width = label_w + bar_w + 70, height = top + row * double(shown) + 8;
  const char* colors[3] = {"#56B4E9", "#999999", "#0072B2"};
  const char* names[3] = {"early", "middle", "last"};
  double vmax = 0;
  for (std::size_t i = 0; i < shown; ++i) vmax = std::max(vmax, total(order[i]));
  s += "<div class=\"figure\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + detail::fixed(width, 0) +
       "\" height=\"" + detail::fixed(height, 0) + "\" viewBox=\"0 0 " + detail::fixed(width, 0) + " " +
       detail::fixed(height, 0) + "\" role=\"img\" aria-label=\"credit by place in the converting journeys\" "
       "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n";
  for (int k = 0; k < 3; ++k)
    s += "<rect x=\"" + detail::fixed(label_w + 90.0 * k, 1) + "\" y=\"4\" width=\"12\" height=\"10\" fill=\"" + colors[k] +
         "\"/><text x=\"" + detail::fixed(label_w + 90.0 * k + 17, 1) + "\" y=\"13\" fill=\"#333\">" + names[k] +
         " touch</text>";
  s += "\n";
  for (std::size_t i = 0; i < shown; ++i) {
    const std::size_t t = order[i];
    const double y = top + row * double(i);
    s += "<text x=\"" + detail::fixed(label_w - 6, 1) + "\" y=\"" + detail::fixed(y + 13, 1) +
         "\" text-anchor=\"end\" fill=\"#333\">" + xml_escape(detail::shorten(js.touchpoints().name(t), 28)) + "</text>";
    double x = label_w;
    for (int k = 0; k < 3; ++k) {
      const double w = vmax > 0 ? bar_w * phase[t][k] / vmax : 0;
      s += "<rect x=\"" + detail::fixed(x, 1) + "\" y=\"" + detail::fixed(y + 3, 1) + "\" width=\"" + detail::fixed(w, 1) +
           "\" height=\"14\" fill=\"" + colors[k] + "\"><title>" + xml_escape(js.touchpoints().name(t)) + ", " + names[k] +
           " touch: " + detail::fixed(phase[t][k], 1) + " conversions</title></rect>";
      x += w;
    }
    s += "<text x=\"" + detail::fixed(x + 5, 1) + "\" y=\"" + detail::fixed(y + 13, 1) + "\" fill=\"#555\">" +
         detail::human_count(total(t)) + "</text>\n";
  }
  s += "</svg></div>\n";
  s += "<div class=\"scroll\"><table class=\"sortable conversion-phases\"><thead><tr><th title=\"sort\">touchpoint</th>"
       "<th class=\"num\" title=\"sort\">early</th><th class=\"num\" title=\"sort\">middle</th>"
       "<th class=\"num\" title=\"sort\">last</th><th class=\"num\" title=\"sort\">total</th>"
       "<th class=\"num\" title=\"sort\">share last</th></tr></thead><tbody>\n";
  auto num = [](double x, const std::string& text) {
    return "<td class=\"num\" data-v=\"" + detail::json_number(x) + "\">" + xml_escape(text) + "</td>";
  };
  for (std::size_t t : order) {
    if (total(t) <= 0) continue;
    s += "<tr><td>" + xml_escape(js.touchpoints().name(t)) + "</td>";
    for (int k = 0; k < 3; ++k) s += num(phase[t][k], detail::fixed(phase[t][k], 1));
    s += num(total(t), detail::fixed(total(t), 1)) + num(phase[t][2] / total(t), detail::percent(phase[t][2] / total(t)));
    s += "</tr>\n";
  }
  s += "</tbody></table></div>\n";
  s += note("Each conversion is shared equally among the touches of its journey (linear), and each share is filed by "
            "the touch's place: the first touch of a journey of two or more touches is early, the last touch is last "
            "(a one-touch journey's touch is its last), the others are middle.");

  s += "<div class=\"cols\"><div><h3>Touches to conversion</h3>\n";
  {
    std::vector<std::string> labels;
    std::vector<double> values;
    for (std::size_t k = 0; k < kMaxTouches; ++k) {
      labels.push_back(std::to_string(k + 1) + (k + 1 == kMaxTouches ? "+ touches" : k == 0 ? " touch" : " touches"));
      values.push_back(touches[k]);
    }
    while (labels.size() > 1 && values.back() == 0) labels.pop_back(), values.pop_back();
    s += "<div class=\"figure\">" + bars_svg(labels, values, "#009E73", "conversions by touches to conversion") + "</div>\n";
  }
  s += "</div><div><h3>Top converting paths</h3>\n";
  std::vector<std::pair<std::string, std::pair<double, std::size_t>>> paths(by_path.begin(), by_path.end());
  std::sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) {
    return a.second.first != b.second.first ? a.second.first > b.second.first : a.first < b.first;
  });
  if (paths.size() > top_paths) paths.resize(top_paths);
  s += "<div class=\"scroll\"><table class=\"sortable converting-paths\"><thead><tr><th title=\"sort\">path</th>"
       "<th class=\"num\" title=\"sort\">conversions</th><th class=\"num\" title=\"sort\">share of conversions</th>"
       "<th class=\"num\" title=\"sort\">touches</th></tr></thead><tbody>\n";
  for (const auto& [path, v] : paths)
    s += "<tr><td>" + xml_escape(path) + "</td>" + num(v.first, detail::human_count(v.first)) +
         num(v.first / js.total_conversions(), detail::percent(v.first / js.total_conversions())) +
         num(double(v.second), std::to_string(v.second)) + "</tr>\n";
  s += "</tbody></table></div>\n</div></div>\n";
  s += note("Days to conversion: see \"Time to conversion\" under Paths.");
  return s + "</section>\n";
}

template <class O>
O with_map_stages(O options, const JourneyMap& map) {
  if (!options.stages && map.has_stages()) options.stages = &map.stages();
  return options;
}

std::string event_funnel_section(const JourneyMap& map, const EventFunnelOptions& options, const Execution& exec) {
  const EventFunnel f = event_funnel(map.journeys(), with_map_stages(options, map), exec);
  const Table t = event_funnel_table(f);
  std::string s = "<section id=\"event-funnel\"><h2>Event funnel</h2>\n";
  std::vector<std::string> labels;
  std::vector<double> values;
  std::size_t all_rows = 0;
  for (const EventFunnelRow& r : f.rows) {
    if (r.segment != f.rows.front().segment) break;
    ++all_rows;
    const std::string l = std::to_string(r.step) + ". " + r.label;
    labels.push_back(detail::shorten(l, 28));
    values.push_back(r.reached);
  }
  s += "<div class=\"figure\">" + bars_svg(labels, values, "#0072b2", "journeys reached per funnel step") + "</div>\n";
  s += html_table(t, {{"step", "step", Fmt::integer},
                      {"label", "label", Fmt::text},
                      {"reached", "reached", Fmt::count},
                      {"step_rate", "step rate", Fmt::share},
                      {"step_rate_lower", "lower", Fmt::share},
                      {"step_rate_upper", "upper", Fmt::share},
                      {"overall_rate", "overall rate", Fmt::share},
                      {"dropped", "dropped", Fmt::count},
                      {"time_from_previous_median_s", "median time from the previous step", Fmt::duration},
                      {"time_from_previous_p90_s", "p90 time from the previous step", Fmt::duration},
                      {"time_from_entry_median_s", "median time from entry", Fmt::duration}},
                  all_rows, "event-funnel");
  s += note("Steps " + std::string(funnel_order_name(f.order)) +
            (f.window ? ", within " + detail::human_duration(*f.window) + " of the first step" : std::string()) +
            ". Step rate = reached / reached at the previous required step, with its Wilson score interval at " +
            detail::fixed(100 * f.level, 0) + " %; overall rate = reached / reached at step 1. Times are medians and "
            "90th percentiles of the journeys that reached the step.");
  return s + "</section>\n";
}

std::string path_explorer_section(const JourneyMap& map, const PathExplorerOptions& options, const Execution& exec) {
  const PathExploration p = explore_paths(map.journeys(), with_map_stages(options, map), exec);
  std::string s = "<section id=\"path-explorer\"><h2>Path explorer</h2>\n";
  std::string what = "every journey from its first touch";
  if (options.funnel) what = "the journeys between funnel steps " + std::to_string(options.from_step) + " and " +
                             (options.to_step ? std::to_string(options.to_step) : std::string("the next"));
  else if (!options.start.empty() || !options.end.empty())
    what = "the journeys" + (options.start.empty() ? std::string() : " after " + options.start) +
           (options.end.empty() ? std::string() : " before " + options.end);
  s += "<div class=\"figure\">" + sankey_svg(p.sankey, {}) + "</div>\n";
  s += note("Paths of " + what + ": " + detail::human_count(p.journeys) + " of " + detail::human_count(p.all_journeys) +
            " journeys. Each column is a step; the " + std::to_string(options.top) +
            " most common touchpoints of a step are kept and the rest merged into (other), so every column adds up "
            "to all of these journeys.");
  s += "<h3>Most common paths</h3>\n";
  s += html_table(path_variant_table(p), {{"path", "path", Fmt::text},
                                          {"journeys", "journeys", Fmt::count},
                                          {"share", "share", Fmt::share},
                                          {"cumulative_share", "cumulative", Fmt::share},
                                          {"conversions", "conversions", Fmt::count},
                                          {"conversion_rate", "conversion rate", Fmt::share}},
                  0, "path-variants");
  s += note(std::to_string(p.distinct_paths) + " distinct paths in all.");
  return s + "</section>\n";
}

std::string drivers_section(const JourneyMap& map, const DriverOptions& options, std::size_t shown,
                            const Execution& exec) {
  DriverAnalysis d = conversion_drivers(map.journeys(), with_map_stages(options, map), exec);
  const std::size_t tested = d.drivers.size();
  if (d.drivers.size() > shown) d.drivers.resize(shown);
  std::string s = "<section id=\"drivers\"><h2>Conversion drivers</h2>\n";
  s += "<div class=\"figure\">" + forest_svg(d.drivers, d.level) + "</div>\n";
  s += html_table(driver_table(d), {{"feature", "feature", Fmt::text},
                                    {"support", "journeys with it", Fmt::count},
                                    {"rate_with", "rate with", Fmt::share},
                                    {"rate_without", "rate without", Fmt::share},
                                    {"odds_ratio", "odds ratio", Fmt::number},
                                    {"odds_ratio_lower", "lower", Fmt::number},
                                    {"odds_ratio_upper", "upper", Fmt::number},
                                    {"q_value", "q", Fmt::prob},
                                    {"mh_odds_ratio", "MH odds ratio", Fmt::number},
                                    {"confounded", "explained by length", Fmt::boolean}},
                  0, "drivers");
  s += note("The " + std::to_string(d.drivers.size()) + " strongest of " + std::to_string(tested) + " features tested (" +
            std::to_string(d.below_support) + " below the minimum support and " + std::to_string(d.untestable) +
            " untestable were not tested), sorted by the interval bound nearest 1. Outcome: " +
            driver_target_name(d.target) + ". Odds ratio with its Wald interval at " + detail::fixed(100 * d.level, 0) +
            " %; q = Benjamini-Hochberg q-value over all tested features (significant below " +
            detail::format_double(d.alpha) + "); MH odds ratio = Mantel-Haenszel, stratified by journey length. "
            "\"Explained by length\": significant raw, not after the adjustment.");
  return s + "</section>\n";
}

const char* kStyle = R"CSS(
:root { color-scheme: light; }
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #f5f6f8; }
header { background: #1f3b61; color: #fff; padding: 22px 32px 18px; }
header h1 { margin: 0 0 6px; font-size: 26px; }
header .sub { margin: 0; color: #c9d6ea; font-size: 13px; }
nav { background: #fff; border-bottom: 1px solid #dde1e7; padding: 8px 32px; font-size: 14px; position: sticky; top: 0; }
nav a { color: #1f3b61; margin-right: 18px; text-decoration: none; }
main { padding: 8px 32px 40px; max-width: 1500px; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
h2 { margin: 0 0 10px; font-size: 19px; color: #1f3b61; }
h3 { margin: 18px 0 8px; font-size: 15px; color: #333; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; background: none; border: none; padding: 0; }
.card { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 12px 16px; min-width: 140px; }
.card .value { font-size: 22px; font-weight: bold; color: #1f3b61; }
.card .label { font-size: 12px; color: #666; margin-top: 2px; }
.figure { overflow-x: auto; }
.figure svg { display: block; max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e9ee; text-align: left; white-space: nowrap; }
th { background: #f0f3f7; cursor: pointer; user-select: none; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:hover td { background: #f7f9fc; }
.note { color: #666; font-size: 12px; margin: 6px 0; max-width: 1000px; }
.small td.num { color: #999; }
.cols { display: flex; flex-wrap: wrap; gap: 28px; }
footer { color: #888; font-size: 12px; padding: 0 32px 30px; }
.cols > div { min-width: 0; max-width: 100%; }
nav label.segment { margin-right: 18px; color: #555; white-space: nowrap; }
nav select { font-size: 14px; max-width: 100%; }
nav .switches { display: inline; }
/* Phones: charts keep their drawn size and scroll sideways inside their card instead of shrinking to
   thumbnails; the menu is one line that scrolls. */
@media (max-width: 700px) {
  header { padding: 16px 14px 12px; }
  header h1 { font-size: 21px; }
  nav { padding: 8px 14px; overflow-x: auto; white-space: nowrap; }
  nav .switches { display: flex; flex-wrap: wrap; gap: 6px 14px; white-space: normal; margin-bottom: 6px; }
  nav label.segment { margin-right: 0; max-width: 100%; }
  nav select { max-width: 240px; }
  main { padding: 4px 8px 30px; }
  section { padding: 12px 12px; margin: 12px 0; }
  .cards { gap: 8px; }
  .card { min-width: 0; flex: 1 1 130px; padding: 10px 12px; }
  .card .value { font-size: 19px; }
  .figure svg { max-width: none; }
  .cols { gap: 0; }
  footer { padding: 0 14px 24px; }
}
)CSS";

// The segment and period menus: each shows the view whose prefix it names and sets the other menu back to
// "all" (a view holds every segment, or every period), then points the section links at that view.
const char* kSwitchScript = R"JS(
(function () {
  var selects = document.querySelectorAll('nav select.jg-switch');
  for (var s = 0; s < selects.length; s++) {
    selects[s].addEventListener('change', function () {
      var value = this.value;
      for (var o = 0; o < selects.length; o++) if (selects[o] !== this) selects[o].value = '';
      var views = document.querySelectorAll('.segment-view, .period-view');
      for (var i = 0; i < views.length; i++) views[i].hidden = views[i].getAttribute('data-prefix') !== value;
      var links = document.querySelectorAll('nav a');
      for (var j = 0; j < links.length; j++) links[j].setAttribute('href', '#' + value + links[j].getAttribute('data-id'));
    });
  }
})();
)JS";

const char* kScript = R"JS(
(function () {
  var heads = document.querySelectorAll('table.sortable th');
  for (var h = 0; h < heads.length; h++) {
    heads[h].addEventListener('click', function () {
      var th = this, table = th.parentNode.parentNode.parentNode, body = table.tBodies[0];
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var ascending = th.getAttribute('data-dir') !== 'asc';
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (x, y) {
        var a = x.cells[index], b = y.cells[index];
        var va = a.getAttribute('data-v'), vb = b.getAttribute('data-v');
        var k = (va !== null && vb !== null) ? (parseFloat(va) || 0) - (parseFloat(vb) || 0)
                                             : a.textContent.localeCompare(b.textContent);
        return ascending ? k : -k;
      });
      th.setAttribute('data-dir', ascending ? 'asc' : 'desc');
      for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
    });
  }
})();
)JS";

}  // namespace

const char* model_color(AttributionModel model) {
  // Okabe & Ito (2008), then Paul Tol's muted palette: distinguishable with the common colour-vision deficiencies.
  static const char* const kColors[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                                        "#F0E442", "#000000", "#882255", "#44AA99", "#999933", "#AA4499",
                                        "#CC6677", "#332288", "#117733", "#DDCC77"};
  const auto all = all_models();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] == model) return kColors[i % (sizeof(kColors) / sizeof(kColors[0]))];
  return "#777777";
}

namespace {

// Everything inside <main> for one map: the whole page, or (view = "segment" or "period") one view of it.
std::string report_body(const JourneyMap& map, const ReportOptions& options, const Execution& exec,
                        const char* view = nullptr) {
  const JourneySet& js = map.journeys();
  const MarkovModel& model = map.model();
  const JourneyGraph& g = map.graph();
  const std::vector<std::string>& stages = map.stages().stages();
  const PathAnalysis paths = map.paths({options.top_paths, options.top_paths}, exec);
  const std::vector<PainPoint> pains = map.pain_points(options.pain);
  const double journeys = g.journeys();
  std::string s;
  s += "<section class=\"cards\">\n";
  s += card(detail::human_count(journeys), "journeys");
  s += card(detail::human_count(js.total_conversions()), "conversions");
  s += card(detail::percent(journeys > 0 ? js.total_conversions() / journeys : 0), "conversion rate (observed)");
  s += card(detail::fixed(model.conversion_probability(), 4), "P(conversion) of the chain");
  s += card(std::to_string(paths.distinct_paths), "distinct paths");
  if (paths.time_to_conversion.count > 0)
    s += card(detail::human_duration(paths.time_to_conversion.median), "median time to conversion");
  if (js.total_value() > 0) s += card(detail::human_count(js.total_value()), "conversion value");
  s += "</section>\n";

  s += "<section id=\"graph\"><h2>Journey graph</h2>\n<div class=\"figure\">" + graph_svg(map, {}) + "</div>\n";
  s += note(std::string("Columns are ") + (map.has_stages() ? "the stages, left to right" : "the typical position in the journeys (the median step of each touchpoint)") +
            ". Edge width is the number of transitions; the heaviest edges are drawn. Hover a node or an edge for its figures." +
            (g.has_timestamps() ? " Edge tooltips give the median and 90th percentile time between the two touches." : ""));
  const Table edges = sort_rows(edge_table(g), "count");  // heaviest first
  s += "<h3>Heaviest edges</h3>\n" +
       html_table(edges, {{"source", "from", Fmt::text}, {"target", "to", Fmt::text}, {"count", "transitions", Fmt::count},
                                  {"probability", "probability", Fmt::prob}, {"time_median_s", "median time", Fmt::duration},
                                  {"time_p90_s", "p90 time", Fmt::duration}},
                  40) +
       note("The 40 heaviest of " + std::to_string(g.edges().size()) +
            " edges; every edge is in the JSON, DOT and GraphML exports.") + "</section>\n";

  s += "<section id=\"funnel\"><h2>Funnel</h2>\n";
  std::string flows;
  if (map.has_stages()) {
    const Funnel f = map.funnel(options.funnel, exec);
    s += "<div class=\"figure\">" + funnel_svg(f, {}) + "</div>\n";
    s += html_table(funnel_table(f), {{"stage", "stage", Fmt::text},
                                      {"journeys", "reached", Fmt::count},
                                      {"entered_first", "entered here first", Fmt::count},
                                      {"advanced_share", "advanced", Fmt::share},
                                      {"converted_share", "converted", Fmt::share},
                                      {"dropped_share", "dropped", Fmt::share},
                                      {"step_rate", "from the previous stage", Fmt::share},
                                      {"time_from_previous_median_s", "median time from the previous stage",
                                       Fmt::duration},
                                      {"moves_forward", "moves forward", Fmt::count},
                                      {"moves_skipping", "skipping moves", Fmt::count},
                                      {"moves_backward", "backward moves", Fmt::count},
                                      {"skipped_over", "skipped over", Fmt::count},
                                      {"time_in_stage_median_s", "median time in stage", Fmt::duration}});
    {
      std::string text = "Of the journeys that reached a stage: advanced = touched a later stage afterwards; converted = did "
                         "not advance and converted; dropped = neither.";
      for (const ColumnNote& n : funnel_notes(f))
        if (n.column == "(journeys)" || n.column == "step_rate" || n.column == "time_from_previous" ||
            n.column == "time_in_stage")
          text += " " + (n.column == "(journeys)" ? std::string("The funnel") : n.column) + ": " + n.definition + ".";
      s += note(text);
    }
    // Stage-to-stage flow matrix.
    const std::size_t S = f.stages.size();
    s += "<h3>Stage-to-stage flows</h3>\n<div class=\"scroll\"><table><thead><tr><th>from \\ to</th>";
    for (const auto& st : f.stages) s += "<th class=\"num\">" + xml_escape(st) + "</th>";
    s += "<th class=\"num\">conversion</th><th class=\"num\">no conversion</th></tr></thead><tbody>\n";
    for (std::size_t r = 0; r <= S; ++r) {
      s += "<tr><td>" + xml_escape(r == 0 ? std::string("(start)") : f.stages[r - 1]) + "</td>";
      for (std::size_t c = 0; c < S + 2; ++c) s += "<td class=\"num\">" + detail::human_count(f.flow[r * (S + 2) + c]) + "</td>";
      s += "</tr>\n";
    }
    s += "</tbody></table></div>\n";
    s += note("Consecutive touches from a stage (row) to a stage (column); the diagonal counts moves within a stage.");
  } else {
    s += note("No stages were given, so there is no funnel. Give a stages file (touchpoint,stage) to see one.");
  }
  s += "</section>\n";

  s += "<section id=\"flows\"><h2>Flows step by step</h2>\n";
  SankeyOptions so = options.sankey;
  if (!map.has_stages()) so.by_stage = false;
  s += "<div class=\"figure\">" + sankey_svg(map.sankey(so, exec), {}) + "</div>\n";
  s += note(std::string("Each column is a step of the journeys (runs of the same ") + (so.by_stage ? "stage" : "touchpoint") +
            " are one step); journeys longer than " + std::to_string(so.max_steps) + " steps continue off the chart.");
  s += "</section>\n";

  s += "<section id=\"pain\"><h2>Pain points</h2>\n";
  s += html_table(pain_point_table(pains, stages),
                  {{"rank", "#", Fmt::integer},
                   {"touchpoint", "touchpoint", Fmt::text},
                   {"stage", "stage", Fmt::text},
                   {"journeys", "journeys", Fmt::count},
                   {"exits", "exits observed", Fmt::count},
                   {"unconverted_exit_share", "ends unconverted right after", Fmt::share},
                   {"conversion_probability", "P(conversion | here)", Fmt::share},
                   {"drop_offs", "drop-offs (chain)", Fmt::count},
                   {"removal_effect", "removal effect", Fmt::share},
                   {"conversions_at_risk", "conversions at risk", Fmt::count}},
                  options.pain_points);
  {
    std::string text = std::string("Ranked by ") + pain_ranking_name(options.pain.rank_by) + ".";
    for (const ColumnNote& n : pain_point_notes()) text += " " + n.column + ": " + n.definition + ".";
    s += note(text);
  }
  s += "</section>\n";

  s += "<section id=\"attribution\"><h2>Attribution</h2>\n";
  if (js.total_conversions() > 0) {
    const AttributionResult a = map.attribution();
    std::vector<Col> cols{{"touchpoint", "touchpoint", Fmt::text}, {"removal_effect", "removal effect", Fmt::number}};
    for (const auto& m : a.models) cols.push_back({model_name(m.model), model_name(m.model), Fmt::count});
    // Rows by Markov credit, largest first.
    const Table sorted = sort_rows(attribution_table(a), model_name(a.models[0].model));
    const auto& names = std::get<std::vector<std::string>>(sorted.columns[*sorted.find("touchpoint")]);
    const std::size_t credit = *sorted.find(model_name(a.models[0].model));
    std::vector<std::string> labels;
    std::vector<double> values;
    for (std::size_t i = 0; i < std::min<std::size_t>(names.size(), 15); ++i) {
      labels.push_back(detail::shorten(names[i], 24));
      values.push_back(sorted.number(credit, i));
    }
    s += "<div class=\"figure\">" + bars_svg(labels, values, "#4a6fa5", "Markov attribution") + "</div>\n";
    s += html_table(sorted, cols);
    s += note("Conversions credited to each touchpoint: exact Markov removal effects (order " +
              std::to_string(model.order()) + ") next to first-touch, last-touch and linear.");
  } else {
    s += note("The journeys have no conversions: there is nothing to attribute.");
  }
  s += "</section>\n";

  s += "<section id=\"paths\"><h2>Paths</h2>\n<h3>Most common paths</h3>\n";
  s += html_table(variant_table(paths), {{"path", "path", Fmt::text}, {"journeys", "journeys", Fmt::count},
                                         {"conversions", "conversions", Fmt::count},
                                         {"conversion_rate", "conversion rate", Fmt::share},
                                         {"share", "share", Fmt::share}, {"cumulative_share", "cumulative", Fmt::share}});
  s += note(std::to_string(paths.distinct_paths) + " distinct paths in all.");
  s += "<h3>Most probable paths to conversion (chain)</h3>\n";
  if (paths.most_probable.empty()) s += note("The chain has no path to conversion.");
  else
    s += html_table(probable_path_table(paths), {{"rank", "#", Fmt::integer}, {"path", "path", Fmt::text},
                                                 {"probability", "probability", Fmt::prob}}) +
         note("Loop-free paths from the start to conversion by probability (product of the transition probabilities), "
              "found by a k-shortest-path search on -log p.");
  s += "<div class=\"cols\"><div><h3>Path length</h3>\n";
  {
    std::vector<std::string> labels;
    std::vector<double> values;
    for (const auto& b : paths.lengths) {
      if (labels.size() == 15) break;
      labels.push_back(std::to_string(b.length) + (b.length == 1 ? " touch" : " touches"));
      values.push_back(b.journeys);
    }
    s += "<div class=\"figure\">" + bars_svg(labels, values, "#7c8aa3", "journeys by path length") + "</div>\n";
  }
  s += "</div><div><h3>Time to conversion</h3>\n";
  if (paths.time_to_conversion.count > 0) {
    std::vector<std::string> labels;
    std::vector<double> values;
    for (const auto& b : paths.time_to_conversion_bins) {
      labels.push_back(b.label);
      values.push_back(b.weight);
    }
    s += "<div class=\"figure\">" + bars_svg(labels, values, "#2e9d5b", "conversions by time to conversion") +
         "</div>\n";
    s += note("First to last touch of converting journeys: median " +
              detail::human_duration(paths.time_to_conversion.median) + ", mean " +
              detail::human_duration(paths.time_to_conversion.mean) + ", 90th percentile " +
              detail::human_duration(paths.time_to_conversion.p90) + ".");
  } else {
    s += note("The journeys have no timestamps.");
  }
  s += "</div></div>\n</section>\n";
  s += conversion_paths_section(map, options.top_paths);
  const ReportSections& extra = options.sections;
  // A requested section that fails in a view (e.g. an event funnel whose first step never occurs in that month)
  // is left out of that view with a note naming it and the reason; the view's other sections stay. On the
  // whole data its error is the report's.
  using Sections = std::vector<std::pair<const char*, const char*>>;  // id, title
  auto requested = [&](const Sections& sections, auto&& make) {
    if (!view) {
      s += make();
      return;
    }
    try {
      s += make();
    } catch (const Interrupted&) {
      throw;  // a cancelled report stops, in a view as on the whole data
    } catch (const Error& e) {
      for (const auto& [id, title] : sections)
        s += std::string("<section id=\"") + id + "\"><h2>" + title + "</h2>\n" +
             note(std::string("The section ") + title + " is left out for this " + view + ": " + e.what()) +
             "</section>\n";
    }
  };
  if (extra.model_comparison) {
    Sections ids{{"models", "Model comparison"}};
    if (extra.spend) ids.push_back({"money", "Money"});
    requested(ids, [&] { return model_comparison_section(map, *extra.model_comparison, extra.spend, exec); });
  }
  if (extra.event_funnel)
    requested({{"event-funnel", "Event funnel"}}, [&] { return event_funnel_section(map, *extra.event_funnel, exec); });
  if (extra.path_explorer)
    requested({{"path-explorer", "Path explorer"}},
              [&] { return path_explorer_section(map, *extra.path_explorer, exec); });
  if (extra.drivers) {
    if (extra.drivers_shown == 0) throw InvalidArgument("report: drivers_shown must be at least 1");
    requested({{"drivers", "Conversion drivers"}},
              [&] { return drivers_section(map, *extra.drivers, extra.drivers_shown, exec); });
  }
  return s;
}

// Ids inside a segment's view get the view's prefix, so that every id of the page stays unique.
std::string prefix_ids(const std::string& html, const std::string& prefix) {
  std::string out;
  out.reserve(html.size() + html.size() / 50);
  for (std::size_t i = 0; i < html.size();) {
    if (html.compare(i, 5, " id=\"") == 0) {
      out += " id=\"" + prefix;
      i += 5;
    } else if (html.compare(i, 5, "url(#") == 0) {
      out += "url(#" + prefix;
      i += 5;
    } else {
      out += html[i++];
    }
  }
  return out;
}

}  // namespace

std::string report_html(const JourneyMap& map, const ReportOptions& options, const Execution& exec) {
  if (options.sections.spend && !options.sections.model_comparison)
    throw InvalidArgument("report: spend adds the section Money to the model comparison; ask for the comparison too "
                          "(--models, or models= in Python)");
  const JourneySet& js = map.journeys();
  const MarkovModel& model = map.model();
  const JourneyGraph& g = map.graph();
  const std::vector<std::string>& stages = map.stages().stages();
  const double journeys = g.journeys();

  std::string s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                  xml_escape(options.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  s += "<header><h1>" + xml_escape(options.title) + "</h1><p class=\"sub\">journeygraph " + version_string() +
       " \xC2\xB7 order-" + std::to_string(model.order()) + " Markov chain, solved exactly \xC2\xB7 " +
       detail::human_count(journeys) + " journeys over " + std::to_string(g.touchpoint_count()) + " touchpoints" +
       (map.has_stages() ? " and " + std::to_string(stages.size()) + " stages" : std::string()) + "</p></header>\n";
  std::vector<std::pair<const char*, const char*>> menu{{"graph", "Graph"},         {"funnel", "Funnel"},
                                                        {"flows", "Flows"},         {"pain", "Pain points"},
                                                        {"attribution", "Attribution"}, {"paths", "Paths"},
                                                        {"conversion-paths", "Conversion paths"}};
  if (options.sections.model_comparison) menu.push_back({"models", "Models"});
  if (options.sections.model_comparison && options.sections.spend) menu.push_back({"money", "Money"});
  if (options.sections.event_funnel) menu.push_back({"event-funnel", "Event funnel"});
  if (options.sections.path_explorer) menu.push_back({"path-explorer", "Path explorer"});
  if (options.sections.drivers) menu.push_back({"drivers", "Drivers"});
  const bool segment_menu = options.segment_switch && js.has_segments() && js.segments().size() > 1;
  std::vector<ReportPeriod> periods;
  std::vector<std::string> empty_periods;
  if (options.period_switch) periods = report_periods(js, *options.period_switch, &empty_periods);
  const bool period_menu = options.period_switch.has_value();
  const bool switching = segment_menu || period_menu;
  s += "<nav>";
  if (switching) s += "<div class=\"switches\">";
  if (segment_menu) {
    s += "<label class=\"segment\">Segment <select id=\"jg-segment\" class=\"jg-switch\"><option value=\"\">all</option>";
    for (std::uint32_t k = 0; k < js.segments().size(); ++k)
      s += "<option value=\"s" + std::to_string(k) + "-\">" + xml_escape(js.segments().name(k)) + "</option>";
    s += "</select></label>";
  }
  if (period_menu) {
    s += "<label class=\"segment\">Period <select id=\"jg-period\" class=\"jg-switch\"><option value=\"\">all</option>";
    for (std::size_t k = 0; k < periods.size(); ++k)
      s += "<option value=\"p" + std::to_string(k) + "-\">" + xml_escape(periods[k].label) + "</option>";
    s += "</select></label>";
  }
  if (switching) s += "</div>";
  for (const auto& [id, label] : menu)
    s += std::string("<a href=\"#") + id + "\" data-id=\"" + id + "\">" + label + "</a>";
  s += "</nav>\n<main>\n";
  if (period_menu && !empty_periods.empty()) {
    std::string text = std::to_string(empty_periods.size()) + (empty_periods.size() == 1 ? " period" : " periods") +
                       " without journeys left out of the period menu:";
    for (std::size_t k = 0; k < empty_periods.size(); ++k) text += (k ? ", " : " ") + empty_periods[k];
    s += "<section id=\"report-notes\">" + note(text + ".") + "</section>\n";
  }
  if (!switching) {
    s += report_body(map, options, exec);
  } else {
    // Each view is made here, in full, so that switching needs no network and no computation: a few lines of
    // script show one view and point the menu at its sections.
    s += std::string("<div class=\"") + (segment_menu ? "segment-view" : "period-view") + "\" data-prefix=\"\">\n" +
         report_body(map, options, exec) + "</div>\n";
    auto view_of = [&](JourneySet subset, const std::string& prefix, const char* what) {
      try {
        const JourneyMap part(std::move(subset), map.stages(), map.options(), exec);
        return prefix_ids(report_body(part, options, exec, what), prefix);
      } catch (const Interrupted&) {
        throw;
      } catch (const Error& e) {
        return "<section>" + note(std::string("No report for this ") + what + ": " + e.what()) + "</section>\n";
      }
    };
    if (segment_menu)
      for (std::uint32_t k = 0; k < js.segments().size(); ++k) {
        const std::string prefix = "s" + std::to_string(k) + "-";
        s += "<div class=\"segment-view\" data-prefix=\"" + prefix + "\" hidden>\n" +
             view_of(js.segment_subset(k), prefix, "segment") + "</div>\n";
      }
    for (std::size_t k = 0; k < periods.size(); ++k) {
      const std::string prefix = "p" + std::to_string(k) + "-";
      s += "<div class=\"period-view\" data-prefix=\"" + prefix + "\" hidden>\n" +
           view_of(period_subset(js, periods[k]), prefix, "period") + "</div>\n";
    }
  }

  s += "</main>\n";
  s += "<footer>Made by journeygraph " + std::string(version_string()) +
       ". Every probability on this page comes from solving the fitted Markov chain exactly (no simulation). "
       "This page is self-contained and works offline.</footer>\n";
  s += std::string("<script>") + kScript + (switching ? kSwitchScript : "") + "</script>\n</body>\n</html>\n";
  return s;
}

}  // namespace journeygraph
