// journeygraph transitions

#include "commands.hpp"
#include "common.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_transitions(int argc, char** argv) {
  Args a("transitions", "Fit a Markov chain of order K and print every transition with its count and probability.",
         "FILE [--paths | --events] [options]");
  add_input_options(a);
  add_model_options(a);
  add_output_options(a);
  if (!a.parse(argc, argv, 2)) return 0;
  jg::BuildReport report;
  const jg::JourneySet js = load_journeys(a, single_file(a), report);
  print_report(a, report);
  print_tables(a, {jg::transition_table(jg::MarkovModel::fit(js, model_options(a), execution(a)))});
  return 0;
}

}  // namespace journeygraph::cli
