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
//    states, sparse LU (COLAMD ordering) above. The factorization of the whole component is kept;
//  - iteratively otherwise (large components of high-order chains, where LU fill-in would be near dense):
//    Gauss-Seidel sweeps in a flow order (most probability then flows forward within a sweep), handing
//    over to restarted GMRES preconditioned by the same sweep when convergence is slow (nearly closed
//    cycles); run to a relative residual of kTolerance (a few units of floating-point rounding). Weights that
//    are counts give the flow order before any solve (a fitted chain's flows are proportional to its counts);
//    probabilities get a reverse DFS order for the first solve and the flow order from its solution. Sweeps
//    store the iterate by first reader, so each state's predecessors are read from neighbouring memory.
// Every component solve measures its true relative residual ||b - A x|| / ||b||; the largest is reported
// so that callers can show how exact an answer is. No simulation anywhere.
//
// Removals (removal_deltas). Removing states changes the visits only downstream of them, so a removal is
// solved for the change d = x' - x alone, component by component from the ones holding removed states,
// and only where a change arrives: a touchpoint whose states feed a small part of the chain costs that
// part, not the whole chain. Inside a cyclic component the route is chosen by its cost: Gauss-Seidel
// sweeps from the full solution (cost: sweeps x transitions) when they fit within the budget of a direct
// solve (a Schur complement on the kept factorization: one LU solve per removed state, or a refactorization
// of what remains, from the factor's fill), the direct solve otherwise or when the sweeps do not converge
// within that budget. Either way each component solve reaches kTolerance relative to the right-hand side
// of the reduced chain's own system, so the answer is as exact as a solve from scratch.

#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <vector>

namespace journeygraph::detail {

struct LuFactor;

// Allocates on 64-byte boundaries (a cache line): a sweep reads the L lanes of a state as one group of
// 8 x L bytes, which then never straddles two lines.
template <class T>
struct LineAligned {
  using value_type = T;
  LineAligned() = default;
  template <class U>
  LineAligned(const LineAligned<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64))); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t(64)); }
  template <class U>
  bool operator==(const LineAligned<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const LineAligned<U>&) const noexcept { return false; }
};

// Scratch memory of solves, kept between calls by one thread so large solves do not fault in fresh pages
// every time (a removal batch of an order-3 chain touches hundreds of megabytes).
struct SolveWorkspace {
  // Asked between sweeps, GMRES cycles and every few thousand components of a solve that uses this workspace
  // (a few milliseconds apart at most), if set. It may throw to abandon the solve: the workspace stays
  // usable. Removal effects set it so that a cancelled loop stops within a batch.
  std::function<void()> poll;
  std::vector<double> inflow, carry, local_in, local_out;
  std::vector<double, LineAligned<double>> sol;  // sweeps' iterate, [slot * lanes + lane]
  std::vector<double> xprev, rprev, rcur;  // sweeps' extrapolation: iterate and residual of the last check
  std::vector<double, LineAligned<double>> step;  // change of the iterate made by the last sweep (residual checks)
  std::vector<std::uint8_t> sweep_mask;     // sweeps: removed lanes of each position
  std::vector<std::uint32_t> rhs_at;        // sweeps: where each position's right-hand side starts in sweep_rhs
  std::vector<double> sweep_rhs;
  std::vector<double> gmres;                // GMRES: its Krylov basis and two work vectors
  std::vector<std::uint8_t> local_mask;
  std::vector<std::uint8_t> lane_mask;  // bit r of state s: lane r removes s
  // Removal solves: zero everywhere between calls, except while one runs (touched lists what to reset).
  std::size_t stride = 0;               // lanes the arrays below are laid out for
  // change of the inflow of each position and its compensation, [p * 2 stride + r] and [p * 2 stride + stride + r]
  std::vector<double, LineAligned<double>> dsum;
  std::vector<std::uint8_t> rmask, seen;
  std::vector<std::uint8_t> dirty;      // per component
  std::vector<std::uint32_t> touched, heap;
};

struct SolveStats {
  double max_residual = 0;           // largest relative residual of any component solve
  std::uint64_t iterations = 0;      // GMRES iterations (0 if every component was solved directly)
  std::uint64_t iterative_solves = 0;
};

class ChainSolver {
 public:
  static constexpr std::size_t kLanes = 8;       // most removal sets one visits_batch call solves
  // Removal sets per batch that removal effects use: with 4 lanes, two threads' working sets of a large
  // component (8 bytes x lanes per state each) still share the L3 cache; per lane, 4 cost what 8 do.
  static constexpr std::size_t kBatchLanes = 4;
  static constexpr std::size_t kDenseMax = 384;
  // Cyclic components up to this size always use their LU for removals (sweeps cannot beat it there).
  static constexpr std::size_t kAlwaysDirect = 24;
  static constexpr std::size_t kDirectMax = 2000;
  static constexpr double kTolerance = 1e-15;  // target relative residual of iterative solves
  static constexpr double kAccept = 1e-12;     // an iterative solve stuck above this is an error

  struct Config {
    std::size_t dense_max = kDenseMax;
    std::size_t direct_max = kDirectMax;
    int restart = 10;        // GMRES restart length
    // With 2 or more, construction builds the removal walk's arrays on a second thread while it orders the
    // blocks and solves the full chain (the same arrays either way).
    unsigned threads = 1;
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
                    SolveStats* stats = nullptr, SolveWorkspace* workspace = nullptr) const;
  // Same for a general source b (b[s] = expected entries into s from outside the chain).
  void visits_from(const std::vector<double>& source, const std::uint8_t* removed, std::vector<double>& x,
                   SolveStats* stats = nullptr) const;
  // The visits of the full chain from START (computed at construction).
  const std::vector<double>& full_visits() const noexcept { return full_; }
  const SolveStats& full_stats() const noexcept { return full_stats_; }

