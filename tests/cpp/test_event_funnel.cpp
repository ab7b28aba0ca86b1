// Event funnels: golden cases worked out by hand for every order, window, exclusion and optional step (the
// arithmetic is in the comments), the matcher against a brute-force enumeration of all matchings on random
// journeys, segments with their tests, determinism and errors.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "common/random.hpp"
#include "funnel/matcher.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/samples.hpp"
#include "statistics/statistics.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

constexpr double kDay = 86400;

struct J {
  std::vector<std::string> tps;
  std::vector<double> days;
  double conv = 0, nul = 1;
  std::string segment;
  J() = default;
  J(std::vector<std::string> t, std::vector<double> d, double c = 0, double n = 1, std::string s = {})
      : tps(std::move(t)), days(std::move(d)), conv(c), nul(n), segment(std::move(s)) {}
};

JourneySet make(const std::vector<J>& js, bool timed = true, bool segments = false) {
  JourneySetBuilder b(timed, TimeUnit::seconds, segments);
  for (const J& j : js) {
    std::vector<std::uint32_t> p;
    std::vector<std::int64_t> t;
    for (std::size_t i = 0; i < j.tps.size(); ++i) {
      p.push_back(b.touchpoint(j.tps[i]));
      if (timed) t.push_back(std::int64_t(std::llround(j.days[i] * kDay)));
    }
    b.add(Span<const std::uint32_t>(p), Span<const std::int64_t>(t), j.conv, j.nul, 0.0,
          segments ? b.segment(j.segment) : 0);
  }
  return b.finish();
}

EventFunnelOptions steps(std::initializer_list<const char*> texts) {
  EventFunnelOptions o;
  for (const char* t : texts) o.steps.push_back(parse_funnel_step(t));
  return o;
}

std::vector<double> reached(const EventFunnel& f, const std::string& segment = "(all)") {
  std::vector<double> out;
  for (const auto& r : f.rows)
    if (r.segment == segment) out.push_back(r.reached);
  return out;
}

// The worked example of funnel.hpp.
JourneySet worked_example() {
  return make({{{"ad", "search", "buy"}, {0, 1, 2}, 1, 0},
               {{"ad", "web", "search"}, {0, 1, 9}, 0, 1},
               {{"search", "ad"}, {0, 1}, 1, 0},
               {{"ad", "ad", "search"}, {0, 5, 6}, 1, 0}});
}

}  // namespace

TEST_CASE("funnel step texts", "[funnel]") {
  FunnelStep s = parse_funnel_step(" paid_search | organic_search @ 2d ? ");
  CHECK(s.match == std::vector<std::string>{"paid_search", "organic_search"});
  REQUIRE(s.window);
  CHECK(*s.window == 2 * kDay);
  CHECK(s.optional);
  CHECK(parse_funnel_step("(conversion)").match == std::vector<std::string>{"(conversion)"});
  CHECK(parse_funnel_step("stage:purchase").match == std::vector<std::string>{"stage:purchase"});
  CHECK(parse_funnel_step("a\\|b").match == std::vector<std::string>{"a|b"});
  CHECK(parse_funnel_step("a\\?").match == std::vector<std::string>{"a?"});
  CHECK(parse_funnel_step("a\\?").optional == false);
  CHECK(parse_funnel_step("product_\\*").match == std::vector<std::string>{"product_\\*"});  // wildcard escape kept
  const FunnelStep back = parse_funnel_step(funnel_step_text(s));
  CHECK(back.match == s.match);
  CHECK(*back.window == *s.window);
  CHECK(back.optional);
  CHECK_THROWS_WITH(parse_funnel_step("a||b"), Contains("empty alternative"));
  CHECK_THROWS_WITH(parse_funnel_step("a|(conversion)"), Contains("cannot be combined"));
  CHECK_THROWS_WITH(parse_funnel_step("a@soon"), Contains("bad window"));
  CHECK_THROWS_WITH(parse_funnel_step("?"), Contains("names no touchpoint"));
  const FunnelExclusion x = parse_funnel_exclusion("support_chat|returns:2-3");
  CHECK(x.match == std::vector<std::string>{"support_chat", "returns"});
  CHECK(x.from == 2);
  CHECK(x.to == 3);
  CHECK(parse_funnel_exclusion("stage:retention").match == std::vector<std::string>{"stage:retention"});
  CHECK(parse_funnel_exclusion("stage:retention").from == 0);
  CHECK(parse_funnel_order("strict") == FunnelOrder::strict);
  CHECK_THROWS_WITH(parse_funnel_order("loose"), Contains("ordered, strict, unordered"));
}

