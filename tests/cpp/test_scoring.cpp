// Open-journey scoring: every score against a dense solve of the independently counted chain.

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <tuple>
#include <utility>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "chain_reference.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/credit.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/scoring.hpp"
#include "test_files.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

using Names = std::vector<std::string>;

// Journeys with cycles (b > c > b), short journeys and repeats, some converting with values.
JourneySet cyclic_set() {
  JourneySetBuilder b;
  b.add({"a", "b", "c"}, 1, 0, 10);
  b.add({"a", "b", "c", "b"}, 0, 1, 0);
  b.add({"b", "c", "b", "c", "d"}, 2, 1, 50);
  b.add({"a"}, 0, 2, 0);
  b.add({"c", "d"}, 1, 0, 20);
  b.add({"a", "c", "b", "d"}, 0, 1, 0);
  b.add({"d", "a", "b"}, 1, 3, 5);
  b.add({"b", "b", "c"}, 0, 1, 0);
  b.add({"a", "b"}, 0, 1, 0);
  return b.finish();
}

// The reference chain solved densely: per state P(conversion), expected value, touches to go, and the
// expected visits per journey from START.
struct Dense {
  jgtest::RefCounts c;
  std::map<Names, std::size_t> index;  // state tokens -> reference state
  std::vector<double> p, value, to_go, visits;

  Dense(const JourneySet& js, unsigned order, bool keep_loops = false)
      : c(jgtest::count_reference(jgtest::ref_journeys(js), order, keep_loops)) {
    const long n = long(c.states.size());
    Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n);
    Eigen::VectorXd conv = Eigen::VectorXd::Zero(n), val = Eigen::VectorXd::Zero(n), ones = Eigen::VectorXd::Ones(n);
    for (const auto& [edge, w] : c.count) a(long(edge.first), long(edge.second)) -= w / c.row_sum[edge.first];
    for (long i = 1; i < n; ++i) {
      conv(i) = c.end_conv[std::size_t(i)] / c.row_sum[std::size_t(i)];
      val(i) = c.end_value[std::size_t(i)] / c.row_sum[std::size_t(i)];
      index[c.states[std::size_t(i)]] = std::size_t(i);
    }
    const Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
    const Eigen::VectorXd hp = lu.solve(conv), hv = lu.solve(val), hs = lu.solve(ones);
    Eigen::VectorXd e0 = Eigen::VectorXd::Zero(n);
    e0(0) = 1;
    const Eigen::VectorXd x = a.transpose().fullPivLu().solve(e0);
    for (long i = 0; i < n; ++i) {
      p.push_back(hp(i));
      value.push_back(hv(i));
      to_go.push_back(hs(i) - 1);
      visits.push_back(x(i));
    }
  }
};

std::vector<std::uint32_t> ids(const MarkovModel& m, const Names& names) {
  std::vector<std::uint32_t> out;
  for (const auto& s : names) {
    const auto& tp = m.touchpoints();
    const auto it = std::find(tp.begin(), tp.end(), s);
    out.push_back(it == tp.end() ? Scorer::kUnknownTouchpoint : std::uint32_t(it - tp.begin()));
  }
  return out;
}

bool near(double a, double b, double tol = 1e-12) { return std::abs(a - b) <= tol * std::max(1.0, std::abs(b)); }

}  // namespace

TEST_CASE("a history of order-k touches scores as its state's dense solve", "[scoring][golden]") {
  const JourneySet js = cyclic_set();
  for (unsigned order : {1u, 2u, 3u}) {
    for (bool keep : {false, true}) {
      CAPTURE(order, keep);
      const MarkovModel m = MarkovModel::fit(js, {order, 0.0, keep ? SelfLoops::keep : SelfLoops::drop});
      const Scorer s(m);
      const Dense d(js, order, keep);
      std::size_t checked = 0;
      for (const auto& [tokens, i] : d.index) {
        if (tokens.size() != order) continue;
        // The state alone and after older touches (one the model does not know): the last k touches decide.
        for (const Names& h : {tokens, [&] { Names x{"zz", "a"}; x.insert(x.end(), tokens.begin(), tokens.end()); return x; }()}) {
          CAPTURE(h);
          const auto hi = ids(m, h);
          const HistoryScore r = s.score(hi);
          CHECK_FALSE(r.backed_off);
          CHECK(r.matched == order);
          CHECK(near(r.conversion_probability, d.p[i]));
          CHECK(near(r.expected_value, d.value[i]));
          CHECK(near(r.touches_to_go, d.to_go[i]));
          ++checked;
        }
      }
      CHECK(checked >= 8);
      // The empty history is START: the model's conversion probability and a whole journey's touches.
      const HistoryScore start = s.score({});
      CHECK(near(start.conversion_probability, d.p[0]));
      CHECK(near(start.conversion_probability, m.conversion_probability()));
      CHECK(near(start.expected_value, d.value[0]));
      CHECK(near(start.touches_to_go, analyze_chain(m).expected_touches));
    }
  }
}

