// The path explorer: the header's worked example, backward paths, start-to-end paths, paths between funnel
// steps and after drop-off (worked by hand), and on the sample: every step's shares sum to 100 %, the Sankey
// links conserve journeys, results do not depend on the thread count.

#include <catch2/catch.hpp>

#include <map>

#include "journeygraph/error.hpp"
#include "journeygraph/paths.hpp"
#include "journeygraph/render.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

JourneySet set_of(const std::vector<std::pair<std::vector<std::string>, std::pair<double, double>>>& rows) {
  JourneySetBuilder b(true, TimeUnit::seconds);
  for (const auto& [names, w] : rows) {
    std::vector<std::uint32_t> p;
    std::vector<std::int64_t> t;
    for (const auto& n : names) {
      p.push_back(b.touchpoint(n));
      t.push_back(std::int64_t(t.size()) * 3600);
    }
    b.add(Span<const std::uint32_t>(p), Span<const std::int64_t>(t), w.first, w.second, 0.0);
  }
  return b.finish();
}

// (step, key) -> journeys
std::map<std::pair<long, std::string>, double> cells(const PathExploration& p) {
  std::map<std::pair<long, std::string>, double> m;
  for (const auto& r : p.steps) m[{r.step, r.key}] = r.journeys;
  return m;
}

}  // namespace

TEST_CASE("paths after a start: the worked example of the header", "[paths][golden]") {
  const JourneySet js = set_of({{{"ad", "search", "web"}, {1, 0}},
                                {{"search", "web", "web", "app"}, {0, 1}},
                                {{"ad", "app"}, {0, 1}}});
  PathExplorerOptions o;
  o.start = "search";
  o.max_steps = 3;
  o.top = 1;
  const PathExploration p = explore_paths(js, o);
  CHECK_FALSE(p.backward);
  CHECK(p.journeys == 2);
  CHECK(p.excluded == 1);
  CHECK(p.all_journeys == 3);
  const auto c = cells(p);
  const std::map<std::pair<long, std::string>, double> want{
      {{1, "search"}, 2}, {{2, "web"}, 2}, {{3, "(conversion)"}, 1}, {{3, "web"}, 1},
      {{4, "(continues)"}, 1}, {{4, "(none)"}, 1}};
  CHECK(c == want);
  for (const auto& r : p.steps) CHECK(r.share == r.journeys / 2);
  // Variants: "search > web > (conversion)" and "search > web > web > (continues)", one each.
  REQUIRE(p.variants.size() == 2);
  CHECK(p.distinct_paths == 2);
  CHECK(p.variants[0].cumulative_share + 1e-15 >= 0.5);
  CHECK(p.variants[1].cumulative_share == 1.0);
  // Sankey: search -> web (2), web -> (conversion) (1), web -> web (1), web -> (continues) (1).
  double total = 0;
  for (const auto& l : p.sankey.links) total += l.value;
  CHECK(p.sankey.links.size() == 4);
  CHECK(total == 5);
}

