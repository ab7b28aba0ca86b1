// Funnels and drivers at scale: N synthetic journeys (default 10M, mean 4 touches, timestamps) built in memory,
// then a 5-step windowed event funnel, funnel trends, the path explorer, and conversion drivers over about
// 1,000 candidate features. Prints wall and CPU seconds per analysis (CPU shows the work done when other
// processes share the machine), peak memory, and, as a floor measured in the same run, one plain pass over
// every touch of the journeys.
// usage: bench_funnels [--journeys N] [--touchpoints T] [--threads N] [--repeat R]

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/paths.hpp"
#include "planted_drivers.hpp"

namespace jg = journeygraph;
using bench::Clock;

namespace {

struct Timing {
  double wall = 1e300, cpu = 1e300;
};

template <class F>
Timing best_of(int repeat, F&& f) {
  Timing t;
  for (int r = 0; r < repeat; ++r) {
    const double c0 = bench::cpu_seconds();
    const auto w0 = Clock::now();
    f();
    t.wall = std::min(t.wall, bench::seconds_since(w0));
    t.cpu = std::min(t.cpu, bench::cpu_seconds() - c0);
  }
  return t;
}

// Journeys of 1 + geometric touches (mean `mean`) over T touchpoints with Zipf(0.8) popularity, 1 to 48 hours
// apart, converting with a probability that grows with the touchpoints seen.
jg::JourneySet make_journeys(std::size_t n, std::size_t T, double mean, std::uint64_t seed) {
  jg::JourneySetBuilder b(true, jg::TimeUnit::seconds);
  std::vector<double> cumulative(T), lift(T);
  double acc = 0;
  for (std::size_t i = 0; i < T; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "tp%03zu", i + 1);
    b.touchpoint(name);
    acc += 1.0 / std::pow(double(i + 1), 0.8);
    cumulative[i] = acc;
    lift[i] = 0.5 + double((i * 7919) % 101) / 100.0;
  }
  planted::Rng rng(seed);
  const double p_stop = 1.0 / mean;
  std::vector<std::uint32_t> path;
  std::vector<std::int64_t> times;
  b.reserve(n, std::size_t(double(n) * mean * 1.05));
  for (std::size_t j = 0; j < n; ++j) {
    path.clear();
    times.clear();
    std::int64_t t = 1767225600 + std::int64_t(rng.uniform() * 90 * 86400);
    double l = 0;
    do {
      const double u = rng.uniform() * acc;
      const std::size_t tp = std::size_t(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      path.push_back(std::uint32_t(std::min(tp, T - 1)));
      times.push_back(t);
      l += lift[path.back()];
      t += 3600 + std::int64_t(rng.uniform() * 47 * 3600);
    } while (path.size() < 200 && rng.uniform() >= p_stop);
    const bool converted = rng.uniform() < std::min(0.9, 0.05 * l / double(path.size()) * (1 + 0.2 * double(path.size())));
    b.add(jg::Span<const std::uint32_t>(path.data(), path.size()), jg::Span<const std::int64_t>(times.data(), times.size()),
          converted ? 1 : 0, converted ? 0 : 1, 0.0);
  }
  return b.finish();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t journeys = 10000000, touchpoints = 22;
  int repeat = 3;
  jg::Execution exec;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--journeys") journeys = std::size_t(v);
    else if (a == "--touchpoints") touchpoints = std::size_t(v);
    else if (a == "--threads") exec.threads = unsigned(v);
    else if (a == "--repeat") repeat = int(v);
    else {
      std::fprintf(stderr, "usage: bench_funnels [--journeys N] [--touchpoints T] [--threads N] [--repeat R]\n");
      return 2;
    }
  }
  auto t0 = Clock::now();
  const jg::JourneySet js = make_journeys(journeys, touchpoints, 4.0, 1);
  std::printf("journeys %zu, touches %zu, touchpoints %zu, threads %u; generated in %.1f s; peak %.0f MB\n", js.size(),
              js.touch_count(), js.touchpoints().size(), jg::resolved_threads(exec), bench::seconds_since(t0),
              bench::peak_mb());
  std::printf("%-58s %9s %9s\n", ("analysis (best of " + std::to_string(repeat) + ")").c_str(), "wall_s", "cpu_s");
  auto report = [](const std::string& what, Timing t) { std::printf("%-58s %9.3f %9.3f\n", what.c_str(), t.wall, t.cpu); };

  // Floor: one pass over every touch (what any analysis must at least read).
  std::uint64_t sink = 0;
  report("floor: one pass over every touch and timestamp", best_of(repeat, [&] {
           const auto& tp = js.touches();
           const auto& tm = js.timestamps();
           std::uint64_t s = 0;
           for (std::size_t i = 0; i < tp.size(); ++i) s += tp[i] ^ std::uint64_t(tm[i]);
           sink += s;
         }));

  jg::EventFunnelOptions f;
  for (const char* s : {"tp001", "tp002|tp003", "tp004@3d", "tp005", "(conversion)"}) f.steps.push_back(jg::parse_funnel_step(s));
  f.window = 14 * 86400.0;
  jg::EventFunnel funnel;
  report("event funnel: 5 steps, ordered, 14-day window, per-step window",
         best_of(repeat, [&] { funnel = jg::event_funnel(js, f, exec); }));
  for (const auto& r : funnel.rows)
    std::printf("    step %zu %-14s reached %10.0f  step rate %.4f\n", r.step, r.label.c_str(), r.reached, r.step_rate);
  jg::EventFunnelOptions strict = f;
  strict.order = jg::FunnelOrder::strict;
  report("event funnel: the same, strict", best_of(repeat, [&] { funnel = jg::event_funnel(js, strict, exec); }));
  jg::EventFunnelOptions unordered = f;
  unordered.order = jg::FunnelOrder::unordered;
  unordered.steps[2].window.reset();
  report("event funnel: 5 steps, unordered, 14-day window",
         best_of(repeat, [&] { funnel = jg::event_funnel(js, unordered, exec); }));
  jg::FunnelTrends trends;
  report("funnel trends: weekly, Kaplan-Meier at 14 days", best_of(repeat, [&] { trends = jg::funnel_trends(js, f, {}, exec); }));
  jg::PathExplorerOptions po;
  po.start = "tp001";
  jg::PathExploration paths;
  report("path explorer: after tp001, 5 steps, top 5", best_of(repeat, [&] { paths = jg::explore_paths(js, po, exec); }));

  jg::DriverOptions dopt;
  dopt.kgrams = {2};
  dopt.at_least = {2};
  jg::DriverAnalysis da;
  report("drivers: touchpoints, 2-grams, before, at least 2",
         best_of(repeat, [&] { da = jg::conversion_drivers(js, dopt, exec); }));
  std::size_t significant = 0, confounded = 0;
  for (const auto& d : da.drivers) {
    significant += d.significant;
    confounded += d.confounded;
  }
  std::printf("    candidates %zu, tested %zu, below support %zu, untestable %zu; significant %zu, confounded %zu\n",
              da.candidates, da.drivers.size(), da.below_support, da.untestable, significant, confounded);
  std::printf("peak memory %.0f MB (checksum %llu)\n", bench::peak_mb(), static_cast<unsigned long long>(sink % 10));
  return 0;
}
