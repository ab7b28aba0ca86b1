#pragma once
// Journeys with planted conversion drivers of known odds ratio among many null features, for the planted-effects
// study (benchmarks/planted_drivers.cpp) and its small version in the tests (tests/cpp/test_drivers.cpp).
//
// A journey is three blocks, in this order:
//  1. base: 3 touches drawn uniformly from 40 null touchpoints "n01".."n40", whatever else happens. Every
//     feature made of null touchpoints only (n05, n05 > n17, n05 >> n17, n05{2}, ...) is therefore independent
//     of the outcome — marginally and within every journey length.
//  2. engagement: E ~ Poisson(2) touches, each "q" or "w" with probability 1/2. Conversion rises with E, and
//     so with the journey's length: q and w are confounded by length (associated with converting, but not
//     within journeys of the same length, since the other blocks have fixed lengths).
//  3. planted: one sub-block per planted feature, present with probability `share` (the pattern) or not (a
//     filler of the same length), independently: touchpoint x1 (filler f1), x2 (f2), sequence x3 > x4 (filler
//     x4 > x3), x5 >> x6 (pattern x5 g x6, filler x6 g x5), x7{2} (x7 x7, filler x7 f7), sequence
//     x8 > x9 > x10 (filler reversed), protective x11 (f11), weak x12 (f12), and two rare ones near the limit
//     of detection: x13 (f13) and x14 > x15 (filler x15 > x14), in 0.25 % and 0.3 % of the journeys.
// logit P(convert) = b0 + sum over planted features of log(conditional odds ratio) [present] + 0.35 (E - 2).
// Because the planted sub-blocks are independent of each other and of E, the *marginal* odds ratio of each
// planted feature (what a 2x2 table estimates) is computed exactly here by summing over the other features and E.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "journeygraph/journeys.hpp"

