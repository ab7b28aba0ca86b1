// Per-journey credit (every model's rows sum to each journey's conversions and value and to the model's
// touchpoint totals), its calibration, sequence removal effects against a dense solve of the edited chain,
// and the fractribution model by hand.

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "journeygraph/attribution.hpp"
#include "journeygraph/credit.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

const JourneySet& sample_journeys() {
  static const JourneySet js = [] {
    const EventTable ev = sample_events(3000, 5);
    return build_journeys(ev.arrays(), JourneyOptions{});
  }();
  return js;
}

const JourneySet& reference_paths() {
  static const JourneySet js = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  return js;
}

bool close(double got, double want, double tol = 1e-9) {
  return std::abs(got - want) <= tol * std::max(1.0, std::abs(want));
}

template <class T>
const std::vector<T>& column(const Table& t, const std::string& name) {
  auto c = t.find(name);
  REQUIRE(c);
  return std::get<std::vector<T>>(t.columns[*c]);
}

// The journey's key and part as the table writes them: part counts the consecutive journeys of one key.
std::vector<std::string> journey_ids(const JourneySet& js) {
  std::vector<std::string> ids;
  std::int64_t part = 0;
  for (std::size_t j = 0; j < js.size(); ++j) {
    part = (j > 0 && js.key_string(j) == js.key_string(j - 1)) ? part + 1 : 1;
    ids.push_back(js.key_string(j) + "#" + std::to_string(part));
  }
  return ids;
}

std::string key_of_row(const Table& t, std::size_t r) {
  const auto c = *t.find("journey");
  const std::string key = t.type(c) == ColumnType::string
                              ? std::get<std::vector<std::string>>(t.columns[c])[r]
                              : std::to_string(std::get<std::vector<std::int64_t>>(t.columns[c])[r]);
  return key + "#" + std::to_string(column<std::int64_t>(t, "part")[r]);
}

// Every margin of every model: per journey (conversions, value; participation: times its distinct
// touchpoints) and per touchpoint (the model's attribution).
void check_margins(const JourneySet& js, const std::vector<AttributionModel>& models, unsigned order = 1) {
  CreditOptions o;
  o.attribution.models = models;
  o.attribution.markov.order = order;
  const Table t = journey_credit(js, o);
  AttributionOptions ao;
  ao.models = models;
  ao.markov.order = order;
  const AttributionResult totals = attribute(js, ao);

  const auto ids = journey_ids(js);
  std::map<std::string, std::size_t> row_of;
  for (std::size_t j = 0; j < js.size(); ++j) REQUIRE(row_of.emplace(ids[j], j).second);  // keys join back uniquely

  const auto& model = column<std::string>(t, "model");
  const auto& tp = column<std::string>(t, "touchpoint");
  const auto& conv = column<double>(t, "conversions");
  const auto& value = column<double>(t, "value");
  std::map<std::pair<std::string, std::size_t>, std::pair<double, double>> by_journey;
  std::map<std::pair<std::string, std::string>, std::pair<double, double>> by_touchpoint;
  std::map<std::pair<std::string, std::size_t>, std::size_t> touchpoints_of;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto it = row_of.find(key_of_row(t, r));
    REQUIRE(it != row_of.end());
    auto& j = by_journey[{model[r], it->second}];
    j.first += conv[r];
    j.second += value[r];
    ++touchpoints_of[{model[r], it->second}];
    auto& k = by_touchpoint[{model[r], tp[r]}];
    k.first += conv[r];
    k.second += value[r];
  }
  for (const auto& m : totals.models) {
    const std::string name = model_name(m.model);
    INFO("model " << name);
    for (std::size_t j = 0; j < js.size(); ++j) {
      const auto it = by_journey.find({name, j});
      const double c = it == by_journey.end() ? 0.0 : it->second.first;
      const double v = it == by_journey.end() ? 0.0 : it->second.second;
      double want_c = js.conversions(j), want_v = js.value(j);
      if (m.model == AttributionModel::participation) {
        std::vector<std::uint32_t> d(js.path(j).begin(), js.path(j).end());
        std::sort(d.begin(), d.end());
        const double k = double(std::unique(d.begin(), d.end()) - d.begin());
        want_c *= k;
        want_v *= k;
      }
      INFO("journey " << ids[j]);
      CHECK(close(c, want_c));
      CHECK(close(v, want_v));
    }
    for (std::size_t i = 0; i < totals.touchpoints.size(); ++i) {
      const auto it = by_touchpoint.find({name, totals.touchpoints[i]});
      const double c = it == by_touchpoint.end() ? 0.0 : it->second.first;
      const double v = it == by_touchpoint.end() ? 0.0 : it->second.second;
      INFO("touchpoint " << totals.touchpoints[i]);
      CHECK(close(c, m.conversions[i]));
      CHECK(close(v, m.value[i]));
    }
  }
}

}  // namespace

