#pragma once
// The funnel matcher shared by event funnels, funnel trends, funnel paths and drop-off drivers: a funnel
// definition compiled against a journey set's dictionary, and per journey which steps are reached, where and
// when (see funnel.hpp for the semantics; the comments here say how it is computed).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "journeygraph/error.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/span.hpp"

namespace journeygraph::detail {

constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNoLimit = std::numeric_limits<std::int64_t>::max();

// Touchpoint ids matched by a list of alternatives (names, wildcard patterns, "stage:NAME"), ascending and
// distinct. what names the list in errors ("funnel step 2"), option the options field it came from ("steps").
// Throws InvalidArgument for an alternative matching no touchpoint (with the closest names), "stage:" without
// stages or with an unknown stage.
std::vector<std::uint32_t> resolve_alternatives(const Dictionary& dict, const std::vector<std::string>& match,
                                                const StageMap* stages, const std::string& what, const char* option);

// parse() (a parser of text a user gave in the options field `option`), with its InvalidArgument tagged with that
// field (Error::option) so that a face can name its own spelling of the option.
template <class F>
auto for_option(const char* option, F&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(e.what(), option);
  }
}

// A window in seconds as ticks of unit (inclusive bound, rounded down to whole ticks); kNoLimit for none.
// Throws InvalidArgument naming what (and the options field `option`) for a negative or non-finite window.
std::int64_t window_ticks(const std::optional<double>& seconds, TimeUnit unit, const std::string& what,
                          const char* option);

struct CompiledFunnel {
  std::size_t steps = 0;
  FunnelOrder order = FunnelOrder::ordered;
  bool conversion_last = false;          // the last step is "(conversion)"
  bool timed = false;                    // the journeys have timestamps
  TimeUnit unit = TimeUnit::seconds;     // of the journeys' times
  std::vector<std::uint8_t> optional;
  std::vector<std::int64_t> step_window; // ticks from the previous picked step; kNoLimit = none
  std::int64_t window = kNoLimit;        // ticks from the step-1 touch
  std::vector<std::string> labels;
  // Steps each touchpoint id matches (CSR over touchpoint ids; the conversion step matches no touchpoint).
  std::vector<std::uint32_t> tp_offsets, tp_steps;
  std::vector<std::uint8_t> entry_tp;    // 1 for the touchpoints of step 1
  // Exclusions each touchpoint id matches (CSR), and per exclusion its (0-based) bounds.
  std::vector<std::uint32_t> ex_offsets, ex_ids;
  std::size_t exclusions = 0;
  // The steps a matching may pick right before step k: the previous required step and the optional steps
  // after it; for each, the exclusions active between the two (exclusions e with from_e <= p and k <= to_e).
  struct Pred {
    std::uint32_t step;
    std::vector<std::uint32_t> exclusions;
  };
  std::vector<std::vector<Pred>> preds;
  std::vector<std::size_t> prev_required;  // previous required step of k (SIZE_MAX for step 0)
};

// Compile options against the journeys (validation as event_funnel documents).
CompiledFunnel compile_funnel(const JourneySet& journeys, const EventFunnelOptions& options);

// What one journey did at one step.
struct StepMatch {
  bool reached = false;
  std::uint32_t position = 0;   // touch index of the canonical matching's step touch (path size = conversion)
  std::int64_t time = 0;        // its time (ticks; 0 without timestamps)
  std::int64_t entry = 0;       // time of the canonical matching's step-1 touch
  std::int64_t previous = 0;    // time of its previous picked touch (== time for step 1)
};

// Matches journeys one at a time, reusing its scratch memory. Not thread-safe: one per worker.
class FunnelMatcher {
 public:
  explicit FunnelMatcher(const CompiledFunnel& funnel);
  // Match one journey. converted: the journey has conversions > 0 (the conversion step's virtual touch exists).
  // Complexity: O(path + K x matching touches) ordered and strict (plus O(K^2 x matching touches) for the
  // canonical matchings of reached steps), O(path + K x matching touches) unordered.
  void match(Span<const std::uint32_t> path, Span<const std::int64_t> times, bool converted);
  const std::vector<StepMatch>& steps() const noexcept { return result_; }
  // Time of the journey's first touch of step 1, kNoTime when it has none.
  std::int64_t first_entry() const noexcept { return first_entry_; }
  // Touch positions of the canonical matching of step k, indexed by step (UINT32_MAX for steps it does not
  // pick). Precondition: steps()[k].reached. Ordered and strict funnels only.
  void canonical_positions(std::size_t k, std::vector<std::uint32_t>& out) const;

 private:
  void match_ordered();
  void match_unordered();
  // Latest predecessor (step, candidate index) of step k's candidate idx under entry bound `bound`; false if none.
  bool back_step(std::size_t k, std::size_t idx, std::int64_t bound, std::uint32_t& step, std::size_t& pidx) const;
  std::int64_t time_at(std::uint32_t pos) const noexcept {
    return times_.empty() ? 0 : (pos < times_.size() ? times_[pos] : times_[times_.size() - 1]);
  }
  // Largest position < pos of a touch matching one of the exclusions, or -1.
  std::int64_t last_excluded_before(const std::vector<std::uint32_t>& exclusions, std::uint32_t pos) const;

  const CompiledFunnel& f_;
  Span<const std::uint32_t> path_;
  Span<const std::int64_t> times_;
  std::vector<std::vector<std::uint32_t>> cand_;  // per step: candidate touch positions, ascending
  std::vector<std::vector<std::int64_t>> best_;   // per step and candidate: latest entry of a valid prefix
  std::vector<std::vector<std::uint32_t>> excl_;  // per exclusion: positions of its touches
  std::vector<std::size_t> deque_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> unordered_events_;  // (position, step)
  std::vector<std::int64_t> last_, completion_;
  std::vector<StepMatch> result_;
  std::int64_t first_entry_ = kNoTime;
};

}  // namespace journeygraph::detail
