// Open-journey scoring: the per-model tables behind Scorer and the tables made from them.

#include "journeygraph/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/credit.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Touch sequences of length 1..k mapped to node indices, by open addressing. The keys live in one array of
// stride k so that a probe compares k words in place; the stored 64-bit hash rejects most mismatches first.
class SequenceTable {
 public:
  explicit SequenceTable(unsigned k = 1) : k_(k) {}

  std::uint32_t find(const std::uint32_t* w, std::size_t n) const noexcept {
    if (slots_.empty()) return kNone;
    const std::uint64_t h = detail::hash_words(w, n);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.node == kNone) return kNone;
      if (s.hash == h && len_[s.entry] == n && std::equal(w, w + n, keys_.data() + std::size_t(s.entry) * k_))
        return s.node;
    }
  }

  // The node of the sequence, inserting it with `node` if absent. Returns the existing node if present.
  std::uint32_t insert(const std::uint32_t* w, std::size_t n, std::uint32_t node) {
    if ((len_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = detail::hash_words(w, n);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.node == kNone) {
        s = Slot{h, node, static_cast<std::uint32_t>(len_.size())};
        len_.push_back(static_cast<std::uint8_t>(n));
        keys_.insert(keys_.end(), w, w + n);
        keys_.resize(len_.size() * k_, kNone);
        return node;
      }
      if (s.hash == h && len_[s.entry] == n && std::equal(w, w + n, keys_.data() + std::size_t(s.entry) * k_))
        return s.node;
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t node = kNone;
    std::uint32_t entry = 0;
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(detail::next_pow2(std::max<std::size_t>(16, old.size() * 2)), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.node == kNone) continue;
      std::size_t i = s.hash & mask_;
      while (slots_[i].node != kNone) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  unsigned k_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<std::uint32_t> keys_;
  std::vector<std::uint8_t> len_;
};

struct Node {
  double p = 0, value = 0, to_go = 0;
};

// Weighted sums of a mixture node while the tables are built.
struct Mix {
  double w = 0, p = 0, value = 0, to_go = 0;
  void add(double weight, double p_, double value_, double to_go_) {
    w += weight;
    p += weight * p_;
    value += weight * value_;
    to_go += weight * to_go_;
  }
  Node node() const {
    if (!(w > 0)) return Node{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(),
                              std::numeric_limits<double>::quiet_NaN()};
    return Node{p / w, value / w, to_go / w};
  }
};

}  // namespace

struct Scorer::Impl {
  unsigned k = 1;
  std::vector<std::string> touchpoints;
  std::vector<Node> nodes;       // chain states 0..n-1 (0 = START), then prefix mixtures, suffix mixtures, any
  SequenceTable full{1};         // k-grams -> chain state
  SequenceTable prefix{1};       // 1..k-1 touches from START -> prefix mixture
  SequenceTable suffix{1};       // last 1..k-1 touches of a full state -> suffix mixture
  std::uint32_t any = 0;         // the m = 0 mixture

  HistoryScore score(const std::uint32_t* h, std::size_t len) const noexcept {
    HistoryScore r;
    std::uint32_t node = kNone;
    std::size_t m;
    if (len == 0) {
      node = MarkovModel::kStartState;
      m = 0;
    } else if (len >= k) {
      node = full.find(h + len - k, k);
      m = k;
    } else {
      node = prefix.find(h, len);
      m = len;
    }
    if (node == kNone) {
      r.backed_off = true;
      // From a full history the k-gram itself failed; a short one tries its touches without START first.
      m = len >= k ? k - 1 : len;
      for (; m > 0 && node == kNone; --m) node = suffix.find(h + len - m, m);
      if (node == kNone) node = any;
      else ++m;  // undo the loop's last decrement
    }
    const Node& n = nodes[node];
    r.conversion_probability = n.p;
    r.expected_value = n.value;
    r.touches_to_go = n.to_go;
    r.matched = static_cast<std::uint32_t>(m);
    return r;
  }
};

Scorer::Scorer() = default;

