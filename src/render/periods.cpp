// The report's period switch: parsing what a user wrote, the calendar periods (UTC) of the journeys' first
// touches, and the journeys of one period.

#include <algorithm>
#include <cstdio>
#include <limits>

#include "common/calendar.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/render.hpp"

namespace journeygraph {

namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

using detail::civil_from_days;
using detail::days_from_civil;
using detail::floor_div;

// Ticks of a day count, saturating (a period bound beyond the range of the unit is open).
std::int64_t day_ticks(std::int64_t days, std::int64_t per_day) {
  if (days > 0 && days > kMax / per_day) return kMax;
  if (days < 0 && days < kMin / per_day) return kMin;
  return days * per_day;
}

// The calendar period holding day d: its first day, the first day of the next, and its label.
struct Calendar {
  std::int64_t first, next;
  std::string label;
};
Calendar calendar_period(std::int64_t d, PeriodUnit unit) {
  std::int64_t y;
  unsigned m, day;
  char buf[48];
  if (unit == PeriodUnit::week) {
    // The ISO week-year is the year of the week's Thursday.
    const std::int64_t monday = d - detail::weekday(d);
    civil_from_days(monday + 3, y, m, day);
    const std::int64_t week = (monday + 3 - days_from_civil(y, 1, 1)) / 7 + 1;
    std::snprintf(buf, sizeof buf, "%04lld-W%02lld", static_cast<long long>(y), static_cast<long long>(week));
    return {monday, monday + 7, buf};
  }
  civil_from_days(d, y, m, day);
  if (unit == PeriodUnit::month) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u", static_cast<long long>(y), m);
    return {days_from_civil(y, m, 1), m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1), buf};
  }
  const unsigned q = (m - 1) / 3;  // quarter
  std::snprintf(buf, sizeof buf, "%04lld-Q%u", static_cast<long long>(y), q + 1);
  return {days_from_civil(y, 3 * q + 1, 1), q == 3 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, 3 * q + 4, 1),
          buf};
}

bool in_period(std::int64_t t, const ReportPeriod& p) { return t >= p.from && (t < p.to || p.to == kMax); }

}  // namespace

PeriodSwitch parse_period_switch(std::string_view text) {
  const std::string_view t = detail::trim(text);
  PeriodSwitch p;
  if (t == "month") p.unit = PeriodUnit::month;
  else if (t == "week") p.unit = PeriodUnit::week;
  else if (t == "quarter") p.unit = PeriodUnit::quarter;
  else {
    p.unit = PeriodUnit::instants;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = t.find(',', start);
      const std::string_view part = detail::trim(t.substr(start, comma == std::string_view::npos ? t.npos : comma - start));
      if (part.empty())
        throw InvalidArgument("period switch (--period-switch, period_switch=) " + detail::show(text) +
                                  ": write month, week, quarter, or instants separated by commas "
                                  "(\"2026-02-01,2026-03-01\"); an instant is empty",
                              "period_switch");
      p.instants.emplace_back(part);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    // A word that is not a unit is most likely a misspelt unit, not an instant.
    if (p.instants.size() == 1 && std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'a' && c <= 'z'); }))
      throw InvalidArgument("unknown period switch (--period-switch, period_switch=) " + detail::show(text) +
                                " (write month, week, quarter, or instants separated by commas)",
                            "period_switch");
  }
  return p;
}

