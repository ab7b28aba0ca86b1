// The journey map on small graphs worked out by hand (the arithmetic is in the comments), plus the
// properties that must hold exactly: what-if equals refitting, determinism across thread counts, and
// well-formed exports.

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <map>
#include <regex>
#include <set>

#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journey_map.hpp"
#include "journeygraph/render.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

constexpr double kTol = 1e-12;

// The hand set T, stages ad = awareness, search = consideration, site = purchase. Times in seconds.
//   J1  ad@0 > search@100 > site@400   1 conversion
//   J2  ad@0 > site@50                 1 conversion, 1 null (weight 2)
//   J3  ad@0 > search@200              1 null
//   J4  search@0 > ad@30 > site@90     1 null
//   J5  site@0                         1 conversion
// Totals: weight 6, conversions 3, nulls 3.
JourneySet hand_set() {
  JourneySetBuilder b(true, TimeUnit::seconds);
  const std::uint32_t ad = b.touchpoint("ad"), search = b.touchpoint("search"), site = b.touchpoint("site");
  auto add = [&](std::vector<std::uint32_t> p, std::vector<std::int64_t> t, double c, double n) {
    b.add(Span<const std::uint32_t>(p), Span<const std::int64_t>(t), c, n, 0.0);
  };
  add({ad, search, site}, {0, 100, 400}, 1, 0);
  add({ad, site}, {0, 50}, 1, 1);
  add({ad, search}, {0, 200}, 0, 1);
  add({search, ad, site}, {0, 30, 90}, 0, 1);
  add({site}, {0}, 1, 0);
  return b.finish();
}

JourneySet hand_set_without_times() {
  JourneySetBuilder b;
  b.add({"a"}, 1, 0);
  return b.finish();
}

StageMap hand_stages() {
  return StageMap({"awareness", "consideration", "purchase"},
                  {{"ad", "awareness"}, {"search", "consideration"}, {"site", "purchase"}});
}

const MapEdge& edge(const JourneyGraph& g, const std::string& from, const std::string& to) {
  auto u = g.find_node(from), v = g.find_node(to);
  REQUIRE(u);
  REQUIRE(v);
  auto e = g.find_edge(*u, *v);
  REQUIRE(e);
  return g.edges()[*e];
}

const PainPoint& pain(const std::vector<PainPoint>& v, const std::string& name) {
  for (const auto& p : v)
    if (p.touchpoint == name) return p;
  FAIL("no pain point " << name);
  return v.front();
}

// P(conversion) of a chain given as a dense row-stochastic matrix over transient states 0..n-1 plus a
// conversion column: solved independently with Eigen (dense LU).
double dense_conversion(const Eigen::MatrixXd& Q, const Eigen::VectorXd& r) {
  const Eigen::Index n = Q.rows();
  Eigen::VectorXd h = (Eigen::MatrixXd::Identity(n, n) - Q).partialPivLu().solve(r);
  return h(0);
}

}  // namespace

TEST_CASE("journey graph of the hand set", "[journey_map][golden]") {
  JourneyGraph g = JourneyGraph::from_journeys(hand_set());
  // Nodes: 0 start, 1 ad, 2 search, 3 site (sorted by name), 4 conversion, 5 null.
  REQUIRE(g.nodes().size() == 6);
  CHECK(g.nodes()[1].name == "ad");
  CHECK(g.nodes()[3].name == "site");
  CHECK(g.nodes()[4].kind == NodeKind::conversion);
  CHECK(g.journeys() == 6);
  // Visits: ad = J1 1 + J2 2 + J3 1 + J4 1 = 5; search = J1 + J3 + J4 = 3; site = J1 + 2 (J2) + J4 + J5 = 5.
  CHECK(g.nodes()[1].visits == 5);
  CHECK(g.nodes()[2].visits == 3);
  CHECK(g.nodes()[3].visits == 5);
  // Conversions of the journeys reaching each: ad J1 + J2 = 2, search J1 = 1, site J1 + J2 + J5 = 3.
  CHECK(g.nodes()[1].conversions == 2);
  CHECK(g.nodes()[2].conversions == 1);
  CHECK(g.nodes()[3].conversions == 3);
  CHECK(g.nodes()[3].journeys == 5);
  // START -> ad 4 of 6; ad -> search 2 of 5, ad -> site 3 of 5; search -> site / ad / null 1 each of 3;
  // site -> conversion 3 of 5, site -> null 2 of 5.
  CHECK(edge(g, "(start)", "ad").count == 4);
  CHECK(std::abs(edge(g, "(start)", "ad").probability - 4.0 / 6) < kTol);
  CHECK(std::abs(edge(g, "ad", "search").probability - 0.4) < kTol);
  CHECK(std::abs(edge(g, "ad", "site").probability - 0.6) < kTol);
  CHECK(std::abs(edge(g, "search", "ad").probability - 1.0 / 3) < kTol);
  CHECK(std::abs(edge(g, "search", "(null)").probability - 1.0 / 3) < kTol);
  CHECK(edge(g, "site", "(conversion)").count == 3);
  CHECK(edge(g, "site", "(null)").count == 2);
  CHECK(g.edges().size() == 10);
  // Times. ad -> search: 100 (J1) and 200 (J3), weight 1 each: mean 150, median (first value with half
  // the weight) 100, p90 200. ad -> site: 50 with weight 2 (J2), 60 (J4): mean (100 + 60) / 3, median 50,
  // p90 (cumulative weight >= 2.7) 60.
  REQUIRE(g.has_timestamps());
  const auto& as = edge(g, "ad", "search").time;
  CHECK(as.count == 2);
  CHECK(as.mean == 150);
  CHECK(as.median == 100);
  CHECK(as.p90 == 200);
  const auto& at = edge(g, "ad", "site").time;
  CHECK(at.count == 3);
  CHECK(std::abs(at.mean - 160.0 / 3) < kTol);
  CHECK(at.median == 50);
  CHECK(at.p90 == 60);
  CHECK(edge(g, "search", "site").time.median == 300);
  CHECK(edge(g, "(start)", "ad").time.count == 0);
  // Breadth-first depths from START: touchpoints 1, outcomes 2.
  const auto d = g.depths();
  CHECK(d == std::vector<std::uint32_t>{0, 1, 1, 1, 2, 2});
}

TEST_CASE("journey graph implied by the model", "[journey_map][golden]") {
  MarkovModel m = MarkovModel::fit(hand_set());
  JourneyGraph g = JourneyGraph::from_model(m);
  // Expected visits x (x^T (I - Q) = e_start^T): x_ad = 4/6 + x_search / 3, x_search = 1/6 + 2/5 x_ad,
  // so x_ad = 5/6, x_search = 1/2, x_site = 1/6 + 3/5 x_ad + 1/3 x_search = 5/6; times 6 journeys.
  CHECK(std::abs(g.nodes()[1].visits - 5) < kTol);
  CHECK(std::abs(g.nodes()[2].visits - 3) < kTol);
  CHECK(std::abs(g.nodes()[3].visits - 5) < kTol);
  // P(reach ad) = 4/6 + 1/6 * 1/3 = 13/18; P(reach search) = 4/6 * 2/5 + 1/6 = 13/30;
  // P(reach site) = 1 - P(absorbed unconverted before site) = 4/6 * 11/13 + 1/6 * 8/13 + 1/6 = 5/6.
  CHECK(std::abs(g.nodes()[1].journeys - 6 * 13.0 / 18) < kTol);
  CHECK(std::abs(g.nodes()[2].journeys - 6 * 13.0 / 30) < kTol);
  CHECK(std::abs(g.nodes()[3].journeys - 5) < kTol);
  // Every conversion passes site: 6 * 5/6 * 3/5 = 3. Through ad: 6 * (4/6 * h_ad + 1/6 * 1/3 * h_ad),
  // h_ad = 33/65 (see the pain-point case).
  CHECK(std::abs(g.nodes()[3].conversions - 3) < kTol);
  CHECK(std::abs(g.nodes()[1].conversions - 6 * 13.0 / 18 * 33.0 / 65) < kTol);
  CHECK(std::abs(edge(g, "ad", "site").probability - 0.6) < kTol);
  CHECK(edge(g, "ad", "site").count == 3);
  CHECK(!g.has_timestamps());
}

