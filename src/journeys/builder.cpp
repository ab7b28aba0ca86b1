// Events -> journeys: group by journey id, order by time, split and trim per JourneyOptions.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/journeys.hpp"

namespace journeygraph {
namespace {

std::string at_event(std::size_t i) { return "event " + std::to_string(i) + ": "; }

// A - B in ticks, saturating instead of overflowing (timestamps may be anywhere in the int64 range).
std::int64_t diff_ticks(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t d;
  if (__builtin_sub_overflow(a, b, &d)) return a > b ? std::numeric_limits<std::int64_t>::max()
                                                     : std::numeric_limits<std::int64_t>::min();
  return d;
}

double duration_ticks(const std::optional<double>& seconds, TimeUnit unit, const char* what, bool have_times) {
  if (!seconds) return std::numeric_limits<double>::infinity();
  if (!have_times) throw InvalidArgument(std::string(what) + " needs timestamps, but the events have none");
  if (!std::isfinite(*seconds) || *seconds < 0)
    throw InvalidArgument(std::string(what) + " must be a finite number of seconds >= 0, got " +
                          detail::format_double(*seconds));
  return *seconds / seconds_per_tick(unit);
}

// Dense ids of journey keys in order of first appearance (open addressing; the table is only built for
// input that is not already grouped by journey).
class JourneyIndex {
 public:
  explicit JourneyIndex(std::size_t expected) { slots_.assign(detail::next_pow2(expected * 2 + 16), kEmpty); }
  std::uint32_t id(std::int64_t key) {
    if ((keys_.size() + 1) * 2 > slots_.size()) rehash();
    std::size_t mask = slots_.size() - 1, i = detail::mix64(std::uint64_t(key)) & mask;
    while (true) {
      std::uint32_t s = slots_[i];
      if (s == kEmpty) {
        slots_[i] = static_cast<std::uint32_t>(keys_.size());
        keys_.push_back(key);
        return slots_[i];
      }
      if (keys_[s] == key) return s;
      i = (i + 1) & mask;
    }
  }
  std::size_t size() const { return keys_.size(); }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  void rehash() {
    slots_.assign(slots_.size() * 2, kEmpty);
    std::size_t mask = slots_.size() - 1;
    for (std::uint32_t s = 0; s < keys_.size(); ++s) {
      std::size_t i = detail::mix64(std::uint64_t(keys_[s])) & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<std::int64_t> keys_;
  std::vector<std::uint32_t> slots_;
};

template <class Code>
struct Emitter {
  const EventArrays& ev;
  const Code* codes;
  const JourneyOptions& opt;
  BuildReport& rep;
  JourneySetBuilder& out;
  const std::vector<std::uint32_t>& seg;  // segment id per event (empty without segments)
  bool have_times;
  bool store_times;
  double lookback_ticks, gap_ticks;
  std::vector<std::uint32_t> path;
  std::vector<std::int64_t> times;

  std::uint32_t tp(std::uint32_t e) const { return static_cast<std::uint32_t>(codes[e]); }

  // Emit the sub-journey made of events idx[0..n).
  void emit(const std::uint32_t* idx, std::size_t n, double conversions, double value) {
    if (n == 0) return;
    std::size_t first = 0;
    if (have_times && std::isfinite(lookback_ticks)) {
      std::int64_t end = ev.time[idx[n - 1]];
      while (first < n && double(diff_ticks(end, ev.time[idx[first]])) > lookback_ticks) ++first;
      rep.touches_dropped_lookback += first;
    }
    path.clear();
    times.clear();
    for (std::size_t k = first; k < n; ++k) {
      std::uint32_t id = tp(idx[k]);
      if (opt.collapse_repeats && !path.empty() && path.back() == id) {
        ++rep.repeats_collapsed;
        continue;
      }
      path.push_back(id);
      if (store_times) times.push_back(ev.time[idx[k]]);
    }
    std::size_t skip = 0;
    if (opt.max_touches > 0 && path.size() > opt.max_touches) {
      skip = path.size() - opt.max_touches;
      rep.touches_dropped_max_touches += skip;
    }
    std::uint32_t s = 0;
    if (!seg.empty()) {
      s = seg[idx[first]];
      for (std::size_t k = first + 1; k < n; ++k)
        if (seg[idx[k]] != s) {
          ++rep.segment_conflicts;
          break;
        }
    }
    out.add(Span<const std::uint32_t>(path.data() + skip, path.size() - skip),
            store_times ? Span<const std::int64_t>(times.data() + skip, times.size() - skip) : Span<const std::int64_t>(),
            conversions, conversions > 0 ? 0.0 : 1.0, value, s);
  }

  // One journey id's events, in time order.
  void journey(const std::uint32_t* idx, std::size_t n) {
    std::size_t begin = 0;
    double conversions = 0, value = 0;
    bool started_by_conversion = false;
    for (std::size_t k = 0; k < n; ++k) {
      std::uint32_t e = idx[k];
      if (k > begin && have_times && double(diff_ticks(ev.time[e], ev.time[idx[k - 1]])) > gap_ticks) {
        emit(idx + begin, k - begin, conversions, value);
        begin = k;
        conversions = value = 0;
        ++rep.splits_at_gap;
        started_by_conversion = false;
      }
      if (k > begin && tp(e) == tp(idx[k - 1]) && (!have_times || ev.time[e] == ev.time[idx[k - 1]]))
        ++rep.duplicate_events;
      if (started_by_conversion && k == begin) {
        ++rep.splits_at_conversion;
        started_by_conversion = false;
      }
      bool converted = !ev.conversion.empty() && ev.conversion[e] != 0;
      double v = ev.value.empty() ? 0.0 : ev.value[e];
      if (converted) {
        if (std::isnan(v)) throw InvalidArgument(at_event(e) + "the conversion value is NaN");
        if (!std::isfinite(v) || v < 0)
          throw InvalidArgument(at_event(e) + "the conversion value " + detail::format_double(v) +
                                " is not a finite number >= 0");
        conversions += 1;
        value += v;
        if (opt.split_on_conversion) {
          emit(idx + begin, k + 1 - begin, conversions, value);
          begin = k + 1;
          conversions = value = 0;
          started_by_conversion = true;
        }
      } else if (v != 0 && !std::isnan(v)) {
        ++rep.values_ignored;
      }
    }
    emit(idx + begin, n - begin, conversions, value);
  }
};

template <class T>
void check_codes(Span<const T> codes, std::size_t n_names, const char* what) {
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const T c = codes[i];
    if (c < 0 || static_cast<std::uint64_t>(c) >= n_names)
      throw InvalidArgument(at_event(i) + what + " code " + std::to_string(static_cast<long long>(c)) +
                            " is outside [0, " + std::to_string(n_names) + ")");
  }
}

std::size_t code_count(const CodeSpan& codes) {
  return std::visit([](auto s) { return s.size(); }, codes);
}

template <class Code>
void build(const EventArrays& ev, Span<const Code> codes, const JourneyOptions& opt, BuildReport& rep,
           JourneySetBuilder& out, const std::vector<std::uint32_t>& seg, bool have_times, double lookback_ticks,
           double gap_ticks, const Execution& exec) {
  const std::size_t n = ev.journey.size();
  const detail::Progress progress(exec, "build");
  // Already-grouped input (non-decreasing ids, the usual export order) is walked in place.
  bool grouped = true;
  std::size_t raw_journeys = n ? 1 : 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (ev.journey[i] < ev.journey[i - 1]) {
      grouped = false;
      break;
    }
    raw_journeys += ev.journey[i] != ev.journey[i - 1];
  }
  Emitter<Code> em{ev, codes.data(), opt, rep, out, seg, have_times, have_times && opt.store_timestamps,
                   lookback_ticks, gap_ticks, {}, {}};
  std::vector<std::uint32_t> local;  // one journey's event indices
  auto time_order = [&](std::uint32_t* idx, std::size_t m) {
    if (!have_times) return;
    std::size_t descents = 0;
    for (std::size_t k = 1; k < m; ++k) descents += ev.time[idx[k]] < ev.time[idx[k - 1]];
    if (descents) {
      rep.reordered_events += descents;
      std::stable_sort(idx, idx + m, [&](std::uint32_t a, std::uint32_t b) { return ev.time[a] < ev.time[b]; });
    }
  };
  if (grouped) {
    out.reserve(raw_journeys + raw_journeys / 4, n);
    std::size_t begin = 0, j = 0;
    for (std::size_t i = 1; i <= n; ++i) {
      if (i < n && ev.journey[i] == ev.journey[begin]) continue;
      local.resize(i - begin);
      std::iota(local.begin(), local.end(), static_cast<std::uint32_t>(begin));
      time_order(local.data(), local.size());
      em.journey(local.data(), local.size());
      begin = i;
      // Progress (and the chance to cancel) every 2^16 journeys keeps callbacks to a few per second.
      if ((++j & 0xFFFF) == 0) progress.report(double(i) / double(n));
    }
    return;
  }
  // Dense ids in order of first appearance, then a stable counting sort of the events by journey.
  JourneyIndex index(n / 4);
  std::vector<std::uint32_t> jid(n);
  std::vector<std::uint64_t> start;
  for (std::size_t i = 0; i < n; ++i) {
    if ((i & 0xFFFFF) == 0xFFFFF) progress.report(0.5 * double(i) / double(n));
    jid[i] = index.id(ev.journey[i]);
    if (jid[i] == start.size()) start.push_back(0);
    ++start[jid[i]];
  }
  const std::size_t journeys = start.size();
  std::uint64_t acc = 0;
  for (auto& s : start) {
    const std::uint64_t c = s;
    s = acc;
    acc += c;
  }
  start.push_back(n);
  std::vector<std::uint32_t> order(n);
  {
    std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) order[fill[jid[i]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<std::uint32_t>().swap(jid);
  out.reserve(journeys + journeys / 4, n);
  for (std::size_t j = 0; j < journeys; ++j) {
    if ((j & 0xFFFF) == 0xFFFF) progress.report(0.5 + 0.5 * double(j) / double(journeys));
    std::uint32_t* idx = order.data() + start[j];
    const std::size_t m = start[j + 1] - start[j];
    time_order(idx, m);
    em.journey(idx, m);
  }
}

}  // namespace

JourneySet build_journeys(const EventArrays& ev, const JourneyOptions& opt, BuildReport* report, const Execution& exec) {
  BuildReport local;
  BuildReport& rep = report ? *report : local;
  const std::size_t n = ev.journey.size();
  auto length_check = [&](std::size_t m, const char* what, bool optional) {
    if ((optional && m == 0) || m == n) return;
    throw InvalidArgument(std::string(what) + " has " + std::to_string(m) + " entries but journey has " +
                          std::to_string(n));
  };
  length_check(ev.time.size(), "time", true);
  length_check(code_count(ev.touchpoint), "touchpoint", false);
  length_check(ev.conversion.size(), "conversion", true);
  length_check(ev.value.size(), "value", true);
  length_check(code_count(ev.segment), "segment", true);
  if (n > 0xFFFFFFFEu) throw InvalidArgument("more than 4294967294 events in one call; split the input");
  for (std::size_t i = 0; i < ev.touchpoint_names.size(); ++i) {
    const auto& name = ev.touchpoint_names[i];
    std::size_t bad = detail::utf8_invalid_at(name);
    if (bad != std::string_view::npos)
      throw InvalidArgument("touchpoint name " + std::to_string(i) + " " + detail::show(name) +
                            " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  }
  const bool have_times = !ev.time.empty();
  const bool have_segments = code_count(ev.segment) > 0;
  const double lookback_ticks = duration_ticks(opt.lookback, ev.time_unit, "lookback", have_times);
  const double gap_ticks = duration_ticks(opt.gap, ev.time_unit, "gap", have_times);

  JourneySetBuilder out(have_times && opt.store_timestamps, ev.time_unit, have_segments);
  out.set_touchpoints(Dictionary(ev.touchpoint_names));
  std::visit([&](auto codes) { check_codes(codes, ev.touchpoint_names.size(), "touchpoint"); }, ev.touchpoint);
  std::vector<std::uint32_t> seg;
  if (have_segments) {
    out.set_segments(Dictionary(ev.segment_names));
    std::visit(
        [&](auto codes) {
          check_codes(codes, ev.segment_names.size(), "segment");
          seg.assign(codes.begin(), codes.end());
        },
        ev.segment);
  }
  rep.rows += n;
  std::visit([&](auto codes) { build(ev, codes, opt, rep, out, seg, have_times, lookback_ticks, gap_ticks, exec); },
             ev.touchpoint);
  JourneySet result = out.finish();
  rep.journeys += result.size();
  rep.touches += result.touch_count();
  return result;
}

}  // namespace journeygraph