Scorer::Scorer(const MarkovModel& model, const Execution& exec) {
  if (!model.fitted()) throw StateError("the model is not fitted: fit or load it before scoring histories");
  const ChainAnalysis a = analyze_chain(model, exec);
  auto impl = std::make_shared<Impl>();
  Impl& s = *impl;
  s.k = model.order();
  s.touchpoints = model.touchpoints();
  s.full = SequenceTable(s.k);
  s.prefix = SequenceTable(s.k);
  s.suffix = SequenceTable(s.k);
  const std::size_t n = model.n_states();
  s.nodes.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    s.nodes[i] = Node{a.conversion_probability[i], a.expected_value[i], a.touches_to_go[i]};

  std::size_t full_states = 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto t = model.state_tokens(i);
    if (t.size() == s.k) {
      s.full.insert(t.data(), t.size(), static_cast<std::uint32_t>(i));
      ++full_states;
    }
  }

  // Prefix mixtures: START's successors by the touches they begin with, weighted by their START probability.
  std::vector<Mix> mixes;
  auto add_to = [&](SequenceTable& table, const std::uint32_t* w, std::size_t len, double weight, const Node& x,
                    double extra_touches) {
    const auto next = static_cast<std::uint32_t>(n + mixes.size());
    const std::uint32_t node = table.insert(w, len, next);
    if (node == next) mixes.emplace_back();
    mixes[node - n].add(weight, x.p, x.value, x.to_go + extra_touches);
  };
  const auto& rows = model.row_offsets();
  const auto& cols = model.columns();
  const auto& probs = model.probabilities();
  for (std::uint64_t q = rows[0]; q < rows[1]; ++q) {
    const std::uint32_t c = cols[q];
    if (c >= n || !(probs[q] > 0)) continue;
    const auto t = model.state_tokens(c);
    for (std::size_t i = 1; i <= std::min<std::size_t>(t.size(), s.k - 1); ++i)
      add_to(s.prefix, t.data(), i, probs[q], s.nodes[c], double(t.size() - i));
  }
  // Suffix mixtures: full states by their last m touches, weighted by expected visits per journey.
  Mix any;
  for (std::size_t i = 1; i < n; ++i) {
    const auto t = model.state_tokens(i);
    const double v = a.expected_visits[i];
    if (t.size() != s.k && full_states > 0) continue;
    any.add(v, s.nodes[i].p, s.nodes[i].value, s.nodes[i].to_go);
    if (t.size() != s.k) continue;
    for (std::size_t m = 1; m < s.k; ++m) add_to(s.suffix, t.data() + s.k - m, m, v, s.nodes[i], 0.0);
  }
  for (const Mix& m : mixes) s.nodes.push_back(m.node());
  s.any = static_cast<std::uint32_t>(s.nodes.size());
  s.nodes.push_back(n > 1 ? any.node() : s.nodes[0]);
  impl_ = std::move(impl);
}

namespace {
const Scorer::Impl& need_impl(const std::shared_ptr<const Scorer::Impl>& impl) {
  if (!impl) throw StateError("the scorer is empty: make it from a fitted model");
  return *impl;
}
}  // namespace

unsigned Scorer::order() const noexcept { return impl_ ? impl_->k : 0; }

const std::vector<std::string>& Scorer::touchpoints() const { return need_impl(impl_).touchpoints; }

HistoryScore Scorer::score(Span<const std::uint32_t> history) const {
  const Impl& s = need_impl(impl_);
  for (std::size_t i = 0; i < history.size(); ++i)
    if (history[i] >= s.touchpoints.size() && history[i] != kUnknownTouchpoint)
      throw InvalidArgument("touch " + std::to_string(i) + " of the history has touchpoint id " +
                            std::to_string(history[i]) + ", but the model has " +
                            std::to_string(s.touchpoints.size()) + " touchpoints");
  return s.score(history.data(), history.size());
}

