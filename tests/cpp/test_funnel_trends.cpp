// Funnel trends: the Kaplan-Meier conversion curve and the per-period estimates against a hand computation on
// a small censored example (the arithmetic is in the comments), calendar periods, and properties on the sample.

#include <catch2/catch.hpp>

#include <cmath>

#include "journeygraph/error.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kMonday = 20458 * kDay;  // 2026-01-05, a Monday

// Journeys "A" (entry) then, for converters, "B" carrying the conversion. Days after kMonday.
JourneySet trend_set() {
  JourneySetBuilder b(true, TimeUnit::seconds);
  const std::uint32_t A = b.touchpoint("A"), B = b.touchpoint("B");
  auto add = [&](double entry, double converted_at) {
    std::vector<std::uint32_t> p{A};
    std::vector<std::int64_t> t{kMonday + std::int64_t(entry * kDay)};
    if (converted_at >= 0) {
      p.push_back(B);
      t.push_back(kMonday + std::int64_t(converted_at * kDay));
    }
    b.add(Span<const std::uint32_t>(p), Span<const std::int64_t>(t), converted_at >= 0 ? 1 : 0,
          converted_at >= 0 ? 0 : 1, 0.0);
  };
  add(0, 2);      // T1: converts after 2 days
  add(0, -1);     // T2: never
  add(1, 4);      // T3: after 3 days
  add(5, 6);      // T4: after 1 day
  add(8, -1);     // T5: never
  add(9, 9.5);    // T6: after half a day
  add(13, 13.5);  // T8: after half a day
  add(15, -1);    // T7: not yet
  return b.finish();
}

EventFunnelOptions a_then_conversion() {
  EventFunnelOptions o;
  o.steps = {parse_funnel_step("A"), parse_funnel_step("(conversion)")};
  o.window = 10.0 * kDay;
  return o;
}

}  // namespace

