#pragma once
// Shared pieces of the journeygraph command-line program: the input, model and execution options every
// data command accepts, loading journeys from them, and the attribution table in each output format.

#include <ostream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/output.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/markov.hpp"

namespace journeygraph::cli {

// Options of journey input (--paths/--events and their columns, journey options, CSV dialect, threads).
void add_input_options(Args& a);
// Options of the Markov chain (--order, --smoothing, --self-loops).
void add_model_options(Args& a);
// --threads as an Execution.
Execution execution(const Args& a);
// Read FILE as --paths or --events with every option given; counts go to report.
JourneySet load_journeys(const Args& a, const std::string& file, BuildReport& report);
// --order/--smoothing/--self-loops as ModelOptions.
ModelOptions model_options(const Args& a);
// The single positional FILE argument.
std::string single_file(const Args& a);
// The build report on stderr unless --quiet.
void print_report(const Args& a, const BuildReport& r);
// --format: table, csv or json.
std::string output_format(const Args& a);
// A comma-separated list of model names, or "all" (every model; see attribution_options for the data).
std::vector<AttributionModel> parse_models(const std::string& list);
// Options of the models beyond the chain (--exclude, --position-weights, --half-life, --max-coalition) and
// of the bootstrap (--bootstrap, --ci, --seed).
void add_attribution_options(Args& a);
// --models and the options above for these journeys: "all" means every model that applies to them
// (time_decay needs timestamps; a note on stderr says when it is left out unless --quiet).
AttributionOptions attribution_options(const Args& a, const JourneySet& journeys);
// One row per touchpoint, one column per model (and its value column if with_values); with a bootstrap,
// each model column is followed by its _se, _lower and _upper columns; with ordered_shapley, its credit per
// position of first appearance (ordered_shapley_position_1, ...) when with_positions.
Table attribution_table(const AttributionResult& r, bool with_values, bool with_positions = false);
// The attribution in a format: "table" (sorted by Markov credit), "csv" or "json".
void print_attribution(std::ostream& os, const AttributionResult& r, const std::string& format);

}  // namespace journeygraph::cli