TEST_CASE("funnel of the hand set", "[journey_map][golden]") {
  JourneyMap map(hand_set(), hand_stages());
  Funnel f = map.funnel();
  REQUIRE(f.rows.size() == 3);
  const FunnelStage &aw = f.rows[0], &co = f.rows[1], &pu = f.rows[2];
  // Stage sequences: J1 0,1,2 (w1 c1); J2 0,2 (w2: c1 n1); J3 0,1 (n1); J4 1,0,2 (n1); J5 2 (c1).
  // Awareness: reached by J1, J2, J3, J4 = 5; all of them touch a later stage afterwards.
  CHECK(aw.journeys == 5);
  CHECK(aw.entered_first == 4);
  CHECK(aw.advanced == 5);
  CHECK(aw.converted == 0);
  CHECK(aw.dropped == 0);
  CHECK(aw.conversions == 2);
  // Consideration: J1 (advances), J3 (drops), J4 (first at step 1, purchase follows: advances).
  CHECK(co.journeys == 3);
  CHECK(co.entered_first == 1);
  CHECK(co.advanced == 2);
  CHECK(co.converted == 0);
  CHECK(co.dropped == 1);
  // Purchase: J1 (c), J2 (c1 n1), J4 (n), J5 (c) = 5: converted 3, dropped 2.
  CHECK(pu.journeys == 5);
  CHECK(pu.converted == 3);
  CHECK(pu.dropped == 2);
  CHECK(pu.advanced == 0);
  for (const auto& r : f.rows) CHECK(r.advanced + r.converted + r.dropped == r.journeys);
  // Moves: J1 0->1, 1->2; J2 0->2 (skips consideration, weight 2); J3 0->1; J4 1->0 (back), 0->2 (skip).
  CHECK(aw.moves_forward == 2);
  CHECK(aw.moves_skipping == 3);
  CHECK(aw.moves_backward == 0);
  CHECK(co.moves_forward == 1);
  CHECK(co.moves_backward == 1);
  CHECK(co.skipped_over == 3);
  CHECK(aw.skipped_over == 0);
  CHECK(pu.skipped_over == 0);  // J4's backward move from consideration to awareness jumps over nothing
  // Stage to stage. Consideration after awareness: J1 (search@100 after ad@0) and J3 (search@200 after
  // ad@0); J4's search comes before its ad. 2 of the 5 that reached awareness; times 100 and 200.
  // Purchase after consideration: J1 (site@400 after search@100: 300) and J4 (site@90 after search@0: 90),
  // 2 of 3. Weighted median: the first time whose cumulative weight reaches half the total.
  CHECK(std::isnan(aw.step_rate));
  CHECK(aw.from_previous == 0);
  CHECK(aw.time_from_previous.count == 0);
  CHECK(co.from_previous == 2);
  CHECK(co.step_rate == Approx(2.0 / 5).epsilon(1e-15));
  CHECK(co.time_from_previous.count == 2);
  CHECK(co.time_from_previous.median == 100);
  CHECK(co.time_from_previous.mean == 150);
  CHECK(pu.from_previous == 2);
  CHECK(pu.step_rate == Approx(2.0 / 3).epsilon(1e-15));
  CHECK(pu.time_from_previous.median == 90);
  CHECK(pu.time_from_previous.mean == 195);
  // No journey here follows a conversion: the first-purchase funnel is all of them.
  CHECK(f.counted == FunnelJourneys::first);
  CHECK(f.left_out == 0);
  CHECK(f.journeys == 6);
  // Flow matrix: rows start, awareness, consideration, purchase; columns the stages, conversion, null.
  CHECK(f.flow_between(-1, 0) == 4);
  CHECK(f.flow_between(-1, 1) == 1);
  CHECK(f.flow_between(-1, 2) == 1);
  CHECK(f.flow_between(0, 1) == 2);
  CHECK(f.flow_between(0, 2) == 3);
  CHECK(f.flow_between(1, 0) == 1);
  CHECK(f.flow_between(1, 2) == 1);
  CHECK(f.flow_between(1, 4) == 1);  // J3 ends in consideration without converting
  CHECK(f.flow_between(2, 3) == 3);
  CHECK(f.flow_between(2, 4) == 2);
  CHECK(f.flow_between(0, 0) == 0);
  double total = 0;
  for (double x : f.flow) total += x;
  CHECK(total == 6 + 7 + 6);  // first touches + moves (J1 2, J2 1 of weight 2, J3 1, J4 2) + endings
  // Time in stage (completed runs only): awareness 100 (J1), 50 (J2, weight 2), 200 (J3), 60 (J4):
  // mean 460 / 5 = 92, median (cumulative weight >= 2.5) 60, p90 (>= 4.5) 200. Consideration: 300 (J1),
  // 30 (J4): mean 165, median 30. Purchase runs all end their journeys: none.
  CHECK(aw.time_in_stage.count == 5);
  CHECK(aw.time_in_stage.mean == 92);
  CHECK(aw.time_in_stage.median == 60);
  CHECK(aw.time_in_stage.p90 == 200);
  CHECK(co.time_in_stage.mean == 165);
  CHECK(co.time_in_stage.median == 30);
  CHECK(pu.time_in_stage.count == 0);
  // The table view says the same.
  DataTable t = funnel_table(f);
  CHECK(t.rows() == 3);
  CHECK(std::get<std::vector<double>>(t.columns[*t.find("dropped_share")])[1] == Approx(1.0 / 3));
  CHECK(std::get<std::vector<double>>(t.columns[*t.find("step_rate")])[2] == Approx(2.0 / 3));
  CHECK(std::isnan(std::get<std::vector<double>>(t.columns[*t.find("time_from_previous_median_s")])[0]));
  CHECK(std::get<std::vector<double>>(t.columns[*t.find("time_from_previous_median_s")])[2] == 90);
  for (const ColumnNote& n : funnel_notes(f)) CHECK(!n.definition.empty());
  CHECK(flow_table(f).rows() == 10);  // the non-zero entries: 3 + 2 + 3 + 2
}

TEST_CASE("repeat journeys: flagged by the builder, in their own funnel or left out", "[journey_map][golden]") {
  // Stages: ad awareness, search consideration, site purchase, email retention. Events (id, time, touch,
  // conversion):
  //   id 1: ad@0, search@10, site@20 (converts), email@30, email@40, site@50 (converts)
  //   id 2: ad@0, site@5
  //   id 3: email@0
  // Split at conversions: A1 = ad > search > site (first), A2 = email > email > site (follows A1's
  // conversion), B = ad > site, C = email (first journeys both, although C starts in retention).
  const std::vector<std::int64_t> id = {1, 1, 1, 1, 1, 1, 2, 2, 3};
  const std::vector<std::int64_t> time = {0, 10, 20, 30, 40, 50, 0, 5, 0};
  const std::vector<std::int32_t> touch = {0, 1, 2, 3, 3, 2, 0, 2, 3};
  const std::vector<std::uint8_t> conversion = {0, 0, 1, 0, 0, 1, 0, 0, 0};
  EventArrays ev;
  ev.journey = Span<const std::int64_t>(id);
  ev.time = Span<const std::int64_t>(time);
  ev.touchpoint = Span<const std::int32_t>(touch);
  ev.touchpoint_names = {"ad", "search", "site", "email"};
  ev.conversion = Span<const std::uint8_t>(conversion);
  const JourneySet js = build_journeys(ev);
  REQUIRE(js.size() == 4);
  CHECK(js.has_repeat_journeys());
  CHECK(!js.follows_conversion(0));
  CHECK(js.follows_conversion(1));
  CHECK(!js.follows_conversion(2));
  CHECK(!js.follows_conversion(3));
  // Subsets keep the flag.
  CHECK(js.slice(1, 2).follows_conversion(0));
  CHECK(!js.slice(2, 2).has_repeat_journeys());
  const StageMap stages({"awareness", "consideration", "purchase", "retention"},
                        {{"ad", "awareness"}, {"search", "consideration"}, {"site", "purchase"}, {"email", "retention"}});
  JourneyMap map(js, stages);
  // First journeys (the default): A1, B, C. Awareness A1, B; consideration A1; purchase A1, B; retention C.
  const Funnel first = map.funnel();
  CHECK(first.counted == FunnelJourneys::first);
  CHECK(first.journeys == 3);
  CHECK(first.left_out == 1);
  CHECK(first.rows[0].journeys == 2);
  CHECK(first.rows[1].journeys == 1);
  CHECK(first.rows[2].journeys == 2);
  CHECK(first.rows[2].from_previous == 1);  // A1: site after search
  CHECK(first.rows[3].journeys == 1);
  CHECK(first.rows[3].entered_first == 1);
  // The repeat funnel: A2 alone, entering at retention and buying again.
  const Funnel repeat = map.funnel(FunnelOptions{FunnelJourneys::repeat});
  CHECK(repeat.journeys == 1);
  CHECK(repeat.left_out == 3);
  CHECK(repeat.rows[0].journeys == 0);
  CHECK(repeat.rows[2].journeys == 1);
  CHECK(repeat.rows[2].converted == 1);
  CHECK(repeat.rows[3].journeys == 1);
  CHECK(repeat.rows[3].entered_first == 1);
  CHECK(std::isnan(repeat.rows[1].step_rate));  // no repeat journey reached awareness
  // Together: the former funnel.
  const Funnel all = map.funnel(FunnelOptions{FunnelJourneys::all});
  CHECK(all.journeys == 4);
  CHECK(all.left_out == 0);
  for (std::size_t s = 0; s < 4; ++s) CHECK(all.rows[s].journeys == first.rows[s].journeys + repeat.rows[s].journeys);
  CHECK(funnel_notes(first)[0].definition.find("1 journeys that began after a conversion are left out") !=
        std::string::npos);
  CHECK(parse_funnel_journeys("repeat") == FunnelJourneys::repeat);
  CHECK_THROWS_WITH(parse_funnel_journeys("second"), Contains("first, repeat, all"));
  // Without a split at conversion, a part after an inactivity gap that follows a converted part is a
  // repeat journey too; the part before keeps its own conversion.
  JourneyOptions o;
  o.split_on_conversion = false;
  o.gap = 25;
  const JourneySet together = build_journeys(ev, o);  // no silence above 25: id 1 is one journey
  REQUIRE(together.size() == 3);
  CHECK(together.conversions(0) == 2);
  CHECK(!together.has_repeat_journeys());
  const std::vector<std::int64_t> time2 = {0, 10, 20, 100, 110, 120, 0, 5, 0};
  ev.time = Span<const std::int64_t>(time2);
  const JourneySet gapped2 = build_journeys(ev, o);
  REQUIRE(gapped2.size() == 4);
  CHECK(gapped2.conversions(0) == 1);
  CHECK(!gapped2.follows_conversion(0));
  CHECK(gapped2.follows_conversion(1));
  CHECK(gapped2.conversions(1) == 1);
}

