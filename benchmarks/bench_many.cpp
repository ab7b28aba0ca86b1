// Removal effects over very many touchpoints that each touch a tiny part of the chain: aggregated paths
// "t<i> > hub" (one path per touchpoint, every fourth one converting), fitted at order K, timed per stage.
// usage: bench_many [--touchpoints N ...] [--order K] [--threads N]
// Prints one line per size: states, seconds of building, counting, fitting and removal effects, CPU time,
// peak memory, and how removal time grew against the previous size (time ratio / size ratio: 1 is linear,
// the size ratio itself would be quadratic).

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
using bench::cpu_seconds;
using bench::peak_mb;
using bench::seconds_since;

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  unsigned order = 2;
  jg::Execution exec;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const double v = i + 1 < argc ? std::strtod(argv[i + 1], nullptr) : 0.0;
    if (a == "--touchpoints") sizes.push_back(std::size_t(v));
    else if (a == "--order") order = unsigned(v);
    else if (a == "--threads") exec.threads = unsigned(v);
    else {
      std::fprintf(stderr, "usage: bench_many [--touchpoints N ...] [--order K] [--threads N]\n");
      return 2;
    }
    ++i;
  }
  if (sizes.empty()) sizes = {10000, 100000, 1000000};
  std::printf("paths \"t<i> > hub\", order %u, threads %u\n", order, jg::resolved_threads(exec));
  std::printf("%9s %9s %8s %8s %8s %9s %8s %8s %8s %12s\n", "tps", "states", "build_s", "count_s", "fit_s",
              "remove_s", "total_s", "cpu_s", "peak_MB", "growth");
  double prev_remove = 0, prev_size = 0;
  for (std::size_t n : sizes) {
    const double cpu0 = cpu_seconds();
    auto t = Clock::now();
    jg::JourneySetBuilder b;
    b.reserve(n, 2 * n);
    const std::uint32_t hub = b.touchpoint("hub");
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t path[2] = {b.touchpoint("t" + std::to_string(i)), hub};
      const double conv = i % 4 == 0 ? 1.0 : 0.0;
      b.add({path, 2}, {}, conv, 1.0, 10.0 * conv);
    }
    const jg::JourneySet js = b.finish();
    const double build = seconds_since(t);
    t = Clock::now();
    const jg::TransitionCounts counts = jg::TransitionCounts::count(js, order, jg::SelfLoops::drop, exec);
    const double count = seconds_since(t);
    t = Clock::now();
    const jg::MarkovModel model = jg::MarkovModel::fit(counts, 0.0, exec);
    const double fit = seconds_since(t);
    t = Clock::now();
    const jg::RemovalEffects re = jg::removal_effects(model, exec);
    const double remove = seconds_since(t);
    // The exact answer at order 2: removing t<i> loses its own journeys only, so a converting one has the
    // effect 1 / (converting journeys), the others 0, and the hub 1.
    const double converting = double((n + 3) / 4);
    for (std::size_t i = 0; order == 2 && i < re.touchpoints.size(); ++i) {
      const std::string& name = re.touchpoints[i];
      const double want = name == "hub" ? 1.0 : std::stoul(name.substr(1)) % 4 == 0 ? 1.0 / converting : 0.0;
      if (std::abs(re.removal_effect[i] - want) > 1e-12) {
        std::fprintf(stderr, "wrong removal effect for %s: %.17g, want %.17g\n", name.c_str(), re.removal_effect[i],
                     want);
        return 1;
      }
    }
    char growth[32] = "";
    if (prev_size > 0 && prev_remove > 0)
      std::snprintf(growth, sizeof growth, "x%.1f/x%.0f", remove / prev_remove, double(n) / prev_size);
    std::printf("%9zu %9zu %8.3f %8.3f %8.3f %9.3f %8.3f %8.3f %8.1f %12s\n", n, model.n_states(), build, count, fit,
                remove, build + count + fit + remove, cpu_seconds() - cpu0, peak_mb(), growth);
    std::fflush(stdout);
    prev_remove = remove;
    prev_size = double(n);
  }
  return 0;
}
