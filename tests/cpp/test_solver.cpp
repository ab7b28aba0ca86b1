// The chain solver against an independent dense solve, through every path it has: dense and sparse LU,
// Schur-complement removals, refactored removals, batched Gauss-Seidel lanes and the GMRES fallback.

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <queue>
#include <random>

#include "common/exact.hpp"
#include "common/indexed_heap.hpp"
#include "journeygraph/error.hpp"
#include "markov/solver.hpp"

using journeygraph::detail::ChainSolver;

namespace {

// Appends one row to a chain in compressed rows: the weighted edges e (target, weight), sorted by target and
// divided by their sum.
void append_row(std::vector<std::pair<std::uint32_t, double>> e, std::vector<std::uint64_t>& row,
                std::vector<std::uint32_t>& col, std::vector<double>& prob) {
  std::sort(e.begin(), e.end());
  double total = 0;
  for (auto& x : e) total += x.second;
  for (auto& x : e) {
    col.push_back(x.first);
    prob.push_back(x.second / total);
  }
  row.push_back(col.size());
}

// A random absorbing chain in compressed rows: n transient states, each with a few successors and some
// probability of absorption (columns n and n + 1).
struct RandomChain {
  std::size_t n;
  std::vector<std::uint64_t> row{0};
  std::vector<std::uint32_t> col;
  std::vector<double> prob;
  RandomChain(std::size_t states, unsigned degree, double exit, std::uint32_t seed, bool self_loops = false) : n(states) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.05, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::pair<std::uint32_t, double>> e;
      const unsigned d = 1 + rng() % degree;
      for (unsigned k = 0; k < d; ++k) {
        auto t = static_cast<std::uint32_t>(rng() % n);
        if (t == 0 || (t == i && !self_loops)) continue;
        bool dup = false;
        for (auto& x : e) dup = dup || x.first == t;
        if (!dup) e.push_back({t, u(rng)});
      }
      e.push_back({static_cast<std::uint32_t>(n), exit * u(rng) + 1e-3});
      e.push_back({static_cast<std::uint32_t>(n + 1), exit * u(rng) + 1e-3});
      append_row(std::move(e), row, col, prob);
    }
  }
  // x^T (I - Q_KK) = e_0^T on the kept states, by dense LU.
  std::vector<double> dense_visits(const std::vector<std::uint8_t>& removed) const {
    Eigen::MatrixXd a = Eigen::MatrixXd::Identity(Eigen::Index(n), Eigen::Index(n));
    Eigen::VectorXd b = Eigen::VectorXd::Zero(Eigen::Index(n));
    for (std::size_t i = 0; i < n; ++i) {
      if (removed[i]) continue;
      for (std::uint64_t e = row[i]; e < row[i + 1]; ++e)
        if (col[e] < n && !removed[col[e]]) a(col[e], Eigen::Index(i)) -= prob[e];
    }
    if (!removed[0]) b[0] = 1.0;
    Eigen::VectorXd x = a.fullPivLu().solve(b);
    return std::vector<double>(x.data(), x.data() + x.size());
  }
};

void check_close(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  REQUIRE(got.size() == want.size());
  double scale = 0;
  for (double w : want) scale = std::max(scale, std::abs(w));
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("state " << i << " got " << got[i] << " want " << want[i]);
    CHECK(std::abs(got[i] - want[i]) <= tol * scale);
  }
}

std::vector<std::uint8_t> random_mask(std::size_t n, double share, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> m(n, 0);
  for (std::size_t i = 1; i < n; ++i) m[i] = (rng() % 1000) < share * 1000;
  return m;
}

