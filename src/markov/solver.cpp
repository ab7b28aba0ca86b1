#include "markov/solver.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <new>
#include <queue>

#include "common/scc.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph::detail {

namespace {
using DenseLU = Eigen::PartialPivLU<Eigen::MatrixXd>;
using SparseMat = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;
using SparseLU = Eigen::SparseLU<SparseMat, Eigen::COLAMDOrdering<int>>;
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr int kMaxCycles = 400;  // GMRES restarts

[[noreturn]] void singular(std::size_t size) {
  throw DataError("the chain has a set of " + std::to_string(size) +
                  " states that journeys enter but can never leave (no path to conversion or null)");
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
  enum class Kind { trivial, dense, sparse, iterative };
  std::vector<std::uint32_t> members;  // global state ids, ascending; local index = position
  Kind kind = Kind::trivial;
  double self_loop = 0;                // trivial blocks
  LuFactor whole;                      // factor of A = (I - Q_BB)^T, whole block (direct kinds)
  // Iterative blocks, in sweep order (reverse DFS postorder): sweep[p] = local index at position p.
  std::vector<std::uint32_t> sweep;
  std::vector<std::uint64_t> in_ptr;   // incoming edges of position p: [in_ptr[p], in_ptr[p+1])
  std::vector<std::uint32_t> in_src;   // source position
  std::vector<double> in_w;            // probability source -> p
  std::vector<double> diag;            // 1 - self-loop probability
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
  build_blocks();
  std::vector<double> source(n_, 0.0);
  if (n_ > 0) source[0] = 1.0;
  SolveWorkspace ws;
  run(source, nullptr, 1, full_, nullptr, full_stats_, ws);
  // With the full solution known, reorder the iterative components by flow for the solves that follow.
  for (auto& b : blocks_)
    if (b->kind == Block::Kind::iterative) {
      checkpoint();
      set_sweep_order(*b, flow_order(*b, full_));
    }
  checkpoint_ = nullptr;  // the const solves never call it
}

void ChainSolver::build_blocks() {
  const std::size_t n = n_;
  const auto* row = row_;
  const auto* col = col_;
  const auto* prob = prob_;
  // Components in topological order, over the edges of positive weight between transient states.
  std::vector<std::vector<std::uint32_t>> comps =
      detail::strong_components(n, row, col, [prob](std::uint64_t e) { return prob[e] != 0.0; }, [this] { checkpoint(); });
  blocks_.reserve(comps.size());
  for (auto& comp : comps) {
    std::sort(comp.begin(), comp.end());
    auto b = std::make_unique<Block>();
    b->members = std::move(comp);
    const auto id = static_cast<std::uint32_t>(blocks_.size());
    for (std::uint32_t i = 0; i < b->members.size(); ++i) {
      local_[b->members[i]] = i;
      block_of_[b->members[i]] = id;
    }
    largest_ = std::max(largest_, b->members.size());
    blocks_.push_back(std::move(b));
  }
  std::vector<std::uint8_t> entry(n, 0);  // has an in-edge from another component
  for (std::uint32_t s = 0; s < n; ++s)
    for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
      if (col[e] < n && prob[e] != 0.0 && block_of_[col[e]] != block_of_[s]) entry[col[e]] = 1;

  for (auto& bp : blocks_) {
    Block& b = *bp;
    const std::size_t m = b.members.size();
    const std::uint32_t me = block_of_[b.members[0]];
    if (m == 1) {
      b.kind = Block::Kind::trivial;
      const std::uint32_t s = b.members[0];
      for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
        if (col[e] == s) b.self_loop += prob[e];
      continue;
    }
    checkpoint();
    if (m <= config_.direct_max) {
      b.kind = m <= config_.dense_max ? Block::Kind::dense : Block::Kind::sparse;
      b.whole = factor(b, nullptr);
      continue;
    }
    // Iterative: order the block by reverse DFS postorder from its entry states, so that most probability
    // flows forward in a Gauss-Seidel sweep.
    b.kind = Block::Kind::iterative;
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
    const std::uint32_t s = b.members[i];
    for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
      const std::uint32_t t = col_[e];
      if (t >= n_ || block_of_[t] != me || prob_[e] == 0.0) continue;
      if (t == s) b.diag[pos[i]] -= prob_[e];
      else ++b.in_ptr[pos[local_[t]] + 1];
    }
  }
  for (std::size_t p = 0; p < m; ++p) b.in_ptr[p + 1] += b.in_ptr[p];
  b.in_src.resize(b.in_ptr[m]);
  b.in_w.resize(b.in_ptr[m]);
  std::vector<std::uint64_t> fill(b.in_ptr.begin(), b.in_ptr.end() - 1);
  // Sources in increasing position, so each incoming list is read in a fixed order.
  for (std::uint32_t p = 0; p < m; ++p) {
    const std::uint32_t s = b.members[b.sweep[p]];
    for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
      const std::uint32_t t = col_[e];
      if (t >= n_ || block_of_[t] != me || prob_[e] == 0.0 || t == s) continue;
      const std::uint32_t q = pos[local_[t]];
      b.in_src[fill[q]] = p;
      b.in_w[fill[q]++] = prob_[e];
    }
  }
}

