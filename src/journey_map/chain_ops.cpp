// Exact chain computations of the journey map: absorption probabilities from every state, the chance of
// reaching each touchpoint, and what-if edits of the chain. All of them are linear solves with the core's
// ChainSolver; nothing is simulated.

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "common/names.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "markov/solver.hpp"

namespace journeygraph {

const char* what_if_kind_name(WhatIfEdit::Kind kind) noexcept {
  switch (kind) {
    case WhatIfEdit::Kind::set_probability: return "set_probability";
    case WhatIfEdit::Kind::remove_edge: return "remove_edge";
    case WhatIfEdit::Kind::remove_touchpoint: return "remove_touchpoint";
  }
  return "?";
}

WhatIfEdit::Kind parse_what_if_kind(std::string_view name) {
  static constexpr WhatIfEdit::Kind kAll[] = {WhatIfEdit::Kind::set_probability, WhatIfEdit::Kind::remove_edge,
                                              WhatIfEdit::Kind::remove_touchpoint};
  return detail::parse_name(name, kAll, what_if_kind_name, "what-if edit kind");
}
namespace detail {

std::vector<std::uint32_t> last_tokens(const MarkovModel& model) {
  const std::size_t n = model.n_states();
  std::vector<std::uint32_t> last(n, 0xFFFFFFFFu);
  for (std::size_t i = 1; i < n; ++i) last[i] = model.state_tokens(i).back();
  return last;
}

std::vector<double> absorption_probabilities(const MarkovModel& model, double* residual) {
  const Chain& ch = model.chain();
  const std::size_t n = model.n_states();
  // Transposed rows over the transient states: the solver's forward system x^T (I - Q^T) = r^T is then
  // (I - Q) x = r, whose solution is the absorption probability h.
  std::vector<std::uint64_t> row(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q)
      if (ch.columns[q] < n) ++row[ch.columns[q] + 1];
  for (std::size_t i = 0; i < n; ++i) row[i + 1] += row[i];
  std::vector<std::uint32_t> col(row[n]);
  std::vector<double> prob(row[n]);
  std::vector<std::uint64_t> fill(row.begin(), row.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q) {
      const std::uint32_t c = ch.columns[q];
      if (c >= n) continue;
      col[fill[c]] = static_cast<std::uint32_t>(i);
      prob[fill[c]] = ch.probabilities[q];
      ++fill[c];
    }
  ChainSolver solver(n, row.data(), col.data(), prob.data());
  std::vector<double> h;
  SolveStats stats;
  solver.visits_from(ch.p_conversion, nullptr, h, &stats);
  if (residual) *residual = std::max(stats.max_residual, solver.full_stats().max_residual);
  return h;
}

void reach_probabilities(const MarkovModel& model, const std::vector<double>& h, std::vector<double>& reach,
                         std::vector<double>& reach_and_convert, const Execution& exec) {
  const Chain& ch = model.chain();
  const std::size_t n = model.n_states();
  const std::size_t n_tp = model.touchpoints().size();
  reach.assign(n_tp, 0.0);
  reach_and_convert.assign(n_tp, 0.0);
  constexpr std::size_t kLanes = ChainSolver::kLanes;
  const std::size_t batches = (n_tp + kLanes - 1) / kLanes;
  // Fixed batches of kLanes touchpoints, whatever the thread count: the same bits every time.
  parallel_for(batches, exec, "reach", [&](std::size_t batch, unsigned, const LoopPoll& poll) {
    const std::size_t first = batch * kLanes, lanes = std::min(kLanes, n_tp - first);
    std::vector<std::vector<std::uint8_t>> removed(lanes, std::vector<std::uint8_t>(n, 0));
    std::vector<const std::uint8_t*> masks(lanes);
    for (std::size_t i = 1; i < n; ++i)
      for (std::uint32_t t : model.state_tokens(i))
        if (t >= first && t < first + lanes) removed[t - first][i] = 1;
    for (std::size_t l = 0; l < lanes; ++l) masks[l] = removed[l].data();
    std::vector<double> x;
    SolveWorkspace ws;
    ws.poll = [&poll] { poll.poll(); };  // stops within the batch when the loop is cancelled
    ch.solver->visits_batch(masks.data(), lanes, x, nullptr, &ws);
    // With the touchpoint's states absorbing, the flow into them is the chance of ever reaching it.
    for (std::size_t l = 0; l < lanes; ++l) {
      double r = 0, rc = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double xi = x[i * lanes + l];
        if (xi == 0.0 || removed[l][i]) continue;
        for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q) {
          const std::uint32_t c = ch.columns[q];
          if (c < n && removed[l][c]) {
            r += xi * ch.probabilities[q];
            rc += xi * ch.probabilities[q] * h[c];
          }
        }
      }
      reach[first + l] = r;
      reach_and_convert[first + l] = rc;
    }
  });
}

}  // namespace detail

// ------------------------------------------------------------------------------------------------
// What-if
// ------------------------------------------------------------------------------------------------