TEST_CASE("ordered funnel with a window: the worked example of the header", "[funnel][golden]") {
  EventFunnelOptions o = steps({"ad", "search", "(conversion)"});
  o.window = 7 * kDay;
  const EventFunnel f = event_funnel(worked_example(), o);
  REQUIRE(f.rows.size() == 3);
  // Step 1: all four did ad. Step 2: J1 (day 1) and J4 (day 6); J2's search is 9 days after its ad, J3 searched
  // before its ad. Step 3: J1 converts at day 2, J4 at day 6.
  CHECK(reached(f) == std::vector<double>{4, 2, 2});
  CHECK(f.rows[0].base == 4);
  CHECK(f.rows[1].base == 4);
  CHECK(f.rows[2].base == 2);
  CHECK(f.rows[1].step_rate == 0.5);
  CHECK(f.rows[2].step_rate == 1.0);
  CHECK(f.rows[2].overall_rate == 0.5);
  CHECK(f.rows[1].dropped == 2);
  // Wilson interval of 2/4 (statsmodels proportion_confint(2, 4, method="wilson")).
  CHECK(f.rows[1].step_lower == Approx(0.15003898915214955).epsilon(1e-12));
  CHECK(f.rows[1].step_upper == Approx(0.8499610108478505).epsilon(1e-12));
  // Times. Step 2 from the previous step: J1 1 day (ad@0 -> search@1), J4 1 day (its canonical matching uses the
  // later ad, day 5). Step 3 from entry: J1 2 days, J4 1 day; from the previous step: J1 1 day (search@1 ->
  // conversion at its last touch, day 2), J4 0 (search@6 is its last touch).
  CHECK(f.rows[1].time_from_previous.count == 2);
  CHECK(f.rows[1].time_from_previous.median == kDay);
  CHECK(f.rows[1].time_from_previous.p90 == kDay);
  CHECK(f.rows[2].time_from_entry.median == kDay);
  CHECK(f.rows[2].time_from_entry.p90 == 2 * kDay);
  CHECK(f.rows[2].time_from_entry.mean == Approx(1.5 * kDay));
  CHECK(f.rows[2].time_from_previous.median == 0);
  CHECK(f.rows[2].time_from_previous.p90 == kDay);
  CHECK(f.rows[0].time_from_entry.count == 0);  // step 1 has no duration
  // Without the window J2 reaches step 2 too (day 9), but it did not convert.
  o.window.reset();
  CHECK(reached(event_funnel(worked_example(), o)) == std::vector<double>{4, 3, 2});
}

TEST_CASE("strict funnel: nothing in between", "[funnel][golden]") {
  EventFunnelOptions o = steps({"ad", "search", "(conversion)"});
  o.order = FunnelOrder::strict;
  o.window = 7 * kDay;
  // Step 2: J1 (ad@0 right before search@1), J4 (ad@5 right before search@6); J2 has web in between.
  // Step 3: the conversion follows the last touch: J4's search is its last touch, J1's is not (buy follows).
  CHECK(reached(event_funnel(worked_example(), o)) == std::vector<double>{4, 2, 1});
}

