// Fundamental-matrix quantities of a fitted chain by sparse solves, and the transposed-chain solver behind
// the backward ones.

#include "journeygraph/analysis.hpp"

#include <algorithm>

#include "journeygraph/error.hpp"
#include "markov/backward.hpp"

namespace journeygraph {

namespace detail {

BackwardSolver::BackwardSolver(const Chain& chain) {
  const std::size_t n = chain.size();
  row_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t q = chain.row_offsets[i]; q < chain.row_offsets[i + 1]; ++q)
      if (chain.columns[q] < n) ++row_[chain.columns[q] + 1];
  for (std::size_t i = 0; i < n; ++i) row_[i + 1] += row_[i];
  col_.resize(row_[n]);
  prob_.resize(row_[n]);
  std::vector<std::uint64_t> fill(row_.begin(), row_.end() - 1);
  for (std::size_t i = 0; i < n; ++i)  // rows in order, so each transposed row's columns are sorted
    for (std::uint64_t q = chain.row_offsets[i]; q < chain.row_offsets[i + 1]; ++q) {
      const std::uint32_t j = chain.columns[q];
      if (j >= n) continue;
      col_[fill[j]] = static_cast<std::uint32_t>(i);
      prob_[fill[j]++] = chain.probabilities[q];
    }
  solver_ = std::make_unique<ChainSolver>(n, row_.data(), col_.data(), prob_.data());
}

void BackwardSolver::solve(const std::vector<double>& reward, std::vector<double>& h, SolveStats* stats) const {
  solver_->visits_from(reward, nullptr, h, stats);
}

}  // namespace detail

ChainAnalysis analyze_chain(const MarkovModel& model, const Execution&) {
  if (!model.fitted()) throw StateError("the model is not fitted");
  const detail::Chain& ch = model.chain();
  const std::size_t n = model.n_states();
  const detail::BackwardSolver back(ch);
  ChainAnalysis a;
  a.states.reserve(n);
  for (std::size_t i = 0; i < n; ++i) a.states.push_back(model.state_name(i));
  a.touchpoints = model.touchpoints();
  detail::SolveStats stats;
  back.solve(ch.p_conversion, a.conversion_probability, &stats);
  std::vector<double> reward(n);
  for (std::size_t i = 0; i < n; ++i) reward[i] = ch.p_conversion[i] * ch.value_per_conversion[i];
  back.solve(reward, a.expected_value, &stats);
  std::fill(reward.begin(), reward.end(), 1.0);
  std::vector<double> visits_to_go;
  back.solve(reward, visits_to_go, &stats);
  a.expected_visits = ch.solver->full_visits();
  a.max_residual = std::max(stats.max_residual, model.solve_residual());

  // Touches: a state entered from START brings all its touchpoints, any later state its last one.
  const std::size_t nt = a.touchpoints.size();
  a.touchpoint_visits.assign(nt, 0.0);
  std::vector<double> from_start(n, 0.0);
  for (std::uint64_t q = ch.row_offsets[0]; q < ch.row_offsets[1]; ++q)
    if (ch.columns[q] < n) from_start[ch.columns[q]] += ch.probabilities[q];
  double extra = 0;  // touches beyond one per state visit
  for (std::size_t s = 1; s < n; ++s) {
    const auto tokens = model.state_tokens(s);
    a.touchpoint_visits[tokens.back()] += a.expected_visits[s] - from_start[s];
    for (std::uint32_t t : tokens) a.touchpoint_visits[t] += from_start[s];
    extra += from_start[s] * double(tokens.size() - 1);
  }
  a.touches_to_go.resize(n);
  for (std::size_t i = 1; i < n; ++i) a.touches_to_go[i] = visits_to_go[i] - 1;
  a.touches_to_go[0] = visits_to_go[0] - 1 + extra;
  a.expected_touches = a.touches_to_go[0];
  return a;
}

}  // namespace journeygraph
