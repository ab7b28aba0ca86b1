// Transition counting of order k, chunked for deterministic parallelism, and merging of counts.

#include <algorithm>
#include <numeric>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/markov.hpp"

namespace journeygraph {

// Raw counts keyed by k-grams over some touchpoint id space; canonicalised into TransitionCounts.
struct RawCounts {
  explicit RawCounts(unsigned order) : states(order) {}
  detail::GramIndex states;
  detail::SumMap edges;  // key (from + 1) << 32 | to, from = -1 for START
  std::vector<double> end_conv, end_null, end_value;
  double journeys = 0, conv = 0, nulls = 0, value = 0;
  std::uint64_t zero = 0, rows = 0;

  std::uint32_t state(const std::uint32_t* gram) {
    std::uint32_t id = states.intern(gram);
    if (id == end_conv.size()) {
      end_conv.push_back(0);
      end_null.push_back(0);
      end_value.push_back(0);
    }
    return id;
  }
  static std::uint64_t key(std::uint32_t from_plus_one, std::uint32_t to) {
    return (std::uint64_t(from_plus_one) << 32) | to;
  }
  // Adds other (same id space) in other's insertion order.
  void add(const RawCounts& o) {
    std::vector<std::uint32_t> map(o.states.size());
    for (std::uint32_t s = 0; s < map.size(); ++s) {
      map[s] = state(o.states.gram(s));
      end_conv[map[s]] += o.end_conv[s];
      end_null[map[s]] += o.end_null[s];
      end_value[map[s]] += o.end_value[s];
    }
    o.edges.for_each([&](std::uint64_t k, double w) {
      std::uint32_t f = std::uint32_t(k >> 32), t = std::uint32_t(k);
      edges.add(key(f == 0 ? 0 : map[f - 1] + 1, map[t]), w);
    });
    journeys += o.journeys;
    conv += o.conv;
    nulls += o.nulls;
    value += o.value;
    zero += o.zero;
    rows += o.rows;
  }
};

struct CountsAccess {
  // names[id] is the name of token id in raw's id space.
  static TransitionCounts canonical(const RawCounts& raw, const std::vector<std::string>& names, unsigned order,
                                    SelfLoops loops) {
    TransitionCounts tc;
    tc.order_ = order;
    tc.self_loops_ = loops;
    const std::size_t ns = raw.states.size();
    // Touchpoints in use, sorted by name; rank maps raw ids to canonical ids.
    std::vector<std::uint8_t> used(names.size(), 0);
    std::vector<std::uint8_t> length(ns);
    for (std::uint32_t s = 0; s < ns; ++s) {
      const std::uint32_t* g = raw.states.gram(s);
      unsigned len = 0;
      while (len < order && g[len] != detail::GramIndex::kPad) used[g[len++]] = 1;
      length[s] = static_cast<std::uint8_t>(len);
    }
    std::vector<std::uint32_t> ids;
    for (std::uint32_t i = 0; i < names.size(); ++i)
      if (used[i]) ids.push_back(i);
    std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
    std::vector<std::uint32_t> rank(names.size(), detail::GramIndex::kPad);
    for (std::uint32_t r = 0; r < ids.size(); ++r) {
      rank[ids[r]] = r;
      tc.touchpoints_.push_back(names[ids[r]]);
    }
    std::vector<std::uint32_t> tokens(ns * order, detail::GramIndex::kPad);
    for (std::size_t s = 0; s < ns; ++s)
      for (unsigned i = 0; i < length[s]; ++i) tokens[s * order + i] = rank[raw.states.gram(std::uint32_t(s))[i]];
    std::vector<std::uint32_t> perm(ns);
    std::iota(perm.begin(), perm.end(), 0u);
    std::sort(perm.begin(), perm.end(), [&](std::uint32_t a, std::uint32_t b) {
      const std::uint32_t* x = tokens.data() + std::size_t(a) * order;
      const std::uint32_t* y = tokens.data() + std::size_t(b) * order;
      return std::lexicographical_compare(x, x + length[a], y, y + length[b]);
    });
    std::vector<std::uint32_t> where(ns);
    tc.tokens_.resize(ns * order);
    tc.state_length_.resize(ns);
    tc.end_conversions_.resize(ns);
    tc.end_nulls_.resize(ns);
    tc.end_value_.resize(ns);
    for (std::uint32_t i = 0; i < ns; ++i) {
      std::uint32_t s = perm[i];
      where[s] = i;
      std::copy(tokens.begin() + std::size_t(s) * order, tokens.begin() + std::size_t(s + 1) * order,
                tc.tokens_.begin() + std::size_t(i) * order);
      tc.state_length_[i] = length[s];
      tc.end_conversions_[i] = raw.end_conv[s];
      tc.end_nulls_[i] = raw.end_null[s];
      tc.end_value_[i] = raw.end_value[s];
    }
    tc.edges_.reserve(raw.edges.size());
    raw.edges.for_each([&](std::uint64_t k, double w) {
      std::uint32_t f = std::uint32_t(k >> 32), t = std::uint32_t(k);
      tc.edges_.push_back({f == 0 ? TransitionCounts::kStart : where[f - 1], where[t], w});
    });
    std::sort(tc.edges_.begin(), tc.edges_.end(), [](const TransitionCounts::Edge& a, const TransitionCounts::Edge& b) {
      std::int64_t fa = a.from == TransitionCounts::kStart ? -1 : std::int64_t(a.from);
      std::int64_t fb = b.from == TransitionCounts::kStart ? -1 : std::int64_t(b.from);
      return fa != fb ? fa < fb : a.to < b.to;
    });
    tc.journeys_ = raw.journeys;
    tc.total_conversions_ = raw.conv;
    tc.total_nulls_ = raw.nulls;
    tc.total_value_ = raw.value;
    tc.zero_weight_journeys_ = raw.zero;
    tc.rows_ = raw.rows;
    return tc;
  }