TEST_CASE("unordered funnel: any order within the window", "[funnel][golden]") {
  EventFunnelOptions o = steps({"ad", "search", "(conversion)"});
  o.order = FunnelOrder::unordered;
  o.window = 7 * kDay;
  // Step 2 (ad and search within 7 days, any order): J1 (0, 1), J3 (1, 0), J4 (5, 6); J2 is 9 days apart.
  // Step 3 (with the conversion, at the last touch): J1 span 0..2, J3 span 0..1, J4 span 5..6.
  const EventFunnel f = event_funnel(worked_example(), o);
  CHECK(reached(f) == std::vector<double>{4, 3, 3});
  // Times from entry at step 2: J1 1 day, J3 1 day, J4 1 day (ad@5, search@6: the tightest set).
  CHECK(f.rows[1].time_from_entry.median == kDay);
  CHECK(f.rows[1].time_from_entry.p90 == kDay);
  // Step 3 from entry: J1 2 days, J3 1 day, J4 1 day.
  CHECK(f.rows[2].time_from_entry.median == kDay);
  CHECK(f.rows[2].time_from_entry.p90 == 2 * kDay);
  // An unordered funnel refuses per-step windows, exclusions, and a touchpoint in two steps.
  EventFunnelOptions bad = steps({"ad", "search@1d"});
  bad.order = FunnelOrder::unordered;
  CHECK_THROWS_WITH(event_funnel(worked_example(), bad), Contains("needs an order"));
  bad = steps({"ad", "search"});
  bad.order = FunnelOrder::unordered;
  bad.exclusions.push_back(parse_funnel_exclusion("web"));
  CHECK_THROWS_WITH(event_funnel(worked_example(), bad), Contains("need an order"));
  bad = steps({"ad", "ad|search"});
  bad.order = FunnelOrder::unordered;
  CHECK_THROWS_WITH(event_funnel(worked_example(), bad), Contains("one step only"));
}

TEST_CASE("per-step windows: a later touch can rescue a journey the earliest one cannot", "[funnel][golden]") {
  // Steps A, B within 5 days of A, C within 1 day of B.
  //   K1: A@0 B@1 C@1.5            all three
  //   K2: A@0 B@6 C@6.5            B is 6 days after A: A only
  //   K3: A@0 B@1 B@4 C@4.5        C is 3.5 days after B@1 but 0.5 after B@4 (4 days after A): all three
  //   K4: A@0 B@1 C@3              C is 2 days after B: A, B
  const JourneySet js = make({{{"A", "B", "C"}, {0, 1, 1.5}},
                              {{"A", "B", "C"}, {0, 6, 6.5}},
                              {{"A", "B", "B", "C"}, {0, 1, 4, 4.5}},
                              {{"A", "B", "C"}, {0, 1, 3}}});
  const EventFunnel f = event_funnel(js, steps({"A", "B@5d", "C@1d"}));
  CHECK(reached(f) == std::vector<double>{4, 3, 2});
  // Step 2 canonical: earliest B: K1 1 day, K3 1 day, K4 1 day from A.
  CHECK(f.rows[1].time_from_previous.median == kDay);
  CHECK(f.rows[1].time_from_previous.p90 == kDay);
  // Step 3 canonical: K1 C@1.5 <- B@1 <- A@0 (0.5 and 1.5 days); K3 C@4.5 <- B@4 <- A@0 (0.5 and 4.5 days).
  CHECK(f.rows[2].time_from_previous.median == 0.5 * kDay);
  CHECK(f.rows[2].time_from_previous.p90 == 0.5 * kDay);
  CHECK(f.rows[2].time_from_entry.median == 1.5 * kDay);
  CHECK(f.rows[2].time_from_entry.p90 == 4.5 * kDay);
  // Windows are inclusive: B exactly 5 days after A counts.
  const JourneySet edge = make({{{"A", "B"}, {0, 5}}});
  CHECK(reached(event_funnel(edge, steps({"A", "B@5d"}))) == std::vector<double>{1, 1});
  CHECK(reached(event_funnel(edge, steps({"A", "B@4.99d"}))) == std::vector<double>{1, 0});
}

