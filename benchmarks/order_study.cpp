// Does choose_order() recover the true order? Journeys are drawn from random sparse chains of a known order
// (tests/cpp/order_chain.hpp states the construction), and the recommended order is compared with the truth.
//
// usage: order_study [--orders 1,2,3] [--journeys 20000,200000] [--seeds 5] [--max-order 5] [--threads N]
// Prints one line per run and the number of runs whose recommendation equals the truth.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "journeygraph/analysis.hpp"
#include "order_chain.hpp"

namespace jg = journeygraph;

namespace {

std::vector<std::size_t> list(const char* s) {
  std::vector<std::size_t> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoull(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> orders = {1, 2, 3}, sizes = {20000, 200000};
  std::size_t seeds = 5, max_order = 5, threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--orders")) orders = list(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--journeys")) sizes = list(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seeds")) seeds = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--max-order")) max_order = std::stoull(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--threads")) threads = std::stoull(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  std::printf("%5s %8s %4s %10s %11s %4s %4s  %s\n", "truth", "journeys", "seed", "touches", "recommended",
              "best", "ok", "held-out log-likelihood - best's (standard error), orders 1..max; seconds");
  std::size_t runs = 0, correct = 0;
  for (std::size_t truth : orders)
    for (std::size_t n : sizes)
      for (std::size_t seed = 1; seed <= seeds; ++seed) {
        jg::testing::OrderChainOptions co;
        co.order = unsigned(truth);
        const jg::testing::OrderChain chain(co, 1000 * truth + seed);
        const jg::JourneySet js = chain.sample(n, 7 + seed);
        jg::OrderChoiceOptions o;
        o.max_order = unsigned(max_order);
        o.seed = seed;
        jg::Execution exec;
        exec.threads = threads;
        const auto t0 = bench::Clock::now();
        const jg::OrderChoice c = jg::choose_order(js, o, exec);
        const double secs = bench::seconds_since(t0);
        const bool ok = c.recommended_order == truth;
        ++runs;
        correct += ok ? 1 : 0;
        const double best = c.scores[c.best_order - 1].heldout_log_likelihood;
        std::printf("%5zu %8zu %4zu %10.2f %11u %4u %4s ", truth, n, seed, double(js.touch_count()) / double(n),
                    c.recommended_order, c.best_order, ok ? "yes" : "NO");
        for (const auto& s : c.scores)
          std::printf(" %.1f (%.1f)", s.heldout_log_likelihood - best, s.heldout_difference_se);
        std::printf("; %.1f s\n", secs);
        std::fflush(stdout);
      }
  std::printf("recommended order = true order in %zu of %zu runs\n", correct, runs);
  return 0;
}
