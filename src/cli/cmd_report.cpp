// journeygraph report

#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/map_common.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_report(int argc, char** argv) {
  Args a("report", "Write one self-contained HTML page about FILE (it opens offline in any browser): headline\n"
                   "figures, the journey graph, the funnel and stage flows, a Sankey of step flows, pain points,\n"
                   "attribution, the most common and the most probable paths, path lengths, time to conversion.",
         "FILE (--paths | --events) [--stages stages.csv] -o report.html [options]");
  add_input_options(a);
  add_model_options(a);
  add_stage_options(a);
  a.section("report")
      .option("output", "FILE", "the HTML file to write (required; -o FILE)")
      .option("title", "TEXT", "title of the page", "Journey map")
      .option("top", "N", "rows of the path tables", "10")
      .option("pain-points", "N", "rows of the pain-point table", "12")
      .option("rank-by", "KEY", "pain points by drop_offs, exit_rate, lost_conversions or conversion_probability",
              "drop_offs")
      .option("min-journeys", "N", "rank touchpoints seen in fewer journeys last", "0")
      .option("steps", "N", "steps of the Sankey flows", "6");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  auto out = a.maybe("output");
  if (!out) throw UsageError("-o FILE is required (the HTML page to write)");
  const jg::JourneyMap map = load_map(a, file);
  jg::ReportOptions o;
  o.title = a.get("title", "Journey map");
  o.top_paths = static_cast<std::size_t>(a.get_int("top", 10, 1, 100000));
  o.pain_points = static_cast<std::size_t>(a.get_int("pain-points", 12, 1, 100000));
  o.pain.rank_by = jg::parse_pain_ranking(a.get("rank-by", "drop_offs"));
  o.pain.min_journeys = a.get_double("min-journeys", 0);
  o.sankey.by_stage = map.has_stages();
  o.sankey.max_steps = static_cast<std::size_t>(a.get_int("steps", 6, 1, 1000));
  jg::write_text_file(*out, jg::report_html(map, o, execution(a)));
  std::cerr << "journeygraph: wrote the report to " << *out << "\n";
  return 0;
}

}  // namespace journeygraph::cli
