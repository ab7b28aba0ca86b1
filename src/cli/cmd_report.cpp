// journeygraph report

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "funnel_common.hpp"
#include "map_common.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_report(int argc, char** argv) {
  jg::RenderOptions o;
  const jg::ReportOptions report;
  Args a("report", "Write one self-contained HTML page about FILE (it opens offline in any browser): headline\n"
                   "figures, the journey graph, the funnel and stage flows, a Sankey of step flows, pain points,\n"
                   "attribution, the most common and the most probable paths, path lengths, time to conversion,\n"
                   "conversion paths; on request a model comparison with intervals (--models, --bootstrap), an\n"
                   "event funnel (--funnel-steps), the path explorer (--path-explorer), the conversion drivers\n"
                   "(--drivers), with the options of the attribute, funnel, paths and drivers commands, money with\n"
                   "the model comparison (--spend), and segment and period menus (--segment-switch, --period-switch).",
         "FILE [--paths | --events] [--stages stages.csv] -o report.html [options]");
  add_input_options(a);
  add_model_options(a);
  add_stage_options(a);
  a.section("report")
      .option("output", "FILE", "the HTML file to write (required; -o FILE)")
      .option("title", "TEXT", "title of the page", report.title)
      .option("top", "N", "rows of the path tables", std::to_string(o.top_paths))
      .option("pain-points", "N", "rows of the pain-point table", std::to_string(o.pain_points))
      .option("rank-by", "KEY", "pain points by drop_offs, unconverted_exit_share, conversions_at_risk or conversion_probability",
              jg::pain_ranking_name(o.pain.rank_by))
      .option("min-journeys", "N", "rank touchpoints seen in fewer journeys last", jg::format_number(o.pain.min_journeys))
      .option("steps", "N", "steps of the Sankey flows", std::to_string(o.max_steps))
      .flag("segment-switch", "with --segment: a menu that switches the page to one segment (made in advance)")
      .option("period-switch", "month|week|quarter|INSTANT,...",
              "a menu that switches the page to the journeys that began in one period: calendar months, ISO weeks, "
              "quarters (UTC), or the periods between instants read like --split-at (made in advance; needs "
              "timestamps)");
  add_attribution_options(a);  // --models, --bootstrap or --ci add the model comparison section
  add_spend_options(a, "adds the section Money to the model comparison (cost per conversion and ROAS per model "
                       "and touchpoint; ROAS intervals with --bootstrap)");
  add_funnel_options(a, false, "funnel-");
  a.section("path explorer section (--path-explorer or any --paths-* option adds it)")
      .flag("path-explorer", "add the path explorer (every journey from its first touch unless told otherwise)");
  add_path_options(a, "paths-", "funnel-steps");
  a.section("drivers section (--drivers or any --drivers-* option adds it)")
      .flag("drivers", "add the conversion drivers (odds ratios with intervals, q-values, Mantel-Haenszel)")
      .option("drivers-top", "N", "drivers shown", std::to_string(o.sections.drivers_shown));
  add_driver_options(a, "drivers-");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  auto out = a.maybe("output");
  if (!out) throw UsageError("-o FILE is required (the HTML page to write)");
  o.sections.spend = spend_option(a);  // read before the journeys: a bad spend file fails fast
  if (auto p = a.maybe("period-switch")) {  // parsed before the journeys are read: a typo fails fast
    o.period_switch = jg::parse_period_switch(*p);
    o.period_switch->time_format = a.get("time-format");
  }
  const jg::JourneyMap map = load_map(a, file);
  if (a.has("models") || a.has("bootstrap") || a.has("ci"))
    o.sections.model_comparison = attribution_options(a, map.journeys());
  if (o.sections.spend && !o.sections.model_comparison)
    throw UsageError("--spend adds the section Money to the model comparison: ask for it with --models");
  // The map's stages serve "stage:NAME" steps (the core fills a null stages pointer with them).
  o.sections.event_funnel = funnel_options(a, nullptr, "funnel-");
  if (a.has("path-explorer") || has_path_options(a, "paths-")) {
    // The explorer runs between the funnel's steps only when asked to; otherwise --paths-start/--paths-end.
    const bool between_steps = a.has("paths-from-step") || a.has("paths-to-step") || a.has("paths-drop-off");
    o.sections.path_explorer = path_options(
        a, "paths-", between_steps ? o.sections.event_funnel : std::nullopt, "funnel-steps", nullptr);
  }
  if (a.has("drivers") || a.has("drivers-top") || has_driver_options(a, "drivers-"))
    o.sections.drivers = driver_options(a, "drivers-", nullptr);
  o.sections.drivers_shown =
      static_cast<std::size_t>(a.get_int("drivers-top", long(o.sections.drivers_shown), 1, 1LL << 40));
  o.title = a.get("title", o.title);
  o.top_paths = static_cast<std::size_t>(a.get_int("top", o.top_paths, 1, 100000));
  o.pain_points = static_cast<std::size_t>(a.get_int("pain-points", o.pain_points, 1, 100000));
  if (auto r = a.maybe("rank-by")) o.pain.rank_by = jg::parse_pain_ranking(*r);
  o.pain.min_journeys = a.get_double("min-journeys", o.pain.min_journeys);
  o.max_steps = static_cast<std::size_t>(a.get_int("steps", o.max_steps, 1, 1000));
  o.funnel = funnel_options(a);
  o.segment_switch = a.has("segment-switch");
  jg::write_text_file(*out, jg::render_map(map, jg::MapFormat::html, o, execution(a)));
  say(a, "wrote the report to " + *out);
  return 0;
}

}  // namespace journeygraph::cli
