#include "markov/solver.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <new>
#include <thread>

#include "common/indexed_heap.hpp"
#include "common/scc.hpp"
#include "common/sum.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph::detail {

namespace {
using DenseLU = Eigen::PartialPivLU<Eigen::MatrixXd>;
using SparseMat = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;
using SparseLU = Eigen::SparseLU<SparseMat, Eigen::COLAMDOrdering<int>>;
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr int kMaxCycles = 400;  // GMRES restarts
constexpr std::size_t kStepAfter = 8;  // sweeps before residual checks become minimal-residual steps
// Sweeps whose residual falls by less than this factor per sweep hand over to GMRES. Sweeps from zero on
// the large components of order-4 chains start at 0.62-0.66 per sweep and speed up (the minimal-residual
// steps remove the slow modes): 20 sweeps for 4 lanes at once, where GMRES one lane at a time cost several
// times as much. Nearly closed cycles (rates of 0.99 and above) still go to GMRES.
constexpr double kSlowRate = 0.8;

[[noreturn]] void singular(std::size_t size) {
  throw DataError("the chain has a set of " + std::to_string(size) +
                  " states that journeys enter but can never leave (no path to conversion or null)");
}

// Sweeps gather each in-edge's source from the iterate, a read the hardware cannot predict. They ask for
// the source of the edge this many entries ahead (in_src carries as many padding entries) and for the slot
// written this many positions ahead, so the lines arrive while the sums before them run.
constexpr std::size_t kPrefetch = 16;
inline void prefetch_read(const void* p) {
#if defined(__GNUC__)
  __builtin_prefetch(p, 0);
#else
  (void)p;
#endif
}
inline void prefetch_write(const void* p) {
#if defined(__GNUC__)
  __builtin_prefetch(p, 1);
#else
  (void)p;
#endif
}

double norm2(const double* v, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += v[i] * v[i];
  return std::sqrt(s);
}
}  // namespace

// An LU factorization of a component's matrix (or of what remains of it after removals): dense partial
// pivoting for small systems, sparse LU with COLAMD ordering above.
struct LuFactor {
  std::unique_ptr<DenseLU> dense;
  std::unique_ptr<SparseLU> sparse;
  Eigen::MatrixXd solve(const Eigen::MatrixXd& v) const {
    return dense ? Eigen::MatrixXd(dense->solve(v)) : Eigen::MatrixXd(sparse->solve(v));
  }
};

struct ChainSolver::Block {
  enum class Kind { dense, sparse, iterative };
  std::vector<std::uint32_t> members;  // global state ids, ascending; local index = position
  Kind kind = Kind::iterative;
  LuFactor whole;                      // factor of A = (I - Q_BB)^T, whole block (direct kinds)
  double lu_entries = 0;               // entries of that factor (its solve costs about twice as many flops)
  std::uint64_t entries = 0;           // transitions inside the block, self-loops excluded
  // Sweep order (a flow order; every iterative block, and direct ones large enough that sweeps may beat
  // their LU on a removal): sweep[p] = local index at position p.
  std::vector<std::uint32_t> sweep;
  bool flow_ordered = false;           // sweep is a flow order already (made from counts, before any solve)
  std::vector<std::uint64_t> in_ptr;   // incoming edges of position p: [in_ptr[p], in_ptr[p+1])
  std::vector<std::uint64_t> back;     // the first of them from a later position: [back[p], in_ptr[p+1])
  // Sweeps keep the value of position p at slot[p] of their arrays (at_slot is the inverse): the slots follow
  // the positions' first readers (see set_sweep_order), so the sources a position reads lie close together.
  std::vector<std::uint32_t> slot, at_slot;
  // Slot of the source; each list in increasing source position (then kPrefetch entries of padding).
  std::vector<std::uint32_t> in_src;
  std::vector<double> in_w;            // probability source -> p
  std::vector<double> diag;            // 1 - self-loop probability
  std::vector<double> inv_diag;        // 1 / diag, for sweeps
  // Direct blocks: the edges inside the block by target (local index), each list in the order the rows
  // list them (sources ascending), self-loops and zero weights included, for the residual of a solve.
  std::vector<std::uint64_t> res_ptr;
  std::vector<std::uint32_t> res_src;  // source local index
  std::vector<double> res_w;
};

ChainSolver::~ChainSolver() = default;

ChainSolver::ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* prob)
    : ChainSolver(n, row, col, prob, nullptr, Config{}) {}

ChainSolver::ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* prob,
                         Config config, std::function<void()> on_checkpoint)
    : ChainSolver(n, row, col, prob, nullptr, config, std::move(on_checkpoint)) {}

ChainSolver::ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* weight,
                         const double* total, Config config, std::function<void()> on_checkpoint)
    : n_(n), row_(row), col_(col), prob_(weight), total_(total), config_(config),
      checkpoint_(std::move(on_checkpoint)), local_(n), block_of_(n) {
  // The removal walk's arrays depend only on the components (found first, in build_blocks), so with a second
  // thread they are built while the blocks are ordered and the full chain is solved.
  std::thread side;
  std::exception_ptr side_error;
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{side};
  build_blocks([&] {
    if (config_.threads < 2) return build_positions(true);
    try {
      side = std::thread([this, &side_error] {
        try {
          build_positions(false);
        } catch (...) {
          side_error = std::current_exception();
        }
      });
    } catch (const std::exception&) {
      build_positions(true);  // no thread to be had (or no memory for one): build them here
    }
  });
  std::vector<double> source(n_, 0.0);
  if (n_ > 0) source[0] = 1.0;
  SolveWorkspace ws;
  // Weights that are counts of journeys balance: each state's inflow equals its row total (what enters a state
  // leaves it), so the visits are x_s = total_s / total_0 (START's total is the number of journeys, each
  // visiting it once). The large components' sweeps start there: when the counts balance, the first residual
  // check finds it solved and no sweep runs; when they do not (smoothing, reweighting) it is a close start.
  // Either way the residual check, not the guess, decides the answer.
  std::vector<double> balanced;
  bool sweeps = false;
  for (const auto& b : cyclic_) sweeps = sweeps || b->kind == Block::Kind::iterative;
  if (total_ && sweeps && total_[0] > 0) {
    balanced.resize(n_);
    for (std::size_t s = 0; s < n_; ++s) balanced[s] = total_[s] / total_[0];
  }
  run(source, nullptr, 1, full_, balanced.empty() ? nullptr : &balanced, full_stats_, ws);
  // With the full solution known, reorder the cyclic components by flow for the solves that follow (direct
  // ones too: a removal may go through sweeps when they cost less than the LU), and keep each cyclic state's
  // inflow from outside its component: removal solves measure their residual against it. A component ordered
  // from its counts keeps that order when the solution confirms that its flows are proportional to the counts
  // (visits / row total the same for every member, to 1e-9): then the two orders are the same. Otherwise
  // (smoothing, reweighted counts) it is reordered from the solution like the others.
  for (auto& b : cyclic_) {
    if (b->flow_ordered) {
      const double ref = full_[b->members[0]] / this->total(b->members[0]);
      for (std::uint32_t s : b->members)
        if (!(std::abs(full_[s] / this->total(s) - ref) <= 1e-9 * ref)) {
          b->flow_ordered = false;
          break;
        }
    }
    if (!b->flow_ordered && (b->kind == Block::Kind::iterative || b->members.size() > kAlwaysDirect)) {
      checkpoint();
      set_sweep_order(*b, flow_order(*b, full_.data()));
    }
  }
  if (side.joinable()) side.join();
  if (side_error) std::rethrow_exception(side_error);
  y_pos_.resize(n_);
  full_pos_.resize(n_);
  for (std::uint32_t p = 0; p < n_; ++p) {
    full_pos_[p] = full_[order_[p]];
    y_pos_[p] = full_pos_[p] / total_pos_[p];
  }
  // Each cyclic state's inflow from outside its component in the full chain (removal solves measure their
  // residual against it), compensated.
  full_in_.assign(n_, 0.0);
  std::vector<double> comp(n_, 0.0);
  if (n_ > 0 && cyclic_of_[block_of_[0]] != kNone) full_in_[pos_[0]] = 1.0;
  for (std::uint32_t p = 0; p < n_; ++p) {
    const double ys = y_pos_[p];
    if (ys == 0.0) continue;
    for (std::uint64_t e = out_ptr_[p]; e < out_ptr_[p + 1]; ++e) {
      const std::uint32_t t = out_to_[e];
      if (cyclic_of_[comp_at_[t]] == kNone) continue;
      const double term = ys * out_w_[e], next = full_in_[t] + term;
      comp[t] += std::fabs(full_in_[t]) >= std::fabs(term) ? (full_in_[t] - next) + term : (term - next) + full_in_[t];
      full_in_[t] = next;
    }
  }
  for (std::size_t p = 0; p < n_; ++p) full_in_[p] += comp[p];
  checkpoint_ = nullptr;  // the const solves never call it
}

