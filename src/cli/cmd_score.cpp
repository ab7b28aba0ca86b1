// journeygraph score

#include "commands.hpp"
#include "common.hpp"
#include "journeygraph/scoring.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_score(int argc, char** argv) {
  const jg::OpenJourneyOptions open_defaults;
  Args a("score", "Score journeys that have not ended: P(conversion | touches so far), expected value, expected\n"
                  "touches to go and the best next touch, from a saved model or one fitted on FILE. An unseen\n"
                  "history backs off to its longest seen suffix (columns matched and backed_off).\n"
                  "  score MODEL.jgm --histories H.csv      score every journey of H.csv\n"
                  "  score EVENTS.csv --open                fit on the ended journeys, score the open ones\n"
                  "  score MODEL.jgm --open --histories EVENTS.csv\n"
                  "A journey is open when it has no conversion and its last touch is within --window of the\n"
                  "data's last timestamp.",
         "MODEL_OR_DATA [--histories FILE] [--open] [options]");
  add_input_options(a);
  add_model_options(a);
  a.section("scoring")
      .option("histories", "FILE", "the journeys to score (read with the input options; outcomes are ignored)")
      .flag("open", "score only the open journeys (of --histories, or of MODEL_OR_DATA's event log)")
      .option("window", "DURATION", "a journey is open when its last touch is this close to the data's end; at "
              "most the --gap", jg::format_duration(open_defaults.window))
      .option("next", "N", "also print the table next_touch: each journey's N best next touches", "0");
  add_output_options(a);
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string source = single_file(a);
  jg::OpenJourneyOptions open;
  if (auto w = a.maybe("window")) open.window = jg::parse_duration(*w);
  const bool want_open = a.has("open");
  const auto next = static_cast<std::size_t>(a.get_int("next", 0, 0, 1 << 20));
  // Refused before any work: the scores and next_touch tables are two tables.
  if (next > 0 && output_format(a) == jg::TableFormat::csv)
    throw UsageError("--format csv writes one table; --next adds the table next_touch to the scores (use --format "
                     "json or table, or leave --next out)");

  jg::MarkovModel model;
  jg::JourneySet histories;
  jg::BuildReport report;
  if (jg::is_saved_model(source)) {
    for (const char* o : {"order", "smoothing", "self-loops"})
      if (a.has(o)) throw UsageError(std::string("--") + o + " applies when the model is fitted on data; " + source +
                                     " is a saved model");
    if (!a.has("histories"))
      throw UsageError("a saved model needs the journeys to score: --histories FILE");
    model = jg::MarkovModel::load(source, execution(a));
    histories = load_journeys(a, a.get("histories"), report);
    print_report(a, report);
  } else {
    const jg::JourneySet data = load_journeys(a, source, report);
    print_report(a, report);
    if (auto h = a.maybe("histories")) {
      model = jg::MarkovModel::fit(data, model_options(a), execution(a));
      jg::BuildReport hr;
      histories = load_journeys(a, *h, hr);
      print_report(a, hr);
    } else {
      if (!want_open)
        throw UsageError("say what to score: --histories FILE, or --open for the open journeys of " + source);
      // Open journeys have not ended: counting them as non-conversions would bias the chain, so it is
      // fitted on the others.
      model = jg::MarkovModel::fit(jg::closed_journeys(data, open, execution(a)), model_options(a), execution(a));
      histories = data;
    }
  }
  std::vector<jg::Table> tables;
  if (want_open) {
    tables.push_back(jg::score_open_journeys(model, histories, open, {}, execution(a)));
  } else {
    tables.push_back(jg::score_table(model, histories, {}, execution(a)));
  }
  if (next > 0) {
    const jg::Scorer scorer(model, execution(a));
    const std::vector<std::size_t> rows = want_open ? jg::open_journeys(histories, open) : std::vector<std::size_t>();
    tables.push_back(jg::next_touch_table(scorer, histories, next, want_open ? &rows : nullptr, execution(a)));
  }
  print_tables(a, tables);
  return 0;
}

}  // namespace journeygraph::cli
