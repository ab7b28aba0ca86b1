#pragma once
// Independent answers for the tests: an absorbing Markov chain counted straight from journeys (maps keyed
// by state names, no code shared with the library) and solved densely by state elimination, and dense solves of a
// fitted model's own transition matrix. Small chains only: the cost is O(states^3).

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "journeygraph/attribution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"

namespace jgtest {

// One journey as names, with its outcome weights.
struct RefJourney {
  std::vector<std::string> path;
  double conversions = 0;
  double nulls = 0;
  double value = 0;
};

inline std::vector<RefJourney> ref_journeys(const journeygraph::JourneySet& js) {
  std::vector<RefJourney> out;
  for (std::size_t j = 0; j < js.size(); ++j) {
    RefJourney r;
    for (std::uint32_t id : js.path(j)) r.path.push_back(js.touchpoints().name(id));
    r.conversions = js.conversions(j);
    r.nulls = js.nulls(j);
    r.value = js.value(j);
    out.push_back(std::move(r));
  }
  return out;
}

// Expected rewards collected from state 0 of an absorbing chain until absorption, by state elimination
// (the Grassmann-Taksar-Heyman idea): q holds the transient transition probabilities (self-loops on the
// diagonal), exit[i] the probability of leaving i for an absorbing state, and reward[r][i] the reward collected
// on each visit of i (e.g. the probability of moving from i to CONVERSION). Every step adds, multiplies or
// divides non-negative numbers, never subtracts, so the results keep a small relative error even when the chain
// almost never leaves (where an LU of I - Q loses digits to cancellation). Cost O(n^3).
inline std::vector<double> absorb_from_first(Eigen::MatrixXd q, std::vector<double> exit,
                                             std::vector<std::vector<double>> reward) {
  const long n = q.rows();
  for (long k = n - 1; k >= 1; --k) {
    // Leaving k for another remaining state or for good; its self-loop only repeats the visit.
    double out = exit[std::size_t(k)];
    for (long j = 0; j < k; ++j) out += q(k, j);
    if (!(out > 0)) continue;  // never left once entered: unreachable in the chains the tests build
    for (long i = 0; i < k; ++i) {
      const double f = q(i, k) / out;
      if (f == 0) continue;
      for (long j = 0; j < k; ++j) q(i, j) += f * q(k, j);
      exit[std::size_t(i)] += f * exit[std::size_t(k)];
      for (auto& r : reward) r[std::size_t(i)] += f * r[std::size_t(k)];
    }
  }
  std::vector<double> out;
  for (const auto& r : reward) out.push_back(exit[0] > 0 ? r[0] / exit[0] : 0.0);
  return out;
}

// Expected answers of the exact removal-effect attribution, touchpoints sorted by name.
struct RefAttribution {
  std::vector<std::string> touchpoints;
  std::size_t transient_states = 0;  // START included
  double conversion_probability = 0;
  double expected_value = 0;
  double total_conversions = 0;
  double total_value = 0;
  std::vector<double> conversion_probability_without;
  std::vector<double> removal_effect;
  std::vector<double> removal_effect_value;
  std::vector<double> conversions;
  std::vector<double> value;
  // Transition probabilities by (from, to) state name: "(start)", "a > b", "(conversion)", "(null)".
  std::map<std::pair<std::string, std::string>, double> probability;
};

// The chain of order `order` over the journeys, following the conventions documented in markov.hpp
// (sliding k-grams, a short journey is one short state, repeats collapsed unless keep_loops, START weighted
// by conversions + nulls, zero-weight journeys ignored), solved densely once in full and once per touchpoint.
inline RefAttribution reference_attribution(const std::vector<RefJourney>& journeys, unsigned order,
                                            bool keep_loops = false) {
  using State = std::vector<std::string>;
  std::map<State, std::size_t> index;  // touchpoint states -> 1..S
  std::vector<State> states{State{}};  // 0 = START
  std::map<std::pair<std::size_t, std::size_t>, double> count;
  std::vector<double> end_conv{0}, end_null{0}, end_value{0};
  RefAttribution out;
  auto state_of = [&](const State& s) {
    auto it = index.find(s);
    if (it != index.end()) return it->second;
    std::size_t id = states.size();
    index.emplace(s, id);
    states.push_back(s);
    end_conv.push_back(0);
    end_null.push_back(0);
    end_value.push_back(0);
    return id;
  };
  for (const auto& j : journeys) {
    const double w = j.conversions + j.nulls;
    if (!(w > 0)) continue;
    std::vector<std::size_t> seq;
    if (j.path.size() < order) {
      seq.push_back(state_of(j.path));
    } else {
      for (std::size_t i = 0; i + order <= j.path.size(); ++i)
        seq.push_back(state_of(State(j.path.begin() + long(i), j.path.begin() + long(i + order))));
    }
    std::size_t prev = 0;
    for (std::size_t k = 0; k < seq.size(); ++k) {
      if (k > 0 && seq[k] == prev && !keep_loops) continue;
      count[{prev, seq[k]}] += w;
      prev = seq[k];
    }
    end_conv[prev] += j.conversions;
    end_null[prev] += j.nulls;
    end_value[prev] += j.value;
    out.total_conversions += j.conversions;
    out.total_value += j.value;
  }
  const std::size_t n = states.size();
  out.transient_states = n;
  std::vector<double> row_sum(n, 0.0);
  for (const auto& [edge, c] : count) row_sum[edge.first] += c;
  for (std::size_t i = 0; i < n; ++i) row_sum[i] += end_conv[i] + end_null[i];
  auto name = [&](std::size_t i) {
    if (i == 0) return std::string("(start)");
    std::string s;
    for (std::size_t a = 0; a < states[i].size(); ++a) s += (a ? " > " : "") + states[i][a];
    return s;
  };
  Eigen::MatrixXd q = Eigen::MatrixXd::Zero(long(n), long(n));
  Eigen::VectorXd r_conv = Eigen::VectorXd::Zero(long(n)), r_value = Eigen::VectorXd::Zero(long(n));
  for (const auto& [edge, c] : count) {
    q(long(edge.first), long(edge.second)) = c / row_sum[edge.first];
    out.probability[{name(edge.first), name(edge.second)}] = c / row_sum[edge.first];
  }
  for (std::size_t i = 1; i < n; ++i) {
    if (end_conv[i] > 0) {
      const double p = end_conv[i] / row_sum[i];
      r_conv[long(i)] = p;
      r_value[long(i)] = p * (end_value[i] / end_conv[i]);
      out.probability[{name(i), "(conversion)"}] = p;
    }
    if (end_null[i] > 0) out.probability[{name(i), "(null)"}] = end_null[i] / row_sum[i];
  }
  // Absorption from START by state elimination; removed states are cut out (entering one means NULL).
  auto solve = [&](const std::vector<bool>& removed, double& p, double& v) {
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < n; ++i)
      if (!removed[i]) keep.push_back(i);
    const std::size_t m = keep.size();
    Eigen::MatrixXd qk(static_cast<long>(m), static_cast<long>(m));
    std::vector<double> exit(m), conv(m), value(m);
    for (std::size_t x = 0; x < m; ++x) {
      const std::size_t i = keep[x];
      exit[x] = i == 0 ? 0.0 : (end_conv[i] + end_null[i]) / row_sum[i];
      for (std::size_t j = 0; j < n; ++j)
        if (removed[j]) exit[x] += q(long(i), long(j));
      for (std::size_t y = 0; y < m; ++y) qk(long(x), long(y)) = q(long(i), long(keep[y]));
      conv[x] = r_conv[long(i)];
      value[x] = r_value[long(i)];
    }
    const auto res = absorb_from_first(qk, exit, {conv, value});
    p = res[0];
    v = res[1];
  };
  solve(std::vector<bool>(n, false), out.conversion_probability, out.expected_value);
  for (std::size_t i = 1; i < n; ++i)
    for (const auto& t : states[i])
      if (std::find(out.touchpoints.begin(), out.touchpoints.end(), t) == out.touchpoints.end())
        out.touchpoints.push_back(t);
  std::sort(out.touchpoints.begin(), out.touchpoints.end());
  double sum = 0, sum_v = 0;
  for (const auto& t : out.touchpoints) {
    std::vector<bool> removed(n, false);
    for (std::size_t i = 1; i < n; ++i)
      removed[i] = std::find(states[i].begin(), states[i].end(), t) != states[i].end();
    double p = 0, v = 0;
    solve(removed, p, v);
    out.conversion_probability_without.push_back(p);
    out.removal_effect.push_back(1.0 - p / out.conversion_probability);
    out.removal_effect_value.push_back(out.expected_value > 0 ? 1.0 - v / out.expected_value : 0.0);
    sum += out.removal_effect.back();
    sum_v += out.removal_effect_value.back();
  }
  for (std::size_t t = 0; t < out.touchpoints.size(); ++t) {
    out.conversions.push_back(sum > 0 ? out.removal_effect[t] / sum * out.total_conversions : 0.0);
    out.value.push_back(sum_v > 0 ? out.removal_effect_value[t] / sum_v * out.total_value : 0.0);
  }
  return out;
}

