// Conversion drivers (see drivers.hpp). Two passes over fixed chunks of journeys: the first counts the support
// of every feature seen (per-chunk hash maps merged in chunk order), the second fills, for the features tested,
// per-chunk dense tables of outcome weights by journey-length stratum. Both merge in chunk order, so the sums
// do not depend on the thread count.

#include "journeygraph/drivers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "funnel/matcher.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/funnel.hpp"
#include "statistics/statistics.hpp"
#include "table/columns.hpp"

namespace journeygraph {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kIdBits = 20;
constexpr std::uint64_t kIdMask = (std::uint64_t(1) << kIdBits) - 1;

// Feature keys: kind in bits 61..63; kgram and before ids in three 20-bit slots; touchpoint id in the low 32
// bits; at_least id in the low 32 bits and n in bits 32..51. No key is all ones (the hash maps' empty mark).
enum KeyKind : std::uint64_t { kTouchpoint = 0, kGram2 = 1, kGram3 = 2, kBefore = 3, kAtLeast = 4 };
inline std::uint64_t make_key(std::uint64_t kind, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
  return (kind << 61) | (a << 40) | (b << 20) | c;
}
inline std::uint64_t touchpoint_key(std::uint32_t id) { return (std::uint64_t(kTouchpoint) << 61) | id; }
inline std::uint64_t at_least_key(std::uint32_t id, std::uint64_t n) {
  return (std::uint64_t(kAtLeast) << 61) | (n << 32) | id;
}
inline std::uint64_t key_kind(std::uint64_t k) { return k >> 61; }

struct Support {
  double w = 0;
  void add(double x) { w += x; }
  void add(const Support& o) { w += o.w; }
};

// Read-only open-addressing index from feature keys to dense feature numbers.
class KeyIndex {
 public:
  explicit KeyIndex(const std::vector<std::uint64_t>& keys) {
    std::size_t n = detail::next_pow2(keys.size() * 2 + 1);
    keys_.assign(n, kEmpty);
    index_.assign(n, 0);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::size_t s = detail::mix64(keys[i]) & (n - 1);
      while (keys_[s] != kEmpty) s = (s + 1) & (n - 1);
      keys_[s] = keys[i];
      index_[s] = static_cast<std::uint32_t>(i);
    }
  }
  // Dense number of key, or UINT32_MAX.
  std::uint32_t find(std::uint64_t key) const {
    const std::size_t mask = keys_.size() - 1;
    std::size_t s = detail::mix64(key) & mask;
    while (true) {
      if (keys_[s] == key) return index_[s];
      if (keys_[s] == kEmpty) return UINT32_MAX;
      s = (s + 1) & mask;
    }
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> index_;
};

// Every feature the enabled kinds can produce over T touchpoints, numbered densely: touchpoints, 2-grams,
// 3-grams, "before" pairs, then one block of touchpoints per at_least count.
class Universe {
 public:
  Universe(std::size_t T, const DriverOptions& o) : T_(T) {
    std::size_t at = 0;
    if (o.touchpoints) at += T;
    off_g2_ = at;
    for (std::size_t k : o.kgrams)
      if (k == 2) g2_ = true;
    if (g2_) at += T * T;
    off_g3_ = at;
    for (std::size_t k : o.kgrams)
      if (k == 3) g3_ = true;
    if (g3_) at += T * T * T;
    off_before_ = at;
    if (o.before) at += T * T;
    off_at_ = at;
    at_least_ = o.at_least;
    std::sort(at_least_.begin(), at_least_.end());
    at_least_.erase(std::unique(at_least_.begin(), at_least_.end()), at_least_.end());
    at += T * at_least_.size();
    // Overflow guard: beyond 2^32 entries the dense path is never taken anyway.
    size_ = (T > 4096) ? ~std::size_t(0) : at;
  }
  std::size_t size() const noexcept { return size_; }
  std::uint32_t index(std::uint64_t k) const {
    const std::uint64_t a = (k >> 40) & kIdMask, b = (k >> 20) & kIdMask, c = k & kIdMask;
    switch (key_kind(k)) {
      case kTouchpoint: return std::uint32_t(k & 0xFFFFFFFFu);
      case kGram2: return std::uint32_t(off_g2_ + a * T_ + b);
      case kGram3: return std::uint32_t(off_g3_ + (a * T_ + b) * T_ + c);
      case kBefore: return std::uint32_t(off_before_ + a * T_ + b);
      default: {
        const std::size_t n = std::size_t((k >> 32) & kIdMask);
        const std::size_t j = std::size_t(std::lower_bound(at_least_.begin(), at_least_.end(), n) - at_least_.begin());
        return std::uint32_t(off_at_ + j * T_ + (k & 0xFFFFFFFFu));
      }
    }
  }
  std::uint64_t key(std::size_t u) const {
    if (u < off_g2_) return touchpoint_key(std::uint32_t(u));
    if (u < off_g3_) return make_key(kGram2, (u - off_g2_) / T_, (u - off_g2_) % T_);
    if (u < off_before_) {
      const std::size_t r = u - off_g3_;
      return make_key(kGram3, r / (T_ * T_), (r / T_) % T_, r % T_);
    }
    if (u < off_at_) return make_key(kBefore, (u - off_before_) / T_, (u - off_before_) % T_);
    const std::size_t r = u - off_at_;
    return at_least_key(std::uint32_t(r % T_), at_least_[r / T_]);
  }

