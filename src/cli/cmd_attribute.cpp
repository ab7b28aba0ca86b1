// journeygraph attribute

#include "commands.hpp"
#include "common.hpp"
#include "journeygraph/money.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_attribute(int argc, char** argv) {
  Args a("attribute", "Credit conversions and value to touchpoints: exact Markov removal effects of order K\n"
                      "(one sparse solve per touchpoint), Shapley values and the heuristic models, with\n"
                      "bootstrap confidence intervals on request (--bootstrap B, --ci LEVEL).",
         "FILE [--paths | --events] [options]");
  add_input_options(a);
  add_model_options(a);
  add_attribution_options(a);
  a.section("saved model")
      .option("model", "FILE", "use a model saved by 'journeygraph fit' instead of FILE (markov only)");
  add_spend_options(a, "adds the table money (cost per conversion, ROAS, conversions per cost; intervals with "
                       "--bootstrap)")
      .option("baseline", "MODEL", "adds the table model_comparison: each model's credit against MODEL (with --spend "
              "and several models it is added with last_touch, or the first model, as the baseline)");
  add_output_options(a);
  if (!a.parse(argc, argv, 2)) return 0;
  const std::optional<jg::Spend> spend = spend_option(a);
  jg::AttributionResult r;
  if (auto saved = a.maybe("model")) {
    if (!a.positional().empty()) throw UsageError("give either FILE or --model, not both");
    if (a.has("models") && a.get("models") != "markov")
      throw UsageError("a saved model gives the markov model only (heuristics need the journeys)");
    if (a.has("bootstrap") || a.has("ci"))
      throw UsageError("a saved model cannot be bootstrapped (the bootstrap resamples the journeys)");
    r = jg::attribute(jg::MarkovModel::load(*saved, execution(a)), execution(a));
  } else {
    jg::BuildReport report;
    const jg::JourneySet js = load_journeys(a, single_file(a), report);
    print_report(a, report);
    r = jg::attribute(js, attribution_options(a, js), execution(a));
  }
  std::vector<jg::Table> tables{attribution_table(r)};
  std::vector<jg::TextOptions> texts{attribution_text(r)};
  if (spend) {
    tables.push_back(jg::money_table(r, *spend));
    texts.emplace_back();
  }
  if (a.has("baseline") || (a.has("spend") && r.models.size() > 1)) {
    const jg::AttributionModel base = a.has("baseline") ? jg::parse_model(a.get("baseline")) : jg::default_baseline(r);
    tables.push_back(jg::comparison_table(r, base));
    texts.emplace_back();
  }
  print_tables(a, tables, texts);
  return 0;
}

}  // namespace journeygraph::cli
