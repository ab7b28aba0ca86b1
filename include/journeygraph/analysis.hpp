#pragma once
/// \file analysis.hpp
/// What a fitted chain says beyond attribution: fundamental-matrix quantities (conversion probability,
/// expected value and expected touches from every state, expected visits), synthetic journeys drawn from
/// the chain, and the choice of the chain's order.
///
/// Fundamental-matrix quantities. With Q the transitions between transient states and N = (I - Q)^-1:
/// expected visits from START are the row e_START^T N (one forward sparse solve), and a per-state quantity
/// h = N r (conversion probability for r = P(-> CONVERSION), expected value for r = P(-> CONVERSION) * value
/// per conversion, expected visits still to come for r = 1) is one sparse solve of (I - Q) h = r, done as a
/// forward solve of the transposed chain. N itself is never formed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// Fundamental-matrix quantities of a fitted chain. Vectors over states are indexed like the model's
/// transient states (0 = START). Touches are counted as the chain sees a journey: entering a state from
/// START adds its 1..order touchpoints, every later state adds its last one (so under SelfLoops::drop a
/// repeated state counts once).
struct ChainAnalysis {
  std::vector<std::string> states;             ///< state names, "(start)" first
  std::vector<double> conversion_probability;  ///< P(absorption in CONVERSION | in state i)
  std::vector<double> expected_value;          ///< expected conversion value from state i (value convention of attribution.hpp)
  std::vector<double> touches_to_go;           ///< expected touches still to come from state i before absorption;
                                               ///< for START the expected number of touches of a journey
  std::vector<double> expected_visits;         ///< expected visits to state i per journey (START: 1)
  std::vector<std::string> touchpoints;        ///< the model's touchpoints (sorted)
  std::vector<double> touchpoint_visits;       ///< expected touches of each touchpoint per journey; sums to
                                               ///< touches_to_go[0]
  double expected_touches = 0;                 ///< touches_to_go[0]
  /// Largest relative residual ||b - Ax|| / ||b|| of the four solves behind these numbers.
  double max_residual = 0;
};

/// Fundamental-matrix quantities of a fitted model by sparse solves: one forward solve and three solves of
/// the transposed chain. Throws StateError if the model is unfitted. Complexity: four chain solves
/// (linear in the transitions for acyclic parts, a sparse LU or preconditioned GMRES per strongly connected
/// component) + O(states * order).
ChainAnalysis analyze_chain(const MarkovModel& model, const Execution& exec = {});

/// Options of simulate_journeys().
struct SimulationOptions {
  std::size_t journeys = 10000;    ///< journeys to draw
  std::uint64_t seed = 0;          ///< the same seed gives the same journeys, whatever the thread count
  std::size_t max_touches = 10000; ///< a journey still running after this many touches ends as a non-conversion
};

/// Draw synthetic journeys from a fitted model of any order: each journey walks the chain from START by
/// its transition probabilities until CONVERSION or NULL. The touches are those the chain sees (entering a
/// state from START emits its touchpoints, every later state its last one), so refitting the journeys with
/// the model's order and self-loop setting estimates the model's own probabilities. Each row is one
/// journey: 1 conversion (value = the last state's mean value per conversion) or 1 null; no timestamps.
/// Journey j uses its own counter-based random stream, so journeys are drawn in parallel with identical
/// results for any thread count. Throws StateError if the model is unfitted, InvalidArgument if
/// max_touches is 0. Complexity: O(touches drawn * log(row length)) + O(transitions).
JourneySet simulate_journeys(const MarkovModel& model, const SimulationOptions& options = {},
                             const Execution& exec = {});

/// Options of choose_order().
struct OrderChoiceOptions {
  unsigned max_order = 4;                 ///< orders 1..max_order are compared (1 <= max_order <= kMaxOrder)
  double holdout = 0.2;                   ///< share of journeys held out for validation, in (0, 1)
  std::uint64_t seed = 0;                 ///< seed of the split
  double smoothing = 0.0;                 ///< smoothing of every fit (ModelOptions::smoothing)
  /// Self-loop setting of every fit. keep by default: only then do the chains of every order describe the
  /// same sequence of touches (drop collapses immediate repeats at order 1 but not at order 2), so that their
  /// likelihoods compare.
  SelfLoops self_loops = SelfLoops::keep;
  /// Probability given to a held-out transition the training chain gives probability 0 (an unseen state or
  /// transition), in (0, 1). It is a floor, not a renormalisation: the held-out log-likelihood is a score.
  double floor = 1e-6;
};