 private:
  std::size_t T_, off_g2_ = 0, off_g3_ = 0, off_before_ = 0, off_at_ = 0, size_ = 0;
  bool g2_ = false, g3_ = false;
  std::vector<std::size_t> at_least_;
};

// Generates the distinct feature keys of one journey part (in no particular order).
class FeatureScratch {
 public:
  FeatureScratch(std::size_t touchpoints, const DriverOptions& o)
      : count_(touchpoints, 0), first_(touchpoints), last_(touchpoints), o_(&o) {
    for (std::size_t k : o.kgrams) (k == 2 ? gram2_ : gram3_) = true;
  }
  const std::vector<std::uint64_t>& keys(Span<const std::uint32_t> p) {
    keys_.clear();
    distinct_.clear();
    const std::uint32_t m = static_cast<std::uint32_t>(p.size());
    for (std::uint32_t i = 0; i < m; ++i) {
      const std::uint32_t t = p[i];
      if (count_[t]++ == 0) {
        distinct_.push_back(t);
        first_[t] = i;
      }
      last_[t] = i;
    }
    for (std::uint32_t t : distinct_) {
      if (o_->touchpoints) keys_.push_back(touchpoint_key(t));
      for (std::size_t n : o_->at_least)
        if (count_[t] >= n) keys_.push_back(at_least_key(t, n));
    }
    if (o_->before)
      for (std::uint32_t x : distinct_)
        for (std::uint32_t y : distinct_)
          if (x != y && first_[x] < last_[y]) keys_.push_back(make_key(kBefore, x, y));
    for (std::uint32_t t : distinct_) count_[t] = 0;
    // The keys so far are distinct by construction; only sequences can repeat within a journey.
    const std::size_t grams = keys_.size();
    if (gram2_)
      for (std::uint32_t i = 0; i + 1 < m; ++i) keys_.push_back(make_key(kGram2, p[i], p[i + 1]));
    if (gram3_)
      for (std::uint32_t i = 0; i + 2 < m; ++i) keys_.push_back(make_key(kGram3, p[i], p[i + 1], p[i + 2]));
    if (keys_.size() - grams > 1) {
      std::sort(keys_.begin() + long(grams), keys_.end());
      keys_.erase(std::unique(keys_.begin() + long(grams), keys_.end()), keys_.end());
    }
    return keys_;
  }

 private:
  std::vector<std::uint32_t> count_, first_, last_, distinct_;
  std::vector<std::uint64_t> keys_;
  const DriverOptions* o_;
  bool gram2_ = false, gram3_ = false;
};

std::uint32_t find_id(const Dictionary& dict, const std::string& name, const std::string& text) {
  if (auto id = dict.find(name)) return *id;
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& n : dict.names()) scored.emplace_back(detail::edit_distance(name, n), n);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string close;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) close += (i ? ", " : "") + detail::show(scored[i].second);
  throw InvalidArgument("driver feature " + detail::show(text) + ": unknown touchpoint " + detail::show(name) +
                        " (closest: " + close + ")", "features");
}

