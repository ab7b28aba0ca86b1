// Transition counting of order k, chunked for deterministic parallelism, and merging of counts.

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "common/exact.hpp"
#include "common/hash.hpp"
#include "common/radix.hpp"
#include "common/parallel.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/markov.hpp"
#include "markov/reweight.hpp"

namespace journeygraph {

// Raw counts keyed by k-grams over some touchpoint id space; canonicalised into TransitionCounts.
struct RawCounts {
  explicit RawCounts(unsigned order) : states(order) {}
  detail::GramIndex states;
  detail::SumMap<detail::ExactSum> edges;  // key (from + 1) << 32 | to, from = -1 for START
  std::vector<detail::ExactSum> end_conv, end_null, end_value;
  detail::ExactSum journeys, conv, nulls, value;
  std::uint64_t zero = 0, rows = 0;

  std::uint32_t state(const std::uint32_t* gram) { return state(gram, states.hash(gram)); }
  std::uint32_t state(const std::uint32_t* gram, std::uint64_t hash) {
    std::uint32_t id = states.intern(gram, hash);
    if (id == end_conv.size()) {
      end_conv.emplace_back();
      end_null.emplace_back();
      end_value.emplace_back();
    }
    return id;
  }
  static std::uint64_t key(std::uint32_t from_plus_one, std::uint32_t to) {
    return (std::uint64_t(from_plus_one) << 32) | to;
  }
};

// Layout of TransitionCounts::exact_: ExactSum::kWords words per sum, in this order: every edge, then the
// conversions, nulls and value ending in each state, then journeys, conversions, nulls and value totals.
struct CountsAccess {
  static constexpr std::size_t kW = detail::ExactSum::kWords;
  static void put(std::vector<std::uint64_t>& words, std::size_t slot, const detail::ExactSum& s) {
    for (std::size_t i = 0; i < kW; ++i) words[kW * slot + i] = s.word(int(i));
  }
  static detail::ExactSum get(const std::vector<std::uint64_t>& words, std::size_t slot) {
    return detail::ExactSum::from_words(words[kW * slot], words[kW * slot + 1], words[kW * slot + 2]);
  }

  // Raw counts split into parts with disjoint states: part i's state s is state first[i] + s of the whole, and
  // keys[i], when not null, holds part i's edge keys in the whole's numbering, in the part's insertion order
  // (null: the part's own keys are in that numbering already, as for a single part).
  struct RawParts {
    std::vector<const RawCounts*> part;
    std::vector<std::uint32_t> first;
    std::vector<const std::vector<std::uint64_t>*> keys;
  };

  static TransitionCounts canonical(const RawCounts& raw, const std::vector<std::string>& names, unsigned order,
                                    SelfLoops loops, const detail::Progress* progress = nullptr) {
    return canonical(RawParts{{&raw}, {0}, {nullptr}}, names, order, loops, progress);
  }

