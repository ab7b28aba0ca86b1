#pragma once
// Internal pieces shared by the funnel, trend, path and driver sources.

#include <cstddef>
#include <functional>

#include "funnel/matcher.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"

namespace journeygraph::detail {

// Match every journey of positive weight, in fixed chunks of `chunk` journeys (boundaries depend only on the
// data), one matcher per worker; visit(chunk index, journey, matcher) runs on the worker that matched the
// journey, so it may only write to that chunk's own accumulator. Returns the number of workers used.
unsigned run_matches(const JourneySet& journeys, const CompiledFunnel& funnel, const Execution& exec,
                     const char* stage, std::size_t chunk,
                     const std::function<void(std::size_t, std::size_t, const FunnelMatcher&)>& visit);

}  // namespace journeygraph::detail