TEST_CASE("exclusions drop a journey from the step after them on, unless another attempt is clean", "[funnel][golden]") {
  //   E1: A X B C        X between A and B
  //   E2: A X A B C      the second A is clean
  //   E3: A B X C        X between B and C
  const JourneySet js = make({{{"A", "X", "B", "C"}, {0, 1, 2, 3}},
                              {{"A", "X", "A", "B", "C"}, {0, 1, 2, 3, 4}},
                              {{"A", "B", "X", "C"}, {0, 1, 2, 3}}});
  EventFunnelOptions o = steps({"A", "B", "C"});
  o.exclusions.push_back(parse_funnel_exclusion("X:1-2"));
  // Between steps 1 and 2: E1 stops at A; E2 reaches all through its second A; E3 is not concerned.
  CHECK(reached(event_funnel(js, o)) == std::vector<double>{3, 2, 2});
  o.exclusions = {parse_funnel_exclusion("X")};  // the whole funnel
  // E3's X lies between B and C now: it stops at B.
  CHECK(reached(event_funnel(js, o)) == std::vector<double>{3, 2, 1});
  o.exclusions = {parse_funnel_exclusion("X:2-3")};
  // E1: X is before B, not between B and C: all three. E2 likewise. E3 stops at B.
  CHECK(reached(event_funnel(js, o)) == std::vector<double>{3, 3, 2});
  // Bad exclusions.
  o.exclusions = {parse_funnel_exclusion("X:3-2")};
  CHECK_THROWS_WITH(event_funnel(js, o), Contains("in order"));
  o.exclusions = {parse_funnel_exclusion("B:1-3")};
  CHECK_THROWS_WITH(event_funnel(js, o), Contains("inside the excluded range"));
  o.exclusions = {parse_funnel_exclusion("Y")};
  CHECK_THROWS_WITH(event_funnel(js, o), Contains("matches no touchpoint"));
}

TEST_CASE("optional steps may be skipped; their rate is against the previous required step", "[funnel][golden]") {
  //   O1: A N B     O2: A B     O3: N A B     O4: A N
  const JourneySet js = make({{{"A", "N", "B"}, {0, 1, 2}},
                              {{"A", "B"}, {0, 1}},
                              {{"N", "A", "B"}, {0, 1, 2}},
                              {{"A", "N"}, {0, 1}}});
  const EventFunnel f = event_funnel(js, steps({"A", "N?", "B"}));
  // A: 4. N (after A): O1, O4 = 2. B (after A, N or not): O1, O2, O3 = 3.
  CHECK(reached(f) == std::vector<double>{4, 2, 3});
  CHECK(f.rows[1].optional);
  CHECK(f.rows[1].base == 4);
  CHECK(f.rows[1].dropped == 2);  // skipped
  CHECK(f.rows[2].base == 4);     // against A, the previous required step
  CHECK(f.rows[2].step_rate == 0.75);
  // B's time from the previous picked step: O1 from N (1 day), O2 and O3 from A (1 day).
  CHECK(f.rows[2].time_from_previous.median == kDay);
  // With B within 12 hours of the previous picked step, O1 still counts through A? No: A@0 -> B@2 is 2 days, and
  // N@1 -> B@2 is 1 day: neither is within 12 hours. O2 (1 day) and O3 (1 day) fail too.
  CHECK(reached(event_funnel(js, steps({"A", "N?", "B@12h"}))) == std::vector<double>{4, 2, 0});
  // Within 1 day: O1 through N (1 day), O2 and O3 through A.
  CHECK(reached(event_funnel(js, steps({"A", "N?", "B@1d"}))) == std::vector<double>{4, 2, 3});
  CHECK_THROWS_WITH(event_funnel(js, steps({"A?", "B"})), Contains("must be required"));
  CHECK_THROWS_WITH(event_funnel(js, steps({"A", "B?"})), Contains("must be required"));
}

TEST_CASE("conversion step with weighted path rows and without timestamps", "[funnel][golden]") {
  // One row "A > B" standing for 3 conversions and 2 non-conversions, one "A" with 1 non-conversion.
  JourneySetBuilder b;
  b.add(std::vector<std::string>{"A", "B"}, 3, 2);
  b.add(std::vector<std::string>{"A"}, 0, 1);
  const JourneySet js = b.finish();
  const EventFunnel f = event_funnel(js, steps({"A", "B", "(conversion)"}));
  CHECK(reached(f) == std::vector<double>{6, 5, 3});
  CHECK(f.rows[2].step_rate == Approx(0.6));
  CHECK(f.rows[1].time_from_entry.count == 0);  // no timestamps, no times
  EventFunnelOptions w = steps({"A", "B"});
  w.window = kDay;
  CHECK_THROWS_WITH(event_funnel(js, w), Contains("needs journeys with timestamps"));
  CHECK_THROWS_WITH(event_funnel(js, steps({"(conversion)", "A"})), Contains("only be the last step"));
  CHECK_THROWS_WITH(event_funnel(js, steps({"A", "Bee"})), Contains("closest: \"B\""));
  EventFunnelOptions none;
  CHECK_THROWS_WITH(event_funnel(js, none), Contains("at least one step"));
}

