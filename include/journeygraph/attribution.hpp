#pragma once
/// \file attribution.hpp
/// Attribution: which touchpoints earn the conversions. Exact Markov removal effects (solved, never
/// simulated), the simplified and ordered Shapley value and the heuristic models, all in conversions and in
/// value, with bootstrap confidence intervals on request (uncertainty.hpp).
///
/// Removal effect of touchpoint c: every state containing c is sent to NULL, and
/// RE_c = 1 - P(conversion | c removed) / P(conversion); the Markov attribution of c is
/// RE_c / sum(RE) * total conversions. Value: each state's conversion reward is scaled by the mean value
/// per conversion of the journeys whose last state it is, and the same formulas are applied to expected
/// value (ChannelAttribution's convention).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/table.hpp"
#include "journeygraph/uncertainty.hpp"

namespace journeygraph {

/// Exact removal effects of a fitted model, one entry per touchpoint (in model.touchpoints() order).
struct RemovalEffects {
  std::vector<std::string> touchpoints;
  double conversion_probability = 0;  ///< P(conversion) of the full chain
  double expected_value = 0;          ///< expected value per journey of the full chain
  double total_conversions = 0;       ///< conversions of the fitted journeys
  double total_value = 0;             ///< value of the fitted journeys
  std::vector<double> removal_effect;                  ///< 1 - P(conv | c removed) / P(conv)
  std::vector<double> removal_effect_value;            ///< 1 - E(value | c removed) / E(value)
  std::vector<double> conversions;                     ///< removal_effect / sum * total_conversions
  std::vector<double> value;                           ///< removal_effect_value / sum * total_value
  std::vector<double> conversion_probability_without;  ///< P(conv | c removed)
  /// Largest relative residual ||b - Ax|| / ||b|| over every chain solve behind these numbers: how exact
  /// they are. Direct solves give rounding-level values (~1e-16); iterative ones (components of more than
  /// 2000 states) are run to 1e-15 and never accepted above 1e-12.
  double max_residual = 0;
};

/// Exact removal effects: one sparse solve of the absorbing chain per touchpoint (in parallel, identical
/// bits for any thread count). Throws StateError if the model is unfitted, DataError if it has no
/// conversions (P(conversion) = 0). Complexity: O(touchpoints * solve), where a solve is linear in the
/// transitions for acyclic parts and a sparse LU per strongly connected component otherwise.
RemovalEffects removal_effects(const MarkovModel& model, const Execution& exec = {});

/// Attribution models. Names (CLI, Python, C) are model_name(). Every model credits conversions and value;
/// journeys without conversions give nothing. "Touches" are the entries of a path, repeats included.
enum class AttributionModel {
  markov,           ///< exact Markov removal-effect attribution
  first_touch,      ///< all credit to the first touch
  last_touch,       ///< all credit to the last touch
  linear,           ///< equal credit to every touch of the journey, repeated touches included
  last_non_direct,  ///< all credit to the last touch whose touchpoint is not excluded (HeuristicOptions::
                    ///< excluded); a journey of excluded touches only credits its last touch
  position_based,   ///< U-shaped: first_weight to the first touch, last_weight to the last, the rest shared
                    ///< equally by the touches between (see HeuristicOptions for 1 and 2 touches)
  j_curve,          ///< position-based with 20 % first, 60 % last, 20 % between
  inverse_j,        ///< position-based with 60 % first, 20 % last, 20 % between
  time_decay,       ///< each touch weighted by 2^(-age / half_life), age = time before the journey's last
                    ///< touch; weights normalised per journey. Needs timestamps.
  participation,    ///< every distinct touchpoint of the journey gets the journey's full credit (credits
                    ///< sum to more than the total when journeys have several touchpoints)
  shapley,          ///< simplified Shapley value over touchpoint sets (see shapley_attribution())
  ordered_shapley,  ///< Shapley value split by the position in the journey at which each touchpoint first
                    ///< appears: the result is AttributionResult::positions (its row sums, the
                    ///< touchpoint totals, equal shapley's credits)
  fractribution,    ///< the path-rate counterfactual of Google's fractribution: a path's conversion rate is
                    ///< conversions / (conversions + nulls) of the journeys with exactly that path; in a
                    ///< converting path of n >= 2 touches, touch i scores max(0, rate(path) - rate(path
                    ///< without touch i)) (an unobserved path has rate 0), the scores are normalised within
                    ///< the path, and all of it goes to the last touch when every score is 0; a path of one
                    ///< touch gives it everything. Repeated touchpoints add their touches' shares. A
                    ///< bootstrap replicate computes the path rates again from its own draws.
};

/// "markov", "first_touch", "last_touch", "linear", "last_non_direct", "position_based", "j_curve",
/// "inverse_j", "time_decay", "participation", "shapley", "ordered_shapley", "fractribution".
const char* model_name(AttributionModel model) noexcept;
/// Inverse of model_name. Throws InvalidArgument listing the known names.
AttributionModel parse_model(std::string_view name);
/// Every model, in declaration order.
std::vector<AttributionModel> all_models();
/// The default models of every face (C++ AttributionOptions, C n_models = 0, CLI --models, Python and R
/// models = None/NULL): markov, first_touch, last_touch, linear. Complexity: O(1).
std::vector<AttributionModel> default_models();
/// Every model that applies to these journeys: all_models() without time_decay when the journeys have no
/// timestamps. Complexity: O(1).
std::vector<AttributionModel> applicable_models(const JourneySet& journeys);

/// Parameters of the rule-based models.
struct HeuristicOptions {
  /// Touchpoints that last_non_direct passes over (matched by exact name). Names absent from the data are
  /// allowed.
  std::vector<std::string> excluded = {"direct"};
  /// position_based: share of the first and of the last touch, each in [0, 1], first + last <= 1. With
  /// three touches or more the touches between share 1 - first - last equally. A journey of one touch gives
  /// it everything; of two touches, first and last split the credit in the ratio first : last (equally if
  /// both are 0), i.e. 50/50 with the defaults. j_curve and inverse_j follow the same rules with 0.2/0.6 and
  /// 0.6/0.2 (two touches: 25/75 and 75/25).
  double first_weight = 0.4;
  double last_weight = 0.4;
  /// time_decay: half-life in seconds (> 0, finite); default 7 days. A touch this long before the journey's
  /// last touch weighs half as much as the last touch.
  double half_life = 7 * 24 * 3600.0;
};

/// Options of the Shapley models.
struct ShapleyOptions {
  /// Largest coalition considered; 0 = no cap. A converting journey with more distinct touchpoints than the
  /// cap keeps its max_coalition most recent ones (by last appearance); the others get no credit from it, so
  /// credits still sum to the total conversions. The kept touchpoints keep their positions in the journey
  /// (see PositionCredit): under a cap of 2, a > b > c credits b at position 2 and c at position 3.
  std::size_t max_coalition = 0;
};

/// Options of attribute().
struct AttributionOptions {
  /// The models to run, in this order (default: default_models()).
  std::vector<AttributionModel> models = default_models();
  /// Chain options used by the markov model.
  ModelOptions markov;
  /// Parameters of last_non_direct, position_based and time_decay.
  HeuristicOptions heuristics;
  /// Parameters of shapley and ordered_shapley.
  ShapleyOptions shapley;
  /// Bootstrap confidence intervals for every requested model (off unless replicates > 0).
  BootstrapOptions bootstrap;
};

/// Credit of one model per touchpoint, in conversions and value.
struct ModelAttribution {
  AttributionModel model;
  std::vector<double> conversions;
  std::vector<double> value;
  /// Bootstrap intervals of conversions and value (present when AttributionOptions::bootstrap ran).
  std::optional<Intervals> conversions_interval;
  std::optional<Intervals> value_interval;
};

/// The ordered Shapley value: Shapley credit by position in the journey. A touchpoint's position is its rank
/// among the journey's distinct touchpoints by first appearance (a > b > a > c: a 1st, b 2nd, c 3rd), counted
/// over the whole journey, also when a coalition cap leaves the earlier ones out. Entry [t * positions + p]
/// is the credit of touchpoint t (AttributionResult::touchpoints order) at position p + 1; the faces show it
/// as columns position_1 .. position_<positions>. Row sums are the shapley credits; column sums are the
/// credit each position earns.
struct PositionCredit {
  std::size_t positions = 0;        ///< the largest position that earned credit
  std::vector<double> conversions;  ///< touchpoints x positions, row-major
  std::vector<double> value;        ///< the same in value
};

/// Attribution of several models over the same touchpoints.
struct AttributionResult {
  /// Touchpoint names, sorted (byte order); every vector below is indexed like this.
  std::vector<std::string> touchpoints;
  std::vector<ModelAttribution> models;
  double total_conversions = 0;
  double total_nulls = 0;
  double total_value = 0;
  /// Present when the markov model was requested.
  std::optional<RemovalEffects> markov;
  /// Bootstrap intervals of markov->removal_effect (present with markov and a bootstrap).
  std::optional<Intervals> removal_effect_interval;
  /// The ordered_shapley result (present when it was requested): credit by touchpoint and position. Its
  /// ModelAttribution entry in models holds the row sums, which are shapley's credits.
  std::optional<PositionCredit> positions;
  /// What the bootstrap did (present when it ran).
  std::optional<BootstrapSummary> bootstrap;
  /// Credit of every bootstrap replicate, one entry per model (in the order of models) when the bootstrap
  /// ran: entry [r * touchpoints + t] of conversions (value) is replicate r's credit of touchpoint t; a
  /// markov replicate that drew no conversion is a row of NaN. The intervals above and the money intervals
  /// (money.hpp) are computed from them.
  struct Replicates {
    std::vector<double> conversions;
    std::vector<double> value;
  };
  std::vector<Replicates> replicates;
  unsigned order = 1;
  /// The entry of a model, or nullptr if it was not requested.
  const ModelAttribution* find(AttributionModel model) const noexcept;
};

/// Credit per touchpoint of a rule-based model (every model but markov, Shapley included), indexed like
/// sorted touchpoint names of the journeys. Journeys without conversions give nothing. Throws
/// InvalidArgument for AttributionModel::markov, for options out of their domain (naming the value), and
/// for time_decay on journeys without timestamps. Complexity: O(touches).
ModelAttribution heuristic_attribution(const JourneySet& journeys, AttributionModel model,
                                       const AttributionOptions& options);
/// The same with default options.
ModelAttribution heuristic_attribution(const JourneySet& journeys, AttributionModel model);

/// Shapley credit per touchpoint (see shapley_attribution()).
struct ShapleyResult {
  std::vector<std::string> touchpoints;  ///< sorted, as every attribution result
  std::vector<double> conversions;       ///< Shapley credit in conversions
  std::vector<double> value;             ///< Shapley credit in value
  PositionCredit positions;              ///< the ordered variant's breakdown
  std::size_t coalitions = 0;            ///< distinct touchpoint sets with conversions
};

/// Simplified Shapley value (Zhao, Mahboobi and Bagheri, 2018). Players are touchpoints; R(S) is the total
/// conversions (value) of the converting journeys whose set of distinct touchpoints is exactly S (after the
/// coalition cap), and the game is v(S) = sum of R(T) over T subset of S: what the journeys using only
/// touchpoints of S earn. v is a sum of unanimity games, so its Shapley value is exactly
/// phi_j = sum over S containing j of R(S) / |S|, computed per distinct set: no enumeration of 2^n
/// coalitions, any number of touchpoints. Efficiency: the credits sum to the total conversions (value).
/// The ordered variant splits each R(S) / |S| by the position in the journey at which the touchpoint first
/// appears (PositionCredit). Journeys without conversions give nothing. Complexity: O(touches) expected time,
/// O(distinct coalitions with their positions * their size) memory.
ShapleyResult shapley_attribution(const JourneySet& journeys, const ShapleyOptions& options = {});

/// Fit (if markov is requested) and run every requested model; with options.bootstrap.replicates > 0, also
/// bootstrap intervals for every model (see uncertainty.hpp). Throws DataError if the journeys are empty or
/// have no conversions, InvalidArgument for options out of their domain or time_decay without timestamps.
/// Deterministic for any thread count. Complexity: the sum of the requested models', plus for a bootstrap
/// O(replicates * (journeys + distinct path touches + per-replicate model cost)).
AttributionResult attribute(const JourneySet& journeys, const AttributionOptions& options = {},
                            const Execution& exec = {});

/// Markov attribution of an already fitted (e.g. loaded) model: the markov entry only, over the model's
/// touchpoints. Throws StateError if unfitted, DataError without conversions. Complexity: removal_effects.
AttributionResult attribute(const MarkovModel& model, const Execution& exec = {});

/// An attribution as a table ("attribution"), one row per touchpoint (sorted by name). Columns: touchpoint;
/// with markov, removal_effect and removal_effect_value; one column per model, in the requested order, named
/// after it (model_name) with the conversions it credits; then one <model>_value column per model with the
/// value it credits; with a bootstrap, each of these estimate columns X except removal_effect_value is
/// followed by X_se, X_lower and X_upper; with ordered_shapley, ordered_shapley_position_1 .. _P (its credit
/// by position of first appearance). Metadata: order, models (comma-separated), total_conversions,
/// total_nulls, total_value; with markov conversion_probability, expected_value, max_residual; with a
/// bootstrap replicates, confidence, seed, markov_failed_replicates and X_stability for each estimate column
/// X with intervals. Complexity: O(touchpoints x columns).
Table attribution_table(const AttributionResult& result);

/// Removal effects as a table ("removal_effects"), one row per touchpoint. Columns: touchpoint,
/// removal_effect, removal_effect_value, conversions, value, conversion_probability_without. Metadata:
/// conversion_probability, expected_value, total_conversions, total_value, max_residual.
/// Complexity: O(touchpoints).
Table removal_table(const RemovalEffects& effects);

/// Touchpoint names of a journey set, sorted (the order used by every attribution result).
std::vector<std::string> sorted_touchpoints(const JourneySet& journeys);

}  // namespace journeygraph
