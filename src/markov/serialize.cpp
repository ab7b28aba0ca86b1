// The binary format of transition counts and models (".jgm" files).
//
//   offset  size  field
//   0       8     magic "\x89JGM\r\n\x1a\n" (catches text-mode mangling and truncated transfers)
//   8       4     format version, little-endian u32 (this library writes and reads 1)
//   12      4     kind: 1 = transition counts, 2 = Markov model
//   16      8     payload size P, u64
//   24      P     payload
//   24+P    8     CRC-64/ECMA-182 of the payload, u64
//
// Payload (all integers little-endian, doubles IEEE-754 binary64):
//   u32 order, u8 self_loops (0 drop, 1 keep), f64 smoothing (0 for counts)
//   u32 touchpoints, then for each: u32 byte length + UTF-8 bytes (sorted, unique, non-empty)
//   u64 states, then u8 length per state, then u32 tokens (states * order, 0xFFFFFFFF pads short states)
//   u64 edges, then per edge u32 from (0xFFFFFFFF = START) and u32 to, canonical order
//   u64 words, then the exact sums, three u64 each (low to high): edges, per-state conversions, nulls,
//     value, and the totals journeys, conversions, nulls, value (192-bit fixed point, 128 fraction bits)
//   u64 zero-weight journeys, u64 rows
// Besides the layout, the reader checks what counting guarantees: every state is entered from START and
// leads to a state where journeys end, through edges of positive count, and the counts form a flow (what
// enters a state leaves it; START sends out the journeys' total weight), up to rounding, with no self-loops
// when they are dropped and transitions weighing less than 2^32 times the journeys.

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include <sys/stat.h>

#include "common/exact.hpp"
#include "common/scc.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/markov.hpp"