TEST_CASE("pain points of the hand set", "[journey_map][golden]") {
  JourneyMap map(hand_set(), hand_stages());
  // Absorption h: h_site = 3/5; h_search = 1/3 h_site + 1/3 h_ad; h_ad = 2/5 h_search + 3/5 h_site, so
  // h_ad = 33/65 and h_search = 24/65. P(conversion) = 4/6 h_ad + 1/6 h_search + 1/6 * 3/5 = 1/2.
  CHECK(std::abs(map.model().conversion_probability() - 0.5) < kTol);
  CHECK(std::abs(map.absorption()[0] - 0.5) < kTol);
  auto pp = map.pain_points();
  REQUIRE(pp.size() == 3);
  const PainPoint &ad = pain(pp, "ad"), &search = pain(pp, "search"), &site = pain(pp, "site");
  CHECK(ad.unconverted_exit_share == 0);
  CHECK(std::abs(search.unconverted_exit_share - 1.0 / 3) < kTol);
  CHECK(std::abs(site.unconverted_exit_share - 0.4) < kTol);
  CHECK(site.exit_rate == site.unconverted_exit_share);  // the former name, kept for one version
  CHECK(std::abs(ad.conversion_probability - 33.0 / 65) < kTol);
  CHECK(std::abs(search.conversion_probability - 24.0 / 65) < kTol);
  CHECK(std::abs(site.conversion_probability - 0.6) < kTol);
  // Drop-offs = journeys x visits x P(null): search 6 * 1/2 * 1/3 = 1, site 6 * 5/6 * 2/5 = 2.
  CHECK(std::abs(search.drop_offs - 1) < kTol);
  CHECK(std::abs(site.drop_offs - 2) < kTol);
  CHECK(search.exits == 1);
  CHECK(site.exits == 2);
  // Removal: without ad, P = 1/6 * (1/3 * 3/5) + 1/6 * 3/5 = 2/15, RE = 1 - (2/15) / (1/2) = 11/15.
  // Without search, P = 4/6 * 9/25 + 1/10 = 17/50, RE = 0.32. Without site, 1. RE x total conversions
  // (2.2 + 0.96 + 3 = 6.16) would claim twice the 3 conversions; the additive figure is each removal
  // effect's share of their sum 154/75 times 3: ad 165/154, search 72/154, site 225/154 (sum 3).
  CHECK(std::abs(ad.removal_effect - 11.0 / 15) < kTol);
  CHECK(std::abs(search.removal_effect - 0.32) < kTol);
  CHECK(std::abs(site.removal_effect - 1) < kTol);
  CHECK(std::abs(ad.conversions_at_risk - 165.0 / 154) < kTol);
  CHECK(std::abs(search.conversions_at_risk - 72.0 / 154) < kTol);
  CHECK(std::abs(site.conversions_at_risk - 225.0 / 154) < kTol);
  CHECK(std::abs(ad.conversions_at_risk + search.conversions_at_risk + site.conversions_at_risk - 3) < kTol);
  CHECK(ad.journeys == 5);
  CHECK(search.journeys == 3);
  // Ranked by drop-offs: site 2, search 1, ad 0.
  CHECK(pp[0].touchpoint == "site");
  CHECK(pp[1].touchpoint == "search");
  CHECK(pp[2].touchpoint == "ad");
  CHECK(pp[0].rank == 1);
  CHECK(pp[0].stage == 2);
  // Other rankings; small samples go last.
  auto by_risk = map.pain_points({PainRanking::conversions_at_risk, 0});
  CHECK(by_risk[0].touchpoint == "site");
  CHECK(by_risk[1].touchpoint == "ad");
  auto by_exit = map.pain_points({PainRanking::unconverted_exit_share, 0});
  CHECK(by_exit[0].touchpoint == "site");
  CHECK(by_exit[1].touchpoint == "search");
  auto by_conv = map.pain_points({PainRanking::conversion_probability, 0});
  CHECK(by_conv[0].touchpoint == "search");  // 24/65 is the lowest
  auto small = map.pain_points({PainRanking::drop_offs, 4});
  CHECK(small[0].touchpoint == "site");
  CHECK(small[1].touchpoint == "ad");
  CHECK(small[2].touchpoint == "search");
  CHECK(small[2].small_sample);
  CHECK(parse_pain_ranking("unconverted_exit_share") == PainRanking::unconverted_exit_share);
  CHECK(parse_pain_ranking("conversions_at_risk") == PainRanking::conversions_at_risk);
  CHECK(parse_pain_ranking("exit_rate") == PainRanking::unconverted_exit_share);  // former names
  CHECK(parse_pain_ranking("lost_conversions") == PainRanking::conversions_at_risk);
  CHECK(std::string(pain_ranking_name(PainRanking::exit_rate)) == "unconverted_exit_share");
  CHECK_THROWS_WITH(parse_pain_ranking("worst"), Contains("drop_offs"));
  DataTable t = pain_point_table(pp, map.stages().stages());
  CHECK(std::get<std::vector<std::string>>(t.columns[*t.find("stage")])[0] == "purchase");
  CHECK(!t.find("exit_rate"));
  CHECK(!t.find("lost_conversions"));
  CHECK(std::get<std::vector<double>>(t.columns[*t.find("conversions_at_risk")])[0] == site.conversions_at_risk);
  // Every column that needs a definition has one, in one line.
  for (const ColumnNote& n : pain_point_notes()) {
    CHECK(t.find(n.column));
    CHECK(n.definition.find('\n') == std::string::npos);
  }
}

TEST_CASE("pain points on the sample: conversions at risk add up to at most the conversions",
          "[journey_map]") {
  const JourneySet js = build_journeys(sample_events(4000, 5).arrays());
  JourneyMap map(js, sample_stage_map());
  double at_risk = 0, lost = 0;
  for (const PainPoint& p : map.pain_points()) {
    CHECK(p.conversions_at_risk >= 0);
    at_risk += p.conversions_at_risk;
    lost += p.lost_conversions;
  }
  CHECK(at_risk <= js.total_conversions() * (1 + 1e-12));
  CHECK(at_risk == Approx(js.total_conversions()).epsilon(1e-12));
  CHECK(lost > 1.5 * js.total_conversions());  // what the former column claimed
}