  // names[id] is the name of token id in the raw parts' id space. With a progress, the callback may cancel
  // between the steps (each a pass or a sort over the states or the edges).
  static TransitionCounts canonical(const RawParts& parts, const std::vector<std::string>& names, unsigned order,
                                    SelfLoops loops, const detail::Progress* progress = nullptr) {
    auto check = [progress] {
      if (progress) progress->poll(1.0);
    };
    TransitionCounts tc;
    tc.order_ = order;
    tc.self_loops_ = loops;
    std::size_t ns = 0;
    for (const RawCounts* r : parts.part) ns += r->states.size();
    // f(s, part, local id) for every state s of the whole.
    auto each_state = [&](auto&& f) {
      for (std::size_t i = 0; i < parts.part.size(); ++i) {
        const RawCounts& r = *parts.part[i];
        for (std::uint32_t s = 0; s < r.states.size(); ++s) f(parts.first[i] + s, r, s);
      }
    };
    // Touchpoints in use, sorted by name; rank maps raw ids to canonical ids.
    std::vector<std::uint8_t> used(names.size(), 0);
    std::vector<std::uint8_t> length(ns);
    each_state([&](std::uint32_t s, const RawCounts& r, std::uint32_t local) {
      const std::uint32_t* g = r.states.gram(local);
      unsigned len = 0;
      while (len < order && g[len] != detail::GramIndex::kPad) used[g[len++]] = 1;
      length[s] = static_cast<std::uint8_t>(len);
    });
    check();
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
    each_state([&](std::uint32_t s, const RawCounts& r, std::uint32_t local) {
      const std::uint32_t* g = r.states.gram(local);
      for (unsigned i = 0; i < length[s]; ++i) tokens[std::size_t(s) * order + i] = rank[g[i]];
    });
    check();
    // States in lexicographic order of their tokens (a prefix first). When the tokens fit, a state's key is
    // its tokens written as (rank + 1) in fixed-width digits, 0 past its end: keys compare as the tokens do
    // and are distinct (so are the states), and a radix sort by key orders them in a few passes.
    std::vector<std::uint32_t> perm(ns);
    const unsigned digit = detail::bit_width(ids.size());
    if (std::uint64_t(digit) * order <= 64) {
      struct Keyed {
        std::uint64_t key;
        std::uint32_t state;
      };
      std::vector<Keyed> keyed(ns);
      for (std::uint32_t s = 0; s < ns; ++s) {
        std::uint64_t key = 0;
        for (unsigned i = 0; i < order; ++i)
          key = (key << digit) | (i < length[s] ? std::uint64_t(tokens[std::size_t(s) * order + i]) + 1 : 0);
        keyed[s] = {key, s};
      }
      detail::radix_sort_by_key(keyed, digit * order);
      for (std::uint32_t i = 0; i < ns; ++i) perm[i] = keyed[i].state;
    } else {
      std::iota(perm.begin(), perm.end(), 0u);
      std::sort(perm.begin(), perm.end(), [&](std::uint32_t a, std::uint32_t b) {
        const std::uint32_t* x = tokens.data() + std::size_t(a) * order;
        const std::uint32_t* y = tokens.data() + std::size_t(b) * order;
        return std::lexicographical_compare(x, x + length[a], y, y + length[b]);
      });
    }
    check();
    std::vector<std::uint32_t> where(ns);
    tc.tokens_.resize(ns * order);
    tc.state_length_.resize(ns);
    for (std::uint32_t i = 0; i < ns; ++i) {
      std::uint32_t s = perm[i];
      where[s] = i;
      std::copy(tokens.begin() + std::size_t(s) * order, tokens.begin() + std::size_t(s + 1) * order,
                tc.tokens_.begin() + std::size_t(i) * order);
      tc.state_length_[i] = length[s];
    }
    check();
    // Edges by (from, to), START first: the key (canonical from + 1) << b | to, b the bits of a state id,
    // is distinct per edge and orders them so.
    struct KeyedEdge {
      std::uint64_t key;
      const detail::ExactSum* w;
    };
    const unsigned sb = std::max(1u, detail::bit_width(ns));
    std::vector<KeyedEdge> edges;
    std::size_t edge_count = 0;
    for (const RawCounts* r : parts.part) edge_count += r->edges.size();
    edges.reserve(edge_count);
    for (std::size_t i = 0; i < parts.part.size(); ++i) {
      const std::vector<std::uint64_t>* keys = parts.keys[i];
      std::size_t at = 0;
      parts.part[i]->edges.for_each([&](std::uint64_t k, const detail::ExactSum& w) {
        if (keys) k = (*keys)[at++];
        std::uint32_t f = std::uint32_t(k >> 32), t = std::uint32_t(k);
        const std::uint64_t from = f == 0 ? 0 : std::uint64_t(where[f - 1]) + 1;
        edges.push_back({(from << sb) | where[t], &w});
      });
    }
    check();
    detail::radix_sort_by_key(edges, 2 * sb);
    check();
    const std::size_t ne = edges.size();
    tc.exact_.assign(kW * (ne + 3 * ns + 4), 0);
    tc.edges_.reserve(ne);
    const std::uint64_t to_mask = (std::uint64_t(1) << sb) - 1;
    // The sums lie in the parts' insertion order, the edges now in canonical order: ask for the sum some edges
    // ahead (each sum is 24 bytes, so it may straddle two lines).
    constexpr std::size_t kAhead = 16;
    for (std::size_t i = 0; i < ne; ++i) {
      if (i + kAhead < ne) {
        const char* ahead = reinterpret_cast<const char*>(edges[i + kAhead].w);
        __builtin_prefetch(ahead);
        __builtin_prefetch(ahead + sizeof(detail::ExactSum) - 1);
      }
      const std::uint64_t from = edges[i].key >> sb;
      const auto to = std::uint32_t(edges[i].key & to_mask);
      tc.edges_.push_back({from == 0 ? TransitionCounts::kStart : std::uint32_t(from - 1), to, edges[i].w->value()});
      put(tc.exact_, i, *edges[i].w);
    }
    check();
    tc.end_conversions_.resize(ns);
    tc.end_nulls_.resize(ns);
    tc.end_value_.resize(ns);
    // In canonical order, reading each state's sums where its part keeps them (asked for some states ahead):
    // the writes go in sequence. The part of state s is the last whose first state is at most s.
    auto part_of = [&](std::uint32_t s) {
      std::size_t at = parts.part.size() - 1;
      while (parts.first[at] > s) --at;
      return at;
    };
    for (std::uint32_t i = 0; i < ns; ++i) {
      if (i + kAhead < ns) {
        const std::uint32_t a = perm[i + kAhead];
        const std::size_t pa = part_of(a);
        const RawCounts& r = *parts.part[pa];
        const std::uint32_t local = a - parts.first[pa];
        __builtin_prefetch(&r.end_conv[local]);
        __builtin_prefetch(&r.end_null[local]);
        __builtin_prefetch(&r.end_value[local]);
      }
      const std::uint32_t s = perm[i];
      const std::size_t pa = part_of(s);
      const RawCounts& r = *parts.part[pa];
      const std::uint32_t local = s - parts.first[pa];
      tc.end_conversions_[i] = r.end_conv[local].value();
      tc.end_nulls_[i] = r.end_null[local].value();
      tc.end_value_[i] = r.end_value[local].value();
      put(tc.exact_, ne + i, r.end_conv[local]);
      put(tc.exact_, ne + ns + i, r.end_null[local]);
      put(tc.exact_, ne + 2 * ns + i, r.end_value[local]);
    }
    detail::ExactSum journeys, conv, nulls, value;
    for (const RawCounts* r : parts.part) {
      journeys.add(r->journeys);
      conv.add(r->conv);
      nulls.add(r->nulls);
      value.add(r->value);
      tc.zero_weight_journeys_ += r->zero;
      tc.rows_ += r->rows;
    }
    const std::size_t tot = ne + 3 * ns;
    tc.journeys_ = journeys.value();
    tc.total_conversions_ = conv.value();
    tc.total_nulls_ = nulls.value();
    tc.total_value_ = value.value();
    put(tc.exact_, tot, journeys);
    put(tc.exact_, tot + 1, conv);
    put(tc.exact_, tot + 2, nulls);
    put(tc.exact_, tot + 3, value);
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
    }
    const std::size_t ne = tc.edges_.size(), ns = tc.n_states();
    if (tc.exact_.size() != kW * (ne + 3 * ns + 4)) return;  // empty counts
    for (std::size_t s = 0; s < ns; ++s) {
      raw.end_conv[map[s]].add(get(tc.exact_, ne + s));
      raw.end_null[map[s]].add(get(tc.exact_, ne + ns + s));
      raw.end_value[map[s]].add(get(tc.exact_, ne + 2 * ns + s));
    }
    for (std::size_t i = 0; i < ne; ++i) {
      const auto& e = tc.edges_[i];
      raw.edges.add(RawCounts::key(e.from == TransitionCounts::kStart ? 0 : map[e.from] + 1, map[e.to]),
                    get(tc.exact_, i));
    }
    const std::size_t tot = ne + 3 * ns;
    raw.journeys.add(get(tc.exact_, tot));
    raw.conv.add(get(tc.exact_, tot + 1));
    raw.nulls.add(get(tc.exact_, tot + 2));
    raw.value.add(get(tc.exact_, tot + 3));
    raw.zero += tc.zero_weight_journeys_;
    raw.rows += tc.rows_;
  }

