// Fitting the absorbing chain from transition counts.

#include <algorithm>
#include <cmath>

#include "common/parallel.hpp"
#include "common/sum.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/markov.hpp"
#include "markov/solver.hpp"

namespace journeygraph {

MarkovModel::MarkovModel() = default;

MarkovModel MarkovModel::fit(const JourneySet& journeys, const ModelOptions& options, const Execution& exec) {
  if (!std::isfinite(options.smoothing) || options.smoothing < 0)
    throw InvalidArgument("smoothing must be a finite number >= 0, got " + detail::format_double(options.smoothing));
  return fit(TransitionCounts::count(journeys, options.order, options.self_loops, exec), options.smoothing, exec);
}

MarkovModel MarkovModel::fit(const TransitionCounts& counts, double smoothing, const Execution& exec) {
  return fit(TransitionCounts(counts), smoothing, exec);
}

MarkovModel MarkovModel::fit(TransitionCounts&& taken, double smoothing, const Execution& exec) {
  if (!std::isfinite(smoothing) || smoothing < 0)
    throw InvalidArgument("smoothing must be a finite number >= 0, got " + detail::format_double(smoothing));
  if (taken.journeys() <= 0)
    throw DataError("no journeys with a positive weight (conversions + nulls) to fit a model on");
  MarkovModel m;
  m.counts_ = std::move(taken);  // first: errors below name states through the model
  const TransitionCounts& counts = m.counts_;
  auto chain = std::make_shared<detail::Chain>();
  detail::Chain& ch = *chain;
  m.smoothing_ = smoothing;
  const std::size_t ns = counts.n_states();
  const std::size_t n = ns + 1;
  const auto conv_col = static_cast<std::uint32_t>(n), null_col = static_cast<std::uint32_t>(n + 1);
  const unsigned k = counts.order();
  const bool keep_loops = counts.self_loops() == SelfLoops::keep;
  const auto& edges = counts.edges();

  // Every row's entries are built in buffers reused from row to row (no allocation per state), into arrays
  // reserved for the observed edges plus the two absorbing columns of each row.
  ch.row_offsets.reserve(n + 1);
  ch.row_offsets.assign(1, 0);
  const std::size_t expect = smoothing > 0 ? 0 : edges.size() + 2 * n;
  ch.columns.reserve(expect);
  ch.row_counts.reserve(expect);
  ch.weights.reserve(expect);
  ch.probabilities.reserve(expect);
  ch.totals.reserve(n);
  std::size_t e = 0;
  std::vector<std::uint32_t> cand_cols, cols;
  std::vector<double> cand_counts, cnt;
  // States are in lexicographic order, so every state that begins with the (k-1)-suffix of s is in one
  // contiguous range starting at the suffix's lower bound; the full-length ones are s's continuations.
  auto successor_range = [&](std::size_t s) -> std::pair<std::size_t, std::size_t> {
    auto st = counts.state(s);
    if (st.size() < k) return {0, 0};
    const std::uint32_t* suffix = st.data() + 1;
    std::size_t lo = 0, hi = ns;
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      auto ts = counts.state(mid);
      if (std::lexicographical_compare(ts.begin(), ts.end(), suffix, suffix + (k - 1))) lo = mid + 1;
      else hi = mid;
    }
    std::size_t first = lo, last = lo;
    while (last < ns) {
      auto ts = counts.state(last);
      if (ts.size() < k - 1 || !std::equal(suffix, suffix + (k - 1), ts.data())) break;
      ++last;
    }
    while (first < last && counts.state(first).size() < k) ++first;  // the short state equal to the suffix
    return {first, last};
  };