TEST_CASE("per-journey credit: every model's margins on the sample", "[credit]") {
  const JourneySet& js = sample_journeys();
  REQUIRE(js.key_kind() == KeyKind::integer);
  check_margins(js, applicable_models(js));
}

TEST_CASE("per-journey credit: every model's margins on the reference paths, orders 1 and 3", "[credit][reference]") {
  const JourneySet& js = reference_paths();
  REQUIRE(js.key_kind() == KeyKind::integer);
  CHECK(js.key_integer(0) == 0);
  CHECK(js.key_integer(js.size() - 1) == std::int64_t(js.size() - 1));  // the data row, 0-based
  check_margins(js, applicable_models(js));
  check_margins(js, {AttributionModel::markov}, 3);
}

TEST_CASE("markov per-journey credit: a journey of one touchpoint keeps it, the rest follows by hand", "[credit]") {
  // "a" converts 2 times alone, "b" once alone, "a > b" 3 times: the single-touchpoint journeys can only
  // credit their touchpoint, so the journey "a > b" must give a exactly M_a - 2 and b exactly M_b - 1.
  JourneySetBuilder b;
  b.key(std::int64_t(0));
  b.add({"a"}, 2, 1, 20);
  b.key(std::int64_t(1));
  b.add({"b"}, 1, 2, 10);
  b.key(std::int64_t(2));
  b.add({"a", "b"}, 3, 1, 60);
  const JourneySet js = b.finish();
  AttributionOptions ao;
  ao.models = {AttributionModel::markov};
  const AttributionResult r = attribute(js, ao);
  const double m_a = r.models[0].conversions[0], m_b = r.models[0].conversions[1];
  const double w_a = r.models[0].value[0], w_b = r.models[0].value[1];
  REQUIRE(m_a > 2);
  REQUIRE(m_b > 1);
  CreditOptions o;
  o.attribution.models = {AttributionModel::markov};
  const Table t = journey_credit(js, o);
  const auto& key = column<std::int64_t>(t, "journey");
  const auto& tp = column<std::string>(t, "touchpoint");
  const auto& conv = column<double>(t, "conversions");
  const auto& value = column<double>(t, "value");
  REQUIRE(t.rows() == 4);
  for (std::size_t r2 = 0; r2 < t.rows(); ++r2) {
    if (key[r2] == 0) CHECK(close(conv[r2], 2, 1e-12));
    if (key[r2] == 1) CHECK(close(conv[r2], 1, 1e-12));
    if (key[r2] == 2 && tp[r2] == "a") CHECK(close(conv[r2], m_a - 2, 1e-12));
    if (key[r2] == 2 && tp[r2] == "b") CHECK(close(conv[r2], m_b - 1, 1e-12));
    if (key[r2] == 2 && tp[r2] == "a") CHECK(close(value[r2], w_a - 20, 1e-12));
    if (key[r2] == 2 && tp[r2] == "b") CHECK(close(value[r2], w_b - 10, 1e-12));
  }
}

