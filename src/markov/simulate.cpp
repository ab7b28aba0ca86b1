// Synthetic journeys drawn from a fitted chain, in parallel with per-journey random streams.

#include <algorithm>
#include <string>

#include "common/parallel.hpp"
#include "common/random.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/error.hpp"
#include "markov/solver.hpp"

namespace journeygraph {

namespace {

constexpr std::size_t kJourneysPerChunk = 1 << 14;

struct Chunk {
  std::vector<std::uint32_t> touches;
  std::vector<std::uint64_t> ends;  // end offset of each journey in touches
  std::vector<std::uint8_t> converted;
  std::vector<double> value;
};

}  // namespace

JourneySet simulate_journeys(const MarkovModel& model, const SimulationOptions& o, const Execution& exec) {
  if (!model.fitted()) throw StateError("the model is not fitted");
  if (o.max_touches == 0) throw InvalidArgument("simulation max_touches must be at least 1, got 0");
  // Checked before any size arithmetic: SIZE_MAX journeys would wrap the chunk count below.
  if (std::uint64_t(o.journeys) > kMaxSimulatedJourneys)
    throw InvalidArgument("simulation journeys must be at most " + std::to_string(kMaxSimulatedJourneys) +
                          " (2^32), got " + std::to_string(o.journeys));
  const detail::Chain& ch = model.chain();
  const std::size_t n = model.n_states();
  // Cumulative probabilities per row, so that a draw is a binary search.
  std::vector<double> cumulative(ch.probabilities.size());
  for (std::size_t i = 0; i < n; ++i) {
    double acc = 0;
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q) cumulative[q] = acc += ch.probabilities[q];
  }
  const std::size_t chunks = (o.journeys + kJourneysPerChunk - 1) / kJourneysPerChunk;
  std::vector<Chunk> parts(chunks);
  detail::parallel_for(chunks, exec, "simulate", [&](std::size_t c) {
    Chunk& out = parts[c];
    const std::size_t first = c * kJourneysPerChunk, last = std::min(o.journeys, first + kJourneysPerChunk);
    for (std::size_t j = first; j < last; ++j) {
      detail::CounterRng rng(o.seed, j, 0x51u);
      const std::size_t begin = out.touches.size();
      std::size_t state = MarkovModel::kStartState;
      bool converted = false;
      while (true) {
        const std::uint64_t lo = ch.row_offsets[state], hi = ch.row_offsets[state + 1];
        const double u = rng.uniform() * cumulative[hi - 1];
        std::uint64_t q = std::uint64_t(std::upper_bound(cumulative.begin() + lo, cumulative.begin() + hi, u) -
                                        cumulative.begin());
        if (q >= hi) q = hi - 1;
        const std::uint32_t next = ch.columns[q];
        if (next >= n) {
          converted = next == n;
          break;
        }
        const auto tokens = model.state_tokens(next);
        if (state == MarkovModel::kStartState) out.touches.insert(out.touches.end(), tokens.begin(), tokens.end());
        else out.touches.push_back(tokens.back());
        state = next;
        if (out.touches.size() - begin >= o.max_touches) break;  // ends as a non-conversion
      }
      out.ends.push_back(out.touches.size());
      out.converted.push_back(converted ? 1 : 0);
      out.value.push_back(converted ? ch.value_per_conversion[state] : 0.0);
    }
  });
  JourneySetBuilder b;
  b.set_touchpoints(Dictionary(model.touchpoints()));
  std::size_t touches = 0;
  for (const auto& p : parts) touches += p.touches.size();
  b.reserve(o.journeys, touches);
  for (const auto& p : parts) {
    std::uint64_t begin = 0;
    for (std::size_t j = 0; j < p.ends.size(); ++j) {
      const Span<const std::uint32_t> path(p.touches.data() + begin, p.ends[j] - begin);
      b.add(path, {}, p.converted[j] ? 1.0 : 0.0, p.converted[j] ? 0.0 : 1.0, p.value[j]);
      begin = p.ends[j];
    }
  }
  return b.finish();
}

}  // namespace journeygraph
