// Batch scoring of open journeys through the C ABI (jg_scorer_score_batch): histories per second against a
// fitted order-k model, next to a plain pass over the same arrays (read each history's offsets and last
// touches, write one double per history) measured in the same run, so that the ratio survives a noisy
// machine.
//
// usage: bench_score [histories=2000000] [order=2] [touchpoints=20] [reps=5]
// The model is fitted on 200,000 journeys of a seeded process over the touchpoints (next touch depends on
// the last two, 1..12 touches); the histories are drawn from the same process, cut at a random touch.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "journeygraph/journeygraph.h"

namespace {

struct Paths {
  std::vector<std::uint64_t> offsets{0};
  std::vector<std::uint32_t> touches;
};

// Journeys of a process in which the next touch depends on the last two: a seeded sequence of length
// 1..max_len, so histories of an order-2 chain are mostly seen states, with a tail of unseen ones.
Paths draw(std::size_t n, unsigned T, std::uint64_t seed, std::vector<double>* conv) {
  std::mt19937_64 rng(seed);
  Paths p;
  p.touches.reserve(n * 5);
  for (std::size_t j = 0; j < n; ++j) {
    const unsigned len = 1 + unsigned(rng() % 12);
    std::uint32_t a = std::uint32_t(rng() % T), b = T;
    for (unsigned i = 0; i < len; ++i) {
      p.touches.push_back(a);
      const std::uint32_t next = (rng() % 4 == 0) ? std::uint32_t(rng() % T) : std::uint32_t((a * 7 + b + 3) % T);
      b = a;
      a = next;
    }
    p.offsets.push_back(p.touches.size());
    if (conv) conv->push_back(p.touches.back() % 5 == 0 && rng() % 3 == 0 ? 1.0 : 0.0);
  }
  return p;
}

void require(jg_status s, const char* what) {
  if (s != JG_OK) {
    std::fprintf(stderr, "%s: %s\n", what, jg_last_error_message());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
  const unsigned order = argc > 2 ? unsigned(std::atoi(argv[2])) : 2;
  const unsigned T = argc > 3 ? unsigned(std::atoi(argv[3])) : 20;
  const int reps = argc > 4 ? std::atoi(argv[4]) : 5;

  std::vector<double> conv;
  const Paths train = draw(200000, T, 1, &conv);
  std::vector<double> nulls(conv.size());
  for (std::size_t j = 0; j < conv.size(); ++j) nulls[j] = 1.0 - conv[j];
  std::vector<std::string> names;
  std::vector<const char*> cnames;
  for (unsigned t = 0; t < T; ++t) names.push_back("t" + std::to_string(t));
  for (const auto& s : names) cnames.push_back(s.c_str());
  jg_path_arrays pa = JG_PATH_ARRAYS_INIT;
  pa.n_paths = conv.size();
  pa.touches = train.touches.data();
  pa.offsets = train.offsets.data();
  pa.touchpoint_names = cnames.data();
  pa.n_touchpoint_names = T;
  pa.conversions = conv.data();
  pa.nulls = nulls.data();
  jg_journeys* js = nullptr;
  require(jg_journeys_from_paths(&pa, nullptr, &js, nullptr), "journeys");
  jg_model_options mo = JG_MODEL_OPTIONS_INIT;
  mo.order = order;
  jg_model* model = nullptr;
  require(jg_model_create_fitted(js, &mo, nullptr, &model), "fit");
  // The model's touchpoints are sorted by name: map the process's ids to the model's.
  std::vector<std::uint32_t> to_model(T);
  for (std::uint32_t i = 0; i < T; ++i) {
    const char* name = nullptr;
    require(jg_model_touchpoint_name(model, i, &name), "touchpoint");
    to_model[std::size_t(std::atoi(name + 1))] = i;
  }
  auto t0 = bench::Clock::now();
  jg_scorer* scorer = nullptr;
  require(jg_scorer_create(model, nullptr, &scorer), "scorer");
  const double setup = bench::seconds_since(t0);

  Paths h = draw(n, T, 2, nullptr);
  {
    std::mt19937_64 rng(3);  // cut each history at a random touch: open journeys
    Paths cut;
    cut.touches.reserve(h.touches.size());
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint64_t len = h.offsets[j + 1] - h.offsets[j];
      const std::uint64_t keep = 1 + rng() % len;
      for (std::uint64_t i = 0; i < keep; ++i) cut.touches.push_back(to_model[h.touches[h.offsets[j] + i]]);
      cut.offsets.push_back(cut.touches.size());
    }
    h = std::move(cut);
  }
  std::vector<double> p(n), v(n), g(n), plain(n);
  std::vector<std::uint32_t> matched(n);
  std::vector<std::uint8_t> backed(n);

  double best_score = 1e300, best_plain = 1e300;
  for (int r = 0; r < reps; ++r) {
    t0 = bench::Clock::now();
    // The plain pass: what any per-history loop over these arrays costs (offsets, last touches, one write).
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint64_t a = h.offsets[j], b = h.offsets[j + 1];
      plain[j] = double(h.touches[b - 1]) + (b - a > 1 ? double(h.touches[b - 2]) : 0.0);
    }
    best_plain = std::min(best_plain, bench::seconds_since(t0));
    t0 = bench::Clock::now();
    require(jg_scorer_score_batch(scorer, h.offsets.data(), n, h.touches.data(), h.touches.size(), p.data(),
                                  v.data(), g.data(), matched.data(), backed.data()),
            "score");
    best_score = std::min(best_score, bench::seconds_since(t0));
  }
  std::size_t n_backed = 0;
  double checksum = 0;
  for (std::size_t j = 0; j < n; ++j) {
    n_backed += backed[j];
    checksum += p[j] + plain[j] * 1e-12;
  }
  jg_model_info info = JG_MODEL_INFO_INIT;
  require(jg_model_get_info(model, &info), "info");
  std::printf("histories %zu, touches %zu, order %u, touchpoints %u, states %zu, backed off %zu (%.2f %%)\n", n,
              h.touches.size(), order, T, info.n_states, n_backed, 100.0 * double(n_backed) / double(n));
  std::printf("scorer setup %.3f s\n", setup);
  std::printf("score_batch best of %d: %.4f s = %.2f M histories/s (one thread)\n", reps, best_score,
              double(n) / best_score / 1e6);
  std::printf("plain pass  best of %d: %.4f s = %.2f M histories/s\n", reps, best_plain, double(n) / best_plain / 1e6);
  std::printf("ratio score / plain pass: %.1f\n", best_score / best_plain);
  std::printf("(checksum %.6f)\n", checksum);
  jg_scorer_free(scorer);
  jg_model_free(model);
  jg_journeys_free(js);
  return 0;
}
