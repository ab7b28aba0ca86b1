#pragma once
// Backward quantities of a fitted chain, h = (I - Q)^-1 r (absorption probabilities, expected rewards),
// solved as the forward problem of the transposed chain: x^T (I - Q^T) = r^T is (I - Q) x = r. The same
// component-wise direct / iterative solver serves both directions; no dense inverse is ever formed.

#include <cstdint>
#include <memory>
#include <vector>

#include "markov/solver.hpp"

namespace journeygraph::detail {

class BackwardSolver {
 public:
  // Transposes the transient part of chain (absorbing columns dropped). Complexity: O(states + transitions)
  // + the solver's factorisations.
  explicit BackwardSolver(const Chain& chain);
  // h[i] = expected total reward collected from state i on, reward[j] collected at each visit of j.
  // Thread-safe (const).
  void solve(const std::vector<double>& reward, std::vector<double>& h, SolveStats* stats = nullptr) const;

 private:
  std::vector<std::uint64_t> row_;
  std::vector<std::uint32_t> col_;
  std::vector<double> prob_;
  std::unique_ptr<ChainSolver> solver_;  // last: destroyed before the arrays it reads
};

}  // namespace journeygraph::detail