std::uint64_t feature_key(const Dictionary& dict, const DriverFeature& f, const std::string& text) {
  std::vector<std::uint64_t> ids;
  for (const auto& n : f.touchpoints) ids.push_back(find_id(dict, n, text));
  switch (f.kind) {
    case DriverKind::touchpoint: return touchpoint_key(std::uint32_t(ids[0]));
    case DriverKind::at_least: return at_least_key(std::uint32_t(ids[0]), f.n);
    case DriverKind::kgram:
      return ids.size() == 2 ? make_key(kGram2, ids[0], ids[1]) : make_key(kGram3, ids[0], ids[1], ids[2]);
    case DriverKind::before: return make_key(kBefore, ids[0], ids[1]);
  }
  return 0;
}

DriverFeature key_feature(const Dictionary& dict, std::uint64_t k) {
  DriverFeature f;
  auto name = [&](std::uint64_t id) { return dict.name(static_cast<std::uint32_t>(id)); };
  switch (key_kind(k)) {
    case kTouchpoint:
      f.kind = DriverKind::touchpoint;
      f.touchpoints = {name(k & 0xFFFFFFFFu)};
      break;
    case kAtLeast:
      f.kind = DriverKind::at_least;
      f.touchpoints = {name(k & 0xFFFFFFFFu)};
      f.n = std::size_t((k >> 32) & kIdMask);
      break;
    case kGram2:
      f.kind = DriverKind::kgram;
      f.touchpoints = {name((k >> 40) & kIdMask), name((k >> 20) & kIdMask)};
      break;
    case kGram3:
      f.kind = DriverKind::kgram;
      f.touchpoints = {name((k >> 40) & kIdMask), name((k >> 20) & kIdMask), name(k & kIdMask)};
      break;
    default:
      f.kind = DriverKind::before;
      f.touchpoints = {name((k >> 40) & kIdMask), name((k >> 20) & kIdMask)};
      break;
  }
  return f;
}

}  // namespace

const char* driver_kind_name(DriverKind kind) noexcept {
  switch (kind) {
    case DriverKind::touchpoint: return "touchpoint";
    case DriverKind::kgram: return "kgram";
    case DriverKind::before: return "before";
    case DriverKind::at_least: return "at_least";
  }
  return "?";
}

const char* driver_target_name(DriverTarget target) noexcept {
  return target == DriverTarget::conversion ? "conversion" : "drop_off";
}

DriverTarget parse_driver_target(std::string_view name) {
  if (name == "conversion") return DriverTarget::conversion;
  if (name == "drop_off") return DriverTarget::drop_off;
  throw InvalidArgument("unknown driver target " + detail::show(name) + " (the targets are: conversion, drop_off)");
}

DriverFeature parse_driver_feature(std::string_view text) {
  const std::string whole(text);
  std::string_view s = detail::trim(text);
  DriverFeature f;
  auto split = [&](std::string_view sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
      const std::size_t at = s.find(sep, start);
      const std::string_view part = detail::trim(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
      if (part.empty()) throw InvalidArgument("driver feature " + detail::show(whole) + " has an empty touchpoint name");
      parts.emplace_back(part);
      if (at == std::string_view::npos) break;
      start = at + sep.size();
    }
    return parts;
  };
  if (s.empty()) throw InvalidArgument("driver feature " + detail::show(whole) + " is empty");
  if (s.back() == '}') {
    const std::size_t open = s.rfind('{');
    const auto n = open == std::string_view::npos ? std::nullopt : detail::parse_int64(s.substr(open + 1, s.size() - open - 2));
    if (!n || *n < 2)
      throw InvalidArgument("driver feature " + detail::show(whole) + ": write \"name{n}\" with a count n >= 2");
    const std::string_view name = detail::trim(s.substr(0, open));
    if (name.empty()) throw InvalidArgument("driver feature " + detail::show(whole) + " has an empty touchpoint name");
    f.kind = DriverKind::at_least;
    f.touchpoints = {std::string(name)};
    f.n = std::size_t(*n);
    return f;
  }
  if (s.find(" >> ") != std::string_view::npos) {
    f.kind = DriverKind::before;
    f.touchpoints = split(" >> ");
    if (f.touchpoints.size() != 2 || f.touchpoints[0] == f.touchpoints[1])
      throw InvalidArgument("driver feature " + detail::show(whole) + ": \"a >> b\" takes two different touchpoints");
    return f;
  }
  if (s.find(" > ") != std::string_view::npos) {
    f.kind = DriverKind::kgram;
    f.touchpoints = split(" > ");
    if (f.touchpoints.size() > 3)
      throw InvalidArgument("driver feature " + detail::show(whole) + ": sequences of at most 3 touchpoints");
    return f;
  }
  f.kind = DriverKind::touchpoint;
  f.touchpoints = {std::string(s)};
  return f;
}

