// journeygraph fit

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_fit(int argc, char** argv) {
  Args a("fit", "Fit a Markov chain of order K and save it (counts and options) to a binary .jgm file.\n"
                "'journeygraph attribute --model FILE' and the C and Python APIs load it; results are identical.",
         "FILE [--paths | --events] -o MODEL [options]");
  add_input_options(a);
  add_model_options(a);
  a.section("output").option("output", "MODEL", "the model file to write (required)");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  auto out = a.maybe("output");
  if (!out) throw UsageError("-o MODEL is required");
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  jg::MarkovModel m = jg::MarkovModel::fit(js, model_options(a), execution(a));
  m.save(*out);
  say(a, "wrote " + *out + ": order " + std::to_string(m.order()) + ", " + std::to_string(m.n_states()) +
             " states, P(conversion) " + jg::format_number(m.conversion_probability()));
  return 0;
}


}  // namespace journeygraph::cli
