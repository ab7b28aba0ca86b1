// Exact removal effects: for each touchpoint, the change of P(conversion) and of the expected value when its
// states are removed, solved only over the part of the chain downstream of those states (ChainSolver::
// removal_deltas): a touchpoint that feeds a few states costs those states, so a million touchpoints that
// each touch a tiny part of the chain cost about one solve in all, not a million.

#include <algorithm>

#include "common/parallel.hpp"
#include "common/sum.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "markov/solver.hpp"

namespace journeygraph {

RemovalEffects removal_effects(const MarkovModel& model, const Execution& exec) {
  if (!model.fitted()) throw StateError("the model is not fitted");
  const double p_full = model.conversion_probability();
  if (!(p_full > 0))
    throw DataError("the model has no conversions (P(conversion) = 0): removal effects are undefined");
  const std::size_t n = model.n_states();
  const detail::Chain& chain = model.chain();
  const auto& vpc = chain.value_per_conversion;
  const auto& p_conv = chain.p_conversion;
  const auto& tps = model.touchpoints();
  const std::size_t n_tp = tps.size();

  // States containing each touchpoint (compressed lists).
  std::vector<std::uint64_t> start(n_tp + 1, 0);
  std::vector<std::uint32_t> seen(n_tp, 0xFFFFFFFFu);
  for (std::uint32_t i = 1; i < n; ++i)
    for (std::uint32_t t : model.state_tokens(i))
      if (seen[t] != i) {
        seen[t] = i;
        ++start[t + 1];
      }
  for (std::size_t t = 0; t < n_tp; ++t) start[t + 1] += start[t];
  std::vector<std::uint32_t> states(start[n_tp]);
  std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
  std::fill(seen.begin(), seen.end(), 0xFFFFFFFFu);
  for (std::uint32_t i = 1; i < n; ++i)
    for (std::uint32_t t : model.state_tokens(i))
      if (seen[t] != i) {
        seen[t] = i;
        states[fill[t]++] = i;
      }

  RemovalEffects r;
  r.touchpoints = tps;
  r.conversion_probability = p_full;
  r.expected_value = model.expected_value();
  r.total_conversions = model.counts().total_conversions();
  r.total_value = model.counts().total_value();
  r.removal_effect.assign(n_tp, 0.0);
  r.removal_effect_value.assign(n_tp, 0.0);
  r.conversion_probability_without.assign(n_tp, 0.0);
  // Touchpoints are solved in fixed batches of kLanes (batch i holds touchpoints [i*kLanes, (i+1)*kLanes)),
  // whatever the thread count, so the bits never depend on it.
  constexpr std::size_t kLanes = detail::ChainSolver::kBatchLanes;
  const std::size_t batches = (n_tp + kLanes - 1) / kLanes;
  std::vector<double> residual(batches, 0.0);
  // The functionals whose change a removal needs: P(conversion) = sum x_i p_i, value = sum x_i p_i v_i.
  std::vector<double> value_rate(n), rate_at, value_at;
  for (std::size_t i = 0; i < n; ++i) value_rate[i] = p_conv[i] * vpc[i];
  chain.solver->to_positions(p_conv.data(), rate_at);
  chain.solver->to_positions(value_rate.data(), value_at);
  const double* fn[2] = {rate_at.data(), value_at.data()};
  std::vector<detail::SolveWorkspace> scratch(detail::parallel_workers(batches, exec));
  detail::parallel_for(batches, exec, "removal effects", [&](std::size_t batch, unsigned worker,
                                                             const detail::LoopPoll& poll) {
    // A batch of a large chain runs for up to seconds: it stops within itself when the loop is cancelled.
    scratch[worker].poll = [&poll] { poll.poll(); };
    const std::size_t first = batch * kLanes, lanes = std::min(kLanes, n_tp - first);
    const std::uint32_t* lists[kLanes];
    std::size_t counts[kLanes];
    for (std::size_t l = 0; l < lanes; ++l) {
      lists[l] = states.data() + start[first + l];
      counts[l] = start[first + l + 1] - start[first + l];
    }
    double delta[kLanes * 2];
    detail::SolveStats stats;
    chain.solver->removal_deltas(lists, counts, lanes, fn, 2, delta, &stats, scratch[worker]);
    residual[batch] = stats.max_residual;
    for (std::size_t l = 0; l < lanes; ++l) {
      const std::size_t t = first + l;
      // Removing states never raises conversion: ratios outside [0, 1] can only be rounding.
      r.conversion_probability_without[t] = detail::clamp_probability(p_full + delta[2 * l]);
      r.removal_effect[t] = detail::clamp_probability(-delta[2 * l] / p_full);
      r.removal_effect_value[t] =
          r.expected_value > 0 ? detail::clamp_probability(-delta[2 * l + 1] / r.expected_value) : 0.0;
    }
  });
  r.max_residual = model.solve_residual();
  for (double x : residual) r.max_residual = std::max(r.max_residual, x);
  double sum = 0, sum_v = 0;
  for (std::size_t t = 0; t < n_tp; ++t) {
    sum += r.removal_effect[t];
    sum_v += r.removal_effect_value[t];
  }
  r.conversions.assign(n_tp, 0.0);
  r.value.assign(n_tp, 0.0);
  for (std::size_t t = 0; t < n_tp; ++t) {
    if (sum > 0) r.conversions[t] = r.removal_effect[t] / sum * r.total_conversions;
    if (sum_v > 0) r.value[t] = r.removal_effect_value[t] / sum_v * r.total_value;
  }
  return r;
}

}  // namespace journeygraph