TEST_CASE("wildcards, alternatives and stages select the same touches as their expansion", "[funnel]") {
  const EventTable ev = sample_events(3000, 5);
  const JourneySet js = build_journeys(ev.arrays());
  const StageMap stages = sample_stage_map();
  EventFunnelOptions a = steps({"*_ad", "stage:consideration", "website|mobile_app", "(conversion)"});
  a.stages = &stages;
  a.window = 14 * kDay;
  EventFunnelOptions b = steps({"display_ad|social_ad|video_ad|retargeting_ad",
                                "paid_search|organic_search|comparison_site|email_newsletter|retargeting_ad",
                                "website|mobile_app", "(conversion)"});
  b.window = 14 * kDay;
  const EventFunnel fa = event_funnel(js, a), fb = event_funnel(js, b);
  CHECK(reached(fa) == reached(fb));
  CHECK(fa.rows[3].time_from_entry.median == fb.rows[3].time_from_entry.median);
  CHECK(reached(fa)[3] > 0);
  EventFunnelOptions unknown = steps({"stage:nowhere"});
  unknown.stages = &stages;
  CHECK_THROWS_WITH(event_funnel(js, unknown), Contains("unknown stage"));
  CHECK_THROWS_WITH(event_funnel(js, steps({"stage:purchase"})), Contains("no stage map"));
}

TEST_CASE("segments: each segment's step rate against the others, Holm-adjusted", "[funnel]") {
  // Segment m: 10 journeys A > B, 10 journeys A. Segment d: 4 A > B, 16 A.
  std::vector<J> js;
  for (int i = 0; i < 10; ++i) js.push_back({{"A", "B"}, {0, 1}, 0, 1, "m"});
  for (int i = 0; i < 10; ++i) js.push_back({{"A"}, {0}, 0, 1, "m"});
  for (int i = 0; i < 4; ++i) js.push_back({{"A", "B"}, {0, 1}, 0, 1, "d"});
  for (int i = 0; i < 16; ++i) js.push_back({{"A"}, {0}, 0, 1, "d"});
  EventFunnelOptions o = steps({"A", "B"});
  o.by_segment = true;
  const EventFunnel f = event_funnel(make(js, true, true), o);
  CHECK(f.segments == std::vector<std::string>{"m", "d"});
  CHECK(reached(f, "m") == std::vector<double>{20, 10});
  CHECK(reached(f, "d") == std::vector<double>{20, 4});
  // Step 2, segment m (10/20) against d (4/20): pooled 14/40, z = (0.5 - 0.2) / sqrt(0.35 x 0.65 x 0.1).
  const double z = 0.3 / std::sqrt(0.35 * 0.65 * 0.1);
  const EventFunnelRow& m2 = f.rows[3];
  REQUIRE(m2.segment == "m");
  CHECK(m2.z == Approx(z).epsilon(1e-12));
  CHECK(f.rows[5].z == Approx(-z).epsilon(1e-12));
  // Step 1 (20/20 in both) is testable with z = 0; two tests in the family, Holm doubles the smaller p-value.
  CHECK(f.tests == 2);
  CHECK(m2.p_adjusted == Approx(std::min(1.0, 2 * std::erfc(z / std::sqrt(2.0)))).epsilon(1e-12));
  CHECK(m2.significant == (m2.p_adjusted < 0.05));
  CHECK(std::isnan(f.rows[1].z));  // "(all)" rows carry no test
  CHECK_THROWS_AS(event_funnel(worked_example(), o), StateError);
}

TEST_CASE("event funnel table and determinism across thread counts", "[funnel]") {
  const EventTable ev = sample_events(4000, 9);
  const JourneySet js = build_journeys(ev.arrays());
  EventFunnelOptions o = steps({"*_ad", "paid_search|organic_search", "website@3d", "(conversion)"});
  o.window = 21 * kDay;
  o.by_segment = true;
  o.exclusions.push_back(parse_funnel_exclusion("support_chat"));
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  const DataTable a = event_funnel_table(event_funnel(js, o, one));
  const DataTable b = event_funnel_table(event_funnel(js, o, two));
  CHECK(to_csv(a) == to_csv(b));
  CHECK(a.rows() == 12);
  CHECK(a.names.front() == "segment");
  CHECK(a.find("time_from_entry_p90_s"));
}

