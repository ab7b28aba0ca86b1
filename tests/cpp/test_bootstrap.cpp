// Bootstrap intervals: the Poisson sampler, replicates equal to a recount of the resampled journeys,
// determinism across thread counts, the interval summaries, and coverage of the true removal effect.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "attribution/bootstrap.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

// The journeys of replicate r, built row by row from the same draws the bootstrap makes.
JourneySet resampled(const JourneySet& js, std::uint64_t seed, std::uint64_t r) {
  JourneySetBuilder b(js.has_timestamps(), js.time_unit());
  b.set_touchpoints(js.touchpoints());
  for (std::size_t j = 0; j < js.size(); ++j) {
    if (!(js.weight(j) > 0)) continue;
    const detail::RowDraw d = detail::draw_row(seed, r, j, js.conversions(j), js.nulls(j), js.value(j));
    if (d.conversions + d.nulls > 0) b.add(js.path(j), js.times(j), d.conversions, d.nulls, d.value);
  }
  return b.finish();
}

JourneySet sample_journeys(std::size_t customers) {
  const EventTable ev = sample_events(customers, 3);
  return build_journeys(ev.arrays());
}

}  // namespace

TEST_CASE("Poisson draws have the right mean, variance and probabilities", "[bootstrap]") {
  for (double mean : {0.3, 1.0, 4.5, 9.99, 10.0, 37.5, 2500.0}) {
    INFO("mean " << mean);
    const int n = 200000;
    double s = 0, ss = 0;
    std::vector<double> freq(64, 0.0);
    bool integers = true;
    for (int i = 0; i < n; ++i) {
      detail::CounterRng g(11, 5, std::uint64_t(i));
      const double k = detail::poisson(mean, g);
      integers = integers && k == std::floor(k) && k >= 0;
      s += k;
      ss += k * k;
      if (k < 64) freq[std::size_t(k)] += 1;
    }
    CHECK(integers);
    const double m = s / n, var = ss / n - m * m;
    // Sampling error of the mean is sqrt(mean / n); of the variance about mean * sqrt(2 / n).
    CHECK(std::abs(m - mean) < 5 * std::sqrt(mean / n));
    CHECK(std::abs(var - mean) < 6 * mean * std::sqrt(2.0 / n) + 5 * std::sqrt(mean / n));
    if (mean < 40) {
      // Probabilities of the central values, each within 5 standard errors.
      for (int k = int(mean) - 2; k <= int(mean) + 2; ++k) {
        if (k < 0) continue;
        const double p = std::exp(-mean + k * std::log(mean) - std::lgamma(k + 1.0));
        CHECK(std::abs(freq[std::size_t(k)] / n - p) < 5 * std::sqrt(p * (1 - p) / n));
      }
    }
  }
  detail::CounterRng g(1, 2, 3);
  CHECK(detail::poisson(0.0, g) == 0.0);
}

TEST_CASE("counter-based streams depend on seed, replicate and stream only", "[bootstrap]") {
  detail::CounterRng a(1, 2, 3), b(1, 2, 3), c(1, 2, 4), d(1, 3, 3), e(2, 2, 3);
  const std::uint64_t x = a.next();
  CHECK(x == b.next());
  CHECK(x != c.next());
  CHECK(x != d.next());
  CHECK(x != e.next());
  CHECK(a.next() != x);
}

TEST_CASE("a replicate's markov counts equal the counts of the resampled journeys, bit for bit", "[bootstrap]") {
  // Event journeys (weights 0/1) and aggregated paths (large weights: the PTRS branch of the sampler).
  const JourneySet events = sample_journeys(3000);
  const JourneySet paths = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  for (const JourneySet* js : {&events, &paths}) {
    for (unsigned order : {1u, 2u, 3u}) {
      for (SelfLoops loops : {SelfLoops::drop, SelfLoops::keep}) {
        INFO("journeys " << js->size() << " order " << order << " loops " << int(loops));
        const TransitionCounts base = TransitionCounts::count(*js, order, loops);
        AttributionOptions o;
        o.models = {AttributionModel::markov};
        const detail::Resampler rs(*js, o, &base);
        detail::Resampler::Replicate rep;
        for (std::uint64_t r : {0u, 7u}) {
          rs.draw(99, r, rep);
          const TransitionCounts got = rs.markov_counts(rep);
          const TransitionCounts want = TransitionCounts::count(resampled(*js, 99, r), order, loops);
          CHECK(got == want);
          CHECK(got.total_conversions() == want.total_conversions());
        }
      }
    }
  }
}

