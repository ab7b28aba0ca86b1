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
  const jg::PathExplorerOptions d;
  Args a("paths", "The path explorer: what journeys of FILE do after --start, before --end (a touchpoint,\n"
                  "(conversion) or (drop-off)), or between two steps of a funnel; per step the top touchpoints and\n"
                  "an explicit (other), so every step adds up to all selected journeys; the most common paths.",
         "FILE (--paths | --events) [--start STEP] [--end STEP | --steps LIST] [options]");
  add_input_options(a);
  add_stage_options(a);
  a.section("paths")
      .option("start", "STEP", "paths from the first touch matching STEP (names, A|B, pattern_*, stage:NAME)")
      .option("end", "STEP", "paths up to the first touch matching STEP, (conversion) or (drop-off)")
      .option("max-steps", "N", "touches kept per path; longer ones end in (continues) / begin with (earlier)",
              std::to_string(d.max_steps))
      .option("top", "N", "touchpoints kept per step, the rest merged into (other)", std::to_string(d.top))
      .option("variants", "N", "most common whole paths listed (0 = all)", std::to_string(d.variants))
      .option("show", "LIST", "tables: steps, variants", "steps,variants")
      .option("sankey-svg", "FILE", "write the step flows as a Sankey picture (SVG)");
  add_funnel_options(a, false);
  a.option("from-step", "N", "with --steps: 1-based step the paths start at", std::to_string(d.from_step))
      .option("to-step", "N", "with --steps: step they end at", "the next required step")
      .flag("drop-off", "with --steps: journeys that reached --from-step and not the next step, to their end");
  add_cleaning_options(a);
  add_output_options(a, "tables printed");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  if (!a.has("steps"))
    for (const char* o : {"from-step", "to-step", "drop-off"})
      if (a.has(o)) throw UsageError(std::string("--") + o + " needs --steps LIST");
  if (a.has("steps") && (a.has("start") || a.has("end")))
    throw UsageError("give --start/--end or --steps (paths between funnel steps), not both");
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

  jg::PathExplorerOptions o;
  o.start = a.get("start", "");
  o.end = a.get("end", "");
  o.funnel = funnel_options(a, in.stage_map());
  o.from_step = static_cast<std::size_t>(a.get_int("from-step", long(o.from_step), 1, 1LL << 20));
  o.to_step = static_cast<std::size_t>(a.get_int("to-step", long(o.to_step), 1, 1LL << 20));
  o.drop_off = a.has("drop-off");
  o.max_steps = static_cast<std::size_t>(a.get_int("max-steps", long(o.max_steps), 1, 1LL << 20));
  o.top = static_cast<std::size_t>(a.get_int("top", long(o.top), 1, 1LL << 40));
  o.variants = static_cast<std::size_t>(a.get_int("variants", long(o.variants), 0, 1LL << 40));
  o.stages = in.stage_map();
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