// ------------------------------------------------------------------------------------------------
// The matcher against brute force
// ------------------------------------------------------------------------------------------------

namespace {

struct Spec {
  FunnelOrder order = FunnelOrder::ordered;
  std::vector<std::set<std::string>> step_sets;  // empty set = the conversion step (last)
  std::vector<bool> optional;
  std::vector<double> step_window;               // days, < 0 = none
  double window = -1;                            // days, < 0 = none
  struct Excl {
    std::set<std::string> tps;
    std::size_t from, to;                        // 0-based, inclusive
  };
  std::vector<Excl> exclusions;
};

struct Expected {
  bool reached = false;
  std::int64_t time = 0, entry = 0, previous = 0;
};

// All matchings of steps 0..k by enumeration; the canonical one as funnel.hpp defines it.
std::vector<Expected> brute_force(const Spec& sp, const std::vector<std::string>& tps, const std::vector<std::int64_t>& t,
                                  bool converted) {
  const std::size_t K = sp.step_sets.size(), m = tps.size();
  const std::size_t M = m + ((sp.step_sets.back().empty() && converted) ? 1 : 0);
  auto time_of = [&](std::size_t pos) { return pos < m ? t[pos] : t[m - 1]; };
  auto matches = [&](std::size_t step, std::size_t pos) {
    if (sp.step_sets[step].empty()) return pos == m;
    return pos < m && sp.step_sets[step].count(tps[pos]) > 0;
  };
  const auto W = sp.window < 0 ? -1 : std::int64_t(std::llround(sp.window * kDay));
  std::vector<Expected> out(K);
  if (sp.order == FunnelOrder::unordered) {
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<std::size_t> needed;
      for (std::size_t s = 0; s <= k; ++s)
        if (!sp.optional[s] || s == k) needed.push_back(s);
      // Every choice of one matching touch per needed step.
      std::vector<std::size_t> pick(needed.size());
      std::function<void(std::size_t)> rec = [&](std::size_t i) {
        if (i == needed.size()) {
          std::int64_t lo = INT64_MAX, hi = INT64_MIN;
          for (std::size_t p : pick) {
            lo = std::min(lo, time_of(p));
            hi = std::max(hi, time_of(p));
          }
          if (W >= 0 && hi - lo > W) return;
          Expected& e = out[k];
          if (!e.reached || hi < e.time || (hi == e.time && lo > e.entry)) e = {true, hi, lo, 0};
          return;
        }
        for (std::size_t p = 0; p < M; ++p)
          if (matches(needed[i], p)) {
            pick[i] = p;
            rec(i + 1);
          }
      };
      rec(0);
    }
    for (std::size_t k = 0; k < K; ++k) {
      if (!out[k].reached) continue;
      std::size_t p = SIZE_MAX;
      for (std::size_t s = 0; s < k; ++s)
        if (!sp.optional[s]) p = s;
      out[k].previous = p == SIZE_MAX ? out[k].time : out[p].time;
    }
    return out;
  }
  // Ordered and strict: sequences of (step, position).
  std::vector<std::pair<std::size_t, std::size_t>> seq, best;
  std::size_t best_k = 0;
  auto better = [&](const std::vector<std::pair<std::size_t, std::size_t>>& a,
                    const std::vector<std::pair<std::size_t, std::size_t>>& b) {
    // Earliest final position; then backward, later positions (and on a tie the later step) first.
    if (a.back().second != b.back().second) return a.back().second < b.back().second;
    std::size_t i = a.size() - 1, j = b.size() - 1;
    while (i > 0 && j > 0) {
      --i;
      --j;
      if (a[i].second != b[j].second) return a[i].second > b[j].second;
      if (a[i].first != b[j].first) return a[i].first > b[j].first;
    }
    return false;
  };
  std::function<void(std::size_t)> extend = [&](std::size_t target) {
    const auto [s, pos] = seq.back();
    if (s == target) {
      if (best.empty() || better(seq, best)) best = seq;
      return;
    }
    for (std::size_t nxt = s + 1; nxt <= target; ++nxt) {
      for (std::size_t q = pos + 1; q < M; ++q) {
        if (sp.order == FunnelOrder::strict && q != pos + 1) break;
        if (!matches(nxt, q)) continue;
        if (sp.step_window[nxt] >= 0 && time_of(q) - time_of(pos) > std::int64_t(std::llround(sp.step_window[nxt] * kDay)))
          continue;
        if (W >= 0 && time_of(q) - time_of(seq.front().second) > W) continue;
        bool excluded = false;
        for (const auto& x : sp.exclusions)
          if (x.from <= s && nxt <= x.to)
            for (std::size_t r = pos + 1; r < q; ++r)
              if (r < m && x.tps.count(tps[r])) excluded = true;
        if (excluded) continue;
        seq.push_back({nxt, q});
        extend(target);
        seq.pop_back();
      }
      if (!sp.optional[nxt]) break;  // a required step cannot be skipped
    }
  };
  for (std::size_t k = 0; k < K; ++k) {
    best.clear();
    best_k = k;
    for (std::size_t p = 0; p < M; ++p)
      if (matches(0, p)) {
        seq = {{0, p}};
        extend(k);
      }
    if (best.empty()) continue;
    Expected& e = out[best_k];
    e.reached = true;
    e.time = time_of(best.back().second);
    e.entry = time_of(best.front().second);
    e.previous = best.size() > 1 ? time_of(best[best.size() - 2].second) : e.time;
  }
  return out;
}

}  // namespace

