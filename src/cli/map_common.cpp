#include "cli/map_common.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/common.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

void add_stage_options(Args& a) {
  a.section("stages")
      .option("stages", "FILE", "CSV with columns touchpoint,stage: the stage of every touchpoint")
      .option("stage-order", "LIST", "comma-separated stages in funnel order (default: order of first appearance)")
      .option("other-stage", "NAME", "stage for touchpoints the stages file does not name (default: an error)");
}

jg::StageMap load_stages(const Args& a) {
  auto file = a.maybe("stages");
  if (!file) {
    if (a.has("stage-order") || a.has("other-stage"))
      throw UsageError("--stage-order and --other-stage need --stages FILE");
    return {};
  }
  jg::StageCsvOptions o;
  if (auto order = a.maybe("stage-order")) {
    o.order = split_list(*order);
    if (o.order.empty()) throw UsageError("--stage-order is empty");
  }
  return jg::read_stages_csv(*file, o);
}

jg::MapOptions map_options(const Args& a) {
  jg::MapOptions o;
  o.model = model_options(a);
  o.other_stage = a.get("other-stage", "");
  return o;
}

jg::JourneyMap load_map(const Args& a, const std::string& file) {
  jg::StageMap stages = load_stages(a);
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  return jg::JourneyMap(std::move(js), std::move(stages), map_options(a), execution(a));
}

void print_table(std::ostream& os, const jg::DataTable& t, const std::string& format) {
  if (format == "csv") {
    os << jg::to_csv(t);
    return;
  }
  if (format == "json") {
    os << jg::to_json(t);
    return;
  }
  const std::size_t rows = t.rows(), cols = t.columns.size();
  std::vector<std::vector<std::string>> cells(cols);
  std::vector<bool> numeric(cols, false);
  std::vector<std::size_t> width(cols);
  for (std::size_t c = 0; c < cols; ++c) {
    width[c] = t.names[c].size();
    if (const auto* s = std::get_if<std::vector<std::string>>(&t.columns[c])) {
      cells[c] = *s;
    } else {
      numeric[c] = true;
      const auto& v = std::get<std::vector<double>>(t.columns[c]);
      bool integral = true;
      for (double x : v)
        if (std::isfinite(x) && x != std::floor(x)) integral = false;
      for (double x : v) {
        char buf[64];
        if (!std::isfinite(x)) std::snprintf(buf, sizeof buf, "-");
        else std::snprintf(buf, sizeof buf, integral ? "%.0f" : "%.4f", x);
        cells[c].push_back(buf);
      }
    }
    for (const auto& s : cells[c]) width[c] = std::max(width[c], s.size());
  }
  auto line = [&](auto&& get) {
    for (std::size_t c = 0; c < cols; ++c) {
      const std::string s = get(c);
      const std::string pad(width[c] - std::min(width[c], s.size()), ' ');
      os << (c ? "  " : "") << (numeric[c] ? pad + s : s + pad);
    }
    os << '\n';
  };
  line([&](std::size_t c) { return t.names[c]; });
  std::size_t total = 0;
  for (auto w : width) total += w + 2;
  os << std::string(total > 2 ? total - 2 : 0, '-') << '\n';
  for (std::size_t r = 0; r < rows; ++r) line([&](std::size_t c) { return cells[c][r]; });
}

void print_funnel_summary(std::ostream& os, const jg::Funnel& f) {
  std::size_t w = 5;
  for (const auto& s : f.stages) w = std::max(w, s.size());
  char buf[512];
  std::snprintf(buf, sizeof buf, "  %-*s %10s %9s %9s %9s %9s %12s\n", int(w), "stage", "reached", "advanced", "converted",
                "dropped", "backward", "median stay");
  os << buf;
  for (const auto& r : f.rows) {
    const double n = r.journeys > 0 ? r.journeys : 1;
    const std::string stay = r.time_in_stage.count > 0 ? [&] {
      const double s = r.time_in_stage.median;
      char b[32];
      if (s < 3600) std::snprintf(b, sizeof b, "%.0f min", s / 60);
      else if (s < 86400) std::snprintf(b, sizeof b, "%.1f h", s / 3600);
      else std::snprintf(b, sizeof b, "%.1f d", s / 86400);
      return std::string(b);
    }() : std::string("-");
    std::snprintf(buf, sizeof buf, "  %-*s %10.0f %8.1f%% %8.1f%% %8.1f%% %9.0f %12s\n", int(w), r.stage.c_str(),
                  r.journeys, 100 * r.advanced / n, 100 * r.converted / n, 100 * r.dropped / n, r.moves_backward,
                  stay.c_str());
    os << buf;
  }
}

void print_pain_summary(std::ostream& os, const std::vector<jg::PainPoint>& points, const std::vector<std::string>& stages,
                        std::size_t top) {
  std::size_t w = 10;
  for (const auto& p : points) w = std::max(w, p.touchpoint.size());
  char buf[512];
  std::snprintf(buf, sizeof buf, "  %-*s %-14s %9s %9s %10s %10s %9s\n", int(w), "touchpoint", "stage", "journeys",
                "exit rate", "P(conv)", "drop-offs", "lost conv");
  os << buf;
  for (std::size_t i = 0; i < points.size() && i < top; ++i) {
    const auto& p = points[i];
    const std::string st = p.stage >= 0 && std::size_t(p.stage) < stages.size() ? stages[std::size_t(p.stage)] : "-";
    std::snprintf(buf, sizeof buf, "  %-*s %-14s %9.0f %8.1f%% %9.1f%% %10.1f %9.1f%s\n", int(w), p.touchpoint.c_str(),
                  st.c_str(), p.journeys, 100 * p.exit_rate, 100 * p.conversion_probability, p.drop_offs,
                  p.lost_conversions, p.small_sample ? "  (few journeys)" : "");
    os << buf;
  }
}

}  // namespace journeygraph::cli