TEST_CASE("a history shorter than the order mixes the first states that begin with it", "[scoring]") {
  const JourneySet js = cyclic_set();
  const MarkovModel m = MarkovModel::fit(js, {3, 0.0, SelfLoops::drop});
  const Scorer s(m);
  const Dense d(js, 3);
  for (const Names& h : {Names{"a"}, Names{"a", "b"}, Names{"b"}, Names{"c", "d"}, Names{"d"}}) {
    CAPTURE(h);
    double w = 0, p = 0, v = 0, to_go = 0;
    for (const auto& [edge, count] : d.c.count) {
      if (edge.first != 0) continue;
      const Names& st = d.c.states[edge.second];
      if (st.size() < h.size() || !std::equal(h.begin(), h.end(), st.begin())) continue;
      w += count;
      p += count * d.p[edge.second];
      v += count * d.value[edge.second];
      to_go += count * (d.to_go[edge.second] + double(st.size() - h.size()));
    }
    REQUIRE(w > 0);
    const HistoryScore r = s.score(ids(m, h));
    CHECK_FALSE(r.backed_off);
    CHECK(r.matched == h.size());
    CHECK(near(r.conversion_probability, p / w));
    CHECK(near(r.expected_value, v / w));
    CHECK(near(r.touches_to_go, to_go / w));
  }
}

TEST_CASE("an unseen history backs off to its longest seen suffix, flagged", "[scoring]") {
  const JourneySet js = cyclic_set();
  const MarkovModel m = MarkovModel::fit(js, {2, 0.0, SelfLoops::drop});
  const Scorer s(m);
  const Dense d(js, 2);
  // "d > c" never occurs; full states ending in c are mixed by their expected visits.
  auto suffix_mix = [&](const Names& suffix) {
    double w = 0, p = 0, v = 0, to_go = 0;
    for (const auto& [tokens, i] : d.index) {
      if (tokens.size() != 2) continue;
      if (!std::equal(suffix.begin(), suffix.end(), tokens.end() - long(suffix.size()))) continue;
      w += d.visits[i];
      p += d.visits[i] * d.p[i];
      v += d.visits[i] * d.value[i];
      to_go += d.visits[i] * d.to_go[i];
    }
    REQUIRE(w > 0);
    return std::array<double, 3>{p / w, v / w, to_go / w};
  };
  REQUIRE(d.index.count(Names{"d", "c"}) == 0);
  const auto want = suffix_mix({"c"});
  for (const Names& h : {Names{"d", "c"}, Names{"a", "d", "c"}}) {
    const HistoryScore r = s.score(ids(m, h));
    CHECK(r.backed_off);
    CHECK(r.matched == 1);
    CHECK(near(r.conversion_probability, want[0]));
    CHECK(near(r.expected_value, want[1]));
    CHECK(near(r.touches_to_go, want[2]));
  }
  // A one-touch history whose journeys never began with it ("c > ..." did; "zz" is unknown): back-off to all
  // full states, matched 0.
  const auto all = suffix_mix({});
  const HistoryScore u = s.score(ids(m, {"zz"}));
  CHECK(u.backed_off);
  CHECK(u.matched == 0);
  CHECK(near(u.conversion_probability, all[0]));
  CHECK(near(u.touches_to_go, all[2]));
  // The suffix after an unknown touch still counts: "zz > c" backs off to the states ending in c.
  const HistoryScore zc = s.score(ids(m, {"zz", "c"}));
  CHECK(zc.backed_off);
  CHECK(zc.matched == 1);
  CHECK(near(zc.conversion_probability, want[0]));
}

