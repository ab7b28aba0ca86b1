#include "markov/solver.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>

#include "journeygraph/error.hpp"

namespace journeygraph::detail {

namespace {
using DenseLU = Eigen::PartialPivLU<Eigen::MatrixXd>;
using SparseMat = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;
using SparseLU = Eigen::SparseLU<SparseMat, Eigen::COLAMDOrdering<int>>;

[[noreturn]] void singular(std::size_t size) {
  throw DataError("the chain has a set of " + std::to_string(size) +
                  " states that journeys enter but can never leave (no path to conversion or null)");
}
}  // namespace

struct ChainSolver::Block {
  std::vector<std::uint32_t> members;  // global state ids, ascending
  bool trivial = false;                // one state: x = inflow / (1 - self-loop)
  double self_loop = 0;
  std::unique_ptr<DenseLU> dense;      // factor of (I - Q_BB)^T, no removal
  std::unique_ptr<SparseLU> sparse;
};

ChainSolver::~ChainSolver() = default;

ChainSolver::ChainSolver(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, const double* prob)
    : n_(n), row_(row), col_(col), prob_(prob), local_(n), block_of_(n) {
  // Iterative Tarjan. Components come out in reverse topological order.
  const std::uint32_t kUnset = 0xFFFFFFFFu;
  std::vector<std::uint32_t> index(n, kUnset), low(n, 0), stack;
  std::vector<std::uint8_t> on_stack(n, 0);
  std::vector<std::pair<std::uint32_t, std::uint64_t>> call;  // (state, next edge)
  std::vector<std::vector<std::uint32_t>> comps;
  std::uint32_t counter = 0;
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnset) continue;
    call.push_back({root, row[root]});
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!call.empty()) {
      auto& [v, e] = call.back();
      bool descended = false;
      while (e < row[v + 1]) {
        std::uint32_t w = col[e++];
        if (w >= n || prob[e - 1] == 0.0) continue;
        if (index[w] == kUnset) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = 1;
          call.push_back({w, row[w]});
          descended = true;
          break;
        }
        if (on_stack[w]) low[v] = std::min(low[v], index[w]);
      }
      if (descended) continue;
      std::uint32_t done = v;
      call.pop_back();
      if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[done]);
      if (low[done] == index[done]) {
        std::vector<std::uint32_t> comp;
        std::uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          comp.push_back(w);
        } while (w != done);
        comps.push_back(std::move(comp));
      }
    }
  }
  std::reverse(comps.begin(), comps.end());
  blocks_.reserve(comps.size());
  for (auto& comp : comps) {
    std::sort(comp.begin(), comp.end());
    auto b = std::make_unique<Block>();
    b->members = std::move(comp);
    const std::uint32_t id = static_cast<std::uint32_t>(blocks_.size());
    for (std::uint32_t i = 0; i < b->members.size(); ++i) {
      local_[b->members[i]] = i;
      block_of_[b->members[i]] = id;
    }
    largest_ = std::max(largest_, b->members.size());
    if (b->members.size() == 1) {
      b->trivial = true;
      std::uint32_t s = b->members[0];
      for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
        if (col[e] == s) b->self_loop += prob[e];
    }
    blocks_.push_back(std::move(b));
  }
  // Factor the larger components once for solves that remove none of their states.
  for (auto& b : blocks_) {
    if (b->trivial) continue;
    const std::size_t m = b->members.size();
    if (m <= kDenseMax) {
      Eigen::MatrixXd a = Eigen::MatrixXd::Identity(Eigen::Index(m), Eigen::Index(m));
      for (std::uint32_t i = 0; i < m; ++i) {
        std::uint32_t s = b->members[i];
        for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
          if (col[e] < n && block_of_[col[e]] == block_of_[s]) a(local_[col[e]], i) -= prob[e];
      }
      b->dense = std::make_unique<DenseLU>(a);
    } else {
      std::vector<Eigen::Triplet<double, int>> t;
      for (std::uint32_t i = 0; i < m; ++i) {
        std::uint32_t s = b->members[i];
        t.emplace_back(int(i), int(i), 1.0);
        for (std::uint64_t e = row[s]; e < row[s + 1]; ++e)
          if (col[e] < n && block_of_[col[e]] == block_of_[s]) t.emplace_back(int(local_[col[e]]), int(i), -prob[e]);
      }
      SparseMat a{Eigen::Index(m), Eigen::Index(m)};
      a.setFromTriplets(t.begin(), t.end());
      b->sparse = std::make_unique<SparseLU>();
      b->sparse->compute(a);
      if (b->sparse->info() != Eigen::Success) singular(m);
    }
  }
}