TEST_CASE("a replicate's rule-based credit equals the model on the resampled journeys", "[bootstrap]") {
  const JourneySet js = sample_journeys(2000);
  AttributionOptions o;
  o.models = applicable_models(js);
  o.models.erase(o.models.begin());  // markov
  REQUIRE(js.has_timestamps());
  const detail::Resampler rs(js, o, nullptr);
  detail::Resampler::Replicate rep;
  rs.draw(5, 3, rep);
  const JourneySet re = resampled(js, 5, 3);
  REQUIRE(re.touchpoints().size() == js.touchpoints().size());
  const std::size_t nt = js.touchpoints().size();
  std::vector<double> conv(nt), value(nt);
  for (AttributionModel m : o.models) {
    INFO(model_name(m));
    rs.credit(m, rep, conv.data(), value.data());
    const ModelAttribution want = heuristic_attribution(re, m, o);
    for (std::size_t t = 0; t < nt; ++t) {
      CHECK(std::abs(conv[t] - want.conversions[t]) <= 1e-9 * std::max(1.0, want.conversions[t]));
      CHECK(std::abs(value[t] - want.value[t]) <= 1e-9 * std::max(1.0, want.value[t]));
    }
  }
}

TEST_CASE("bootstrap intervals are identical for any thread count and depend on the seed", "[bootstrap]") {
  const JourneySet js = sample_journeys(3000);
  AttributionOptions o;
  o.models = applicable_models(js);
  o.markov.order = 2;
  o.bootstrap.replicates = 40;
  o.bootstrap.seed = 17;
  Execution one, three;
  one.threads = 1;
  three.threads = 3;
  const AttributionResult a = attribute(js, o, one), b = attribute(js, o, three);
  REQUIRE(a.bootstrap.has_value());
  CHECK(a.bootstrap->replicates == 40);
  CHECK(a.bootstrap->seed == 17);
  for (std::size_t m = 0; m < a.models.size(); ++m) {
    INFO(model_name(a.models[m].model));
    REQUIRE(a.models[m].conversions_interval.has_value());
    REQUIRE(a.models[m].value_interval.has_value());
    CHECK(a.models[m].conversions_interval->lower == b.models[m].conversions_interval->lower);
    CHECK(a.models[m].conversions_interval->upper == b.models[m].conversions_interval->upper);
    CHECK(a.models[m].conversions_interval->standard_error == b.models[m].conversions_interval->standard_error);
    CHECK(a.models[m].value_interval->upper == b.models[m].value_interval->upper);
  }
  REQUIRE(a.removal_effect_interval.has_value());
  CHECK(a.removal_effect_interval->lower == b.removal_effect_interval->lower);
  o.bootstrap.seed = 18;
  const AttributionResult c = attribute(js, o, three);
  CHECK(c.models[0].conversions_interval->lower != a.models[0].conversions_interval->lower);
  // The point estimates do not depend on the bootstrap.
  o.bootstrap.replicates = 0;
  const AttributionResult d = attribute(js, o);
  CHECK_FALSE(d.bootstrap.has_value());
  CHECK_FALSE(d.models[0].conversions_interval.has_value());
  for (std::size_t m = 0; m < a.models.size(); ++m) CHECK(d.models[m].conversions == a.models[m].conversions);
}

