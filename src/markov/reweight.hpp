#pragma once
// Transition counts over the states and edges of given counts with new weights: what counting a reweighted
// (e.g. resampled) set of the same journeys gives, without recounting the journeys. Used by the bootstrap.

#include <cstdint>
#include <vector>

#include "common/exact.hpp"
#include "journeygraph/markov.hpp"

namespace journeygraph::detail {

// edge_weight[e] is the new weight of base.edges()[e]; end_conversions[s], end_nulls[s] and end_value[s] are
// the new outcomes of the journeys ending in state s; rows is the number of journey rows with a positive
// weight. Edges of weight 0, states no edge enters and touchpoints no remaining state uses are dropped, and
// the result is canonical: equal (operator==) to TransitionCounts::count of journeys that would give these
// weights, provided the weights are sums the count would form (integers below 2^53 add exactly).
// Complexity: O(states * order + edges log edges).
TransitionCounts reweighted_counts(const TransitionCounts& base, const std::vector<double>& edge_weight,
                                   const std::vector<double>& end_conversions, const std::vector<double>& end_nulls,
                                   const std::vector<ExactSum>& end_value, std::uint64_t rows);

}  // namespace journeygraph::detail
