#pragma once
// Solves of an absorbing Markov chain given as compressed rows over transient states.
//
// Forward formulation: x = expected visits to each transient state starting from state 0 (START), i.e.
// x^T (I - Q) = e_0^T. Quantities such as P(conversion) are then sums x_s * reward_s. Removing a set of
// states (they absorb into NULL) deletes their rows and columns from Q.
//
// Method. The transient graph is split into strongly connected components (Tarjan) and processed in
// topological order, so acyclic parts cost one pass over their edges. A cyclic component is solved
//  - directly, by LU, when it has at most kDirectMax states: dense partial-pivoting LU up to kDenseMax
//    states, sparse LU (COLAMD ordering) above. The factorization of the whole component is kept; a solve
//    that removes a few of its states uses it through a Schur complement instead of refactoring;
//  - iteratively otherwise (large components of high-order chains, where LU fill-in would be near dense):
//    Gauss-Seidel sweeps in reverse DFS postorder (most probability then flows forward within a sweep),
//    handing over to restarted GMRES preconditioned by the same sweep when convergence is slow (nearly
//    closed cycles); run to a relative residual of kTolerance (a few units of floating-point rounding).
// Every component solve measures its true relative residual ||b - A x|| / ||b||; the largest is reported
// so that callers can show how exact an answer is. No simulation anywhere.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace journeygraph::detail {

struct LuFactor;

struct SolveStats {
  double max_residual = 0;           // largest relative residual of any component solve
  std::uint64_t iterations = 0;      // GMRES iterations (0 if every component was solved directly)
  std::uint64_t iterative_solves = 0;
};

class ChainSolver {
 public:
  static constexpr std::size_t kLanes = 8;
  static constexpr std::size_t kDenseMax = 384;
  static constexpr std::size_t kDirectMax = 2000;
  static constexpr double kTolerance = 1e-15;  // target relative residual of iterative solves
  static constexpr double kAccept = 1e-12;     // an iterative solve stuck above this is an error

  struct Config {
    std::size_t dense_max = kDenseMax;
    std::size_t direct_max = kDirectMax;
    int restart = 10;        // GMRES restart length
  };

  // n transient states; row i's entries [row[i], row[i+1]) have columns col (>= n: absorbing, ignored
  // here) and weights w; total[i] is row i's whole weight, absorption included, so q_ij = w_ij / total[i].
  // With total == nullptr the weights are the probabilities themselves (totals 1). Giving counts and
  // their totals is more exact: the solver works on y = x / total, whose equations
  // total_j y_j - sum_i w_ij y_i = b_j hold the counts themselves, so a nearly closed chain (exits of 1e-6
  // of a row) loses no digits to rounded probabilities. The arrays must outlive the solver.
  // Factorizes the direct components and solves the full chain once (kept as the starting point of the
  // iterative solves). on_checkpoint, if given, is called often during construction only (between
  // components, Tarjan steps, sweeps and GMRES iterations) so a caller can report progress or cancel by
  // throwing.
  ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* weight,
              const double* total, Config config, std::function<void()> on_checkpoint = {});
  // Probabilities as weights (totals 1).
  ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* prob);
  ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* prob, Config config,
              std::function<void()> on_checkpoint = {});
  ~ChainSolver();
  ChainSolver(const ChainSolver&) = delete;
  ChainSolver& operator=(const ChainSolver&) = delete;

  std::size_t size() const noexcept { return n_; }
  // Expected visits x (size n) from START with removed[s] != 0 states absorbing (removed may be null).
  // Throws DataError if some reachable set of states can never be left (singular system) or an
  // iterative solve does not reach kAccept. Thread-safe (const).
  void visits(const std::uint8_t* removed, std::vector<double>& x, SolveStats* stats = nullptr) const;
  // Several removal sets at once (1 <= lanes <= kLanes): x[s * lanes + r] is the visits of state s with
  // removed[r] removed (removed[r] may be null). Shares memory traffic between the lanes; each lane's
  // answer is as exact as a single solve. Thread-safe (const).
  void visits_batch(const std::uint8_t* const* removed, std::size_t lanes, std::vector<double>& x,
                    SolveStats* stats = nullptr) const;
  // Same for a general source b (b[s] = expected entries into s from outside the chain).
  void visits_from(const std::vector<double>& source, const std::uint8_t* removed, std::vector<double>& x,
                   SolveStats* stats = nullptr) const;
  // The visits of the full chain from START (computed at construction).
  const std::vector<double>& full_visits() const noexcept { return full_; }
  const SolveStats& full_stats() const noexcept { return full_stats_; }
  std::size_t components() const noexcept { return blocks_.size(); }
  std::size_t largest_component() const noexcept { return largest_; }

 private:
  struct Block;
  void build_blocks();
  void set_sweep_order(Block& b, std::vector<std::uint32_t> order) const;
  LuFactor factor(const Block& b, const std::vector<std::uint32_t>* keep) const;
  std::vector<std::uint32_t> flow_order(const Block& b, const std::vector<double>& flow_from) const;
  void solve_direct(const Block& b, const std::uint8_t* removed, const double* inflow, std::size_t stride, double* x,
                    SolveStats& stats) const;
  void solve_iterative(const Block& b, const std::uint8_t* const* removed, std::size_t lanes,
                       const std::vector<double>& inflow, std::vector<double>& x, const std::vector<double>* guess,
                       SolveStats& stats) const;
  template <std::size_t L>
  void sweep_lanes(const Block& b, const std::uint8_t* const* removed, const std::vector<double>& inflow,
                   std::vector<double>& x, const std::vector<double>* guess, SolveStats& stats) const;
  double gmres(const Block& b, const std::vector<std::uint8_t>& rem, const std::vector<double>& rhs,
               std::vector<double>& sol, double bnorm, SolveStats& stats) const;
  void run(const std::vector<double>& source, const std::uint8_t* const* removed, std::size_t lanes,
           std::vector<double>& x, const std::vector<double>* guess, SolveStats& stats) const;

  std::size_t n_;
  const std::uint64_t* row_;
  const std::uint32_t* col_;
  const double* prob_;   // weights (probabilities when total_ is null)
  const double* total_;  // row totals, or null for 1
  double total(std::uint32_t s) const noexcept { return total_ ? total_[s] : 1.0; }
  Config config_;
  std::function<void()> checkpoint_;  // set during construction only
  void checkpoint() const {
    if (checkpoint_) checkpoint_();
  }
  std::vector<std::unique_ptr<Block>> blocks_;  // topological order
  std::vector<std::uint32_t> local_;            // index of a state inside its block
  std::vector<std::uint32_t> block_of_;
  std::size_t largest_ = 0;
  std::vector<double> full_;
  SolveStats full_stats_;
};

// The fitted chain as arrays, with its solver (built once, after the arrays are final).
struct Chain {
  std::vector<std::uint64_t> row_offsets;
  std::vector<std::uint32_t> columns;
  std::vector<double> probabilities;
  std::vector<double> row_counts;
  std::vector<double> value_per_conversion;
  std::vector<double> p_conversion;  // probability of the CONVERSION column per row
  // What the solver works on: each entry's weight (its count, plus smoothing, scaled) and each row's total
  // weight, so that probabilities are weight / total without rounding inside the solve.
  std::vector<double> weights;
  std::vector<double> totals;
  std::unique_ptr<ChainSolver> solver;
  std::size_t size() const noexcept { return row_offsets.empty() ? 0 : row_offsets.size() - 1; }
};

}  // namespace journeygraph::detail