// Four random removal sets (lane l removes a share base + step * l of the states), as masks for the dense
// solves and as state lists for removal_deltas.
struct RemovalSets {
  std::vector<std::vector<std::uint32_t>> lists{4};
  std::vector<std::vector<std::uint8_t>> masks;
  const std::uint32_t* removed[4];
  std::size_t count[4];
  RemovalSets(std::size_t n, double base, double step, std::uint32_t seed) {
    for (std::size_t l = 0; l < 4; ++l) {
      masks.push_back(random_mask(n, base + step * double(l), seed + std::uint32_t(l)));
      for (std::uint32_t i = 0; i < n; ++i)
        if (masks[l][i]) lists[l].push_back(i);
      removed[l] = lists[l].data();
      count[l] = lists[l].size();
    }
  }
  RemovalSets(const RemovalSets&) = delete;
  RemovalSets& operator=(const RemovalSets&) = delete;
};

// sum_s (x'_s - x_s) fn_s by dense solves: the change of a functional when the states of mask are removed.
double dense_change(const RandomChain& c, const std::vector<std::uint8_t>& mask, const std::vector<double>& full,
                    const std::vector<double>& fn_state) {
  const auto x = c.dense_visits(mask);
  double want = 0;
  for (std::size_t i = 0; i < c.n; ++i) want += (x[i] - full[i]) * fn_state[i];
  return want;
}

// The four removal sets of sets solved in one batch by s (which must use sweeps for it): each change of
// sum_s fn_state[s] x_s is checked against the dense solve of its reduced chain, to 1e-12 of the full
// functional (scale). fn_pos is fn_state in the solver's order.
struct BatchChanges {
  double out[4];
  double scale = 0;
  std::vector<double> fn_pos;
};
BatchChanges check_batch(const ChainSolver& s, const RandomChain& c, const RemovalSets& sets,
                         const std::vector<double>& full, const std::vector<double>& fn_state) {
  BatchChanges b;
  s.to_positions(fn_state.data(), b.fn_pos);
  const double* fn[1] = {b.fn_pos.data()};
  journeygraph::detail::SolveStats st;
  journeygraph::detail::SolveWorkspace ws;
  s.removal_deltas(sets.removed, sets.count, 4, fn, 1, b.out, &st, ws);
  CHECK(st.iterative_solves > 0);
  CHECK(st.max_residual <= ChainSolver::kAccept);
  for (std::size_t i = 0; i < c.n; ++i) b.scale += full[i] * fn_state[i];
  for (std::size_t l = 0; l < 4; ++l) {
    const double want = dense_change(c, sets.masks[l], full, fn_state);
    INFO("lane " << l << " removed " << sets.count[l] << " got " << b.out[l] << " want " << want);
    CHECK(std::abs(b.out[l] - want) <= 1e-12 * b.scale);
  }
  return b;
}

}  // namespace

TEST_CASE("solver: every method matches a dense solve", "[solver]") {
  const RandomChain c(400, 4, 0.6, 7);
  const std::vector<std::uint8_t> none(c.n, 0);
  const auto want = c.dense_visits(none);
  struct Method {
    const char* name;
    ChainSolver::Config config;
  } methods[] = {
      {"dense", {400, 400}}, {"sparse", {16, 400}}, {"iterative", {16, 8}}};
  for (const auto& m : methods) {
    DYNAMIC_SECTION(m.name) {
      ChainSolver s(c.n, c.row.data(), c.col.data(), c.prob.data(), m.config);
      CHECK(s.largest_component() > 16);
      check_close(s.full_visits(), want, 1e-12);
      CHECK(s.full_stats().max_residual < 1e-13);
      if (std::string(m.name) == "iterative") CHECK(s.full_stats().iterative_solves > 0);
    }
  }
}

TEST_CASE("solver: removals match a dense solve of the reduced chain", "[solver]") {
  const RandomChain c(300, 4, 0.5, 11);
  for (double share : {0.02, 0.1, 0.5}) {  // few removed states use the Schur complement, many refactor
    const auto mask = random_mask(c.n, share, 5);
    const auto want = c.dense_visits(mask);
    for (auto config : {ChainSolver::Config{300, 300}, ChainSolver::Config{16, 300}, ChainSolver::Config{16, 8}}) {
      ChainSolver s(c.n, c.row.data(), c.col.data(), c.prob.data(), config);
      std::vector<double> x;
      journeygraph::detail::SolveStats st;
      s.visits(mask.data(), x, &st);
      INFO("share " << share << " dense_max " << config.dense_max << " direct_max " << config.direct_max);
      check_close(x, want, 1e-12);
      CHECK(st.max_residual < 1e-12);
      for (std::size_t i = 0; i < c.n; ++i)
        if (mask[i]) CHECK(x[i] == 0.0);
    }
  }
}

