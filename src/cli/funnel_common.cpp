#include "funnel_common.hpp"

#include <iostream>

#include "common.hpp"
#include "map_common.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

void add_funnel_options(Args& a, bool required, const std::string& prefix) {
  const jg::EventFunnelOptions d;
  const std::string& p = prefix;
  a.section(!p.empty() ? "event funnel section (--" + p + "steps adds it)"
                       : required ? "funnel" : "funnel (paths between two of its steps)")
      .option(p + "steps", "LIST",
              "comma-separated steps: NAME, A|B, pattern_*, stage:NAME, (conversion); NAME@7d = within 7 days of "
              "the previous step, NAME? = optional")
      .option(p + "order", "MODE", "ordered (others may come between), strict (nothing between) or unordered",
              jg::funnel_order_name(d.order))
      .option(p + "window", "DURATION", "conversion window from the first step, e.g. 7d, 12h (needs timestamps)",
              "none")
      .option(p + "exclude", "LIST",
              "';'-separated exclusions NAME|NAME[:FROM-TO]: touching one between those steps drops the attempt")
      .flag(p + "by-segment", "rows per segment, each step rate tested against the other segments (Holm)")
      .option(p + "level", "X", "level of the Wilson intervals", jg::format_number(d.level))
      .option(p + "alpha", "X", "significance level of the segment tests", jg::format_number(d.alpha));
}

std::optional<double> duration_option(const Args& a, const std::string& name) {
  auto v = a.maybe(name);
  if (!v) return std::nullopt;
  return parse_option(name, *v, [](const std::string& s) { return jg::parse_duration(s); });
}

std::optional<jg::EventFunnelOptions> funnel_options(const Args& a, const jg::StageMap* stages,
                                                     const std::string& prefix) {
  const std::string& p = prefix;
  auto steps = a.maybe(p + "steps");
  if (!steps) {
    for (const char* o : {"order", "window", "exclude", "by-segment"})
      if (a.has(p + o)) throw UsageError("--" + p + o + " needs --" + p + "steps");
    return std::nullopt;
  }
  jg::EventFunnelOptions o;
  for (const auto& s : split_list(*steps))
    o.steps.push_back(parse_option(p + "steps", s, [](const std::string& t) { return jg::parse_funnel_step(t); }));
  if (o.steps.empty()) throw UsageError("--" + p + "steps is empty");
  if (auto m = a.maybe(p + "order"))
    o.order = parse_option(p + "order", *m, [](const std::string& t) { return jg::parse_funnel_order(t); });
  o.window = duration_option(a, p + "window");
  if (auto e = a.maybe(p + "exclude"))
    for (const auto& x : split_list(*e, ';'))
      o.exclusions.push_back(
          parse_option(p + "exclude", x, [](const std::string& t) { return jg::parse_funnel_exclusion(t); }));
  o.stages = stages;
  o.by_segment = a.has(p + "by-segment");
  o.level = a.get_double(p + "level", o.level);
  o.alpha = a.get_double(p + "alpha", o.alpha);
  return o;
}

