#pragma once
/// \file attribution.hpp
/// Attribution: which touchpoints earn the conversions. Exact Markov removal effects (solved, never
/// simulated) and heuristic models, all in conversions and in value.
///
/// Removal effect of touchpoint c: every state containing c is sent to NULL, and
/// RE_c = 1 - P(conversion | c removed) / P(conversion); the Markov attribution of c is
/// RE_c / sum(RE) * total conversions. Value: each state's conversion reward is scaled by the mean value
/// per conversion of the journeys whose last state it is, and the same formulas are applied to expected
/// value (ChannelAttribution's convention).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"

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

/// Attribution models. Names (CLI, Python, C) are model_name().
enum class AttributionModel {
  markov,       ///< exact Markov removal-effect attribution
  first_touch,  ///< all credit to the first touch
  last_touch,   ///< all credit to the last touch
  linear,       ///< equal credit to every touch of the journey, repeated touches included
};

/// "markov", "first_touch", "last_touch", "linear".
const char* model_name(AttributionModel model) noexcept;
/// Inverse of model_name. Throws InvalidArgument listing the known names.
AttributionModel parse_model(std::string_view name);
/// Every model, in declaration order.
std::vector<AttributionModel> all_models();

/// Options of attribute().
struct AttributionOptions {
  std::vector<AttributionModel> models = {AttributionModel::markov, AttributionModel::first_touch,
                                          AttributionModel::last_touch, AttributionModel::linear};
  /// Chain options used by the markov model.
  ModelOptions markov;
};

/// Credit of one model per touchpoint, in conversions and value.
struct ModelAttribution {
  AttributionModel model;
  std::vector<double> conversions;
  std::vector<double> value;
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
  unsigned order = 1;
  /// The entry of a model, or nullptr if it was not requested.
  const ModelAttribution* find(AttributionModel model) const noexcept;
};

/// Credit per touchpoint of a heuristic model (not markov), indexed like sorted touchpoint names of the
/// journeys. Journeys without conversions give nothing. Throws InvalidArgument for AttributionModel::markov.
/// Complexity: O(touches).
ModelAttribution heuristic_attribution(const JourneySet& journeys, AttributionModel model);

/// Fit (if markov is requested) and run every requested model. Throws DataError if the journeys are empty
/// or have no conversions. Complexity: the sum of the requested models'.
AttributionResult attribute(const JourneySet& journeys, const AttributionOptions& options = {},
                            const Execution& exec = {});

/// Markov attribution of an already fitted (e.g. loaded) model: the markov entry only, over the model's
/// touchpoints. Throws StateError if unfitted, DataError without conversions. Complexity: removal_effects.
AttributionResult attribute(const MarkovModel& model, const Execution& exec = {});

/// Touchpoint names of a journey set, sorted (the order used by every attribution result).
std::vector<std::string> sorted_touchpoints(const JourneySet& journeys);

}  // namespace journeygraph