TEST_CASE("paths before the conversion and before a touchpoint count steps backward", "[paths][golden]") {
  const JourneySet js = set_of({{{"ad", "search", "web"}, {2, 1}},  // a row: 2 conversions, 1 non-conversion
                                {{"web"}, {1, 0}},
                                {{"search", "app"}, {0, 1}}});
  PathExplorerOptions o;
  o.end = "(conversion)";
  o.max_steps = 2;
  const PathExploration p = explore_paths(js, o);
  CHECK(p.backward);
  CHECK(p.journeys == 3);  // 2 + 1 conversions
  CHECK(p.excluded == 2);  // the non-conversions
  // Step 0 is the conversion; -1 the last touch (web for all three); -2: search (2), none (1); -3: (earlier) 2.
  const auto c = cells(p);
  CHECK(c.at({0, "(conversion)"}) == 3);
  CHECK(c.at({-1, "web"}) == 3);
  CHECK(c.at({-2, "search"}) == 2);
  CHECK(c.at({-2, "(none)"}) == 1);
  CHECK(c.at({-3, "(earlier)"}) == 2);
  CHECK(c.at({-3, "(none)"}) == 1);
  // Sankey columns start at 1 and end with the conversion.
  std::size_t last_col = 0;
  for (const auto& n : p.sankey.nodes) last_col = std::max(last_col, n.step);
  for (const auto& n : p.sankey.nodes)
    if (n.key == "(conversion)") CHECK(n.step == last_col);
  for (const auto& n : p.sankey.nodes) CHECK(n.step >= 1);
  // Before a touchpoint: paths up to the first web; the web is step 0.
  PathExplorerOptions w;
  w.end = "web";
  const PathExploration q = explore_paths(js, w);
  CHECK(q.journeys == 4);   // the row (3) and "web" (1)
  CHECK(q.excluded == 1);   // search > app
  const auto cq = cells(q);
  CHECK(cq.at({0, "web"}) == 4);
  CHECK(cq.at({-1, "search"}) == 3);
  CHECK(cq.at({-2, "ad"}) == 3);
  // Drop-off: the non-conversions, ending in "(null)".
  PathExplorerOptions d;
  d.end = "(drop-off)";
  const PathExploration r = explore_paths(js, d);
  CHECK(r.journeys == 2);
  CHECK(cells(r).at({0, "(null)"}) == 2);
}

TEST_CASE("paths from a start to an end", "[paths][golden]") {
  const JourneySet js = set_of({{{"a", "x", "b", "y", "b"}, {0, 1}},  // a x b: ends at the first b after a
                                {{"b", "a", "y"}, {0, 1}},            // no b after a: excluded
                                {{"a", "b"}, {1, 0}}});
  PathExplorerOptions o;
  o.start = "a";
  o.end = "b";
  const PathExploration p = explore_paths(js, o);
  CHECK(p.journeys == 2);
  CHECK(p.excluded == 1);
  REQUIRE(p.variants.size() == 2);
  CHECK(p.variants[0].touchpoints == std::vector<std::string>{"a", "b"});  // tie broken by the names
  CHECK(p.variants[1].touchpoints == std::vector<std::string>{"a", "x", "b"});
}

TEST_CASE("paths between funnel steps and after a drop-off", "[paths][golden]") {
  //   F1: ad > web > search > buy (converted)   F2: ad > search (not)   F3: ad > web > web (not)
  const JourneySet js = set_of({{{"ad", "web", "search", "buy"}, {1, 0}},
                                {{"ad", "search"}, {0, 1}},
                                {{"ad", "web", "web"}, {0, 1}}});
  PathExplorerOptions o;
  EventFunnelOptions f;
  f.steps = {parse_funnel_step("ad"), parse_funnel_step("search"), parse_funnel_step("(conversion)")};
  o.funnel = f;
  o.from_step = 1;  // to the next required step, search
  const PathExploration between = explore_paths(js, o);
  // F1: ad > web > search; F2: ad > search. F3 never searched.
  CHECK(between.journeys == 2);
  CHECK(between.excluded == 1);
  REQUIRE(between.variants.size() == 2);
  CHECK(between.variants[0].touchpoints == std::vector<std::string>{"ad", "search"});
  CHECK(between.variants[1].touchpoints == std::vector<std::string>{"ad", "web", "search"});
  // Drop-off after step 1: F3 (never searched), from its ad to its end.
  o.drop_off = true;
  const PathExploration drop = explore_paths(js, o);
  CHECK(drop.journeys == 1);
  REQUIRE(drop.variants.size() == 1);
  CHECK(drop.variants[0].touchpoints == std::vector<std::string>{"ad", "web", "web", "(null)"});
  // Between search and the conversion: F1's search, buy, then the conversion.
  o.drop_off = false;
  o.from_step = 2;
  const PathExploration to_conv = explore_paths(js, o);
  CHECK(to_conv.journeys == 1);
  CHECK(to_conv.variants[0].touchpoints == std::vector<std::string>{"search", "buy", "(conversion)"});
  // Drop-off after search: F2 (searched, did not convert).
  o.drop_off = true;
  const PathExploration after_search = explore_paths(js, o);
  CHECK(after_search.journeys == 1);
  CHECK(after_search.variants[0].touchpoints == std::vector<std::string>{"search", "(null)"});
  // Errors.
  o.start = "ad";
  CHECK_THROWS_WITH(explore_paths(js, o), Contains("not both"));
  o.start.clear();
  o.from_step = 3;
  o.drop_off = false;
  CHECK_THROWS_WITH(explore_paths(js, o), Contains("no required step after it"));
}

