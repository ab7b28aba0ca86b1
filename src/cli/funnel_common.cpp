#include "funnel_common.hpp"

#include <iostream>

#include "common.hpp"
#include "map_common.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

void add_funnel_options(Args& a, bool required) {
  const jg::EventFunnelOptions d;
  a.section(required ? "funnel" : "funnel (paths between two of its steps)")
      .option("steps", "LIST",
              "comma-separated steps: NAME, A|B, pattern_*, stage:NAME, (conversion); NAME@7d = within 7 days of "
              "the previous step, NAME? = optional")
      .option("order", "MODE", "ordered (others may come between), strict (nothing between) or unordered",
              jg::funnel_order_name(d.order))
      .option("window", "DURATION", "conversion window from the first step, e.g. 7d, 12h (needs timestamps)",
              "none")
      .option("exclude", "LIST",
              "';'-separated exclusions NAME|NAME[:FROM-TO]: touching one between those steps drops the attempt")
      .flag("by-segment", "rows per segment, each step rate tested against the other segments (Holm)")
      .option("level", "X", "level of the Wilson intervals", jg::format_number(d.level))
      .option("alpha", "X", "significance level of the segment tests", jg::format_number(d.alpha));
}

std::optional<double> duration_option(const Args& a, const std::string& name) {
  auto v = a.maybe(name);
  if (!v) return std::nullopt;
  return parse_option(name, *v, [](const std::string& s) { return jg::parse_duration(s); });
}

std::optional<jg::EventFunnelOptions> funnel_options(const Args& a, const jg::StageMap* stages) {
  auto steps = a.maybe("steps");
  if (!steps) {
    for (const char* o : {"order", "window", "exclude", "by-segment"})
      if (a.has(o)) throw UsageError(std::string("--") + o + " needs --steps");
    return std::nullopt;
  }
  jg::EventFunnelOptions o;
  for (const auto& s : split_list(*steps))
    o.steps.push_back(parse_option("steps", s, [](const std::string& t) { return jg::parse_funnel_step(t); }));
  if (o.steps.empty()) throw UsageError("--steps is empty");
  if (auto m = a.maybe("order"))
    o.order = parse_option("order", *m, [](const std::string& t) { return jg::parse_funnel_order(t); });
  o.window = duration_option(a, "window");
  if (auto e = a.maybe("exclude"))
    for (const auto& x : split_list(*e, ';'))
      o.exclusions.push_back(
          parse_option("exclude", x, [](const std::string& t) { return jg::parse_funnel_exclusion(t); }));
  o.stages = stages;
  o.by_segment = a.has("by-segment");
  o.level = a.get_double("level", o.level);
  o.alpha = a.get_double("alpha", o.alpha);
  return o;
}

AnalysisInput load_analysis_input(const Args& a, const std::string& file) {
  AnalysisInput in{load_stages(a), execution(a), {}};
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  in.journeys = clean_journeys(a, std::move(js));
  return in;
}

void add_cleaning_options(Args& a) {
  a.section("cleaning (applied before the analysis)")
      .option("clean", "FILE", "CSV of rules: action (alias, group, drop), pattern, replacement")
      .flag("collapse-repeats", "merge runs of the same (cleaned) touchpoint into one touch");
}

jg::JourneySet clean_journeys(const Args& a, jg::JourneySet journeys) {
  jg::CleaningRules rules;
  if (auto f = a.maybe("clean")) rules = jg::read_cleaning_rules_csv(*f);
  if (a.has("collapse-repeats")) rules.collapse_repeats();
  if (rules.empty()) return journeys;
  jg::CleaningReport report;
  jg::JourneySet cleaned = rules.apply(journeys, &report);
  say(a, "cleaning: " + report.summary());
  return cleaned;
}

}  // namespace journeygraph::cli
