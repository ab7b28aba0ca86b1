// journeygraph paths

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "funnel_common.hpp"
#include "map_common.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/paths.hpp"
#include "journeygraph/render.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_paths(int argc, char** argv) {
  Args a("paths", "The path explorer: what journeys of FILE do after --start, before --end (a touchpoint,\n"
                  "(conversion) or (drop-off)), or between two steps of a funnel; per step the top touchpoints and\n"
                  "an explicit (other), so every step adds up to all selected journeys; the most common paths.",
         "FILE (--paths | --events) [--start STEP] [--end STEP | --steps LIST] [options]");
  add_input_options(a);
  add_stage_options(a);
  a.section("paths");
  add_path_options(a, "", "steps");
  a.option("show", "LIST", "tables: steps, variants", "steps,variants")
      .option("sankey-svg", "FILE", "write the step flows as a Sankey picture (SVG)");
  add_funnel_options(a, false);
  add_cleaning_options(a);
  add_output_options(a, "tables printed");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  bool steps = true, variants = true;
  if (auto show = a.maybe("show")) {
    steps = variants = false;
    for (const auto& s : split_list(*show)) {
      if (s == "steps") steps = true;
      else if (s == "variants") variants = true;
      else throw UsageError("--show: unknown table " + jg::quoted(s) + " (tables: steps, variants)");
    }
  }

  const AnalysisInput in = load_analysis_input(a, file);

  const jg::PathExplorerOptions o = path_options(a, "", funnel_options(a, in.stage_map()), "steps", in.stage_map());
  const jg::PathExploration p = jg::explore_paths(in.journeys, o, in.exec);
  if (auto out = a.maybe("sankey-svg")) {
    jg::write_text_file(*out, jg::sankey_svg(p.sankey));
    say(a, "wrote the step flows (SVG) to " + *out);
  }
  std::vector<Table> tables;
  if (steps) tables.push_back(jg::path_step_table(p));
  if (variants) tables.push_back(jg::path_variant_table(p));
  print_tables(a, tables);
  return 0;
}

}  // namespace journeygraph::cli
