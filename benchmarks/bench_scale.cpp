// Scale benchmark: events as in-memory arrays (sorted by journey and time, as exported from a warehouse)
// through journey building, order-k counting and fitting, and exact removal effects.
// usage: bench_scale [--touches N] [--touchpoints T] [--order K] [--threads N] [--keep-times]
// Prints seconds per stage, nanoseconds per touch, the JourneySet size and the process's peak memory,
// with the memory held by the input arrays alone for reference.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/journeys.hpp"

namespace jg = journeygraph;
using bench::Clock;
using bench::peak_mb;
using bench::cpu_seconds;
using bench::seconds_since;

int main(int argc, char** argv) {
  std::size_t touches = 10000000, touchpoints = 50;
  unsigned order = 1;
  bool keep_times = false;
  jg::Execution exec;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::strtod(argv[++i], nullptr) : 0.0; };
    if (a == "--touches") touches = std::size_t(next());
    else if (a == "--touchpoints") touchpoints = std::size_t(next());
    else if (a == "--order") order = unsigned(next());
    else if (a == "--threads") exec.threads = unsigned(next());
    else if (a == "--keep-times") keep_times = true;
    else {
      std::fprintf(stderr, "usage: bench_scale [--touches N] [--touchpoints T] [--order K] [--threads N] [--keep-times]\n");
      return 2;
    }
  }
  if (touchpoints > 255) touchpoints = 255;
  // Seeded xorshift data: ~10 touches per journey, skewed touchpoint popularity, ~10 % conversions.
  std::vector<std::int64_t> journey(touches), time(touches);
  std::vector<std::uint8_t> code(touches), conversion(touches, 0);
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  auto rnd = [&] {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  };
  std::int64_t j = 0, t = 1767225600;
  std::size_t left = 0;
  for (std::size_t i = 0; i < touches; ++i) {
    if (left == 0) {
      ++j;
      left = 1 + rnd() % 19;
      t = 1767225600 + std::int64_t(rnd() % (90 * 86400));
    }
    journey[i] = j;
    t += 1 + std::int64_t(rnd() % 86400);
    time[i] = t;
    const double u = double(rnd() >> 11) * 0x1.0p-53;
    code[i] = std::uint8_t(std::min<double>(double(touchpoints - 1), std::floor(std::pow(u, 2.0) * double(touchpoints))));
    --left;
    if (left == 0 && rnd() % 10 == 0) conversion[i] = 1;
  }
  std::vector<std::string> names;
  for (std::size_t k = 0; k < touchpoints; ++k) names.push_back("tp" + std::to_string(k));
  const double input_mb = peak_mb();
  jg::EventArrays ev;
  ev.journey = {journey.data(), touches};
  ev.time = {time.data(), touches};
  ev.touchpoint = jg::Span<const std::int8_t>(reinterpret_cast<const std::int8_t*>(code.data()), touches);
  ev.touchpoint_names = names;
  ev.conversion = {conversion.data(), touches};
  jg::JourneyOptions jo;
  jo.store_timestamps = keep_times;
  const double cpu0 = cpu_seconds();
  auto t0 = Clock::now();
  jg::JourneySet js = jg::build_journeys(ev, jo, nullptr, exec);
  const double build = seconds_since(t0);
  t0 = Clock::now();
  jg::TransitionCounts counts = jg::TransitionCounts::count(js, order, jg::SelfLoops::drop, exec);
  const double count = seconds_since(t0);
  t0 = Clock::now();
  jg::MarkovModel model = jg::MarkovModel::fit(counts, 0.0, exec);
  const double fit = seconds_since(t0);
  t0 = Clock::now();
  jg::RemovalEffects re = jg::removal_effects(model, exec);
  const double remove = seconds_since(t0);
  const double total = build + count + fit + remove, cpu = cpu_seconds() - cpu0;
  std::printf(
      "touches %zu journeys %zu touchpoints %zu order %u threads %u | build %.3f count %.3f fit %.3f removal %.3f "
      "total %.3f s (cpu %.3f s) %.2f ns/touch | JourneySet %.1f MB (%.2f B/touch) | input %.1f MB peak %.1f MB | "
      "P(conv) %.6f residual %.1e\n",
      touches, js.size(), touchpoints, order, jg::resolved_threads(exec), build, count, fit, remove, total, cpu,
      1e9 * total / double(touches), double(js.memory_bytes()) / 1048576.0, double(js.memory_bytes()) / double(touches),
      input_mb, peak_mb(), re.conversion_probability, re.max_residual);
  return 0;
}
