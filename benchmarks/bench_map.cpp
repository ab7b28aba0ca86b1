// Journey-map benchmark: the map of synthetic journeys (default 1M journeys over 50 touchpoints and 5
// stages, with timestamps) built in memory, then every analysis of it. Prints wall and CPU seconds per
// step (CPU time shows the work done when other processes share the machine) and peak memory.
// usage: bench_map [--journeys N] [--touchpoints N] [--stages N] [--threads N] [--repeat R]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "journeygraph/journey_map.hpp"
#include "journeygraph/samples.hpp"

namespace jg = journeygraph;
using bench::Clock;
using bench::cpu_seconds;
using bench::peak_mb;

namespace {

struct Timer {
  Clock::time_point wall = Clock::now();
  double cpu = cpu_seconds();
  std::pair<double, double> lap() {
    const auto now = Clock::now();
    const double c = cpu_seconds();
    std::pair<double, double> r{std::chrono::duration<double>(now - wall).count(), c - cpu};
    wall = now;
    cpu = c;
    return r;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t journeys = 1000000, touchpoints = 50, stages = 5;
  int repeat = 3;
  jg::Execution exec;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--journeys") journeys = std::size_t(v);
    else if (a == "--touchpoints") touchpoints = std::size_t(v);
    else if (a == "--stages") stages = std::size_t(v);
    else if (a == "--threads") exec.threads = unsigned(v);
    else if (a == "--repeat") repeat = int(v);
    else {
      std::fprintf(stderr, "usage: bench_map [--journeys N] [--touchpoints N] [--stages N] [--threads N] [--repeat R]\n");
      return 2;
    }
  }
  jg::SyntheticOptions so;
  so.journeys = journeys;
  so.touchpoints = touchpoints;
  so.mean_touches = 4;
  so.zipf = 0.8;
  so.seed = 1;
  Timer t;
  jg::EventTable ev = jg::synthetic_events(so);
  jg::JourneySet js = jg::build_journeys(ev.arrays(), {}, nullptr, exec);
  ev = jg::EventTable();
  auto [gen_wall, gen_cpu] = t.lap();
  // Touchpoints tp001.. in consecutive blocks, one block per stage (the generator's sticky moves go to
  // the next few touchpoints, so journeys mostly move forward through the stages).
  std::vector<std::string> order;
  for (std::size_t s = 0; s < stages; ++s) order.push_back("stage" + std::to_string(s + 1));
  jg::StageMap stage_map(order);
  for (std::uint32_t id = 0; id < js.touchpoints().size(); ++id) {
    const std::string& name = js.touchpoints().name(id);
    const std::size_t k = std::size_t(std::atoi(name.c_str() + 2)) - 1;
    stage_map.assign(name, order[k * stages / touchpoints]);
  }
  std::printf("journeys %zu, touches %zu, touchpoints %zu, stages %zu, threads %u; data made in %.3f s wall\n",
              js.size(), js.touch_count(), js.touchpoints().size(), stages, jg::resolved_threads(exec), gen_wall);
  (void)gen_cpu;
  std::printf("%6s %8s %8s %8s %8s %8s %8s %9s %9s\n", "run", "build_s", "funnel_s", "pain_s", "paths_s",
              "sankey_s", "total_s", "total_cpu", "peak_MB");
  double best = 1e300, best_cpu = 0;
  for (int r = 0; r < repeat; ++r) {
    Timer total;
    Timer step;
    jg::JourneyMap map(js, stage_map, {}, exec);
    const double build = step.lap().first;
    jg::Funnel f = map.funnel(exec);
    const double funnel = step.lap().first;
    auto pains = map.pain_points();
    const double pain = step.lap().first;
    jg::PathAnalysis p = map.paths({10, 10}, exec);
    const double paths = step.lap().first;
    jg::SankeyData sk = map.sankey({true, 6});
    const double sankey = step.lap().first;
    auto [wall, cpu] = total.lap();
    std::printf("%6d %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %9.3f %9.1f\n", r + 1, build, funnel, pain, paths, sankey, wall,
                cpu, peak_mb());
    if (wall < best) {
      best = wall;
      best_cpu = cpu;
    }
    // Keep the results alive until here so that nothing is optimised away.
    if (f.rows.empty() || pains.empty() || p.variants.empty() || sk.links.empty()) return 1;
  }
  std::printf("best: %.3f s wall, %.3f s CPU\n", best, best_cpu);
  return 0;
}
