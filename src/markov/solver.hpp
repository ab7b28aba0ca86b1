#pragma once
// Exact solves of an absorbing Markov chain given as compressed rows over transient states.
//
// Forward formulation: x = expected visits to each transient state starting from state 0 (START), i.e.
// x^T (I - Q) = e_0^T. Quantities such as P(conversion) are then sums x_s * reward_s. Removing a set of
// states (they absorb into NULL) deletes their rows and columns from Q.
//
// Method: the transient graph is split into strongly connected components (Tarjan), processed in
// topological order. A component of one state without self-loop costs O(out-degree); a larger component
// is solved directly by LU: dense (partial pivoting) up to kDenseMax states, sparse LU (COLAMD ordering)
// above. No iteration, no simulation: the answer is exact up to floating-point rounding.

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace journeygraph::detail {

class ChainSolver {
 public:
  static constexpr std::size_t kDenseMax = 384;

  // n transient states; row i's entries [row[i], row[i+1]) with columns col (>= n: absorbing, ignored
  // here) and probabilities prob. rewards: R reward vectors of length n. The arrays must outlive the solver.
  ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* prob);
  ~ChainSolver();
  ChainSolver(const ChainSolver&) = delete;
  ChainSolver& operator=(const ChainSolver&) = delete;

  std::size_t size() const noexcept { return n_; }
  // Expected visits x (size n) from START with removed[s] != 0 states absorbing (removed may be null).
  // Throws DataError if some reachable set of states can never be left (singular system).
  void visits(const std::uint8_t* removed, std::vector<double>& x) const;
  // Same for a general source distribution b (b[s] = expected entries into s from outside).
  void visits_from(const std::vector<double>& source, const std::uint8_t* removed, std::vector<double>& x) const;
  // Number of strongly connected components and the size of the largest.
  std::size_t components() const noexcept { return blocks_.size(); }
  std::size_t largest_component() const noexcept { return largest_; }

 private:
  struct Block;
  void solve_block(const Block& b, const std::uint8_t* removed, std::vector<double>& inflow,
                   std::vector<double>& x) const;
  std::size_t n_;
  const std::uint64_t* row_;
  const std::uint32_t* col_;
  const double* prob_;
  std::vector<std::unique_ptr<Block>> blocks_;  // topological order
  std::vector<std::uint32_t> local_;            // index of a state inside its block
  std::vector<std::uint32_t> block_of_;
  std::size_t largest_ = 0;
};

}  // namespace journeygraph::detail
