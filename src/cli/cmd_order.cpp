// journeygraph order

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_order(int argc, char** argv) {
  jg::OrderChoiceOptions o;
  Args a("order", "Compare Markov chains of orders 1..K: in-sample log-likelihood, AIC and BIC, held-out\n"
                  "log-likelihood and held-out conversion prediction (ROC AUC, log-loss of P(conversion |\n"
                  "path so far) from the chain's absorption probabilities), and the recommended order.",
         "FILE [--paths | --events] [options]");
  add_input_options(a);
  a.section("order choice")
      .option("max-order", "K", "largest order compared (1.." + std::to_string(jg::kMaxOrder) + ")",
              std::to_string(o.max_order))
      .option("holdout", "FRACTION", "share of the journeys held out", jg::format_number(o.holdout))
      .option("seed", "S", "seed of the split", std::to_string(o.seed))
      .option("smoothing", "ALPHA", "additive smoothing of every fit", jg::format_number(o.smoothing))
      .option("self-loops", "MODE", "keep (every order sees the same touches) or drop", jg::self_loops_name(o.self_loops))
      .option("floor", "P", "probability of a held-out transition the training chain never saw",
              jg::format_number(o.floor));
  add_output_options(a);
  if (!a.parse(argc, argv, 2)) return 0;
  o.max_order = static_cast<unsigned>(a.get_int("max-order", o.max_order, 1, jg::kMaxOrder));
  o.holdout = a.get_double("holdout", o.holdout);
  o.seed = static_cast<std::uint64_t>(a.get_int("seed", o.seed, 0, (1LL << 62)));
  o.smoothing = a.get_double("smoothing", o.smoothing);
  o.floor = a.get_double("floor", o.floor);
  if (auto loops = a.maybe("self-loops")) o.self_loops = jg::parse_self_loops(*loops);
  jg::BuildReport report;
  const jg::JourneySet js = load_journeys(a, single_file(a), report);
  print_report(a, report);
  const jg::OrderChoice choice = jg::choose_order(js, o, execution(a));
  // The recommendation and its rule: in the metadata for JSON, under the rows in text; CSV has no metadata,
  // so there it goes to stderr with the build report.
  const std::string recommendation =
      "recommended order: " + std::to_string(choice.recommended_order) + ", " + choice.rule;
  TextOptions text;
  text.notes = {recommendation};
  if (output_format(a) == jg::TableFormat::csv) say(a, recommendation);
  print_tables(a, {jg::order_table(choice, o)}, {text});
  return 0;
}

}  // namespace journeygraph::cli