std::string driver_feature_text(const DriverFeature& f) {
  switch (f.kind) {
    case DriverKind::touchpoint: return f.touchpoints.at(0);
    case DriverKind::at_least: return f.touchpoints.at(0) + "{" + std::to_string(f.n) + "}";
    case DriverKind::before: return f.touchpoints.at(0) + " >> " + f.touchpoints.at(1);
    case DriverKind::kgram: {
      std::string s;
      for (std::size_t i = 0; i < f.touchpoints.size(); ++i) s += (i ? " > " : "") + f.touchpoints[i];
      return s;
    }
  }
  return {};
}

DriverAnalysis conversion_drivers(const JourneySet& js, const DriverOptions& o, const Execution& exec) {
  for (std::size_t k : o.kgrams)
    if (k != 2 && k != 3) throw InvalidArgument("drivers: kgram lengths must be 2 or 3, got " + std::to_string(k), "kgrams");
  for (std::size_t n : o.at_least)
    if (n < 2 || n > kIdMask) throw InvalidArgument("drivers: at_least counts must be in 2.." + std::to_string(kIdMask) + ", got " + std::to_string(n), "at_least");
  if (!(o.min_support >= 0)) throw InvalidArgument("drivers: min_support must be >= 0, got " + detail::format_double(o.min_support), "min_support");
  if (o.length_strata == 0 || o.length_strata > kMaxLengthStrata)
    throw InvalidArgument("drivers: length_strata must be in [1, " + std::to_string(kMaxLengthStrata) + "], got " +
                          std::to_string(o.length_strata), "length_strata");
  if (!(o.level > 0 && o.level < 1)) throw InvalidArgument("drivers: level must be in (0, 1), got " + detail::format_double(o.level), "level");
  if (!(o.alpha > 0 && o.alpha < 1)) throw InvalidArgument("drivers: alpha must be in (0, 1), got " + detail::format_double(o.alpha), "alpha");
  const Dictionary& dict = js.touchpoints();
  const bool drop = o.target == DriverTarget::drop_off;
  if (drop && o.after.empty()) throw InvalidArgument("drivers: target drop_off needs `after`, the step the journeys reached", "after");
  if (!drop && !o.after.empty()) throw InvalidArgument("drivers: `after` applies to target drop_off only", "after");
  if (dict.size() > kIdMask && (o.before || !o.kgrams.empty()) && o.features.empty())
    throw InvalidArgument("drivers: kgram and before features need fewer than 1048576 touchpoints (these have " +
                          std::to_string(dict.size()) + "); turn them off or clean the touchpoints first", "kgrams");
  std::vector<std::uint8_t> after_set;
  if (drop) {
    const FunnelStep step = detail::for_option("after", [&] { return parse_funnel_step(o.after); });
    if (step.optional || step.window)
      throw InvalidArgument("drivers: `after` " + detail::show(o.after) + " takes no window and is not optional", "after");
    after_set.assign(dict.size(), 0);
    for (std::uint32_t id : detail::resolve_alternatives(dict, step.match, o.stages, "drivers: after", "after")) after_set[id] = 1;
  }
  // The analysed part of journey j: [first, end), or nothing (first == SIZE_MAX).
  auto part_of = [&](std::size_t j) -> std::size_t {
    if (!drop) return 0;
    const auto p = js.path(j);
    for (std::size_t i = 0; i < p.size(); ++i)
      if (after_set[p[i]]) return i;
    return SIZE_MAX;
  };
  const std::size_t S = o.length_strata;
  DriverAnalysis out;
  out.target = o.target;
  out.level = o.level;
  out.alpha = o.alpha;
  // Counting pass: outcome weights by stratum for every feature `slot` maps to a slot (UINT32_MAX: not
  // counted), and in total, over fixed chunks merged in order.
  struct Counts {
    std::vector<double> with;   // slots x S x 2: (outcome, other)
    std::vector<double> total;  // S x 2
    double excluded = 0;
  };
  auto count = [&](std::size_t slots, const DriverOptions& kinds, const char* stage, auto&& slot) {
    // A chunk holds at least 8 journeys per cell, so that the chunks' tables together take no more than a
    // double per journey; but where that leaves fewer than 8 chunks (many features), 8 chunks are used while
    // their tables together stay within kSplitBytes, so that the pass runs on several threads. Both depend on
    // the data alone.
    constexpr std::size_t kSplitBytes = std::size_t(128) << 20;
    const std::size_t per_chunk = slots * S * 2;  // below 2^56: slots < 2^32, S at most kMaxLengthStrata
    std::size_t chunk = detail::journey_chunk(per_chunk);
    const std::size_t eighth = std::max(detail::kMinJourneyChunk, (js.size() + 7) / 8);
    if (eighth < chunk && per_chunk <= kSplitBytes / sizeof(double) / ((js.size() + eighth - 1) / eighth))
      chunk = eighth;
    const std::size_t chunks = (js.size() + chunk - 1) / chunk;
    std::vector<Counts> cells(chunks);
    const unsigned workers = detail::parallel_workers(chunks, exec);
    std::vector<FeatureScratch> scratch(workers, FeatureScratch(dict.size(), kinds));
    // With many candidate features a chunk is a large part of the journeys: its item asks the callback within
    // itself.
    detail::parallel_for(chunks, exec, stage, [&](std::size_t c, unsigned worker, const detail::LoopPoll& poll) {
      Counts& x = cells[c];
      x.with.assign(slots * S * 2, 0.0);
      x.total.assign(S * 2, 0.0);
      const std::size_t first = c * chunk, last = std::min(js.size(), first + chunk);
      for (std::size_t j = first; j < last; ++j) {
        if ((j & 0xFFF) == 0xFFF) poll.poll();
        const double w = js.weight(j);
        if (!(w > 0)) continue;
        const std::size_t a = part_of(j);
        if (a == SIZE_MAX) {
          x.excluded += w;
          continue;
        }
        const double conv = js.conversions(j), nul = js.nulls(j);
        const double yes = drop ? nul : conv, no = drop ? conv : nul;
        const auto p = js.path(j);
        const std::size_t len = p.size() - a;
        const std::size_t s = std::min(len, S) - 1;
        x.total[s * 2] += yes;
        x.total[s * 2 + 1] += no;
        for (std::uint64_t k : scratch[worker].keys({p.data() + a, len})) {
          const std::uint32_t f = slot(k);
          if (f == UINT32_MAX) continue;
          double* cell = &x.with[(std::size_t(f) * S + s) * 2];
          cell[0] += yes;
          cell[1] += no;
        }
      }
    });
    Counts sum;
    sum.with.assign(slots * S * 2, 0.0);
    sum.total.assign(S * 2, 0.0);
    for (const Counts& x : cells) {
      if (x.with.empty()) continue;
      sum.excluded += x.excluded;
      for (std::size_t i = 0; i < sum.with.size(); ++i) sum.with[i] += x.with[i];
      for (std::size_t i = 0; i < sum.total.size(); ++i) sum.total[i] += x.total[i];
    }
    return sum;
  };
  std::vector<std::uint64_t> keys;
  Counts counted;
  const Universe universe(dict.size(), o);
  if (!o.features.empty()) {
    // Explicit features: count them, generating every kind they use.
    DriverOptions kinds = o;
    kinds.touchpoints = kinds.before = false;
    kinds.kgrams.clear();
    kinds.at_least.clear();
    for (const std::string& text : o.features) {
      const DriverFeature f = detail::for_option("features", [&] { return parse_driver_feature(text); });
      if ((f.kind == DriverKind::before || f.kind == DriverKind::kgram) && dict.size() > kIdMask)
        throw InvalidArgument("drivers: kgram and before features need fewer than 1048576 touchpoints", "features");
      const std::uint64_t k = feature_key(dict, f, text);
      keys.push_back(k);
      switch (key_kind(k)) {
        case kTouchpoint: kinds.touchpoints = true; break;
        case kGram2: kinds.kgrams.push_back(2); break;
        case kGram3: kinds.kgrams.push_back(3); break;
        case kBefore: kinds.before = true; break;
        default: kinds.at_least.push_back(std::size_t((k >> 32) & kIdMask)); break;
      }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::sort(kinds.at_least.begin(), kinds.at_least.end());
    kinds.at_least.erase(std::unique(kinds.at_least.begin(), kinds.at_least.end()), kinds.at_least.end());
    out.candidates = keys.size();
    const KeyIndex index(keys);
    counted = count(keys.size(), kinds, "drivers", [&](std::uint64_t k) { return index.find(k); });
  } else if (universe.size() * S * 2 <= (std::size_t(1) << 21)) {
    // Every possible feature fits a small dense table: one pass counts them all, the candidates are those seen.
    Counts all = count(universe.size(), o, "drivers", [&](std::uint64_t k) { return universe.index(k); });
    counted.total = std::move(all.total);
    counted.excluded = all.excluded;
    for (std::size_t u = 0; u < universe.size(); ++u) {
      const double* cell = &all.with[u * S * 2];
      double support = 0;
      for (std::size_t i = 0; i < S * 2; ++i) support += cell[i];
      if (!(support > 0)) continue;
      ++out.candidates;
      if (support < o.min_support) {
        ++out.below_support;
        continue;
      }
      keys.push_back(universe.key(u));
      counted.with.insert(counted.with.end(), cell, cell + S * 2);
    }
  } else {
    // Pass 1: the features seen and their support (hash maps per chunk, merged in order); pass 2 counts the
    // candidates with enough support.
    const std::size_t chunk = std::size_t(1) << 18;
    const std::size_t chunks = (js.size() + chunk - 1) / chunk;
    std::vector<detail::SumMap<Support>> maps(chunks);
    const unsigned workers = detail::parallel_workers(chunks, exec);
    std::vector<FeatureScratch> scratch(workers, FeatureScratch(dict.size(), o));
    detail::parallel_for(chunks, exec, "driver candidates", [&](std::size_t c, unsigned worker,
                                                                const detail::LoopPoll& poll) {
      const std::size_t first = c * chunk, last = std::min(js.size(), first + chunk);
      for (std::size_t j = first; j < last; ++j) {
        if ((j & 0xFFF) == 0xFFF) poll.poll();
        const double w = js.weight(j);
        if (!(w > 0)) continue;
        const std::size_t a = part_of(j);
        if (a == SIZE_MAX) continue;
        const auto p = js.path(j);
        for (std::uint64_t k : scratch[worker].keys({p.data() + a, p.size() - a})) maps[c].add(k, w);
      }
    });
    detail::SumMap<Support> all;
    for (const auto& m : maps) m.for_each([&](std::uint64_t k, const Support& sp) { all.add(k, sp.w); });
    maps.clear();
    std::vector<std::pair<std::uint64_t, double>> seen;
    all.for_each([&](std::uint64_t k, const Support& sp) { seen.emplace_back(k, sp.w); });
    std::sort(seen.begin(), seen.end());
    out.candidates = seen.size();
    for (const auto& [k, w] : seen) {
      if (w < o.min_support) {
        ++out.below_support;
        continue;
      }
      keys.push_back(k);
    }
    const KeyIndex index(keys);
    counted = count(keys.size(), o, "drivers", [&](std::uint64_t k) { return index.find(k); });
  }
  out.excluded = counted.excluded;
  const std::size_t F = keys.size();
  const std::vector<double>& with = counted.with;
  const std::vector<double>& total = counted.total;
  double all_yes = 0, all_no = 0;
  for (std::size_t s = 0; s < S; ++s) {
    all_yes += total[s * 2];
    all_no += total[s * 2 + 1];
  }
  out.journeys = all_yes + all_no;
  out.outcome = all_yes;
  if (!(out.journeys > 0)) throw DataError("drivers: no journey to analyse (" + detail::format_double(out.excluded) + " left out)");
  if (!(all_yes > 0) || !(all_no > 0))
    throw DataError(std::string("drivers: every analysed journey has the same outcome (") +
                    (all_yes > 0 ? "all " : "none ") + (drop ? "dropped off" : "converted") + "), nothing to explain");
  std::vector<detail::Table2x2> strata(S);
  std::vector<double> p, mhp;
  for (std::size_t f = 0; f < F; ++f) {
    Driver d;
    d.feature = driver_feature_text(key_feature(dict, keys[f]));
    d.kind = key_feature(dict, keys[f]).kind;
    for (std::size_t s = 0; s < S; ++s) {
      const double* cell = &with[(f * S + s) * 2];
      strata[s] = {cell[0], cell[1], total[s * 2] - cell[0], total[s * 2 + 1] - cell[1]};
      d.a += cell[0];
      d.b += cell[1];
    }
    d.c = all_yes - d.a;
    d.d = all_no - d.b;
    d.support = d.a + d.b;
    if (!(d.c + d.d > 0) || !(d.support > 0)) {
      ++out.untestable;
      continue;
    }
    d.rate_with = d.a / d.support;
    d.rate_without = d.c / (d.c + d.d);
    const detail::OddsRatio r = detail::odds_ratio_wald(d.a, d.b, d.c, d.d, o.level);
    d.odds_ratio = r.odds_ratio;
    d.lower = r.lower;
    d.upper = r.upper;
    d.p_value = r.p_value;
    const bool whole = d.a == std::floor(d.a) && d.b == std::floor(d.b) && d.c == std::floor(d.c) &&
                       d.d == std::floor(d.d) && std::max({d.a, d.b, d.c, d.d}) < 0x1p53;
    if (whole && std::min({d.a, d.b, d.c, d.d}) < 5) {
      d.fisher = true;
      d.p_value = detail::fisher_exact_p(d.a, d.b, d.c, d.d);
    }
    const detail::MantelHaenszel mh = detail::mantel_haenszel(strata.data(), S, o.level);
    d.mh_odds_ratio = mh.odds_ratio;
    d.mh_lower = mh.lower;
    d.mh_upper = mh.upper;
    d.mh_p_value = mh.p_value;
    p.push_back(d.p_value);
    mhp.push_back(d.mh_p_value);
    out.drivers.push_back(std::move(d));
  }
  detail::benjamini_hochberg(p);
  detail::benjamini_hochberg(mhp);
  for (std::size_t i = 0; i < out.drivers.size(); ++i) {
    Driver& d = out.drivers[i];
    d.q_value = p[i];
    d.mh_q_value = mhp[i];
    d.significant = d.q_value < o.alpha;
    d.mh_significant = d.mh_q_value < o.alpha;
    d.confounded = d.significant && !d.mh_significant;
  }
  // Strength: log distance from 1 of the interval bound nearest 1 when the interval excludes 1, else 0.
  auto strength = [](const Driver& d) {
    if (d.lower > 1) return std::log(d.lower);
    if (d.upper < 1) return -std::log(d.upper);
    return 0.0;
  };
  std::stable_sort(out.drivers.begin(), out.drivers.end(), [&](const Driver& x, const Driver& y) {
    const double sx = strength(x), sy = strength(y);
    if (sx != sy) return sx > sy;
    const double px = std::isnan(x.p_value) ? 2.0 : x.p_value, py = std::isnan(y.p_value) ? 2.0 : y.p_value;
    if (px != py) return px < py;
    return x.feature < y.feature;
  });
  return out;
}

Table driver_table(const DriverAnalysis& da) {
  using X = Driver;
  return detail::table_of("drivers", da.drivers)
      .text("feature", &X::feature)
      .text("kind", [](const X& x) { return std::string(driver_kind_name(x.kind)); })
      .real("support", &X::support)
      .real("with_outcome", &X::a)
      .real("with_other", &X::b)
      .real("without_outcome", &X::c)
      .real("without_other", &X::d)
      .real("rate_with", &X::rate_with)
      .real("rate_without", &X::rate_without)
      .real("odds_ratio", &X::odds_ratio)
      .real("odds_ratio_lower", &X::lower)
      .real("odds_ratio_upper", &X::upper)
      .text("test", [](const X& x) { return std::string(x.fisher ? "fisher" : "wald"); })
      .real("p_value", &X::p_value)
      .real("q_value", &X::q_value)
      .real("mh_odds_ratio", &X::mh_odds_ratio)
      .real("mh_lower", &X::mh_lower)
      .real("mh_upper", &X::mh_upper)
      .real("mh_p_value", &X::mh_p_value)
      .real("mh_q_value", &X::mh_q_value)
      .flag("significant", &X::significant)
      .flag("mh_significant", &X::mh_significant)
      .flag("confounded", &X::confounded)
      .meta("target", std::string(driver_target_name(da.target)))
      .meta("journeys", da.journeys)
      .meta("outcome", da.outcome)
      .meta("excluded", da.excluded)
      .meta("candidates", std::int64_t(da.candidates))
      .meta("below_support", std::int64_t(da.below_support))
      .meta("untestable", std::int64_t(da.untestable))
      .meta("level", da.level)
      .meta("alpha", da.alpha);
}

}  // namespace journeygraph
