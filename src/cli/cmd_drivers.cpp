// journeygraph drivers

#include "commands.hpp"
#include "common.hpp"
#include "funnel_common.hpp"
#include "map_common.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

namespace {

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

int cmd_drivers(int argc, char** argv) {
  const jg::DriverOptions d;
  Args a("drivers", "Conversion drivers of FILE: touchpoints, sequences (k-grams), 'A before B' and 'at least n\n"
                    "touches of X', each with its 2x2 table, odds ratio and interval, a test (Fisher or Wald),\n"
                    "Benjamini-Hochberg q-value, and the odds ratio adjusted for journey length (Mantel-Haenszel).",
         "FILE (--paths | --events) [options]");
  add_input_options(a);
  add_stage_options(a);
  a.section("drivers")
      .option("target", "T", "conversion, or drop_off (journeys that reached --after and ended unconverted)",
              jg::driver_target_name(d.target))
      .option("after", "STEP", "with --target drop_off: the step reached (NAME, A|B, pattern_*, stage:NAME)")
      .option("features", "LIST", "';'-separated features to test instead of discovering them: 'a', 'a > b', "
                                  "'a >> b' (a before b), 'a{3}' (at least 3 touches)")
      .flag("no-touchpoints", "do not test single touchpoints")
      .option("kgrams", "LIST", "k-gram lengths tested (2, 3) or none", sizes_text(d.kgrams))
      .flag("no-before", "do not test 'a >> b' features")
      .option("at-least", "LIST", "touch counts n of 'a{n}' features or none", sizes_text(d.at_least))
      .option("min-support", "W", "minimum weight of journeys with a feature to test it", jg::format_number(d.min_support))
      .option("length-strata", "N", "Mantel-Haenszel strata: lengths 1..N, longer pooled", std::to_string(d.length_strata))
      .option("level", "X", "level of the odds-ratio intervals", jg::format_number(d.level))
      .option("alpha", "X", "false discovery rate of 'significant'", jg::format_number(d.alpha))
      .option("top", "N", "rows shown (0 = all)", "0");
  add_cleaning_options(a);
  add_output_options(a, "tables printed");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);

  const AnalysisInput in = load_analysis_input(a, file);

  jg::DriverOptions o;
  if (auto t = a.maybe("target"))
    o.target = parse_option("target", *t, [](const std::string& s) { return jg::parse_driver_target(s); });
  o.after = a.get("after", "");
  if (!o.after.empty() && o.target != jg::DriverTarget::drop_off) throw UsageError("--after needs --target drop_off");
  if (auto f = a.maybe("features"))
    for (const auto& x : split_list(*f, ';')) {
      parse_option("features", x, [](const std::string& s) { return jg::parse_driver_feature(s); });
      o.features.push_back(x);
    }
  o.touchpoints = !a.has("no-touchpoints");
  o.kgrams = sizes(a, "kgrams", o.kgrams);
  o.before = !a.has("no-before");
  o.at_least = sizes(a, "at-least", o.at_least);
  o.min_support = a.get_double("min-support", o.min_support);
  o.length_strata = static_cast<std::size_t>(a.get_int("length-strata", long(o.length_strata), 1, 1LL << 20));
  o.level = a.get_double("level", o.level);
  o.alpha = a.get_double("alpha", o.alpha);
  o.stages = in.stage_map();
  const auto top = static_cast<std::size_t>(a.get_int("top", 0, 0, 1LL << 40));

  jg::DriverAnalysis da = jg::conversion_drivers(in.journeys, o, in.exec);
  if (top && da.drivers.size() > top) da.drivers.resize(top);
  TextOptions summary;  // the text view summarises the wide table; CSV and JSON carry every column
  summary.columns = {"feature", "support", "rate_with", "rate_without", "odds_ratio", "odds_ratio_lower",
                     "odds_ratio_upper", "test", "q_value", "mh_odds_ratio", "mh_q_value", "significant", "confounded"};
  print_tables(a, {jg::driver_table(da)}, {summary});
  return 0;
}

}  // namespace journeygraph::cli