TEST_CASE("solver: batched lanes equal their single solves", "[solver]") {
  const RandomChain c(500, 3, 0.4, 3);
  ChainSolver s(c.n, c.row.data(), c.col.data(), c.prob.data(), ChainSolver::Config{16, 8});
  std::vector<std::vector<std::uint8_t>> masks;
  std::vector<const std::uint8_t*> ptrs;
  for (std::uint32_t l = 0; l < ChainSolver::kLanes; ++l) {
    masks.push_back(random_mask(c.n, 0.01 + 0.03 * l, 100 + l));
  }
  for (auto& m : masks) ptrs.push_back(m.data());
  ptrs[3] = nullptr;  // a lane without removal
  std::vector<double> batch;
  s.visits_batch(ptrs.data(), ptrs.size(), batch);
  for (std::size_t l = 0; l < ptrs.size(); ++l) {
    const auto want = c.dense_visits(ptrs[l] ? masks[l] : std::vector<std::uint8_t>(c.n, 0));
    std::vector<double> lane(c.n);
    for (std::size_t i = 0; i < c.n; ++i) lane[i] = batch[i * ptrs.size() + l];
    INFO("lane " << l);
    check_close(lane, want, 1e-12);
  }
}

TEST_CASE("solver: nearly closed cycles fall back to GMRES and stay exact", "[solver]") {
  // A ring of 3000 states where each step continues with probability 0.99999: a Gauss-Seidel sweep around
  // the ring leaves 0.99999^3000 = 0.97 of the error, so sweeps alone would need about a thousand of them.
  const std::size_t n = 3001;
  std::vector<std::uint64_t> row{0};
  std::vector<std::uint32_t> col;
  std::vector<double> prob;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t next = static_cast<std::uint32_t>(i + 1 < n ? i + 1 : 1);
    col.push_back(next);
    prob.push_back(i == 0 ? 1.0 : 0.99999);
    if (i > 0) {
      col.push_back(static_cast<std::uint32_t>(n));
      prob.push_back(0.00001);
    }
    row.push_back(col.size());
  }
  ChainSolver s(n, row.data(), col.data(), prob.data());
  CHECK(s.largest_component() == n - 1);
  // Closed form: state 1 + k is reached with mass 0.9999^k / (1 - 0.9999^(n-1)) expected visits.
  const double q = 0.99999, lap = std::pow(q, double(n - 1));
  for (std::size_t k : {0u, 1u, 1500u, 2999u}) {
    const double want = std::pow(q, double(k)) / (1.0 - lap);
    CHECK(std::abs(s.full_visits()[1 + k] - want) <= 1e-11 * want);
  }
  CHECK(s.full_stats().max_residual < 1e-12);
  CHECK(s.full_stats().iterations > 0);
}

TEST_CASE("solver: a closed set of states is reported, not solved into garbage", "[solver]") {
  // START -> 1 <-> 2 with no way out.
  std::vector<std::uint64_t> row{0, 1, 2, 3};
  std::vector<std::uint32_t> col{1, 2, 1};
  std::vector<double> prob{1.0, 1.0, 1.0};
  CHECK_THROWS_AS(ChainSolver(3, row.data(), col.data(), prob.data()), journeygraph::DataError);
}