TEST_CASE("pain points agree with a dense solve at order 2", "[journey_map]") {
  // Order 2 with smoothing: h from the map's transposed sparse solve against an independent dense solve.
  MapOptions o;
  o.model.order = 2;
  o.model.smoothing = 0.5;
  JourneyMap map(hand_set(), {}, o);
  const MarkovModel& m = map.model();
  const std::size_t n = m.n_states();
  Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(Eigen::Index(n), Eigen::Index(n));
  Eigen::VectorXd r = Eigen::VectorXd::Zero(Eigen::Index(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t q = m.row_offsets()[i]; q < m.row_offsets()[i + 1]; ++q) {
      if (m.columns()[q] < n) Q(Eigen::Index(i), Eigen::Index(m.columns()[q])) += m.probabilities()[q];
      else if (m.columns()[q] == n) r(Eigen::Index(i)) += m.probabilities()[q];
    }
  Eigen::VectorXd h = (Eigen::MatrixXd::Identity(Eigen::Index(n), Eigen::Index(n)) - Q).partialPivLu().solve(r);
  for (std::size_t i = 0; i < n; ++i) CHECK(std::abs(map.absorption()[i] - h(Eigen::Index(i))) < 1e-12);
  CHECK(std::abs(h(0) - m.conversion_probability()) < 1e-12);
}

TEST_CASE("paths of the hand set", "[journey_map][golden]") {
  JourneyMap map(hand_set());
  PathAnalysis p = map.paths({10, 10});
  CHECK(p.distinct_paths == 5);
  CHECK(p.journeys == 6);
  REQUIRE(p.variants.size() == 5);
  // ad > site has weight 2; the others 1 each, in order of first appearance.
  CHECK(p.variants[0].touchpoints == std::vector<std::string>{"ad", "site"});
  CHECK(p.variants[0].journeys == 2);
  CHECK(p.variants[0].conversion_rate == 0.5);
  CHECK(std::abs(p.variants[0].share - 2.0 / 6) < kTol);
  CHECK(p.variants[1].touchpoints == std::vector<std::string>{"ad", "search", "site"});
  CHECK(std::abs(p.variants[1].cumulative_share - 0.5) < kTol);
  CHECK(p.variants[4].touchpoints == std::vector<std::string>{"site"});
  CHECK(std::abs(p.variants[4].cumulative_share - 1) < kTol);
  // Lengths: 1 -> J5 (1, 1 conv); 2 -> J2 + J3 (3, 1 conv); 3 -> J1 + J4 (2, 1 conv).
  REQUIRE(p.lengths.size() == 3);
  CHECK(p.lengths[0].length == 1);
  CHECK(p.lengths[1].journeys == 3);
  CHECK(p.lengths[2].conversions == 1);
  // Time to conversion, weighted by conversions: 400 (J1), 50 (J2), 0 (J5): mean 150, median 50, p90 400.
  CHECK(p.time_to_conversion.count == 3);
  CHECK(p.time_to_conversion.mean == 150);
  CHECK(p.time_to_conversion.median == 50);
  CHECK(p.time_to_conversion.p90 == 400);
  REQUIRE(p.time_to_conversion_bins.size() == 8);
  CHECK(p.time_to_conversion_bins[0].weight == 3);
  // Loop-free START -> CONVERSION paths of the chain and their probabilities:
  //   ad > site 2/3 * 3/5 * 3/5 = 6/25; site 1/6 * 3/5 = 1/10; ad > search > site 2/3 * 2/5 * 1/3 * 3/5
  //   = 4/75; search > site 1/6 * 1/3 * 3/5 = 1/30; search > ad > site 1/6 * 1/3 * 3/5 * 3/5 = 1/50.
  REQUIRE(p.most_probable.size() == 5);
  const std::vector<std::pair<std::vector<std::string>, double>> want = {
      {{"ad", "site"}, 6.0 / 25}, {{"site"}, 0.1}, {{"ad", "search", "site"}, 4.0 / 75},
      {{"search", "site"}, 1.0 / 30}, {{"search", "ad", "site"}, 1.0 / 50}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(p.most_probable[i].touchpoints == want[i].first);
    CHECK(std::abs(p.most_probable[i].probability - want[i].second) < kTol);
  }
  CHECK(map.paths({2, 3}).most_probable.size() == 3);
  CHECK(map.paths({2, 0}).variants.size() == 2);
  CHECK(map.paths({0, 0}).variants.size() == 5);
}

TEST_CASE("most probable paths at order 2 unroll the states", "[journey_map]") {
  JourneySetBuilder b;
  b.add({"a", "b", "c"}, 3, 1);
  b.add({"a", "c"}, 1, 1);
  MapOptions o;
  o.model.order = 2;
  JourneyMap map(b.finish(), {}, o);
  // States (a,b), (b,c), (a,c): START -> (a,b) 4/6, (a,b) -> (b,c) 1, (b,c) -> conv 3/4;
  // START -> (a,c) 2/6, (a,c) -> conv 1/2. Paths: a > b > c 2/3 * 3/4 = 1/2; a > c 1/3 * 1/2 = 1/6.
  PathAnalysis p = map.paths({5, 5});
  REQUIRE(p.most_probable.size() == 2);
  CHECK(p.most_probable[0].touchpoints == std::vector<std::string>{"a", "b", "c"});
  CHECK(p.most_probable[0].states == std::vector<std::string>{"a > b", "b > c"});
  CHECK(std::abs(p.most_probable[0].probability - 0.5) < kTol);
  CHECK(std::abs(p.most_probable[1].probability - 1.0 / 6) < kTol);
}

TEST_CASE("what-if by hand and against refitting the edited chain", "[journey_map][golden][what_if]") {
  // R: every journey starts at a, and b, c, d are reached only from a, so scaling the journeys through one
  // edge of a changes row a alone.
  //   a > b 3 conv, 1 null; a > b > d 1, 1; a > c 1, 3; a 0, 2.
  //   Row a: b 6, c 4, null 2 (of 12); b: conv 3, null 1, d 2; d: conv 1, null 1; c: conv 1, null 3.
  //   P = 1/2 (1/2 + 1/3 * 1/2) + 1/3 * 1/4 = 5/12.
  auto paths = [](double fb, double fo, bool with_c) {
    JourneySetBuilder b;
    b.add({"a", "b"}, 3 * fb, 1 * fb);
    b.add({"a", "b", "d"}, 1 * fb, 1 * fb);
    if (with_c) b.add({"a", "c"}, 1 * fo, 3 * fo);
    b.add({"a"}, 0, 2 * fo + (with_c ? 0 : 4));
    return b.finish();
  };
  MarkovModel m = MarkovModel::fit(paths(1, 1, true));
  CHECK(std::abs(m.conversion_probability() - 5.0 / 12) < kTol);

  SECTION("set a probability") {
    // P(a -> b) = 1/4: a -> c becomes 1/3 * (3/4) / (1/2) = 1/2, a -> null 1/4: P = 1/4 * 2/3 + 1/2 * 1/4 = 7/24.
    WhatIfResult r = what_if(m, {WhatIfEdit::set("a", "b", 0.25)});
    CHECK(std::abs(r.conversion_probability - 7.0 / 24) < kTol);
    CHECK(std::abs(r.conversion_probability_before - 5.0 / 12) < kTol);
    CHECK(std::abs(r.expected_conversions - 12 * 7.0 / 24) < 1e-11);
    // Refit: the b journeys once and the others three times give row a = b 6, c 12, null 6.
    MarkovModel refit = MarkovModel::fit(paths(1, 3, true));
    CHECK(std::abs(r.conversion_probability - refit.conversion_probability()) < kTol);
  }
  SECTION("remove an edge") {
    // Without a -> b, row a is c 2/3, null 1/3: P = 2/3 * 1/4 = 1/6; the refit drops the b journeys.
    WhatIfResult r = what_if(m, {WhatIfEdit::remove_edge("a", "b")});
    CHECK(std::abs(r.conversion_probability - 1.0 / 6) < kTol);
    MarkovModel refit = MarkovModel::fit(paths(0, 1, true));
    CHECK(std::abs(r.conversion_probability - refit.conversion_probability()) < kTol);
    CHECK(std::abs(what_if(m, {WhatIfEdit::set("a", "b", 0)}).conversion_probability - 1.0 / 6) < kTol);
  }
  SECTION("remove a touchpoint") {
    // c's share goes to null: row a = b 1/2, null 1/2, P = 1/2 * 2/3 = 1/3; the refit turns a > c into a.
    WhatIfResult r = what_if(m, {WhatIfEdit::remove_touchpoint("c")});
    CHECK(std::abs(r.conversion_probability - 1.0 / 3) < kTol);
    MarkovModel refit = MarkovModel::fit(paths(1, 1, false));
    CHECK(std::abs(r.conversion_probability - refit.conversion_probability()) < kTol);
    RemovalEffects re = removal_effects(m);
    CHECK(std::abs(r.conversion_probability - re.conversion_probability_without[2]) < kTol);
  }
  SECTION("edits that leave a row empty or add an absorbing edge") {
    // b -> conversion set to 1: b converts always, P = 1/2 * 1 + 1/3 * 1/4 = 7/12.
    CHECK(std::abs(what_if(m, {WhatIfEdit::set("b", "(conversion)", 1)}).conversion_probability - 7.0 / 12) < kTol);
    // c's row loses its conversion edge: it all goes to null. P = 1/2 * 2/3 = 1/3.
    CHECK(std::abs(what_if(m, {WhatIfEdit::remove_edge("c", "(conversion)")}).conversion_probability - 1.0 / 3) < kTol);
    // Several edits apply in order.
    auto r = what_if(m, {WhatIfEdit::set("a", "b", 0.25), WhatIfEdit::remove_touchpoint("c")});
    CHECK(std::abs(r.conversion_probability - 0.25 * 2.0 / 3) < kTol);
  }
  SECTION("errors") {
    CHECK_THROWS_AS(what_if(m, {WhatIfEdit::set("a", "zz", 0.5)}), InvalidArgument);
    CHECK_THROWS_WITH(what_if(m, {WhatIfEdit::set("a", "b", 1.5)}), Contains("[0, 1]"));
    CHECK_THROWS_WITH(what_if(m, {WhatIfEdit::set("(null)", "a", 0.5)}), Contains("absorbing"));
    CHECK_THROWS_WITH(what_if(m, {WhatIfEdit::set("a", "(start)", 0.5)}), Contains("(start)"));
    CHECK_THROWS_WITH(what_if(m, {WhatIfEdit::remove_edge("b", "c")}), Contains("no transition"));
    CHECK_THROWS_WITH(what_if(m, {WhatIfEdit::remove_touchpoint("q")}), Contains("no touchpoint"));
    CHECK_THROWS_AS(what_if(MarkovModel(), {}), StateError);
  }
}

TEST_CASE("what-if equals a dense solve of the edited chain", "[journey_map][what_if]") {
  // A cyclic chain from the sample: edit the heaviest touchpoint edge and compare with Eigen.
  JourneySet js = build_journeys(sample_events(400, 7).arrays());
  MarkovModel m = MarkovModel::fit(js);
  const std::size_t n = m.n_states();
  // Pick state 1's largest touchpoint transition.
  std::uint64_t best = m.row_offsets()[1];
  for (std::uint64_t q = m.row_offsets()[1]; q < m.row_offsets()[2]; ++q)
    if (m.columns()[q] < n && (m.columns()[best] >= n || m.probabilities()[q] > m.probabilities()[best])) best = q;
  REQUIRE(m.columns()[best] < n);
  const double p_new = 0.05;
  WhatIfResult r = what_if(m, {WhatIfEdit::set(m.state_name(1), m.state_name(m.columns()[best]), p_new)});
  Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(Eigen::Index(n), Eigen::Index(n));
  Eigen::VectorXd rv = Eigen::VectorXd::Zero(Eigen::Index(n));
  for (std::size_t i = 0; i < n; ++i) {
    const double p_old = i == 1 ? m.probabilities()[best] : 0;
    for (std::uint64_t q = m.row_offsets()[i]; q < m.row_offsets()[i + 1]; ++q) {
      double p = m.probabilities()[q];
      if (i == 1) p = q == best ? p_new : p * (1 - p_new) / (1 - p_old);
      if (m.columns()[q] < n) Q(Eigen::Index(i), Eigen::Index(m.columns()[q])) += p;
      else if (m.columns()[q] == n) rv(Eigen::Index(i)) += p;
    }
  }
  CHECK(std::abs(r.conversion_probability - dense_conversion(Q, rv)) < 1e-12);
  CHECK(r.max_residual < 1e-12);
}

TEST_CASE("stages from CSV and their errors", "[journey_map][stages]") {
  StageMap s = parse_stages_csv("touchpoint,stage\nad,awareness\nsearch, consideration\nsite,purchase\n", "s.csv");
  CHECK(s.stages() == std::vector<std::string>{"awareness", "consideration", "purchase"});
  CHECK(s.stage_of("search") == 1u);
  CHECK(!s.stage_of("email"));
  CHECK(s.source() == "s.csv");
  StageCsvOptions o;
  o.order = {"purchase", "awareness", "consideration"};
  CHECK(parse_stages_csv("stage,touchpoint\nawareness,ad\n", "s.csv", o).stage_of("ad") == 1u);
  // An unknown stage names file, line, column, field and value.
  try {
    parse_stages_csv("touchpoint,stage\nad,awareness\nsearch,consideraton\n", "stages.csv",
                     StageCsvOptions{{}, "touchpoint", "stage", {"awareness", "consideration"}});
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.file() == "stages.csv");
    CHECK(e.line() == 3);
    CHECK(e.column() == 8);
    CHECK(e.field() == "stage");
    CHECK(e.value() == "consideraton");
    CHECK_THAT(e.what(), Contains("stages.csv:3:8") && Contains("unknown stage") && Contains("awareness, consideration"));
  }
  CHECK_THROWS_WITH(parse_stages_csv("touchpoint,stage\nad,a\nad,b\n", "x.csv"), Contains("x.csv:3:4") && Contains("line 2"));
  CHECK_THROWS_WITH(parse_stages_csv("touchpoint,phase\nad,a\n", "x.csv"), Contains("missing column 'stage'"));
  CHECK_THROWS_WITH(parse_stages_csv("touchpoint,stage\nad,\n", "x.csv"), Contains("x.csv:2:4") && Contains("empty stage"));
  CHECK_THROWS_WITH(parse_stages_csv("touchpoint,stage\nad\n", "x.csv"), Contains("x.csv:2"));
  CHECK_THROWS_AS(parse_stages_csv("touchpoint,stage\n", "x.csv"), DataError);
  CHECK_THROWS_AS(parse_stages_csv("touchpoint,stage\n\"ad,a\n", "x.csv"), ParseError);
  CHECK_THROWS_AS(read_stages_csv("/nonexistent/stages.csv"), IoError);
  CHECK_THROWS_WITH(StageMap({"a", "a"}), Contains("twice"));
  StageMap m({"a", "b"});
  CHECK_THROWS_WITH(m.assign("x", "c"), Contains("unknown stage") && Contains("a, b"));
  m.assign("x", "a");
  m.assign("x", "a");
  CHECK_THROWS_WITH(m.assign("x", "b"), Contains("cannot also be"));
  CHECK(sample_stage_map().size() == 5);
}

