// Stage timings of exact attribution on a paths or events CSV: read, count, fit, removal effects.
// usage: bench_attribute FILE (--paths|--events) [--order K ...] [--threads N]
// Prints the JourneySet's size and the peak memory after reading, then one line per order with the seconds of
// each stage, the CPU time and the process's peak resident memory.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/io.hpp"
#include "markov/solver.hpp"

namespace jg = journeygraph;
using bench::Clock;
using bench::cpu_seconds;
using bench::peak_mb;
using bench::seconds_since;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_attribute FILE (--paths|--events) [--order K ...] [--threads N]\n");
    return 2;
  }
  const std::string file = argv[1];
  const bool paths = std::strcmp(argv[2], "--paths") == 0;
  std::vector<unsigned> orders;
  jg::Execution exec;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--order") == 0) orders.push_back(unsigned(std::atoi(argv[i + 1])));
    else if (std::strcmp(argv[i], "--threads") == 0) exec.threads = unsigned(std::atoi(argv[i + 1]));
  }
  if (orders.empty()) orders = {1};
  auto t = Clock::now();
  const double cpu_start = cpu_seconds();
  jg::JourneySet js = paths ? jg::read_paths_csv(file, {}, nullptr, exec) : jg::read_events_csv(file, {}, {}, nullptr, exec);
  const double read = seconds_since(t), read_cpu = cpu_seconds() - cpu_start;
  std::printf("file %s: %zu journeys, %zu touches, %zu touchpoints; read %.3f s; read_cpu %.3f s; JourneySet %.1f MB; "
              "peak %.1f MB; threads %u\n",
              file.c_str(), js.size(), js.touch_count(), js.touchpoints().size(), read, read_cpu,
              double(js.memory_bytes()) / 1048576.0, peak_mb(), jg::resolved_threads(exec));
  std::printf("%5s %10s %10s %8s %8s %8s %8s %8s %10s %10s %9s\n", "order", "states", "largest", "count_s",
              "fit_s", "remove_s", "total_s", "cpu_s", "iters", "residual", "peak_MB");
  for (unsigned k : orders) {
    t = Clock::now();
    const double cpu_order = cpu_seconds();
    jg::TransitionCounts counts = jg::TransitionCounts::count(js, k, jg::SelfLoops::drop, exec);
    const double count = seconds_since(t);
    t = Clock::now();
    jg::MarkovModel model = jg::MarkovModel::fit(counts, 0.0, exec);
    const double fit = seconds_since(t);
    t = Clock::now();
    jg::RemovalEffects re = jg::removal_effects(model, exec);
    const double remove = seconds_since(t);
    const auto& solver = *model.chain().solver;
    // total_s and cpu_s include reading the file, as a command-line run of this order would.
    std::printf("%5u %10zu %10zu %8.3f %8.3f %8.3f %8.3f %8.3f %10llu %10.2e %9.1f\n", k, model.n_states(),
                solver.largest_component(), count, fit, remove, read + count + fit + remove,
                read_cpu + cpu_seconds() - cpu_order,
                static_cast<unsigned long long>(solver.full_stats().iterations), re.max_residual, peak_mb());
  }
  return 0;
}
