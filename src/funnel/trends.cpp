// Funnel trends (see funnel.hpp): entries by calendar period, conversion within a horizon estimated by
// Kaplan-Meier so that journeys whose horizon has not passed are censored rather than counted as failures.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "common/calendar.hpp"
#include "common/text.hpp"
#include "funnel/internal.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/funnel.hpp"
#include "statistics/statistics.hpp"
#include "table/columns.hpp"

namespace journeygraph {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using detail::floor_div;

// Year, month and day of a day count since 1970-01-01.
struct Civil {
  std::int64_t year;
  unsigned month, day;
};
Civil civil_from_days(std::int64_t z) {
  Civil c{};
  detail::civil_from_days(z, c.year, c.month, c.day);
  return c;
}

using detail::days_in_month;

// First day (days since the epoch) of the period containing day d, and of the next period.
std::pair<std::int64_t, std::int64_t> period_days(std::int64_t d, TrendPeriod p) {
  switch (p) {
    case TrendPeriod::day: return {d, d + 1};
    case TrendPeriod::week: {
      const std::int64_t monday = d - detail::weekday(d);
      return {monday, monday + 7};
    }
    case TrendPeriod::month: {
      const Civil c = civil_from_days(d);
      const std::int64_t first = d - (c.day - 1);
      return {first, first + days_in_month(c.year, c.month)};
    }
  }
  return {d, d + 1};
}

std::string date_text(std::int64_t days) {
  const Civil c = civil_from_days(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  return buf;
}

struct Entry {
  std::int64_t entry;    // first step-1 touch, ticks
  std::int64_t done;     // completion of the last step, ticks (kNoTime: not completed)
  double event_weight;   // weight that completes
  double weight;         // all weight of the journey
};

}  // namespace

const char* trend_period_name(TrendPeriod period) noexcept {
  switch (period) {
    case TrendPeriod::day: return "day";
    case TrendPeriod::week: return "week";
    case TrendPeriod::month: return "month";
  }
  return "?";
}

TrendPeriod parse_trend_period(std::string_view name) {
  for (TrendPeriod p : {TrendPeriod::day, TrendPeriod::week, TrendPeriod::month})
    if (name == trend_period_name(p)) return p;
  throw InvalidArgument("unknown trend period " + detail::show(name) + " (the periods are: day, week, month)");
}

FunnelTrends funnel_trends(const JourneySet& js, const EventFunnelOptions& fo, const FunnelTrendOptions& o,
                           const Execution& exec) {
  if (!js.has_timestamps()) throw StateError("funnel trends need journeys with timestamps (these have none)");
  const detail::CompiledFunnel f = detail::compile_funnel(js, fo);
  if (!(o.level > 0 && o.level < 1)) throw InvalidArgument("funnel trends: level must be in (0, 1), got " + detail::format_double(o.level), "level");
  if (!(o.alpha > 0 && o.alpha < 1)) throw InvalidArgument("funnel trends: alpha must be in (0, 1), got " + detail::format_double(o.alpha), "alpha");
  const std::optional<double> horizon = o.horizon ? o.horizon : fo.window;
  if (!horizon)
    throw InvalidArgument("funnel trends need a horizon: give the funnel a window or set the trend horizon", "horizon");
  if (!(*horizon > 0)) throw InvalidArgument("funnel trends: the horizon must be > 0, got " + detail::format_double(*horizon), "horizon");
  const std::int64_t H = detail::window_ticks(horizon, js.time_unit(), "the trend horizon", "horizon");
  std::int64_t last = std::numeric_limits<std::int64_t>::min();
  for (std::int64_t t : js.timestamps()) last = std::max(last, t);
  std::int64_t end = last;
  if (o.data_end) {
    if (*o.data_end < last)
      throw InvalidArgument("funnel trends: data_end (" + std::to_string(*o.data_end) +
                            ") is before the last timestamp of the journeys (" + std::to_string(last) + ")", "data_end");
    end = *o.data_end;
  }
  const std::size_t K = f.steps;
  const std::size_t chunk = detail::journey_chunk(0);
  const std::size_t chunks = (js.size() + chunk - 1) / chunk;
  std::vector<std::vector<Entry>> parts(chunks);
  detail::run_matches(js, f, exec, "funnel trends", chunk, [&](std::size_t c, std::size_t j, const detail::FunnelMatcher& m) {
    if (m.first_entry() == detail::kNoTime) return;
    const auto& last_step = m.steps()[K - 1];
    const double w = js.weight(j);
    const double ew = f.conversion_last ? js.conversions(j) : w;
    parts[c].push_back({m.first_entry(), last_step.reached ? last_step.time : detail::kNoTime, ew, w});
  });
  const std::int64_t tps = ticks_per_second(js.time_unit());
  const double horizon_s = ticks_to_seconds(H, f.unit);
  FunnelTrends out;
  out.period = o.period;
  out.horizon_s = horizon_s;
  out.data_end = end;
  out.level = o.level;
  out.alpha = o.alpha;
  // Observations per period (keyed by the period's first day) and overall. Times and the horizon go to seconds
  // through the one monotonic ticks_to_seconds, so comparisons in seconds agree with comparisons in ticks.
  // Rows per period (keyed by the period's first day), then every observation once, sorted by time since entry
  // (events first on ties) through a packed integer key, so that the per-period and overall Kaplan-Meier
  // estimates read them in order without sorting again.
  std::map<std::int64_t, FunnelTrendRow> rows;
  struct Obs {
    std::uint64_t key;   // ticks since entry << 1 | censored
    double weight;
    std::int64_t period;
  };
  std::vector<Obs> obs;
  std::int64_t cached_day = std::numeric_limits<std::int64_t>::min();
  std::pair<std::int64_t, std::int64_t> cached{0, 0};
  FunnelTrendRow* row = nullptr;
  for (const auto& part : parts)
    for (const Entry& e : part) {
      const std::int64_t day = floor_div(floor_div(e.entry, tps), 86400);
      if (day != cached_day || !row) {
        cached_day = day;
        cached = period_days(day, o.period);
        auto [it, fresh] = rows.try_emplace(cached.first);
        row = &it->second;
        if (fresh) {
          row->period_start = cached.first * 86400 * tps;
          row->period = date_text(cached.first);
          row->complete = (cached.second * 86400 * tps) + H <= end;
        }
      }
      FunnelTrendRow& r = *row;
      r.entered += e.weight;
      if (e.done != detail::kNoTime && e.event_weight > 0) {
        const std::int64_t dt = e.done - e.entry;
        obs.push_back({std::uint64_t(dt) << 1, e.event_weight, cached.first});
        if (dt <= H) r.converted += e.event_weight;
      }
      const double rest = e.done != detail::kNoTime ? e.weight - e.event_weight : e.weight;
      if (rest > 0) {
        obs.push_back({(std::uint64_t(end - e.entry) << 1) | 1u, rest, cached.first});
        if (end - e.entry < H) r.open += rest;
      }
    }
  std::stable_sort(obs.begin(), obs.end(), [](const Obs& x, const Obs& y) { return x.key < y.key; });
  std::map<std::int64_t, std::vector<detail::SurvivalObservation>> by_period;
  std::vector<detail::SurvivalObservation> all;
  all.reserve(obs.size());
  for (const Obs& x : obs) {
    const detail::SurvivalObservation so{ticks_to_seconds(std::int64_t(x.key >> 1), f.unit), x.weight, (x.key & 1u) == 0};
    all.push_back(so);
    by_period[x.period].push_back(so);
  }
  obs.clear();
  obs.shrink_to_fit();
  std::vector<double> p;
  for (auto& [first, r] : rows) {
    r.naive_rate = r.entered > 0 ? r.converted / r.entered : kNaN;
    const detail::KaplanMeier km = detail::kaplan_meier(by_period[first]);
    const double s = km.survival_at(horizon_s), gw = km.greenwood_at(horizon_s);
    r.conversion = 1 - s;
    r.variance = std::isfinite(gw) ? s * s * gw : 0.0;
    const auto iv = detail::survival_interval(s, gw, o.level);
    r.lower = 1 - iv.upper;
    r.upper = 1 - iv.lower;
    r.change = r.z = r.p_value = r.p_adjusted = kNaN;
    if (!out.rows.empty()) {
      const FunnelTrendRow& q = out.rows.back();
      r.change = r.conversion - q.conversion;
      const double v = r.variance + q.variance;
      if (v > 0) {
        r.z = r.change / std::sqrt(v);
        r.p_value = detail::normal_two_sided_p(r.z);
      }
    }
    p.push_back(r.p_value);
    out.rows.push_back(r);
  }
  detail::holm_adjust(p);
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    out.rows[i].p_adjusted = p[i];
    out.rows[i].significant = !std::isnan(p[i]) && p[i] < o.alpha;
  }
  const detail::KaplanMeier km = detail::kaplan_meier(std::move(all));
  for (std::size_t i = 0; i < km.time.size(); ++i) {
    ConversionCurvePoint pt;
    pt.time_s = km.time[i];
    pt.at_risk = km.at_risk[i];
    pt.events = km.events[i];
    pt.censored = km.censored[i];
    pt.conversion = 1 - km.survival[i];
    const auto iv = detail::survival_interval(km.survival[i], km.greenwood[i], o.level);
    pt.lower = 1 - iv.upper;
    pt.upper = 1 - iv.lower;
    out.curve.push_back(pt);
  }
  return out;
}