TEST_CASE("markov credit of a touchpoint in no converting journey is transferred to the converting ones", "[credit]") {
  // a only appears in a journey that did not convert, yet the chain credits it (START > a > b > CONVERSION).
  JourneySetBuilder b;
  b.add({"a", "b"}, 0, 1, 0);
  b.add({"b"}, 1, 1, 4);
  b.add({"c", "b"}, 1, 0, 2);
  const JourneySet js = b.finish();
  CreditOptions o;
  o.attribution.models = {AttributionModel::markov};
  const Table t = journey_credit(js, o);
  AttributionOptions ao;
  ao.models = {AttributionModel::markov};
  const AttributionResult r = attribute(js, ao);
  REQUIRE(r.models[0].conversions[0] > 0);  // a
  const auto& tp = column<std::string>(t, "touchpoint");
  const auto& conv = column<double>(t, "conversions");
  const auto& in = std::get<BoolColumn>(t.columns[*t.find("in_journey")]).values;
  double a = 0;
  std::size_t outside = 0;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    CHECK((in[i] != 0) == (tp[i] != "a"));
    if (tp[i] == "a") a += conv[i], ++outside;
  }
  CHECK(outside >= 1);  // carried by converting journeys that do not have it
  CHECK(close(a, r.models[0].conversions[0], 1e-12));
  check_margins(js, {AttributionModel::markov});
  CHECK(std::get<double>(*t.find_meta("markov_moved")) > 0);
  o.transfer = false;
  CHECK_THROWS_AS(journey_credit(js, o), DataError);
  CHECK_THROWS_WITH(journey_credit(js, o), Contains("touchpoint \"a\"") && Contains("CreditOptions::transfer"));
  o.max_iterations = 0;
  CHECK_THROWS_AS(journey_credit(js, o), InvalidArgument);
}

TEST_CASE("per-journey credit keeps text keys and numbers the parts of a split journey", "[credit]") {
  JourneySetBuilder b;
  b.key(std::string_view("anna"));
  b.add({"a", "b"}, 1, 0, 5);
  b.add({"b"}, 1, 0, 7);  // the same customer converting again: part 2
  b.key(std::string_view("42"));
  b.add({"a"}, 0, 1, 0);
  b.key(std::string_view("bob"));
  b.add({"a"}, 1, 0, 1);
  const JourneySet js = b.finish();
  REQUIRE(js.key_kind() == KeyKind::text);
  CreditOptions o;
  o.attribution.models = {AttributionModel::last_touch};
  const Table t = journey_credit(js, o);
  CHECK(column<std::string>(t, "journey") == std::vector<std::string>{"anna", "anna", "bob"});
  CHECK(column<std::int64_t>(t, "part") == std::vector<std::int64_t>{1, 2, 1});
  CHECK(column<std::string>(t, "touchpoint") == std::vector<std::string>{"b", "b", "a"});
  CHECK(column<double>(t, "value") == std::vector<double>{5, 7, 1});
}

TEST_CASE("the streamed CSV is the table's CSV", "[credit]") {
  const JourneySet& js = sample_journeys();
  CreditOptions o;
  o.attribution.models = {AttributionModel::markov, AttributionModel::linear, AttributionModel::shapley};
  const std::string file = JG_TEST_TMP_DIR "/credit_stream.csv";
  write_journey_credit_csv(js, file, o);
  std::ifstream in(file);
  std::stringstream got;
  got << in.rdbuf();
  const Table t = journey_credit(js, o);
  REQUIRE(t.rows() > 4096);  // several chunks
  CHECK(got.str() == to_csv(t));
  CHECK_THROWS_AS(write_journey_credit_csv(js, JG_TEST_TMP_DIR "/no/such/dir/x.csv", o), IoError);
}

