// journeygraph report

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "map_common.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_report(int argc, char** argv) {
  jg::RenderOptions o;
  const jg::ReportOptions report;
  Args a("report", "Write one self-contained HTML page about FILE (it opens offline in any browser): headline\n"
                   "figures, the journey graph, the funnel and stage flows, a Sankey of step flows, pain points,\n"
                   "attribution, the most common and the most probable paths, path lengths, time to conversion.",
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
      .option("steps", "N", "steps of the Sankey flows", std::to_string(o.max_steps));
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  auto out = a.maybe("output");
  if (!out) throw UsageError("-o FILE is required (the HTML page to write)");
  const jg::JourneyMap map = load_map(a, file);
  o.title = a.get("title", o.title);
  o.top_paths = static_cast<std::size_t>(a.get_int("top", o.top_paths, 1, 100000));
  o.pain_points = static_cast<std::size_t>(a.get_int("pain-points", o.pain_points, 1, 100000));
  if (auto r = a.maybe("rank-by")) o.pain.rank_by = jg::parse_pain_ranking(*r);
  o.pain.min_journeys = a.get_double("min-journeys", o.pain.min_journeys);
  o.max_steps = static_cast<std::size_t>(a.get_int("steps", o.max_steps, 1, 1000));
  o.funnel = funnel_options(a);
  jg::write_text_file(*out, jg::render_map(map, jg::MapFormat::html, o, execution(a)));
  say(a, "wrote the report to " + *out);
  return 0;
}

}  // namespace journeygraph::cli
