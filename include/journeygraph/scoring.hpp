#pragma once
/// \file scoring.hpp
/// Scoring journeys that have not ended yet ("open" journeys) against a fitted chain of any order:
/// P(conversion | the touches so far), the expected conversion value, the expected touches still to come,
/// and for every touchpoint the change in P(conversion) if it were the next touch ("next best touch").
///
/// The state of a history. A history h of L touches (oldest first) is scored by the chain's state for it:
/// - L = 0: START (the model's conversion probability, the expected touches of a whole journey);
/// - L >= order k: the state of its last k touches (under SelfLoops::drop a repeat of the state is the same
///   state, so the history's last k touches name it in every case);
/// - 0 < L < k: the journey's first state is not known yet, only that it begins with h. The score is the
///   mixture of the states START leads to whose touches begin with h (including the short state equal to h,
///   a journey that ends now), weighted by their START probabilities: exactly the chain's conditional
///   probability given that the journey began with h. Touches to go then count the rest of the first state.
///
/// Back-off. A history whose state (or, for L < k, whose prefix from START) the model never saw is scored
/// by its longest suffix the model saw as the end of a state: for m = min(L, k) - 1, ..., 1 (for L < k from
/// m = L, the same touches without START), the states of length k whose last m touches equal the history's
/// last m touches, mixed with weights equal to their expected visits per journey (the chain's share of the
/// time spent in each). With no such suffix (a touchpoint that never ends a full state, or one the model
/// does not know) every state of length k is mixed that way (m = 0). The output flags it: backed_off is
/// true and matched is m, the number of the history's touches the scored context still matches (for an
/// exact state: min(L, k)). Back-off length = min(L, k) - matched.
///
/// Everything a score needs is computed once per model (Scorer): the per-state solves of the chain
/// (analyze_chain), the prefix and suffix mixtures, and hash tables from touch sequences to them, so that
/// scoring one history costs O(k) hash probes and no allocation.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/span.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// The score of one history.
struct HistoryScore {
  double conversion_probability = 0;  ///< P(the journey converts | its touches so far)
  double expected_value = 0;          ///< expected conversion value still to come (value convention of attribution.hpp)
  double touches_to_go = 0;           ///< expected touches before the journey ends (converts or not)
  std::uint32_t matched = 0;          ///< touches of the history the scored state or mixture matches
  bool backed_off = false;            ///< the exact state (or prefix) was unseen: a suffix mixture was used
};

/// Caller arrays for Scorer::score_batch: one element per history; any pointer may be nullptr (not written).
struct ScoreArrays {
  double* conversion_probability = nullptr;
  double* expected_value = nullptr;
  double* touches_to_go = nullptr;
  std::uint32_t* matched = nullptr;
  std::uint8_t* backed_off = nullptr;  ///< 1 when backed off, else 0
};

/// The scoring tables of one fitted model (see the file comment). Immutable: every const method may run
/// concurrently from several threads. Cheap to copy (the tables are shared).
class Scorer {
 public:
  /// Touchpoint id of a touch the model does not know: it matches no state, so the history backs off to
  /// the touches after it. Only score_table and the open-journey functions produce it; score_batch refuses
  /// ids outside the model's touchpoints.
  static constexpr std::uint32_t kUnknownTouchpoint = 0xFFFFFFFFu;

  /// An empty scorer (its methods throw StateError).
  Scorer();
  /// Precompute the scoring tables of model. Throws StateError if the model is unfitted.
  /// Complexity: analyze_chain(model) + O(states * order) expected time and memory.
  explicit Scorer(const MarkovModel& model, const Execution& exec = {});

  /// The model's order k.
  unsigned order() const noexcept;
  /// The model's touchpoint names (ids in histories index this list).
  const std::vector<std::string>& touchpoints() const;

  /// Score one history: ids into touchpoints() (or kUnknownTouchpoint), oldest first. Throws
  /// InvalidArgument for another id out of range. Complexity: O(order) expected, no allocation.
  HistoryScore score(Span<const std::uint32_t> history) const;

  /// Score histories given like a JourneySet's columns: history j is touches[offsets[j], offsets[j+1]),
  /// for j < offsets.size() - 1. Writes element j of every non-null array of out. Throws InvalidArgument
  /// naming the first bad item (offsets decreasing or beyond touches, an id >= touchpoints().size()) before
  /// writing anything. Complexity: O(touches) to check the ids + O(histories * order) expected; no allocation.
  void score_batch(Span<const std::uint64_t> offsets, Span<const std::uint32_t> touches,
                   const ScoreArrays& out) const;