  const detail::Progress progress(exec, "fit");
  for (std::size_t i = 0; i < n; ++i) {
    if ((i & 0xFFFF) == 0xFFFF) progress.report(0.5 * double(i) / double(n));
    // Row i: transient state i (0 = START, s + 1 = counts state s).
    cand_cols.clear();
    cand_counts.clear();
    const std::uint32_t from = i == 0 ? TransitionCounts::kStart : static_cast<std::uint32_t>(i - 1);
    for (; e < edges.size() && edges[e].from == from; ++e) {
      cand_cols.push_back(edges[e].to + 1);
      cand_counts.push_back(edges[e].count);
    }
    double end_c = i == 0 ? 0.0 : counts.state_conversions(i - 1);
    double end_n = i == 0 ? 0.0 : counts.state_nulls(i - 1);
    if (i > 0 && smoothing > 0) {
      // Merge observed successors with every candidate continuation (count 0 if unobserved).
      auto [lo, hi] = successor_range(i - 1);
      cols.clear();
      cnt.clear();
      std::size_t a = 0;
      for (std::size_t t = lo; t < hi; ++t) {
        std::uint32_t c = static_cast<std::uint32_t>(t + 1);
        if (c == i && !keep_loops) continue;
        while (a < cand_cols.size() && cand_cols[a] < c) {
          cols.push_back(cand_cols[a]);
          cnt.push_back(cand_counts[a]);
          ++a;
        }
        if (a < cand_cols.size() && cand_cols[a] == c) {
          cols.push_back(c);
          cnt.push_back(cand_counts[a]);
          ++a;
        } else {
          cols.push_back(c);
          cnt.push_back(0.0);
        }
      }
      for (; a < cand_cols.size(); ++a) {
        cols.push_back(cand_cols[a]);
        cnt.push_back(cand_counts[a]);
      }
      cand_cols.swap(cols);
      cand_counts.swap(cnt);
    }
    const bool smooth_row = i > 0 && smoothing > 0;
    if (end_c > 0 || smooth_row) {
      cand_cols.push_back(conv_col);
      cand_counts.push_back(end_c);
    }
    if (end_n > 0 || smooth_row) {
      cand_cols.push_back(null_col);
      cand_counts.push_back(end_n);
    }
    double total = 0;
    for (double c : cand_counts) total += c;
    const double alpha = smooth_row ? smoothing : 0.0;
    // (c + alpha) / (total + alpha m), scaled by 1 / max(alpha, 1) so that a huge alpha cannot overflow.
    const double scale = alpha > 1.0 ? alpha : 1.0;
    const double denom = total / scale + (alpha / scale) * double(cand_cols.size());
    if (!(denom > 0)) throw DataError("state " + m.state_name(i) + " has no outgoing transitions");
    for (std::size_t a = 0; a < cand_cols.size(); ++a) {
      ch.columns.push_back(cand_cols[a]);
      ch.row_counts.push_back(cand_counts[a]);
      ch.weights.push_back(cand_counts[a] / scale + alpha / scale);
      ch.probabilities.push_back(ch.weights.back() / denom);
    }
    ch.row_offsets.push_back(ch.columns.size());
    ch.totals.push_back(denom);
  }
  ch.value_per_conversion.assign(n, 0.0);
  for (std::size_t s = 0; s < ns; ++s)
    if (counts.state_conversions(s) > 0)
      ch.value_per_conversion[s + 1] = counts.state_value(s) / counts.state_conversions(s);
  ch.p_conversion.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q)
      if (ch.columns[q] == conv_col) ch.p_conversion[i] += ch.probabilities[q];
  // The solver checks in often (a few milliseconds apart at most); the progress callback is asked at most every
  // 50 ms (Progress::report).
  std::function<void()> checkpoint;
  if (progress.active()) checkpoint = [&progress] { progress.report(0.5); };
  detail::ChainSolver::Config config;
  config.threads = resolved_threads(exec);
  ch.solver = std::make_unique<detail::ChainSolver>(n, ch.row_offsets.data(), ch.columns.data(), ch.weights.data(),
                                                    ch.totals.data(), config, std::move(checkpoint));
  const std::vector<double>& x = ch.solver->full_visits();
  detail::CompensatedSum p, v;
  for (std::size_t i = 0; i < n; ++i) {
    p.add(x[i] * ch.p_conversion[i]);
    v.add(x[i] * ch.p_conversion[i] * ch.value_per_conversion[i]);
  }
  m.conversion_probability_ = detail::clamp_probability(p.value());
  m.expected_value_ = v.value();
  m.chain_ = std::move(chain);
  m.fitted_ = true;
  return m;
}

std::string MarkovModel::state_name(std::size_t i) const {
  const std::size_t n = counts_.n_states() + 1;
  if (i == 0) return "(start)";
  if (i == n) return "(conversion)";
  if (i == n + 1) return "(null)";
  if (i > n + 1) throw InvalidArgument("state index " + std::to_string(i) + " out of range");
  std::string out;
  auto t = counts_.state(i - 1);
  for (std::size_t a = 0; a < t.size(); ++a) {
    if (a) out += " > ";
    out += counts_.touchpoints()[t[a]];
  }
  return out;
}

double MarkovModel::conversion_probability() const {
  if (!fitted_) throw StateError("the model is not fitted");
  return conversion_probability_;
}

double MarkovModel::expected_value() const {
  if (!fitted_) throw StateError("the model is not fitted");
  return expected_value_;
}

namespace {
[[noreturn]] void unfitted() { throw StateError("the model is not fitted"); }
}  // namespace

const detail::Chain& MarkovModel::chain() const {
  if (!fitted_) unfitted();
  return *chain_;
}
const std::vector<std::uint64_t>& MarkovModel::row_offsets() const { return chain().row_offsets; }
const std::vector<std::uint32_t>& MarkovModel::columns() const { return chain().columns; }
const std::vector<double>& MarkovModel::probabilities() const { return chain().probabilities; }
const std::vector<double>& MarkovModel::row_counts() const { return chain().row_counts; }
const std::vector<double>& MarkovModel::value_per_conversion() const { return chain().value_per_conversion; }
double MarkovModel::solve_residual() const { return chain().solver->full_stats().max_residual; }

std::vector<Transition> MarkovModel::transitions() const {
  if (!fitted_) unfitted();
  const auto& row_offsets_ = chain_->row_offsets;
  const auto& columns_ = chain_->columns;
  const auto& row_counts_ = chain_->row_counts;
  const auto& probabilities_ = chain_->probabilities;
  std::vector<Transition> out;
  out.reserve(columns_.size());
  const std::size_t n = n_states();
  for (std::size_t i = 0; i < n; ++i) {
    std::string from = state_name(i);
    for (std::uint64_t q = row_offsets_[i]; q < row_offsets_[i + 1]; ++q)
      out.push_back({from, state_name(columns_[q]), row_counts_[q], probabilities_[q]});
  }
  return out;
}

}  // namespace journeygraph