// P(conversion) of a fitted model by a dense solve (state elimination, see absorb_from_first) of the matrix
// in its row_offsets()/columns()/probabilities(), with the states of touchpoint `removed` (an index into
// model.touchpoints(), or -1) sent to NULL.
inline double dense_model_conversion_probability(const journeygraph::MarkovModel& model, long removed = -1) {
  const std::size_t n = model.n_states();
  const auto& rows = model.row_offsets();
  const auto& cols = model.columns();
  const auto& prob = model.probabilities();
  std::vector<bool> cut(n, false);
  if (removed >= 0)
    for (std::size_t i = 1; i < n; ++i)
      for (std::uint32_t t : model.state_tokens(i)) cut[i] = cut[i] || long(t) == removed;
  std::vector<long> at(n, -1);
  long m = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!cut[i]) at[i] = m++;
  Eigen::MatrixXd q = Eigen::MatrixXd::Zero(m, m);
  std::vector<double> exit(std::size_t(m), 0.0), conv(std::size_t(m), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (cut[i]) continue;
    for (std::uint64_t e = rows[i]; e < rows[i + 1]; ++e) {
      const std::uint32_t c = cols[e];
      if (c < n && !cut[c]) {
        q(at[i], at[c]) += prob[e];
      } else {
        exit[std::size_t(at[i])] += prob[e];
        if (c == n) conv[std::size_t(at[i])] += prob[e];
      }
    }
  }
  return absorb_from_first(q, exit, {conv})[0];
}

