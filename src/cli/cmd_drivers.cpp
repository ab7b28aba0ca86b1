// journeygraph drivers

#include "commands.hpp"
#include "common.hpp"
#include "funnel_common.hpp"
#include "map_common.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_drivers(int argc, char** argv) {
  Args a("drivers", "Conversion drivers of FILE: touchpoints, sequences (k-grams), 'A before B' and 'at least n\n"
                    "touches of X', each with its 2x2 table, odds ratio and interval, a test (Fisher or Wald),\n"
                    "Benjamini-Hochberg q-value, and the odds ratio adjusted for journey length (Mantel-Haenszel).",
         "FILE (--paths | --events) [options]");
  add_input_options(a);
  add_stage_options(a);
  a.section("drivers");
  add_driver_options(a, "");
  a.option("top", "N", "rows shown (0 = all)", "0");
  add_cleaning_options(a);
  add_output_options(a, "tables printed");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);

  const AnalysisInput in = load_analysis_input(a, file);

  const jg::DriverOptions o = driver_options(a, "", in.stage_map());
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