// Removal solves walk the components in topological order: give them that order's numbering (positions), with
// the edges leaving each state's component and the row totals in it, so the walk reads memory in sequence
// instead of at the random places of the states' own numbering. Needs the components (order_, comp_start_,
// block_of_) only. On the calling thread (on_caller) it checks in between its passes; on a side thread it
// never does (the checkpoint callback belongs to the caller's thread).
void ChainSolver::build_positions(bool on_caller) {
  auto check = [&] {
    if (on_caller) checkpoint();
  };
  pos_.resize(n_);
  comp_at_.resize(n_);
  for (std::size_t c = 0; c + 1 < comp_start_.size(); ++c)
    for (std::uint32_t p = comp_start_[c]; p < comp_start_[c + 1]; ++p) {
      pos_[order_[p]] = p;
      comp_at_[p] = static_cast<std::uint32_t>(c);
    }
  out_ptr_.assign(n_ + 1, 0);
  total_pos_.resize(n_);
  for (std::uint32_t p = 0; p < n_; ++p) {
    const std::uint32_t s = order_[p];
    total_pos_[p] = this->total(s);
    std::uint64_t k = 0;
    for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e)
      if (col_[e] < n_ && block_of_[col_[e]] != block_of_[s] && prob_[e] != 0.0) ++k;
    out_ptr_[p + 1] = out_ptr_[p] + k;
  }
  check();
  out_to_.assign(out_ptr_[n_] + kPrefetch, 0);  // padding: what the removal walk's prefetch reads past the end
  out_w_.resize(out_ptr_[n_]);
  for (std::uint32_t p = 0; p < n_; ++p) {
    const std::uint32_t s = order_[p];
    std::uint64_t at = out_ptr_[p];
    for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e)
      if (col_[e] < n_ && block_of_[col_[e]] != block_of_[s] && prob_[e] != 0.0) {
        out_to_[at] = pos_[col_[e]];
        out_w_[at++] = prob_[e];
      }
  }
}

void ChainSolver::build_blocks(const std::function<void()>& components_known) {
  const std::size_t n = n_;
  const auto* row = row_;
  const auto* col = col_;
  const auto* prob = prob_;
  // Components in topological order, over the edges of positive weight between transient states.
  detail::strong_components_flat(
      n, row, col, [prob](std::uint64_t e) { return prob[e] != 0.0; }, [this] { checkpoint(); }, order_, comp_start_);
  const std::size_t nc = comp_start_.size() - 1;
  cyclic_of_.assign(nc, kNone);
  stay_.assign(n, 0.0);
  std::size_t next_check = std::size_t(1) << 16;  // a checkpoint every 65,536 states
  for (std::size_t c = 0; c < nc; ++c) {
    auto first = order_.begin() + comp_start_[c], last = order_.begin() + comp_start_[c + 1];
    const std::size_t m = std::size_t(last - first);
    if (comp_start_[c + 1] >= next_check) {
      checkpoint();
      next_check = std::size_t(comp_start_[c + 1]) + (std::size_t(1) << 16);
    }
    if (m > 1) std::sort(first, last);
    for (std::uint32_t i = 0; i < m; ++i) {
      local_[first[i]] = i;
      block_of_[first[i]] = static_cast<std::uint32_t>(c);
    }
    largest_ = std::max(largest_, m);
    if (m == 1) {
      const std::uint32_t s = *first;
      double loop = 0;
      for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
        if (col[e] == s) loop += prob[e];
      stay_[comp_start_[c]] = total(s) - loop;
      continue;
    }
    cyclic_of_[c] = static_cast<std::uint32_t>(cyclic_.size());
    auto b = std::make_unique<Block>();
    b->members.assign(first, last);
    cyclic_.push_back(std::move(b));
  }
  components_known();
  std::vector<std::uint8_t> entry;  // has an in-edge from another component
  for (auto& bp : cyclic_) {
    Block& b = *bp;
    const std::size_t m = b.members.size();
    const std::uint32_t me = block_of_[b.members[0]];
    for (std::uint32_t s : b.members)
      for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
        if (col[e] < n && col[e] != s && prob[e] != 0.0 && block_of_[col[e]] == me) ++b.entries;
    checkpoint();
    if (m <= config_.direct_max) {
      b.kind = m <= config_.dense_max ? Block::Kind::dense : Block::Kind::sparse;
      b.whole = factor(b, nullptr);
      b.lu_entries = b.whole.dense ? double(m) * double(m)
                                   : double(b.whole.sparse->nnzL()) + double(b.whole.sparse->nnzU());
      b.res_ptr.assign(m + 1, 0);
      for (std::uint32_t s : b.members)
        for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
          if (col[e] < n && block_of_[col[e]] == me) ++b.res_ptr[local_[col[e]] + 1];
      for (std::size_t i = 0; i < m; ++i) b.res_ptr[i + 1] += b.res_ptr[i];
      b.res_src.resize(b.res_ptr[m]);
      b.res_w.resize(b.res_ptr[m]);
      std::vector<std::uint64_t> at(b.res_ptr.begin(), b.res_ptr.end() - 1);
      for (std::uint32_t j = 0; j < m; ++j) {
        const std::uint32_t s = b.members[j];
        for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
          if (col[e] < n && block_of_[col[e]] == me) {
            const std::uint64_t q = at[local_[col[e]]]++;
            b.res_src[q] = j;
            b.res_w[q] = prob[e];
          }
      }
      continue;
    }
    b.kind = Block::Kind::iterative;
    if (total_) {
      // Weights that are counts: the expected visits of a chain fitted to counts are its row totals over the
      // number of journeys (what enters a state is what leaves it), so the flow s -> t is proportional to the
      // count w_st itself, and the flow order is known before any solve. The full chain is then solved in that
      // order too (a reverse DFS order can converge so slowly on a large block that the solve hands over to
      // GMRES). Where the weights are not exactly such counts (smoothing, reweighting) this is still the flow
      // order of a close chain: the order only sets how fast sweeps converge, never what they converge to.
      set_sweep_order(b, flow_order(b, nullptr));
      b.flow_ordered = true;
      continue;
    }
    // Otherwise: order the block by reverse DFS postorder from its entry states, so that most probability
    // flows forward in a Gauss-Seidel sweep, until the full solution gives the flows.
    if (entry.empty()) {
      entry.assign(n, 0);
      for (std::uint32_t s = 0; s < n; ++s)
        for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
          if (col[e] < n && prob[e] != 0.0 && block_of_[col[e]] != block_of_[s]) entry[col[e]] = 1;
    }
    std::vector<std::uint8_t> seen(m, 0);
    std::vector<std::uint32_t> post;
    post.reserve(m);
    std::vector<std::pair<std::uint32_t, std::uint64_t>> dfs;
    auto visit_from = [&](std::uint32_t r) {
      if (seen[r]) return;
      seen[r] = 1;
      dfs.push_back({r, row[b.members[r]]});
      while (!dfs.empty()) {
        const std::uint32_t v = dfs.back().first;
        const std::uint32_t s = b.members[v];
        bool pushed = false;
        while (dfs.back().second < row[s + 1]) {
          const std::uint64_t e = dfs.back().second++;
          const std::uint32_t t = col[e];
          if (t >= n || block_of_[t] != me || prob[e] == 0.0) continue;
          const std::uint32_t u = local_[t];
          if (!seen[u]) {
            seen[u] = 1;
            dfs.push_back({u, row[t]});
            pushed = true;
            break;
          }
        }
        if (!pushed) {
          post.push_back(v);
          dfs.pop_back();
        }
      }
    };
    for (std::uint32_t i = 0; i < m; ++i)
      if (entry[b.members[i]]) visit_from(i);
    for (std::uint32_t i = 0; i < m; ++i) visit_from(i);
    set_sweep_order(b, std::vector<std::uint32_t>(post.rbegin(), post.rend()));
  }
}

void ChainSolver::set_sweep_order(Block& b, std::vector<std::uint32_t> order) const {
  const std::size_t m = b.members.size();
  const std::uint32_t me = block_of_[b.members[0]];
  b.sweep = std::move(order);
  std::vector<std::uint32_t> pos(m);
  for (std::uint32_t p = 0; p < m; ++p) pos[b.sweep[p]] = p;
  b.diag.resize(m);
  for (std::uint32_t i = 0; i < m; ++i) b.diag[pos[i]] = total(b.members[i]);
  b.in_ptr.assign(m + 1, 0);
  for (std::uint32_t i = 0; i < m; ++i) {
    checkpoint_every(i);
    const std::uint32_t s = b.members[i];
    for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
      const std::uint32_t t = col_[e];
      if (t >= n_ || block_of_[t] != me || prob_[e] == 0.0) continue;
      if (t == s) b.diag[pos[i]] -= prob_[e];
      else ++b.in_ptr[pos[local_[t]] + 1];
    }
  }
  for (std::size_t p = 0; p < m; ++p) b.in_ptr[p + 1] += b.in_ptr[p];
  checkpoint();
  b.in_src.resize(b.in_ptr[m]);
  b.in_w.resize(b.in_ptr[m]);
  std::vector<std::uint64_t> fill(b.in_ptr.begin(), b.in_ptr.end() - 1);
  // Sources in increasing position, so each incoming list is read in a fixed order.
  for (std::uint32_t p = 0; p < m; ++p) {
    checkpoint_every(p);
    const std::uint32_t s = b.members[b.sweep[p]];
    for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
      const std::uint32_t t = col_[e];
      if (t >= n_ || block_of_[t] != me || prob_[e] == 0.0 || t == s) continue;
      const std::uint32_t q = pos[local_[t]];
      b.in_src[fill[q]] = p;
      b.in_w[fill[q]++] = prob_[e];
    }
  }
  checkpoint();
  b.back.resize(m);
  for (std::uint32_t p = 0; p < m; ++p) {
    std::uint64_t e = b.in_ptr[p];
    while (e < b.in_ptr[p + 1] && b.in_src[e] < p) ++e;
    b.back[p] = e;
  }
  b.inv_diag.resize(m);
  for (std::uint32_t p = 0; p < m; ++p) b.inv_diag[p] = 1.0 / b.diag[p];
  // Storage slots by first reader: walking the positions in sweep order, the sources of each position that no
  // earlier position read take the next slots. The sweep order is kept (it sets the convergence, and the
  // order of each sum, hence the bits), but the sources of a position are mostly stored side by side: in a
  // chain over k-grams the predecessors of (a, b, c) are the states (x, a, b), first read together by the first
  // state after (a, b) in the sweep. A sweep then reads a few neighbouring cache lines per position instead of
  // one line per source from anywhere in the solution (L lanes x 8 bytes x the block's states: 14 MB for the
  // 446k states of order 3 over 200 touchpoints, beyond the core's own cache).
  checkpoint();
  b.slot.assign(m, kNone);
  std::uint32_t next = 0;
  for (std::uint32_t p = 0; p < m; ++p) {
    checkpoint_every(p);
    for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e)
      if (b.slot[b.in_src[e]] == kNone) b.slot[b.in_src[e]] = next++;
  }
  for (std::uint32_t p = 0; p < m; ++p)
    if (b.slot[p] == kNone) b.slot[p] = next++;  // a guard: every member of a cyclic block has an in-edge
  b.at_slot.resize(m);
  for (std::uint32_t p = 0; p < m; ++p) b.at_slot[b.slot[p]] = p;
  checkpoint();
  for (std::uint32_t& src : b.in_src) src = b.slot[src];
  b.in_src.resize(b.in_ptr[m] + kPrefetch, 0);  // what the sweeps' prefetch reads past the last edge
}