  // Counts over base's states and edges with new weights (see markov/reweight.hpp).
  static TransitionCounts reweighted(const TransitionCounts& base, const std::vector<double>& edge_weight,
                                     const std::vector<double>& end_conversions, const std::vector<double>& end_nulls,
                                     const std::vector<detail::ExactSum>& end_value, std::uint64_t rows) {
    const unsigned k = base.order_;
    const std::size_t ns = base.n_states(), ne = base.edges_.size();
    RawCounts raw(k);
    std::vector<std::uint8_t> entered(ns, 0);
    for (std::size_t e = 0; e < ne; ++e)
      if (edge_weight[e] > 0) entered[base.edges_[e].to] = 1;
    std::vector<std::uint32_t> id(ns, detail::GramIndex::kPad);
    for (std::size_t s = 0; s < ns; ++s)
      if (entered[s]) id[s] = raw.state(base.tokens_.data() + s * k);
    for (std::size_t e = 0; e < ne; ++e) {
      if (!(edge_weight[e] > 0)) continue;
      const auto& edge = base.edges_[e];
      raw.edges.add(RawCounts::key(edge.from == TransitionCounts::kStart ? 0 : id[edge.from] + 1, id[edge.to]),
                    edge_weight[e]);
    }
    for (std::size_t s = 0; s < ns; ++s) {
      if (!entered[s]) continue;
      raw.end_conv[id[s]].add(end_conversions[s]);
      raw.end_null[id[s]].add(end_nulls[s]);
      raw.end_value[id[s]].add(end_value[s]);
      // Every journey ends in exactly one state, so the totals are the sums of the ends.
      raw.journeys.add(end_conversions[s]);
      raw.journeys.add(end_nulls[s]);
      raw.conv.add(end_conversions[s]);
      raw.nulls.add(end_nulls[s]);
      raw.value.add(end_value[s]);
    }
    raw.rows = rows;
    return canonical(raw, base.touchpoints_, k, base.self_loops_);
  }