TEST_CASE("a touchpoint without a stage is an error unless other is named", "[journey_map][stages]") {
  StageMap partial({"awareness", "purchase"}, {{"ad", "awareness"}, {"site", "purchase"}});
  partial.set_source("stages.csv");
  CHECK_THROWS_WITH(JourneyMap(hand_set(), partial), Contains("\"search\" has no stage in stages.csv"));
  MapOptions o;
  o.other_stage = "other";
  JourneyMap map(hand_set(), partial, o);
  CHECK(map.stages().stages() == std::vector<std::string>{"awareness", "purchase", "other"});
  CHECK(map.graph().nodes()[2].stage == 2);
  o.other_stage = "awareness";
  JourneyMap map2(hand_set(), partial, o);
  CHECK(map2.stages().size() == 2);
  CHECK(map2.funnel().rows[0].journeys == 5);  // ad and search journeys: J1, J2, J3, J4
  CHECK_THROWS_AS(JourneyMap(hand_set()).funnel(), StateError);
  CHECK_THROWS_AS(JourneyMap(hand_set(), {}, o), InvalidArgument);
}

TEST_CASE("sankey step flows of the hand set", "[journey_map][golden]") {
  JourneyMap map(hand_set(), hand_stages());
  SankeyData s = map.sankey({true, 6});
  auto value = [&](const std::string& from, const std::string& to) {
    for (const auto& l : s.links)
      if (s.nodes[l.source].name == from && s.nodes[l.target].name == to) return l.value;
    return 0.0;
  };
  // Runs: J1 aw, co, pu (c); J2 aw, pu (c1 n1, weight 2); J3 aw, co (n); J4 co, aw, pu (n); J5 pu (c).
  CHECK(value("1. awareness", "2. consideration") == 2);
  CHECK(value("1. awareness", "2. purchase") == 2);
  CHECK(value("1. consideration", "2. awareness") == 1);
  CHECK(value("1. purchase", "2. (conversion)") == 1);
  CHECK(value("2. purchase", "3. (conversion)") == 1);
  CHECK(value("2. purchase", "3. (null)") == 1);
  CHECK(value("2. consideration", "3. (null)") == 1);
  CHECK(value("3. purchase", "4. (conversion)") == 1);
  CHECK(value("3. purchase", "4. (null)") == 1);
  CHECK(s.links.size() == 11);
  SankeyData cut = map.sankey({true, 2});
  double cont = 0;
  for (const auto& l : cut.links)
    if (cut.nodes[l.target].key == "(continues)") cont += l.value;
  CHECK(cont == 2);  // J1 and J4 have three runs
  SankeyData by_tp = map.sankey({false, 6});
  CHECK(by_tp.nodes[0].name == "1. ad");
  CHECK_THROWS_AS(map.sankey({true, 0}), InvalidArgument);
  CHECK_THROWS_AS(JourneyMap(hand_set()).sankey({true, 3}), StateError);
  auto j = nlohmann::json::parse(to_json(s));
  CHECK(j["links"].size() == 11);
  CHECK(j["nodes"][0]["step"] == 1);
}

TEST_CASE("comparing two fits", "[journey_map][golden][compare]") {
  auto make = [](double conv, double nul) {
    JourneySetBuilder b;
    b.add({"x"}, conv, nul);
    return JourneyMap(b.finish());
  };
  // x -> conversion 20 of 100 against 40 of 100: pooled 0.3, se = sqrt(0.3 * 0.7 * (1/100 + 1/100))
  // = 0.0648074, z = 0.2 / se = 3.0861, two-sided p = erfc(z / sqrt 2) = 0.002028. Three transitions
  // are tested (start -> x has p 1), so Holm multiplies the smallest p by 3 and the next by 2.
  Comparison c = compare(make(20, 80), make(40, 60), {0.05, "mobile", "desktop"});
  REQUIRE(c.transitions.size() == 3);
  const double z = 0.2 / std::sqrt(0.3 * 0.7 * 0.02);
  CHECK(std::abs(z - 3.0860669992418384) < 1e-12);
  const TransitionChange* conv = nullptr;
  for (const auto& t : c.transitions)
    if (t.to == "(conversion)") conv = &t;
  REQUIRE(conv);
  CHECK(conv->p_a == 0.2);
  CHECK(conv->p_b == 0.4);
  CHECK(std::abs(conv->difference - 0.2) < kTol);
  CHECK(std::abs(conv->z - z) < 1e-12);
  CHECK(std::abs(conv->p_value - std::erfc(z / std::sqrt(2.0))) < 1e-15);
  CHECK(std::abs(conv->p_value - 0.0020278) < 1e-6);
  CHECK(std::abs(c.transitions[0].p_adjusted - 3 * conv->p_value) < 1e-15);
  CHECK(std::abs(c.transitions[1].p_adjusted - 3 * conv->p_value) < 1e-15);  // max(3p, 2p)
  CHECK(c.transitions[2].from == "(start)");
  CHECK(c.transitions[2].p_adjusted == 1);
  CHECK(c.significant == 2);
  CHECK(conv->significant);
  CHECK(c.label_a == "mobile");
  CHECK(c.conversion_probability_b == 0.4);
  REQUIRE(c.attribution.size() == 1);
  CHECK(c.attribution[0].share_a == 1);
  CHECK(c.attribution[0].difference == 0);
  // A transition seen in one fit only is not testable.
  JourneySetBuilder b;
  b.add({"x", "y"}, 1, 1);
  b.add({"x"}, 20, 80);
  Comparison d = compare(make(20, 80), JourneyMap(b.finish()));
  // y is never left in the first fit: its probabilities there are undefined, and so is every figure derived
  // from them (before, p_a showed 0 and difference 1, so that sorting by difference put these rows first).
  std::size_t untestable = 0;
  for (std::size_t i = 0; i < d.transitions.size(); ++i) {
    const TransitionChange& t = d.transitions[i];
    if (t.from != "y") {
      CHECK(!std::isnan(t.difference));
      CHECK(untestable == 0);  // the tested rows come first
      continue;
    }
    ++untestable;
    CHECK(t.total_a == 0);
    CHECK(std::isnan(t.p_a));
    CHECK(t.p_b == 0.5);
    CHECK(std::isnan(t.difference));
    CHECK(std::isnan(t.z));
    CHECK(std::isnan(t.p_value));
    CHECK(std::isnan(t.p_adjusted));
    CHECK(!t.significant);
  }
  CHECK(untestable == 2);  // y -> conversion, y -> null
  CHECK(d.transitions[d.transitions.size() - 2].to == "(conversion)");  // untestable rows by name
  // In the table, an untestable row has NaN in every derived figure and is not significant.
  const Table dt = transition_change_table(d);
  const auto& sig = std::get<BoolColumn>(dt.columns[*dt.find("significant")]).values;
  for (const char* derived : {"difference", "z", "p_value", "p_adjusted"}) {
    INFO(derived);
    const auto& x = std::get<std::vector<double>>(dt.columns[*dt.find(derived)]);
    for (std::size_t i = 0; i < dt.rows(); ++i) CHECK(std::isnan(x[i]) == (i + untestable >= dt.rows()));
  }
  for (std::size_t i = 0; i + untestable < dt.rows(); ++i) CHECK(sig[i] == (d.transitions[i].significant ? 1 : 0));
  CHECK(sig.back() == 0);
  CHECK(transition_change_table(c).rows() == 3);
  CHECK(attribution_change_table(c).rows() == 1);
  MapOptions o2;
  o2.model.order = 2;
  JourneySetBuilder b2;
  b2.add({"x"}, 1, 1);
  CHECK_THROWS_WITH(compare(make(1, 1), JourneyMap(b2.finish(), {}, o2)), Contains("orders"));
  CHECK_THROWS_AS(compare(make(1, 1), make(1, 1), {1.5}), InvalidArgument);
}

