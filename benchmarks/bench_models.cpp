// Timings of the attribution models beyond removal effects, on seeded synthetic journeys (one row per
// journey, as built from an event log):
//   bootstrap  B replicates of order-K removal effects (markov only) on N journeys over T touchpoints
//   shapley    simplified + ordered Shapley on N journeys over T touchpoints
//   models     every rule-based model once, and all models with a bootstrap
// usage: bench_models (bootstrap|shapley|models) [--journeys N] [--touchpoints T] [--replicates B]
//                     [--order K] [--threads N]
// Prints wall time and CPU time (user + system of the process) of the timed call, so that figures stay
// meaningful when other work shares the machine.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "bench_common.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/samples.hpp"

namespace jg = journeygraph;
using bench::Clock;
using bench::cpu_seconds;

namespace {

struct Timer {
  Clock::time_point wall = Clock::now();
  double cpu = cpu_seconds();
  void report(const char* what) const {
    std::printf("%-44s wall %8.3f s   cpu %8.3f s\n", what,
                std::chrono::duration<double>(Clock::now() - wall).count(), cpu_seconds() - cpu);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_models (bootstrap|shapley|models) [--journeys N] [--touchpoints T] "
                         "[--replicates B] [--order K] [--threads N]\n");
    return 2;
  }
  const std::string what = argv[1];
  std::size_t journeys = 1000000, touchpoints = 12, replicates = 200;
  unsigned order = 1;
  jg::Execution exec;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    const unsigned long long v = std::strtoull(argv[i + 1], nullptr, 10);
    if (opt == "--journeys") journeys = v;
    else if (opt == "--touchpoints") touchpoints = v;
    else if (opt == "--replicates") replicates = v;
    else if (opt == "--order") order = unsigned(v);
    else if (opt == "--threads") exec.threads = unsigned(v);
    else {
      std::fprintf(stderr, "bench_models: unknown option %s\n", opt.c_str());
      return 2;
    }
  }
  jg::SyntheticOptions so;
  so.journeys = journeys;
  so.touchpoints = touchpoints;
  so.seed = 1;
  Timer t;
  const jg::EventTable ev = jg::synthetic_events(so);
  const jg::JourneySet js = jg::build_journeys(ev.arrays(), {}, nullptr, exec);
  std::printf("%zu journeys (rows), %zu touches, %zu touchpoints, %u threads\n", js.size(), js.touch_count(),
              js.touchpoints().size(), jg::resolved_threads(exec));
  t.report("generate + build journeys");

  jg::AttributionOptions o;
  o.markov.order = order;
  o.bootstrap.seed = 7;
  if (what == "bootstrap") {
    o.models = {jg::AttributionModel::markov};
    Timer p;
    const jg::AttributionResult point = jg::attribute(js, o, exec);
    p.report("point estimate (fit + removal effects)");
    o.bootstrap.replicates = replicates;
    Timer b;
    const jg::AttributionResult r = jg::attribute(js, o, exec);
    char label[96];
    std::snprintf(label, sizeof label, "%zu replicates, order-%u removal effects", replicates, order);
    b.report(label);
    std::printf("markov stability %.4f, failed replicates %zu\n", r.models[0].conversions_interval->stability,
                r.bootstrap->markov_failed_replicates);
  } else if (what == "shapley") {
    Timer s;
    const jg::ShapleyResult r = jg::shapley_attribution(js);
    s.report("shapley + ordered shapley");
    double sum = 0;
    for (double x : r.conversions) sum += x;
    std::printf("%zu coalitions, %zu positions; credits sum to %.6f of %.6f conversions\n", r.coalitions,
                r.positions.positions, sum, js.total_conversions());
  } else if (what == "models") {
    o.models = jg::applicable_models(js);
    Timer a;
    jg::attribute(js, o, exec);
    a.report("every model");
    o.bootstrap.replicates = replicates;
    Timer b;
    jg::attribute(js, o, exec);
    char label[96];
    std::snprintf(label, sizeof label, "every model, %zu replicates", replicates);
    b.report(label);
  } else {
    std::fprintf(stderr, "bench_models: unknown benchmark %s\n", what.c_str());
    return 2;
  }
  return 0;
}