  /// For every touchpoint t (indexed like touchpoints()): P(conversion | history + t) - P(conversion |
  /// history), both scored as score() does (back-off included). Throws as score().
  /// Complexity: O(touchpoints * order) expected.
  std::vector<double> next_touch_lift(Span<const std::uint32_t> history) const;

  /// Internal tables (shared by copies).
  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
};

/// Options of score_table().
struct ScoreOptions {
  /// Touchpoints listed per history in the "next_touch" table (the best ones by lift); 0 = none, in which
  /// case score_table still names the best next touch in its own columns.
  std::size_t next_touches = 0;
};

/// Score every journey of a set as an open history (its outcome is ignored). Touchpoints are matched to
/// the model's by name; a touch the model does not know counts in the metadata (unknown_touches) and
/// backs the history off. Table "scores", one row per journey: journey and part (its key, as
/// add_journey_key_columns() of credit.hpp writes it: the journey id or data row, or the row index in the
/// set without keys), path, touches, conversion_probability, expected_value, touches_to_go, matched,
/// backed_off, best_next_touch (the touchpoint with the largest lift, "" for a model without touchpoints),
/// best_next_lift.
/// Metadata: order, histories, backed_off, unknown_touches, model_conversion_probability.
/// Throws StateError for an unfitted model. The journeys are scored on exec's threads (the same table for
/// any count), reporting progress as the stage "score". Complexity: Scorer construction + O(journeys *
/// touchpoints * order + touches).
Table score_table(const MarkovModel& model, const JourneySet& histories, const ScoreOptions& options = {},
                  const Execution& exec = {});
/// score_table with a prepared Scorer (the model's tables computed once). Complexity: O(journeys *
/// touchpoints * order + touches).
Table score_table(const Scorer& scorer, const JourneySet& histories, const ScoreOptions& options = {},
                  const Execution& exec = {});

/// Long table "next_touch" of the histories' best next touches: journey and part (its key, as in "scores"),
/// rank (1 = best), touchpoint, lift (P(conversion | history + touchpoint) - P(conversion | history)),
/// conversion_probability (after the touch), backed_off (of the extended history). Up to `top` rows per
/// journey, largest lift first (ties: touchpoint order). rows: the journeys to list (nullptr = all).
/// Throws InvalidArgument for a row out of range. Reports progress as the stage "next touches" (on the
/// calling thread; exec's thread count is not used). Complexity: O(journeys * touchpoints * (order + log
/// touchpoints)).
Table next_touch_table(const Scorer& scorer, const JourneySet& histories, std::size_t top,
                       const std::vector<std::size_t>* rows = nullptr, const Execution& exec = {});

/// Options of open_journeys().
struct OpenJourneyOptions {
  /// A journey is open when it has no conversion and its last touch is later than the data's end (the
  /// latest timestamp of the set) minus this many seconds (> 0). Use at most the inactivity gap the
  /// journeys were split with: a journey whose silence is longer than the gap has ended by that rule.
  double window = 30.0 * 86400.0;
};

/// Indices of the open journeys of an event log's journeys (see OpenJourneyOptions), ascending. Throws
/// StateError if the set has no timestamps, InvalidArgument for a window that is not finite and > 0.
/// Complexity: O(journeys + touches).
std::vector<std::size_t> open_journeys(const JourneySet& journeys, const OpenJourneyOptions& options = {});

/// The journeys that are not open (see OpenJourneyOptions): the ones a chain may be fitted on, since an open
/// journey has not ended and would count as a non-conversion. Same dictionaries (touchpoints no kept journey
/// uses are dropped). Throws as open_journeys(); reports progress to exec as the stage "closed journeys",
/// which may cancel it (Interrupted). Complexity: O(journeys + touches).
JourneySet closed_journeys(const JourneySet& journeys, const OpenJourneyOptions& options = {},
                           const Execution& exec = {});

/// score_table of the open journeys (open_journeys) of `journeys`, each named by its key and part in
/// `journeys` (its row index there without keys). Extra metadata: window (seconds), data_end (ticks of the
/// set's unit), journeys (in the set), open (scored). Complexity: open_journeys + score_table of the open ones.
Table score_open_journeys(const MarkovModel& model, const JourneySet& journeys,
                          const OpenJourneyOptions& options = {}, const ScoreOptions& score_options = {},
                          const Execution& exec = {});

}  // namespace journeygraph