WhatIfResult what_if(const MarkovModel& model, const std::vector<WhatIfEdit>& edits) {
  if (!model.fitted()) throw StateError("the model is not fitted");
  const detail::Chain& ch = model.chain();
  const std::size_t n = model.n_states();
  const auto conv_col = static_cast<std::uint32_t>(n), null_col = static_cast<std::uint32_t>(n + 1);
  std::unordered_map<std::string, std::uint32_t> state;
  for (std::size_t i = 0; i < n + 2; ++i) state.emplace(model.state_name(i), static_cast<std::uint32_t>(i));
  auto find_state = [&](const std::string& name, const char* role) {
    auto it = state.find(name);
    if (it == state.end()) {
      std::string hint = model.order() > 1 ? " (states of an order-" + std::to_string(model.order()) +
                                                 " model are named like \"a > b\")"
                                           : "";
      throw InvalidArgument(std::string("what-if: no ") + role + " state " + detail::show(name) + " in the model" + hint);
    }
    return it->second;
  };
  // Edited rows as (column, probability) lists; untouched rows are read from the chain.
  std::map<std::uint32_t, std::vector<std::pair<std::uint32_t, double>>> rows;
  auto row_of = [&](std::uint32_t i) -> std::vector<std::pair<std::uint32_t, double>>& {
    auto it = rows.find(i);
    if (it != rows.end()) return it->second;
    auto& r = rows[i];
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q)
      r.emplace_back(ch.columns[q], ch.probabilities[q]);
    return r;
  };
  std::vector<std::uint8_t> removed(n, 0);
  bool any_removed = false;
  for (std::size_t k = 0; k < edits.size(); ++k) {
    const WhatIfEdit& e = edits[k];
    const std::string where = "what-if edit " + std::to_string(k + 1) + ": ";
    if (e.kind == WhatIfEdit::Kind::remove_touchpoint) {
      const auto& tps = model.touchpoints();
      auto it = std::lower_bound(tps.begin(), tps.end(), e.from);
      if (it == tps.end() || *it != e.from)
        throw InvalidArgument(where + "no touchpoint " + detail::show(e.from) + " in the model");
      const auto t = static_cast<std::uint32_t>(it - tps.begin());
      for (std::size_t i = 1; i < n; ++i)
        for (std::uint32_t x : model.state_tokens(i))
          if (x == t) removed[i] = 1;
      any_removed = true;
      continue;
    }
    const std::uint32_t from = find_state(e.from, "from");
    const std::uint32_t to = find_state(e.to, "to");
    if (from >= n) throw InvalidArgument(where + detail::show(e.from) + " is absorbing: it has no transitions to edit");
    if (to == 0) throw InvalidArgument(where + "no transition can lead to (start)");
    auto& r = row_of(from);
    auto hit = std::find_if(r.begin(), r.end(), [&](const auto& c) { return c.first == to; });
    double others = 0;
    for (const auto& c : r)
      if (c.first != to) others += c.second;
    if (e.kind == WhatIfEdit::Kind::remove_edge) {
      if (hit == r.end())
        throw InvalidArgument(where + "the model has no transition " + e.from + " -> " + e.to + " to remove");
      r.erase(hit);
      if (others > 0) {
        for (auto& c : r) c.second /= others;
      } else {
        r.assign(1, {null_col, 1.0});
      }
      continue;
    }
    const double p = e.probability;
    if (!(p >= 0 && p <= 1))
      throw InvalidArgument(where + "probability must be in [0, 1], got " + detail::format_double(p));
    if (hit == r.end() && to < n && model.order() > 1)
      throw InvalidArgument(where + "the model has no transition " + e.from + " -> " + e.to +
                            "; at order > 1 a new edge may only lead to (conversion) or (null)");
    if (others > 0) {
      for (auto& c : r)
        if (c.first != to) c.second *= (1.0 - p) / others;
    } else if (p < 1) {
      if (to == null_col)
        throw InvalidArgument(where + "state " + detail::show(e.from) +
                              " has no other transition to take the remaining probability");
      auto nul = std::find_if(r.begin(), r.end(), [&](const auto& c) { return c.first == null_col; });
      if (nul == r.end()) r.emplace_back(null_col, 1.0 - p);
      else nul->second = 1.0 - p;
    }
    hit = std::find_if(r.begin(), r.end(), [&](const auto& c) { return c.first == to; });
    if (hit == r.end()) r.emplace_back(to, p);
    else hit->second = p;
    r.erase(std::remove_if(r.begin(), r.end(), [](const auto& c) { return c.second == 0.0; }), r.end());
    if (r.empty()) r.assign(1, {null_col, 1.0});
    std::sort(r.begin(), r.end());
  }
  std::vector<std::uint64_t> row{0};
  std::vector<std::uint32_t> col;
  std::vector<double> prob, p_conv(n, 0.0);
  for (std::uint32_t i = 0; i < n; ++i) {
    auto it = rows.find(i);
    if (it != rows.end()) {
      for (const auto& [c, p] : it->second) {
        col.push_back(c);
        prob.push_back(p);
      }
    } else {
      col.insert(col.end(), ch.columns.begin() + std::ptrdiff_t(ch.row_offsets[i]),
                 ch.columns.begin() + std::ptrdiff_t(ch.row_offsets[i + 1]));
      prob.insert(prob.end(), ch.probabilities.begin() + std::ptrdiff_t(ch.row_offsets[i]),
                  ch.probabilities.begin() + std::ptrdiff_t(ch.row_offsets[i + 1]));
    }
    row.push_back(col.size());
    for (std::uint64_t q = row[i]; q < row[i + 1]; ++q)
      if (col[q] == conv_col) p_conv[i] += prob[q];
  }
  detail::ChainSolver solver(n, row.data(), col.data(), prob.data());
  std::vector<double> x;
  detail::SolveStats stats;
  solver.visits(any_removed ? removed.data() : nullptr, x, &stats);
  WhatIfResult res;
  const double J = model.counts().journeys();
  res.conversion_probability_before = model.conversion_probability();
  res.expected_conversions_before = J * res.conversion_probability_before;
  res.expected_value_before = model.expected_value();
  const auto& vpc = ch.value_per_conversion;
  double p = 0, v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    p += x[i] * p_conv[i];
    v += x[i] * p_conv[i] * vpc[i];
  }
  res.conversion_probability = p;
  res.expected_conversions = J * p;
  res.expected_value = v;
  res.max_residual = std::max(stats.max_residual, solver.full_stats().max_residual);
  return res;
}

}  // namespace journeygraph