TEST_CASE("next best touch equals appending the touch and re-solving", "[scoring]") {
  const JourneySet js = cyclic_set();
  for (unsigned order : {1u, 2u}) {
    CAPTURE(order);
    const MarkovModel m = MarkovModel::fit(js, {order, 0.0, SelfLoops::drop});
    const Scorer s(m);
    const Dense d(js, order);
    for (const Names& h : {Names{"a", "b"}, Names{"b", "c"}, Names{"c"}}) {
      CAPTURE(h);
      const auto lift = s.next_touch_lift(ids(m, h));
      REQUIRE(lift.size() == m.touchpoints().size());
      const Names base_state(h.end() - long(std::min<std::size_t>(h.size(), order)), h.end());
      if (base_state.size() < order) continue;  // prefix histories are checked through score() above
      const double base = d.p.at(d.index.at(base_state));
      for (std::size_t t = 0; t < lift.size(); ++t) {
        Names ext = h;
        ext.push_back(m.touchpoints()[t]);
        const Names st(ext.end() - long(order), ext.end());
        auto it = d.index.find(st);
        // Under drop, repeating the state's touchpoint at order 1 stays in the state.
        if (order == 1 && st == base_state) {
          CHECK(lift[t] == 0.0);
          continue;
        }
        if (it == d.index.end()) {
          CHECK(s.score(ids(m, ext)).backed_off);
          continue;
        }
        CAPTURE(t);
        CHECK(std::abs(lift[t] - (d.p[it->second] - base)) <= 1e-12);
      }
    }
  }
}

TEST_CASE("batch scores equal single scores; bad batches are refused before anything is written", "[scoring]") {
  const JourneySet js = cyclic_set();
  const MarkovModel m = MarkovModel::fit(js, {2, 0.0, SelfLoops::drop});
  const Scorer s(m);
  const Scorer copy = s;
  // Every journey of the set as a history, plus an empty one.
  std::vector<std::uint64_t> offsets(js.offsets().begin(), js.offsets().end());
  offsets.push_back(offsets.back());
  std::vector<std::uint32_t> touches;
  for (std::size_t j = 0; j < js.size(); ++j) {
    const auto h = ids(m, [&] { Names x; for (auto t : js.path(j)) x.push_back(js.touchpoints().name(t)); return x; }());
    touches.insert(touches.end(), h.begin(), h.end());
  }
  const std::size_t n = offsets.size() - 1;
  std::vector<double> p(n, -1), v(n, -1), g(n, -1);
  std::vector<std::uint32_t> matched(n, 99);
  std::vector<std::uint8_t> backed(n, 7);
  copy.score_batch(offsets, touches, {p.data(), v.data(), g.data(), matched.data(), backed.data()});
  for (std::size_t j = 0; j < n; ++j) {
    const HistoryScore r = s.score({touches.data() + offsets[j], std::size_t(offsets[j + 1] - offsets[j])});
    CHECK(p[j] == r.conversion_probability);
    CHECK(v[j] == r.expected_value);
    CHECK(g[j] == r.touches_to_go);
    CHECK(matched[j] == r.matched);
    CHECK(backed[j] == (r.backed_off ? 1 : 0));
  }
  CHECK(near(p[n - 1], m.conversion_probability()));
  // Only some outputs.
  std::vector<double> p2(n, -1);
  s.score_batch(offsets, touches, ScoreArrays{p2.data()});
  CHECK(p2 == p);

  std::fill(p.begin(), p.end(), -1.0);
  auto bad = touches;
  bad[3] = std::uint32_t(m.touchpoints().size());
  CHECK_THROWS_WITH(s.score_batch(offsets, bad, {p.data()}), Contains("touch 3 has touchpoint id 4"));
  CHECK_THROWS_WITH(s.score_batch(offsets, Span<const std::uint32_t>(touches.data(), 5), {p.data()}),
                    Contains("only 5 touches"));
  auto dec = offsets;
  dec[2] = dec[3] + 1;
  CHECK_THROWS_WITH(s.score_batch(dec, touches, {p.data()}), Contains("offsets decrease at history 2"));
  for (double x : p) CHECK(x == -1.0);
  CHECK_THROWS_AS(s.score(std::vector<std::uint32_t>{7}), InvalidArgument);
  CHECK_THROWS_AS(Scorer(MarkovModel()), StateError);
  CHECK_THROWS_AS(Scorer().score({}), StateError);
}

