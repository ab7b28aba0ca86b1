#pragma once
/// \file markov.hpp
/// Markov chains of order k over journeys: transition counts (mergeable) and the fitted absorbing chain.
///
/// Chain conventions (the defaults follow ChannelAttribution, so results are comparable):
/// - the states of a journey are the sliding k-grams of its touchpoints; a journey shorter than k is one
///   short state;
/// - SelfLoops::drop collapses consecutive identical states (no self-loops); SelfLoops::keep counts them;
/// - START -> first state is weighted by conversions + nulls of the journey; the last state goes to the
///   absorbing CONVERSION state with the journey's conversions and to NULL with its nulls;
/// - transition probabilities are the (optionally smoothed) maximum-likelihood estimates.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/span.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

namespace detail {
struct Chain;
}

/// How consecutive identical states of a journey are counted.
enum class SelfLoops {
  drop,  ///< collapse them: a state never transitions to itself (ChannelAttribution's convention)
  keep,  ///< count a self-transition for each repeat
};

/// "drop" or "keep". Complexity: O(1).
const char* self_loops_name(SelfLoops self_loops) noexcept;
/// Inverse of self_loops_name; throws InvalidArgument listing the names. Complexity: O(1).
SelfLoops parse_self_loops(std::string_view name);

/// Highest supported order.
inline constexpr unsigned kMaxOrder = 16;

/// Options of a Markov fit.
struct ModelOptions {
  /// Order k: a state is the last k touchpoints. 1 <= order <= kMaxOrder.
  unsigned order = 1;
  /// Additive (Laplace/Lidstone) smoothing alpha >= 0, added to every candidate transition of a touchpoint
  /// state: the observed states that continue its k-gram, CONVERSION and NULL. The START row is not
  /// smoothed. 0 gives the maximum-likelihood estimate.
  double smoothing = 0.0;
  SelfLoops self_loops = SelfLoops::drop;
};

/// Transition counts of order k: what a fit needs, and nothing else. Counts of disjoint sets of journeys
/// add up (merge) to the counts of their union exactly: weights and values are summed in 192-bit fixed
/// point (every weight and value a JourneySet accepts enters exactly), so the order of summation never
/// matters. Canonical form: touchpoints sorted by name (byte order),
/// states sorted lexicographically by touchpoint id, edges sorted by (from, to).
class TransitionCounts {
 public:
  /// Sentinel "from" of an edge leaving START.
  static constexpr std::uint32_t kStart = 0xFFFFFFFFu;

  /// A weighted transition between two touchpoint states (or from START).
  struct Edge {
    std::uint32_t from;  ///< state index, or kStart
    std::uint32_t to;    ///< state index
    double count;        ///< summed journey weight
  };

  /// Empty counts of order 1.
  TransitionCounts();
  /// Count the transitions of every journey. Journeys with zero weight contribute nothing (they are
  /// counted in zero_weight_journeys()). Throws InvalidArgument if order is 0 or > kMaxOrder, or if a
  /// journey has 2^32 touches or more (saved counts must stay readable; cap them with max_touches).
  /// Deterministic for any thread count. Complexity: O(touches * order) expected time,
  /// O(distinct states * order + distinct transitions) memory.
  static TransitionCounts count(const JourneySet& journeys, unsigned order, SelfLoops self_loops = SelfLoops::drop,
                                const Execution& exec = {});

  unsigned order() const noexcept { return order_; }
  SelfLoops self_loops() const noexcept { return self_loops_; }
  /// Touchpoint names, sorted; states' tokens index this list.
  const std::vector<std::string>& touchpoints() const noexcept { return touchpoints_; }
  /// Number of touchpoint states (START not included).
  std::size_t n_states() const noexcept { return state_length_.size(); }
  /// Tokens (touchpoint indices) of state s, 1..order of them. Precondition: s < n_states().
  Span<const std::uint32_t> state(std::size_t s) const {
    return {tokens_.data() + s * order_, state_length_[s]};
  }
  /// All edges in canonical order (START edges first).
  const std::vector<Edge>& edges() const noexcept { return edges_; }
  /// Conversions, nulls and value of the journeys whose last state is s.
  double state_conversions(std::size_t s) const { return end_conversions_[s]; }
  double state_nulls(std::size_t s) const { return end_nulls_[s]; }
  double state_value(std::size_t s) const { return end_value_[s]; }
  /// Totals of the counted journeys (zero-weight journeys excluded from journeys()).
  double journeys() const noexcept { return journeys_; }
  double total_conversions() const noexcept { return total_conversions_; }
  double total_nulls() const noexcept { return total_nulls_; }
  double total_value() const noexcept { return total_value_; }
  std::uint64_t zero_weight_journeys() const noexcept { return zero_weight_journeys_; }
  /// Number of journey rows counted (with positive weight).
  std::uint64_t rows() const noexcept { return rows_; }

