#pragma once
// Shared pieces of the journeygraph command-line program: the input, model and execution options every
// data command accepts (their defaults are those of the core's option structs), loading journeys from them,
// and printing result tables with the core's writers.

#include <string>
#include <vector>

#include "args.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/money.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph::cli {

// The message of a core error as the program prints it: prefixed with the command-line option that carries
// the value at fault ("--steps: ...") when the error names an options field (Error::option) the program has a
// flag for. The one table from options fields to flags lives in its definition.
std::string error_message(const Error& e);

// The format tables are written in: --format when given, else by the extension of --output FILE (.csv: CSV,
// .json: JSON, any case), else aligned text.
TableFormat output_format(const Args& a);
// "journeygraph: MESSAGE" on stderr (what was written, what was left out) unless --quiet; a progress line
// on the terminal is erased first.
void say(const Args& a, const std::string& message);
// Erases the progress line if one is on the terminal (before anything else is printed to stderr).
void end_progress_line();

// Columns of the terminal on stderr (TIOCGWINSZ), else $COLUMNS, else 80.
std::size_t terminal_columns();
// The text of the progress line: "journeygraph: STAGE  43% [###...]  2.1%/s  ETA 0:27" for the fraction done of
// a stage running for `seconds`, at most columns - 1 characters (the bar shrinks, then goes, then the line is
// cut). Complexity: O(columns).
std::string progress_line(double fraction, const std::string& stage, double seconds, std::size_t columns);

// Options of journey input (--paths/--events and their columns, journey options, CSV dialect, threads).
void add_input_options(Args& a);
// Options of the Markov chain (--order, --smoothing, --self-loops).
void add_model_options(Args& a);
// --threads (and a progress bar on a terminal unless --quiet) as an Execution.
Execution execution(const Args& a);

// SIGINT handling: the first SIGINT sets a flag that every Execution made by execution() polls (the work
// stops at its next progress check with journeygraph::Interrupted); a second one ends the program at once.
void install_interrupt_handler();
// True once SIGINT has arrived.
bool interrupted() noexcept;
// Throws journeygraph::Interrupted if SIGINT has arrived: called before output is written.
void check_interrupted();
// Read FILE as --paths or --events with every option given; counts go to report.
JourneySet load_journeys(const Args& a, const std::string& file, BuildReport& report);
// --order/--smoothing/--self-loops as ModelOptions.
ModelOptions model_options(const Args& a);
// The single positional FILE argument.
std::string single_file(const Args& a);
// The build report on stderr unless --quiet.
void print_report(const Args& a, const BuildReport& r);
// Options of the models (--models and their parameters) and of the bootstrap (--bootstrap, --ci, --seed).
void add_attribution_options(Args& a);
// The options above for these journeys: "all" means every model that applies to them (time_decay needs
// timestamps; a note on stderr says when it is left out unless --quiet).
AttributionOptions attribution_options(const Args& a, const JourneySet& journeys);
// Section "money": --spend FILE (the help says what it adds: `adds`) and --spend-period P.
Args& add_spend_options(Args& a, const std::string& adds);
// The spend of --spend, or nullopt without it; UsageError for --spend-period without --spend.
std::optional<Spend> spend_option(const Args& a);
// The text view of an attribution: each model's estimate (and interval) by touchpoint, best-credited first.
TextOptions attribution_text(const AttributionResult& r);
// --format (table, csv or json) and --output FILE.
void add_output_options(Args& a, const char* section = "output");
// The tables in the --format, to --output or standard output: text tables one after the other (texts[i],
// when given, is the text view of tables[i]), JSON one document (or an object of documents keyed by table
// name), CSV exactly one table.
void print_tables(const Args& a, const std::vector<Table>& tables, const std::vector<TextOptions>& texts = {});

}  // namespace journeygraph::cli
