#pragma once
// Internal pieces shared by the funnel, trend, path and driver sources.

#include <algorithm>
#include <cstddef>
#include <vector>

#include "common/parallel.hpp"
#include "funnel/matcher.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"

namespace journeygraph::detail {

// Match every journey of positive weight, in fixed chunks of `chunk` journeys (boundaries depend only on the
// data), one matcher per worker; visit(chunk index, journey, matcher) runs on the worker that matched the
// journey, so it may only write to that chunk's own accumulator. Returns the number of workers used.
template <class Visit>
unsigned run_matches(const JourneySet& js, const CompiledFunnel& f, const Execution& exec, const char* stage,
                     std::size_t chunk, Visit&& visit) {
  const std::size_t chunks = (js.size() + chunk - 1) / chunk;
  const unsigned workers = parallel_workers(chunks, exec);
  std::vector<FunnelMatcher> matchers(workers, FunnelMatcher(f));
  parallel_for(chunks, exec, stage, [&](std::size_t c, unsigned worker) {
    FunnelMatcher& m = matchers[worker];
    const std::size_t first = c * chunk, last = std::min(js.size(), first + chunk);
    for (std::size_t j = first; j < last; ++j) {
      if (!(js.weight(j) > 0)) continue;
      m.match(js.path(j), js.times(j), js.conversions(j) > 0);
      visit(c, j, m);
    }
  });
  return workers;
}

}  // namespace journeygraph::detail
