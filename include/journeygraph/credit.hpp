#pragma once
/// \file credit.hpp
/// Every journey's credit: the attribution of each model split over the journeys that earned it, so that it
/// joins back to the caller's data (customers, orders, lifetime value); its calibration to external
/// incrementality figures; and the exact removal effects of touchpoint sequences.
///
/// Per-journey credit. A converting journey j (conversions c_j > 0, value v_j) gives each touchpoint t a
/// conversions credit x_jt and a value credit y_jt.
///  - Rule-based models (first_touch ... time_decay, fractribution) and Shapley are per journey by
///    construction: x_jt = c_j * share_jt and y_jt = v_j * share_jt with the model's shares of the journey
///    (attribution.hpp). shapley and ordered_shapley give each distinct touchpoint of the journey's coalition
///    an equal share (the simplified Shapley value is a sum of such per-journey splits). For every one of
///    them but participation, sum_t x_jt = c_j and sum_t y_jt = v_j; participation gives every distinct
///    touchpoint the journey's whole credit (sum_t x_jt = c_j * distinct touchpoints). The sum over the
///    journeys of x_jt is the model's attribution of t.
///  - markov has no journey in its formula, so its totals M_t (conversions) and W_t (value) are allocated:
///    journey j starts from its conversions split over its distinct touchpoints in proportion to their
///    removal effects (x0_jt = c_j RE_t / sum_{u in j} RE_u), and iterative proportional fitting (IPF)
///    then rescales rows and columns alternately until sum_t x_jt = c_j for every journey and
///    sum_j x_jt = M_t for every touchpoint; value likewise with v_j, the value removal effects and W_t.
///    The result has the form x_jt = a_j b_t RE_t on the journeys' own touchpoints: it is the matrix with
///    both margins that is nearest the removal-effect split in Kullback-Leibler divergence (the classical
///    property of IPF). Convergence: IPF converges to both margins when a matrix with them exists that is
///    zero outside the pattern (journey j, touchpoint t of journey j with M_t > 0), and fast (linearly) when
///    one exists that is positive on the whole pattern. The Markov totals need not admit one: the chain may
///    credit a touchpoint for paths that other journeys completed (a touchpoint of no converting journey),
///    or give a touchpoint less than the journeys made of it alone converted. IPF stops when every column
///    sum is within CreditOptions::tolerance (relative to the total) of its target, or after
///    CreditOptions::max_iterations passes, or when 50 passes no longer halve the largest gap. What is left
///    then is closed exactly by a transfer: with D_t = M_t - (column sum of t), every journey gives up the
///    fraction -D_t / (column sum) of its credit to each over-credited touchpoint (D_t < 0), and hands what
///    it gave up (and all of a converting journey none of whose touchpoints has Markov credit) to the
///    under-credited touchpoints in proportion to D_t. Both margins then hold to rounding, no credit is
///    negative, and credit that lands on a touchpoint outside the journey is marked in_journey = false;
///    the metadata markov_moved says how much moved (0 when IPF converged). With CreditOptions::transfer
///    false, a fit that stops short is a DataError naming the touchpoint with the largest gap instead.
///    The passes hold one factor per touchpoint and read the journeys one at a time.
///
/// Keys: a journey's key is JourneySet::key_string (the event log's journey id, or the paths file's data
/// row, 0-based); the journeys one id was split into (at conversions or gaps) share the key and are told
/// apart by their part number (1, 2, ... in time order).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "journeygraph/attribution.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// External per-touchpoint incremental conversions (from a media-mix model or lift tests) to calibrate a
/// model's per-journey credit to.
struct Calibration {
  /// The model calibrated (one of CreditOptions::attribution.models, or any model: it is computed).
  AttributionModel model = AttributionModel::markov;
  /// Touchpoint names and their incremental conversions (finite, >= 0). A touchpoint of the journeys that
  /// is not listed keeps the model's credit; a listed touchpoint that the journeys do not have is an error.
  std::vector<std::string> touchpoints;
  std::vector<double> conversions;
};

/// Part numbers of the journeys, the second half of a journey's key (see Keys above): 1 for a journey whose key
/// differs from the previous journey's, else the previous journey's part + 1. All 1 when the set has no keys
/// (each journey is then keyed by its row alone). Complexity: O(journeys + bytes of text keys).
std::vector<std::int64_t> journey_parts(const JourneySet& journeys);
/// Whether journeys a and b of the set have the same key (false when the set has no keys). Precondition:
/// a, b < journeys.size(). Complexity: O(length of the keys).
bool same_key(const JourneySet& journeys, std::size_t a, std::size_t b);
/// Append the two columns that name journeys in every per-journey table (journey_credit, and the scores of
/// scoring.hpp), so that its rows join back to the caller's data and to each other: "journey" (the journey's
/// key: integer, or string when the keys are text; the row index in the set when it has no keys) and "part"
/// (integer, from 1, see journey_parts()). Row i names journey rows[i], whose part is parts[i]. Returns t.
/// Precondition: t has no columns or rows.size() rows, every row < journeys.size(), parts.size() ==
/// rows.size(). Complexity: O(rows + bytes of the text keys copied).
Table& add_journey_key_columns(Table& t, const JourneySet& journeys, const std::vector<std::size_t>& rows,
                               std::vector<std::int64_t> parts);