// Eades-Lin-Smyth ordering, weighted by the flow x_s q_st (from the full solution, or proportional to the
// weights when flow_from is null): sinks go last, sources go first, otherwise the state with the largest
// (outgoing - incoming) flow goes next. Little flow then runs against the sweep, which is what makes
// Gauss-Seidel converge fast.
std::vector<std::uint32_t> ChainSolver::flow_order(const Block& b, const double* flow_from) const {
  const std::size_t m = b.members.size();
  const std::uint32_t me = block_of_[b.members[0]];
  std::vector<std::uint64_t> out_ptr(m + 1, 0), in_ptr(m + 1, 0);
  for (std::uint32_t i = 0; i < m; ++i) {
    checkpoint_every(i);
    const std::uint32_t s = b.members[i];
    for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
      const std::uint32_t t = col_[e];
      if (t >= n_ || block_of_[t] != me || prob_[e] == 0.0 || t == s) continue;
      ++out_ptr[i + 1];
      ++in_ptr[local_[t] + 1];
    }
  }
  for (std::size_t i = 0; i < m; ++i) {
    out_ptr[i + 1] += out_ptr[i];
    in_ptr[i + 1] += in_ptr[i];
  }
  std::vector<std::uint32_t> out_to(out_ptr[m]), in_from(in_ptr[m]);
  std::vector<double> out_w(out_ptr[m]), in_w(in_ptr[m]);
  // What the greedy order reads of a neighbour, in one place (32 bytes, half a cache line): the flow and the
  // number of edges into and out of it from states still unplaced, and whether it is placed.
  struct alignas(32) Node {
    double win = 0, wout = 0;
    std::uint32_t nin = 0, nout = 0;
    bool gone = false;
  };
  std::vector<Node> node(m);
  {
    std::vector<std::uint64_t> fo(out_ptr.begin(), out_ptr.end() - 1), fi(in_ptr.begin(), in_ptr.end() - 1);
    for (std::uint32_t i = 0; i < m; ++i) {
      checkpoint_every(i);
      const std::uint32_t s = b.members[i];
      const double ys = flow_from ? flow_from[s] / total(s) : 1.0;  // flow s -> t is x_s q_st = y_s w_st
      for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
        const std::uint32_t t = col_[e];
        if (t >= n_ || block_of_[t] != me || prob_[e] == 0.0 || t == s) continue;
        const std::uint32_t j = local_[t];
        const double w = ys * prob_[e];
        out_to[fo[i]] = j;
        out_w[fo[i]++] = w;
        in_from[fi[j]] = i;
        in_w[fi[j]++] = w;
        node[i].wout += w;
        node[j].win += w;
        ++node[i].nout;
        ++node[j].nin;
      }
    }
  }
  std::vector<std::uint32_t> front, back, sinks, sources;
  std::vector<double> key(m);
  for (std::uint32_t i = 0; i < m; ++i) key[i] = node[i].wout - node[i].win;
  IndexedMaxHeap heap(key);  // the remaining states by outgoing - incoming flow
  checkpoint();
  std::uint32_t placed = 0;
  auto remove = [&](std::uint32_t u) {
    if ((++placed & 0xFFF) == 0) checkpoint();  // a few hundred microseconds apart
    node[u].gone = true;
    heap.erase(u);
    for (std::uint64_t e = out_ptr[u]; e < out_ptr[u + 1]; ++e) {
      Node& v = node[out_to[e]];
      if (v.gone) continue;
      v.win -= out_w[e];
      if (--v.nin == 0) sources.push_back(out_to[e]);
      heap.set(out_to[e], v.wout - v.win);
    }
    for (std::uint64_t e = in_ptr[u]; e < in_ptr[u + 1]; ++e) {
      Node& t = node[in_from[e]];
      if (t.gone) continue;
      t.wout -= in_w[e];
      if (--t.nout == 0) sinks.push_back(in_from[e]);
      heap.set(in_from[e], t.wout - t.win);
    }
  };
  std::size_t left = m;
  while (left > 0) {
    bool progressed = true;
    while (progressed) {
      progressed = false;
      while (!sinks.empty()) {
        const std::uint32_t u = sinks.back();
        sinks.pop_back();
        if (node[u].gone) continue;
        back.push_back(u);
        remove(u);
        --left;
        progressed = true;
      }
      while (!sources.empty()) {
        const std::uint32_t u = sources.back();
        sources.pop_back();
        if (node[u].gone) continue;
        front.push_back(u);
        remove(u);
        --left;
        progressed = true;
      }
    }
    if (left > 0) {
      const std::uint32_t u = heap.top();
      front.push_back(u);
      remove(u);
      --left;
    }
  }
  front.insert(front.end(), back.rbegin(), back.rend());
  return front;
}

// Assembles and factors (I - Q_KK)^T for the members of b listed in keep (local indices, ascending), or
// for the whole component when keep is null.
LuFactor ChainSolver::factor(const Block& b, const std::vector<std::uint32_t>* keep) const {
  const std::size_t m = b.members.size(), k = keep ? keep->size() : m;
  const std::uint32_t me = block_of_[b.members[0]];
  std::vector<std::uint32_t> pos(m, kNone);  // local index -> row of the assembled matrix
  for (std::uint32_t i = 0; i < k; ++i) pos[keep ? (*keep)[i] : i] = i;
  auto for_each_entry = [&](auto&& add) {
    for (std::uint32_t i = 0; i < k; ++i) {
      const std::uint32_t s = b.members[keep ? (*keep)[i] : i];
      for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
        const std::uint32_t t = col_[e];
        if (t < n_ && block_of_[t] == me && pos[local_[t]] != kNone) add(pos[local_[t]], i, prob_[e]);
      }
    }
  };
  auto diag = [&](std::uint32_t i) { return total(b.members[keep ? (*keep)[i] : i]); };
  LuFactor f;
  if (k <= config_.dense_max) {
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(Eigen::Index(k), Eigen::Index(k));
    for (std::uint32_t i = 0; i < k; ++i) a(i, i) = diag(i);
    for_each_entry([&](std::uint32_t r, std::uint32_t c, double p) { a(r, c) -= p; });
    f.dense = std::make_unique<DenseLU>(a);
  } else {
    std::vector<Eigen::Triplet<double, int>> t;
    for (std::uint32_t i = 0; i < k; ++i) t.emplace_back(int(i), int(i), diag(i));
    for_each_entry([&](std::uint32_t r, std::uint32_t c, double p) { t.emplace_back(int(r), int(c), -p); });
    SparseMat a{Eigen::Index(k), Eigen::Index(k)};
    a.setFromTriplets(t.begin(), t.end());
    f.sparse = std::make_unique<SparseLU>();
    f.sparse->compute(a);
    if (f.sparse->info() != Eigen::Success) {
      // SparseLU reports failed allocations through the same status as singular matrices.
      if (f.sparse->lastErrorMessage().find("MEMORY") != std::string::npos) throw std::bad_alloc();
      singular(k);
    }
  }
  return f;
}

// A removal's direct cost in flops, for the route choice: a Schur complement (one LU solve per removed state
// and a dense LU of their count) while few states are removed, a refactorization of what remains (dense:
// 2/3 k^3; sparse: the same scaled by the fill the whole factor showed) otherwise; plus the solve and the
// refinement step.
double ChainSolver::direct_cost(const Block& b, std::size_t removed) const {
  const double m = double(b.members.size()), d = double(removed), k = m - d;
  const double solve = 2.0 * b.lu_entries;
  if (removed * 4 <= b.members.size()) return (d + 2.0) * solve + (2.0 / 3.0) * d * d * d + 4.0 * d * m;
  const double fill = std::min(1.0, b.lu_entries / (m * m));
  return (2.0 / 3.0) * k * k * k * fill + 2.0 * solve * (k / m) * (k / m);
}

