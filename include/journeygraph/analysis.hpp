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

/// The most journeys simulate_journeys() draws in one call (2^32): a journey set indexes its journeys and
/// touches with 32-bit and 64-bit offsets, and a larger request is almost surely a wrapped or unset size.
inline constexpr std::uint64_t kMaxSimulatedJourneys = std::uint64_t(1) << 32;

/// Options of simulate_journeys().
struct SimulationOptions {
  std::size_t journeys = 10000;    ///< journeys to draw (at most kMaxSimulatedJourneys)
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
/// max_touches is 0 or journeys is above kMaxSimulatedJourneys (SIZE_MAX included), std::bad_alloc if the
/// journeys drawn do not fit in memory. Complexity: O(touches drawn * log(row length)) + O(transitions).
JourneySet simulate_journeys(const MarkovModel& model, const SimulationOptions& options = {},
                             const Execution& exec = {});

/// Options of choose_order().
struct OrderChoiceOptions {
  unsigned max_order = 4;                 ///< orders 1..max_order are compared (1 <= max_order <= kMaxOrder)
  double holdout = 0.2;                   ///< share of rows held out for validation, in (0, 1)
  std::uint64_t seed = 0;                 ///< seed of the split
  double smoothing = 0.0;                 ///< smoothing of every fit (ModelOptions::smoothing)
  /// Self-loop setting. keep (the default) scores the journeys' touches as they are. drop collapses every run
  /// of one touchpoint to one touch first, for every order (the touches the order-1 chain sees under drop;
  /// chains of higher order would collapse fewer repeats), so that all orders still score the same events.
  SelfLoops self_loops = SelfLoops::keep;
  /// Probability given to a held-out event that the history used to predict it gives probability 0 (a
  /// continuation training never saw after that history, or a touchpoint the training part lacks), in
  /// (0, 1); such events are counted in OrderScore::floored. It is a floor, not a renormalisation: the
  /// held-out log-likelihood is a score.
  double floor = 1e-6;
};

/// How well the chain of one order fits and predicts. Every order scores the same events: each touch and
/// each ending (conversion or null) of every journey, weighted by the journeys a row stands for, so
/// observations and heldout_events are equal on every row and likelihoods, AIC and BIC compare.
struct OrderScore {
  unsigned order = 0;
  std::size_t states = 0;             ///< transient states of the chain fitted on all journeys (START included)
  double parameters = 0;              ///< free transition probabilities: per state, transitions with p > 0 minus 1
  double observations = 0;            ///< scored events of all journeys: sum over journeys of (touches + 1)
  double log_likelihood = 0;          ///< of those events under the chain fitted on all journeys (natural log)
  double aic = 0;                     ///< 2 parameters - 2 log_likelihood
  double bic = 0;                     ///< parameters ln(observations) - 2 log_likelihood
  double heldout_log_likelihood = 0;  ///< of the held-out journeys' events under the chains fitted on the others
  /// Standard error of heldout_log_likelihood minus the best order's, over held-out rows: sqrt(G s^2), s^2
  /// the sample variance of the G rows' differences. 0 for the best order; NaN with one held-out row.
  double heldout_difference_se = 0;
  double heldout_events = 0;          ///< scored held-out events (touches + 1 per held-out journey)
  double heldout_journeys = 0;        ///< weight of the held-out journeys
  double unseen = 0;                  ///< held-out events whose order-k history training never saw, scored by
                                      ///< its longest seen suffix (back-off)
  double floored = 0;                 ///< held-out events scored with the floor (see OrderChoiceOptions::floor)
  double auc = 0;                     ///< ROC AUC of P(conversion | path so far) on held-out journeys (NaN if
                                      ///< they are all conversions or all non-conversions)
  double log_loss = 0;                ///< mean log-loss of the same predictions
};

/// Scores of orders 1..max_order and the recommended one.
struct OrderChoice {
  std::vector<OrderScore> scores;  ///< one per order, ascending
  /// The smallest order whose held-out log-likelihood is within heldout_difference_se of the best's.
  unsigned recommended_order = 1;
  unsigned best_order = 1;         ///< the order with the highest held-out log-likelihood (ties: the lower)
  std::string rule;                ///< the rule behind recommended_order, in one sentence
};

/// Compare chains of orders 1..max_order on the same events: each touch and each ending of every journey.
///
/// Events and histories. Event i of a journey (touch i, or the ending after the last touch) is predicted by
/// the chain of order k from the last k touches, or, when fewer than k touches precede it, from all of them
/// with START (START -> first state gives the joint probability of the first k touches; its conditionals are
/// ratios of the START row's weights). Their product is the chain's probability of the journey, so the
/// in-sample log-likelihood is the usual sum over the chain's transitions, and it is a sum over the same
/// events for every order.
///
/// In-sample: log-likelihood of every journey under the maximum-likelihood (or smoothed) chain fitted on all
/// journeys; AIC and BIC with parameters = free transition probabilities and n = observations.
///
/// Held out: whole rows are held out, each with probability `holdout` by a seeded hash (a row of events is one
/// journey; a row of aggregated paths is one path with its journeys, which are not split between the parts,
/// or the training part would hold the very paths it is tested on and an order high enough to spell out
/// whole paths would always look best), and chains of every order are fitted on the other rows.
/// (1) Every event of a held-out journey is scored under the training chain of order k. An event whose
/// history that chain never saw is not dropped: it backs off to the longest suffix of the history that
/// training saw (the same touches without START, then without the oldest touch, ..., down to the last touch
/// alone, a suffix of m touches scored by the training chain of order m); only after a touchpoint absent from
/// training is the base used, the training frequency of each event (touchpoint, conversion, null) among all
/// events. An event the history used gives probability 0 (never seen after it) gets `floor`.
/// (2) After every touch of a held-out journey ("path so far") the chain predicts whether the journey
/// converts: from touch k on, the absorption probability P(conversion | state) of the state the last k
/// touches form; before (touch i < k, the first state not yet known) the mixture of the states START leads
/// to that begin with those i touches, weighted by their probabilities. A state or prefix unseen in training
/// keeps the previous prediction (START's probability to begin with). ROC AUC and log-loss are taken over
/// these predictions, each weighted by the journey's conversions (positive) and nulls (negative).
///
/// Recommendation, the one-standard-error rule (Breiman et al., 1984) with a paired standard error: the
/// smallest order whose held-out log-likelihood is below the highest by at most the standard error of the
/// difference, computed over held-out rows from each row's difference between the two orders (as the
/// standard error of elpd differences in Vehtari, Gelman and Gabry, 2017). Paired, because every order's
/// level shares the row-to-row spread (long journeys score lower under every order), which says nothing
/// about which order predicts better; over rows, because rows are what the split samples. An order that
/// predicts held-out journeys no worse than the best within that noise is preferred for its fewer states.
/// The rule is also in OrderChoice::rule.
///
/// Throws InvalidArgument for options out of range, DataError if either part of the split is empty.
/// Deterministic. Complexity: 2 * max_order fits and one absorption solve per order, plus
/// O(touches * max_order^2) for scoring (back-off tries at most max_order histories per event). Memory: the
/// training chains of every order at once (back-off needs them all), plus O(held-out rows * max_order).
OrderChoice choose_order(const JourneySet& journeys, const OrderChoiceOptions& options = {},
                         const Execution& exec = {});

/// A chain analysis as a table ("chain_analysis"), one row per transient state (START first). Columns:
/// state, conversion_probability, expected_value, touches_to_go, expected_visits. Metadata:
/// expected_touches, max_residual. Complexity: O(states).
Table chain_table(const ChainAnalysis& analysis);

/// The expected touches of each touchpoint per journey ("touchpoint_visits"). Columns: touchpoint,
/// expected_visits. Complexity: O(touchpoints).
Table touchpoint_visit_table(const ChainAnalysis& analysis);

/// An order choice as a table ("order_choice"), one row per order: the fields of OrderScore. Columns: order,
/// states, parameters, observations (the scored events, equal on every row), log_likelihood, aic, bic,
/// heldout_log_likelihood, heldout_difference_se, heldout_events (equal on every row), heldout_journeys,
/// unseen, floored, auc, log_loss. Metadata: recommended_order, rule (OrderChoice::rule), best_order, then the
/// options it ran with: max_order, holdout, seed, smoothing, self_loops, floor. Complexity: O(orders).
Table order_table(const OrderChoice& choice, const OrderChoiceOptions& options = {});

}  // namespace journeygraph
