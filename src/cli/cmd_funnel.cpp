// journeygraph funnel

#include "commands.hpp"
#include "common.hpp"
#include "funnel_common.hpp"
#include "map_common.hpp"
#include "journeygraph/io.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_funnel(int argc, char** argv) {
  const jg::FunnelTrendOptions trend;
  Args a("funnel", "The event funnel of FILE: of the journeys that did step 1, how many did step 2, 3, ... (in order,\n"
                   "strictly in a row or in any order, within windows, with exclusions and optional steps), with\n"
                   "Wilson intervals, times between steps and segment tests; funnel trends by entry period with\n"
                   "open journeys censored (Kaplan-Meier).",
         "FILE (--paths | --events) --steps LIST [options]");
  add_input_options(a);
  add_stage_options(a);
  add_funnel_options(a, true);
  a.section("trends (by entry period; needs timestamps and a window or --horizon)")
      .option("trends", "PERIOD", "day, week or month: the funnel_trends table instead of the funnel")
      .flag("curve", "with --trends, also the conversion_curve table (Kaplan-Meier by time since entry)")
      .option("horizon", "DURATION", "time since entry at which conversion is read", "the --window")
      .option("data-end", "TIME", "end of observation", "the last timestamp");
  add_cleaning_options(a);
  add_output_options(a, "tables printed");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  if (!a.has("steps")) throw UsageError("funnel needs --steps LIST (e.g. --steps 'ad,search,(conversion)')");
  if (!a.has("trends"))
    for (const char* o : {"horizon", "data-end", "curve"})
      if (a.has(o)) throw UsageError(std::string("--") + o + " needs --trends PERIOD");

  const AnalysisInput in = load_analysis_input(a, file);
  const jg::JourneySet& js = in.journeys;
  const jg::EventFunnelOptions fo = *funnel_options(a, in.stage_map());

  std::vector<Table> tables;
  std::vector<TextOptions> texts;
  TextOptions summary;  // the text view summarises the wide table; CSV and JSON carry every column
  summary.columns = {"segment", "step", "label", "reached", "step_rate", "step_rate_lower", "step_rate_upper",
                     "overall_rate", "dropped", "time_from_previous_median_s", "time_from_entry_median_s"};
  if (fo.by_segment) {
    summary.columns.push_back("p_adjusted");
    summary.columns.push_back("significant");
  }
  if (auto period = a.maybe("trends")) {
    jg::FunnelTrendOptions to;
    to.period = parse_option("trends", *period, [](const std::string& s) { return jg::parse_trend_period(s); });
    to.horizon = duration_option(a, "horizon");
    if (auto end = a.maybe("data-end"))
      to.data_end = parse_option("data-end", *end, [&](const std::string& s) {
        return jg::parse_timestamp(s, js.time_unit(), js.time_unit());
      });
    to.level = fo.level;
    to.alpha = fo.alpha;
    const jg::FunnelTrends tr = jg::funnel_trends(js, fo, to, in.exec);
    tables.push_back(jg::funnel_trend_table(tr));
    if (a.has("curve")) tables.push_back(jg::conversion_curve_table(tr));
  } else {
    tables.push_back(jg::event_funnel_table(jg::event_funnel(js, fo, in.exec)));
    texts.push_back(summary);
  }
  print_tables(a, tables, texts);
  return 0;
}

}  // namespace journeygraph::cli