// Solves one lane of a direct block: inflow[i * stride] is the right-hand side of local state i (x units),
// bit `lane` of mask[i] removes it; writes y to x[i * stride] (0 on removed states). The
// residual is measured relative to bnorm_ref when given (a removal solved for its change measures against
// the reduced chain's own right-hand side), else to the right-hand side's norm.
void ChainSolver::solve_direct(const Block& b, const std::uint8_t* mask, unsigned lane, const double* inflow,
                               std::size_t stride, double* x, SolveStats& stats, double bnorm_ref) const {
  const std::size_t m = b.members.size();
  std::vector<std::uint32_t> drop;  // local indices of removed members
  if (mask)
    for (std::uint32_t i = 0; i < m; ++i)
      if ((mask[i] >> lane) & 1u) drop.push_back(i);
  for (std::size_t i = 0; i < m; ++i) x[i * stride] = 0.0;
  if (drop.size() == m) return;
  Eigen::VectorXd rhs(static_cast<Eigen::Index>(m));
  for (std::size_t i = 0; i < m; ++i) rhs[Eigen::Index(i)] = inflow[i * stride];
  for (std::uint32_t i : drop) rhs[i] = 0.0;
  const double own = rhs.norm();
  if (own == 0.0) return;
  const double bnorm = bnorm_ref > 0 ? bnorm_ref : own;
  auto full_solve = [&](const Eigen::MatrixXd& v) { return b.whole.solve(v); };
  // solve_kept(r): the solution of the kept equations for right-hand side r (zero on removed states).
  std::function<Eigen::VectorXd(const Eigen::VectorXd&)> solve_kept;
  Eigen::MatrixXd c;               // Schur: A^-1 E_D
  std::unique_ptr<DenseLU> s_lu;   // Schur: LU of (A^-1)_DD
  LuFactor kept;                   // refactor: what remains of the component
  std::vector<std::uint32_t> keep;
  if (drop.empty()) {
    solve_kept = [&](const Eigen::VectorXd& r) { return Eigen::VectorXd(full_solve(r)); };
  } else if (drop.size() * 4 <= m) {
    // Schur complement on the whole-block factorization: x = y + C mu with y = A^-1 r, C = A^-1 E_D and
    // mu chosen so that x vanishes on the removed states; then (A x) matches r on the kept ones.
    const Eigen::Index d = Eigen::Index(drop.size());
    Eigen::MatrixXd e = Eigen::MatrixXd::Zero(Eigen::Index(m), d);
    for (Eigen::Index k = 0; k < d; ++k) e(drop[std::size_t(k)], k) = 1.0;
    c = full_solve(e);
    Eigen::MatrixXd sc(d, d);
    for (Eigen::Index k = 0; k < d; ++k)
      for (Eigen::Index l = 0; l < d; ++l) sc(k, l) = c(drop[std::size_t(k)], l);
    s_lu = std::make_unique<DenseLU>(sc);
    solve_kept = [&, d](const Eigen::VectorXd& r) {
      Eigen::VectorXd y = full_solve(r);
      Eigen::VectorXd yd(d);
      for (Eigen::Index k = 0; k < d; ++k) yd[k] = y[drop[std::size_t(k)]];
      Eigen::VectorXd mu = s_lu->solve(-yd);
      Eigen::VectorXd out = y + c * mu;
      for (std::uint32_t i : drop) out[i] = 0.0;
      return out;
    };
  } else {
    // Many states removed: factor what remains.
    for (std::uint32_t i = 0; i < m; ++i)
      if (!((mask[i] >> lane) & 1u)) keep.push_back(i);
    kept = factor(b, &keep);
    solve_kept = [&](const Eigen::VectorXd& r) {
      const std::size_t k = keep.size();
      Eigen::VectorXd rk(static_cast<Eigen::Index>(k));
      for (std::size_t i = 0; i < k; ++i) rk[Eigen::Index(i)] = r[keep[i]];
      Eigen::VectorXd z = kept.solve(rk);
      Eigen::VectorXd out = Eigen::VectorXd::Zero(Eigen::Index(m));
      for (std::size_t i = 0; i < k; ++i) out[keep[i]] = z[Eigen::Index(i)];
      return out;
    };
  }
// Residual of the kept equations, r_i = b_i - total_i y_i + sum_j w(j -> i) y_j, accumulated in extended
  // precision so that one refinement step recovers the digits an ill-conditioned LU loses (e.g. a cycle
  // whose exits are 1e-6 of a row).
  // Each state's sum runs in a register over its incoming edges, sources ascending: the terms and their
  // order are those of a pass over the rows, so are the bits.
  auto residual = [&](const Eigen::VectorXd& sol) {
    Eigen::VectorXd res(static_cast<Eigen::Index>(m));
    const double* xs = sol.data();
    for (std::size_t i = 0; i < m; ++i) {
      long double a = static_cast<long double>(rhs[Eigen::Index(i)]) -
                      static_cast<long double>(total(b.members[i])) * xs[i];
      for (std::uint64_t e = b.res_ptr[i]; e < b.res_ptr[i + 1]; ++e) {
        const double xj = xs[b.res_src[e]];
        if (xj == 0.0) continue;
        a += static_cast<long double>(b.res_w[e]) * xj;
      }
      res[Eigen::Index(i)] = static_cast<double>(a);
    }
    for (std::uint32_t i : drop) res[i] = 0.0;
    return res;
  };
  Eigen::VectorXd sol = solve_kept(rhs);
  Eigen::VectorXd res = residual(sol);
  if (res.norm() > 0 && sol.allFinite()) {
    sol += solve_kept(res);
    res = residual(sol);
  }
  for (std::size_t i = 0; i < m; ++i) {
    const double v = sol[Eigen::Index(i)];
    if (!std::isfinite(v)) singular(m - drop.size());
    x[i * stride] = v;
  }
  stats.max_residual = std::max(stats.max_residual, res.norm() / bnorm);
}

// Restarted GMRES on one lane of an iterative block (sweep-position space), right-preconditioned by one
// Gauss-Seidel sweep. Used when plain sweeps converge slowly. Returns the final relative residual.
double ChainSolver::gmres(const Block& b, const std::vector<std::uint8_t>& rem, const std::vector<double>& rhs,
                          std::vector<double>& sol, double bnorm, SolveStats& stats,
                          SolveWorkspace& ws) const {
  const std::size_t m = b.members.size();
  auto apply_a = [&](const double* v, double* out) {
    for (std::size_t p = 0; p < m; ++p) {
      if (rem[p]) {
        out[p] = v[p];
        continue;
      }
      double acc = b.diag[p] * v[p];
      for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e) {
        const std::uint32_t q = b.at_slot[b.in_src[e]];
        if (!rem[q]) acc -= b.in_w[e] * v[q];
      }
      out[p] = acc;
    }
  };
  auto apply_m_inv = [&](const double* v, double* out) {
    for (std::size_t p = 0; p < m; ++p) {
      if (rem[p]) {
        out[p] = v[p];
        continue;
      }
      double acc = v[p];
      for (std::uint64_t e = b.in_ptr[p]; e < b.back[p]; ++e) {  // the sources at earlier positions
        const std::uint32_t q = b.at_slot[b.in_src[e]];
        if (!rem[q]) acc += b.in_w[e] * out[q];
      }
      out[p] = acc / b.diag[p];
    }
  };
  const int restart = config_.restart;
  const std::size_t rs = static_cast<std::size_t>(restart);
  // The Krylov basis and two vectors, from the workspace (fresh pages on every call would cost more than the
  // arithmetic on a large block).
  std::vector<double>& store = ws.gmres;
  store.assign((rs + 3) * m, 0.0);
  double* const basis = store.data();
  double* const z = basis + (rs + 1) * m;
  double* const w = z + m;
  std::vector<double> h((rs + 1) * rs), cs(rs), sn(rs), g(rs + 1), yv(rs);
  auto H = [&](int i, int j) -> double& { return h[std::size_t(i) * rs + std::size_t(j)]; };
  double prev = std::numeric_limits<double>::infinity(), rel = 0;
  for (int cycle = 0;; ++cycle) {
    checkpoint(ws);
    apply_a(sol.data(), w);
    double* v0 = basis;
    for (std::size_t p = 0; p < m; ++p) v0[p] = rhs[p] - w[p];
    const double beta = norm2(v0, m);
    rel = beta / bnorm;
    if (rel <= kTolerance) break;
    if (rel > 0.5 * prev && rel <= kAccept) break;  // rounding floor
    if (cycle >= kMaxCycles) break;
    prev = std::min(prev, rel);
    for (std::size_t p = 0; p < m; ++p) v0[p] /= beta;
    std::fill(g.begin(), g.end(), 0.0);
    g[0] = beta;
    int j = 0;
    for (; j < restart; ++j) {
      double* vj = basis + std::size_t(j) * m;
      apply_m_inv(vj, z);
      apply_a(z, w);
      for (int i = 0; i <= j; ++i) {  // modified Gram-Schmidt
        const double* vi = basis + std::size_t(i) * m;
        double d = 0;
        for (std::size_t p = 0; p < m; ++p) d += w[p] * vi[p];
        H(i, j) = d;
        for (std::size_t p = 0; p < m; ++p) w[p] -= d * vi[p];
      }
      const double hn = norm2(w, m);
      H(j + 1, j) = hn;
      if (hn > 0) {
        double* vn = basis + std::size_t(j + 1) * m;
        for (std::size_t p = 0; p < m; ++p) vn[p] = w[p] / hn;
      }
      for (int i = 0; i < j; ++i) {
        const double a = H(i, j), c = H(i + 1, j);
        H(i, j) = cs[std::size_t(i)] * a + sn[std::size_t(i)] * c;
        H(i + 1, j) = -sn[std::size_t(i)] * a + cs[std::size_t(i)] * c;
      }
      const double rr = std::hypot(H(j, j), H(j + 1, j));
      cs[std::size_t(j)] = rr > 0 ? H(j, j) / rr : 1.0;
      sn[std::size_t(j)] = rr > 0 ? H(j + 1, j) / rr : 0.0;
      H(j, j) = rr;
      H(j + 1, j) = 0.0;
      g[std::size_t(j) + 1] = -sn[std::size_t(j)] * g[std::size_t(j)];
      g[std::size_t(j)] = cs[std::size_t(j)] * g[std::size_t(j)];
      ++stats.iterations;
      if (std::abs(g[std::size_t(j) + 1]) <= 0.5 * kTolerance * bnorm || hn == 0.0) {
        ++j;
        break;
      }
    }
    for (int i = j - 1; i >= 0; --i) {
      double acc = g[std::size_t(i)];
      for (int k = i + 1; k < j; ++k) acc -= H(i, k) * yv[std::size_t(k)];
      yv[std::size_t(i)] = acc / H(i, i);
    }
    std::fill(w, w + m, 0.0);
    for (int i = 0; i < j; ++i) {
      const double* vi = basis + std::size_t(i) * m;
      for (std::size_t p = 0; p < m; ++p) w[p] += yv[std::size_t(i)] * vi[p];
    }
    apply_m_inv(w, z);
    for (std::size_t p = 0; p < m; ++p) sol[p] += z[p];
  }
  return rel;
}

