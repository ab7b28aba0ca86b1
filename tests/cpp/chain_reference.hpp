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
#include <set>
#include <array>
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

// The counted chain: states (0 = START, then k-grams or short whole paths, in first-seen order),
// transition counts, and per state the journeys ending there.
struct RefCounts {
  using State = std::vector<std::string>;
  std::vector<State> states{State{}};
  std::map<std::pair<std::size_t, std::size_t>, double> count;
  std::vector<double> end_conv{0}, end_null{0}, end_value{0};
  std::vector<double> row_sum;  // all counts leaving a state, ends included
  double total_conversions = 0, total_value = 0;
  std::vector<std::string> touchpoints;  // sorted

  std::string name(std::size_t i) const {
    if (i == 0) return "(start)";
    std::string s;
    for (std::size_t a = 0; a < states[i].size(); ++a) s += (a ? " > " : "") + states[i][a];
    return s;
  }
  bool contains(std::size_t i, const std::string& t) const {
    return std::find(states[i].begin(), states[i].end(), t) != states[i].end();
  }
};

// The chain of order `order` over the journeys, following the conventions documented in markov.hpp
// (sliding k-grams, a short journey is one short state, repeats collapsed unless keep_loops, START weighted
// by conversions + nulls, zero-weight journeys ignored).
inline RefCounts count_reference(const std::vector<RefJourney>& journeys, unsigned order, bool keep_loops) {
  RefCounts c;
  // Names become small integers first (first-seen order), so that states compare as integer vectors.
  std::map<std::string, int> code;
  std::vector<std::string> name_of;
  std::map<std::vector<int>, std::size_t> index;
  auto state_of = [&](std::vector<int>&& key) {
    auto it = index.find(key);
    if (it != index.end()) return it->second;
    std::size_t id = c.states.size();
    RefCounts::State s;
    for (int k : key) s.push_back(name_of[std::size_t(k)]);
    index.emplace(std::move(key), id);
    c.states.push_back(std::move(s));
    c.end_conv.push_back(0);
    c.end_null.push_back(0);
    c.end_value.push_back(0);
    return id;
  };
  std::vector<int> path;
  for (const auto& j : journeys) {
    const double w = j.conversions + j.nulls;
    if (!(w > 0)) continue;
    path.clear();
    for (const auto& name : j.path) {
      auto [it, added] = code.emplace(name, int(name_of.size()));
      if (added) name_of.push_back(name);
      path.push_back(it->second);
    }
    std::vector<std::size_t> seq;
    if (path.size() < order) {
      seq.push_back(state_of(std::vector<int>(path)));
    } else {
      for (std::size_t i = 0; i + order <= path.size(); ++i)
        seq.push_back(state_of(std::vector<int>(path.begin() + long(i), path.begin() + long(i + order))));
    }
    std::size_t prev = 0;
    for (std::size_t k = 0; k < seq.size(); ++k) {
      if (k > 0 && seq[k] == prev && !keep_loops) continue;
      c.count[{prev, seq[k]}] += w;
      prev = seq[k];
    }
    c.end_conv[prev] += j.conversions;
    c.end_null[prev] += j.nulls;
    c.end_value[prev] += j.value;
    c.total_conversions += j.conversions;
    c.total_value += j.value;
  }
  c.row_sum.assign(c.states.size(), 0.0);
  for (const auto& [edge, w] : c.count) c.row_sum[edge.first] += w;
  for (std::size_t i = 0; i < c.states.size(); ++i) c.row_sum[i] += c.end_conv[i] + c.end_null[i];
  std::set<std::string> names;
  for (const auto& s : c.states) names.insert(s.begin(), s.end());
  c.touchpoints.assign(names.begin(), names.end());
  return c;
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

// Removal effects and credits from a solver: solve(removed, p, v) gives P(conversion) and the expected value
// from START with the removed states sent to NULL. Without with_removal, only the full chain is solved.
template <class Solve>
RefAttribution attribution_from(const RefCounts& c, Solve&& solve, bool with_removal = true) {
  RefAttribution out;
  const std::size_t n = c.states.size();
  out.transient_states = n;
  out.touchpoints = c.touchpoints;
  out.total_conversions = c.total_conversions;
  out.total_value = c.total_value;
  for (const auto& [edge, w] : c.count) out.probability[{c.name(edge.first), c.name(edge.second)}] = w / c.row_sum[edge.first];
  for (std::size_t i = 1; i < n; ++i) {
    if (c.end_conv[i] > 0) out.probability[{c.name(i), "(conversion)"}] = c.end_conv[i] / c.row_sum[i];
    if (c.end_null[i] > 0) out.probability[{c.name(i), "(null)"}] = c.end_null[i] / c.row_sum[i];
  }
  solve(std::vector<bool>(n, false), out.conversion_probability, out.expected_value);
  if (!with_removal) return out;
  double sum = 0, sum_v = 0;
  for (const auto& t : out.touchpoints) {
    std::vector<bool> removed(n, false);
    for (std::size_t i = 1; i < n; ++i) removed[i] = c.contains(i, t);
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

// The attribution solved densely (absorb_from_first): O(states^3) per touchpoint, for small chains.
inline RefAttribution reference_attribution(const std::vector<RefJourney>& journeys, unsigned order,
                                            bool keep_loops = false) {
  const RefCounts c = count_reference(journeys, order, keep_loops);
  const std::size_t n = c.states.size();
  return attribution_from(c, [&](const std::vector<bool>& removed, double& p, double& v) {
    std::vector<long> at(n, -1);
    long m = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (!removed[i]) at[i] = m++;
    Eigen::MatrixXd q = Eigen::MatrixXd::Zero(m, m);
    std::vector<double> exit(std::size_t(m), 0.0), conv(std::size_t(m), 0.0), value(std::size_t(m), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (removed[i]) continue;
      const auto x = std::size_t(at[i]);
      if (i > 0) {
        exit[x] = (c.end_conv[i] + c.end_null[i]) / c.row_sum[i];
        conv[x] = c.end_conv[i] / c.row_sum[i];
        value[x] = c.end_value[i] / c.row_sum[i];  // P(conversion) times the mean value per conversion
      }
    }
    for (const auto& [edge, w] : c.count) {
      if (removed[edge.first]) continue;
      const double pr = w / c.row_sum[edge.first];
      if (removed[edge.second]) exit[std::size_t(at[edge.first])] += pr;
      else q(at[edge.first], at[edge.second]) += pr;
    }
    const auto res = absorb_from_first(q, exit, {conv, value});
    p = res[0];
    v = res[1];
  });
}

// The attribution of a chain in which every state has at most one successor besides itself (cycles,
// chains of states), solved in O(states) per touchpoint: along a path v_i = (conv_i + succ_i v_next) /
// (succ_i + conv_i + null_i) in counts (a self-loop only repeats the visit), and around a cycle with no
// exit removed the closed form sum_k (prod_{j<k} a_j) b_k / (1 - prod a), where 1 - prod a is computed as
// -expm1(sum log1p(-exit_j)) so that nearly closed cycles keep their digits.
inline RefAttribution functional_reference_attribution(const std::vector<RefJourney>& journeys, unsigned order,
                                                       bool keep_loops = false, bool with_removal = true) {
  const RefCounts c = count_reference(journeys, order, keep_loops);
  const std::size_t n = c.states.size();
  std::vector<long> next(n, -1);
  std::vector<double> forward(n, 0.0);
  std::vector<std::pair<std::size_t, double>> start;
  for (const auto& [edge, w] : c.count) {
    if (edge.first == 0) {
      start.push_back({edge.second, w});
    } else if (edge.first != edge.second) {
      REQUIRE(next[edge.first] < 0);  // the shape this solver handles
      next[edge.first] = long(edge.second);
      forward[edge.first] = w;
    }
  }
  return attribution_from(c, [&](const std::vector<bool>& removed, double& p, double& v) {
    // pv[i] = {P(conversion), expected value} from state i; state: 0 unknown, 1 on the current walk, 2 known.
    std::vector<std::array<double, 2>> pv(n, {0.0, 0.0});
    std::vector<int> mark(n, 0);
    auto leave = [&](std::size_t i) { return forward[i] + c.end_conv[i] + c.end_null[i]; };
    auto resolve = [&](std::size_t i, const std::array<double, 2>& after) {
      const double d = leave(i);
      pv[i] = {(c.end_conv[i] + forward[i] * after[0]) / d, (c.end_value[i] + forward[i] * after[1]) / d};
      mark[i] = 2;
    };
    for (std::size_t s = 1; s < n; ++s) {
      if (mark[s] == 2) continue;
      std::vector<std::size_t> walk;
      std::size_t i = s;
      long cycle_at = -1;
      while (true) {
        if (removed[i]) {
          mark[i] = 2;  // pv stays 0
          break;
        }
        if (mark[i] == 2) break;
        if (mark[i] == 1) {
          cycle_at = long(std::find(walk.begin(), walk.end(), i) - walk.begin());
          break;
        }
        mark[i] = 1;
        walk.push_back(i);
        if (next[i] < 0) break;
        i = std::size_t(next[i]);
      }
      std::size_t resolved_to = walk.size();
      if (cycle_at >= 0) {
        // Cycle walk[cycle_at..]: closed form at its first state, then backwards around it.
        const std::size_t first = std::size_t(cycle_at);
        double prod = 1, log_stay = 0;
        std::array<double, 2> acc{0.0, 0.0};
        for (std::size_t k = first; k < walk.size(); ++k) {
          const std::size_t x = walk[k];
          const double d = leave(x);
          acc[0] += prod * c.end_conv[x] / d;
          acc[1] += prod * c.end_value[x] / d;
          prod *= forward[x] / d;
          log_stay += std::log1p(-(c.end_conv[x] + c.end_null[x]) / d);
        }
        const double closed = -std::expm1(log_stay);
        std::array<double, 2> head{acc[0] / closed, acc[1] / closed};
        std::array<double, 2> after = head;
        for (std::size_t k = walk.size(); k-- > first + 1;) {
          resolve(walk[k], after);
          after = pv[walk[k]];
        }
        pv[walk[first]] = head;
        mark[walk[first]] = 2;
        resolved_to = first;
      }
      // The tail before the cycle (or the whole walk) resolves backwards from what it runs into.
      for (std::size_t k = resolved_to; k-- > 0;) {
        const std::size_t x = walk[k];
        const std::array<double, 2> after =
            next[x] < 0 ? std::array<double, 2>{0.0, 0.0} : pv[std::size_t(next[x])];
        resolve(x, after);
      }
    }
    double total = 0;
    p = v = 0;
    for (const auto& [s, w] : start) total += w;
    for (const auto& [s, w] : start) {
      p += w / total * pv[s][0];
      v += w / total * pv[s][1];
    }
  }, with_removal);
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