namespace journeygraph {
namespace {

constexpr char kMagic[8] = {'\x89', 'J', 'G', 'M', '\r', '\n', '\x1a', '\n'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::uint32_t kKindCounts = 1, kKindModel = 2;

std::uint64_t crc64(const unsigned char* p, std::size_t n) {
  static const auto table = [] {
    std::array<std::uint64_t, 256> t{};
    const std::uint64_t poly = 0xC96C5795D7870F42ULL;  // ECMA-182, reflected
    for (std::uint64_t i = 0; i < 256; ++i) {
      std::uint64_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint64_t c = ~0ULL;
  for (std::size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return ~c;
}

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(std::uint8_t(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) u8(std::uint8_t(v >> (8 * i)));
  }
  void f64(double v) {
    std::uint64_t b;
    std::memcpy(&b, &v, 8);
    u64(b);
  }
  void bytes(std::string_view s) { out_.append(s.data(), s.size()); }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  Reader(std::string_view data, std::size_t base, const std::string& name) : d_(data), base_(base), name_(name) {}
  [[noreturn]] void fail(const std::string& what) const {
    throw ParseError(name_, 0, 0, "", "", "byte " + std::to_string(base_ + pos_) + ": " + what);
  }
  void need(std::size_t n, const char* what) const {
    if (d_.size() - pos_ < n) fail(std::string("truncated: ") + what + " runs past the end of the data");
  }
  std::uint8_t u8(const char* what) {
    need(1, what);
    return static_cast<std::uint8_t>(d_[pos_++]);
  }
  std::uint32_t u32(const char* what) {
    need(4, what);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t(static_cast<unsigned char>(d_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64(const char* what) {
    need(8, what);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(d_[pos_ + i])) << (8 * i);
    pos_ += 8;
    return v;
  }
  double f64(const char* what) {
    std::uint64_t b = u64(what);
    double v;
    std::memcpy(&v, &b, 8);
    return v;
  }
  std::string_view bytes(std::size_t n, const char* what) {
    need(n, what);
    std::string_view v = d_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  // A count of items of at least `item` bytes each that must fit in what is left.
  std::uint64_t count(std::size_t item, const char* what) {
    std::uint64_t n = u64(what);
    if (item > 0 && n > (d_.size() - pos_) / item) fail(std::string("truncated: ") + what + " " + std::to_string(n) + " is more than the data holds");
    return n;
  }
  std::size_t pos() const { return pos_; }
  bool done() const { return pos_ == d_.size(); }

 private:
  std::string_view d_;
  std::size_t base_;
  std::size_t pos_ = 0;
  const std::string& name_;
};

constexpr std::size_t kHeaderBytes = 24;

// The first 24 bytes: magic, version, kind; returns the declared payload size.
std::uint64_t check_header(std::string_view data, const std::string& name) {
  Reader head(data, 0, name);
  std::string_view magic = head.bytes(8, "the file header");
  if (std::memcmp(magic.data(), kMagic, 8) != 0) head.fail("not a journeygraph model or counts file (bad magic)");
  const std::uint32_t version = head.u32("the format version");
  if (version > kFormatVersion)
    head.fail("format version " + std::to_string(version) + " is newer than this library reads (" +
              std::to_string(kFormatVersion) + "); upgrade journeygraph");
  if (version == 0) head.fail("format version 0 is invalid");
  const std::uint32_t kind = head.u32("the kind");
  if (kind != kKindCounts && kind != kKindModel) head.fail("unknown kind " + std::to_string(kind));
  return head.u64("the payload size");
}

// Reads a counts or model file, checking the header before any large read: the magic, version and kind
// in the first 24 bytes, then a payload size that must fit in the file (for a regular file, its size; for a
// pipe or device, what actually arrives). A wrong file (a CSV, /dev/zero, a directory) is refused after 24
// bytes, and memory never exceeds the file's own size.
std::string read_file(const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) throw IoError("cannot open " + file + ": " + std::strerror(errno));
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{f};
  struct stat st {};
  if (fstat(fileno(f), &st) != 0) throw IoError("cannot read " + file + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw IoError("cannot read " + file + ": " + std::strerror(EISDIR));
  const bool regular = S_ISREG(st.st_mode);
  auto read_some = [&](char* into, std::size_t n) {
    const std::size_t got = std::fread(into, 1, n, f);
    if (got < n && std::ferror(f)) throw IoError("error reading " + file + ": " + std::strerror(errno));
    return got;
  };
  std::string data(kHeaderBytes, '\0');
  data.resize(read_some(data.data(), kHeaderBytes));
  // The header's own checks (magic, version, kind) with their messages; a short file fails here too.
  const std::uint64_t payload = check_header(data, file);
  const std::uint64_t want = payload + 8;  // the payload and its checksum
  if (regular) {
    // The whole file, whatever it declares: a size that does not match is then named by the parser.
    const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
    if (size > data.size()) {
      const std::size_t old = data.size();
      data.resize(static_cast<std::size_t>(size));
      data.resize(old + read_some(data.data() + old, data.size() - old));
    }
    return data;
  }
  // A pipe or device: read in steps, never past the declared size, and one byte more to see the end. Its
  // size is unknown in advance, so a declared size beyond any model this library writes in practice is
  // refused before reading (a header followed by an endless stream would otherwise fill memory).
  if (payload > (std::uint64_t(1) << 32))
    throw ParseError(file, 0, 0, "", "",
                     "byte 16: the header declares a payload of " + std::to_string(payload) +
                         " bytes, more than the 4 GiB read from a pipe or device; copy the file to disk first");
  std::uint64_t have = 0;
  while (have < want + 1) {
    const std::size_t step = static_cast<std::size_t>(std::min<std::uint64_t>(want + 1 - have, std::uint64_t(1) << 24));
    const std::size_t old = data.size();
    data.resize(old + step);
    const std::size_t got = read_some(data.data() + old, step);
    data.resize(old + got);
    have += got;
    if (got < step) break;
  }
  return data;  // the parser names what is missing or left over
}


}  // namespace

struct SerializeAccess {
  static std::string write(const TransitionCounts& tc, std::uint32_t kind, double smoothing) {
    Writer w;
    w.u32(tc.order_);
    w.u8(tc.self_loops_ == SelfLoops::keep ? 1 : 0);
    w.f64(smoothing);
    w.u32(static_cast<std::uint32_t>(tc.touchpoints_.size()));
    for (const auto& name : tc.touchpoints_) {
      w.u32(static_cast<std::uint32_t>(name.size()));
      w.bytes(name);
    }
    const std::size_t ns = tc.n_states();
    w.u64(ns);
    for (auto len : tc.state_length_) w.u8(len);
    for (auto t : tc.tokens_) w.u32(t);
    w.u64(tc.edges_.size());
    for (const auto& e : tc.edges_) {
      w.u32(e.from);
      w.u32(e.to);
    }
    w.u64(tc.exact_.size());
    for (auto word : tc.exact_) w.u64(word);
    w.u64(tc.zero_weight_journeys_);
    w.u64(tc.rows_);
    Writer file;
    file.bytes(std::string_view(kMagic, 8));
    file.u32(kFormatVersion);
    file.u32(kind);
    file.u64(w.str().size());
    file.bytes(w.str());
    file.u64(crc64(reinterpret_cast<const unsigned char*>(w.str().data()), w.str().size()));
    return std::move(file.str());
  }

  static TransitionCounts read(std::string_view data, const std::string& name, std::uint32_t& kind, double& smoothing) {
    const std::uint64_t size = check_header(data, name);
    Reader head(data, 0, name);
    head.bytes(12, "the file header");
    kind = head.u32("the kind");
    head.u64("the payload size");
    if (size > data.size() - head.pos() || data.size() - head.pos() - size < 8)
      head.fail("truncated: the payload of " + std::to_string(size) + " bytes and its checksum run past the end (" +
                std::to_string(data.size()) + " bytes)");
    std::string_view payload = data.substr(head.pos(), size);
    Reader tail(data.substr(head.pos() + size), head.pos() + size, name);
    const std::uint64_t crc = tail.u64("the checksum");
    if (!tail.done()) tail.fail("unexpected bytes after the checksum");
    if (crc != crc64(reinterpret_cast<const unsigned char*>(payload.data()), payload.size()))
      head.fail("checksum mismatch: the file is corrupted");

    Reader r(payload, head.pos(), name);
    TransitionCounts tc;
    tc.order_ = r.u32("the order");
    if (tc.order_ < 1 || tc.order_ > kMaxOrder) r.fail("order " + std::to_string(tc.order_) + " is out of range");
    const std::uint8_t loops = r.u8("the self-loop setting");
    if (loops > 1) r.fail("invalid self-loop setting " + std::to_string(loops));
    tc.self_loops_ = loops ? SelfLoops::keep : SelfLoops::drop;
    smoothing = r.f64("the smoothing");
    if (!std::isfinite(smoothing) || smoothing < 0) r.fail("invalid smoothing");
    const std::uint32_t ntp = r.u32("the touchpoint count");
    if (ntp > payload.size() / 4) r.fail("truncated: more touchpoints than the data holds");
    for (std::uint32_t i = 0; i < ntp; ++i) {
      const std::uint32_t len = r.u32("a touchpoint name length");
      std::string_view s = r.bytes(len, "a touchpoint name");
      if (s.empty() || detail::utf8_invalid_at(s) != std::string_view::npos) r.fail("invalid touchpoint name");
      if (!tc.touchpoints_.empty() && !(tc.touchpoints_.back() < s)) r.fail("touchpoint names are not sorted and unique");
      tc.touchpoints_.emplace_back(s);
    }
    const std::uint64_t ns = r.count(1 + 4 * std::size_t(tc.order_), "the state count");
    tc.state_length_.resize(ns);
    for (auto& len : tc.state_length_) {
      len = r.u8("a state length");
      if (len < 1 || len > tc.order_) r.fail("invalid state length " + std::to_string(len));
    }
    tc.tokens_.resize(ns * tc.order_);
    for (std::uint64_t s = 0; s < ns; ++s)
      for (unsigned i = 0; i < tc.order_; ++i) {
        const std::uint32_t t = r.u32("a state token");
        const bool pad = i >= tc.state_length_[s];
        if (pad ? t != 0xFFFFFFFFu : t >= ntp) r.fail("invalid token in state " + std::to_string(s));
        tc.tokens_[s * tc.order_ + i] = t;
      }
    for (std::uint64_t s = 1; s < ns; ++s) {
      auto a = tc.state(s - 1), b = tc.state(s);
      if (!std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end())) r.fail("states are not in canonical order");
    }
    const std::uint64_t ne = r.count(8, "the edge count");
    tc.edges_.resize(ne);
    std::int64_t prev_from = -2, prev_to = -1;
    for (auto& e : tc.edges_) {
      e.from = r.u32("an edge");
      e.to = r.u32("an edge");
      const std::int64_t f = e.from == TransitionCounts::kStart ? -1 : std::int64_t(e.from);
      if ((f >= 0 && std::uint64_t(f) >= ns) || e.to >= ns) r.fail("edge refers to a state out of range");
      if (f < prev_from || (f == prev_from && std::int64_t(e.to) <= prev_to)) r.fail("edges are not in canonical order");
      prev_from = f;
      prev_to = e.to;
    }
    const std::uint64_t nw = r.count(8, "the sum count");
    constexpr std::size_t kW = detail::ExactSum::kWords;
    if (nw != kW * (ne + 3 * ns + 4)) r.fail("the number of sums does not match the states and edges");
    tc.exact_.resize(nw);
    for (auto& word : tc.exact_) word = r.u64("a sum");
    tc.zero_weight_journeys_ = r.u64("the zero-weight count");
    tc.rows_ = r.u64("the row count");
    if (!r.done()) r.fail("unexpected bytes at the end of the payload");
    // The doubles are the rounded exact sums; no sum may be negative.
    auto sum = [&](std::size_t slot) {
      const auto x = detail::ExactSum::from_words(tc.exact_[kW * slot], tc.exact_[kW * slot + 1], tc.exact_[kW * slot + 2]);
      const double v = x.value();
      if (v < 0) r.fail("negative count or value");
      return v;
    };
    for (std::size_t i = 0; i < ne; ++i) tc.edges_[i].count = sum(i);
    tc.end_conversions_.resize(ns);
    tc.end_nulls_.resize(ns);
    tc.end_value_.resize(ns);
    for (std::size_t s = 0; s < ns; ++s) {
      tc.end_conversions_[s] = sum(ne + s);
      tc.end_nulls_[s] = sum(ne + ns + s);
      tc.end_value_[s] = sum(ne + 2 * ns + s);
    }
    const std::size_t tot = ne + 3 * ns;
    tc.journeys_ = sum(tot);
    tc.total_conversions_ = sum(tot + 1);
    tc.total_nulls_ = sum(tot + 2);
    tc.total_value_ = sum(tot + 3);
    check_connected(tc, r);
    return tc;
  }

  // Counts made by count(), merge() or a reweighting describe journeys: every state is entered from START
  // through edges of positive count, and leads through such edges to a state where journeys end (with
  // conversions or nulls). A file breaking this (only a hand-made or corrupted one whose checksum was
  // recomputed) would fit to a chain whose states never reach conversion or null, or only through the
  // smoothing, which no solve can answer reliably (found by fuzzing); it is refused here, in O(states + edges).
  static void check_connected(const TransitionCounts& tc, const Reader& r) {
    const std::size_t ns = tc.n_states();
    const auto& edges = tc.edges_;
    auto name = [&](std::size_t s) {
      std::string out;
      for (std::uint32_t t : tc.state(s)) out += (out.empty() ? "" : " > ") + tc.touchpoints_[t];
      return out.size() > 200 ? out.substr(0, 200) + "..." : out;
    };
    // Forward from START; edges are sorted by source, START's first.
    std::vector<std::size_t> first(ns + 2, 0);  // edges of source s (START = 0, state s = s + 1)
    for (const auto& e : edges) ++first[(e.from == TransitionCounts::kStart ? 0 : e.from + 1) + 1];
    for (std::size_t i = 1; i < first.size(); ++i) first[i] += first[i - 1];
    std::vector<std::uint8_t> seen(ns, 0);
    std::vector<std::uint32_t> stack;
    auto visit_from = [&](std::size_t src) {
      for (std::size_t q = first[src]; q < first[src + 1]; ++q)
        if (edges[q].count > 0 && !seen[edges[q].to]) {
          seen[edges[q].to] = 1;
          stack.push_back(edges[q].to);
        }
    };
    visit_from(0);
    while (!stack.empty()) {
      const std::uint32_t s = stack.back();
      stack.pop_back();
      visit_from(std::size_t(s) + 1);
    }
    for (std::size_t s = 0; s < ns; ++s)
      if (!seen[s]) r.fail("inconsistent counts: no journey from the start enters state " + name(s));
    // Backward from the states where journeys end.
    std::vector<std::size_t> into(ns + 1, 0);
    for (const auto& e : edges)
      if (e.from != TransitionCounts::kStart && e.count > 0) ++into[e.to + 1];
    for (std::size_t i = 1; i < into.size(); ++i) into[i] += into[i - 1];
    std::vector<std::uint32_t> sources(into.back());
    std::vector<std::size_t> fill(into.begin(), into.end() - 1);
    for (const auto& e : edges)
      if (e.from != TransitionCounts::kStart && e.count > 0) sources[fill[e.to]++] = e.from;
    std::fill(seen.begin(), seen.end(), 0);
    for (std::size_t s = 0; s < ns; ++s)
      if (tc.end_conversions_[s] > 0 || tc.end_nulls_[s] > 0) {
        seen[s] = 1;
        stack.push_back(static_cast<std::uint32_t>(s));
      }
    while (!stack.empty()) {
      const std::uint32_t s = stack.back();
      stack.pop_back();
      for (std::size_t q = into[s]; q < into[s + 1]; ++q)
        if (!seen[sources[q]]) {
          seen[sources[q]] = 1;
          stack.push_back(sources[q]);
        }
    }
    for (std::size_t s = 0; s < ns; ++s)
      if (!seen[s]) r.fail("inconsistent counts: journeys through state " + name(s) + " never end (no way to conversion or null)");
    // Flow: the weight entering a state leaves it (to other states, conversions and nulls), and START sends
    // out the weight of all journeys. Counting rounds a journey's weight (conversions + nulls) once per
    // journey, so this holds to about 1e-16 of the flow; 1e-9 leaves room for summing the rounded edges.
    // Without it, counts can make arbitrarily ill-conditioned chains whose solves give meaningless results.
    std::vector<long double> in(ns, 0.0L), out(ns, 0.0L);
    long double start = 0, moves = 0;
    for (const auto& e : edges) {
      in[e.to] += e.count;
      if (e.from == TransitionCounts::kStart) {
        start += e.count;
      } else {
        out[e.from] += e.count;
        moves += e.count;
        if (e.from == e.to && tc.self_loops_ == SelfLoops::drop)
          r.fail("inconsistent counts: state " + name(e.to) + " transitions to itself, but self-loops are dropped");
      }
    }
    // A journey of L touches moves its weight at most L - 1 times, so the transitions weigh less than 2^32
    // times the journeys (count() refuses journeys of 2^32 touches or more). Far heavier circulations, with
    // exits that the rounding of a row's total can swallow, are refused.
    if (moves > 0x1p32L * tc.journeys_)
      r.fail("inconsistent counts: the transitions weigh more than 2^32 times the journeys");
    // The same bound per strongly connected component: a journey that leaves a component never comes back,
    // so it enters each component at most once and moves inside it fewer than 2^32 times. The weight of the
    // edges inside a component is therefore below 2^32 times the weight entering it (from START or from
    // other components). This keeps a heavy cycle from hiding behind a large unrelated part of the chain.
    std::vector<std::uint64_t> row(ns + 1);
    for (std::size_t s = 0; s <= ns; ++s) row[s] = first[s + 1];  // state s's edges; START's come first
    std::vector<std::uint32_t> col(edges.size());
    for (std::size_t q = 0; q < edges.size(); ++q) col[q] = edges[q].to;
    const auto comps = detail::strong_components(
        ns, row.data(), col.data(), [&](std::uint64_t q) { return edges[q].count > 0; }, [] {});
    std::vector<std::uint32_t> comp_of(ns);
    for (std::size_t c = 0; c < comps.size(); ++c)
      for (std::uint32_t s : comps[c]) comp_of[s] = static_cast<std::uint32_t>(c);
    std::vector<long double> inside(comps.size(), 0.0L), entering(comps.size(), 0.0L);
    for (const auto& e : edges) {
      const std::uint32_t to = comp_of[e.to];
      if (e.from != TransitionCounts::kStart && comp_of[e.from] == to) inside[to] += e.count;
      else entering[to] += e.count;
    }
    for (std::size_t c = 0; c < comps.size(); ++c)
      if (inside[c] > 0x1p32L * entering[c])
        r.fail("inconsistent counts: the transitions among the states of " + name(comps[c].front()) +
               "'s cycle weigh more than 2^32 times the journeys entering it");
    auto balanced = [](long double a, long double b) { return std::fabs(a - b) <= 1e-9L * (a + b); };
    if (!balanced(start, tc.journeys_))
      r.fail("inconsistent counts: the start sends out a weight other than the journeys' total");
    for (std::size_t s = 0; s < ns; ++s)
      if (!balanced(in[s], out[s] + tc.end_conversions_[s] + tc.end_nulls_[s]))
        r.fail("inconsistent counts: the weight entering state " + name(s) + " differs from the weight leaving it");
  }
};

std::string TransitionCounts::to_bytes() const { return SerializeAccess::write(*this, kKindCounts, 0.0); }

TransitionCounts TransitionCounts::from_bytes(std::string_view bytes, const std::string& name) {
  std::uint32_t kind;
  double smoothing;
  return SerializeAccess::read(bytes, name, kind, smoothing);
}

void TransitionCounts::save(const std::string& file) const { write_text_file(file, to_bytes()); }

TransitionCounts TransitionCounts::load(const std::string& file) { return from_bytes(read_file(file), file); }

std::string MarkovModel::to_bytes() const {
  if (!fitted_) throw StateError("the model is not fitted");
  return SerializeAccess::write(counts_, kKindModel, smoothing_);
}

MarkovModel MarkovModel::from_bytes(std::string_view bytes, const std::string& name, const Execution& exec) {
  std::uint32_t kind;
  double smoothing;
  TransitionCounts tc = SerializeAccess::read(bytes, name, kind, smoothing);
  if (kind != kKindModel) throw ParseError(name, 0, 0, "", "", "holds transition counts, not a model");
  return fit(tc, smoothing, exec);
}

void MarkovModel::save(const std::string& file) const { write_text_file(file, to_bytes()); }

MarkovModel MarkovModel::load(const std::string& file, const Execution& exec) {
  return from_bytes(read_file(file), file, exec);
}

bool is_saved_model(const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) return false;
  char head[8] = {};
  const std::size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  return n == sizeof head && std::memcmp(head, kMagic, sizeof head) == 0;
}

}  // namespace journeygraph