  static bool equal(const TransitionCounts& a, const TransitionCounts& b) {
    if (a.order_ != b.order_ || a.self_loops_ != b.self_loops_ || a.touchpoints_ != b.touchpoints_ ||
        a.tokens_ != b.tokens_ || a.state_length_ != b.state_length_ || a.end_conversions_ != b.end_conversions_ ||
        a.end_nulls_ != b.end_nulls_ || a.end_value_ != b.end_value_ || a.journeys_ != b.journeys_ ||
        a.total_conversions_ != b.total_conversions_ || a.total_nulls_ != b.total_nulls_ ||
        a.total_value_ != b.total_value_ || a.zero_weight_journeys_ != b.zero_weight_journeys_ || a.rows_ != b.rows_ ||
        a.edges_.size() != b.edges_.size() || a.exact_ != b.exact_)
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
// Order 1 over at most this many touchpoints counts into dense arrays ((T + 1) x T sums of 24 bytes: 6 MB
// at 512) instead of hash tables.
constexpr std::size_t kDenseTouchpoints = 512;

// Counts journeys [first, last) into rc; asks poll (if given) every 4096 journeys, which may throw to stop.
void count_range(const JourneySet& js, std::size_t first, std::size_t last, unsigned k, SelfLoops loops,
                 RawCounts& rc, const detail::LoopPoll* poll = nullptr) {
  std::vector<std::uint32_t> gram(k, detail::GramIndex::kPad);
  const bool drop = loops == SelfLoops::drop;
  for (std::size_t j = first; j < last; ++j) {
    if (poll && (j - first) % 4096 == 4095) poll->poll();
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
      // The window's hash rolls along the path: O(1) per touch whatever the order.
      std::uint64_t h = rc.states.hash(p.data());
      for (std::size_t i = 0;; ++i) {
        visit(rc.state(p.data() + i, h));
        if (i + k >= len) break;
        h = rc.states.roll(h, p[i], p[i + k]);
      }
    }
    rc.end_conv[prev].add(c);
    rc.end_null[prev].add(n);
    rc.end_value[prev].add(js.value(j));
    rc.journeys.add(w);
    rc.conv.add(c);
    rc.nulls.add(n);
    rc.value.add(js.value(j));
    ++rc.rows;
  }
}

// Which of `shards` parts counts the state of rolling hash h (a state and its repeats fall in one part).
unsigned shard_of(std::uint64_t h, unsigned shards) {
  return unsigned((std::uint64_t(std::uint32_t(detail::mix64(h + 0x632be59bd9b4e019ULL) >> 32)) * shards) >> 32);
}

// The counts of part w of `shards`, over every journey: the states whose hash falls in part w (shard_of), the
// edges leaving them, the START edges entering them and the journeys ending in them; part 0 also takes the
// totals. An edge between full windows is keyed by its from state and the touchpoint it enters (the state it
// enters, one touch further, may belong to another part; edge_keys resolves it once every part is counted);
// a START edge by its to state, as in count_range. So every state and edge is counted by one part, and no
// merge of tables is needed. poll is asked every 4,096 journeys: it throws to end the count early, once
// another worker failed or the count was cancelled (what was counted is thrown away).
void count_shard(const JourneySet& js, unsigned k, SelfLoops loops, unsigned w, unsigned shards, RawCounts& rc,
                 const detail::Progress* progress, const detail::LoopPoll& poll) {
  std::vector<std::uint32_t> gram(k, detail::GramIndex::kPad);
  const bool drop = loops == SelfLoops::drop, totals = w == 0;
  const std::size_t n = js.size();
  for (std::size_t j = 0; j < n; ++j) {
    if (j % 4096 == 0) {
      if (progress) progress->report(double(j) / double(n));
      poll.poll();
    }
    const double c = js.conversions(j), nl = js.nulls(j), wt = c + nl;
    if (wt <= 0) {
      if (totals) ++rc.zero;
      continue;
    }
    if (totals) {
      rc.journeys.add(wt);
      rc.conv.add(c);
      rc.nulls.add(nl);
      rc.value.add(js.value(j));
      ++rc.rows;
    }
    auto p = js.path(j);
    const std::size_t len = p.size();
    std::uint32_t last = 0;  // the journey's last state, when this part holds it
    bool mine = false;
    if (len < k) {
      std::fill(gram.begin(), gram.end(), detail::GramIndex::kPad);
      std::copy(p.begin(), p.end(), gram.begin());
      const std::uint64_t h = rc.states.hash(gram.data());
      if (shard_of(h, shards) == w) {
        last = rc.state(gram.data(), h);
        rc.edges.add(RawCounts::key(0, last), wt);
        mine = true;
      }
    } else {
      // The tables are larger than the caches, so each step asks for what the next one looks up: the slot of
      // the next window's state, and the slot of the edge into it (once this window's state id is known).
      const std::size_t windows = len - k + 1;
      std::uint64_t h = rc.states.hash(p.data());
      bool next_mine = shard_of(h, shards) == w;
      for (std::size_t i = 0; i < windows; ++i) {
        const bool here = next_mine;
        const std::uint64_t hi = h;
        if (i + 1 < windows) {
          h = rc.states.roll(h, p[i], p[i + k]);
          next_mine = shard_of(h, shards) == w;
          if (next_mine) rc.states.prefetch(h);
        }
        const std::uint32_t id = here ? rc.state(p.data() + i, hi) : 0;
        if (i == 0) {
          if (here) rc.edges.add(RawCounts::key(0, id), wt);
        } else if (mine && (!(here && id == last) || !drop)) {
          // A repeat of the same state hashes alike, so it is in this part too.
          rc.edges.add(RawCounts::key(last + 1, p[i + k - 1]), wt);
        }
        if (here && i + 1 < windows) rc.edges.prefetch(RawCounts::key(id + 1, p[i + k]));
        last = id;
        mine = here;
      }
    }
    if (mine) {
      rc.end_conv[last].add(c);
      rc.end_null[last].add(nl);
      rc.end_value[last].add(js.value(j));
    }
  }
}

// Part w's edge keys (count_shard) in the numbering of all parts' states, part i's state s numbered
// first[i] + s, in part w's insertion order. Asks poll every 65,536 edges (it may throw to stop).
std::vector<std::uint64_t> edge_keys(const std::vector<RawCounts>& part, const std::vector<std::uint32_t>& first,
                                     unsigned w, unsigned k, const detail::LoopPoll& poll) {
  const RawCounts& rc = part[w];
  const auto shards = unsigned(part.size());
  std::vector<std::uint64_t> keys;
  keys.reserve(rc.edges.size());
  std::vector<std::uint32_t> to(k);
  rc.edges.for_each([&](std::uint64_t key, const detail::ExactSum&) {
    if ((keys.size() & 0xFFFF) == 0xFFFF) poll.poll();
    const auto f = std::uint32_t(key >> 32), t = std::uint32_t(key);
    if (f == 0) {
      keys.push_back(RawCounts::key(0, first[w] + t));
      return;
    }
    const std::uint32_t* g = rc.states.gram(f - 1);
    std::copy(g + 1, g + k, to.begin());
    to[k - 1] = t;
    const std::uint64_t h = rc.states.hash(to.data());
    const unsigned owner = shard_of(h, shards);
    const std::uint32_t id = part[owner].states.find(to.data());
    if (id == detail::GramIndex::kEmptySlot) throw std::logic_error("count: an edge enters a state no part counted");
    keys.push_back(RawCounts::key(first[w] + f, first[owner] + id));
  });
  return keys;
}

// Order-1 counts over few touchpoints: the state of a touch is its touchpoint, so edges index a dense
// (T + 1) x T array (row T is START) and no hashing is needed.
// A sum kept as a whole-number tally where it can be: a whole number x in [0, 2^31) (counts of journeys in
// an aggregated file usually are) is added to a 64-bit integer, which is exact and costs an add, and every
// other x goes to the exact sum. flush() moves the tally into the exact sum; the result is the exact sum of
// all x either way, so the bits do not depend on which way a term went.
struct Tally {
  detail::ExactSum sum;
  std::uint64_t whole = 0;
  // True when x was tallied (the caller counts tallied terms to flush before 2^31 of them: below 2^62).
  bool add(double x) {
    if (x >= 0 && x < 0x1p31) {
      const auto k = static_cast<std::uint32_t>(x);
      if (static_cast<double>(k) == x) {
        whole += k;
        return true;
      }
    }
    sum.add(x);
    return false;
  }
  void flush() {
    if (!whole) return;
    // Two doubles that hold the 64-bit tally exactly: its high and low 32 bits.
    sum.add(static_cast<double>(whole >> 32) * 0x1p32);
    sum.add(static_cast<double>(whole & 0xFFFFFFFFu));
    whole = 0;
  }
};

struct DenseCounts {
  explicit DenseCounts(std::size_t touchpoints)
      : t(touchpoints), edges((t + 1) * t), whole((t + 1) * t, 0), used((t + 1) * t, 0), end_conv(t), end_null(t),
        end_value(t) {}
  std::size_t t;
  // Edge sums: the exact part, and the whole-number tally in an array of its own (8 bytes an edge: the
  // array of a 200-touchpoint chain stays in the core's cache, where the touches land at random).
  std::vector<detail::ExactSum> edges;
  std::vector<std::uint64_t> whole;
  std::vector<std::uint8_t> used;
  std::vector<Tally> end_conv, end_null, end_value;
  Tally journeys, conv, nulls, value;
  std::uint64_t zero = 0, rows = 0;
  std::uint64_t tallied = 0;  // terms added to tallies since the last flush