  /// Add other's counts to these (touchpoints matched by name). Throws InvalidArgument if the orders or
  /// self-loop settings differ. Complexity: O((states + edges) * log) of both.
  void merge(const TransitionCounts& other);
  /// Exact equality of every count and name.
  bool operator==(const TransitionCounts& other) const;

  /// Serialize to journeygraph's binary format (versioned, CRC-64 checked; see src/markov/serialize.cpp).
  /// The exact sums are stored, so loaded counts merge exactly. Complexity: O(states * order + edges).
  std::string to_bytes() const;
  /// Parse bytes made by to_bytes(). Throws ParseError naming `name` and the byte offset for a truncated,
  /// corrupted or inconsistent input, and for a format version newer than this library reads.
  /// Inconsistent means counts no journeys can make: a state not entered from START or with no way to
  /// conversion or null, weight entering a state that does not leave it (beyond 1e-9 relative), a
  /// self-loop when self-loops are dropped, or transitions (overall, or inside one strongly connected
  /// component) weighing more than 2^32 times the journeys (entering it). Complexity: O(states * order +
  /// edges).
  static TransitionCounts from_bytes(std::string_view bytes, const std::string& name = "<memory>");
  /// to_bytes() to a file; throws IoError if it cannot be written.
  void save(const std::string& file) const;
  /// from_bytes() of a file; throws IoError if it cannot be read.
  static TransitionCounts load(const std::string& file);
  bool operator!=(const TransitionCounts& other) const { return !(*this == other); }

 private:
  friend struct CountsAccess;
  friend struct SerializeAccess;
  unsigned order_ = 1;
  SelfLoops self_loops_ = SelfLoops::drop;
  std::vector<std::string> touchpoints_;
  std::vector<std::uint32_t> tokens_;        // n_states * order, unused slots 0xFFFFFFFF
  std::vector<std::uint8_t> state_length_;  // tokens per state
  std::vector<Edge> edges_;
  std::vector<double> end_conversions_, end_nulls_, end_value_;
  double journeys_ = 0, total_conversions_ = 0, total_nulls_ = 0, total_value_ = 0;
  std::uint64_t zero_weight_journeys_ = 0, rows_ = 0;
  // The exact sums behind every double above (three 64-bit words each; see src/markov/counts.cpp), so that
  // merging counts stays exact: counts of a partition merge to the counts of the whole, bit for bit.
  std::vector<std::uint64_t> exact_;
};

/// One transition of a fitted model, with state names.
struct Transition {
  std::string from;    ///< "(start)" or the state's touchpoints joined by " > "
  std::string to;      ///< a state name, "(conversion)" or "(null)"
  double count;        ///< observed weight (0 for transitions that exist only by smoothing)
  double probability;  ///< fitted probability
};

/// A fitted absorbing Markov chain. Transient states: index 0 is START, 1..n-1 the touchpoint states in
/// the canonical order of TransitionCounts (state s of the counts is transient state s + 1). Absorbing
/// states CONVERSION and NULL are numbered n and n + 1 in the rows. Immutable after fit; every const
/// method may run concurrently from several threads.
class MarkovModel {
 public:
  /// Transient index of START.
  static constexpr std::uint32_t kStartState = 0;

  /// An unfitted model: fitted() is false and the analysis methods throw StateError.
  MarkovModel();
  /// Count and fit. Throws InvalidArgument for bad options, DataError if there is no journey with positive
  /// weight. Complexity: counting (see TransitionCounts::count) + O(states + transitions) + one chain solve.
  static MarkovModel fit(const JourneySet& journeys, const ModelOptions& options = {}, const Execution& exec = {});
  /// Fit from counts (e.g. merged from partitions). Same errors as above. The model keeps a copy of the counts.
  static MarkovModel fit(const TransitionCounts& counts, double smoothing = 0.0, const Execution& exec = {});
  /// The same, taking the counts over instead of copying them (a copy of counts of order 3 over 200
  /// touchpoints is a few hundred megabytes). Same result and errors; counts is left valid but unspecified
  /// (moved from, also when fitting throws).
  static MarkovModel fit(TransitionCounts&& counts, double smoothing = 0.0, const Execution& exec = {});