TEST_CASE("calibration hits the external totals and reports the gap", "[credit]") {
  const JourneySet& js = sample_journeys();
  const auto names = sorted_touchpoints(js);
  for (AttributionModel base : {AttributionModel::markov, AttributionModel::linear}) {
    Calibration cal;
    cal.model = base;
    double e = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      cal.touchpoints.push_back(names[i]);
      cal.conversions.push_back(3.0 + 2.0 * double(i));
      e += cal.conversions.back();
    }
    // Every touchpoint is listed, also those the model gives nothing (the transfer carries them).
    CreditOptions o;
    o.attribution.models = {base};
    o.calibration = cal;
    const Table t = journey_credit(js, o);
    const auto& model = column<std::string>(t, "model");
    const auto& tp = column<std::string>(t, "touchpoint");
    const auto& conv = column<double>(t, "conversions");
    std::map<std::string, double> by_tp;
    std::map<std::string, double> by_journey;
    for (std::size_t r = 0; r < t.rows(); ++r)
      if (model[r] == "calibrated") {
        by_tp[tp[r]] += conv[r];
        by_journey[key_of_row(t, r)] += conv[r];
      }
    for (std::size_t i = 0; i < names.size(); ++i) CHECK(close(by_tp[names[i]], cal.conversions[i]));
    const auto ids = journey_ids(js);
    const double scale = e / js.total_conversions();
    for (std::size_t j = 0; j < js.size(); ++j)
      if (js.conversions(j) > 0) CHECK(close(by_journey[ids[j]], js.conversions(j) * scale));

    const Table gap = calibration_table(js, o);
    AttributionOptions ao;
    ao.models = {base};
    const AttributionResult r = attribute(js, ao);
    const auto& diff = column<double>(gap, "difference");
    const auto& ratio = column<double>(gap, "ratio");
    for (std::size_t i = 0; i < names.size(); ++i) {
      CHECK(close(diff[i], r.models[0].conversions[i] - cal.conversions[i], 1e-12));
      CHECK(close(ratio[i], r.models[0].conversions[i] / cal.conversions[i], 1e-12));
    }
  }
  CreditOptions bad;
  bad.calibration = Calibration{AttributionModel::markov, {"no such touchpoint"}, {1.0}};
  CHECK_THROWS_WITH(journey_credit(js, bad), Contains("not a touchpoint of the journeys"));
}

TEST_CASE("calibration file: read, and errors name the line", "[credit]") {
  const std::string file = JG_TEST_TMP_DIR "/calibration.csv";
  write_text_file(file, "touchpoint,conversions,source\nemail,12.5,mmm\nsearch,3,lift\n");
  const Calibration c = read_calibration_csv(file);
  CHECK(c.touchpoints == std::vector<std::string>{"email", "search"});
  CHECK(c.conversions == std::vector<double>{12.5, 3});
  write_text_file(file, "touchpoint,conversions\nemail,12.5\nsearch,-3\n");
  CHECK_THROWS_WITH(read_calibration_csv(file), Contains(":3:") && Contains("-3"));
  write_text_file(file, "channel,conversions\nemail,1\n");
  CHECK_THROWS_WITH(read_calibration_csv(file), Contains("touchpoint and conversions"));
}

namespace {

// P(conversion) of a fitted order-1 chain with the transitions from -> to (state names) removed, by a dense
// solve of x^T (I - Q) = e_start built here from the model's transitions.
double dense_conversion(const MarkovModel& m, const std::string& from_state, const std::string& to_state) {
  std::map<std::string, int> idx{{"(start)", 0}};
  for (const auto& tr : m.transitions())
    for (const auto* s : {&tr.from, &tr.to})
      if (*s != "(conversion)" && *s != "(null)" && !idx.count(*s)) idx.emplace(*s, int(idx.size()));
  const int n = int(idx.size());
  Eigen::MatrixXd q = Eigen::MatrixXd::Zero(n, n);
  Eigen::VectorXd conv = Eigen::VectorXd::Zero(n);
  for (const auto& tr : m.transitions()) {
    if (tr.to == "(conversion)") conv[idx[tr.from]] += tr.probability;
    else if (tr.to != "(null)" && !(tr.from == from_state && tr.to == to_state))
      q(idx[tr.from], idx[tr.to]) += tr.probability;
  }
  Eigen::VectorXd e = Eigen::VectorXd::Zero(n);
  e[0] = 1;
  const Eigen::VectorXd x = (Eigen::MatrixXd::Identity(n, n) - q).transpose().fullPivLu().solve(e);
  return x.dot(conv);
}

}  // namespace