TEST_CASE("funnel trends: Kaplan-Meier curve and periods by hand on a censored example", "[funnel][trends][golden]") {
  FunnelTrendOptions to;
  to.data_end = kMonday + 20 * kDay;
  const FunnelTrends tr = funnel_trends(trend_set(), a_then_conversion(), to);
  CHECK(tr.horizon_s == 10.0 * kDay);
  // Observations (days since entry): events 2, 3, 1, 0.5, 0.5; censored 20 (T2), 12 (T5), 5 (T7).
  // t = 0.5: at risk 8, 2 events: S = 6/8, Greenwood 2 / (8 x 6) = 1/24
  // t = 1:   at risk 6, 1 event:  S = 5/8, + 1 / (6 x 5)  -> 3/40
  // t = 2:   at risk 5, 1 event:  S = 1/2, + 1 / (5 x 4)  -> 1/8
  // t = 3:   at risk 4, 1 event:  S = 3/8, + 1 / (4 x 3)  -> 5/24
  REQUIRE(tr.curve.size() == 4);
  const double times[] = {0.5, 1, 2, 3}, risk[] = {8, 6, 5, 4}, events[] = {2, 1, 1, 1};
  const double conv[] = {1 - 6.0 / 8, 1 - 5.0 / 8, 1 - 1.0 / 2, 1 - 3.0 / 8};
  const double gw[] = {1.0 / 24, 3.0 / 40, 1.0 / 8, 5.0 / 24};
  for (int i = 0; i < 4; ++i) {
    INFO("point " << i);
    CHECK(tr.curve[i].time_s == times[i] * kDay);
    CHECK(tr.curve[i].at_risk == risk[i]);
    CHECK(tr.curve[i].events == events[i]);
    CHECK(tr.curve[i].censored == 0);
    CHECK(tr.curve[i].conversion == Approx(conv[i]).epsilon(1e-14));
    // log(-log) interval of S, mirrored: conversion bounds are 1 - S bounds.
    const double s = 1 - conv[i], se = std::sqrt(gw[i]) / std::fabs(std::log(s)), z = 1.959963984540054;
    CHECK(tr.curve[i].lower == Approx(1 - std::pow(s, std::exp(-z * se))).epsilon(1e-12));
    CHECK(tr.curve[i].upper == Approx(1 - std::pow(s, std::exp(z * se))).epsilon(1e-12));
  }
  // Weeks: of 01-05 (T1, T2, T3, T4), of 01-12 (T5, T6, T8), of 01-19 (T7).
  REQUIRE(tr.rows.size() == 3);
  const FunnelTrendRow &w1 = tr.rows[0], &w2 = tr.rows[1], &w3 = tr.rows[2];
  CHECK(w1.period == "2026-01-05");
  CHECK(w2.period == "2026-01-12");
  CHECK(w3.period == "2026-01-19");
  CHECK(w1.period_start == kMonday);
  // Week 1 ends on day 7; 7 + 10 <= 20: complete. Week 2: 14 + 10 > 20: incomplete.
  CHECK(w1.complete);
  CHECK_FALSE(w2.complete);
  CHECK_FALSE(w3.complete);
  // Week 1: 3 of 4 converted within 10 days; complete, so Kaplan-Meier equals the plain rate and Greenwood's
  // variance the binomial one: S = 3/4 x 2/3 x 1/2 = 1/4, variance (1/4)^2 x (1/12 + 1/6 + 1/2) = 3/64.
  CHECK(w1.entered == 4);
  CHECK(w1.converted == 3);
  CHECK(w1.open == 0);
  CHECK(w1.naive_rate == 0.75);
  CHECK(w1.conversion == Approx(0.75).epsilon(1e-14));
  CHECK(w1.variance == Approx(3.0 / 64).epsilon(1e-14));
  // Week 2: T6 and T8 convert after half a day, T5 is censored after 12 days: S = 1/3, variance
  // (1/3)^2 x 2 / (3 x 1) = 2/27.
  CHECK(w2.entered == 3);
  CHECK(w2.converted == 2);
  CHECK(w2.conversion == Approx(2.0 / 3).epsilon(1e-14));
  CHECK(w2.variance == Approx(2.0 / 27).epsilon(1e-14));
  // Week 3: T7 observed 5 days of 10: open, censored; nothing converted yet.
  CHECK(w3.entered == 1);
  CHECK(w3.open == 1);
  CHECK(w3.conversion == 0);
  // Changes: z = change / sqrt(sum of variances), two-sided, Holm over the two pairs.
  CHECK(std::isnan(w1.change));
  CHECK(w2.change == Approx(2.0 / 3 - 0.75).epsilon(1e-13));
  const double z2 = (2.0 / 3 - 0.75) / std::sqrt(3.0 / 64 + 2.0 / 27);
  const double z3 = (0 - 2.0 / 3) / std::sqrt(2.0 / 27);
  CHECK(w2.z == Approx(z2).epsilon(1e-12));
  CHECK(w3.z == Approx(z3).epsilon(1e-12));
  const double p2 = std::erfc(std::fabs(z2) / std::sqrt(2.0)), p3 = std::erfc(std::fabs(z3) / std::sqrt(2.0));
  CHECK(w2.p_value == Approx(p2).epsilon(1e-12));
  CHECK(w3.p_adjusted == Approx(std::min(1.0, 2 * p3)).epsilon(1e-12));               // the smaller p-value
  CHECK(w2.p_adjusted == Approx(std::max(std::min(1.0, 2 * p3), p2)).epsilon(1e-12));  // then 1 x p2
  // Tables.
  const DataTable t = funnel_trend_table(tr);
  CHECK(t.rows() == 3);
  CHECK(t.names[0] == "period");
  CHECK(conversion_curve_table(tr).rows() == 4);
}

TEST_CASE("funnel trends: without data_end the last timestamp ends observation", "[funnel][trends]") {
  // Last timestamp: T7's entry, day 15. Week 1: 7 + 10 > 15: incomplete now; T2 censored after 15 days.
  const FunnelTrends tr = funnel_trends(trend_set(), a_then_conversion());
  CHECK(tr.data_end == kMonday + 15 * kDay);
  CHECK_FALSE(tr.rows[0].complete);
  CHECK(tr.rows[0].conversion == Approx(0.75).epsilon(1e-14));
  // T5 (entry day 8) is observed 7 days only now: open in week 2, and still at risk at the horizon.
  CHECK(tr.rows[1].open == 1);
}