TEST_CASE("interval summaries: standard error, percentiles and stability as documented", "[bootstrap]") {
  const JourneySet js = sample_journeys(2000);
  AttributionOptions o;
  o.models = {AttributionModel::markov, AttributionModel::linear};
  o.bootstrap.replicates = 60;
  o.bootstrap.confidence = 0.9;
  o.bootstrap.seed = 4;
  const AttributionResult r = attribute(js, o);
  // Recompute the linear model's intervals from the replicates.
  const detail::Resampler rs(js, o, nullptr);
  detail::Resampler::Replicate rep;
  const std::size_t nt = r.touchpoints.size();
  std::vector<std::vector<double>> samples(nt);
  std::vector<double> conv(nt), value(nt);
  for (std::uint64_t k = 0; k < 60; ++k) {
    rs.draw(4, k, rep);
    rs.credit(AttributionModel::linear, rep, conv.data(), value.data());
    for (std::size_t t = 0; t < nt; ++t) samples[t].push_back(conv[t]);
  }
  const ModelAttribution& lin = *r.find(AttributionModel::linear);
  const Intervals& iv = *lin.conversions_interval;
  double width = 0;
  std::size_t counted = 0;
  for (std::size_t t = 0; t < nt; ++t) {
    auto v = samples[t];
    std::sort(v.begin(), v.end());
    double mean = 0, ss = 0;
    for (double x : v) mean += x / 60;
    for (double x : v) ss += (x - mean) * (x - mean);
    CHECK(iv.standard_error[t] == Approx(std::sqrt(ss / 59)).epsilon(1e-12));
    // 5 % quantile: h = 59 * 0.05 = 2.95 between the 3rd and 4th order statistics.
    CHECK(iv.lower[t] == Approx(v[2] + 0.95 * (v[3] - v[2])).epsilon(1e-12));
    CHECK(iv.upper[t] == Approx(v[56] + 0.05 * (v[57] - v[56])).epsilon(1e-12));
    CHECK(iv.lower[t] <= iv.upper[t]);
    if (lin.conversions[t] != 0) {
      width += (iv.upper[t] - iv.lower[t]) / std::abs(lin.conversions[t]);
      ++counted;
    }
  }
  CHECK(iv.stability == Approx(width / double(counted)).epsilon(1e-12));
  CHECK(iv.stability > 0);
  // Markov: the estimate sits inside its interval for the well-populated touchpoints.
  const Intervals& re = *r.removal_effect_interval;
  for (std::size_t t = 0; t < nt; ++t)
    if (r.markov->removal_effect[t] > 0.05) {
      CHECK(re.lower[t] <= r.markov->removal_effect[t]);
      CHECK(r.markov->removal_effect[t] <= re.upper[t]);
      CHECK(re.standard_error[t] > 0);
    }
}

TEST_CASE("bootstrap options are checked", "[bootstrap]") {
  const JourneySet js = sample_journeys(200);
  AttributionOptions o;
  o.bootstrap.replicates = 10;
  o.bootstrap.confidence = 1.0;
  CHECK_THROWS_WITH(attribute(js, o), Contains("confidence must be in (0, 1), got 1"));
  o.bootstrap.confidence = 0.95;
  o.bootstrap.replicates = 1;
  CHECK_THROWS_WITH(attribute(js, o), Contains("at least 2"));
  // A progress callback can cancel the replicates.
  o.bootstrap.replicates = 50;
  Execution e;
  e.threads = 1;
  e.progress = [](double, const char* stage) { return std::string(stage) != "bootstrap"; };
  CHECK_THROWS_AS(attribute(js, o, e), Interrupted);
}

TEST_CASE("bootstrap replicates without conversions are left out of the markov intervals", "[bootstrap]") {
  // One conversion among few journeys: a replicate draws none with probability e^-1.
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 0, 5);
  b.add({"b"}, 0, 1, 0);
  b.add({"a"}, 0, 2, 0);
  const JourneySet js = b.finish();
  AttributionOptions o;
  o.models = {AttributionModel::markov, AttributionModel::last_touch};
  o.bootstrap.replicates = 100;
  const AttributionResult r = attribute(js, o);
  CHECK(r.bootstrap->markov_failed_replicates > 20);
  CHECK(r.bootstrap->markov_failed_replicates < 50);
  // last_touch counts them as zero credit: its lower bound for b is 0.
  CHECK(r.find(AttributionModel::last_touch)->conversions_interval->lower[1] == 0.0);
}

