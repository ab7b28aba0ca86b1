// journeygraph credit and journeygraph sequences

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "funnel_common.hpp"
#include "journeygraph/credit.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_credit(int argc, char** argv) {
  const jg::CreditOptions d;
  Args a("credit", "Every journey's credit: for each converting journey, model and touchpoint, the conversions and\n"
                   "value it credits (long CSV, streamed journey by journey). Rule-based and Shapley models split\n"
                   "each journey by their rule; markov's totals are allocated to journeys by proportional fitting\n"
                   "so that each journey's rows sum to its conversions and value and each touchpoint's to its\n"
                   "Markov credit. The journey column is the events' journey id (with part 1, 2, ... when a\n"
                   "journey was split) or the paths file's data row (0-based).",
         "FILE [--paths | --events] [options]");
  add_input_options(a);
  add_model_options(a);
  add_attribution_options(a);
  a.section("credit")
      .option("calibrate", "FILE", "CSV of external incremental conversions (columns touchpoint, conversions): add "
                                   "rows of model 'calibrated' whose touchpoint totals are these figures, and print "
                                   "how far the model was from them to stderr")
      .option("calibrate-model", "M", "the model calibrated", jg::model_name(jg::Calibration{}.model))
      .option("max-iterations", "N", "most proportional-fitting passes", std::to_string(d.max_iterations))
      .section("output")
      .option("output", "FILE", "write the CSV to FILE instead of standard output")
      .flag("raw-csv", "CSV cells as they are (no ' before text cells that start with = + - @)");
  if (!a.parse(argc, argv, 2)) return 0;
  if (a.has("bootstrap") || a.has("ci")) throw UsageError("credit has no bootstrap: use 'attribute' for intervals");
  jg::BuildReport report;
  const jg::JourneySet js = load_journeys(a, single_file(a), report);
  print_report(a, report);
  jg::CreditOptions o;
  o.attribution = attribution_options(a, js);
  o.max_iterations = static_cast<std::size_t>(a.get_int("max-iterations", long(d.max_iterations), 1, 1LL << 40));
  if (auto file = a.maybe("calibrate")) {
    o.calibration = jg::read_calibration_csv(*file);
    if (auto model = a.maybe("calibrate-model"))
      o.calibration->model =
          parse_option("calibrate-model", *model, [](const std::string& s) { return jg::parse_model(s); });
    if (!a.has("quiet")) std::cerr << jg::to_text(jg::calibration_table(js, o, execution(a)));
  } else if (a.has("calibrate-model")) {
    throw UsageError("--calibrate-model needs --calibrate FILE");
  }
  jg::CsvOptions csv;
  csv.guard_formulas = !a.has("raw-csv");
  jg::write_journey_credit_csv(js, a.get("output", "-"), o, csv, execution(a));
  check_interrupted();
  return 0;
}

int cmd_sequences(int argc, char** argv) {
  const jg::SequenceOptions d;
  Args a("sequences", "Exact removal effects of touchpoint sequences: every transition that completes the sequence\n"
                      "is sent to NULL and the chain is solved again (a sequence of L touchpoints needs --order\n"
                      ">= L - 1). Named sequences (--sequences) and the most frequent observed ones (--top).",
         "FILE [--paths | --events] [options]");
  add_input_options(a);
  add_model_options(a);
  a.section("sequences")
      .option("sequences", "LIST", "sequences to remove, e.g. \"facebook>google,email>search\"")
      .option("top", "N", "also the N most frequent observed sequences", "0")
      .option("length", "L", "length of the sequences --top counts", std::to_string(d.top_length));
  add_output_options(a);
  if (!a.parse(argc, argv, 2)) return 0;
  jg::SequenceOptions o;
  if (auto s = a.maybe("sequences"))
    o.sequences = parse_option("sequences", *s, [](const std::string& x) { return jg::parse_sequences(x); });
  o.top_n = static_cast<std::size_t>(a.get_int("top", 0, 0, 1LL << 30));
  o.top_length = static_cast<std::size_t>(a.get_int("length", long(d.top_length), 1, 1LL << 20));
  if (o.sequences.empty() && o.top_n == 0) throw UsageError("give --sequences LIST or --top N");
  jg::BuildReport report;
  const jg::JourneySet js = load_journeys(a, single_file(a), report);
  print_report(a, report);
  o.markov = model_options(a);
  print_tables(a, {jg::sequence_removal_effects(js, o, execution(a))});
  return 0;
}

}  // namespace journeygraph::cli