std::vector<ReportPeriod> report_periods(const JourneySet& js, const PeriodSwitch& ps, std::vector<std::string>* empty) {
  if (!js.has_timestamps())
    throw StateError("the period switch (--period-switch, period_switch=) groups journeys by the time of their first "
                     "touch, and these journeys have no timestamps: give a time column, or leave the period switch out",
                     "period_switch");
  std::vector<ReportPeriod> periods;
  if (ps.unit == PeriodUnit::instants) {
    if (ps.instants.empty()) throw InvalidArgument("period switch (--period-switch, period_switch=): no instants given", "period_switch");
    if (ps.instants.size() + 1 > kMaxReportPeriods)
      throw InvalidArgument("period switch (--period-switch, period_switch=): " + std::to_string(ps.instants.size()) +
                                " instants make more than the " + std::to_string(kMaxReportPeriods) +
                                " periods of the report's period menu",
                            "period_switch");
    std::vector<std::int64_t> at;
    for (const std::string& text : ps.instants) {
      std::int64_t v;
      try {
        v = parse_instant(text, js, ps.time_format);
      } catch (const Error& e) {
        throw InvalidArgument("period switch (--period-switch, period_switch=): instant " + detail::show(text) + ": " +
                                  e.what(),
                              "period_switch");
      }
      if (!at.empty() && v <= at.back())
        throw InvalidArgument("period switch (--period-switch, period_switch=): the instants must increase, and " +
                                  detail::show(text) + " is not after " + detail::show(ps.instants[at.size() - 1]),
                              "period_switch");
      at.push_back(v);
    }
    periods.push_back({"before " + ps.instants.front(), kMin, at.front(), 0});
    for (std::size_t i = 0; i + 1 < at.size(); ++i)
      periods.push_back({"from " + ps.instants[i] + " to " + ps.instants[i + 1], at[i], at[i + 1], 0});
    periods.push_back({"from " + ps.instants.back() + " on", at.back(), kMax, 0});
    for (std::size_t j = 0; j < js.size(); ++j) {
      const std::int64_t t = js.times(j)[0];
      const std::size_t k = std::size_t(std::upper_bound(at.begin(), at.end(), t) - at.begin());
      ++periods[k].journeys;
    }
  } else {
    std::int64_t lo = kMax, hi = kMin;
    for (std::size_t j = 0; j < js.size(); ++j) {
      lo = std::min(lo, js.times(j)[0]);
      hi = std::max(hi, js.times(j)[0]);
    }
    if (js.size() == 0) return periods;
    const std::int64_t per_day = ticks_per_second(js.time_unit()) * 86400;
    // Every view is a whole report: refuse a span of more periods than a page can hold, before making any.
    const std::int64_t shortest = ps.unit == PeriodUnit::week ? 7 : ps.unit == PeriodUnit::month ? 28 : 89;
    const std::int64_t span_days = floor_div(hi, per_day) - floor_div(lo, per_day);
    if (span_days / shortest + 1 > std::int64_t(kMaxReportPeriods)) {
      const char* unit = ps.unit == PeriodUnit::week ? "week" : ps.unit == PeriodUnit::month ? "month" : "quarter";
      throw InvalidArgument("period switch (--period-switch, period_switch=) " + std::string(unit) +
                                ": the journeys' first touches span " + std::to_string(span_days) +
                                " days, more than " + std::to_string(kMaxReportPeriods) + " " + unit +
                                "s of the report's period menu; choose a longer unit or give instants",
                            "period_switch");
    }
    std::vector<std::int64_t> starts;  // first day of each period
    for (std::int64_t d = floor_div(lo, per_day); d <= floor_div(hi, per_day);) {
      Calendar c = calendar_period(d, ps.unit);
      starts.push_back(c.first);
      periods.push_back({std::move(c.label), day_ticks(c.first, per_day), day_ticks(c.next, per_day), 0});
      d = c.next;
    }
    for (std::size_t j = 0; j < js.size(); ++j) {
      const std::int64_t d = floor_div(js.times(j)[0], per_day);
      const std::size_t k = std::size_t(std::upper_bound(starts.begin(), starts.end(), d) - starts.begin()) - 1;
      ++periods[k].journeys;
    }
  }
  std::vector<ReportPeriod> kept;
  for (ReportPeriod& p : periods) {
    if (p.journeys > 0) kept.push_back(std::move(p));
    else if (empty) empty->push_back(std::move(p.label));
  }
  return kept;
}

JourneySet period_subset(const JourneySet& js, const ReportPeriod& p) {
  if (!js.has_timestamps()) throw StateError("period_subset needs journeys with timestamps", "period_switch");
  JourneySetBuilder b(true, js.time_unit(), js.has_segments());
  b.set_time_kind(js.time_kind(), js.epoch_unit());
  b.set_touchpoints(js.touchpoints());
  if (js.has_segments()) b.set_segments(js.segments());
  for (std::size_t j = 0; j < js.size(); ++j) {
    const auto t = js.times(j);
    if (!in_period(t[0], p)) continue;
    if (js.has_keys()) b.key_of(js, j);
    b.add(js.path(j), t, js.conversions(j), js.nulls(j), js.value(j), js.segment(j), js.follows_conversion(j));
  }
  return b.finish();
}

}  // namespace journeygraph
