#pragma once
// The bootstrap behind AttributionOptions::bootstrap (method in include/journeygraph/uncertainty.hpp).
//
// Speed comes from doing per journey row only what must be: two Poisson draws, added to the row's distinct
// path. Everything else works per distinct path: the rule-based models' credit of a path per conversion is
// computed once, and the markov model's counts of a replicate are the paths' weights spread over the edges
// each path uses (precomputed), turned into canonical counts by reweighted_counts().

#include <cstdint>
#include <mutex>
#include <vector>

#include "common/exact.hpp"
#include "common/parallel.hpp"
#include "common/random.hpp"
#include "common/sequence_index.hpp"
#include "journeygraph/attribution.hpp"

namespace journeygraph::detail {

// A Poisson(mean) variate (mean >= 0, finite): inversion below mean 10, Hormann's transformed rejection
// (PTRS) above. Exact in distribution up to floating-point rounding.
double poisson(double mean, CounterRng& rng);

// The draw of journey row `row` in replicate `replicate`: conversions ~ Poisson(conversions), nulls ~
// Poisson(nulls), value = value * drawn conversions / conversions.
struct RowDraw {
  double conversions = 0;
  double nulls = 0;
  double value = 0;
};
RowDraw draw_row(std::uint64_t seed, std::uint64_t replicate, std::uint64_t row, double conversions, double nulls,
                 double value);

// Replicates of every requested model, from per-path contributions.
class Resampler {
 public:
  // markov_counts: the counts of the fitted markov model (nullptr if markov is not requested). Indexes the
  // distinct paths, each rule's shares per path and each path's edges: O(touches). Asks progress (if given)
  // every 65,536 journeys or paths; it may throw to cancel.
  Resampler(const JourneySet& journeys, const AttributionOptions& options, const TransitionCounts* markov_counts,
            const Progress* progress = nullptr);

  // Scratch and outcome of one replicate (reused between replicates).
  struct Replicate {
    std::vector<double> path_conversions, path_nulls, path_value_sum;
    std::vector<ExactSum> path_value;
    std::vector<double> row_conversions, row_value;  // rows with conversions, when a model needs timestamps
    std::uint64_t rows = 0;                          // rows with a positive drawn weight
    std::vector<double> edge_weight, end_conversions, end_nulls;
    std::vector<ExactSum> end_value;
  };

  // Draws replicate r of every row and sums the draws per path: O(rows). Asks poll (if given) every 65,536
  // rows; it may throw to abandon the replicate.
  void draw(std::uint64_t seed, std::uint64_t r, Replicate& rep, const LoopPoll* poll = nullptr) const;
  // The markov counts of the drawn replicate (precondition: markov counts were given): O(path edges), asking
  // poll (if given) every 65,536 paths.
  TransitionCounts markov_counts(Replicate& rep, const LoopPoll* poll = nullptr) const;
  // Credit of rule-based model `model` in the drawn replicate, per touchpoint in sorted order (conv and
  // value each hold touchpoints entries, overwritten).
  void credit(AttributionModel model, const Replicate& rep, double* conv, double* value) const;

  std::size_t paths() const noexcept { return paths_.size(); }

 private:
  struct RuleShares {
    AttributionModel model;
    bool per_row;                                  // shares per converting row (time_decay) or per path
    std::vector<std::uint64_t> offsets;            // CSR over paths or converting rows
    std::vector<std::uint32_t> touchpoint;         // sorted touchpoint index
    std::vector<double> share;
  };
  const JourneySet& js_;
  std::size_t n_touchpoints_;
  std::vector<std::uint32_t> path_of_row_;  // kNone for rows without weight
  SequenceIndex paths_;
  std::vector<std::uint64_t> converting_rows_;  // rows with conversions (for per-row shares)
  bool need_rows_ = false;
  std::vector<RuleShares> rules_;
  // markov
  const TransitionCounts* counts_ = nullptr;
  std::vector<std::uint64_t> edge_offsets_;  // per path: the base edges it uses (with repeats)
  std::vector<std::uint32_t> edge_ids_;
  std::vector<std::uint32_t> last_state_;
};

// The q-quantile (0 <= q <= 1) of sorted values by linear interpolation between order statistics (the rule of
// every bootstrap percentile interval); infinite values are allowed (an interpolation towards +inf is +inf).
// Precondition: sorted is non-empty and ascending.
double quantile_sorted(const std::vector<double>& sorted, double q);

// Runs the bootstrap of options.bootstrap on every model of res (computed by attribute() on journeys; fitted
// is the markov model when requested) and stores the intervals in res. Deterministic for any thread count.
void bootstrap(const JourneySet& journeys, const AttributionOptions& options, const MarkovModel* fitted,
               AttributionResult& res, const Execution& exec);

}  // namespace journeygraph::detail