namespace {

// A first-order chain over touchpoints 0..T-1 with exact removal effects from a dense solve.
struct TrueChain {
  std::vector<std::vector<double>> next;  // row i: T touchpoints, then CONVERSION, NULL; row T is START
  std::vector<double> removal_effect() const {
    const std::size_t T = next.size() - 1;
    auto p_conv = [&](int removed) {
      // Transient states: START (T) and touchpoints; x^T (I - Q) = e_START^T.
      Eigen::MatrixXd A = Eigen::MatrixXd::Identity(T + 1, T + 1);
      Eigen::VectorXd r = Eigen::VectorXd::Zero(T + 1);
      for (std::size_t i = 0; i <= T; ++i) {
        if (int(i) == removed) continue;
        for (std::size_t j = 0; j < T; ++j)
          if (int(j) != removed) A(i, j) -= next[i][j];
        r(i) = next[i][T];
      }
      Eigen::VectorXd e = Eigen::VectorXd::Zero(T + 1);
      e(T) = 1;
      const Eigen::VectorXd x = A.transpose().fullPivLu().solve(e);
      return x.dot(r);
    };
    const double full = p_conv(-1);
    std::vector<double> re(T);
    for (std::size_t t = 0; t < T; ++t) re[t] = 1 - p_conv(int(t)) / full;
    return re;
  }
  JourneySet simulate(std::size_t n, std::uint64_t seed) const {
    const std::size_t T = next.size() - 1;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    JourneySetBuilder b;
    b.set_touchpoints(Dictionary(std::vector<std::string>{"a", "b", "c", "d"}));
    std::vector<std::uint32_t> path;
    for (std::size_t j = 0; j < n; ++j) {
      path.clear();
      std::size_t s = T;
      while (true) {
        double x = u(rng), acc = 0;
        std::size_t k = 0;
        for (; k + 1 < next[s].size(); ++k) {
          acc += next[s][k];
          if (x < acc) break;
        }
        if (k >= T) {
          b.add(Span<const std::uint32_t>(path), {}, k == T ? 1.0 : 0.0, k == T ? 0.0 : 1.0, 0.0);
          break;
        }
        path.push_back(std::uint32_t(k));
        s = k;
      }
    }
    return b.finish();
  }
};

}  // namespace

TEST_CASE("95% bootstrap intervals cover the true removal effect in at least 90 of 100 data sets", "[bootstrap][slow]") {
  // Rows: a, b, c, d, START; columns: a, b, c, d, CONVERSION, NULL. No self-loops (the default convention).
  TrueChain truth{{{0.00, 0.30, 0.15, 0.05, 0.10, 0.40},
                   {0.20, 0.00, 0.25, 0.10, 0.15, 0.30},
                   {0.10, 0.20, 0.00, 0.10, 0.30, 0.30},
                   {0.25, 0.15, 0.10, 0.00, 0.05, 0.45},
                   {0.40, 0.30, 0.20, 0.10, 0.00, 0.00}}};
  const std::vector<double> re = truth.removal_effect();
  std::vector<int> covered(re.size(), 0);
  AttributionOptions o;
  o.models = {AttributionModel::markov};
  o.bootstrap.replicates = 200;
  for (int d = 0; d < 100; ++d) {
    const JourneySet js = truth.simulate(3000, 1000 + std::uint64_t(d));
    o.bootstrap.seed = std::uint64_t(d);
    const AttributionResult r = attribute(js, o);
    REQUIRE(r.touchpoints.size() == re.size());
    for (std::size_t t = 0; t < re.size(); ++t)
      if (r.removal_effect_interval->lower[t] <= re[t] && re[t] <= r.removal_effect_interval->upper[t]) ++covered[t];
  }
  for (std::size_t t = 0; t < re.size(); ++t) {
    INFO("touchpoint " << t << " true removal effect " << re[t] << " covered " << covered[t] << " of 100");
    CHECK(covered[t] >= 90);
  }
}