TEST_CASE("solver: removal changes solved by sweeps match dense solves of the reduced chains", "[solver]") {
  // One cyclic component of 600 states, above direct_max: every removal goes through the Gauss-Seidel
  // lanes, whose convergence checks read the residual off the back edges and whose answer is then checked
  // by a full residual pass. Exits of 0.05 to 0.1 of a row make the sweeps take a few dozen passes.
  const RandomChain c(600, 4, 0.1, 29);
  ChainSolver s(c.n, c.row.data(), c.col.data(), c.prob.data(), ChainSolver::Config{16, 8});
  REQUIRE(s.largest_component() > 300);
  const std::vector<std::uint8_t> none(c.n, 0);
  const auto full = c.dense_visits(none);
  std::mt19937 rng(41);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> fn_state(c.n);
  for (auto& v : fn_state) v = u(rng);
  const RemovalSets sets(c.n, 0.005, 0.02, 300);
  const BatchChanges batch = check_batch(s, c, sets, full, fn_state);
  const double* fn[1] = {batch.fn_pos.data()};
  for (std::size_t l = 0; l < 4; ++l) {
    // The same lane alone gives the same answer to the solver's residual bound.
    INFO("lane " << l);
    double single;
    journeygraph::detail::SolveWorkspace ws1;
    s.removal_deltas(sets.removed + l, sets.count + l, 1, fn, 1, &single, nullptr, ws1);
    CHECK(std::abs(single - batch.out[l]) <= 1e-12 * batch.scale);
  }
}

TEST_CASE("solver: built with a second thread, the same solver as with one", "[solver][determinism]") {
  // With threads >= 2 the removal walk's arrays are built on a second thread while the blocks are ordered and
  // the full chain solved. A chain of a cyclic half (above direct_max) that feeds an acyclic half (one
  // component per state, which the walk goes through) gives the same full solution and the same removal
  // changes, bit for bit, either way.
  const std::size_t n = 800, half = 400;
  std::vector<std::uint64_t> row{0};
  std::vector<std::uint32_t> col;
  std::vector<double> prob;
  std::mt19937 rng(57);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint32_t> to;
    if (i < half) {
      for (int k = 0; k < 3; ++k) to.push_back(std::uint32_t(1 + rng() % (half - 1)));
      to.push_back(std::uint32_t(half + rng() % half));
    } else if (i + 1 < n) {
      for (int k = 0; k < 2; ++k) to.push_back(std::uint32_t(i + 1 + rng() % (n - i - 1)));
    }
    to.push_back(std::uint32_t(n));
    to.push_back(std::uint32_t(n + 1));
    std::sort(to.begin(), to.end());
    to.erase(std::unique(to.begin(), to.end()), to.end());
    to.erase(std::remove(to.begin(), to.end(), std::uint32_t(i)), to.end());
    for (std::uint32_t t : to) {
      col.push_back(t);
      prob.push_back(1.0 / double(to.size()));
    }
    row.push_back(col.size());
  }
  ChainSolver::Config one{16, 8}, two{16, 8};
  two.threads = 2;
  ChainSolver a(n, row.data(), col.data(), prob.data(), one);
  ChainSolver b(n, row.data(), col.data(), prob.data(), two);
  REQUIRE(a.components() > half);
  CHECK(a.full_visits() == b.full_visits());
  std::vector<double> fn_state(n), fn_pos;
  for (std::size_t i = 0; i < n; ++i) fn_state[i] = i < half ? 0.0 : 1.0;  // the acyclic half only
  a.to_positions(fn_state.data(), fn_pos);
  const double* fn[1] = {fn_pos.data()};
  const RemovalSets sets(n, 0.005, 0.02, 300);
  double da[4], db[4];
  journeygraph::detail::SolveWorkspace wa, wb;
  a.removal_deltas(sets.removed, sets.count, 4, fn, 1, da, nullptr, wa);
  b.removal_deltas(sets.removed, sets.count, 4, fn, 1, db, nullptr, wb);
  for (std::size_t l = 0; l < 4; ++l) {
    INFO("lane " << l);
    CHECK(da[l] != 0.0);
    CHECK(da[l] == db[l]);
  }
}

