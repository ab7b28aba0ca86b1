#pragma once
/// \file uncertainty.hpp
/// Bootstrap confidence intervals for attribution (used through AttributionOptions::bootstrap).
///
/// Method. Journey-level Poisson bootstrap: in replicate r, a journey row with c conversions, n
/// non-conversions and value v is drawn C ~ Poisson(c) and N ~ Poisson(n) times (fractional weights are
/// Poisson means too), with value v * C / c. For event journeys (c + n = 1) this is the classical bootstrap
/// of journeys in its Poisson form; for aggregated path rows it resamples the journeys a row stands for.
/// Every model is rerun on each replicate exactly as on the data: the markov model's counts of a replicate
/// equal, bit for bit, the counts of the resampled journeys (computed from per-path contributions, without
/// recounting), the chain is refitted and solved exactly.
///
/// Each draw comes from a counter-based random stream keyed by (seed, replicate, row), and each replicate is
/// computed by one thread in a fixed order, so the intervals are identical whatever the thread count.
///
/// Summary per touchpoint: standard error = sample standard deviation of the replicates; interval =
/// percentile interval [q((1 - confidence) / 2), q((1 + confidence) / 2)] of the replicates (linear
/// interpolation between order statistics); the estimate stays the model's value on the data.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace journeygraph {

/// Replicates a face uses when a confidence level is asked for without a number of replicates.
inline constexpr std::size_t kDefaultReplicates = 200;

/// Options of the bootstrap.
struct BootstrapOptions {
  /// Number of replicates; 0 switches the bootstrap off. 200 is a sound default for 95 % intervals.
  std::size_t replicates = 0;
  /// Confidence level of the intervals, in (0, 1).
  double confidence = 0.95;
  /// Seed of the random streams: the same seed gives the same intervals.
  std::uint64_t seed = 0;
};

/// Bootstrap summary of one measure (a model's conversions or value, or removal effects), per touchpoint in
/// the order of the attribution result. The estimate is the measure itself on the data.
struct Intervals {
  std::vector<double> standard_error;  ///< sample standard deviation over the replicates
  std::vector<double> lower;           ///< percentile interval, lower end
  std::vector<double> upper;           ///< percentile interval, upper end
  /// Stability score: mean over touchpoints with a non-zero estimate of (upper - lower) / |estimate|, the
  /// mean relative width of the intervals. 0 is perfectly stable; larger is less stable. 0 if no estimate
  /// is non-zero.
  double stability = 0;
};

/// What a bootstrap did.
struct BootstrapSummary {
  std::size_t replicates = 0;
  double confidence = 0;
  std::uint64_t seed = 0;
  /// Replicates left out of the markov intervals because they drew no conversion (removal effects are then
  /// undefined). Other models count such a replicate as zero credit.
  std::size_t markov_failed_replicates = 0;
};

}  // namespace journeygraph