  // Adds x to a tally; every 2^30 tallied terms (each below 2^31) all tallies are flushed, so none passes 2^61.
  void add(Tally& s, double x) {
    if (s.add(x) && ++tallied == (std::uint64_t(1) << 30)) flush();
  }
  void flush() {
    for (std::size_t i = 0; i < edges.size(); ++i)
      if (whole[i]) {
        edges[i].add(static_cast<double>(whole[i] >> 32) * 0x1p32);
        edges[i].add(static_cast<double>(whole[i] & 0xFFFFFFFFu));
        whole[i] = 0;
        used[i] = 1;
      }
    for (std::size_t s = 0; s < t; ++s) {
      end_conv[s].flush();
      end_null[s].flush();
      end_value[s].flush();
    }
    journeys.flush();
    conv.flush();
    nulls.flush();
    value.flush();
    tallied = 0;
  }
  // Adds o's counts (both flushed).
  void add(const DenseCounts& o) {
    for (std::size_t i = 0; i < edges.size(); ++i)
      if (o.used[i]) {
        edges[i].add(o.edges[i]);
        used[i] = 1;
      }
    for (std::size_t s = 0; s < t; ++s) {
      end_conv[s].sum.add(o.end_conv[s].sum);
      end_null[s].sum.add(o.end_null[s].sum);
      end_value[s].sum.add(o.end_value[s].sum);
    }
    journeys.sum.add(o.journeys.sum);
    conv.sum.add(o.conv.sum);
    nulls.sum.add(o.nulls.sum);
    value.sum.add(o.value.sum);
    zero += o.zero;
    rows += o.rows;
  }
  // The same counts in raw form (flushed: `used` is complete then): a state per touchpoint that some edge enters.
  void to_raw(RawCounts& rc) const {
    std::vector<std::uint32_t> id(t, detail::GramIndex::kPad);
    for (std::uint32_t s = 0; s < t; ++s) {
      bool entered = false;
      for (std::size_t f = 0; f <= t && !entered; ++f) entered = used[f * t + s] != 0;
      if (entered) id[s] = rc.state(&s);
    }
    for (std::size_t f = 0; f <= t; ++f)
      for (std::size_t s = 0; s < t; ++s)
        if (used[f * t + s]) rc.edges.add(RawCounts::key(f == t ? 0 : id[f] + 1, id[s]), edges[f * t + s]);
    for (std::size_t s = 0; s < t; ++s) {
      if (id[s] == detail::GramIndex::kPad) continue;
      rc.end_conv[id[s]].add(end_conv[s].sum);
      rc.end_null[id[s]].add(end_null[s].sum);
      rc.end_value[id[s]].add(end_value[s].sum);
    }
    rc.journeys.add(journeys.sum);
    rc.conv.add(conv.sum);
    rc.nulls.add(nulls.sum);
    rc.value.add(value.sum);
    rc.zero += zero;
    rc.rows += rows;
  }
};

void count_range_dense(const JourneySet& js, std::size_t first, std::size_t last, SelfLoops loops, DenseCounts& dc) {
  const bool drop = loops == SelfLoops::drop;
  const std::size_t t = dc.t;
  const auto& off = js.offsets();
  const std::uint32_t* touches = js.touches().data();
  for (std::size_t j = first; j < last; ++j) {
    const double c = js.conversions(j), n = js.nulls(j), w = c + n;
    if (w <= 0) {
      ++dc.zero;
      continue;
    }
    const std::uint32_t* p = touches + off[j];
    const std::size_t len = static_cast<std::size_t>(off[j + 1] - off[j]);
    std::size_t prev = t;  // START
    // A journey's weight enters each of its edges: as a whole number once decided, else exactly.
    // (The range test comes before the conversion: a double at or above 2^32 does not convert to uint32.)
    const bool small = w < 0x1p31;
    const auto k = small ? static_cast<std::uint32_t>(w) : std::uint32_t(0);
    const bool whole = small && static_cast<double>(k) == w && len < (std::uint64_t(1) << 30);
    if (whole && dc.tallied + len >= (std::uint64_t(1) << 30)) dc.flush();
    for (std::size_t i = 0; i < len; ++i) {
      const std::size_t s = p[i];
      if (i > 0 && s == prev && drop) continue;
      const std::size_t e = prev * t + s;
      if (whole) {
        dc.whole[e] += k;  // `used` is set at the flush
      } else {
        dc.edges[e].add(w);
        dc.used[e] = 1;
      }
      prev = s;
    }
    if (whole) dc.tallied += len;
    dc.add(dc.end_conv[prev], c);
    dc.add(dc.end_null[prev], n);
    dc.add(dc.end_value[prev], js.value(j));
    dc.add(dc.journeys, w);
    dc.add(dc.conv, c);
    dc.add(dc.nulls, n);
    dc.add(dc.value, js.value(j));
    ++dc.rows;
  }
}

}  // namespace

