// journeygraph order

#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

namespace {

void print_order(std::ostream& os, const jg::OrderChoice& c, const jg::OrderChoiceOptions& o, const std::string& format) {
  Table t;
  t.columns = {"order", "states", "parameters", "log_likelihood", "aic", "bic", "heldout_log_likelihood",
               "heldout_unseen", "auc", "log_loss"};
  for (const auto& s : c.scores)
    t.rows.push_back({double(s.order), double(s.states), s.parameters, s.log_likelihood, s.aic, s.bic,
                      s.heldout_log_likelihood, s.unseen, s.auc, s.log_loss});
  if (format == "csv") {
    print_csv(os, t);
    return;
  }
  if (format == "json") {
    os << "{\n  \"recommended_order\": " << c.recommended_order << ",\n  \"holdout\": " << json_number(o.holdout)
       << ",\n  \"seed\": " << o.seed << ",\n  \"orders\": ";
    print_json_rows(os, t, "  ");
    os << "\n}\n";
    return;
  }
  os << "Order choice: orders 1.." << o.max_order << "; " << jg::format_number(100 * o.holdout)
     << "% of the journeys held out (seed " << o.seed << ")\n\n";
  // Integers without decimals, likelihoods with two, AUC and log-loss with four.
  Table shown;
  shown.columns = t.columns;
  char buf[64];
  for (const auto& row : t.rows) {
    std::vector<Cell> r;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const double x = std::get<double>(row[i]);
      std::snprintf(buf, sizeof buf, i <= 2 ? "%.0f" : i >= 8 ? "%.4f" : "%.2f", x);
      r.push_back(std::string(buf));
    }
    shown.rows.push_back(std::move(r));
  }
  print_text(os, shown, 2);
  os << "\nrecommended order: " << c.recommended_order << " (highest held-out log-likelihood)\n";
}

}  // namespace

int cmd_order(int argc, char** argv) {
  Args a("order", "Compare Markov chains of orders 1..K: in-sample log-likelihood, AIC and BIC, held-out\n"
                  "log-likelihood and held-out conversion prediction (ROC AUC, log-loss of P(conversion |\n"
                  "path so far) from the chain's absorption probabilities), and the recommended order.",
         "FILE (--paths | --events) [options]");
  add_input_options(a);
  a.section("order choice")
      .option("max-order", "K", "largest order compared (1..16)", "4")
      .option("holdout", "FRACTION", "share of the journeys held out", "0.2")
      .option("seed", "S", "seed of the split", "0")
      .option("smoothing", "ALPHA", "additive smoothing of every fit", "0")
      .option("self-loops", "MODE", "keep (every order sees the same touches) or drop", "keep")
      .option("floor", "P", "probability of a held-out transition the training chain never saw", "1e-6")
      .section("output")
      .option("format", "FORMAT", "table, csv or json", "table")
      .option("output", "FILE", "write to FILE instead of standard output");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string format = output_format(a);
  const std::string file = single_file(a);
  jg::OrderChoiceOptions o;
  o.max_order = static_cast<unsigned>(a.get_int("max-order", 4, 1, jg::kMaxOrder));
  o.holdout = a.get_double("holdout", 0.2);
  o.seed = static_cast<std::uint64_t>(a.get_int("seed", 0, 0, (1LL << 62)));
  o.smoothing = a.get_double("smoothing", 0.0);
  o.floor = a.get_double("floor", 1e-6);
  const std::string loops = a.get("self-loops", "keep");
  if (loops == "drop") o.self_loops = jg::SelfLoops::drop;
  else if (loops != "keep") throw UsageError("--self-loops must be drop or keep, got " + jg::quoted(loops));
  jg::BuildReport report;
  const jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  const jg::OrderChoice c = jg::choose_order(js, o, execution(a));
  if (auto out = a.maybe("output")) {
    std::ofstream f(*out);
    if (!f) throw jg::IoError("cannot write " + *out);
    print_order(f, c, o, format);
  } else {
    print_order(std::cout, c, o, format);
  }
  return 0;
}

}  // namespace journeygraph::cli