TEST_CASE("solver: a reused workspace gives the same bits as a fresh one, after walks that reached few states and most",
          "[solver]") {
  // An acyclic chain of 3,000 states (every edge leads to a later state), so the removal walk goes state by
  // state, and the visits of a reduced chain are one forward pass, computed here independently. A removal
  // near the end reaches a few states (the walk keeps a heap and clears what it touched one by one); one near
  // the start, or of 200 states at once, reaches nearly all (a scan of the flags, cleared in sequence). One
  // workspace goes through all of them in turn, and through a refused call, and must answer as a fresh one.
  const std::size_t n = 3000;
  std::vector<std::uint64_t> row{0};
  std::vector<std::uint32_t> col;
  std::vector<double> prob;
  std::mt19937 rng(71);
  std::uniform_real_distribution<double> u(0.05, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::pair<std::uint32_t, double>> e;
    for (int k = 0; k < 3 && i + 1 < n; ++k) {
      const auto t = std::uint32_t(i + 1 + rng() % std::min<std::size_t>(20, n - 1 - i));
      bool dup = false;
      for (auto& x : e) dup = dup || x.first == t;
      if (!dup) e.push_back({t, u(rng)});
    }
    e.push_back({std::uint32_t(n), 0.05 * u(rng)});
    e.push_back({std::uint32_t(n + 1), 0.05 * u(rng)});
    append_row(std::move(e), row, col, prob);
  }
  auto visits = [&](const std::vector<std::uint8_t>& removed) {
    std::vector<double> x(n, 0.0);
    x[0] = removed[0] ? 0.0 : 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (removed[i]) continue;
      for (std::uint64_t e = row[i]; e < row[i + 1]; ++e)
        if (col[e] < n && !removed[col[e]]) x[col[e]] += x[i] * prob[e];
    }
    return x;
  };
  ChainSolver s(n, row.data(), col.data(), prob.data());
  REQUIRE(s.components() == n);
  std::vector<double> fn_state(n), fn_pos;
  for (auto& v : fn_state) v = u(rng);
  s.to_positions(fn_state.data(), fn_pos);
  const double* fn[1] = {fn_pos.data()};
  const auto full = visits(std::vector<std::uint8_t>(n, 0));
  double scale = 0;
  for (std::size_t i = 0; i < n; ++i) scale += full[i] * fn_state[i];
  // Sets: a state near the end; the first successor of START; 200 states spread over the chain; two near the end.
  std::vector<std::vector<std::uint32_t>> sets = {
      {std::uint32_t(n - 12)}, {col[row[0]]}, {}, {std::uint32_t(n - 40), std::uint32_t(n - 30)}};
  for (std::uint32_t i = 0; i < 200; ++i) sets[2].push_back(std::uint32_t(7 + 14 * i));
  journeygraph::detail::SolveWorkspace reused;
  // Lane by lane, then all four in one batch, twice over; a refused call in between.
  const std::vector<std::vector<std::size_t>> calls = {{0}, {2}, {0}, {1}, {3}, {0, 1, 2, 3}, {3}, {0}, {3}};
  for (std::size_t c = 0; c < calls.size(); ++c) {
    if (c == 4) {
      const std::uint32_t bad[2] = {std::uint32_t(n - 5), std::uint32_t(n + 7)};
      const std::uint32_t* lists[1] = {bad};
      const std::size_t counts[1] = {2};
      double out = 0;
      CHECK_THROWS_AS(s.removal_deltas(lists, counts, 1, fn, 1, &out, nullptr, reused),
                      journeygraph::InvalidArgument);
    }
    const auto& lanes = calls[c];
    const std::uint32_t* lists[4];
    std::size_t counts[4];
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      lists[l] = sets[lanes[l]].data();
      counts[l] = sets[lanes[l]].size();
    }
    double got[4], fresh_out[4];
    journeygraph::detail::SolveWorkspace fresh;
    s.removal_deltas(lists, counts, lanes.size(), fn, 1, got, nullptr, reused);
    s.removal_deltas(lists, counts, lanes.size(), fn, 1, fresh_out, nullptr, fresh);
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      std::vector<std::uint8_t> mask(n, 0);
      for (std::uint32_t st : sets[lanes[l]]) mask[st] = 1;
      const auto x = visits(mask);
      double want = 0;
      for (std::size_t i = 0; i < n; ++i) want += (x[i] - full[i]) * fn_state[i];
      INFO("call " << c << " lane " << l << " (set " << lanes[l] << ") got " << got[l] << " want " << want);
      CHECK(got[l] == fresh_out[l]);
      CHECK(std::abs(got[l] - want) <= 1e-12 * scale);
      CHECK(want != 0.0);
    }
  }
}