namespace {
// lane_factor[mask][r] is 0 if bit r of mask is set (lane r removed at that state), else 1.
struct LaneFactors {
  double f[256][8];
  LaneFactors() {
    for (int m = 0; m < 256; ++m)
      for (int r = 0; r < 8; ++r) f[m][r] = (m >> r) & 1 ? 0.0 : 1.0;
  }
};
const LaneFactors kLaneFactors;
}  // namespace

// L lanes (right-hand sides) of one block at once, interleaved: the value of position p in lane r is at
// [slot[p] * L + r] of the iterate (and of the sweep's change), so one sweep reads each predecessor's cache line
// once for all lanes, and the predecessors of a position lie side by side (see set_sweep_order); per-position
// arrays (residuals, right-hand sides) stay in sweep order, [p * L + r]. Removed states (bit r of
// lane_mask[i] | extra for local state i) are identity rows with a zero right-hand side: they stay exactly 0.
// inflow[i * L + r] is the right-hand side of local state i (x units); the answer y goes to x[i * L + r].
// Residuals are relative to bnorm_ref[r] when given, else to the right-hand side's norm. With max_sweeps > 0
// the solve gives up after that many sweeps (or when convergence is slow) and returns the lanes it did not
// finish (their x is left unset); otherwise slow lanes finish with GMRES and it returns 0.
template <std::size_t L>
std::uint8_t ChainSolver::sweep_lanes(const Block& b, const std::uint8_t* lane_mask, std::uint8_t extra,
                                      const double* inflow, double* x, const std::vector<double>* guess,
                                      const double* bnorm_ref, std::size_t max_sweeps, SolveStats& stats,
                                      SolveWorkspace& ws) const {
  const std::size_t m = b.members.size();
  const std::uint32_t* const slot = b.slot.data();
  auto& sol = ws.sol;
  sol.assign(m * L, 0.0);
  const std::vector<double>& inv_diag = b.inv_diag;
  // Per-position arrays from the workspace: a fresh allocation of this size is fresh pages from the system, which
  // it zeroes, on every call (tens of megabytes for a block of millions of states).
  std::vector<std::uint8_t>& mask = ws.sweep_mask;
  mask.assign(m, 0);
  std::vector<std::uint32_t>& rhs_at = ws.rhs_at;  // offset into rhs (L values) or kNone for no inflow
  rhs_at.assign(m, kNone);
  std::vector<double>& rhs = ws.sweep_rhs;
  rhs.clear();
  double bnorm[L] = {}, rel[L] = {}, before[L] = {};
  for (std::size_t p = 0; p < m; ++p) {
    const std::uint32_t i = b.sweep[p], s = b.members[i];
    if (p + kPrefetch < m) prefetch_read(inflow + std::size_t(b.sweep[p + kPrefetch]) * L);
    const std::uint8_t mk = static_cast<std::uint8_t>(lane_mask[i] | extra);
    mask[p] = mk;
    bool any_in = false;
    for (std::size_t r = 0; r < L; ++r) any_in = any_in || (!((mk >> r) & 1) && inflow[i * L + r] != 0.0);
    if (any_in) {
      rhs_at[p] = static_cast<std::uint32_t>(rhs.size());
      for (std::size_t r = 0; r < L; ++r) {
        const double v = (mk >> r) & 1 ? 0.0 : inflow[i * L + r];
        rhs.push_back(v);
        bnorm[r] += v * v;
      }
    }
    if (guess)
      for (std::size_t r = 0; r < L; ++r)
        sol[std::size_t(slot[p]) * L + r] = (*guess)[s] / total(s) * kLaneFactors.f[mk][r];
  }
  std::uint8_t empty = 0;  // lanes without any inflow: solution 0
  double own[L];
  for (std::size_t r = 0; r < L; ++r) {
    bnorm[r] = own[r] = std::sqrt(bnorm[r]);
    if (bnorm[r] == 0.0) empty = std::uint8_t(empty | (1u << r));
    else if (bnorm_ref && bnorm_ref[r] > 0) bnorm[r] = bnorm_ref[r];
  }
  if (empty) {
    for (std::size_t p = 0; p < m; ++p) {
      mask[p] = std::uint8_t(mask[p] | empty);
      for (std::size_t r = 0; r < L; ++r) sol[std::size_t(slot[p]) * L + r] *= kLaneFactors.f[mask[p]][r];
    }
  }
  std::vector<double>& xprev = ws.xprev;
  std::vector<double>& rprev = ws.rprev;
  std::vector<double>& rcur = ws.rcur;
  auto& step_of = ws.step;
  // One Gauss-Seidel sweep over every lane. With res given, it also leaves what the residual of the new
  // iterate needs beyond the back edges: position p's equation D x'_p = b_p + F x' + B x (F: in-edges from
  // earlier positions, B: from later ones) makes its residual b_p + (F + B) x' - D x'_p equal to
  // (acc_p - D x'_p) + B (x' - x); res gets the first term (the rounding of the division) and step_of the
  // change x' - x, and back_residuals adds the second, a pass over the back edges alone.
  auto sweep = [&](double* res) {
    double* const dx = res ? step_of.data() : nullptr;
    for (std::size_t p = 0; p < m; ++p) {
      double acc[L];
      if (rhs_at[p] != kNone) {
        const double* bp = rhs.data() + rhs_at[p];
        for (std::size_t r = 0; r < L; ++r) acc[r] = bp[r];
      } else {
        for (std::size_t r = 0; r < L; ++r) acc[r] = 0.0;
      }
      if (p + kPrefetch < m) {
        prefetch_write(sol.data() + std::size_t(slot[p + kPrefetch]) * L);
        if (dx) prefetch_write(dx + std::size_t(slot[p + kPrefetch]) * L);
      }
      for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e) {
        prefetch_read(sol.data() + std::size_t(b.in_src[e + kPrefetch]) * L);
        const double w = b.in_w[e];
        const double* xs = sol.data() + std::size_t(b.in_src[e]) * L;
        for (std::size_t r = 0; r < L; ++r) acc[r] += w * xs[r];
      }
      const double* f = kLaneFactors.f[mask[p]];
      const double id = inv_diag[p];
      double* xp = sol.data() + std::size_t(slot[p]) * L;
      if (res) {
        const double d = b.diag[p];
        for (std::size_t r = 0; r < L; ++r) {
          const double xn = acc[r] * id * f[r];
          res[p * L + r] = (acc[r] - d * xn) * f[r];
          dx[std::size_t(slot[p]) * L + r] = xn - xp[r];
          xp[r] = xn;
        }
      } else {
        for (std::size_t r = 0; r < L; ++r) xp[r] = acc[r] * id * f[r];
      }
    }
  };
  // Completes the residual that sweep(res) began: adds B times the sweep's change and sets rel.
  auto back_residuals = [&](double* res) {
    double sum[L] = {};
    const double* dx = step_of.data();
    for (std::size_t p = 0; p < m; ++p) {
      double acc[L];
      double* rp = res + p * L;
      for (std::size_t r = 0; r < L; ++r) acc[r] = rp[r];
      if (p + kPrefetch < m && b.back[p + kPrefetch] < b.in_ptr[p + kPrefetch + 1])
        prefetch_read(dx + std::size_t(b.in_src[b.back[p + kPrefetch]]) * L);
      for (std::uint64_t e = b.back[p]; e < b.in_ptr[p + 1]; ++e) {
        const double w = b.in_w[e];
        const double* ds = dx + std::size_t(b.in_src[e]) * L;
        for (std::size_t r = 0; r < L; ++r) acc[r] += w * ds[r];
      }
      const double* f = kLaneFactors.f[mask[p]];
      for (std::size_t r = 0; r < L; ++r) {
        rp[r] = acc[r] * f[r];
        sum[r] += rp[r] * rp[r];
      }
    }
    for (std::size_t r = 0; r < L; ++r) rel[r] = bnorm[r] > 0 ? std::sqrt(sum[r]) / bnorm[r] : 0.0;
  };
  // The true residual b - A x of every lane, a full pass; sets rel.
  auto residuals = [&]() {
    double sum[L] = {};
    for (std::size_t p = 0; p < m; ++p) {
      double acc[L];
      if (p + kPrefetch < m) prefetch_read(sol.data() + std::size_t(slot[p + kPrefetch]) * L);
      const double* xp = sol.data() + std::size_t(slot[p]) * L;
      const double d = b.diag[p];
      if (rhs_at[p] != kNone) {
        const double* bp = rhs.data() + rhs_at[p];
        for (std::size_t r = 0; r < L; ++r) acc[r] = bp[r] - d * xp[r];
      } else {
        for (std::size_t r = 0; r < L; ++r) acc[r] = -d * xp[r];
      }
      for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e) {
        prefetch_read(sol.data() + std::size_t(b.in_src[e + kPrefetch]) * L);
        const double w = b.in_w[e];
        const double* xs = sol.data() + std::size_t(b.in_src[e]) * L;
        for (std::size_t r = 0; r < L; ++r) acc[r] += w * xs[r];
      }
      const double* f = kLaneFactors.f[mask[p]];
      for (std::size_t r = 0; r < L; ++r) sum[r] += acc[r] * acc[r] * f[r];
    }
    for (std::size_t r = 0; r < L; ++r) rel[r] = bnorm[r] > 0 ? std::sqrt(sum[r]) / bnorm[r] : 0.0;
  };
  if (guess) {
    residuals();
  } else {
    // From x = 0 the residual is the right-hand side itself.
    for (std::size_t r = 0; r < L; ++r) rel[r] = bnorm[r] > 0 ? own[r] / bnorm[r] : 0.0;
  }
  bool active[L], at_floor[L], any = false;
  for (std::size_t r = 0; r < L; ++r) {
    active[r] = rel[r] > kTolerance;
    at_floor[r] = false;
    any = any || active[r];
  }
  if (any) {
    rprev.resize(m * L);
    rcur.resize(m * L);
    step_of.resize(m * L);
  }
  // A residual check costs a pass over the back edges after the sweep before it (see sweep): check after 4
  // sweeps, then after as many as the slowest lane's observed rate predicts it needs (2 to 12; 2 to 7 for the
  // second check: the first 4 sweeps include the start-up, whose rate overstates what is left, and the second
  // check is the first minimal-residual step, which takes off more than a sweep; summed over the benchmark
  // chains this takes 16 % fewer sweeps, see benchmarks/RESULTS.md). Once the
  // sweeps have run a while, each check is a minimal-residual step: x_k and the sweep after it, x_{k+1},
  // are combined as x_k + alpha (x_{k+1} - x_k) with alpha minimizing the residual (which is the same
  // combination of their residuals, so it costs no further pass). The error left after some sweeps is
  // dominated by the few slowest modes of the sweep, and this step removes the slowest one: on high-order
  // chains it saves about half the sweeps. When every lane has converged by these residuals, a full pass
  // measures the true residual, which is what is reported; a lane it finds above kTolerance sweeps on.
  std::size_t sweeps = 0;
  int check_every = 4, rechecks = 0, checks = 0;
  bool slow = false;
  while (any) {
    checkpoint(ws);
    if (max_sweeps > 0) check_every = int(std::min<std::size_t>(std::size_t(check_every), max_sweeps - sweeps));
    for (std::size_t r = 0; r < L; ++r) before[r] = rel[r];
    const bool step = sweeps + std::size_t(check_every) >= kStepAfter &&
                      (max_sweeps == 0 || sweeps + std::size_t(check_every) < max_sweeps);
    for (int k = 0; k + 1 < check_every; ++k) {
      sweep(nullptr);
      if (ws.poll) ws.poll();
    }
    std::size_t done = std::size_t(check_every);
    if (step) {
      sweep(rprev.data());
      back_residuals(rprev.data());
      xprev.assign(sol.begin(), sol.end());
      sweep(rcur.data());
      back_residuals(rcur.data());
      ++done;
      double num[L] = {}, den[L] = {}, alpha[L], sum[L] = {};
      for (std::size_t q = 0; q < m * L; q += L)
        for (std::size_t r = 0; r < L; ++r) {
          const double d = rprev[q + r] - rcur[q + r];
          num[r] += rprev[q + r] * d;
          den[r] += d * d;
        }
      for (std::size_t r = 0; r < L; ++r) alpha[r] = active[r] && den[r] > 0 ? num[r] / den[r] : 1.0;
      for (std::size_t q = 0; q < m * L; q += L)
        for (std::size_t r = 0; r < L; ++r) {
          sol[q + r] = xprev[q + r] + alpha[r] * (sol[q + r] - xprev[q + r]);
          const double res = rprev[q + r] + alpha[r] * (rcur[q + r] - rprev[q + r]);
          sum[r] += res * res;
        }
      for (std::size_t r = 0; r < L; ++r)
        if (active[r] && bnorm[r] > 0) rel[r] = std::min(rel[r], std::sqrt(sum[r]) / bnorm[r]);
    } else {
      sweep(rcur.data());
      back_residuals(rcur.data());
    }
    sweeps += done;
    stats.iterations += static_cast<std::uint64_t>(done);
    any = false;
    int predicted = 2;
    for (std::size_t r = 0; r < L; ++r) {
      if (!active[r]) continue;
      const double rate = std::pow(rel[r] / before[r], 1.0 / double(done));
      if (rel[r] <= kTolerance || (rel[r] <= kAccept && rate > 0.5)) {
        active[r] = false;  // converged, or at the rounding floor
        at_floor[r] = rel[r] > kTolerance;
        continue;
      }
      if (!(rate < kSlowRate) || sweeps >= 200) slow = true;
      any = true;
      if (rate > 0) predicted = std::max(predicted, int(std::ceil(std::log(kTolerance / rel[r]) / std::log(rate))));
    }
    ++checks;
    check_every = std::min(predicted, checks == 1 ? 7 : 12);
    if (slow) break;
    if (max_sweeps > 0 && sweeps >= max_sweeps) break;
    if (!any && sweeps > 0) {
      // Every lane converged by the checks' residuals: measure the true one.
      double checked[L];
      for (std::size_t r = 0; r < L; ++r) checked[r] = rel[r];
      residuals();
      for (std::size_t r = 0; r < L; ++r) {
        if (bnorm[r] == 0.0 || at_floor[r] || rel[r] <= kTolerance || rechecks >= 1) continue;
        active[r] = true;  // the checks' rounding hid part of the residual: sweep on
        rel[r] = std::max(rel[r], checked[r]);
        any = true;
      }
      if (any) {
        ++rechecks;
        check_every = 2;
      }
    }
  }
  // Lanes stopped early (slow, or out of sweeps) report the true residual of where they stand.
  if (slow || (max_sweeps > 0 && sweeps >= max_sweeps)) residuals();
  std::uint8_t unfinished = 0;
  if (max_sweeps > 0) {
    for (std::size_t r = 0; r < L; ++r)
      if (active[r] && bnorm[r] != 0.0) unfinished = std::uint8_t(unfinished | (1u << r));
  } else {
    // Lanes that converge slowly (long, nearly closed cycles) finish with GMRES, one at a time.
    for (std::size_t r = 0; r < L && slow; ++r) {
      if (!active[r]) continue;
      std::vector<std::uint8_t> rem(m);
      std::vector<double> rl(m, 0.0), xl(m);
      for (std::size_t p = 0; p < m; ++p) {
        rem[p] = (mask[p] >> r) & 1;
        if (rhs_at[p] != kNone) rl[p] = rhs[rhs_at[p] + r];
        xl[p] = sol[std::size_t(slot[p]) * L + r];
      }
      rel[r] = gmres(b, rem, rl, xl, bnorm[r], stats, ws);
      for (std::size_t p = 0; p < m; ++p) sol[std::size_t(slot[p]) * L + r] = xl[p];
    }
  }
  for (std::size_t r = 0; r < L; ++r) {
    if (bnorm[r] == 0.0 || ((unfinished >> r) & 1)) continue;
    ++stats.iterative_solves;
    if (!(rel[r] <= kAccept))
      throw DataError("the chain solve did not converge on a component of " + std::to_string(m) +
                      " states (relative residual " + std::to_string(rel[r]) + ")");
    stats.max_residual = std::max(stats.max_residual, rel[r]);
  }
  for (std::size_t p = 0; p < m; ++p) {
    const std::uint32_t i = b.sweep[p];
    if (p + kPrefetch < m) {
      prefetch_write(x + std::size_t(b.sweep[p + kPrefetch]) * L);
      prefetch_read(sol.data() + std::size_t(slot[p + kPrefetch]) * L);
    }
    for (std::size_t r = 0; r < L; ++r) {
      if ((unfinished >> r) & 1) continue;
      const double v = sol[std::size_t(slot[p]) * L + r];
      if (!std::isfinite(v)) singular(m);
      x[i * L + r] = v;
    }
  }
  return unfinished;
}