TransitionCounts::TransitionCounts() = default;

TransitionCounts TransitionCounts::count(const JourneySet& js, unsigned order, SelfLoops loops, const Execution& exec) {
  if (order < 1 || order > kMaxOrder)
    throw InvalidArgument("order must be in 1.." + std::to_string(kMaxOrder) + ", got " + std::to_string(order));
  // Saved counts are checked against the bound a journey of fewer than 2^32 touches obeys (serialize.cpp),
  // so longer journeys are refused here rather than written to a file that cannot be read back.
  constexpr std::uint64_t kMaxJourneyTouches = std::uint64_t(1) << 32;
  if (js.touch_count() >= kMaxJourneyTouches) {
    const auto& off = js.offsets();
    for (std::size_t j = 0; j < js.size(); ++j)
      if (off[j + 1] - off[j] >= kMaxJourneyTouches)
        throw InvalidArgument("journey " + std::to_string(j) + " has " + std::to_string(off[j + 1] - off[j]) +
                              " touches; at most 2^32 - 1 are counted (set max_touches)");
  }
  // With one worker the chunks are counted into one table. With more, each worker counts the states of its own
  // part (count_shard) over every journey; order-1 counts over few touchpoints go to a dense table per worker,
  // added up at the end. Sums are exact (fixed point) and the result is canonicalised (states, touchpoints and
  // edges sorted), so neither the split between workers nor the order of adding changes a bit: the same counts
  // for any thread count.
  const std::size_t chunks = std::max<std::size_t>(1, (js.size() + kJourneysPerChunk - 1) / kJourneysPerChunk);
  const std::size_t workers = detail::parallel_workers(chunks, exec);
  const std::size_t touchpoints = js.touchpoints().size();
  RawCounts total(order);
  if (order == 1 && touchpoints <= kDenseTouchpoints) {
    std::vector<DenseCounts> part(workers, DenseCounts(touchpoints));
    detail::parallel_for(chunks, exec, "count", [&](std::size_t c, unsigned w) {
      count_range_dense(js, c * kJourneysPerChunk, std::min(js.size(), (c + 1) * kJourneysPerChunk), loops, part[w]);
    });
    for (auto& p : part) p.flush();
    for (std::size_t w = 1; w < workers; ++w) part[0].add(part[w]);
    part[0].to_raw(total);
  } else if (workers == 1) {
    // A chunk of a high order runs for a tenth of a second: it asks the callback within itself too.
    detail::parallel_for(chunks, exec, "count", [&](std::size_t c, unsigned, const detail::LoopPoll& poll) {
      count_range(js, c * kJourneysPerChunk, std::min(js.size(), (c + 1) * kJourneysPerChunk), order, loops, total,
                  &poll);
    });
  } else {
    // One part of the states per worker (count_shard): no table holds what another holds, so there is no
    // merge, and each table is a part of the whole (fewer cache misses than every worker interning nearly
    // every state). The canonical order makes the result the same for any number of parts.
    std::vector<RawCounts> part(workers, RawCounts(order));
    // Progress comes from the first part the calling thread counts (journeys done, which the other parts keep
    // pace with), not from the loops over parts, whose fractions (parts done) would step back against it. The
    // caller counts a second part only when another thread started late; that one reports no fraction of its
    // own (its checks repeat the last one). While the caller waits for the other parts (between its items and
    // after its last), the loops ask the callback with the journeys' fraction last reported, so the count can
    // still be cancelled; the other parts then stop within 4,096 journeys (count_shard's poll).
    detail::Progress progress(exec, "count");
    Execution waiting = exec;
    if (exec.progress)
      waiting.progress = [&progress](double, const char*) {
        progress.poll();
        return true;
      };
    bool caller_reported = false;  // touched by the calling thread (worker 0) only
    detail::parallel_for(workers, waiting, "count", [&](std::size_t w, unsigned worker,
                                                        const detail::LoopPoll& poll) {
      const detail::Progress* report = nullptr;
      if (worker == 0 && !caller_reported) {
        caller_reported = true;
        report = &progress;
      }
      count_shard(js, order, loops, unsigned(w), unsigned(workers), part[w], report, poll);
    });
    std::vector<std::uint32_t> first(workers, 0);
    for (std::size_t w = 1; w < workers; ++w) first[w] = first[w - 1] + std::uint32_t(part[w - 1].states.size());
    std::vector<std::vector<std::uint64_t>> keys(workers);
    detail::parallel_for(workers, waiting, "count", [&](std::size_t w, unsigned, const detail::LoopPoll& poll) {
      keys[w] = edge_keys(part, first, unsigned(w), order, poll);
    });
    progress.report(1.0);
    CountsAccess::RawParts parts;
    for (std::size_t w = 0; w < workers; ++w) {
      parts.part.push_back(&part[w]);
      parts.first.push_back(first[w]);
      parts.keys.push_back(&keys[w]);
    }
    return CountsAccess::canonical(parts, js.touchpoints().names(), order, loops, &progress);
  }
  const detail::Progress progress(exec, "count");  // the counting reported 1; sorting the states follows
  return CountsAccess::canonical(total, js.touchpoints().names(), order, loops, &progress);
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

namespace detail {
TransitionCounts reweighted_counts(const TransitionCounts& base, const std::vector<double>& edge_weight,
                                   const std::vector<double>& end_conversions, const std::vector<double>& end_nulls,
                                   const std::vector<ExactSum>& end_value, std::uint64_t rows) {
  return CountsAccess::reweighted(base, edge_weight, end_conversions, end_nulls, end_value, rows);
}
}  // namespace detail

}  // namespace journeygraph
