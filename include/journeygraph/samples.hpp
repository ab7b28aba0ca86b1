#pragma once
/// \file samples.hpp
/// Built-in, seeded data: the retailer sample used by `journeygraph demo`, the Python quickstart and the
/// tests, and a parametric generator for benchmarks. Same seed, same bits, on every platform we build on.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// The stages of the retailer sample, in funnel order.
std::vector<std::string> sample_stage_order();

/// The retailer sample's touchpoint -> stage mapping (18 touchpoints over awareness, consideration,
/// purchase, retention and advocacy).
std::vector<std::pair<std::string, std::string>> sample_stages();

/// The customers and the seed of the retailer sample of `journeygraph demo` (and of every face's sample).
inline constexpr std::size_t kSampleCustomers = 20000;
inline constexpr std::uint64_t kSampleSeed = 42;

/// A realistic retailer's touch log: customers meet ads, search, email, the web shop, the app and stores
/// over 90 days from 2026-01-01; some buy (conversion flag and a value in currency units), some come back
/// through loyalty email and support, some write reviews or refer friends and buy again. Segment = device
/// ("mobile" or "desktop"). Timestamps are epoch seconds. exec.progress hears stage "draw" (the draw itself is
/// sequential: the same seed gives the same events whatever exec says). Complexity: O(customers).
EventTable sample_events(std::size_t customers = kSampleCustomers, std::uint64_t seed = kSampleSeed,
                         const Execution& exec = {});

/// Options of synthetic_events().
struct SyntheticOptions {
  std::size_t journeys = 100000;     ///< journeys to draw
  std::size_t touchpoints = 12;      ///< distinct touchpoints, named "tp001", "tp002", ...
  double mean_touches = 4.0;         ///< mean path length (min_touches + geometric), at most 10^6; never cut
  std::size_t min_touches = 1;       ///< shortest path length
  double zipf = 1.0;                 ///< popularity skew of touchpoints (0 = uniform)
  double stickiness = 0.3;           ///< probability that the next touch stays near the current one
  double base_conversion = 0.08;     ///< conversion probability of an average journey
  std::uint64_t seed = 1;
};

/// Synthetic events for benchmarks and scale tests: journeys drawn from a sparse first-order process
/// with skewed touchpoint popularity and per-touchpoint conversion lift. Journey ids are 0..journeys-1 in
/// order, timestamps increase within a journey. exec.progress hears stage "draw" (sequential: the events
/// depend on the seed alone). Complexity: O(touches).
EventTable synthetic_events(const SyntheticOptions& options, const Execution& exec = {});

/// Events as a table ("events"), one row per event. Columns: journey_id (integer), timestamp (integer ticks
/// since the epoch in events.time_unit), touchpoint, conversion (boolean), value and, with segments, segment.
/// Metadata: time_unit. Written as CSV it reads back with read_events_csv's default options. Complexity:
/// O(events).
Table event_table(const EventTable& events);

}  // namespace journeygraph