std::uint8_t ChainSolver::solve_iterative(const Block& b, const std::uint8_t* lane_mask, std::uint8_t extra,
                                          std::size_t lanes, const double* inflow, double* x,
                                          const std::vector<double>* guess, const double* bnorm_ref,
                                          std::size_t max_sweeps, SolveStats& stats, SolveWorkspace& ws) const {
  auto& sol = ws;
  const auto* m = lane_mask;
  switch (lanes) {
    case 1: return sweep_lanes<1>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    case 2: return sweep_lanes<2>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    case 3: return sweep_lanes<3>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    case 4: return sweep_lanes<4>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    case 5: return sweep_lanes<5>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    case 6: return sweep_lanes<6>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    case 7: return sweep_lanes<7>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    case 8: return sweep_lanes<8>(b, m, extra, inflow, x, guess, bnorm_ref, max_sweeps, stats, sol);
    default: throw InvalidArgument("solve_iterative: lanes must be in 1..8");
  }
}

void ChainSolver::run(const std::vector<double>& source, const std::uint8_t* const* removed, std::size_t lanes,
                      std::vector<double>& x, const std::vector<double>* guess, SolveStats& stats,
                      SolveWorkspace& ws) const {
  static const std::uint8_t* const kNoRemoval[1] = {nullptr};
  if (!removed) removed = kNoRemoval;
  // One byte per state: bit r set if lane r removes it (bits of unused lanes set too).
  std::vector<std::uint8_t>& mask = ws.lane_mask;
  mask.assign(n_, static_cast<std::uint8_t>(0xFFu << lanes));
  for (std::size_t r = 0; r < lanes; ++r)
    if (removed[r])
      for (std::size_t s = 0; s < n_; ++s) mask[s] = static_cast<std::uint8_t>(mask[s] | (removed[r][s] ? 1u << r : 0u));
  switch (lanes) {
    case 1: run_lanes<1>(source, removed, x, guess, stats, ws); return;
    case 2: run_lanes<2>(source, removed, x, guess, stats, ws); return;
    case 3: run_lanes<3>(source, removed, x, guess, stats, ws); return;
    case 4: run_lanes<4>(source, removed, x, guess, stats, ws); return;
    case 5: run_lanes<5>(source, removed, x, guess, stats, ws); return;
    case 6: run_lanes<6>(source, removed, x, guess, stats, ws); return;
    case 7: run_lanes<7>(source, removed, x, guess, stats, ws); return;
    case 8: run_lanes<8>(source, removed, x, guess, stats, ws); return;
    default: throw InvalidArgument("run: lanes must be in 1..8");
  }
}