void Scorer::score_batch(Span<const std::uint64_t> offsets, Span<const std::uint32_t> touches,
                         const ScoreArrays& out) const {
  const Impl& s = need_impl(impl_);
  if (offsets.empty()) return;
  const std::size_t n = offsets.size() - 1;
  // Check everything before writing anything, so that a refused batch leaves the caller's arrays alone.
  for (std::size_t j = 0; j < n; ++j)
    if (offsets[j + 1] < offsets[j])
      throw InvalidArgument("offsets decrease at history " + std::to_string(j) + ": offsets[" + std::to_string(j) +
                            "] = " + std::to_string(offsets[j]) + " > offsets[" + std::to_string(j + 1) +
                            "] = " + std::to_string(offsets[j + 1]));
  if (offsets[n] > touches.size())
    throw InvalidArgument("offsets end at " + std::to_string(offsets[n]) + " but there are only " +
                          std::to_string(touches.size()) + " touches");
  const auto nt = static_cast<std::uint32_t>(s.touchpoints.size());
  for (std::uint64_t i = offsets[0]; i < offsets[n]; ++i)
    if (touches[i] >= nt)
      throw InvalidArgument("touch " + std::to_string(i) + " has touchpoint id " + std::to_string(touches[i]) +
                            ", but the model has " + std::to_string(nt) + " touchpoints (ids 0.." +
                            std::to_string(nt == 0 ? 0 : nt - 1) + ")");
  for (std::size_t j = 0; j < n; ++j) {
    const HistoryScore r = s.score(touches.data() + offsets[j], offsets[j + 1] - offsets[j]);
    if (out.conversion_probability) out.conversion_probability[j] = r.conversion_probability;
    if (out.expected_value) out.expected_value[j] = r.expected_value;
    if (out.touches_to_go) out.touches_to_go[j] = r.touches_to_go;
    if (out.matched) out.matched[j] = r.matched;
    if (out.backed_off) out.backed_off[j] = r.backed_off ? 1 : 0;
  }
}

namespace {
// The history followed by one more touch, in a reused buffer: only the last k + 1 touches matter.
struct Extended {
  std::vector<std::uint32_t> buf;
  Span<const std::uint32_t> with(Span<const std::uint32_t> h, unsigned k, std::uint32_t t) {
    const std::size_t keep = std::min<std::size_t>(h.size(), k);
    buf.assign(h.end() - keep, h.end());
    buf.push_back(t);
    // A history of k touches or more stays one of k or more; a shorter one keeps its START context.
    return {buf.data(), buf.size()};
  }
};
}  // namespace

std::vector<double> Scorer::next_touch_lift(Span<const std::uint32_t> history) const {
  const Impl& s = need_impl(impl_);
  const double base = score(history).conversion_probability;
  std::vector<double> lift(s.touchpoints.size());
  Extended ext;
  for (std::uint32_t t = 0; t < lift.size(); ++t) {
    const auto h = ext.with(history, s.k, t);
    lift[t] = s.score(h.data(), h.size()).conversion_probability - base;
  }
  return lift;
}