TEST_CASE("funnel trends: calendar periods", "[funnel][trends]") {
  // 2024-02-29 12:00 (a Thursday) and 2024-03-03 (a Sunday).
  const std::int64_t leap = 19782 * kDay + 12 * 3600, sunday = 19785 * kDay;
  JourneySetBuilder b(true, TimeUnit::milliseconds);
  const std::uint32_t A = b.touchpoint("A");
  for (std::int64_t t : {leap, sunday}) {
    std::vector<std::uint32_t> p{A};
    std::vector<std::int64_t> tt{t * 1000};
    b.add(Span<const std::uint32_t>(p), Span<const std::int64_t>(tt), 0, 1, 0);
  }
  const JourneySet js = b.finish();
  EventFunnelOptions o;
  o.steps = {parse_funnel_step("A")};
  o.window = 86400.0;
  FunnelTrendOptions to;
  to.period = TrendPeriod::month;
  auto periods = [&]() {
    std::vector<std::string> out;
    for (const auto& r : funnel_trends(js, o, to).rows) out.push_back(r.period);
    return out;
  };
  CHECK(periods() == std::vector<std::string>{"2024-02-01", "2024-03-01"});
  to.period = TrendPeriod::week;
  CHECK(periods() == std::vector<std::string>{"2024-02-26"});
  to.period = TrendPeriod::day;
  CHECK(periods() == std::vector<std::string>{"2024-02-29", "2024-03-03"});
  CHECK(funnel_trends(js, o, to).rows[1].period_start == sunday * 1000);
  CHECK(parse_trend_period("month") == TrendPeriod::month);
  CHECK_THROWS_WITH(parse_trend_period("year"), Contains("day, week, month"));
}

TEST_CASE("funnel trends: errors", "[funnel][trends]") {
  EventFunnelOptions o = a_then_conversion();
  o.window.reset();
  CHECK_THROWS_WITH(funnel_trends(trend_set(), o), Contains("need a horizon"));
  FunnelTrendOptions to;
  to.data_end = kMonday;
  CHECK_THROWS_WITH(funnel_trends(trend_set(), a_then_conversion(), to), Contains("before the last timestamp"));
  JourneySetBuilder b;
  b.add(std::vector<std::string>{"A"}, 1, 0);
  CHECK_THROWS_AS(funnel_trends(b.finish(), a_then_conversion()), StateError);
}

TEST_CASE("funnel trends on the sample: complete periods equal the plain rate, open journeys are censored",
          "[funnel][trends]") {
  // The sample as extracted on 2026-03-15: events after that are not known yet.
  const EventTable full = sample_events(6000, 3);
  const std::int64_t cutoff = 20527 * kDay;
  EventTable ev;
  ev.touchpoint_names = full.touchpoint_names;
  for (std::size_t i = 0; i < full.size(); ++i)
    if (full.time[i] < cutoff) {
      ev.journey.push_back(full.journey[i]);
      ev.time.push_back(full.time[i]);
      ev.touchpoint.push_back(full.touchpoint[i]);
      ev.conversion.push_back(full.conversion[i]);
      ev.value.push_back(full.value[i]);
    }
  const JourneySet js = build_journeys(ev.arrays());
  EventFunnelOptions o;
  o.steps = {parse_funnel_step("*_ad"), parse_funnel_step("website|mobile_app|store_visit"),
             parse_funnel_step("(conversion)")};
  o.window = 14.0 * kDay;
  const FunnelTrends tr = funnel_trends(js, o);
  REQUIRE(tr.rows.size() >= 10);
  std::size_t complete = 0, incomplete = 0;
  for (const auto& r : tr.rows) {
    INFO(r.period);
    CHECK(r.lower <= r.conversion);
    CHECK(r.conversion <= r.upper);
    if (r.complete) {
      ++complete;
      CHECK(r.open == 0);
      CHECK(r.conversion == Approx(r.naive_rate).epsilon(1e-12));
    } else {
      ++incomplete;
      CHECK(r.conversion >= r.naive_rate - 1e-12);  // censoring never lowers the estimate below the plain rate
    }
  }
  CHECK(complete > 0);
  CHECK(incomplete > 0);
  // The last period is the most censored: its plain rate understates conversion.
  const auto& last = tr.rows.back();
  CHECK(last.open > 0);
  CHECK(last.naive_rate < last.conversion);
  // The curve is non-decreasing and stays in [0, 1].
  for (std::size_t i = 1; i < tr.curve.size(); ++i) CHECK(tr.curve[i].conversion >= tr.curve[i - 1].conversion);
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  CHECK(to_csv(funnel_trend_table(funnel_trends(js, o, {}, one))) == to_csv(funnel_trend_table(funnel_trends(js, o, {}, two))));
}