  bool fitted() const noexcept { return fitted_; }
  unsigned order() const noexcept { return counts_.order(); }
  double smoothing() const noexcept { return smoothing_; }
  SelfLoops self_loops() const noexcept { return counts_.self_loops(); }
  /// Touchpoint names, sorted.
  const std::vector<std::string>& touchpoints() const noexcept { return counts_.touchpoints(); }
  /// Transient states including START (ChannelAttribution reports the same number).
  std::size_t n_states() const noexcept { return fitted_ ? counts_.n_states() + 1 : 0; }
  /// Name of transient state i: "(start)" or "a > b > c". Also n -> "(conversion)", n + 1 -> "(null)".
  std::string state_name(std::size_t i) const;
  /// Touchpoint indices of transient state i >= 1.
  Span<const std::uint32_t> state_tokens(std::size_t i) const { return counts_.state(i - 1); }
  /// P(absorption in CONVERSION | START). Throws StateError if unfitted. Complexity: O(1) (cached).
  double conversion_probability() const;
  /// Expected conversion value per journey from START (value convention: see attribution.hpp). O(1).
  double expected_value() const;
  /// The counts the model was fitted on.
  const TransitionCounts& counts() const noexcept { return counts_; }
  /// Every transition with names, counts and probabilities, row by row. Complexity: O(transitions).
  std::vector<Transition> transitions() const;

  /// Compressed rows over transient states: row i holds entries [row_offsets()[i], row_offsets()[i+1]) of
  /// columns()/probabilities()/row_counts(); a column >= n_states() is CONVERSION (n) or NULL (n + 1).
  /// Precondition for these five: fitted().
  const std::vector<std::uint64_t>& row_offsets() const;
  const std::vector<std::uint32_t>& columns() const;
  const std::vector<double>& probabilities() const;
  const std::vector<double>& row_counts() const;
  /// Mean value per conversion of the journeys ending in transient state i (0 if none converted).
  const std::vector<double>& value_per_conversion() const;
  /// Largest relative residual ||b - Ax|| / ||b|| of the solves behind conversion_probability() (0 for an
  /// acyclic chain; direct solves give rounding-level values, iterative ones at most 1e-12).
  double solve_residual() const;
  /// Internal: the immutable chain with its solver, shared by copies of the model.
  const detail::Chain& chain() const;

  /// Serialize (counts + smoothing, the whole definition of the model) to the binary format of
  /// TransitionCounts::to_bytes. Throws StateError if unfitted. Complexity: as TransitionCounts::to_bytes.
  std::string to_bytes() const;
  /// Parse and refit; the refit is deterministic, so every result equals the saved model's bit for bit.
  /// Throws ParseError as TransitionCounts::from_bytes (also for a counts file). Complexity: a fit.
  static MarkovModel from_bytes(std::string_view bytes, const std::string& name = "<memory>",
                                const Execution& exec = {});
  /// to_bytes() to a file; throws IoError if it cannot be written.
  void save(const std::string& file) const;
  /// from_bytes() of a file; throws IoError if it cannot be read.
  static MarkovModel load(const std::string& file, const Execution& exec = {});

 private:
  TransitionCounts counts_;
  double smoothing_ = 0;
  bool fitted_ = false;
  std::shared_ptr<const detail::Chain> chain_;
  double conversion_probability_ = 0;
  double expected_value_ = 0;
};

/// Whether a file begins with the magic bytes of journeygraph's binary format (a saved model or counts file),
/// so that a face taking "a model or data" can tell them apart; false for a file that cannot be opened.
/// Nothing beyond the first 8 bytes is read or checked (MarkovModel::load checks the rest). Complexity: O(1).
bool is_saved_model(const std::string& file);

/// The transitions of a fitted model as a table ("transitions"), row by row (by from-state, then to-state).
/// Columns: from, to (state names as MarkovModel::state_name gives them), count (observed weight; 0 for a
/// transition that exists only by smoothing), probability. Metadata: order, states (transient, START
/// included), conversion_probability, smoothing, self_loops. Throws StateError if unfitted.
/// Complexity: O(transitions).
Table transition_table(const MarkovModel& model);

/// Transition counts as a table ("transition_counts"): the edges from "(start)" and between states in
/// canonical order, then each state's conversions (to "(conversion)") and non-conversions (to "(null)")
/// where they are not 0. Columns: from, to, count. Metadata: order, self_loops, journeys, total_conversions,
/// total_nulls, total_value, rows, zero_weight_journeys. Complexity: O(states x order + edges).
Table count_table(const TransitionCounts& counts);

}  // namespace journeygraph
