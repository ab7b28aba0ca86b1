#pragma once
// Internal pieces shared by the journey-map sources. Nothing here includes Boost: the Boost.Graph code
// lives in graph.cpp alone (it compiles slowly), behind the plain functions declared here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "journeygraph/graph.hpp"
#include "journeygraph/map.hpp"

namespace journeygraph::detail {

// The fewest journeys of a work item.
inline constexpr std::size_t kMinJourneyChunk = std::size_t(1) << 15;

// Journeys per work item: boundaries depend only on the data, never on the thread count. Items grow with
// the per-item arrays (nodes entries) so that those stay small next to the work done (nodes below 2^58).
inline std::size_t journey_chunk(std::size_t nodes) {
  std::size_t c = kMinJourneyChunk;
  while (c < nodes * 8) c <<= 1;
  return c;
}

// Weighted observations of a duration.
struct Sample {
  double value;
  double weight;
};
// Stats of samples (sorted in place by value). Quantiles as in DurationStats.
DurationStats duration_stats(std::vector<Sample>& samples);
DurationStats duration_stats(Sample* first, Sample* last);

// A path of the chain: transient states from START, ending in CONVERSION (not listed), with its probability.
struct ChainPath {
  std::vector<std::uint32_t> states;
  double probability = 0;
};
// The k most probable loop-free START -> CONVERSION paths of a fitted model (Yen over Dijkstra on -log p).
std::vector<ChainPath> most_probable_paths(const MarkovModel& model, std::size_t k);

// P(absorption in CONVERSION | transient state i) for every i: (I - Q) h = r solved with the chain solver
// on the transposed rows. *residual receives the solve's relative residual.
std::vector<double> absorption_probabilities(const MarkovModel& model, double* residual = nullptr);

// For each touchpoint t of the model: P(a journey from START ever visits a state containing t) and
// P(it does and then converts). h is absorption_probabilities(model). One batched solve per 8 touchpoints.
void reach_probabilities(const MarkovModel& model, const std::vector<double>& h, std::vector<double>& reach,
                         std::vector<double>& reach_and_convert, const Execution& exec);

// Last touchpoint of every transient state (index 0, START, gets UINT32_MAX).
std::vector<std::uint32_t> last_tokens(const MarkovModel& model);

}  // namespace journeygraph::detail