/// How well the chain of one order fits and predicts.
struct OrderScore {
  unsigned order = 0;
  std::size_t states = 0;             ///< transient states of the chain fitted on all journeys (START included)
  double parameters = 0;              ///< free transition probabilities: per state, transitions with p > 0 minus 1
  double observations = 0;            ///< transitions observed (weights summed, START and absorption included)
  double log_likelihood = 0;          ///< of all journeys under the chain fitted on them (natural log)
  double aic = 0;                     ///< 2 parameters - 2 log_likelihood
  double bic = 0;                     ///< parameters ln(observations) - 2 log_likelihood
  double heldout_log_likelihood = 0;  ///< of the held-out journeys under the chain fitted on the others (total)
  double heldout_journeys = 0;        ///< weight of the held-out journeys
  double unseen = 0;                  ///< weight of held-out transitions scored with the floor
  double auc = 0;                     ///< ROC AUC of P(conversion | path so far) on held-out journeys (NaN if
                                      ///< they are all conversions or all non-conversions)
  double log_loss = 0;                ///< mean log-loss of the same predictions
};

/// Scores of orders 1..max_order and the recommended one.
struct OrderChoice {
  std::vector<OrderScore> scores;  ///< one per order, ascending
  unsigned recommended_order = 1;  ///< the order with the highest held-out log-likelihood (ties: the lower)
};

/// Compare chains of orders 1..max_order. In-sample: log-likelihood of every journey's transitions under
/// the maximum-likelihood (or smoothed) chain, AIC and BIC with parameters = free transition probabilities.
/// Held out: the journeys are split by a seeded hash (each of the journeys a row stands for is held out with
/// probability `holdout`; a row's value follows its conversions), a chain is fitted on the rest, and
/// (1) the held-out journeys' transitions are scored under it (transitions of probability 0 get `floor`);
/// (2) after every touch of a held-out journey ("path so far") the chain predicts whether the journey
/// converts: from touch k on, the absorption probability P(conversion | state) of the state the last k
/// touches form; before (touch i < k, the first state not yet known) the mixture of the states START leads
/// to that begin with those i touches, weighted by their probabilities. Predictions are thus made at the
/// same points for every order and never see touches still to come. A state or prefix unseen in training
/// keeps the previous prediction (START's probability to begin with). ROC AUC and log-loss are taken over
/// these predictions, each weighted by the journey's conversions (positive) and nulls (negative).
/// Log-likelihoods are comparable across orders because each chain scores the whole journey (with the
/// default SelfLoops::keep; under drop, chains of different orders collapse immediate repeats differently,
/// which is harmless only for journeys without repeats). The recommended order maximises the held-out
/// log-likelihood.
/// Throws InvalidArgument for options out of range, DataError if either part of the split is empty.
/// Deterministic. Complexity: 2 * max_order fits and one absorption solve per order, plus
/// O(touches * max_order).
OrderChoice choose_order(const JourneySet& journeys, const OrderChoiceOptions& options = {},
                         const Execution& exec = {});

/// A chain analysis as a table ("chain_analysis"), one row per transient state (START first). Columns:
/// state, conversion_probability, expected_value, touches_to_go, expected_visits. Metadata:
/// expected_touches, max_residual. Complexity: O(states).
Table chain_table(const ChainAnalysis& analysis);

/// The expected touches of each touchpoint per journey ("touchpoint_visits"). Columns: touchpoint,
/// expected_visits. Complexity: O(touchpoints).
Table touchpoint_visit_table(const ChainAnalysis& analysis);

/// An order choice as a table ("order_choice"), one row per order. Columns: order, states, parameters,
/// observations, log_likelihood, aic, bic, heldout_log_likelihood, heldout_journeys, unseen, auc, log_loss.
/// Metadata: recommended_order, then the options it ran with: max_order, holdout, seed, smoothing,
/// self_loops, floor. Complexity: O(orders).
Table order_table(const OrderChoice& choice, const OrderChoiceOptions& options = {});

}  // namespace journeygraph