namespace planted {

struct Feature {
  std::string text;                  // the driver feature text (drivers.hpp)
  double conditional_or;             // exp(coefficient) in the generating model
  double share;                      // probability the pattern is present
  std::vector<std::string> pattern;  // touches when present
  std::vector<std::string> filler;   // touches when absent (same length)
};

inline std::vector<Feature> features() {
  return {
      {"x1", 2.0, 0.15, {"x1"}, {"f1"}},
      {"x2", 1.7, 0.20, {"x2"}, {"f2"}},
      {"x3 > x4", 1.9, 0.15, {"x3", "x4"}, {"x4", "x3"}},
      {"x5 >> x6", 1.8, 0.20, {"x5", "g", "x6"}, {"x6", "g", "x5"}},
      {"x7{2}", 2.2, 0.15, {"x7", "x7"}, {"x7", "f7"}},
      {"x8 > x9 > x10", 1.8, 0.15, {"x8", "x9", "x10"}, {"x10", "x9", "x8"}},
      {"x11", 0.55, 0.20, {"x11"}, {"f11"}},
      {"x12", 1.15, 0.20, {"x12"}, {"f12"}},
      {"x13", 1.7, 0.0025, {"x13"}, {"f13"}},
      {"x14 > x15", 1.6, 0.003, {"x14", "x15"}, {"x15", "x14"}},
  };
}

constexpr double kEngagement = 0.35;  // log odds per engagement touch
constexpr double kMeanEngagement = 2.0;
constexpr int kBase = 3;
constexpr int kNullTouchpoints = 40;

inline double expit(double x) { return 1 / (1 + std::exp(-x)); }

inline double poisson_pmf(int k, double mean) { return std::exp(k * std::log(mean) - mean - std::lgamma(k + 1.0)); }

// The intercept giving an average conversion rate near 15 %.
inline double intercept() { return std::log(0.15 / 0.85) - 0.25; }

// Exact marginal odds ratio of planted feature f: P(convert | f present) and | absent, summing over every
// other planted feature (present or not) and over E.
inline double marginal_odds_ratio(std::size_t f) {
  const auto fs = features();
  const std::size_t F = fs.size();
  double p[2] = {0, 0};
  for (int present = 0; present < 2; ++present) {
    double sum = 0;
    for (std::uint32_t mask = 0; mask < (1u << F); ++mask) {
      if (((mask >> f) & 1u) != std::uint32_t(present)) continue;
      double w = 1, lin = intercept();
      for (std::size_t g = 0; g < F; ++g) {
        if (g == f) continue;
        const bool on = (mask >> g) & 1u;
        w *= on ? fs[g].share : 1 - fs[g].share;
        if (on) lin += std::log(fs[g].conditional_or);
      }
      if (present) lin += std::log(fs[f].conditional_or);
      for (int e = 0; e < 40; ++e) sum += w * poisson_pmf(e, kMeanEngagement) * expit(lin + kEngagement * (e - kMeanEngagement));
    }
    p[present] = sum;
  }
  return (p[1] / (1 - p[1])) / (p[0] / (1 - p[0]));
}

// xoshiro256** seeded by splitmix64: the same journeys for a seed on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& w : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      w = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  int poisson(double mean) {
    double u = uniform(), cdf = 0;
    for (int k = 0; k < 200; ++k) {
      cdf += poisson_pmf(k, mean);
      if (u < cdf) return k;
    }
    return 200;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// n journeys (weight 1 each) drawn with the given seed.
inline journeygraph::JourneySet journeys(std::size_t n, std::uint64_t seed) {
  const auto fs = features();
  journeygraph::JourneySetBuilder b;
  std::vector<std::uint32_t> null_ids;
  for (int i = 1; i <= kNullTouchpoints; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "n%02d", i);
    null_ids.push_back(b.touchpoint(name));
  }
  const std::uint32_t q = b.touchpoint("q"), w = b.touchpoint("w");
  std::vector<std::vector<std::uint32_t>> pattern(fs.size()), filler(fs.size());
  for (std::size_t f = 0; f < fs.size(); ++f) {
    for (const auto& s : fs[f].pattern) pattern[f].push_back(b.touchpoint(s));
    for (const auto& s : fs[f].filler) filler[f].push_back(b.touchpoint(s));
  }
  Rng rng(seed);
  std::vector<std::uint32_t> path;
  b.reserve(n, n * 24);
  for (std::size_t j = 0; j < n; ++j) {
    path.clear();
    for (int i = 0; i < kBase; ++i) path.push_back(null_ids[std::size_t(rng.uniform() * kNullTouchpoints) % kNullTouchpoints]);
    const int e = rng.poisson(kMeanEngagement);
    for (int i = 0; i < e; ++i) path.push_back(rng.uniform() < 0.5 ? q : w);
    double lin = intercept() + kEngagement * (e - kMeanEngagement);
    for (std::size_t f = 0; f < fs.size(); ++f) {
      const bool on = rng.uniform() < fs[f].share;
      const auto& block = on ? pattern[f] : filler[f];
      path.insert(path.end(), block.begin(), block.end());
      if (on) lin += std::log(fs[f].conditional_or);
    }
    const bool converted = rng.uniform() < expit(lin);
    b.add(journeygraph::Span<const std::uint32_t>(path.data(), path.size()), {}, converted ? 1 : 0, converted ? 0 : 1, 0.0);
  }
  return b.finish();
}

// What a feature is, for scoring: null (null touchpoints only), confounded (engagement touchpoints, maybe with
// null ones), planted, or associated through a planted touchpoint.
enum class Truth { null, confounded, planted, associated };

inline Truth truth(const std::string& feature) {
  for (const auto& f : features())
    if (f.text == feature) return Truth::planted;
  // Split the text into names: separators " > ", " >> ", and a trailing "{n}".
  std::string s = feature;
  const auto brace = s.find('{');
  if (brace != std::string::npos) s = s.substr(0, brace);
  bool planted_part = false, engagement = false;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t at = s.find(" >", start);
    std::string name = s.substr(start, at == std::string::npos ? std::string::npos : at - start);
    if (!(name.size() == 3 && name[0] == 'n')) {
      if (name == "q" || name == "w") engagement = true;
      else planted_part = true;
    }
    if (at == std::string::npos) break;
    start = s.find(' ', at + 1) + 1;
  }
  if (planted_part) return Truth::associated;
  return engagement ? Truth::confounded : Truth::null;
}

}  // namespace planted