TEST_CASE("open journeys: no conversion and a last touch within the window of the data's end", "[scoring]") {
  JourneySetBuilder b(true);
  auto add = [&](const Names& names, std::vector<std::int64_t> times, double conv, double nulls, double value) {
    std::vector<std::uint32_t> path;
    for (const auto& x : names) path.push_back(b.touchpoint(x));
    b.add(path, times, conv, nulls, value);
  };
  add({"a", "b"}, {0, 100}, 0, 1, 0);        // ended long before the end: closed
  add({"a", "c"}, {900, 950}, 1, 0, 10);     // converted near the end: closed
  add({"b", "c"}, {800, 920}, 0, 1, 0);      // open (80 s before the end)
  add({"c"}, {1000}, 0, 1, 0);               // the data's end itself: open
  add({"a"}, {900}, 0, 1, 0);                // exactly 100 s before the end: closed with window 100
  const JourneySet js = b.finish();
  OpenJourneyOptions o;
  o.window = 100;
  CHECK(open_journeys(js, o) == std::vector<std::size_t>{2, 3});
  o.window = 101;
  CHECK(open_journeys(js, o) == std::vector<std::size_t>{2, 3, 4});
  o.window = 0;
  CHECK_THROWS_AS(open_journeys(js, o), InvalidArgument);
  JourneySetBuilder nb;
  nb.add({"a"}, 1, 0, 0);
  CHECK_THROWS_AS(open_journeys(nb.finish()), StateError);

  const MarkovModel m = MarkovModel::fit(cyclic_set(), {2, 0.0, SelfLoops::drop});
  o.window = 100;
  const Table t = score_open_journeys(m, js, o);
  REQUIRE(t.rows() == 2);
  const Scorer s(m);
  const auto& journey = std::get<std::vector<std::int64_t>>(t.columns[*t.find("journey")]);
  const auto& p = std::get<std::vector<double>>(t.columns[*t.find("conversion_probability")]);
  CHECK(journey == std::vector<std::int64_t>{2, 3});
  CHECK(p[0] == s.score(ids(m, {"b", "c"})).conversion_probability);
  CHECK(p[1] == s.score(ids(m, {"c"})).conversion_probability);
  CHECK(std::get<std::int64_t>(*t.find_meta("open")) == 2);
  CHECK(std::get<std::int64_t>(*t.find_meta("data_end")) == 1000);
  // The best next touch is the largest lift.
  const auto lift = s.next_touch_lift(ids(m, {"b", "c"}));
  const auto best = std::max_element(lift.begin(), lift.end()) - lift.begin();
  CHECK(std::get<std::vector<std::string>>(t.columns[*t.find("best_next_touch")])[0] == m.touchpoints()[std::size_t(best)]);
  const Table nt = next_touch_table(s, js, 2);
  CHECK(nt.rows() == 2 * js.size());
}