TEST_CASE("segments and time windows", "[journey_map]") {
  JourneySet js = build_journeys(sample_events(2000, 3).arrays());
  auto maps = map_segments(js, sample_stage_map());
  REQUIRE(maps.size() == 2);
  CHECK(maps[0].first == "desktop");
  CHECK(maps[0].second.graph().journeys() + maps[1].second.graph().journeys() == Approx(js.size()).epsilon(0));
  Comparison c = compare(maps[0].second, maps[1].second, {0.05, "desktop", "mobile"});
  CHECK(!c.transitions.empty());
  // The sample gives mobile users the app far more often: that change must be flagged.
  bool app = false;
  for (const auto& t : c.transitions)
    if (t.to == "mobile_app" && t.significant) app = true;
  CHECK(app);
  // Time windows: the first 45 days and the rest partition the journeys.
  const std::int64_t t0 = 1767225600, mid = t0 + 45 * 86400;
  JourneySet early = time_window(js, 0, mid), late = time_window(js, mid, INT64_MAX);
  CHECK(early.size() + late.size() == js.size());
  CHECK(early.size() > 0);
  for (std::size_t j = 0; j < early.size(); ++j) CHECK(early.times(j)[0] < mid);
  CHECK_THROWS_AS(time_window(js, 10, 5), InvalidArgument);
  CHECK_THROWS_AS(time_window(hand_set_without_times(), 0, 1), StateError);
  CHECK_THROWS_AS(map_segments(hand_set()), StateError);
}

TEST_CASE("results do not depend on the thread count", "[journey_map]") {
  JourneySet js = build_journeys(sample_events(3000, 11).arrays());
  Execution one{1, {}}, four{4, {}};
  JourneyMap a(js, sample_stage_map(), {}, one), b(js, sample_stage_map(), {}, four);
  CHECK(to_json(a.graph(), {}) == to_json(b.graph(), {}));
  CHECK(to_csv(funnel_table(a.funnel(one))) == to_csv(funnel_table(b.funnel(four))));
  CHECK(to_csv(variant_table(a.paths({50, 5}, one))) == to_csv(variant_table(b.paths({50, 5}, four))));
  CHECK(to_csv(pain_point_table(a.pain_points())) == to_csv(pain_point_table(b.pain_points())));
  // And the map of the sample looks as the sample was made: most journeys start in awareness, the
  // purchase stage converts, advocacy is reached after purchases.
  Funnel f = a.funnel();
  CHECK(f.rows[0].entered_first > f.rows[1].entered_first);
  CHECK(f.rows[2].converted > 0);
  CHECK(f.rows[0].converted == 0);
  // Graph timings exist and are positive.
  const auto& g = a.graph();
  REQUIRE(g.has_timestamps());
  for (const auto& e : g.edges())
    if (e.source != 0 && e.target < g.nodes().size() - 2 && e.time.count > 0) CHECK(e.time.median >= 1);
}

TEST_CASE("exports are well formed", "[journey_map][export]") {
  JourneyMap map(hand_set(), hand_stages());
  const JourneyGraph& g = map.graph();
  auto j = nlohmann::json::parse(to_json(g, map.stages().stages()));
  CHECK(j["nodes"].size() == 6);
  CHECK(j["links"].size() == 10);
  CHECK(j["nodes"][1]["stage"] == "awareness");
  CHECK(j["links"][0]["source"] == 0);
  const std::string dot = to_dot(g, map.stages().stages());
  CHECK_THAT(dot, Contains("digraph journey_map") && Contains("cluster_0") && Contains("n1 -> n3"));
  const std::string gml = to_graphml(g, map.stages().stages());
  std::size_t nodes = 0, pos = 0;
  while ((pos = gml.find("<node ", pos)) != std::string::npos) ++nodes, ++pos;
  CHECK(nodes == 6);
  CHECK_THAT(gml, Contains("<data key=\"stage\">purchase</data>") && Contains("time_median_s"));
  auto tj = nlohmann::json::parse(to_json(node_table(g, map.stages().stages())));
  CHECK(tj.size() == 6);
  CHECK(tj[3]["visits"] == 5.0);
  CHECK(to_csv(edge_table(g)).substr(0, 20) == "source,target,count,");
  PathAnalysis p = map.paths();
  CHECK(variant_table(p).rows() == 5);
  CHECK(probable_path_table(p).rows() == 5);
  CHECK(length_table(p).rows() == 3);
  CHECK(time_to_conversion_table(p).rows() == 8);
  CHECK(sankey_link_table(map.sankey()).rows() == 11);
  // Names with markup or quotes are escaped everywhere.
  JourneySetBuilder b;
  b.add({"a<b>&\"c\""}, 1, 1);
  JourneyMap odd(b.finish());
  CHECK_THAT(to_graphml(odd.graph()), Contains("a&lt;b&gt;&amp;&quot;c&quot;"));
  CHECK(nlohmann::json::parse(to_json(odd.graph()))["nodes"][1]["name"] == "a<b>&\"c\"");
  CHECK_THAT(graph_svg(odd), !Contains("<b>"));
  CHECK_THAT(to_dot(odd.graph()), Contains("a<b>&\\\"c\\\""));
}

TEST_CASE("pictures and the report are self-contained", "[journey_map][svg]") {
  JourneySet js = build_journeys(sample_events(1500, 5).arrays());
  JourneyMap map(js, sample_stage_map());
  auto check_svg = [](const std::string& s) {
    CHECK(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", 0) == 0);
    CHECK(s.size() > 500);
    CHECK(s.find("</svg>") != std::string::npos);
    // No non-finite number anywhere (touchpoint names such as "influencer_post" are fine).
    CHECK(!std::regex_search(s, std::regex("(^|[^A-Za-z_])(nan|-?inf)($|[^A-Za-z_])")));
    CHECK(s.find("<script") == std::string::npos);
    CHECK(s.find("@font-face") == std::string::npos);
    CHECK(s.find("href=\"http") == std::string::npos);
  };
  check_svg(graph_svg(map, {40, "The sample"}));
  check_svg(funnel_svg(map.funnel(), {}));
  check_svg(sankey_svg(map.sankey(), {}));
  check_svg(graph_svg(JourneyMap(js)));  // no stages: columns by median position
  CHECK_THROWS_AS(funnel_svg(Funnel{}), StateError);
  const std::string html = report_html(map);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  for (const char* id : {"id=\"graph\"", "id=\"funnel\"", "id=\"flows\"", "id=\"pain\"", "id=\"attribution\"", "id=\"paths\""})
    CHECK(html.find(id) != std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);
  CHECK(!std::regex_search(html, std::regex("(^|[^A-Za-z_])(nan|-?inf)($|[^A-Za-z_])")));
  // Without stages or timestamps the report says so instead of failing.
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 2);
  b.add({"b"}, 0, 1);
  const std::string plain = report_html(JourneyMap(b.finish()));
  CHECK_THAT(plain, Contains("No stages were given") && Contains("no timestamps"));
}

