// journeygraph attribute

#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_attribute(int argc, char** argv) {
  Args a("attribute", "Credit conversions and value to touchpoints: exact Markov removal effects of order K\n"
                      "(one sparse solve per touchpoint), Shapley values and the heuristic models, with\n"
                      "bootstrap confidence intervals on request (--bootstrap B, --ci LEVEL).",
         "FILE (--paths | --events) [options]");
  add_input_options(a);
  add_model_options(a);
  add_attribution_options(a);
  a.section("saved model")
      .option("model", "FILE", "use a model saved by 'journeygraph fit' instead of FILE (markov only)");
  a.section("output")
      .option("models", "LIST",
              "comma-separated models, or 'all': markov, first_touch, last_touch, linear, last_non_direct, "
              "position_based, j_curve, inverse_j, time_decay, participation, shapley, ordered_shapley",
              "markov,first_touch,last_touch,linear")
      .option("format", "FORMAT", "table, csv or json", "table")
      .option("output", "FILE", "write to FILE instead of standard output");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string format = output_format(a);
  jg::AttributionResult r;
  if (auto saved = a.maybe("model")) {
    if (!a.positional().empty()) throw UsageError("give either FILE or --model, not both");
    if (a.has("models") && a.get("models") != "markov")
      throw UsageError("a saved model gives the markov model only (heuristics need the journeys)");
    if (a.has("bootstrap") || a.has("ci"))
      throw UsageError("a saved model cannot be bootstrapped (the bootstrap resamples the journeys)");
    jg::MarkovModel m = jg::MarkovModel::load(*saved, execution(a));
    r = jg::attribute(m, execution(a));
  } else {
    const std::string file = single_file(a);
    jg::BuildReport report;
    jg::JourneySet js = load_journeys(a, file, report);
    print_report(a, report);
    const jg::AttributionOptions opt = attribution_options(a, js);
    r = jg::attribute(js, opt, execution(a));
  }
  if (auto out = a.maybe("output")) {
    std::ofstream f(*out);
    if (!f) throw jg::IoError("cannot write " + *out);
    print_attribution(f, r, format);
  } else {
    print_attribution(std::cout, r, format);
  }
  return 0;
}


}  // namespace journeygraph::cli