  // Re-express counts in raw form over a shared name -> id dictionary.
  static void to_raw(const TransitionCounts& tc, Dictionary& dict, RawCounts& raw) {
    std::vector<std::uint32_t> id(tc.touchpoints_.size());
    for (std::size_t i = 0; i < id.size(); ++i) id[i] = dict.intern(tc.touchpoints_[i]);
    const unsigned k = tc.order_;
    std::vector<std::uint32_t> gram(k);
    std::vector<std::uint32_t> map(tc.n_states());
    for (std::size_t s = 0; s < tc.n_states(); ++s) {
      for (unsigned i = 0; i < k; ++i) {
        std::uint32_t t = tc.tokens_[s * k + i];
        gram[i] = t == detail::GramIndex::kPad ? t : id[t];
      }
      map[s] = raw.state(gram.data());
      raw.end_conv[map[s]] += tc.end_conversions_[s];
      raw.end_null[map[s]] += tc.end_nulls_[s];
      raw.end_value[map[s]] += tc.end_value_[s];
    }
    for (const auto& e : tc.edges_)
      raw.edges.add(RawCounts::key(e.from == TransitionCounts::kStart ? 0 : map[e.from] + 1, map[e.to]), e.count);
    raw.journeys += tc.journeys_;
    raw.conv += tc.total_conversions_;
    raw.nulls += tc.total_nulls_;
    raw.value += tc.total_value_;
    raw.zero += tc.zero_weight_journeys_;
    raw.rows += tc.rows_;
  }