TEST_CASE("exact sums: whole numbers and fractions in any order give the words of an independent sum",
          "[numerics][exact]") {
  // Values that are multiples of 2^-64 below 2^61: x * 2^64 is an integer, so the sum's integer and
  // first fraction words are the 128-bit sum of those integers (the last word stays 0).
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    journeygraph::detail::ExactSum s;
    journeygraph::detail::int128 want = 0;
    for (int i = 0; i < 200; ++i) {
      double x;
      switch (rng() % 4) {
        case 0: x = double(rng() % (std::uint64_t(1) << 40)); break;          // whole: the integer word alone
        case 1: x = double(1 + rng() % 1000) * 0x1p-20; break;               // a fraction
        case 2: x = -double(rng() % (std::uint64_t(1) << 30)); break;        // negative whole
        default: x = double(rng() % (std::uint64_t(1) << 52)) + 0.5; break;  // whole and a half
      }
      s.add(x);
      want += static_cast<journeygraph::detail::int128>(std::ldexp(x, 20)) * (static_cast<journeygraph::detail::int128>(1) << 44);  // x * 2^64, exactly
    }
    const auto u = static_cast<journeygraph::detail::uint128>(want);
    CHECK(s.word(0) == 0);
    CHECK(s.word(1) == static_cast<std::uint64_t>(u));
    CHECK(s.word(2) == static_cast<std::uint64_t>(u >> 64));
  }
  // The bound holds on the whole-number path too: a sum reaching 2^62 is refused, just below it is not.
  journeygraph::detail::ExactSum big;
  big.add(0x1p61);
  big.add(0x1p61 - 0x1p9);
  CHECK_THROWS_AS(big.add(0x1p9), journeygraph::InvalidArgument);
  CHECK(big.value() == 0x1p62 - 0x1p9);
}

TEST_CASE("exact sums: value() is the sum rounded once, whole numbers included", "[numerics][exact]") {
  // The whole-number shortcut of value() must give what rounding the 192-bit sum gives: checked against the
  // sum kept independently as a 128-bit integer times 2^-64 (values on that grid), rounded by long double
  // arithmetic where it is exact and by the two-step rounding of the words otherwise.
  using journeygraph::detail::ExactSum;
  using journeygraph::detail::int128;
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 400; ++trial) {
    ExactSum s;
    int128 whole = 0;
    const int kind = trial % 4;
    for (int i = 0; i < 50; ++i) {
      std::int64_t k;
      switch (kind) {
        case 0: k = std::int64_t(rng() % 1000); break;                                  // small counts
        case 1: k = std::int64_t(rng() % (std::uint64_t(1) << 47)); break;             // near 2^53 in sum
        case 2: k = std::int64_t(rng() % 1000) - 500; break;                             // signs mixed
        default: k = std::int64_t((std::uint64_t(1) << 52) + rng() % 1000); break;      // past 2^53 in sum
      }
      s.add(double(k));
      whole += k;
    }
    CAPTURE(trial, kind);
    // A whole number: exact as a double below 2^53, else rounded to nearest even (the cast does that).
    CHECK(s.value() == static_cast<double>(whole));
  }
  // Whole number plus a fraction: not a shortcut, the general rounding.
  ExactSum f;
  f.add(3.0);
  f.add(0.25);
  CHECK(f.value() == 3.25);
  ExactSum edge;
  edge.add(0x1p53 - 1);
  CHECK(edge.value() == 0x1p53 - 1);
  edge.add(1.0);
  CHECK(edge.value() == 0x1p53);
  edge.add(1.0);
  CHECK(edge.value() == 0x1p53);  // 2^53 + 1 rounds to even
}