TEST_CASE("the funnel matcher equals a brute-force enumeration of all matchings", "[funnel][golden]") {
  const std::vector<std::string> names{"a", "b", "c", "d", "x"};
  int journeys_checked = 0, reached_checked = 0;
  for (std::uint64_t trial = 0; trial < 400; ++trial) {
    detail::CounterRng rng(2024, trial, 0);
    auto below = [&](std::size_t n) { return std::size_t(rng.uniform() * double(n)) % n; };
    Spec sp;
    const int mode = int(below(3));
    sp.order = mode == 0 ? FunnelOrder::ordered : mode == 1 ? FunnelOrder::strict : FunnelOrder::unordered;
    const bool unordered = sp.order == FunnelOrder::unordered;
    const std::size_t K = 2 + below(3);
    const bool conversion = rng.uniform() < 0.4;
    std::vector<std::string> pool{"a", "b", "c", "d"};
    for (std::size_t k = 0; k < K; ++k) {
      std::set<std::string> s;
      if (conversion && k + 1 == K) {
        sp.step_sets.push_back(s);
      } else if (unordered) {
        // Disjoint steps: one touchpoint each (and none left when the pool is used up).
        if (pool.empty()) break;
        const std::size_t i = below(pool.size());
        s.insert(pool[i]);
        pool.erase(pool.begin() + long(i));
        sp.step_sets.push_back(s);
      } else {
        s.insert(names[below(4)]);
        if (rng.uniform() < 0.3) s.insert(names[below(4)]);
        sp.step_sets.push_back(s);
      }
    }
    const std::size_t KK = sp.step_sets.size();
    if (KK < 2) continue;
    sp.optional.assign(KK, false);
    sp.step_window.assign(KK, -1);
    for (std::size_t k = 1; k + 1 < KK; ++k) sp.optional[k] = rng.uniform() < 0.3;
    if (rng.uniform() < 0.5) sp.window = double(1 + below(6));
    if (!unordered) {
      for (std::size_t k = 1; k < KK; ++k)
        if (rng.uniform() < 0.3) sp.step_window[k] = double(below(4));
      if (rng.uniform() < 0.5) {
        // x never belongs to a step, so it may exclude anywhere between two required steps.
        std::vector<std::size_t> req;
        for (std::size_t k = 0; k < KK; ++k)
          if (!sp.optional[k]) req.push_back(k);
        const std::size_t i = below(req.size() - 1);
        const std::size_t j = i + 1 + below(req.size() - 1 - i);
        sp.exclusions.push_back({{"x"}, req[i], req[j]});
      }
    }
    // The options the library reads.
    EventFunnelOptions o;
    o.order = sp.order;
    for (std::size_t k = 0; k < KK; ++k) {
      FunnelStep st;
      if (sp.step_sets[k].empty()) st.match = {"(conversion)"};
      else st.match.assign(sp.step_sets[k].begin(), sp.step_sets[k].end());
      st.optional = sp.optional[k];
      if (sp.step_window[k] >= 0) st.window = sp.step_window[k] * kDay;
      o.steps.push_back(st);
    }
    if (sp.window >= 0) o.window = sp.window * kDay;
    for (const auto& x : sp.exclusions) {
      FunnelExclusion e;
      e.match.assign(x.tps.begin(), x.tps.end());
      e.from = x.from + 1;
      e.to = x.to + 1;
      o.exclusions.push_back(e);
    }
    // Random journeys over a, b, c, d, x with ties in time; one set holds every name (the dictionary).
    std::vector<J> js{{names, {0, 0, 0, 0, 0}, 0, 1}};
    for (int n = 0; n < 25; ++n) {
      J j;
      const std::size_t len = 1 + below(7);
      double day = 0;
      for (std::size_t i = 0; i < len; ++i) {
        j.tps.push_back(names[below(5)]);
        day += double(below(3));
        j.days.push_back(day);
      }
      j.conv = rng.uniform() < 0.5 ? 1 : 0;
      j.nul = 1 - j.conv;
      js.push_back(j);
    }
    const JourneySet set = make(js);
    const detail::CompiledFunnel f = detail::compile_funnel(set, o);
    detail::FunnelMatcher matcher(f);
    for (std::size_t j = 1; j < set.size(); ++j) {
      const auto path = set.path(j);
      const auto times = set.times(j);
      std::vector<std::string> tps;
      for (std::uint32_t id : path) tps.push_back(set.touchpoints().name(id));
      std::vector<std::int64_t> t(times.begin(), times.end());
      const bool converted = set.conversions(j) > 0;
      matcher.match(path, times, converted);
      const auto expected = brute_force(sp, tps, t, converted);
      ++journeys_checked;
      for (std::size_t k = 0; k < KK; ++k) {
        INFO("trial " << trial << " journey " << j << " step " << k + 1 << " order " << funnel_order_name(sp.order));
        const auto& got = matcher.steps()[k];
        REQUIRE(got.reached == expected[k].reached);
        if (!got.reached) continue;
        ++reached_checked;
        CHECK(got.time == expected[k].time);
        CHECK(got.entry == expected[k].entry);
        CHECK(got.previous == expected[k].previous);
      }
    }
  }
  CHECK(journeys_checked > 5000);
  CHECK(reached_checked > 5000);
}

