#pragma once
// Internal: turning one journey id's events into journeys (JourneyOptions: split after conversions, split at
// gaps, lookback, collapse repeats, max touches), shared by build_journeys (events as arrays) and the events
// CSV reader (which streams journeys of a file grouped by journey id).
//
// A Source addresses events by index e and provides:
//   std::uint32_t touchpoint(e), std::int64_t time(e) (read only with timestamps), bool converted(e),
//   double value(e), bool has_segments(), std::uint32_t segment(e), std::string where(e) (for messages).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/journeys.hpp"

namespace journeygraph::detail {

// A - B in ticks, saturating instead of overflowing (timestamps may be anywhere in the int64 range).
inline std::int64_t diff_ticks(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t d;
  if (__builtin_sub_overflow(a, b, &d))
    return a > b ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  return d;
}

// A duration option in seconds as ticks of unit (infinity when unset); validates it.
inline double duration_ticks(const std::optional<double>& seconds, TimeUnit unit, const char* what, bool have_times) {
  if (!seconds) return std::numeric_limits<double>::infinity();
  if (!have_times) throw InvalidArgument(std::string(what) + " needs timestamps, but the events have none");
  if (!std::isfinite(*seconds) || *seconds < 0)
    throw InvalidArgument(std::string(what) + " must be a finite number of seconds >= 0, got " + format_double(*seconds));
  return *seconds * double(ticks_per_second(unit));
}

template <class Source>
class JourneyAssembler {
 public:
  JourneyAssembler(const Source& src, const JourneyOptions& opt, BuildReport& rep, JourneySetBuilder& out,
                   bool have_times, TimeUnit unit)
      : src_(src),
        opt_(opt),
        rep_(rep),
        out_(out),
        have_times_(have_times),
        store_times_(have_times && opt.store_timestamps),
        lookback_ticks_(duration_ticks(opt.lookback, unit, "lookback", have_times)),
        gap_ticks_(duration_ticks(opt.gap, unit, "gap", have_times)) {}

  // Sorts one journey id's events idx[0..n) by time (stable: ties keep input order), counting descents.
  void order_by_time(std::uint32_t* idx, std::size_t n) {
    if (!have_times_) return;
    std::size_t descents = 0;
    for (std::size_t k = 1; k < n; ++k) descents += src_.time(idx[k]) < src_.time(idx[k - 1]);
    if (descents) {
      rep_.reordered_events += descents;
      std::stable_sort(idx, idx + n, [&](std::uint32_t a, std::uint32_t b) { return src_.time(a) < src_.time(b); });
    }
  }

  // One journey id's events idx[0..n), in time order: split, trim and append the journeys they make.
  void journey(const std::uint32_t* idx, std::size_t n) {
    std::size_t begin = 0;
    double conversions = 0, value = 0;
    bool started_by_conversion = false;
    converted_before_ = false;
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t e = idx[k];
      if (k > begin && have_times_ && double(diff_ticks(src_.time(e), src_.time(idx[k - 1]))) > gap_ticks_) {
        emit(idx + begin, k - begin, conversions, value);
        begin = k;
        conversions = value = 0;
        ++rep_.splits_at_gap;
        started_by_conversion = false;
      }
      if (k > begin && src_.touchpoint(e) == src_.touchpoint(idx[k - 1]) &&
          (!have_times_ || src_.time(e) == src_.time(idx[k - 1])))
        ++rep_.duplicate_events;
      if (started_by_conversion && k == begin) {
        ++rep_.splits_at_conversion;
        started_by_conversion = false;
      }
      const double v = src_.value(e);
      if (src_.converted(e)) {
        if (std::isnan(v)) throw InvalidArgument(src_.where(e) + "the conversion value is NaN");
        if (!std::isfinite(v) || v < 0)
          throw InvalidArgument(src_.where(e) + "the conversion value " + format_double(v) + " is not a finite number >= 0");
        conversions += 1;
        value += v;
        if (opt_.split_on_conversion) {
          emit(idx + begin, k + 1 - begin, conversions, value);
          begin = k + 1;
          conversions = value = 0;
          started_by_conversion = true;
        }
      } else if (v != 0 && !std::isnan(v)) {
        ++rep_.values_ignored;
      }
    }
    emit(idx + begin, n - begin, conversions, value);
  }

 private:
  // Appends the journey made of events idx[0..n) after lookback, collapse and max touches.
  void emit(const std::uint32_t* idx, std::size_t n, double conversions, double value) {
    if (n == 0) return;
    const bool follows_conversion = converted_before_;
    if (conversions > 0) converted_before_ = true;
    std::size_t first = 0;
    if (have_times_ && std::isfinite(lookback_ticks_)) {
      const std::int64_t end = src_.time(idx[n - 1]);
      while (first < n && double(diff_ticks(end, src_.time(idx[first]))) > lookback_ticks_) ++first;
      rep_.touches_dropped_lookback += first;
    }
    path_.clear();
    times_.clear();
    for (std::size_t k = first; k < n; ++k) {
      const std::uint32_t id = src_.touchpoint(idx[k]);
      if (opt_.collapse_repeats && !path_.empty() && path_.back() == id) {
        ++rep_.repeats_collapsed;
        continue;
      }
      path_.push_back(id);
      if (store_times_) times_.push_back(src_.time(idx[k]));
    }
    std::size_t skip = 0;
    if (opt_.max_touches > 0 && path_.size() > opt_.max_touches) {
      skip = path_.size() - opt_.max_touches;
      rep_.touches_dropped_max_touches += skip;
    }
    std::uint32_t s = 0;
    if (src_.has_segments()) {
      s = src_.segment(idx[first]);
      for (std::size_t k = first + 1; k < n; ++k)
        if (src_.segment(idx[k]) != s) {
          ++rep_.segment_conflicts;
          break;
        }
    }
    out_.add(Span<const std::uint32_t>(path_.data() + skip, path_.size() - skip),
             store_times_ ? Span<const std::int64_t>(times_.data() + skip, times_.size() - skip)
                          : Span<const std::int64_t>(),
             conversions, conversions > 0 ? 0.0 : 1.0, value, s, follows_conversion);
  }

  const Source& src_;
  const JourneyOptions& opt_;
  BuildReport& rep_;
  JourneySetBuilder& out_;
  bool have_times_, store_times_;
  double lookback_ticks_, gap_ticks_;
  bool converted_before_ = false;  // an earlier journey of the current journey id converted
  std::vector<std::uint32_t> path_;
  std::vector<std::int64_t> times_;
};

}  // namespace journeygraph::detail