TEST_CASE("solver: counts that balance are solved by their row totals, without sweeps", "[solver]") {
  // Walks on a random chain, counted: each state's inflow count equals its row total, so the visits are
  // total_s / total_0 (state 0 is entered by no edge and starts every walk), and the full solve of the large
  // component finds that start within the tolerance: no sweep. Counts that do not balance (one edge counted
  // once more, its row total with it) are swept from that start. Both match the dense solve of their chain.
  const RandomChain c(600, 4, 0.1, 31);
  std::mt19937 rng(77);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> weight(c.prob.size(), 0.0), total(c.n, 0.0);
  for (int j = 0; j < 20000; ++j) {
    for (std::size_t s = 0;;) {
      double r = u(rng);
      std::uint64_t e = c.row[s];
      while (e + 1 < c.row[s + 1] && r >= c.prob[e]) r -= c.prob[e++];
      weight[e] += 1;
      total[s] += 1;
      if (c.col[e] >= c.n) break;
      s = c.col[e];
    }
  }
  // A state no walk reached (no edge enters it) gets a row of its own: one count to absorption.
  for (std::size_t i = 0; i < c.n; ++i)
    if (total[i] == 0) {
      weight[c.row[i + 1] - 1] = 1;
      total[i] = 1;
    }
  auto dense = [&](const std::vector<double>& w, const std::vector<double>& t) {
    RandomChain d = c;
    for (std::size_t i = 0; i < c.n; ++i)
      for (std::uint64_t e = c.row[i]; e < c.row[i + 1]; ++e) d.prob[e] = w[e] / t[i];
    return d.dense_visits(std::vector<std::uint8_t>(c.n, 0));
  };
  ChainSolver s(c.n, c.row.data(), c.col.data(), weight.data(), total.data(), ChainSolver::Config{16, 8});
  REQUIRE(s.largest_component() > 300);
  CHECK(s.full_stats().iterations == 0);
  CHECK(s.full_stats().max_residual <= ChainSolver::kTolerance);
  check_close(s.full_visits(), dense(weight, total), 1e-12);
  // One more count on an edge inside the large component: no longer balanced.
  std::size_t from = 1;
  std::uint64_t inside = 0;
  for (; from < c.n && inside == 0; ++from)
    for (std::uint64_t e = c.row[from]; e < c.row[from + 1]; ++e)
      if (c.col[e] < c.n && weight[e] > 0 && total[c.col[e]] > 100) inside = e;
  REQUIRE(inside > 0);
  weight[inside] += 1;
  total[from - 1] += 1;
  ChainSolver s2(c.n, c.row.data(), c.col.data(), weight.data(), total.data(), ChainSolver::Config{16, 8});
  CHECK(s2.full_stats().iterations > 0);
  check_close(s2.full_visits(), dense(weight, total), 1e-12);
}

