// Seeded data generators. A private RNG (xoshiro256**) and hand-written distributions keep the output
// identical across standard libraries (std:: distributions are implementation-defined).

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "journeygraph/error.hpp"
#include "journeygraph/samples.hpp"
#include "common/parallel.hpp"

namespace journeygraph {
namespace {

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
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  bool bernoulli(double p) { return uniform() < p; }
  std::size_t below(std::size_t n) { return std::size_t(uniform() * double(n)) % n; }
  // Exponential with the given mean, rounded to whole seconds (>= 1).
  std::int64_t seconds(double mean) {
    double x = -std::log(1.0 - uniform()) * mean;
    return std::max<std::int64_t>(1, std::int64_t(x + 0.5));
  }
  std::size_t pick(const std::vector<double>& cumulative) {
    double u = uniform() * cumulative.back();
    return std::size_t(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

enum Stage { kAwareness, kConsideration, kPurchase, kRetention, kAdvocacy };

struct Touch {
  const char* name;
  Stage stage;
  double weight;       // how often it is chosen within its stage
  double conversion;   // purchase touchpoints: P(buy at this touch)
  double gap_hours;    // mean time to the next touch
};

const Touch kTouches[] = {
    {"display_ad", kAwareness, 3.0, 0.0, 40},        {"social_ad", kAwareness, 4.0, 0.0, 30},
    {"video_ad", kAwareness, 2.0, 0.0, 48},          {"influencer_post", kAwareness, 1.5, 0.0, 36},
    {"paid_search", kConsideration, 4.0, 0.0, 10},   {"organic_search", kConsideration, 3.5, 0.0, 14},
    {"comparison_site", kConsideration, 1.5, 0.0, 20}, {"email_newsletter", kConsideration, 2.5, 0.0, 24},
    {"retargeting_ad", kConsideration, 2.0, 0.0, 18}, {"website", kPurchase, 5.0, 0.30, 2},
    {"mobile_app", kPurchase, 3.0, 0.34, 2},         {"store_visit", kPurchase, 2.0, 0.45, 6},
    {"loyalty_email", kRetention, 3.0, 0.0, 120},    {"support_chat", kRetention, 1.5, 0.0, 72},
    {"app_push", kRetention, 2.0, 0.0, 96},          {"review_site", kAdvocacy, 2.0, 0.0, 150},
    {"referral_program", kAdvocacy, 1.0, 0.0, 150},  {"community_forum", kAdvocacy, 1.5, 0.0, 120},
};
constexpr std::size_t kNumTouches = sizeof(kTouches) / sizeof(kTouches[0]);
const char* const kStageNames[] = {"awareness", "consideration", "purchase", "retention", "advocacy"};

std::size_t pick_in_stage(Rng& rng, Stage s) {
  double total = 0;
  for (const auto& t : kTouches)
    if (t.stage == s) total += t.weight;
  double u = rng.uniform() * total;
  std::size_t last = 0;
  for (std::size_t i = 0; i < kNumTouches; ++i)
    if (kTouches[i].stage == s) {
      last = i;
      if (u < kTouches[i].weight) return i;
      u -= kTouches[i].weight;
    }
  return last;
}

}  // namespace

std::vector<std::string> sample_stage_order() { return {std::begin(kStageNames), std::end(kStageNames)}; }

std::vector<std::pair<std::string, std::string>> sample_stages() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& t : kTouches) out.emplace_back(t.name, kStageNames[t.stage]);
  return out;
}

EventTable sample_events(std::size_t customers, std::uint64_t seed, const Execution& exec) {
  const detail::Progress progress(exec, "draw");
  Rng rng(seed);
  EventTable ev;
  for (const auto& t : kTouches) ev.touchpoint_names.emplace_back(t.name);
  ev.segment_names = {"desktop", "mobile"};
  const std::int64_t t0 = 1767225600;  // 2026-01-01T00:00:00Z
  for (std::size_t c = 0; c < customers; ++c) {
    if ((c & 1023) == 0) progress.report(double(c) / double(customers));
    const bool mobile = rng.bernoulli(0.55);
    std::int64_t t = t0 + std::int64_t(rng.uniform() * 90 * 86400);
    // Most customers first meet an ad; some start by searching, a few walk straight into a store.
    const double entry = rng.uniform();
    Stage stage = entry < 0.72 ? kAwareness : entry < 0.94 ? kConsideration : kPurchase;
    bool newsletter = false, searched = false;
    int purchases = 0;
    for (int step = 0; step < 40; ++step) {
      std::size_t tp;
      if (mobile && stage == kPurchase && rng.bernoulli(0.45)) tp = 10;  // mobile_app
      else tp = pick_in_stage(rng, stage);
      const Touch& touch = kTouches[tp];
      newsletter = newsletter || tp == 7;
      searched = searched || tp == 4 || tp == 5;
      double p_buy = touch.conversion;
      if (p_buy > 0) {
        // History matters: the sample is not first-order, so higher orders have something to find.
        if (newsletter) p_buy *= 1.5;
        if (searched) p_buy *= 1.25;
        if (purchases > 0) p_buy *= 1.2;
        p_buy = std::min(p_buy, 0.9);
      }
      const bool converted = rng.bernoulli(p_buy);
      ev.journey.push_back(std::int64_t(c));
      ev.time.push_back(t);
      ev.touchpoint.push_back(std::uint32_t(tp));
      ev.conversion.push_back(converted ? 1 : 0);
      ev.value.push_back(converted ? std::round(100.0 * 80.0 * std::exp(0.45 * (rng.uniform() + rng.uniform() +
                                                                               rng.uniform() - 1.5) * 2.0)) / 100.0
                                   : 0.0);
      ev.segment.push_back(mobile ? 1 : 0);
      t += rng.seconds(touch.gap_hours * 3600.0);
      if (converted) {
        ++purchases;
        newsletter = searched = false;
        if (!rng.bernoulli(0.55)) break;  // most buyers go quiet
        stage = kRetention;
        t += rng.seconds(5 * 86400.0);
        continue;
      }
      // Where next: stay, move on, fall back, or leave.
      double u = rng.uniform();
      switch (stage) {
        case kAwareness:
          if (u < 0.30) break;
          else if (u < 0.72) stage = kConsideration;
          else if (u < 0.78) stage = kPurchase;
          else step = 99;
          break;
        case kConsideration:
          if (u < 0.30) break;
          else if (u < 0.68) stage = kPurchase;
          else if (u < 0.74) stage = kAwareness;
          else step = 99;
          break;
        case kPurchase:
          if (u < 0.30) break;
          else if (u < 0.55) stage = kConsideration;
          else step = 99;
          break;
        case kRetention:
          if (u < 0.25) break;
          else if (u < 0.50) stage = kAdvocacy;
          else if (u < 0.70) stage = kPurchase;
          else step = 99;
          break;
        case kAdvocacy:
          if (u < 0.20) break;
          else if (u < 0.45) stage = kPurchase;
          else step = 99;
          break;
      }
    }
  }
  progress.report(1.0);
  return ev;
}

EventTable synthetic_events(const SyntheticOptions& o, const Execution& exec) {
  if (o.touchpoints == 0 || o.touchpoints > 1000000) throw InvalidArgument("touchpoints must be in 1..1000000");
  if (o.min_touches < 1 || o.min_touches > 200) throw InvalidArgument("min_touches must be in 1..200");
  if (!(o.mean_touches >= double(o.min_touches))) throw InvalidArgument("mean_touches must be >= min_touches");
  if (!(o.mean_touches <= 1e6)) throw InvalidArgument("mean_touches must be at most 1000000");
  if (!(o.base_conversion > 0 && o.base_conversion < 1)) throw InvalidArgument("base_conversion must be in (0, 1)");
  Rng rng(o.seed);
  EventTable ev;
  const std::size_t n = o.touchpoints;
  for (std::size_t i = 0; i < n; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "tp%03zu", i + 1);
    ev.touchpoint_names.emplace_back(buf);
  }
  std::vector<double> cumulative(n), lift(n);
  double acc = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc += 1.0 / std::pow(double(i + 1), o.zipf);
    cumulative[i] = acc;
    // Lift in [0.4, 2.5], spread deterministically so attribution differs between touchpoints.
    lift[i] = 0.4 + 2.1 * double((i * 7919) % 101) / 100.0;
  }
  // length = min_touches + geometric with the remaining mean
  const double p_stop = 1.0 / (o.mean_touches - double(o.min_touches) + 1.0);
  const std::int64_t t0 = 1767225600;
  std::vector<std::uint32_t> path;
  const detail::Progress progress(exec, "draw");
  for (std::size_t j = 0; j < o.journeys; ++j) {
    if ((j & 1023) == 0) progress.report(double(j) / double(o.journeys));
    path.clear();
    std::size_t cur = rng.pick(cumulative);
    path.push_back(std::uint32_t(cur));
    // Lengths are never cut: a cut would lower the mean below the one asked for without a word.
    while (path.size() < o.min_touches || !rng.bernoulli(p_stop)) {
      if (rng.bernoulli(o.stickiness)) cur = (cur + 1 + rng.below(3)) % n;
      else cur = rng.pick(cumulative);
      path.push_back(std::uint32_t(cur));
    }
    double l = 0;
    for (auto t : path) l += lift[t];
    l /= double(path.size());
    const double p = std::min(0.95, o.base_conversion * l * (1.0 + 0.1 * double(path.size() - 1)));
    const bool converted = rng.bernoulli(p);
    std::int64_t t = t0 + std::int64_t(rng.uniform() * 90 * 86400);
    for (std::size_t i = 0; i < path.size(); ++i) {
      ev.journey.push_back(std::int64_t(j));
      ev.time.push_back(t);
      ev.touchpoint.push_back(path[i]);
      const bool last = i + 1 == path.size();
      ev.conversion.push_back(converted && last ? 1 : 0);
      ev.value.push_back(converted && last ? double(20 + (j * 37) % 180) : 0.0);
      t += rng.seconds(86400.0);
    }
  }
  progress.report(1.0);
  return ev;
}

}  // namespace journeygraph