template <std::size_t L>
void ChainSolver::run_lanes(const std::vector<double>& source, const std::uint8_t* const* removed,
                            std::vector<double>& x, const std::vector<double>* guess, SolveStats& stats,
                            SolveWorkspace& ws) const {
  const std::vector<std::uint8_t>& mask = ws.lane_mask;
  std::vector<double>& inflow = ws.inflow;
  inflow.assign(n_ * L, 0.0);
  // Inflows are compensated sums (Neumaier): a state may collect millions of them (a hub after many
  // entry touchpoints), and a plain running sum would drift by ~1e-11.
  std::vector<double>& carry = ws.carry;
  carry.assign(n_ * L, 0.0);
  for (std::size_t s = 0; s < n_ && s < source.size(); ++s)
    if (source[s] != 0.0)
      for (std::size_t r = 0; r < L; ++r) inflow[s * L + r] = source[s] * kLaneFactors.f[mask[s]][r];
  x.assign(n_ * L, 0.0);
  const std::size_t nc = components();
  for (std::size_t c = 0; c < nc; ++c) {
    const std::uint32_t* members = order_.data() + comp_start_[c];
    const std::size_t m = comp_start_[c + 1] - comp_start_[c];
    if ((c & 0xFFF) == 0 || m > 1) checkpoint(ws);
    if (m == 1) {
      const std::uint32_t s = members[0];
      double* in = inflow.data() + std::size_t(s) * L;
      const double* cr = carry.data() + std::size_t(s) * L;
      const double* f = kLaneFactors.f[mask[s]];
      bool any = false;
      for (std::size_t r = 0; r < L; ++r) {
        in[r] = (in[r] + cr[r]) * f[r];
        any = any || in[r] != 0.0;
      }
      if (!any) continue;
      const double stay = stay_[comp_start_[c]];
      if (!(stay > 0)) singular(1);
      double* xs = x.data() + std::size_t(s) * L;
      for (std::size_t r = 0; r < L; ++r) xs[r] = in[r] / stay;
    } else {
      const Block& b = *cyclic_[cyclic_of_[c]];
      std::vector<double>& in = ws.local_in;
      std::vector<double>& out = ws.local_out;
      std::vector<std::uint8_t>& local_mask = ws.local_mask;
      in.resize(m * L);
      out.resize(m * L);
      local_mask.resize(m);
      for (std::size_t i = 0; i < m; ++i) {
        local_mask[i] = mask[members[i]];
        for (std::size_t r = 0; r < L; ++r)
          in[i * L + r] = inflow[std::size_t(members[i]) * L + r] + carry[std::size_t(members[i]) * L + r];
      }
      if (b.kind == Block::Kind::iterative) {
        solve_iterative(b, local_mask.data(), 0, L, in.data(), out.data(), guess, nullptr, 0, stats, ws);
      } else {
        for (std::size_t r = 0; r < L; ++r)
          solve_direct(b, removed[r] ? local_mask.data() : nullptr, unsigned(r), in.data() + r, L, out.data() + r,
                       stats);
      }
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t r = 0; r < L; ++r) x[std::size_t(members[i]) * L + r] = out[i * L + r];
    }
    const std::uint32_t me = static_cast<std::uint32_t>(c);
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint32_t s = members[i];
      const double* xs = x.data() + std::size_t(s) * L;
      bool any = false;
      for (std::size_t r = 0; r < L; ++r) any = any || xs[r] != 0.0;
      if (!any) continue;
      for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
        const std::uint32_t t = col_[e];
        if (t >= n_ || block_of_[t] == me) continue;
        const double q = prob_[e];
        const double* f = kLaneFactors.f[mask[t]];
        double* sum = inflow.data() + std::size_t(t) * L;
        double* cr = carry.data() + std::size_t(t) * L;
        for (std::size_t r = 0; r < L; ++r) {
          const double term = xs[r] * q * f[r], next = sum[r] + term;
          cr[r] += std::fabs(sum[r]) >= std::fabs(term) ? (sum[r] - next) + term : (term - next) + sum[r];
          sum[r] = next;
        }
      }
    }
  }
  // The blocks were solved for y = x / total (inflow in x units, flows y_s w_st); report visits x.
  if (total_)
    for (std::size_t s = 0; s < n_; ++s)
      for (std::size_t r = 0; r < L; ++r) x[s * L + r] *= total_[s];
}

