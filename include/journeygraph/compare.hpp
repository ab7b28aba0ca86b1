#pragma once
/// \file compare.hpp
/// Comparing two journey maps (two segments, two periods): per-transition two-proportion tests with Holm's
/// adjustment, and the Markov attribution shares of both.

#include <cstddef>
#include <string>
#include <vector>

#include "journeygraph/map.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// A transition's observed probability in two fits, with a two-proportion z-test (pooled variance) of
/// count_a / total_a against count_b / total_b; p-values are adjusted for the number of tested
/// transitions by Holm's method. A row is untestable when `from` was never left in one fit (total 0):
/// that side's probability is undefined, so p of that side, difference, z, p_value and p_adjusted are all
/// NaN (and the table's significant is NaN too); such rows are counted in no test.
struct TransitionChange {
  std::string from;
  std::string to;
  double count_a = 0, total_a = 0, p_a = 0;  ///< total = transitions out of `from`; p = count / total (NaN if total is 0)
  double count_b = 0, total_b = 0, p_b = 0;
  double difference = 0;    ///< p_b - p_a; NaN when untestable
  double z = 0;             ///< NaN when untestable
  double p_value = 1;       ///< two-sided; NaN when untestable
  double p_adjusted = 1;    ///< Holm-adjusted; NaN when untestable
  bool significant = false; ///< p_adjusted < alpha (false when untestable)
};

/// A touchpoint's Markov attribution in two fits (shares of conversions, so segments of different sizes
/// compare).
struct AttributionChange {
  std::string touchpoint;
  double conversions_a = 0, conversions_b = 0;  ///< Markov credit
  double share_a = 0, share_b = 0;              ///< credit / total conversions
  double difference = 0;                        ///< share_b - share_a
};

/// Options of compare().
struct CompareOptions {
  double alpha = 0.05;      ///< family-wise error rate of the transition tests
  std::string label_a = "a";
  std::string label_b = "b";
};

/// Result of compare(): tested transitions first, ordered by adjusted p-value, then |difference| (largest
/// first), then names; then the untestable ones by names; attribution by |difference| (largest first), then
/// name.
struct Comparison {
  std::string label_a, label_b;
  double alpha = 0.05;
  double conversion_probability_a = 0, conversion_probability_b = 0;
  std::vector<TransitionChange> transitions;
  std::vector<AttributionChange> attribution;
  std::size_t significant = 0;  ///< transitions flagged significant
};

/// Compare two maps' fitted chains (matched by state and touchpoint name). Throws InvalidArgument if the
/// orders or self-loop settings differ or alpha is not in (0, 1). Complexity: O(transitions log
/// transitions + touchpoints).
Comparison compare(const JourneyMap& a, const JourneyMap& b, const CompareOptions& options = {});

/// The transitions of a comparison as a table ("transition_changes"). Columns: from, to, count_a, total_a,
/// p_a, count_b, total_b, p_b, difference, z, p_value, p_adjusted, significant (boolean). A row whose
/// from-state one side never left is untestable: p on that side, difference, z and the p-values are NaN and
/// significant is false. Metadata: label_a, label_b, alpha, significant (how many), conversion_probability_a, conversion_probability_b.
/// Complexity: O(transitions).
Table transition_change_table(const Comparison& c);
/// The attribution of a comparison as a table ("attribution_changes"). Columns: touchpoint, conversions_a,
/// conversions_b, share_a, share_b, difference. Metadata: label_a, label_b. Complexity: O(touchpoints).
Table attribution_change_table(const Comparison& c);

}  // namespace journeygraph