namespace {

const char* const kPathOptions[] = {"start", "end", "max-steps", "top", "variants", "from-step", "to-step", "drop-off"};
const char* const kDriverOptions[] = {"target", "after", "features", "no-touchpoints", "kgrams", "no-before",
                                      "at-least", "min-support", "length-strata", "level", "alpha"};

std::string sizes_text(const std::vector<std::size_t>& v) {
  std::string s;
  for (std::size_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s.empty() ? "none" : s;
}

// "2,3" or "none" for --kgrams and --at-least; the core checks the values.
std::vector<std::size_t> sizes(const Args& a, const std::string& name, std::vector<std::size_t> fallback) {
  auto v = a.maybe(name);
  if (!v) return fallback;
  if (*v == "none") return {};
  std::vector<std::size_t> out;
  for (const auto& s : split_list(*v)) {
    auto n = jg::parse_integer(s);
    if (!n || *n < 1) throw UsageError("--" + name + " wants positive integers or none, got " + jg::quoted(s));
    out.push_back(static_cast<std::size_t>(*n));
  }
  return out;
}

}  // namespace

void add_path_options(Args& a, const std::string& prefix, const std::string& funnel_steps) {
  const jg::PathExplorerOptions d;
  const std::string& p = prefix;
  a.option(p + "start", "STEP", "paths from the first touch matching STEP (names, A|B, pattern_*, stage:NAME)")
      .option(p + "end", "STEP", "paths up to the first touch matching STEP, (conversion) or (drop-off)")
      .option(p + "max-steps", "N", "touches kept per path; longer ones end in (continues) / begin with (earlier)",
              std::to_string(d.max_steps))
      .option(p + "top", "N", "touchpoints kept per step, the rest merged into (other)", std::to_string(d.top))
      .option(p + "variants", "N", "most common whole paths listed (0 = all)", std::to_string(d.variants))
      .option(p + "from-step", "N", "with --" + funnel_steps + ": 1-based step the paths start at",
              std::to_string(d.from_step))
      .option(p + "to-step", "N", "with --" + funnel_steps + ": step they end at", "the next required step")
      .flag(p + "drop-off", "with --" + funnel_steps + ": journeys that reached --" + p +
                                "from-step and not the next step, to their end");
}

bool has_path_options(const Args& a, const std::string& prefix) {
  for (const char* o : kPathOptions)
    if (a.has(prefix + o)) return true;
  return false;
}

jg::PathExplorerOptions path_options(const Args& a, const std::string& prefix,
                                     std::optional<jg::EventFunnelOptions> funnel, const std::string& funnel_steps,
                                     const jg::StageMap* stages) {
  const std::string& p = prefix;
  if (!funnel)
    for (const char* o : {"from-step", "to-step", "drop-off"})
      if (a.has(p + o)) throw UsageError("--" + p + o + " needs --" + funnel_steps + " LIST");
  if (funnel && (a.has(p + "start") || a.has(p + "end")))
    throw UsageError("give --" + p + "start/--" + p + "end or --" + funnel_steps +
                     " (paths between funnel steps), not both");
  jg::PathExplorerOptions o;
  o.start = a.get(p + "start", "");
  o.end = a.get(p + "end", "");
  o.funnel = std::move(funnel);
  o.from_step = static_cast<std::size_t>(a.get_int(p + "from-step", long(o.from_step), 1, 1LL << 20));
  o.to_step = static_cast<std::size_t>(a.get_int(p + "to-step", long(o.to_step), 1, 1LL << 20));
  o.drop_off = a.has(p + "drop-off");
  o.max_steps = static_cast<std::size_t>(a.get_int(p + "max-steps", long(o.max_steps), 1, 1LL << 20));
  o.top = static_cast<std::size_t>(a.get_int(p + "top", long(o.top), 1, 1LL << 40));
  o.variants = static_cast<std::size_t>(a.get_int(p + "variants", long(o.variants), 0, 1LL << 40));
  o.stages = stages;
  return o;
}

void add_driver_options(Args& a, const std::string& prefix) {
  const jg::DriverOptions d;
  const std::string& p = prefix;
  a.option(p + "target", "T", "conversion, or drop_off (journeys that reached --" + p + "after and ended unconverted)",
           jg::driver_target_name(d.target))
      .option(p + "after", "STEP", "with --" + p + "target drop_off: the step reached (NAME, A|B, pattern_*, stage:NAME)")
      .option(p + "features", "LIST", "';'-separated features to test instead of discovering them: 'a', 'a > b', "
                                      "'a >> b' (a before b), 'a{3}' (at least 3 touches)")
      .flag(p + "no-touchpoints", "do not test single touchpoints")
      .option(p + "kgrams", "LIST", "k-gram lengths tested (2, 3) or none", sizes_text(d.kgrams))
      .flag(p + "no-before", "do not test 'a >> b' features")
      .option(p + "at-least", "LIST", "touch counts n of 'a{n}' features or none", sizes_text(d.at_least))
      .option(p + "min-support", "W", "minimum weight of journeys with a feature to test it",
              jg::format_number(d.min_support))
      .option(p + "length-strata", "N", "Mantel-Haenszel strata: lengths 1..N, longer pooled",
              std::to_string(d.length_strata))
      .option(p + "level", "X", "level of the odds-ratio intervals", jg::format_number(d.level))
      .option(p + "alpha", "X", "false discovery rate of 'significant'", jg::format_number(d.alpha));
}

bool has_driver_options(const Args& a, const std::string& prefix) {
  for (const char* o : kDriverOptions)
    if (a.has(prefix + o)) return true;
  return false;
}

jg::DriverOptions driver_options(const Args& a, const std::string& prefix, const jg::StageMap* stages) {
  const std::string& p = prefix;
  jg::DriverOptions o;
  if (auto t = a.maybe(p + "target"))
    o.target = parse_option(p + "target", *t, [](const std::string& s) { return jg::parse_driver_target(s); });
  o.after = a.get(p + "after", "");
  if (!o.after.empty() && o.target != jg::DriverTarget::drop_off)
    throw UsageError("--" + p + "after needs --" + p + "target drop_off");
  if (auto f = a.maybe(p + "features"))
    for (const auto& x : split_list(*f, ';')) {
      parse_option(p + "features", x, [](const std::string& s) { return jg::parse_driver_feature(s); });
      o.features.push_back(x);
    }
  o.touchpoints = !a.has(p + "no-touchpoints");
  o.kgrams = sizes(a, p + "kgrams", o.kgrams);
  o.before = !a.has(p + "no-before");
  o.at_least = sizes(a, p + "at-least", o.at_least);
  o.min_support = a.get_double(p + "min-support", o.min_support);
  o.length_strata =
      static_cast<std::size_t>(a.get_int(p + "length-strata", long(o.length_strata), 1, 1LL << 20));
  o.level = a.get_double(p + "level", o.level);
  o.alpha = a.get_double(p + "alpha", o.alpha);
  o.stages = stages;
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