// The change d = x' - x of a removal, for L removal sets at once, over the components the change reaches.
// Components are taken in topological order, from a heap of the ones marked dirty (holding a removed state or
// receiving a changed inflow) while they are few, by a scan of the dirty flags once they are many; each is
// solved for its change in y = x / total units: a removed state's change is -y, a kept state's solves the
// reduced component's equations with the change of its inflow from outside and the flow the component's
// removed states no longer send as right-hand side. The change then flows on to later components. Everything
// is indexed by position; the arrays of the workspace are left zero.
template <std::size_t L>
void ChainSolver::removal_lanes(const std::uint32_t* const* removed, const std::size_t* count, const double* const* fn,
                                std::size_t nf, double* out, SolveStats& stats, SolveWorkspace& ws) const {
  const std::size_t nc = components();
  // Each position's change of inflow and its compensation side by side (2 L doubles: one cache line at 4
  // lanes), so an edge of the walk writes one line, not two.
  if (ws.stride != L || ws.dsum.size() != n_ * 2 * L) {
    ws.stride = L;
    ws.dsum.assign(n_ * 2 * L, 0.0);
  }
  if (ws.rmask.size() != n_) ws.rmask.assign(n_, 0);
  if (ws.seen.size() != n_) ws.seen.assign(n_, 0);
  if (ws.dirty.size() != nc) ws.dirty.assign(nc, 0);
  ws.touched.clear();
  ws.heap.clear();
  double* const dsum = ws.dsum.data();
  // The change of inflow of position p, lane r: din(p)[r] + dcarry(p)[r] (compensated).
  auto din = [dsum](std::uint32_t p) { return dsum + std::size_t(p) * 2 * L; };
  auto dcarry = [dsum](std::uint32_t p) { return dsum + std::size_t(p) * 2 * L + L; };
  std::uint8_t* const rmask = ws.rmask.data();
  std::uint8_t* const seen = ws.seen.data();
  std::uint8_t* const dirty = ws.dirty.data();
  auto& heap = ws.heap;
  // Heap mode while few components are dirty; past nc / 64 of them a scan of the flags is cheaper.
  const std::size_t scan_from = std::max<std::size_t>(64, nc / 64);
  bool scanning = false;
  auto mark = [&](std::uint32_t p) {
    if (!seen[p]) {
      seen[p] = 1;
      ws.touched.push_back(p);
    }
    const std::uint32_t c = comp_at_[p];
    if (!dirty[c]) {
      dirty[c] = 1;
      if (!scanning) {
        heap.push_back(c);
        std::push_heap(heap.begin(), heap.end(), std::greater<std::uint32_t>());
      }
    }
  };
  // Clears what the walk set: the touched positions one by one, or every position in sequence once they are
  // many (at high orders a batch of removals reaches nearly every state, at random places).
  auto reset = [&]() {
    if (ws.touched.size() > n_ / 8) {
      std::fill(ws.rmask.begin(), ws.rmask.end(), 0);
      std::fill(ws.seen.begin(), ws.seen.end(), 0);
      std::fill(ws.dsum.begin(), ws.dsum.end(), 0.0);
    } else {
      for (std::uint32_t p : ws.touched) {
        rmask[p] = 0;
        seen[p] = 0;
        for (std::size_t r = 0; r < 2 * L; ++r) din(p)[r] = 0.0;
      }
    }
    ws.touched.clear();
  };
  std::size_t removed_total = 0;
  for (std::size_t r = 0; r < L; ++r) {
    for (std::size_t i = 0; i < count[r]; ++i)
      if (removed[r][i] >= n_)
        throw InvalidArgument("removal_deltas: state " + std::to_string(removed[r][i]) + " out of range");
    removed_total += count[r];
  }
  // Removals of many states are walked by a scan of the dirty flags from the start: the heap would only sort
  // them, in the same increasing order.
  if (removed_total > scan_from) scanning = true;
  const std::uint32_t* const comp_at = comp_at_.data();
  for (std::size_t r = 0; r < L; ++r) {
    const std::uint32_t* const list = removed[r];
    const std::size_t k = count[r];
    for (std::size_t i = 0; i < k; ++i) {
      if (i + kPrefetch < k) {
        const std::uint32_t ahead = pos_[list[i + kPrefetch]];
        prefetch_write(rmask + ahead);
        prefetch_write(seen + ahead);
        prefetch_read(comp_at + ahead);
      }
      const std::uint32_t p = pos_[list[i]];
      rmask[p] = static_cast<std::uint8_t>(rmask[p] | (1u << r));
      mark(p);
    }
  }
  std::vector<CompensatedSum> acc(L * nf);
  std::vector<double>& dy = ws.local_out;  // the current component's change of y, [i * L + r]
  std::vector<double>& rhs = ws.local_in;
  std::size_t cursor = 0;  // scan mode: the next component to look at
  std::uint32_t walked = 0;
  try {
    while (true) {
      if ((++walked & 0xFFF) == 0 && ws.poll) ws.poll();
      std::uint32_t c;
      if (!scanning && heap.size() > scan_from) {
        scanning = true;
        cursor = heap.front();
        heap.clear();
      }
      if (scanning) {
        while (cursor < nc && !dirty[cursor]) ++cursor;
        if (cursor == nc) break;
        c = static_cast<std::uint32_t>(cursor++);
      } else {
        if (heap.empty()) break;
        std::pop_heap(heap.begin(), heap.end(), std::greater<std::uint32_t>());
        c = heap.back();
        heap.pop_back();
      }
      dirty[c] = 0;
      const std::uint32_t p0 = comp_start_[c];
      const std::size_t m = comp_start_[c + 1] - p0;
      dy.assign(m * L, 0.0);
      if (m == 1) {
        const std::uint8_t mk = rmask[p0];
        for (std::size_t r = 0; r < L; ++r) {
          if ((mk >> r) & 1) {
            dy[r] = -y_pos_[p0];
            continue;
          }
          const double in = din(p0)[r] + dcarry(p0)[r];
          if (in == 0.0) continue;
          if (!(stay_[p0] > 0)) singular(1);
          dy[r] = in / stay_[p0];
        }
      } else {
        const Block& b = *cyclic_[cyclic_of_[c]];
        const std::uint8_t* mask = rmask + p0;
        // Right-hand sides: the change of the inflow from outside, minus what removed members sent inside.
        rhs.resize(m * L);
        for (std::size_t i = 0; i < m; ++i)
          for (std::size_t r = 0; r < L; ++r) rhs[i * L + r] = din(p0 + std::uint32_t(i))[r] + dcarry(p0 + std::uint32_t(i))[r];
        std::size_t drop[L] = {};
        for (std::size_t i = 0; i < m; ++i) {
          const std::uint8_t mk = mask[i];
          if (!mk) continue;
          for (std::size_t r = 0; r < L; ++r)
            if ((mk >> r) & 1) ++drop[r];
          const double ys = y_pos_[p0 + i];
          if (ys == 0.0) continue;
          const std::uint32_t s = b.members[i];
          for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
            const std::uint32_t t = col_[e];
            if (t >= n_ || t == s || block_of_[t] != block_of_[s]) continue;
            const double term = ys * prob_[e];
            const std::uint32_t lt = local_[t];
            const std::uint8_t mt = mask[lt];
            for (std::size_t r = 0; r < L; ++r)
              if (((mk >> r) & 1) && !((mt >> r) & 1)) rhs[std::size_t(lt) * L + r] -= term;
          }
        }
        // The reduced system's own right-hand side: the full inflow plus its change, on kept states.
        double bnorm[L] = {}, dnorm[L] = {};
        for (std::size_t i = 0; i < m; ++i) {
          const std::uint8_t mk = mask[i];
          const double full_in = full_in_[p0 + i];
          for (std::size_t r = 0; r < L; ++r) {
            if ((mk >> r) & 1) continue;
            const std::uint32_t pi = p0 + std::uint32_t(i);
            const double a = full_in + din(pi)[r] + dcarry(pi)[r];
            bnorm[r] += a * a;
            dnorm[r] += rhs[i * L + r] * rhs[i * L + r];
          }
        }
        std::uint8_t lanes_left = 0;
        for (std::size_t r = 0; r < L; ++r) {
          bnorm[r] = std::sqrt(bnorm[r]);
          if (dnorm[r] > 0) lanes_left = std::uint8_t(lanes_left | (1u << r));
        }
        if (lanes_left && b.kind != Block::Kind::iterative && !b.sweep.empty()) {
          // Sweeps while they cost less than the direct solves they replace; what they do not finish in that
          // budget goes direct.
          double budget = 0;
          for (std::size_t r = 0; r < L; ++r)
            if ((lanes_left >> r) & 1) budget += direct_cost(b, drop[r]);
          const double sweep = 2.0 * (double(b.entries) + double(m)) * double(L) * 1.25;
          const auto max_sweeps = static_cast<std::size_t>(std::min(budget / sweep, 1e6));
          if (max_sweeps >= 8)
            lanes_left = solve_iterative(b, mask, static_cast<std::uint8_t>(~lanes_left), L, rhs.data(), dy.data(),
                                         nullptr, bnorm, max_sweeps, stats, ws);
        }
        if (lanes_left && b.kind == Block::Kind::iterative) {
          solve_iterative(b, mask, static_cast<std::uint8_t>(~lanes_left), L, rhs.data(), dy.data(), nullptr, bnorm, 0,
                          stats, ws);
          lanes_left = 0;
        }
        for (std::size_t r = 0; r < L; ++r)
          if ((lanes_left >> r) & 1) solve_direct(b, mask, unsigned(r), rhs.data() + r, L, dy.data() + r, stats, bnorm[r]);
        for (std::size_t i = 0; i < m; ++i) {
          const std::uint8_t mk = mask[i];
          for (std::size_t r = 0; r < L; ++r)
            if ((mk >> r) & 1) dy[i * L + r] = -y_pos_[p0 + i];
            else if (!(dnorm[r] > 0)) dy[i * L + r] = 0.0;
        }
      }
      // Accumulate the functionals and pass the change on.
      for (std::size_t i = 0; i < m; ++i) {
        const std::uint32_t p = p0 + static_cast<std::uint32_t>(i);
        const double* d = dy.data() + i * L;
        bool any = false;
        for (std::size_t r = 0; r < L; ++r) any = any || d[r] != 0.0;
        if (!any) continue;
        const std::uint8_t mk = rmask[p];
        // A removed state loses its whole visits.
        const double lost = mk ? -full_pos_[p] : 0.0;
        for (std::size_t r = 0; r < L; ++r) {
          if (d[r] == 0.0) continue;
          const double dx = (mk >> r) & 1 ? lost : d[r] * total_pos_[p];
          for (std::size_t f = 0; f < nf; ++f)
            if (fn[f][p] != 0.0) acc[r * nf + f].add(dx * fn[f][p]);
        }
        for (std::uint64_t e = out_ptr_[p]; e < out_ptr_[p + 1]; ++e) {
          // The targets lie anywhere downstream: ask for their sums a few edges ahead.
          prefetch_write(din(out_to_[e + kPrefetch]));
          if (2 * L * sizeof(double) > 64) prefetch_write(dcarry(out_to_[e + kPrefetch]));  // past one line
          const std::uint32_t t = out_to_[e];
          const double q = out_w_[e];
          const std::uint8_t mt = rmask[t];
          double* sum = din(t);
          double* cr = dcarry(t);
          bool moved = false;
          for (std::size_t r = 0; r < L; ++r) {
            if (((mt >> r) & 1) || d[r] == 0.0) continue;
            const double term = d[r] * q, next = sum[r] + term;
            cr[r] += std::fabs(sum[r]) >= std::fabs(term) ? (sum[r] - next) + term : (term - next) + sum[r];
            sum[r] = next;
            moved = true;
          }
          if (moved) mark(t);
        }
      }
    }
  } catch (...) {
    reset();
    if (scanning) std::fill(ws.dirty.begin(), ws.dirty.end(), 0);
    for (std::uint32_t c : heap) dirty[c] = 0;
    heap.clear();
    throw;
  }
  reset();
  for (std::size_t r = 0; r < L; ++r)
    for (std::size_t f = 0; f < nf; ++f) out[r * nf + f] = acc[r * nf + f].value();
}

void ChainSolver::to_positions(const double* by_state, std::vector<double>& by_position) const {
  by_position.resize(n_);
  for (std::size_t p = 0; p < n_; ++p) by_position[p] = by_state[order_[p]];
}

void ChainSolver::removal_deltas(const std::uint32_t* const* removed, const std::size_t* count, std::size_t lanes,
                                 const double* const* fn, std::size_t nf, double* out, SolveStats* stats,
                                 SolveWorkspace& ws) const {
  SolveStats local;
  SolveStats& st = stats ? *stats : local;
  switch (lanes) {
    case 1: return removal_lanes<1>(removed, count, fn, nf, out, st, ws);
    case 2: return removal_lanes<2>(removed, count, fn, nf, out, st, ws);
    case 3: return removal_lanes<3>(removed, count, fn, nf, out, st, ws);
    case 4: return removal_lanes<4>(removed, count, fn, nf, out, st, ws);
    case 5: return removal_lanes<5>(removed, count, fn, nf, out, st, ws);
    case 6: return removal_lanes<6>(removed, count, fn, nf, out, st, ws);
    case 7: return removal_lanes<7>(removed, count, fn, nf, out, st, ws);
    case 8: return removal_lanes<8>(removed, count, fn, nf, out, st, ws);
    default: throw InvalidArgument("removal_deltas: lanes must be in 1..8");
  }
}

void ChainSolver::visits_from(const std::vector<double>& source, const std::uint8_t* removed, std::vector<double>& x,
                              SolveStats* stats) const {
  SolveStats local;
  SolveWorkspace ws;
  const std::uint8_t* const rm[1] = {removed};
  run(source, rm, 1, x, nullptr, stats ? *stats : local, ws);
}

void ChainSolver::visits(const std::uint8_t* removed, std::vector<double>& x, SolveStats* stats) const {
  visits_batch(&removed, 1, x, stats);
}

void ChainSolver::visits_batch(const std::uint8_t* const* removed, std::size_t lanes, std::vector<double>& x,
                               SolveStats* stats, SolveWorkspace* workspace) const {
  if (lanes == 0 || lanes > kLanes) throw InvalidArgument("visits_batch: lanes must be in 1..8");
  SolveStats local;
  SolveWorkspace own;
  std::vector<double> source(n_, 0.0);
  if (n_ > 0) source[0] = 1.0;
  run(source, removed, lanes, x, &full_, stats ? *stats : local, workspace ? *workspace : own);
}

}  // namespace journeygraph::detail