// Eades-Lin-Smyth ordering, weighted by the flow x_s q_st of the full solution: sinks go last, sources go
// first, otherwise the state with the largest (outgoing - incoming) flow goes next. Little flow then runs
// against the sweep, which is what makes Gauss-Seidel converge fast.
std::vector<std::uint32_t> ChainSolver::flow_order(const Block& b, const std::vector<double>& flow_from) const {
  const std::size_t m = b.members.size();
  const std::uint32_t me = block_of_[b.members[0]];
  std::vector<std::uint64_t> out_ptr(m + 1, 0), in_ptr(m + 1, 0);
  for (std::uint32_t i = 0; i < m; ++i) {
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
  std::vector<double> win(m, 0.0), wout(m, 0.0);
  std::vector<std::uint32_t> nin(m, 0), nout(m, 0);
  {
    std::vector<std::uint64_t> fo(out_ptr.begin(), out_ptr.end() - 1), fi(in_ptr.begin(), in_ptr.end() - 1);
    for (std::uint32_t i = 0; i < m; ++i) {
      const std::uint32_t s = b.members[i];
      const double ys = flow_from[s] / total(s);  // flow s -> t is x_s q_st = y_s w_st
      for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
        const std::uint32_t t = col_[e];
        if (t >= n_ || block_of_[t] != me || prob_[e] == 0.0 || t == s) continue;
        const std::uint32_t j = local_[t];
        const double w = ys * prob_[e];
        out_to[fo[i]] = j;
        out_w[fo[i]++] = w;
        in_from[fi[j]] = i;
        in_w[fi[j]++] = w;
        wout[i] += w;
        win[j] += w;
        ++nout[i];
        ++nin[j];
      }
    }
  }
  std::vector<std::uint8_t> gone(m, 0);
  std::vector<std::uint32_t> stamp(m, 0), front, back, sinks, sources;
  struct Entry {
    double key;
    std::uint32_t node, stamp;
    bool operator<(const Entry& o) const { return key != o.key ? key < o.key : node > o.node; }
  };
  std::priority_queue<Entry> heap;
  for (std::uint32_t i = 0; i < m; ++i) heap.push({wout[i] - win[i], i, 0});
  auto touch = [&](std::uint32_t v) { heap.push({wout[v] - win[v], v, ++stamp[v]}); };
  auto remove = [&](std::uint32_t u) {
    gone[u] = 1;
    for (std::uint64_t e = out_ptr[u]; e < out_ptr[u + 1]; ++e) {
      const std::uint32_t v = out_to[e];
      if (gone[v]) continue;
      win[v] -= out_w[e];
      if (--nin[v] == 0) sources.push_back(v);
      touch(v);
    }
    for (std::uint64_t e = in_ptr[u]; e < in_ptr[u + 1]; ++e) {
      const std::uint32_t t = in_from[e];
      if (gone[t]) continue;
      wout[t] -= in_w[e];
      if (--nout[t] == 0) sinks.push_back(t);
      touch(t);
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
        if (gone[u]) continue;
        back.push_back(u);
        remove(u);
        --left;
        progressed = true;
      }
      while (!sources.empty()) {
        const std::uint32_t u = sources.back();
        sources.pop_back();
        if (gone[u]) continue;
        front.push_back(u);
        remove(u);
        --left;
        progressed = true;
      }
    }
    while (left > 0 && !heap.empty()) {
      const Entry top = heap.top();
      heap.pop();
      if (gone[top.node] || top.stamp != stamp[top.node]) continue;
      front.push_back(top.node);
      remove(top.node);
      --left;
      break;
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

void ChainSolver::solve_direct(const Block& b, const std::uint8_t* removed, const double* inflow, std::size_t stride,
                               double* x, SolveStats& stats) const {
  const std::size_t m = b.members.size();
  const std::uint32_t me = block_of_[b.members[0]];
  std::vector<std::uint32_t> drop;  // local indices of removed members
  if (removed)
    for (std::uint32_t i = 0; i < m; ++i)
      if (removed[b.members[i]]) drop.push_back(i);
  if (drop.size() == m) return;
  Eigen::VectorXd rhs(static_cast<Eigen::Index>(m));
  for (std::size_t i = 0; i < m; ++i) rhs[Eigen::Index(i)] = inflow[b.members[i] * stride];
  for (std::uint32_t i : drop) rhs[i] = 0.0;
  const double bnorm = rhs.norm();
  if (bnorm == 0.0) return;
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
      if (!removed[b.members[i]]) keep.push_back(i);
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
  std::vector<long double> acc(m);
  auto residual = [&](const Eigen::VectorXd& sol) {
    for (std::size_t i = 0; i < m; ++i)
      acc[i] = static_cast<long double>(rhs[Eigen::Index(i)]) -
               static_cast<long double>(total(b.members[i])) * sol[Eigen::Index(i)];
    for (std::uint32_t j = 0; j < m; ++j) {
      const double xj = sol[j];
      if (xj == 0.0) continue;
      const std::uint32_t s = b.members[j];
      for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
        const std::uint32_t t = col_[e];
        if (t < n_ && block_of_[t] == me) acc[local_[t]] += static_cast<long double>(prob_[e]) * xj;
      }
    }
    Eigen::VectorXd res(static_cast<Eigen::Index>(m));
    for (std::size_t i = 0; i < m; ++i) res[Eigen::Index(i)] = static_cast<double>(acc[i]);
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
    x[b.members[i] * stride] = v;
  }
  stats.max_residual = std::max(stats.max_residual, res.norm() / bnorm);
}

// Restarted GMRES on one lane of an iterative block (sweep-position space), right-preconditioned by one
// Gauss-Seidel sweep. Used when plain sweeps converge slowly. Returns the final relative residual.
double ChainSolver::gmres(const Block& b, const std::vector<std::uint8_t>& rem, const std::vector<double>& rhs,
                          std::vector<double>& sol, double bnorm, SolveStats& stats) const {
  const std::size_t m = b.members.size();
  auto apply_a = [&](const double* v, double* out) {
    for (std::size_t p = 0; p < m; ++p) {
      if (rem[p]) {
        out[p] = v[p];
        continue;
      }
      double acc = b.diag[p] * v[p];
      for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e)
        if (!rem[b.in_src[e]]) acc -= b.in_w[e] * v[b.in_src[e]];
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
      for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e) {
        const std::uint32_t q = b.in_src[e];
        if (q < p && !rem[q]) acc += b.in_w[e] * out[q];
      }
      out[p] = acc / b.diag[p];
    }
  };
  const int restart = config_.restart;
  const std::size_t rs = static_cast<std::size_t>(restart);
  std::vector<double> basis((rs + 1) * m), z(m), w(m);
  std::vector<double> h((rs + 1) * rs), cs(rs), sn(rs), g(rs + 1), yv(rs);
  auto H = [&](int i, int j) -> double& { return h[std::size_t(i) * rs + std::size_t(j)]; };
  double prev = std::numeric_limits<double>::infinity(), rel = 0;
  for (int cycle = 0;; ++cycle) {
    checkpoint();
    apply_a(sol.data(), w.data());
    double* v0 = basis.data();
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
      double* vj = basis.data() + std::size_t(j) * m;
      apply_m_inv(vj, z.data());
      apply_a(z.data(), w.data());
      for (int i = 0; i <= j; ++i) {  // modified Gram-Schmidt
        const double* vi = basis.data() + std::size_t(i) * m;
        double d = 0;
        for (std::size_t p = 0; p < m; ++p) d += w[p] * vi[p];
        H(i, j) = d;
        for (std::size_t p = 0; p < m; ++p) w[p] -= d * vi[p];
      }
      const double hn = norm2(w.data(), m);
      H(j + 1, j) = hn;
      if (hn > 0) {
        double* vn = basis.data() + std::size_t(j + 1) * m;
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
    std::fill(w.begin(), w.end(), 0.0);
    for (int i = 0; i < j; ++i) {
      const double* vi = basis.data() + std::size_t(i) * m;
      for (std::size_t p = 0; p < m; ++p) w[p] += yv[std::size_t(i)] * vi[p];
    }
    apply_m_inv(w.data(), z.data());
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

// L lanes (right-hand sides) of one iterative block at once, interleaved: the value of position p in lane
// r is at [p * L + r], so one sweep reads each predecessor's cache line once for all lanes. Removed states
// are identity rows with a zero right-hand side (lane mask bit set): they stay exactly 0.
template <std::size_t L>
void ChainSolver::sweep_lanes(const Block& b, const std::vector<std::uint8_t>& lane_mask,
                              const std::vector<double>& inflow, std::vector<double>& x,
                              const std::vector<double>* guess, SolveStats& stats, std::vector<double>& sol) const {
  const std::size_t m = b.members.size();
  sol.assign(m * L, 0.0);
  std::vector<double> inv_diag(m);
  std::vector<std::uint8_t> mask(m, 0);
  std::vector<std::uint32_t> rhs_at(m, kNone);  // offset into rhs (L values) or kNone for no inflow
  std::vector<double> rhs;
  double bnorm[L] = {}, rel[L] = {}, before[L] = {};
  for (std::size_t p = 0; p < m; ++p) {
    const std::uint32_t s = b.members[b.sweep[p]];
    inv_diag[p] = 1.0 / b.diag[p];
    const std::uint8_t mk = lane_mask[s];
    mask[p] = mk;
    bool any_in = false;
    for (std::size_t r = 0; r < L; ++r) any_in = any_in || (!((mk >> r) & 1) && inflow[s * L + r] != 0.0);
    if (any_in) {
      rhs_at[p] = static_cast<std::uint32_t>(rhs.size());
      for (std::size_t r = 0; r < L; ++r) {
        const double v = (mk >> r) & 1 ? 0.0 : inflow[s * L + r];
        rhs.push_back(v);
        bnorm[r] += v * v;
      }
    }
    if (guess)
      for (std::size_t r = 0; r < L; ++r) sol[p * L + r] = (*guess)[s] / total(s) * kLaneFactors.f[mk][r];
  }
  std::uint8_t empty = 0;  // lanes without any inflow: solution 0
  for (std::size_t r = 0; r < L; ++r) {
    bnorm[r] = std::sqrt(bnorm[r]);
    if (bnorm[r] == 0.0) empty = std::uint8_t(empty | (1u << r));
  }
  if (empty) {
    for (std::size_t p = 0; p < m; ++p) {
      mask[p] = std::uint8_t(mask[p] | empty);
      for (std::size_t r = 0; r < L; ++r) sol[p * L + r] *= kLaneFactors.f[mask[p]][r];
    }
  }
  auto residuals = [&]() {
    double sum[L] = {};
    for (std::size_t p = 0; p < m; ++p) {
      double acc[L];
      const double* xp = sol.data() + p * L;
      const double d = b.diag[p];
      if (rhs_at[p] != kNone) {
        const double* bp = rhs.data() + rhs_at[p];
        for (std::size_t r = 0; r < L; ++r) acc[r] = bp[r] - d * xp[r];
      } else {
        for (std::size_t r = 0; r < L; ++r) acc[r] = -d * xp[r];
      }
      for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e) {
        const double w = b.in_w[e];
        const double* xs = sol.data() + std::size_t(b.in_src[e]) * L;
        for (std::size_t r = 0; r < L; ++r) acc[r] += w * xs[r];
      }
      const double* f = kLaneFactors.f[mask[p]];
      for (std::size_t r = 0; r < L; ++r) sum[r] += acc[r] * acc[r] * f[r];
    }
    for (std::size_t r = 0; r < L; ++r) rel[r] = bnorm[r] > 0 ? std::sqrt(sum[r]) / bnorm[r] : 0.0;
  };
  residuals();
  bool active[L], any = false;
  for (std::size_t r = 0; r < L; ++r) {
    active[r] = rel[r] > kTolerance;
    any = any || active[r];
  }
  // The true residual costs a pass like a sweep: check after 4 sweeps, then after as many as the slowest
  // lane's observed rate predicts it needs (2 to 12).
  int sweeps = 0, check_every = 4;
  bool slow = false;
  while (any) {
    checkpoint();
    for (std::size_t r = 0; r < L; ++r) before[r] = rel[r];
    for (int k = 0; k < check_every; ++k) {
      for (std::size_t p = 0; p < m; ++p) {
        double acc[L];
        if (rhs_at[p] != kNone) {
          const double* bp = rhs.data() + rhs_at[p];
          for (std::size_t r = 0; r < L; ++r) acc[r] = bp[r];
        } else {
          for (std::size_t r = 0; r < L; ++r) acc[r] = 0.0;
        }
        for (std::uint64_t e = b.in_ptr[p]; e < b.in_ptr[p + 1]; ++e) {
          const double w = b.in_w[e];
          const double* xs = sol.data() + std::size_t(b.in_src[e]) * L;
          for (std::size_t r = 0; r < L; ++r) acc[r] += w * xs[r];
        }
        const double* f = kLaneFactors.f[mask[p]];
        const double id = inv_diag[p];
        double* xp = sol.data() + p * L;
        for (std::size_t r = 0; r < L; ++r) xp[r] = acc[r] * id * f[r];
      }
    }
    sweeps += check_every;
    stats.iterations += static_cast<std::uint64_t>(check_every);
    residuals();
    any = false;
    int predicted = 2;
    for (std::size_t r = 0; r < L; ++r) {
      if (!active[r]) continue;
      const double rate = std::pow(rel[r] / before[r], 1.0 / check_every);
      if (rel[r] <= kTolerance || (rel[r] <= kAccept && rate > 0.5)) {
        active[r] = false;  // converged, or at the rounding floor
        continue;
      }
      if (!(rate < 0.6) || sweeps >= 200) slow = true;
      any = true;
      if (rate > 0) predicted = std::max(predicted, int(std::ceil(std::log(kTolerance / rel[r]) / std::log(rate))));
    }
    check_every = std::min(predicted, 12);
    if (slow) break;
  }
  // Lanes that converge slowly (long, nearly closed cycles) finish with GMRES, one at a time.
  for (std::size_t r = 0; r < L && slow; ++r) {
    if (!active[r]) continue;
    std::vector<std::uint8_t> rem(m);
    std::vector<double> rl(m, 0.0), xl(m);
    for (std::size_t p = 0; p < m; ++p) {
      rem[p] = (mask[p] >> r) & 1;
      if (rhs_at[p] != kNone) rl[p] = rhs[rhs_at[p] + r];
      xl[p] = sol[p * L + r];
    }
    rel[r] = gmres(b, rem, rl, xl, bnorm[r], stats);
    for (std::size_t p = 0; p < m; ++p) sol[p * L + r] = xl[p];
  }
  for (std::size_t r = 0; r < L; ++r) {
    if (bnorm[r] == 0.0) continue;
    ++stats.iterative_solves;
    if (!(rel[r] <= kAccept))
      throw DataError("the chain solve did not converge on a component of " + std::to_string(m) +
                      " states (relative residual " + std::to_string(rel[r]) + ")");
    stats.max_residual = std::max(stats.max_residual, rel[r]);
  }
  for (std::size_t p = 0; p < m; ++p) {
    const std::uint32_t s = b.members[b.sweep[p]];
    for (std::size_t r = 0; r < L; ++r) {
      const double v = sol[p * L + r];
      if (!std::isfinite(v)) singular(m);
      x[s * L + r] = v;
    }
  }
}

void ChainSolver::solve_iterative(const Block& b, const std::uint8_t* const* removed, std::size_t lanes,
                                  const std::vector<double>& inflow, std::vector<double>& x,
                                  const std::vector<double>* guess, SolveStats& stats, SolveWorkspace& ws) const {
  (void)removed;  // the workspace's lane mask says which lane removes which state
  auto& sol = ws.sol;
  const auto& m = ws.lane_mask;
  switch (lanes) {
    case 1: sweep_lanes<1>(b, m, inflow, x, guess, stats, sol); return;
    case 2: sweep_lanes<2>(b, m, inflow, x, guess, stats, sol); return;
    case 3: sweep_lanes<3>(b, m, inflow, x, guess, stats, sol); return;
    case 4: sweep_lanes<4>(b, m, inflow, x, guess, stats, sol); return;
    case 5: sweep_lanes<5>(b, m, inflow, x, guess, stats, sol); return;
    case 6: sweep_lanes<6>(b, m, inflow, x, guess, stats, sol); return;
    case 7: sweep_lanes<7>(b, m, inflow, x, guess, stats, sol); return;
    case 8: sweep_lanes<8>(b, m, inflow, x, guess, stats, sol); return;
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
  std::size_t done = 0;
  for (const auto& bp : blocks_) {
    const Block& b = *bp;
    if ((++done & 0xFFF) == 0 || b.kind != Block::Kind::trivial) checkpoint();
    if (b.kind == Block::Kind::trivial) {
      const std::uint32_t s = b.members[0];
      double* in = inflow.data() + std::size_t(s) * L;
      const double* cr = carry.data() + std::size_t(s) * L;
      const double* f = kLaneFactors.f[mask[s]];
      bool any = false;
      for (std::size_t r = 0; r < L; ++r) {
        in[r] = (in[r] + cr[r]) * f[r];
        any = any || in[r] != 0.0;
      }
      if (!any) continue;
      const double stay = total(s) - b.self_loop;
      if (!(stay > 0)) singular(1);
      double* xs = x.data() + std::size_t(s) * L;
      for (std::size_t r = 0; r < L; ++r) xs[r] = in[r] / stay;
    } else {
      for (std::uint32_t s : b.members)
        for (std::size_t r = 0; r < L; ++r) {
          inflow[std::size_t(s) * L + r] += carry[std::size_t(s) * L + r];
          carry[std::size_t(s) * L + r] = 0.0;
        }
      if (b.kind == Block::Kind::iterative) {
        solve_iterative(b, removed, L, inflow, x, guess, stats, ws);
      } else {
        for (std::size_t r = 0; r < L; ++r) solve_direct(b, removed[r], inflow.data() + r, L, x.data() + r, stats);
      }
    }
    const std::uint32_t me = block_of_[b.members[0]];
    for (std::uint32_t s : b.members) {
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