namespace {

// The histories' touchpoint ids in the model's numbering (kUnknownTouchpoint for names it does not know).
struct Mapped {
  std::vector<std::uint32_t> ids;
  std::uint64_t unknown = 0;
};

Mapped map_touchpoints(const Scorer& scorer, const JourneySet& js) {
  Dictionary model_names(scorer.touchpoints());
  std::vector<std::uint32_t> to_model(js.touchpoints().size());
  for (std::size_t i = 0; i < to_model.size(); ++i) {
    const auto id = model_names.find(js.touchpoints().name(static_cast<std::uint32_t>(i)));
    to_model[i] = id ? *id : Scorer::kUnknownTouchpoint;
  }
  Mapped m;
  m.ids.resize(js.touch_count());
  for (std::size_t i = 0; i < m.ids.size(); ++i) {
    m.ids[i] = to_model[js.touches()[i]];
    if (m.ids[i] == Scorer::kUnknownTouchpoint) ++m.unknown;
  }
  return m;
}

// The part numbers of some journeys (rows ascending or not).
std::vector<std::int64_t> parts_of(const JourneySet& js, const std::vector<std::size_t>& rows) {
  std::vector<std::int64_t> out(rows.size(), 1);
  if (!js.has_keys()) return out;
  const std::vector<std::int64_t> all = journey_parts(js);
  for (std::size_t r = 0; r < rows.size(); ++r) out[r] = all[rows[r]];
  return out;
}

// Rows are scored in fixed chunks of this many, on exec's threads; each row's outputs depend on that row only,
// and the counts are whole numbers, so the table is the same for any thread count.
constexpr std::size_t kRowsPerChunk = 4096;

Table scores_for(const Scorer& scorer, const JourneySet& js, const std::vector<std::size_t>& rows,
                 const Execution& exec) {
  const Mapped m = map_touchpoints(scorer, js);
  const auto& names = scorer.touchpoints();
  const std::size_t nr = rows.size();
  std::vector<std::int64_t> touches(nr), matched(nr);
  std::vector<std::string> path(nr), best(nr);
  std::vector<double> p(nr), value(nr), to_go(nr), best_lift(nr);
  BoolColumn backed;
  backed.values.resize(nr);
  const std::size_t chunks = (nr + kRowsPerChunk - 1) / kRowsPerChunk;
  std::vector<std::int64_t> chunk_backed(chunks, 0);
  std::vector<std::uint64_t> chunk_unknown(chunks, 0);
  detail::parallel_for(chunks, exec, "score", [&](std::size_t c) {
    for (std::size_t r = c * kRowsPerChunk; r < std::min(nr, (c + 1) * kRowsPerChunk); ++r) {
      const std::size_t j = rows[r];
      const Span<const std::uint32_t> h(m.ids.data() + js.offsets()[j], js.path(j).size());
      for (std::uint32_t id : h) chunk_unknown[c] += id == Scorer::kUnknownTouchpoint;
      const HistoryScore sc = scorer.score(h);
      path[r] = js.path_string(j);
      touches[r] = static_cast<std::int64_t>(h.size());
      p[r] = sc.conversion_probability;
      value[r] = sc.expected_value;
      to_go[r] = sc.touches_to_go;
      matched[r] = sc.matched;
      backed.values[r] = sc.backed_off;
      chunk_backed[c] += sc.backed_off;
      const std::vector<double> lift = scorer.next_touch_lift(h);
      std::size_t b = lift.size();
      for (std::size_t t = 0; t < lift.size(); ++t)
        if (b == lift.size() || lift[t] > lift[b]) b = t;
      best[r] = b < lift.size() ? names[b] : std::string();
      best_lift[r] = b < lift.size() ? lift[b] : std::numeric_limits<double>::quiet_NaN();
    }
  });
  std::int64_t n_backed = 0;
  std::uint64_t unknown = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    n_backed += chunk_backed[c];
    unknown += chunk_unknown[c];
  }
  Table t;
  t.name = "scores";
  add_journey_key_columns(t, js, rows, parts_of(js, rows))
      .add("path", std::move(path))
      .add("touches", std::move(touches))
      .add("conversion_probability", std::move(p))
      .add("expected_value", std::move(value))
      .add("touches_to_go", std::move(to_go))
      .add("matched", std::move(matched))
      .add("backed_off", std::move(backed))
      .add("best_next_touch", std::move(best))
      .add("best_next_lift", std::move(best_lift));
  t.set("order", std::int64_t(scorer.order()))
      .set("histories", std::int64_t(nr))
      .set("backed_off", n_backed)
      .set("unknown_touches", static_cast<std::int64_t>(unknown))
      .set("model_conversion_probability", scorer.score({}).conversion_probability);
  return t;
}

std::vector<std::size_t> all_rows(const JourneySet& js) {
  std::vector<std::size_t> rows(js.size());
  std::iota(rows.begin(), rows.end(), std::size_t(0));
  return rows;
}

}  // namespace

Table score_table(const Scorer& scorer, const JourneySet& histories, const ScoreOptions&, const Execution& exec) {
  return scores_for(scorer, histories, all_rows(histories), exec);
}

Table score_table(const MarkovModel& model, const JourneySet& histories, const ScoreOptions& options,
                  const Execution& exec) {
  return score_table(Scorer(model, exec), histories, options, exec);
}

