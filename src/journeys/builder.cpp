// Events -> journeys: group by journey id, order by time, split and trim per JourneyOptions.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

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

struct Emitter {
  const EventArrays& ev;
  const JourneyOptions& opt;
  BuildReport& rep;
  JourneySetBuilder& out;
  const std::vector<std::uint32_t>& tp;   // touchpoint id per event
  const std::vector<std::uint32_t>& seg;  // segment id per event (empty without segments)
  bool have_times;
  double lookback_ticks, gap_ticks;
  std::vector<std::uint32_t> path;
  std::vector<std::int64_t> times;

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
      std::uint32_t id = tp[idx[k]];
      if (opt.collapse_repeats && !path.empty() && path.back() == id) {
        ++rep.repeats_collapsed;
        continue;
      }
      path.push_back(id);
      if (have_times) times.push_back(ev.time[idx[k]]);
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
            have_times ? Span<const std::int64_t>(times.data() + skip, times.size() - skip) : Span<const std::int64_t>(),
            conversions, conversions > 0 ? 0.0 : 1.0, value, s);
  }

  // One journey id's events, already in time order.
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
      if (k > begin && tp[e] == tp[idx[k - 1]] && (!have_times || ev.time[e] == ev.time[idx[k - 1]]))
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
void codes_to_ids(Span<const T> codes, std::size_t n_names, const char* what, std::vector<std::uint32_t>& out) {
  out.resize(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    T c = codes[i];
    if (c < 0 || static_cast<std::uint64_t>(c) >= n_names)
      throw InvalidArgument(at_event(i) + what + " code " + std::to_string(static_cast<long long>(c)) +
                            " is outside [0, " + std::to_string(n_names) + ")");
    out[i] = static_cast<std::uint32_t>(c);
  }
}

void convert_codes(const CodeSpan& codes, std::size_t n_names, const char* what, std::vector<std::uint32_t>& out) {
  std::visit([&](auto s) { codes_to_ids(s, n_names, what, out); }, codes);
}

std::size_t code_count(const CodeSpan& codes) {
  return std::visit([](auto s) { return s.size(); }, codes);
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

  JourneySetBuilder out(have_times, ev.time_unit, have_segments);
  out.set_touchpoints(Dictionary(ev.touchpoint_names));
  std::vector<std::uint32_t> tp, seg;
  convert_codes(ev.touchpoint, ev.touchpoint_names.size(), "touchpoint", tp);
  if (have_segments) {
    out.set_segments(Dictionary(ev.segment_names));
    convert_codes(ev.segment, ev.segment_names.size(), "segment", seg);
  }
  rep.rows += n;
  const detail::Progress progress(exec, "build");

  // Group: journeys keep the order of their first event. Already-grouped input (non-decreasing ids, the
  // usual case for sorted logs) needs no index at all.
  bool grouped = true;
  for (std::size_t i = 1; i < n && grouped; ++i) grouped = ev.journey[i] >= ev.journey[i - 1];
  std::vector<std::uint32_t> order(n);
  std::vector<std::uint64_t> starts;  // journey boundaries in `order`
  if (grouped) {
    std::iota(order.begin(), order.end(), 0u);
    for (std::size_t i = 0; i < n; ++i)
      if (i == 0 || ev.journey[i] != ev.journey[i - 1]) starts.push_back(i);
  } else {
    std::unordered_map<std::int64_t, std::uint32_t> dense;
    dense.reserve(n / 4 + 16);
    std::vector<std::uint32_t> jid(n);
    std::vector<std::uint64_t> count;
    for (std::size_t i = 0; i < n; ++i) {
      // Progress (and the chance to cancel) every 2^20 events keeps a callback within a few per second.
      if ((i & 0xFFFFF) == 0xFFFFF) progress.report(0.5 * double(i) / double(n));
      auto [it, added] = dense.emplace(ev.journey[i], static_cast<std::uint32_t>(count.size()));
      if (added) count.push_back(0);
      jid[i] = it->second;
      ++count[it->second];
    }
    starts.resize(count.size());
    std::uint64_t acc = 0;
    for (std::size_t j = 0; j < count.size(); ++j) {
      starts[j] = acc;
      acc += count[j];
      count[j] = starts[j];
    }
    for (std::size_t i = 0; i < n; ++i) order[count[jid[i]]++] = static_cast<std::uint32_t>(i);
  }
  starts.push_back(n);
  const std::size_t journeys = starts.size() - 1;

  Emitter em{ev, opt, rep, out, tp, seg, have_times, lookback_ticks, gap_ticks, {}, {}};
  out.reserve(journeys, n);
  for (std::size_t j = 0; j < journeys; ++j) {
    if ((j & 0xFFFF) == 0xFFFF)
      progress.report(grouped ? double(j) / double(journeys) : 0.5 + 0.5 * double(j) / double(journeys));
    std::uint32_t* idx = order.data() + starts[j];
    std::size_t m = starts[j + 1] - starts[j];
    if (have_times) {
      std::size_t descents = 0;
      for (std::size_t k = 1; k < m; ++k) descents += ev.time[idx[k]] < ev.time[idx[k - 1]];
      if (descents) {
        rep.reordered_events += descents;
        std::stable_sort(idx, idx + m, [&](std::uint32_t a, std::uint32_t b) { return ev.time[a] < ev.time[b]; });
      }
    }
    em.journey(idx, m);
  }
  JourneySet result = out.finish();
  rep.journeys += result.size();
  rep.touches += result.touch_count();
  return result;
}

}  // namespace journeygraph