  static bool equal(const TransitionCounts& a, const TransitionCounts& b) {
    if (a.order_ != b.order_ || a.self_loops_ != b.self_loops_ || a.touchpoints_ != b.touchpoints_ ||
        a.tokens_ != b.tokens_ || a.state_length_ != b.state_length_ || a.end_conversions_ != b.end_conversions_ ||
        a.end_nulls_ != b.end_nulls_ || a.end_value_ != b.end_value_ || a.journeys_ != b.journeys_ ||
        a.total_conversions_ != b.total_conversions_ || a.total_nulls_ != b.total_nulls_ ||
        a.total_value_ != b.total_value_ || a.zero_weight_journeys_ != b.zero_weight_journeys_ || a.rows_ != b.rows_ ||
        a.edges_.size() != b.edges_.size())
      return false;
    for (std::size_t i = 0; i < a.edges_.size(); ++i)
      if (a.edges_[i].from != b.edges_[i].from || a.edges_[i].to != b.edges_[i].to ||
          a.edges_[i].count != b.edges_[i].count)
        return false;
    return true;
  }
};

namespace {

constexpr std::size_t kJourneysPerChunk = std::size_t(1) << 15;

void count_range(const JourneySet& js, std::size_t first, std::size_t last, unsigned k, SelfLoops loops,
                 RawCounts& rc) {
  std::vector<std::uint32_t> gram(k, detail::GramIndex::kPad);
  const bool drop = loops == SelfLoops::drop;
  for (std::size_t j = first; j < last; ++j) {
    const double c = js.conversions(j), n = js.nulls(j), w = c + n;
    if (w <= 0) {
      ++rc.zero;
      continue;
    }
    auto p = js.path(j);
    const std::size_t len = p.size();
    std::uint32_t prev = 0;
    bool have_prev = false;
    auto visit = [&](std::uint32_t s) {
      if (!have_prev) {
        rc.edges.add(RawCounts::key(0, s), w);
      } else if (s != prev || !drop) {
        rc.edges.add(RawCounts::key(prev + 1, s), w);
      }
      prev = s;
      have_prev = true;
    };
    if (len < k) {
      std::fill(gram.begin(), gram.end(), detail::GramIndex::kPad);
      std::copy(p.begin(), p.end(), gram.begin());
      visit(rc.state(gram.data()));
    } else {
      for (std::size_t i = 0; i + k <= len; ++i) visit(rc.state(p.data() + i));
    }
    rc.end_conv[prev] += c;
    rc.end_null[prev] += n;
    rc.end_value[prev] += js.value(j);
    rc.journeys += w;
    rc.conv += c;
    rc.nulls += n;
    rc.value += js.value(j);
    ++rc.rows;
  }
}

}  // namespace

TransitionCounts::TransitionCounts() = default;

TransitionCounts TransitionCounts::count(const JourneySet& js, unsigned order, SelfLoops loops, const Execution& exec) {
  if (order < 1 || order > kMaxOrder)
    throw InvalidArgument("order must be in 1.." + std::to_string(kMaxOrder) + ", got " + std::to_string(order));
  const std::size_t chunks = (js.size() + kJourneysPerChunk - 1) / kJourneysPerChunk;
  RawCounts total(order);
  // Rounds of `threads` chunks: each chunk is counted on its own, then added to the total in chunk order,
  // so the floating-point sums are the same whatever the thread count.
  const std::size_t round = std::max<std::size_t>(1, resolved_threads(exec));
  detail::Progress progress(exec, "count");
  for (std::size_t first = 0; first < chunks; first += round) {
    std::size_t m = std::min(round, chunks - first);
    if (m == 1 && first == 0 && chunks == 1) {
      count_range(js, 0, js.size(), order, loops, total);
      break;
    }
    std::vector<RawCounts> part;
    part.reserve(m);
    for (std::size_t i = 0; i < m; ++i) part.emplace_back(order);
    Execution inner;
    inner.threads = exec.threads;
    detail::parallel_for(m, inner, "count", [&](std::size_t i) {
      std::size_t c = first + i;
      count_range(js, c * kJourneysPerChunk, std::min(js.size(), (c + 1) * kJourneysPerChunk), order, loops, part[i]);
    });
    for (auto& p : part) total.add(p);
    progress.report(double(first + m) / double(chunks));
  }
  return CountsAccess::canonical(total, js.touchpoints().names(), order, loops);
}

void TransitionCounts::merge(const TransitionCounts& other) {
  if (other.order_ != order_)
    throw InvalidArgument("cannot merge counts of order " + std::to_string(other.order_) + " into order " +
                          std::to_string(order_));
  if (other.self_loops_ != self_loops_) throw InvalidArgument("cannot merge counts with different self-loop settings");
  Dictionary dict;
  RawCounts raw(order_);
  CountsAccess::to_raw(*this, dict, raw);
  CountsAccess::to_raw(other, dict, raw);
  *this = CountsAccess::canonical(raw, dict.names(), order_, self_loops_);
}

bool TransitionCounts::operator==(const TransitionCounts& other) const { return CountsAccess::equal(*this, other); }

}  // namespace journeygraph