TEST_CASE("paths on the sample: every step's shares sum to 100 %, links conserve journeys", "[paths]") {
  const EventTable ev = sample_events(20000, 42);
  const JourneySet js = build_journeys(ev.arrays());
  for (const char* start : {"", "paid_search|organic_search"}) {
    for (const char* end : {"", "(conversion)", "website"}) {
      if (!*start && std::string(end) == "website") continue;
      PathExplorerOptions o;
      o.start = start;
      o.end = end;
      o.max_steps = 6;
      o.top = 3;
      const PathExploration p = explore_paths(js, o);
      INFO("start " << start << " end " << end);
      std::map<long, double> share, weight;
      bool merged = false;
      for (const auto& r : p.steps) {
        share[r.step] += r.share;
        weight[r.step] += r.journeys;
        merged = merged || r.key == "(other)";
      }
      CHECK(merged);  // top 3 of 18 touchpoints: the rest is merged, visibly
      for (const auto& [s, x] : share) {
        INFO("step " << s);
        CHECK(x == Approx(1.0).epsilon(1e-12));
        CHECK(weight[s] == Approx(p.journeys).epsilon(1e-12));
      }
      CHECK(p.journeys + p.excluded == Approx(p.all_journeys).epsilon(1e-12));
      // Links conserve journeys: forward, a node's inflow equals its journeys (the first column has none);
      // backward, its outflow does (paths start at different columns, all end at step 0).
      std::map<std::uint32_t, double> in, out;
      for (const auto& l : p.sankey.links) {
        in[l.target] += l.value;
        out[l.source] += l.value;
      }
      std::map<std::pair<long, std::string>, double> node_weight;
      for (const auto& r : p.steps) node_weight[{r.step, r.key}] = r.journeys;
      for (std::uint32_t i = 0; i < p.sankey.nodes.size(); ++i) {
        const auto& n = p.sankey.nodes[i];
        const long step = std::stol(n.name.substr(0, n.name.find('.')));
        const double w = node_weight.at({step, n.key});
        if (!p.backward) CHECK((in.count(i) ? in[i] : out[i]) == Approx(w).epsilon(1e-12));
        else CHECK((out.count(i) ? out[i] : in[i]) == Approx(w).epsilon(1e-12));
      }
      CHECK(sankey_svg(p.sankey).find("<svg") == 0);
    }
  }
  PathExplorerOptions o;
  o.start = "*_ad";
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  CHECK(to_csv(path_step_table(explore_paths(js, o, one))) == to_csv(path_step_table(explore_paths(js, o, two))));
  CHECK(to_csv(path_variant_table(explore_paths(js, o, one))) == to_csv(path_variant_table(explore_paths(js, o, two))));
  CHECK(path_variant_table(explore_paths(js, o)).rows() == 20);
  o.start = "websites";
  CHECK_THROWS_WITH(explore_paths(js, o), Contains("closest: \"website\""));
  o.start = "website";
  o.top = 0;
  CHECK_THROWS_WITH(explore_paths(js, o), Contains("top must be at least 1"));
}