TEST_CASE("solver: a chain given as counts is ordered by them before any solve and matches the dense solves",
          "[solver]") {
  // A chain fitted to counts has row totals proportional to its visits (what enters a state leaves it), so the
  // solver orders its large components by the counts before solving anything. Build such counts from the dense
  // visits of a random chain (weights x_i q_ij K, totals x_i K) and check the full solution and removal changes,
  // solved by sweeps in that order, against the dense solves of the same chain.
  const RandomChain c(600, 4, 0.1, 31);
  const std::vector<std::uint8_t> none(c.n, 0);
  const auto full = c.dense_visits(none);
  std::vector<double> weight(c.prob.size()), total(c.n);
  for (std::size_t i = 0; i < c.n; ++i) {
    total[i] = full[i] > 0 ? full[i] * 1000.0 : 1.0;
    for (std::uint64_t e = c.row[i]; e < c.row[i + 1]; ++e) weight[e] = c.prob[e] * total[i];
  }
  ChainSolver s(c.n, c.row.data(), c.col.data(), weight.data(), total.data(), ChainSolver::Config{16, 8});
  REQUIRE(s.largest_component() > 300);
  CHECK(s.full_stats().iterative_solves > 0);
  check_close(s.full_visits(), full, 1e-12);
  std::vector<double> fn_state(c.n, 0.0);
  for (std::size_t i = 0; i < c.n; i += 3) fn_state[i] = 1.0;
  const RemovalSets sets(c.n, 0.01, 0.03, 500);
  const BatchChanges batch = check_batch(s, c, sets, full, fn_state);
  // Row totals that are not proportional to the visits (as with smoothing): the counts' order is replaced by
  // the flow order of the solution, and the answers are the same.
  std::mt19937 rng(43);
  std::uniform_real_distribution<double> u(1.0, 50.0);
  for (std::size_t i = 0; i < c.n; ++i) {
    total[i] = u(rng);
    for (std::uint64_t e = c.row[i]; e < c.row[i + 1]; ++e) weight[e] = c.prob[e] * total[i];
  }
  ChainSolver s2(c.n, c.row.data(), c.col.data(), weight.data(), total.data(), ChainSolver::Config{16, 8});
  check_close(s2.full_visits(), full, 1e-12);
  std::vector<double> fn_pos2;
  s2.to_positions(fn_state.data(), fn_pos2);
  const double* fn2[1] = {fn_pos2.data()};
  double out2[4];
  journeygraph::detail::SolveWorkspace ws2;
  s2.removal_deltas(sets.removed, sets.count, 4, fn2, 1, out2, nullptr, ws2);
  for (std::size_t l = 0; l < 4; ++l) CHECK(std::abs(out2[l] - batch.out[l]) <= 1e-12 * batch.scale);
}

TEST_CASE("indexed heap: the same sequence as a heap of every key change that skips stale entries", "[solver]") {
  // The reference is the heap the flow order used before: a new entry (key, item, stamp) at every change, the
  // largest key first and ties to the smaller item, entries of removed items or older stamps skipped. Keys come
  // from a small set so that ties are common.
  using journeygraph::detail::IndexedMaxHeap;
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    const std::size_t n = 1 + rng() % 300;
    auto draw = [&] { return double(int(rng() % 9) - 4) * 0.25; };
    struct Entry {
      double key;
      std::uint32_t item, stamp;
      bool operator<(const Entry& o) const { return key != o.key ? key < o.key : item > o.item; }
    };
    std::priority_queue<Entry> lazy;
    std::vector<std::uint32_t> stamp(n, 0);
    std::vector<std::uint8_t> out(n, 0);
    std::vector<double> keys(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      keys[i] = draw();
      lazy.push({keys[i], i, 0});
    }
    IndexedMaxHeap heap(keys);
    auto lazy_top = [&] {
      while (out[lazy.top().item] || lazy.top().stamp != stamp[lazy.top().item]) lazy.pop();
      return lazy.top().item;
    };
    std::size_t left = n;
    while (left > 0) {
      INFO("seed " << seed << " items left " << left);
      REQUIRE(heap.size() == left);
      const unsigned op = rng() % 4;
      if (op == 0) {  // take the first item out
        const std::uint32_t v = lazy_top();
        REQUIRE(heap.top() == v);
        heap.erase(v);
        out[v] = 1;
        --left;
      } else if (op == 1) {  // take any item out
        std::uint32_t v = rng() % n;
        while (out[v]) v = (v + 1) % n;
        heap.erase(v);
        out[v] = 1;
        --left;
      } else {  // change keys
        for (int k = 0; k < 3; ++k) {
          std::uint32_t v = rng() % n;
          while (out[v]) v = (v + 1) % n;
          const double key = draw();
          heap.set(v, key);
          lazy.push({key, v, ++stamp[v]});
        }
      }
      if (left > 0) CHECK(heap.top() == lazy_top());
    }
    CHECK(heap.empty());
  }
}
