// Cleaning rules: wildcard matching, the header's worked example, what the report counts, the CSV reader's
// errors, and cleaning applied before other analyses (a funnel and a journey map on cleaned journeys).

#include <catch2/catch.hpp>

#include "common/glob.hpp"
#include "journeygraph/cleaning.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

TEST_CASE("wildcard patterns", "[cleaning]") {
  using detail::glob_match;
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*", "anything"));
  CHECK(glob_match("*_ad", "display_ad"));
  CHECK_FALSE(glob_match("*_ad", "display_ads"));
  CHECK(glob_match("product_*", "product_"));
  CHECK(glob_match("a*b*c", "aXXbYYc"));
  CHECK(glob_match("a*b*c", "abc"));
  CHECK_FALSE(glob_match("a*b*c", "acb"));
  CHECK(glob_match("a*a", "aaa"));
  CHECK_FALSE(glob_match("a", "ab"));
  CHECK(glob_match("a\\*", "a*"));
  CHECK_FALSE(glob_match("a\\*", "ab"));
  CHECK(glob_match("a\\\\", "a\\"));
  CHECK_FALSE(detail::has_wildcard("a\\*"));
  CHECK(detail::has_wildcard("a\\**"));
  CHECK(detail::unescape_pattern("a\\*b") == "a*b");
}

namespace {

JourneySet worked() {
  JourneySetBuilder b(true, TimeUnit::seconds, true);
  const std::uint32_t seg = b.segment("mobile");
  std::vector<std::uint32_t> p;
  for (const char* n : {"display_ad", "paid_search", "app_push", "organic_search", "website"}) p.push_back(b.touchpoint(n));
  std::vector<std::int64_t> t{10, 20, 30, 40, 50};
  b.add(Span<const std::uint32_t>(p), Span<const std::int64_t>(t), 1, 0, 25.0, seg);
  // A journey of app_push only: emptied by the drop rule.
  std::vector<std::uint32_t> q{p[2], p[2]};
  std::vector<std::int64_t> u{5, 6};
  b.add(Span<const std::uint32_t>(q), Span<const std::int64_t>(u), 0, 2, 0.0, seg);
  return b.finish();
}

CleaningRules worked_rules() {
  CleaningRules r;
  r.alias("^(paid|organic)_search$", "search").group("*_ad", "ads").drop("app_push");
  return r;
}

std::string path_of(const JourneySet& js, std::size_t j) { return js.path_string(j); }

}  // namespace

TEST_CASE("cleaning: the worked example of the header", "[cleaning][golden]") {
  CleaningReport rep;
  const JourneySet out = worked_rules().apply(worked(), &rep);
  REQUIRE(out.size() == 1);
  CHECK(path_of(out, 0) == "ads > search > search > website");
  // Times of the kept touches, outcome, value and segment are kept.
  const auto t = out.times(0);
  CHECK(std::vector<std::int64_t>(t.begin(), t.end()) == std::vector<std::int64_t>{10, 20, 40, 50});
  CHECK(out.conversions(0) == 1);
  CHECK(out.value(0) == 25.0);
  CHECK(out.segments().name(out.segment(0)) == "mobile");
  CHECK(rep.touchpoints_before == 5);
  CHECK(rep.touchpoints_after == 3);
  CHECK(rep.touches_before == 7);
  CHECK(rep.touches_dropped == 3);  // app_push once in the first journey, twice in the second
  CHECK(rep.journeys_emptied == 1);
  CHECK(rep.weight_emptied == 2);
  CHECK(rep.conversions_emptied == 0);
  CHECK_THAT(rep.summary(), Contains("1 journeys left without touches were removed (weight 2"));
  // Entries in dictionary order: display_ad (group, rule 2), paid_search (alias, rule 1), app_push (drop, rule 3).
  REQUIRE(rep.touchpoints.size() == 5);
  CHECK(rep.touchpoints[0].cleaned == "ads");
  CHECK(rep.touchpoints[0].rule == 2);
  CHECK(rep.touchpoints[1].cleaned == "search");
  CHECK(rep.touchpoints[1].rule == 1);
  CHECK(rep.touchpoints[2].cleaned.empty());
  CHECK(rep.touchpoints[2].rule == 3);
  CHECK(rep.touchpoints[4].cleaned == "website");
  CHECK(rep.touchpoints[4].rule == 0);
  const DataTable tb = cleaning_table(rep);
  CHECK(tb.rows() == 5);
  CHECK(std::get<std::vector<std::string>>(tb.columns[2])[2] == "dropped");
  // With collapse_repeats the two searches become one.
  CleaningRules c = worked_rules();
  c.collapse_repeats();
  CleaningReport rc;
  const JourneySet collapsed = c.apply(worked(), &rc);
  CHECK(path_of(collapsed, 0) == "ads > search > website");
  CHECK(rc.touches_collapsed == 1);
  const auto tc = collapsed.times(0);
  CHECK(std::vector<std::int64_t>(tc.begin(), tc.end()) == std::vector<std::int64_t>{10, 20, 50});
}