TEST_CASE("sequence removal effect of a pair equals a dense solve of the edited chain", "[credit][sequences]") {
  JourneySetBuilder b;
  b.add({"a", "b", "c"}, 3, 2, 30);
  b.add({"b", "a", "b"}, 1, 3, 10);
  b.add({"a", "c"}, 2, 2, 20);
  b.add({"c", "b", "a", "c"}, 1, 1, 10);
  b.add({"b"}, 1, 4, 10);
  const JourneySet js = b.finish();
  const MarkovModel m = MarkovModel::fit(js);
  const double p = dense_conversion(m, "", "");
  REQUIRE(std::abs(p - m.conversion_probability()) < 1e-12);

  SequenceOptions o;
  o.sequences = parse_sequences("a>b, b > a ,c>b,a");
  o.top_n = 2;
  const Table t = sequence_removal_effects(js, o);
  const auto& seq = column<std::string>(t, "sequence");
  const auto& re = column<double>(t, "removal_effect");
  const auto& occ = column<double>(t, "occurrences");
  REQUIRE(seq.size() >= 5);
  CHECK(seq[0] == "a > b");
  CHECK(seq[1] == "b > a");
  for (std::size_t i = 0; i < 3; ++i) {
    const auto parts = parse_sequences(std::string(seq[i]).replace(seq[i].find(" > "), 3, ">"))[0];
    const double want = 1 - dense_conversion(m, parts[0], parts[1]) / p;
    INFO(seq[i]);
    CHECK(std::abs(re[i] - want) <= 1e-12);
    CHECK(re[i] > 0);
  }
  CHECK(occ[0] == 5 + 4);       // a > b: once in a > b > c (weight 5), once in b > a > b (weight 4)
  CHECK(occ[2] == 2);           // c > b: once in c > b > a > c (weight 2)
  // A single touchpoint is the touchpoint removal effect.
  const RemovalEffects single = removal_effects(m);
  CHECK(seq[3] == "a");
  CHECK(std::abs(re[3] - single.removal_effect[0]) <= 1e-12);
  // The top 2 observed pairs not named: b > c (5) and a > c (4 + 2), after the named ones.
  CHECK(seq[4] == "a > c");
  CHECK(seq[5] == "b > c");
  SequenceOptions long_one;
  long_one.sequences = parse_sequences("a>b>c");
  CHECK_THROWS_WITH(sequence_removal_effects(js, long_one), Contains("order >= 2"));
  SequenceOptions unknown;
  unknown.sequences = parse_sequences("a>zz");
  CHECK_THROWS_WITH(sequence_removal_effects(js, unknown), Contains("unknown touchpoint"));
  CHECK_THROWS_WITH(parse_sequences("a>,b"), Contains("empty touchpoint name"));
  SequenceOptions o2;
  o2.sequences = parse_sequences("a>b>c");
  o2.markov.order = 2;
  const Table t2 = sequence_removal_effects(js, o2);
  CHECK(column<double>(t2, "removal_effect")[0] > 0);
}

TEST_CASE("fractribution by hand", "[credit][fractribution]") {
  // Path rates: a > b 1/2, a 1/4, b 0, c 1, d 1, c > d 1.
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 1, 10);
  b.add({"a"}, 1, 3, 4);
  b.add({"b"}, 0, 1, 0);
  b.add({"c", "d"}, 1, 0, 6);
  b.add({"c"}, 1, 0, 1);
  b.add({"d"}, 1, 0, 1);
  const JourneySet js = b.finish();
  // a > b: leaving a out gives b (rate 0): 1/2; leaving b out gives a (1/4): 1/4 -> a 2/3, b 1/3.
  // c > d: both counterfactuals convert as well (rate 1): no score, the last touch takes it all.
  const ModelAttribution m = heuristic_attribution(js, AttributionModel::fractribution);
  const auto names = sorted_touchpoints(js);
  REQUIRE(names == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(std::abs(m.conversions[0] - (2.0 / 3 + 1)) < 1e-15);
  CHECK(std::abs(m.conversions[1] - 1.0 / 3) < 1e-15);
  CHECK(std::abs(m.conversions[2] - 1) < 1e-15);
  CHECK(std::abs(m.conversions[3] - 2) < 1e-15);
  CHECK(std::abs(m.value[0] - (10 * 2.0 / 3 + 4)) < 1e-13);
  CHECK(std::abs(m.value[3] - (6 + 1)) < 1e-13);
  CHECK(parse_model("fractribution") == AttributionModel::fractribution);
  CHECK(std::string(model_name(AttributionModel::fractribution)) == "fractribution");
}