TEST_CASE("the report's requested sections and segment views: present, unique ids, no nan", "[journey_map][render]") {
  const JourneySet js = build_journeys(sample_events(1500, 9).arrays());
  REQUIRE(js.has_segments());
  const JourneyMap map(js, sample_stage_map());
  ReportOptions o;
  o.segment_switch = true;
  o.sections.model_comparison = AttributionOptions{};
  o.sections.model_comparison->models = {AttributionModel::markov, AttributionModel::last_touch};
  o.sections.model_comparison->bootstrap.replicates = 10;
  EventFunnelOptions f;
  f.steps = {parse_funnel_step("stage:awareness"), parse_funnel_step("(conversion)")};
  o.sections.event_funnel = f;
  o.sections.path_explorer = PathExplorerOptions{};
  o.sections.drivers = DriverOptions{};
  o.sections.drivers->min_support = 10;
  const std::string html = report_html(map, o);
  for (const char* id : {"models", "event-funnel", "path-explorer", "drivers", "conversion-paths"}) {
    CHECK(html.find(std::string("<section id=\"") + id + "\"") != std::string::npos);
    CHECK(html.find(std::string("<section id=\"s0-") + id + "\"") != std::string::npos);
  }
  CHECK(!std::regex_search(html, std::regex("(^|[^A-Za-z_])(nan|-?inf)($|[^A-Za-z_])")));
  std::map<std::string, int> ids;
  const std::regex id_attr(" id=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_attr); it != std::sregex_iterator(); ++it)
    ++ids[(*it)[1].str()];
  for (const auto& [id, n] : ids) CHECK(n == 1);
  std::size_t views = 0;
  for (std::size_t at = html.find("class=\"segment-view\""); at != std::string::npos;
       at = html.find("class=\"segment-view\"", at + 1))
    ++views;
  CHECK(views == js.segments().size() + 1);
  std::set<std::string> colors;
  for (AttributionModel m : all_models()) colors.insert(model_color(m));
  CHECK(colors.size() == all_models().size());
  o.sections.drivers_shown = 0;
  CHECK_THROWS_AS(report_html(map, o), InvalidArgument);
}

TEST_CASE("the sample's stages file is the built-in sample stage map", "[journey_map][stages]") {
  StageCsvOptions o;
  o.order = sample_stage_order();
  StageMap file = read_stages_csv(JG_TEST_DATA_DIR "/sample_stages.csv", o);
  StageMap built = sample_stage_map();
  CHECK(file.stages() == built.stages());
  CHECK(file.assignments() == built.assignments());
}

TEST_CASE("journey graph counts and timings against an independent count", "[journey_map]") {
  // Few touchpoints use dense per-chunk arrays, many use hash maps: both must count the same as a plain
  // std::map over the paths, and the timings must be the weighted quantiles of the sorted gaps.
  for (std::size_t touchpoints : {20u, 300u}) {
    SyntheticOptions so;
    so.journeys = 5000;
    so.touchpoints = touchpoints;
    so.seed = 9;
    JourneySet js = build_journeys(synthetic_events(so).arrays());
    JourneyGraph g = JourneyGraph::from_journeys(js, SelfLoops::drop, Execution{3, {}});
    std::map<std::pair<std::string, std::string>, double> count;
    std::map<std::pair<std::string, std::string>, std::vector<double>> gaps;
    for (std::size_t j = 0; j < js.size(); ++j) {
      const auto p = js.path(j);
      const auto t = js.times(j);
      std::string prev = "(start)";
      for (std::size_t i = 0; i < p.size(); ++i) {
        const std::string& name = js.touchpoints().name(p[i]);
        if (i > 0 && name == prev) continue;
        count[{prev, name}] += js.weight(j);
        if (i > 0) gaps[{prev, name}].push_back(double(t[i] - t[i - 1]));
        prev = name;
      }
      if (js.conversions(j) > 0) count[{prev, "(conversion)"}] += js.conversions(j);
      if (js.nulls(j) > 0) count[{prev, "(null)"}] += js.nulls(j);
    }
    REQUIRE(g.edges().size() == count.size());
    for (const MapEdge& e : g.edges()) {
      const auto key = std::make_pair(g.nodes()[e.source].name, g.nodes()[e.target].name);
      REQUIRE(count.count(key));
      CHECK(e.count == count[key]);
      auto it = gaps.find(key);
      if (it == gaps.end()) {
        CHECK(e.time.count == 0);
        continue;
      }
      std::vector<double> v = it->second;  // unit weights: the q-quantile is the ceil(q n)-th smallest
      std::sort(v.begin(), v.end());
      const std::size_t n = v.size();
      CHECK(e.time.count == double(n));
      CHECK(e.time.median == v[(n + 1) / 2 - 1]);
      CHECK(e.time.p90 == v[std::size_t(std::ceil(0.9 * double(n))) - 1]);
    }
  }
}

namespace {
// The section of a report page with this id, up to its end.
std::string section_of(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("<section id=\"" + id + "\">");
  REQUIRE(at != std::string::npos);
  return html.substr(at, html.find("</section>", at) - at);
}
// The cells of every table row of a piece of a page (header cells included), as text.
std::vector<std::vector<std::string>> rows_of(const std::string& section) {
  std::vector<std::vector<std::string>> rows;
  const std::regex row("<tr>(.*?)</tr>"), cell("<t[dh][^>]*>([^<]*)</t[dh]>");
  for (auto r = std::sregex_iterator(section.begin(), section.end(), row); r != std::sregex_iterator(); ++r) {
    const std::string cells = (*r)[1].str();
    rows.emplace_back();
    for (auto c = std::sregex_iterator(cells.begin(), cells.end(), cell); c != std::sregex_iterator(); ++c)
      rows.back().push_back((*c)[1].str());
  }
  return rows;
}
// a > b converts with value 10, b converts with value 6, a does not.
JourneySet money_hand_set() {
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 0, 10);
  b.add({"b"}, 1, 0, 6);
  b.add({"a"}, 0, 1, 0);
  return b.finish();
}
}  // namespace

TEST_CASE("the report's money section is the money table of the compared models", "[journey_map][render]") {
  // By hand: a > b converts with value 10, b with 6, a does not. First touch credits a with 1 conversion
  // (value 10) and b with 1 (6); last touch credits b with both (16). Spend: a 5, b 4, c 2 (never touched).
  const JourneyMap map(money_hand_set());
  ReportOptions o;
  o.sections.spend = spend_from_columns({"a", "b", "c"}, {5, 4, 2});
  CHECK_THROWS_AS(report_html(map, o), InvalidArgument);
  o.sections.model_comparison = AttributionOptions{};
  o.sections.model_comparison->models = {AttributionModel::first_touch, AttributionModel::last_touch};
  const std::string html = report_html(map, o);
  CHECK(html.find("<a href=\"#money\"") != std::string::npos);
  const std::string section = section_of(html, "money");
  const auto rows = rows_of(section);
  using Row = std::vector<std::string>;
  CHECK(rows == std::vector<Row>{
                    {"model", "touchpoint", "spend", "conversions", "value", "cost per conversion", "ROAS", "status"},
                    {"first_touch", "a", "5.000", "1.000", "10.000", "5.000", "2.000", "ok"},
                    {"first_touch", "b", "4.000", "1.000", "6.000", "4.000", "1.500", "ok"},
                    {"first_touch", "c", "2.000", "0.000", "0.000", "-", "0.000", "no_credit"},
                    {"last_touch", "a", "5.000", "0.000", "0.000", "-", "0.000", "no_credit"},
                    {"last_touch", "b", "4.000", "2.000", "16.000", "2.000", "4.000", "ok"},
                    {"last_touch", "c", "2.000", "0.000", "0.000", "-", "0.000", "no_credit"}});
  CHECK(section.find("Ask for a bootstrap for intervals") != std::string::npos);
}

TEST_CASE("the report's model comparison takes the core's default baseline", "[journey_map][render]") {
  // By hand: a > b converts, b converts, a does not. first_touch credits a 1 and b 1; last_touch b 2; linear
  // a 0.5 and b 1.5.
  const JourneyMap map(money_hand_set());
  auto models_section = [&](std::vector<AttributionModel> models) {
    ReportOptions o;
    o.sections.model_comparison = AttributionOptions{};
    o.sections.model_comparison->models = std::move(models);
    const std::string section = section_of(report_html(map, o), "models");
    return std::make_pair(rows_of(section), section);
  };
  using Rows = std::vector<std::vector<std::string>>;
  // last_touch is the baseline wherever it is in the list; rows by its credit (b 2, a 0).
  const auto [with_last, text] = models_section({AttributionModel::first_touch, AttributionModel::last_touch});
  CHECK(with_last == Rows{{"touchpoint", "first_touch", "first_touch vs last_touch", "last_touch"},
                          {"b", "1.0", "-50.0 %", "2.0"},
                          {"a", "1.0", "-", "0.0"}});
  CHECK(text.find("last_touch is the baseline") != std::string::npos);
  // Without last_touch, the first model: linear (b 1.5, a 0.5); first_touch b (1 - 1.5) / 1.5, a (1 - 0.5) / 0.5.
  const auto [without, text2] = models_section({AttributionModel::linear, AttributionModel::first_touch});
  CHECK(without == Rows{{"touchpoint", "linear", "first_touch", "first_touch vs linear"},
                        {"b", "1.5", "1.0", "-33.3 %"},
                        {"a", "0.5", "1.0", "+100.0 %"}});
  CHECK(text2.find("linear is the baseline") != std::string::npos);
  CHECK(default_baseline(std::vector<AttributionModel>{AttributionModel::first_touch, AttributionModel::last_touch}) ==
        AttributionModel::last_touch);
}

namespace {
// Journeys starting at these epoch seconds (one touch each, then a second touch an hour later).
JourneySet timed_set(const std::vector<std::int64_t>& starts) {
  JourneySetBuilder b(true, TimeUnit::seconds);
  const std::uint32_t a = b.touchpoint("a"), c = b.touchpoint("c");
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::uint32_t path[] = {a, c};
    const std::int64_t times[] = {starts[i], starts[i] + 3600};
    b.add(Span<const std::uint32_t>(path, 2), Span<const std::int64_t>(times, 2), double(i % 2), double(1 - i % 2), 0);
  }
  return b.finish();
}
std::vector<std::pair<std::string, std::size_t>> labels_of(const std::vector<ReportPeriod>& ps) {
  std::vector<std::pair<std::string, std::size_t>> out;
  for (const auto& p : ps) out.emplace_back(p.label, p.journeys);
  return out;
}
using Labels = std::vector<std::pair<std::string, std::size_t>>;
}  // namespace