  // Changes of linear functionals of the visits when sets of states are removed (they absorb into NULL),
  // for 1 <= lanes <= kLanes sets at once: lane r removes the count[r] states removed[r][0..count[r])
  // (each < size(); repeats allowed), and out[r * nf + f] = sum_s (x'_s - x_s) fn[f][s], where x' are the
  // visits from START without those states and x = full_visits(). The functionals are given in the solver's
  // own order of states (to_positions), which its walk reads in sequence. Only the components downstream of the
  // removed states are solved (see the file comment), so the cost is that of the part of the chain the
  // removed states feed. The sums are compensated, in a fixed order: the same bits for any caller thread.
  // The workspace keeps its arrays between calls, one workspace per thread: per state of the chain 2 x lanes
  // doubles and 2 bytes; per state of the largest component swept, 5 x lanes doubles and 5 bytes, and 13
  // doubles once a solve fell back to GMRES. Throws DataError as visits(). Thread-safe (const).
  void removal_deltas(const std::uint32_t* const* removed, const std::size_t* count, std::size_t lanes,
                      const double* const* fn, std::size_t nf, double* out, SolveStats* stats,
                      SolveWorkspace& workspace) const;

  // by_position[p] = by_state[s] for the state s at position p of the solver's order (topological).
  void to_positions(const double* by_state, std::vector<double>& by_position) const;

  std::size_t components() const noexcept { return comp_start_.empty() ? 0 : comp_start_.size() - 1; }
  std::size_t largest_component() const noexcept { return largest_; }

 private:
  struct Block;
  // Components (topological order), their factors or sweep orders; components_known is called as soon as the
  // components themselves are (order_, comp_start_, block_of_), before the blocks are factored or ordered.
  void build_blocks(const std::function<void()>& components_known);
  void build_positions(bool on_caller);
  void set_sweep_order(Block& b, std::vector<std::uint32_t> order) const;
  LuFactor factor(const Block& b, const std::vector<std::uint32_t>* keep) const;
  // Flow order of a block (greedy feedback-arc heuristic on the flows x_s q_st): flow_from gives the visits x;
  // null takes the flows as proportional to the weights (a chain fitted to counts).
  std::vector<std::uint32_t> flow_order(const Block& b, const double* flow_from) const;
  void solve_direct(const Block& b, const std::uint8_t* mask, unsigned lane, const double* inflow, std::size_t stride,
                    double* x, SolveStats& stats, double bnorm_ref = 0) const;
  double direct_cost(const Block& b, std::size_t removed) const;
  template <std::size_t L>
  std::uint8_t sweep_lanes(const Block& b, const std::uint8_t* lane_mask, std::uint8_t extra, const double* inflow,
                           double* x, const std::vector<double>* guess, const double* bnorm_ref,
                           std::size_t max_sweeps, SolveStats& stats, SolveWorkspace& ws) const;
  std::uint8_t solve_iterative(const Block& b, const std::uint8_t* lane_mask, std::uint8_t extra, std::size_t lanes,
                               const double* inflow, double* x, const std::vector<double>* guess,
                               const double* bnorm_ref, std::size_t max_sweeps, SolveStats& stats,
                               SolveWorkspace& ws) const;
  template <std::size_t L>
  void run_lanes(const std::vector<double>& source, const std::uint8_t* const* removed, std::vector<double>& x,
                 const std::vector<double>* guess, SolveStats& stats, SolveWorkspace& ws) const;
  template <std::size_t L>
  void removal_lanes(const std::uint32_t* const* removed, const std::size_t* count, const double* const* fn,
                     std::size_t nf, double* out, SolveStats& stats, SolveWorkspace& ws) const;
  double gmres(const Block& b, const std::vector<std::uint8_t>& rem, const std::vector<double>& rhs,
               std::vector<double>& sol, double bnorm, SolveStats& stats, SolveWorkspace& ws) const;
  void run(const std::vector<double>& source, const std::uint8_t* const* removed, std::size_t lanes,
           std::vector<double>& x, const std::vector<double>* guess, SolveStats& stats, SolveWorkspace& ws) const;

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
  void checkpoint(const SolveWorkspace& ws) const {
    checkpoint();
    if (ws.poll) ws.poll();
  }
  // In a pass over a large block's states (tens of milliseconds each): a checkpoint at every 65,536th.
  void checkpoint_every(std::size_t i) const {
    if ((i & 0xFFFF) == 0xFFFF) checkpoint();
  }
  // Components in topological order, flat: component c holds the states order_[comp_start_[c] ..
  // comp_start_[c + 1]) (ascending); a cyclic one has cyclic_[cyclic_of_[c]], a single state kNone there.
  std::vector<std::uint32_t> order_, comp_start_, cyclic_of_;
  std::vector<std::unique_ptr<Block>> cyclic_;
  std::vector<std::uint32_t> local_;     // index of a state inside its component
  std::vector<std::uint32_t> block_of_;  // component of each state
  // The same in the order of order_ ("positions"), for removal solves: position of each state, component
  // at each position, the edges leaving each position's component (target position, weight), the full
  // solution y = x / total, the total weight and the full solution x itself.
  std::vector<std::uint32_t> pos_, comp_at_;
  std::vector<std::uint64_t> out_ptr_;
  std::vector<std::uint32_t> out_to_;
  std::vector<double> out_w_, y_pos_, total_pos_, full_pos_;
  std::vector<double> stay_;             // by position, single-state components: total minus the self-loop
  std::size_t largest_ = 0;
  std::vector<double> full_;
  std::vector<double> full_in_;          // by position, cyclic components: inflow from outside it, full chain
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