// |got - want| <= tol * max(|want|, floor): relative, with an absolute floor for values near 0.
inline bool close(double got, double want, double tol, double floor = 0.0) {
  return std::isfinite(got) && std::abs(got - want) <= tol * std::max(std::abs(want), floor);
}

// The model, its removal effects and the attribution agree with an independent dense solve.
// tolerance: relative, on P(conversion); removal effects and credits are checked to 1e-12 of their scale.
inline void check_against_reference(const journeygraph::JourneySet& js, unsigned order,
                                    journeygraph::SelfLoops loops = journeygraph::SelfLoops::drop,
                                    double tolerance = 1e-12) {
  using namespace journeygraph;
  INFO("order " << order << (loops == SelfLoops::keep ? ", self-loops kept" : ""));
  ModelOptions mo;
  mo.order = order;
  mo.self_loops = loops;
  const MarkovModel m = MarkovModel::fit(js, mo);
  const RefAttribution ref = reference_attribution(ref_journeys(js), order, loops == SelfLoops::keep);
  CHECK(m.n_states() == ref.transient_states);
  const auto transitions = m.transitions();
  CHECK(transitions.size() == ref.probability.size());
  for (const auto& t : transitions) {
    auto it = ref.probability.find({t.from, t.to});
    INFO(t.from << " -> " << t.to);
    REQUIRE(it != ref.probability.end());
    CHECK(close(t.probability, it->second, 1e-15, 1.0));
  }
  INFO(std::setprecision(17) << "P(conversion) " << m.conversion_probability() << ", reference "
                              << ref.conversion_probability);
  CHECK(close(m.conversion_probability(), ref.conversion_probability, tolerance));
  // Without smoothing the fitted counts are a flow from START, so P(conversion) is exactly the share of
  // converting weight (an identity that needs no solve).
  CHECK(close(m.conversion_probability(), js.total_conversions() / (js.total_conversions() + js.total_nulls()),
              tolerance));
  const RemovalEffects re = removal_effects(m);
  REQUIRE(re.touchpoints == ref.touchpoints);
  for (std::size_t t = 0; t < re.touchpoints.size(); ++t) {
    INFO("touchpoint " << re.touchpoints[t]);
    CHECK(close(re.removal_effect[t], ref.removal_effect[t], 1e-12, 1.0));
    CHECK(close(re.removal_effect_value[t], ref.removal_effect_value[t], 1e-12, 1.0));
    CHECK(close(re.conversions[t], ref.conversions[t], 1e-12, ref.total_conversions));
    CHECK(close(re.value[t], ref.value[t], 1e-12, std::max(ref.total_value, 1.0)));
  }
}

}  // namespace jgtest