TEST_CASE("report periods: calendar labels (ISO weeks), instants, empty periods", "[journey_map][render][periods]") {
  // 2020-12-31 (Thu, ISO 2020-W53), 2021-01-03 23:59:59 (Sun, 2020-W53), 2021-01-04 (Mon, 2021-W01),
  // 2021-01-20 (Wed, 2021-W03): worked by hand from the calendar.
  const JourneySet js = timed_set({1609372800, 1609718400 - 1, 1609718400, 1609718400 + 16 * 86400});
  std::vector<std::string> empty;
  CHECK(labels_of(report_periods(js, parse_period_switch("month"), &empty)) == Labels{{"2020-12", 1}, {"2021-01", 3}});
  CHECK(empty.empty());
  CHECK(labels_of(report_periods(js, parse_period_switch(" quarter "))) == Labels{{"2020-Q4", 1}, {"2021-Q1", 3}});
  const auto weeks = report_periods(js, parse_period_switch("week"), &empty);
  CHECK(labels_of(weeks) == Labels{{"2020-W53", 2}, {"2021-W01", 1}, {"2021-W03", 1}});
  CHECK(empty == std::vector<std::string>{"2021-W02"});
  CHECK(weeks[0].from == 1609113600);  // Monday 2020-12-28
  CHECK(weeks[0].to == 1609718400);
  empty.clear();
  const PeriodSwitch cuts = parse_period_switch("2021-01-01, 2021-01-10");
  CHECK(cuts.unit == PeriodUnit::instants);
  CHECK(labels_of(report_periods(js, cuts)) ==
        Labels{{"before 2021-01-01", 1}, {"from 2021-01-01 to 2021-01-10", 2}, {"from 2021-01-10 on", 1}});
  CHECK(labels_of(report_periods(js, parse_period_switch("2020-01-01,2020-06-01"), &empty)) ==
        Labels{{"from 2020-06-01 on", 4}});
  CHECK(empty == std::vector<std::string>{"before 2020-01-01", "from 2020-01-01 to 2020-06-01"});
  // Each journey lands in exactly one period's subset.
  std::size_t total = 0;
  for (const auto& p : weeks) {
    const JourneySet part = period_subset(js, p);
    CHECK(part.size() == p.journeys);
    total += part.size();
  }
  CHECK(total == js.size());
  // Bad input: named, with the option.
  CHECK_THROWS_WITH(parse_period_switch("months"), Contains("--period-switch") && Contains("month, week, quarter"));
  CHECK_THROWS_WITH(parse_period_switch("2021-01-01,,2021-02-01"), Contains("empty"));
  CHECK_THROWS_WITH(report_periods(js, parse_period_switch("2021-02-01,2021-01-01")), Contains("must increase"));
  CHECK_THROWS_WITH(report_periods(js, parse_period_switch("2021-13-01")), Contains("2021-13-01"));
  // A span of more periods than the menu holds is refused before any view is made: 1000 weeks are 7000 days.
  const JourneySet wide = timed_set({1609372800, 1609372800 + 7000LL * 86400});
  CHECK_THROWS_WITH(report_periods(wide, parse_period_switch("week")), Contains("--period-switch") &&
                                                                       Contains("7000 days") && Contains("1000 weeks"));
  CHECK(labels_of(report_periods(wide, parse_period_switch("quarter"))).size() == 2);
  const JourneySet far = timed_set({1609372800, 1609372800 + 999999999LL * 86400});
  CHECK_THROWS_WITH(report_periods(far, parse_period_switch("quarter")), Contains("more than 1000 quarters"));
  std::string many = "2021-01-01";
  for (int i = 2; i <= 1000; ++i) many += "," + std::to_string(2021 + i) + "-01-01";
  CHECK_THROWS_WITH(report_periods(js, parse_period_switch(many)), Contains("1000 instants"));
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 2);
  const JourneySet untimed = b.finish();
  CHECK_THROWS_WITH(report_periods(untimed, parse_period_switch("month")), Contains("--period-switch"));
  ReportOptions o;
  o.period_switch = parse_period_switch("month");
  CHECK_THROWS_AS(report_html(JourneyMap(untimed), o), StateError);
}

TEST_CASE("the report's period views are the periods' own reports", "[journey_map][render][periods]") {
  const JourneySet js = build_journeys(sample_events(1200, 5).arrays());
  REQUIRE(js.has_timestamps());
  const JourneyMap map(js, sample_stage_map());
  ReportOptions o;
  o.period_switch = parse_period_switch("week");
  std::vector<std::string> empty;
  const auto periods = report_periods(js, *o.period_switch, &empty);
  REQUIRE(periods.size() >= 2);
  const std::string html = report_html(map, o);
  CHECK(html.find("<select id=\"jg-period\" class=\"jg-switch\">") != std::string::npos);
  CHECK(html.find("id=\"jg-segment\"") == std::string::npos);
  std::size_t total = 0;
  for (std::size_t k = 0; k < periods.size(); ++k) {
    const std::string prefix = "p" + std::to_string(k) + "-";
    CHECK(html.find("<option value=\"" + prefix + "\">" + periods[k].label + "</option>") != std::string::npos);
    const std::string open = "<div class=\"period-view\" data-prefix=\"" + prefix + "\" hidden>\n";
    const std::size_t start = html.find(open);
    REQUIRE(start != std::string::npos);
    const std::size_t end = html.find("</div>\n<div class=\"period-view\"", start);
    const std::string view = html.substr(start + open.size(), (end == std::string::npos ? html.find("</div>\n</main>", start) : end) - start - open.size());
    // The period's own report, alone, with its ids prefixed: the same text, so the same numbers.
    const JourneySet part = time_window(js, periods[k].from, periods[k].to);
    total += part.size();
    const std::string alone = report_html(JourneyMap(part, sample_stage_map()), ReportOptions{});
    std::string body = alone.substr(alone.find("<main>\n") + 7);
    body = body.substr(0, body.find("</main>"));
    std::string expected;
    for (std::size_t i = 0; i < body.size();) {
      if (body.compare(i, 5, " id=\"") == 0 || body.compare(i, 5, "url(#") == 0) {
        expected += body.substr(i, 5) + prefix;
        i += 5;
      } else {
        expected += body[i++];
      }
    }
    CHECK(view == expected);
  }
  CHECK(total == js.size());
  if (!empty.empty()) CHECK(html.find("without journeys left out of the period menu") != std::string::npos);
  // Both menus: one view per segment and one per period beside "all"; ids stay unique.
  o.segment_switch = true;
  const std::string both = report_html(map, o);
  CHECK(both.find("id=\"jg-segment\"") != std::string::npos);
  CHECK(both.find("id=\"jg-period\"") != std::string::npos);
  std::map<std::string, int> ids;
  const std::regex id_attr(" id=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(both.begin(), both.end(), id_attr); it != std::sregex_iterator(); ++it)
    ++ids[(*it)[1].str()];
  for (const auto& [id, n] : ids) CHECK(n == 1);
}

TEST_CASE("a view keeps its other sections when a requested one fails there", "[journey_map][render][periods]") {
  // January: x > y converts, y does not; February: y converts, y > y does not (no x that month, so the event
  // funnel x -> (conversion) has no touchpoint to match there).
  JourneySetBuilder b(true, TimeUnit::seconds);
  const std::uint32_t x = b.touchpoint("x"), y = b.touchpoint("y");
  auto add = [&](std::vector<std::uint32_t> path, std::int64_t start, double conversions, double nulls) {
    std::vector<std::int64_t> times;
    for (std::size_t i = 0; i < path.size(); ++i) times.push_back(start + 3600 * std::int64_t(i));
    b.add(Span<const std::uint32_t>(path.data(), path.size()), Span<const std::int64_t>(times.data(), times.size()),
          conversions, nulls, 0);
  };
  const std::int64_t jan = 1609459200, feb = 1612137600;  // 2021-01-01, 2021-02-01 (UTC)
  add({x, y}, jan + 86400, 1, 0);
  add({y}, jan + 2 * 86400, 0, 1);
  add({y}, feb + 86400, 1, 0);
  add({y, y}, feb + 2 * 86400, 0, 1);
  const JourneySet js = b.finish();
  ReportOptions o;
  o.period_switch = parse_period_switch("month");
  EventFunnelOptions f;
  f.steps = {parse_funnel_step("x"), parse_funnel_step("(conversion)")};
  o.sections.event_funnel = f;
  const std::string html = report_html(JourneyMap(js), o);
  auto view_of = [&](const std::string& prefix) {
    const std::string open = "<div class=\"period-view\" data-prefix=\"" + prefix + "\" hidden>\n";
    const std::size_t start = html.find(open);
    REQUIRE(start != std::string::npos);
    const std::size_t end = html.find("</div>\n<div class=\"period-view\"", start);
    return html.substr(start, (end == std::string::npos ? html.find("</div>\n</main>", start) : end) - start);
  };
  const std::string january = view_of("p0-"), february = view_of("p1-");
  CHECK(html.find("No report for this period") == std::string::npos);
  // January: the funnel as asked.
  CHECK(section_of(january, "p0-event-funnel").find("left out") == std::string::npos);
  CHECK(section_of(january, "p0-event-funnel").find("<table") != std::string::npos);
  // February: the funnel is a note naming the section and the reason; the rest of the view is there.
  const std::string funnel = section_of(february, "p1-event-funnel");
  CHECK_THAT(funnel, Contains("The section Event funnel is left out for this period") &&
                         Contains("matches no touchpoint of the journeys"));
  CHECK(funnel.find("<table") == std::string::npos);
  // The attribution table is February's own: the same section as the report of February's journeys alone.
  const std::string alone = report_html(JourneyMap(time_window(js, feb, feb + 28 * 86400)), ReportOptions{});
  std::string expected;
  const std::string own = section_of(alone, "attribution");
  for (std::size_t i = 0; i < own.size();) {
    if (own.compare(i, 5, " id=\"") == 0 || own.compare(i, 5, "url(#") == 0) {
      expected += own.substr(i, 5) + "p1-";
      i += 5;
    } else {
      expected += own[i++];
    }
  }
  CHECK(section_of(february, "p1-attribution") == expected);
  CHECK(expected.find("<td>y</td>") != std::string::npos);
  for (const char* id : {"p1-graph", "p1-pain", "p1-paths", "p1-conversion-paths"}) CHECK(february.find(id) != std::string::npos);
  // A cancel inside a view stops the report (it is not a section's failure): count the funnel's progress calls
  // of the whole-data page, then cancel at the first call after them, which comes from a period view.
  {
    std::size_t whole = 0, calls = 0;
    Execution count;
    count.progress = [&](double, const char* stage) {
      whole += std::string(stage) == "funnel";
      return true;
    };
    ReportOptions plain = o;
    plain.period_switch.reset();
    (void)report_html(JourneyMap(js), plain, count);
    REQUIRE(whole > 0);
    Execution cancel;
    cancel.progress = [&](double, const char* stage) { return !(std::string(stage) == "funnel" && ++calls > whole); };
    CHECK_THROWS_AS(report_html(JourneyMap(js), o, cancel), Interrupted);
    CHECK(calls == whole + 1);
  }
  // On the whole data the funnel's error is the report's.
  f.steps = {parse_funnel_step("z"), parse_funnel_step("(conversion)")};
  o.sections.event_funnel = f;
  CHECK_THROWS_WITH(report_html(JourneyMap(js), o), Contains("matches no touchpoint"));
}