Table next_touch_table(const Scorer& scorer, const JourneySet& histories, std::size_t top,
                       const std::vector<std::size_t>* rows, const Execution& exec) {
  const std::vector<std::size_t> every = rows ? std::vector<std::size_t>() : all_rows(histories);
  const std::vector<std::size_t>& list = rows ? *rows : every;
  for (std::size_t j : list)
    if (j >= histories.size())
      throw InvalidArgument("row " + std::to_string(j) + " is not a journey (there are " +
                            std::to_string(histories.size()) + ")");
  const Mapped m = map_touchpoints(scorer, histories);
  const auto& names = scorer.touchpoints();
  std::vector<std::size_t> journey;
  std::vector<std::int64_t> rank;
  std::vector<std::string> touchpoint;
  std::vector<double> lift, p;
  BoolColumn backed;
  std::vector<std::uint32_t> order(names.size());
  Extended ext;
  const detail::Progress progress(exec, "next touches");
  for (std::size_t i = 0; i < list.size(); ++i) {
    if ((i & 0xFFF) == 0xFFF) progress.report(double(i) / double(list.size()));
    const std::size_t j = list[i];
    const Span<const std::uint32_t> h(m.ids.data() + histories.offsets()[j], histories.path(j).size());
    const std::vector<double> l = scorer.next_touch_lift(h);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return l[a] > l[b]; });
    for (std::size_t r = 0; r < std::min(top, order.size()); ++r) {
      const std::uint32_t t = order[r];
      const HistoryScore after = scorer.score(ext.with(h, scorer.order(), t));
      journey.push_back(j);
      rank.push_back(static_cast<std::int64_t>(r + 1));
      touchpoint.push_back(names[t]);
      lift.push_back(l[t]);
      p.push_back(after.conversion_probability);
      backed.values.push_back(after.backed_off);
    }
  }
  if (!list.empty()) progress.report(1.0);
  Table t;
  t.name = "next_touch";
  add_journey_key_columns(t, histories, journey, parts_of(histories, journey))
      .add("rank", std::move(rank))
      .add("touchpoint", std::move(touchpoint))
      .add("lift", std::move(lift))
      .add("conversion_probability", std::move(p))
      .add("backed_off", std::move(backed));
  t.set("order", std::int64_t(scorer.order())).set("top", static_cast<std::int64_t>(top));
  return t;
}

std::vector<std::size_t> open_journeys(const JourneySet& journeys, const OpenJourneyOptions& options) {
  if (!(std::isfinite(options.window) && options.window > 0))
    throw InvalidArgument("the open-journey window must be a finite number of seconds > 0, got " +
                          detail::format_double(options.window));
  if (!journeys.has_timestamps())
    throw StateError("open journeys need timestamps: build the journeys from events with times (and keep them)");
  std::vector<std::size_t> open;
  if (journeys.touch_count() == 0) return open;
  const auto& times = journeys.timestamps();
  const std::int64_t end = *std::max_element(times.begin(), times.end());
  // The window in ticks, rounded down so that a touch exactly `window` seconds before the end stays out.
  const double ticks = options.window / seconds_per_tick(journeys.time_unit());
  for (std::size_t j = 0; j < journeys.size(); ++j) {
    const auto t = journeys.times(j);
    if (t.empty() || journeys.conversions(j) > 0) continue;
    if (double(end) - double(t.back()) < ticks) open.push_back(j);
  }
  return open;
}

JourneySet closed_journeys(const JourneySet& journeys, const OpenJourneyOptions& options, const Execution& exec) {
  const std::vector<std::size_t> open = open_journeys(journeys, options);
  JourneySetBuilder b(true, journeys.time_unit(), journeys.has_segments());
  b.set_touchpoints(journeys.touchpoints());
  if (journeys.has_segments()) b.set_segments(journeys.segments());
  b.set_time_kind(journeys.time_kind(), journeys.epoch_unit());
  std::size_t next_open = 0;
  const detail::Progress progress(exec, "closed journeys");
  for (std::size_t j = 0; j < journeys.size(); ++j) {
    if ((j & 0xFFF) == 0) progress.report(double(j) / double(journeys.size()));
    if (next_open < open.size() && open[next_open] == j) {
      ++next_open;
      continue;
    }
    b.add(journeys.path(j), journeys.times(j), journeys.conversions(j), journeys.nulls(j), journeys.value(j),
          journeys.segment(j), journeys.follows_conversion(j));
  }
  progress.report(1.0);
  return b.finish();
}

Table score_open_journeys(const MarkovModel& model, const JourneySet& journeys, const OpenJourneyOptions& options,
                          const ScoreOptions&, const Execution& exec) {
  const std::vector<std::size_t> rows = open_journeys(journeys, options);
  Table t = scores_for(Scorer(model, exec), journeys, rows, exec);
  const auto& times = journeys.timestamps();
  t.set("window", options.window)
      .set("data_end", times.empty() ? std::int64_t(0) : *std::max_element(times.begin(), times.end()))
      .set("journeys", static_cast<std::int64_t>(journeys.size()))
      .set("open", static_cast<std::int64_t>(rows.size()));
  return t;
}

}  // namespace journeygraph