TEST_CASE("scores name open journeys by the event log's ids and parts, like the per-journey credit", "[scoring]") {
  // Customer A converts at +100 s and comes back at +900 s (part 2, open); B is open in its first part; C ended
  // long ago; D converted at the end. Ids as text, then as integers; with keys off, the row index.
  const std::string text_log =
      "journey_id,timestamp,touchpoint,conversion\n"
      "anna,1700000000,a,0\nanna,1700000100,b,1\nanna,1700000900,c,0\n"
      "bob,1700000950,b,0\nbob,1700000960,c,0\n"
      "carl,1700000010,a,0\n"
      "dave,1700001000,a,1\n";
  std::string int_log = text_log;
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"anna", "7"}, {"bob", "42"}, {"carl", "13"}, {"dave", "-5"}}) {
    for (std::size_t at = int_log.find(from); at != std::string::npos; at = int_log.find(from))
      int_log.replace(at, from.size(), to);
  }
  const MarkovModel m = MarkovModel::fit(cyclic_set(), {1, 0.0, SelfLoops::keep});
  const Scorer s(m);
  OpenJourneyOptions o;
  o.window = 200;
  // The open journeys as (key, part, path), whatever order the set keeps them in.
  using Row = std::tuple<std::string, std::int64_t, std::string>;
  auto open_rows = [&](const Table& t, const JourneySet& js) {
    std::vector<Row> rows;
    const std::size_t kc = *t.find("journey");
    const auto& part = std::get<std::vector<std::int64_t>>(t.columns[*t.find("part")]);
    const auto& path = std::get<std::vector<std::string>>(t.columns[*t.find("path")]);
    const auto& p = std::get<std::vector<double>>(t.columns[*t.find("conversion_probability")]);
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string key = js.key_kind() == KeyKind::text
                                  ? std::get<std::vector<std::string>>(t.columns[kc])[r]
                                  : std::to_string(std::get<std::vector<std::int64_t>>(t.columns[kc])[r]);
      rows.emplace_back(key, part[r], path[r]);
      // The row's score is the score of the journey its key and part name.
      Names names;
      for (std::size_t j = 0; j < js.size(); ++j) {
        if (js.key_string(j) != key || journey_parts(js)[j] != part[r]) continue;
        for (std::uint32_t id : js.path(j)) names.push_back(js.touchpoints().name(id));
      }
      CHECK(p[r] == s.score(ids(m, names)).conversion_probability);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  };

  const JourneySet text = parse_events_csv(text_log, "text.csv");
  REQUIRE(text.key_kind() == KeyKind::text);
  const Table tt = score_open_journeys(m, text, o);
  REQUIRE(tt.rows() == 2);
  CHECK(tt.type(*tt.find("journey")) == ColumnType::string);
  CHECK(tt.names[0] == "journey");
  CHECK(tt.names[1] == "part");
  CHECK(open_rows(tt, text) == std::vector<Row>{{"anna", 2, "c"}, {"bob", 1, "b > c"}});

  const JourneySet ints = parse_events_csv(int_log, "ints.csv");
  REQUIRE(ints.key_kind() == KeyKind::integer);
  const Table ti = score_open_journeys(m, ints, o);
  CHECK(ti.type(*ti.find("journey")) == ColumnType::integer);
  CHECK(open_rows(ti, ints) == std::vector<Row>{{"42", 1, "b > c"}, {"7", 2, "c"}});

  // The best next touches name the same journeys.
  const std::vector<std::size_t> open = open_journeys(ints, o);
  const Table nt = next_touch_table(s, ints, 1, &open);
  const auto& nt_key = std::get<std::vector<std::int64_t>>(nt.columns[*nt.find("journey")]);
  const auto& nt_part = std::get<std::vector<std::int64_t>>(nt.columns[*nt.find("part")]);
  const auto& sc_key = std::get<std::vector<std::int64_t>>(ti.columns[*ti.find("journey")]);
  const auto& sc_part = std::get<std::vector<std::int64_t>>(ti.columns[*ti.find("part")]);
  CHECK(nt_key == sc_key);
  CHECK(nt_part == sc_part);

  // Without keys: the row index in the set, part 1.
  JourneyOptions no_keys;
  no_keys.store_keys = false;
  const JourneySet rows = parse_events_csv(int_log, "ints.csv", {}, no_keys);
  REQUIRE(!rows.has_keys());
  const Table tr = score_open_journeys(m, rows, o);
  const std::vector<std::size_t> open_rows_idx = open_journeys(rows, o);
  std::vector<std::int64_t> expect(open_rows_idx.begin(), open_rows_idx.end());
  CHECK(std::get<std::vector<std::int64_t>>(tr.columns[*tr.find("journey")]) == expect);
  CHECK(std::get<std::vector<std::int64_t>>(tr.columns[*tr.find("part")]) == std::vector<std::int64_t>(2, 1));
}

TEST_CASE("scores are the same table on 1 and 2 threads, and report the stage score", "[scoring][concurrency]") {
  // 10,000 histories: three chunks of 4,096 rows.
  const JourneySet js = jgtest::random_journeys(99, 10000, 1, 5, 8, 4);
  ModelOptions mo;
  mo.order = 2;
  const MarkovModel m = MarkovModel::fit(js, mo);
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  std::vector<double> asked;
  two.progress = [&asked](double f, const char* stage) {
    if (std::string(stage) == "score") asked.push_back(f);
    return true;
  };
  const Table a = score_table(m, js, {}, one), c = score_table(m, js, {}, two);
  REQUIRE(a.rows() == 10000);
  CHECK(to_csv(a) == to_csv(c));
  CHECK(to_json_document(a) == to_json_document(c));  // the metadata too (backed_off, unknown_touches)
  REQUIRE(!asked.empty());
  CHECK(asked.back() == 1.0);
  // Each row is the history's own score.
  const Scorer scorer(m);
  const auto& p = std::get<std::vector<double>>(a.columns[*a.find("conversion_probability")]);
  const auto& names = scorer.touchpoints();
  for (std::size_t j = 0; j < js.size(); ++j) {
    std::vector<std::uint32_t> h;  // the history in the model's touchpoint ids (matched by name)
    for (std::uint32_t t : js.path(j))
      h.push_back(std::uint32_t(std::find(names.begin(), names.end(), js.touchpoints().name(t)) - names.begin()));
    CHECK(p[j] == scorer.score(h).conversion_probability);
  }
}