/// Options of journey_credit().
struct CreditOptions {
  /// The models (attribution.models, in that order), the Markov chain options and the rule parameters.
  /// The bootstrap options are ignored.
  AttributionOptions attribution;
  /// Most IPF passes (each reads every journey once). Must be >= 1.
  std::size_t max_iterations = 1000;
  /// IPF stops when every touchpoint's column sum is within tolerance * max(1, total) of its target.
  /// Must be in (0, 1e-6].
  double tolerance = 1e-14;
  /// Close what the fitting leaves with the transfer described above (rows with in_journey false); when
  /// false, a fit that stops short of the margins is a DataError naming the touchpoint.
  bool transfer = true;
  /// When set, the credit of calibration->model is also calibrated (see calibration_table()), under the
  /// model name "calibrated".
  std::optional<Calibration> calibration;
};

/// Per-journey credit of every requested model as a long table ("journey_credit"), one row per converting journey,
/// model and touchpoint with non-zero credit, journey by journey (journeys in the set's order, then models in the
/// requested order, then touchpoints in order of first appearance in the journey). Columns: journey (integer, or string
/// when the keys are text), part (integer, from 1), model, touchpoint, conversions, value, in_journey (boolean: the
/// touchpoint is one of the journey's; false only for credit placed by the transfer, see the file comment). Journeys
/// without conversions have no rows. Metadata: models, total_conversions, total_value; with markov, markov_iterations,
/// markov_max_gap (largest |column sum - M_t| when the fitting stopped, conversions and value), markov_moved and
/// markov_value_moved (what the transfer moved); with a calibration, calibration_iterations, calibration_max_gap and
/// calibration_moved. With a calibration the "calibrated" rows rescale the model's credit by the same IPF so that the
/// touchpoint totals are the external figures (the model's own credit for touchpoints not listed) and each journey's
/// conversions are c_j * E / C (E the total of those targets, C the observed total); its value credit is its
/// conversions credit times the journey's value per conversion. Throws what attribute() throws, InvalidArgument for
/// options out of their domain, DataError when IPF stops short of the margins and CreditOptions::transfer is false.
/// Deterministic for any thread count. Complexity: the models' attribution, plus O(passes x touches) for markov and a
/// calibration, plus O(rows) for the table.
Table journey_credit(const JourneySet& journeys, const CreditOptions& options = {}, const Execution& exec = {});

/// journey_credit() written as CSV (to_csv's format, with CsvOptions guard_formulas) to file, journey by journey
/// through a TextFileWriter ("-" = standard output): memory O(touchpoints + models + one journey's rows) beside the
/// journeys themselves, whatever the number of rows. Throws as journey_credit() and IoError naming the file.
/// Complexity: as journey_credit().
void write_journey_credit_csv(const JourneySet& journeys, const std::string& file,
                              const CreditOptions& options = {}, const CsvOptions& csv = {},
                              const Execution& exec = {});

/// How far a model's touchpoint totals are from external figures ("calibration"), one row per touchpoint
/// (the journeys' touchpoints, sorted). Columns: touchpoint, model_conversions (the model's credit),
/// external_conversions (NaN when not given), difference (model - external; NaN when not given), ratio
/// (model / external; NaN when external is 0 or not given). Metadata: model, model_total, external_total
/// (the sum of the figures given). Throws as journey_credit(). Complexity: the model's
/// attribution.
Table calibration_table(const JourneySet& journeys, const CreditOptions& options, const Execution& exec = {});

/// Read external incremental conversions from a CSV file with columns touchpoint and conversions (other
/// columns ignored). Throws IoError, ParseError naming the file, line, column and value (a missing column,
/// a duplicated touchpoint, a negative or non-finite number). Complexity: O(size).
Calibration read_calibration_csv(const std::string& file);

/// Options of sequence_removal_effects().
struct SequenceOptions {
  /// Sequences to evaluate, each a list of touchpoint names (length >= 1).
  std::vector<std::vector<std::string>> sequences;
  /// Also the top_n most frequent observed sequences of top_length consecutive touches (weighted by
  /// conversions + nulls; ties broken by name), after the named ones (a named one is not repeated).
  std::size_t top_n = 0;
  std::size_t top_length = 2;
  /// The chain (its order must be at least the longest sequence's length - 1).
  ModelOptions markov;
};

/// Exact removal effects of touchpoint sequences as a table ("sequence_removal_effects"). Removing a
/// sequence s_1 > ... > s_L sends every transition that completes it (a move to s_L from a state whose
/// history ends with s_1 .. s_{L-1}) to NULL; the chain is solved again (the same solver as the touchpoint
/// removal effects, no simulation) and RE = 1 - P(conversion | removed) / P(conversion), and likewise for
/// expected value. A sequence of one touchpoint is that touchpoint's removal effect (every transition into
/// it). Columns: sequence ("a > b"), length, occurrences (weighted count of the sequence in the journeys),
/// removal_effect, removal_effect_value, conversion_probability_without. Metadata: order,
/// conversion_probability, expected_value, max_residual. Throws InvalidArgument for an unknown touchpoint,
/// an empty sequence or a sequence longer than order + 1 (it would need a longer history than the states
/// keep: fit with order >= L - 1), DataError when the chain has no conversions. Complexity: one fit, plus
/// one chain solve per sequence.
Table sequence_removal_effects(const JourneySet& journeys, const SequenceOptions& options,
                               const Execution& exec = {});

/// Parse "a>b,c>d" (sequences separated by ',', touchpoints by '>', blanks around names trimmed). Throws
/// InvalidArgument naming the position of an empty name. Complexity: O(length).
std::vector<std::vector<std::string>> parse_sequences(std::string_view text);

}  // namespace journeygraph
