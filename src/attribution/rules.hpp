#pragma once
// The per-journey credit rules of the rule-based models (heuristics and Shapley), shared by
// heuristic_attribution(), shapley_attribution() and the bootstrap, so that a replicate applies exactly the
// rule the point estimate used.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/parallel.hpp"
#include "common/sequence_index.hpp"
#include "journeygraph/attribution.hpp"

namespace journeygraph::detail {

// Share of one conversion going to a touchpoint (dictionary id of the journey set).
struct Share {
  std::uint32_t touchpoint;
  double share;
};

// Throws InvalidArgument naming the value if an option is out of its domain.
void validate(const HeuristicOptions& o);
void validate(const ShapleyOptions& o);
void validate(const BootstrapOptions& o);

// Not thread-safe (it keeps scratch space): one rule per thread.
class CreditRule {
 public:
  // Precondition: model != markov. Throws InvalidArgument for time_decay on journeys without timestamps.
  // Cost: O(1), but fractribution indexes the converting paths and their one-touch-shorter variants (two
  // passes over the journeys), asking progress (if given) every 65,536 journeys, which may throw to cancel.
  CreditRule(AttributionModel model, const AttributionOptions& options, const JourneySet& journeys,
             const Progress* progress = nullptr);
  AttributionModel model() const noexcept { return model_; }
  // Whether shares depend on the timestamps (then two journeys with the same path may differ).
  bool needs_times() const noexcept { return model_ == AttributionModel::time_decay; }
  // Replaces out by the shares of one conversion of a journey (a touchpoint may appear more than once; the
  // shares sum to 1 except for participation). times is ignored unless needs_times().
  void shares(Span<const std::uint32_t> path, Span<const std::int64_t> times, std::vector<Share>& out) const;

  // The Shapley coalition of a path: its distinct touchpoints in order of first appearance, keeping the
  // max_coalition most recent ones (by last appearance) when capped.
  void coalition(Span<const std::uint32_t> path, std::vector<std::uint32_t>& out) const;
  // The same coalition and, for each member, its position in the journey: its rank (0 = first) among all
  // the path's distinct touchpoints by first appearance, counted before the cap drops any.
  void coalition(Span<const std::uint32_t> path, std::vector<std::uint32_t>& out,
                 std::vector<std::uint32_t>& positions) const;

 private:
  void distinct(Span<const std::uint32_t> path, std::size_t cap, std::vector<std::uint32_t>& out) const;
  AttributionModel model_;
  double first_ = 0, last_ = 0;
  TimeUnit time_unit_ = TimeUnit::seconds;
  double half_life_ = 1;
  std::size_t cap_ = 0;
  std::vector<std::uint8_t> excluded_;        // by touchpoint id
  mutable std::vector<std::uint32_t> stamp_;  // by touchpoint id: scratch for distinct sets
  mutable std::uint32_t clock_ = 0;
  mutable std::vector<std::uint32_t> scratch_, all_, rank_;
  // fractribution: the conversion rate of each distinct path of the journeys.
  SequenceIndex paths_;
  std::vector<double> rate_;
  double path_rate(const std::uint32_t* path, std::size_t n) const;
  mutable std::vector<double> score_;
};

// Fractribution's shares of one conversion of path p (see AttributionModel::fractribution), given rate(path)
// = the conversion rate of the journeys with exactly that path (0 when none). score and scratch are work space.
template <class Rate>
void fractribution_shares(Span<const std::uint32_t> p, const Rate& rate, std::vector<double>& score,
                          std::vector<std::uint32_t>& scratch, std::vector<Share>& out) {
  out.clear();
  const std::size_t n = p.size();
  if (n == 0) return;
  if (n == 1) {
    out.push_back({p[0], 1.0});
    return;
  }
  const double full = rate(p.data(), n);
  score.assign(n, 0.0);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // The path without touch i.
    scratch.assign(p.begin(), p.end());
    scratch.erase(scratch.begin() + static_cast<std::ptrdiff_t>(i));
    score[i] = std::max(0.0, full - rate(scratch.data(), scratch.size()));
    sum += score[i];
  }
  if (!(sum > 0)) {
    out.push_back({p[n - 1], 1.0});
    return;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (score[i] > 0) out.push_back({p[i], score[i] / sum});
}

// Dictionary id -> index in sorted touchpoint names.
std::vector<std::uint32_t> sorted_rank(const JourneySet& journeys);

// heuristic_attribution() for several rule-based models (not markov, shapley or ordered_shapley) in one pass
// over the journeys: each model's credit gets the same terms in the same order as its own pass, so the
// same bits. Complexity: O(touches x models). Reports progress as the stage "heuristics" (every 65,536
// journeys), whose callback may cancel (Interrupted).
std::vector<ModelAttribution> heuristic_attributions(const JourneySet& journeys, const std::vector<AttributionModel>& models,
                                                     const AttributionOptions& options, const Execution& exec = {});

}  // namespace journeygraph::detail