void ChainSolver::solve_block(const Block& b, const std::uint8_t* removed, std::vector<double>& inflow,
                              std::vector<double>& x) const {
  const std::size_t m = b.members.size();
  if (b.trivial) {
    std::uint32_t s = b.members[0];
    if (removed && removed[s]) return;
    if (inflow[s] == 0.0) return;
    if (b.self_loop >= 1.0) singular(1);
    x[s] = inflow[s] / (1.0 - b.self_loop);
    return;
  }
  // Which members remain? Inflow into removed states is lost to NULL.
  std::vector<std::uint32_t> keep;
  keep.reserve(m);
  bool any_inflow = false;
  for (std::uint32_t s : b.members)
    if (!(removed && removed[s])) {
      keep.push_back(s);
      any_inflow = any_inflow || inflow[s] != 0.0;
    }
  if (keep.empty() || !any_inflow) return;
  const std::size_t k = keep.size();
  Eigen::VectorXd rhs(static_cast<Eigen::Index>(k)), sol;
  for (std::size_t i = 0; i < k; ++i) rhs[Eigen::Index(i)] = inflow[keep[i]];
  if (k == m) {
    sol = b.dense ? Eigen::VectorXd(b.dense->solve(rhs)) : Eigen::VectorXd(b.sparse->solve(rhs));
  } else {
    std::vector<std::uint32_t> pos(m, 0xFFFFFFFFu);
    for (std::uint32_t i = 0; i < k; ++i) pos[local_[keep[i]]] = i;
    const std::uint32_t me = block_of_[b.members[0]];
    if (k <= kDenseMax) {
      Eigen::MatrixXd a = Eigen::MatrixXd::Identity(Eigen::Index(k), Eigen::Index(k));
      for (std::uint32_t i = 0; i < k; ++i) {
        std::uint32_t s = keep[i];
        for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
          std::uint32_t t = col_[e];
          if (t < n_ && block_of_[t] == me && pos[local_[t]] != 0xFFFFFFFFu) a(pos[local_[t]], i) -= prob_[e];
        }
      }
      DenseLU lu(a);
      sol = lu.solve(rhs);
    } else {
      std::vector<Eigen::Triplet<double, int>> t;
      for (std::uint32_t i = 0; i < k; ++i) {
        std::uint32_t s = keep[i];
        t.emplace_back(int(i), int(i), 1.0);
        for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
          std::uint32_t d = col_[e];
          if (d < n_ && block_of_[d] == me && pos[local_[d]] != 0xFFFFFFFFu)
            t.emplace_back(int(pos[local_[d]]), int(i), -prob_[e]);
        }
      }
      SparseMat a{Eigen::Index(k), Eigen::Index(k)};
      a.setFromTriplets(t.begin(), t.end());
      SparseLU lu;
      lu.compute(a);
      if (lu.info() != Eigen::Success) singular(k);
      sol = lu.solve(rhs);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    double v = sol[Eigen::Index(i)];
    if (!std::isfinite(v)) singular(k);
    x[keep[i]] = v;
  }
}

void ChainSolver::visits_from(const std::vector<double>& source, const std::uint8_t* removed,
                              std::vector<double>& x) const {
  std::vector<double> inflow(source);
  inflow.resize(n_, 0.0);
  x.assign(n_, 0.0);
  for (const auto& bp : blocks_) {
    const Block& b = *bp;
    solve_block(b, removed, inflow, x);
    const std::uint32_t me = block_of_[b.members[0]];
    for (std::uint32_t s : b.members) {
      const double xs = x[s];
      if (xs == 0.0) continue;
      for (std::uint64_t e = row_[s]; e < row_[s + 1]; ++e) {
        std::uint32_t t = col_[e];
        if (t < n_ && block_of_[t] != me && !(removed && removed[t])) inflow[t] += xs * prob_[e];
      }
    }
  }
}

void ChainSolver::visits(const std::uint8_t* removed, std::vector<double>& x) const {
  std::vector<double> source(n_, 0.0);
  if (n_ > 0 && !(removed && removed[0])) source[0] = 1.0;
  visits_from(source, removed, x);
}

}  // namespace journeygraph::detail