TEST_CASE("cleaning rules apply in order, aliases use regex groups", "[cleaning]") {
  CleaningRules r;
  r.alias("^product_(\\d+)_page$", "product_$1").group("product_*").alias("^email_.*$", "email");
  CHECK(*r.clean("product_17_page") == "product_*");
  CHECK(*r.clean("email_newsletter") == "email");
  CHECK(*r.clean("website") == "website");
  std::size_t rule = 99;
  CHECK(*r.clean("product_3_page", &rule) == "product_*");
  CHECK(rule == 2);
  // A later rule sees what earlier ones produced: drop after group drops the group.
  CleaningRules d;
  d.group("*_ad", "ads").drop("ads");
  CHECK_FALSE(d.clean("video_ad").has_value());
  CHECK(d.clean("ads_manager") == std::optional<std::string>("ads_manager"));
}

TEST_CASE("cleaning errors name the rule", "[cleaning]") {
  CleaningRules r;
  CHECK_THROWS_WITH(r.alias("(unclosed", "x"), Contains("cleaning rule 1 (alias \"(unclosed\"): invalid regular expression"));
  CHECK_THROWS_WITH(r.drop(""), Contains("the pattern is empty"));
  r.alias("^website$", "");
  CHECK_THROWS_WITH(r.clean("website"), Contains("into an empty name"));
  CleaningRules all;
  all.drop("*");
  CHECK_THROWS_AS(all.apply(worked()), DataError);
}

TEST_CASE("cleaning rules from CSV", "[cleaning]") {
  const CleaningRules r = parse_cleaning_rules_csv(
      "action,pattern,replacement\n"
      "alias,^(paid|organic)_search$,search\n"
      "group,*_ad,ads\n"
      "drop,app_push,\n",
      "rules.csv");
  REQUIRE(r.rules().size() == 3);
  CHECK(r.rules()[1].action == CleaningAction::group);
  CHECK(worked_rules().apply(worked()).path_string(0) == r.apply(worked()).path_string(0));
  CHECK_THROWS_WITH(parse_cleaning_rules_csv("action,pattern\nrename,x\n", "rules.csv"),
                    Contains("rules.csv:2:1: field 'action'") && Contains("alias, group, drop"));
  CHECK_THROWS_WITH(parse_cleaning_rules_csv("action,pattern\nalias,(x\n", "rules.csv"),
                    Contains("rules.csv:2:7: field 'pattern'") && Contains("invalid regular expression"));
  CHECK_THROWS_WITH(parse_cleaning_rules_csv("action,regex\nalias,x\n", "rules.csv"), Contains("missing column 'pattern'"));
  CHECK_THROWS_AS(parse_cleaning_rules_csv("action,pattern\n", "rules.csv"), DataError);
  CHECK_THROWS_AS(read_cleaning_rules_csv("/nonexistent/rules.csv"), IoError);
}

TEST_CASE("cleaning before a funnel: a group equals its wildcard", "[cleaning][funnel]") {
  const EventTable ev = sample_events(3000, 21);
  const JourneySet raw = build_journeys(ev.arrays());
  CleaningRules r;
  r.group("*_ad", "ads");
  const JourneySet clean = r.apply(raw);
  EventFunnelOptions a, b;
  a.steps = {parse_funnel_step("ads"), parse_funnel_step("website"), parse_funnel_step("(conversion)")};
  b.steps = {parse_funnel_step("*_ad"), parse_funnel_step("website"), parse_funnel_step("(conversion)")};
  a.window = b.window = 30.0 * 86400;
  const EventFunnel fa = event_funnel(clean, a), fb = event_funnel(raw, b);
  for (std::size_t k = 0; k < 3; ++k) CHECK(fa.rows[k].reached == fb.rows[k].reached);
  // And the journey map of the cleaned journeys has one "ads" node instead of four.
  const JourneyMap map(clean);
  CHECK(map.graph().find_node("ads"));
  CHECK_FALSE(map.graph().find_node("display_ad"));
}