TEST_CASE("an event funnel over the stages never counts more than the stage funnel", "[funnel]") {
  // The relation the header states: step k of an ordered event funnel over stages 1..k counts journeys that
  // touched the stages in order, a subset of those the stage funnel counts at stage k (touched at all).
  const EventTable ev = sample_events(5000, 17);
  const JourneySet js = build_journeys(ev.arrays());
  const StageMap stages = sample_stage_map();
  // The event funnel counts every journey, so the stage funnel it is held against counts first and repeat
  // journeys together (its default counts first journeys only).
  FunnelOptions all_journeys;
  all_journeys.journeys = FunnelJourneys::all;
  const Funnel stage_funnel = JourneyMap(js, stages).funnel(all_journeys);
  EventFunnelOptions o;
  for (const auto& s : stages.stages()) o.steps.push_back(parse_funnel_step("stage:" + s));
  o.stages = &stages;
  const EventFunnel f = event_funnel(js, o);
  REQUIRE(f.rows.size() == stage_funnel.rows.size());
  CHECK(f.rows[0].reached == stage_funnel.rows[0].journeys);  // step 1: touched the first stage at all
  for (std::size_t k = 0; k < f.rows.size(); ++k) {
    INFO(stages.stages()[k]);
    CHECK(f.rows[k].reached <= stage_funnel.rows[k].journeys);
  }
  CHECK(f.rows.back().reached < stage_funnel.rows.back().journeys);
}