Table funnel_trend_table(const FunnelTrends& tr) {
  using R = FunnelTrendRow;
  return detail::table_of("funnel_trends", tr.rows)
      .text("period", &R::period)
      .integer("period_start", &R::period_start)
      .real("entered", &R::entered)
      .real("converted", &R::converted)
      .real("open", &R::open)
      .flag("complete", &R::complete)
      .real("naive_rate", &R::naive_rate)
      .real("conversion", &R::conversion)
      .real("conversion_lower", &R::lower)
      .real("conversion_upper", &R::upper)
      .real("change", &R::change)
      .real("z", &R::z)
      .real("p_value", &R::p_value)
      .real("p_adjusted", &R::p_adjusted)
      .flag("significant", &R::significant)
      .meta("period", std::string(trend_period_name(tr.period)))
      .meta("horizon_s", tr.horizon_s)
      .meta("data_end", tr.data_end)
      .meta("level", tr.level)
      .meta("alpha", tr.alpha);
}

Table conversion_curve_table(const FunnelTrends& tr) {
  using C = ConversionCurvePoint;
  return detail::table_of("conversion_curve", tr.curve)
      .real("time_s", &C::time_s)
      .real("at_risk", &C::at_risk)
      .real("events", &C::events)
      .real("censored", &C::censored)
      .real("conversion", &C::conversion)
      .real("conversion_lower", &C::lower)
      .real("conversion_upper", &C::upper)
      .meta("horizon_s", tr.horizon_s)
      .meta("level", tr.level);
}

}  // namespace journeygraph
