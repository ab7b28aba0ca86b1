// Events and aggregated-paths CSV readers, and the paths writer.

#include <algorithm>
#include <optional>
#include <numeric>
#include <memory>
#include <functional>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <atomic>
#include <fstream>
#include <unordered_map>

#include <sys/mman.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#define JG_SSE2_SCAN 1
#endif
#include <sys/stat.h>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "journeys/assemble.hpp"
#include "io/csv.hpp"
#include "journeys/paths.hpp"
#include "io/epoch_range.hpp"
#include "io/paths_fast.hpp"
#include "io/stops.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {
namespace {

using detail::CsvReader;

constexpr std::size_t kMaxSkippedExamples = 5;

// Column positions from the header row.
class Header {
 public:
  explicit Header(CsvReader& r) : reader_(r) {
    if (!r.next()) throw ParseError(r.name(), 0, 0, "", "", "empty file: expected a header row");
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::string name(detail::trim(r.field(i)));
      std::size_t bad = detail::utf8_invalid_at(name);
      if (bad != std::string::npos)
        throw ParseError(r.name(), r.line(), r.column(i), "", name,
                         "header name " + detail::show(name) + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
      names_.push_back(std::move(name));
      columns_.push_back(r.column(i));
    }
    line_ = r.line();
    r.set_field_names(names_);
  }
  std::size_t size() const { return names_.size(); }
  const std::string& name(std::size_t i) const { return names_[i]; }
  const std::vector<std::string>& names() const { return names_; }

  // Index of a column; npos for an absent optional column (noted in the report).
  std::size_t resolve(const Column& c, const char* role, BuildReport& rep) const {
    if (c.name.empty()) return npos;
    std::size_t found = npos;
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == c.name) {
        if (found != npos)
          throw ParseError(reader_.name(), line_, columns_[i], c.name, c.name,
                           "column '" + c.name + "' appears twice (fields " + std::to_string(found + 1) + " and " +
                               std::to_string(i + 1) + ")");
        found = i;
      }
    if (found != npos) return found;
    if (!c.required) {
      rep.notes.push_back(std::string("no ") + role + " column '" + c.name + "'");
      return npos;
    }
    std::string msg = std::string("missing ") + role + " column '" + c.name + "'; the header has: ";
    for (std::size_t i = 0; i < names_.size(); ++i) msg += (i ? ", '" : "'") + names_[i] + "'";
    std::string best;
    std::size_t best_d = 3;
    for (const auto& n : names_) {
      std::size_t d = detail::iequals(n, c.name) ? 0 : detail::edit_distance(n, c.name);
      if (d < best_d) {
        best_d = d;
        best = n;
      }
    }
    if (!best.empty()) msg += " (did you mean '" + best + "'?)";
    if (names_.size() == 1 && names_[0].find_first_of(",;\t|") != std::string::npos)
      msg += " (the header is one field: is the delimiter right?)";
    throw ParseError(reader_.name(), line_, 0, c.name, "", msg);
  }
  static constexpr std::size_t npos = ~std::size_t(0);

 private:
  CsvReader& reader_;
  std::vector<std::string> names_;
  std::vector<std::uint64_t> columns_;
  std::uint64_t line_ = 1;
};

// The record functions below read a CsvReader (the general tokenizer) or a FastRow (the scanner of plain
// rows in parse_piece): the same code checks a row on both paths, so results and messages are one.

// A row with more fields than the header is reported at its first extra field, one with fewer at its
// last field (the row ends there).
template <class Record>
void check_width(const Record& r, const Header& h) {
  const std::size_t n = r.size(), want = h.size();
  if (n == want) return;
  const std::string expected = "expected " + std::to_string(want) + " fields (as in the header), found " + std::to_string(n);
  if (n > want) {
    r.fail(want, "",
           expected + "; the first extra field is " + detail::show(r.field(want)) +
               (n == want + 1 && r.field(want).empty() ? " (a trailing delimiter?)" : ""));
  }
  std::string missing;
  for (std::size_t i = n; i < want; ++i) missing += (i > n ? ", '" : "'") + h.name(i) + "'";
  r.fail(n - 1, h.name(n - 1),
         expected + "; the row ends after " + detail::show(r.field(n - 1)) + " (missing " + missing + ")");
}

// Trimmed text of a name field (touchpoint, segment, journey id): non-empty, valid UTF-8.
template <class Record>
std::string_view name_field(const Record& r, std::size_t i, const std::string& field, const char* what) {
  std::string_view v = detail::trim(r.field(i));
  if (v.empty())
    r.fail(i, field, std::string("empty ") + what + (r.field(i).empty() ? "" : " (only blanks: " + detail::show(r.field(i)) + ")"));
  std::size_t bad = detail::utf8_invalid_at(v);
  if (bad != std::string_view::npos)
    r.fail(i, field, std::string(what) + " " + detail::show(v) + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  return v;
}

double count_field(const CsvReader& r, std::size_t i, const std::string& field) {
  auto v = detail::parse_double(r.field(i));
  if (!v) r.fail(i, field, "expected a finite number, got " + detail::show(r.field(i)));
  if (*v < 0) r.fail(i, field, "negative count " + detail::show(r.field(i)));
  if (*v >= kMaxWeight) r.fail(i, field, "count " + detail::show(r.field(i)) + " is too large (the limit is 2^62)");
  if (*v > 0 && *v < kMinWeight)
    r.fail(i, field, "count " + detail::show(r.field(i)) + " is too small (non-zero counts must be at least 2^-64)");
  return *v + 0.0;  // "-0" counts as 0
}

// Runs one row's parse; with skip_bad_rows a ParseError skips the row and is counted.
template <class F>
bool guarded_row(const CsvFormat& fmt, BuildReport& rep, F&& row) {
  if (!fmt.skip_bad_rows) {
    row();
    return true;
  }
  try {
    row();
    return true;
  } catch (const ParseError& e) {
    ++rep.rows_skipped;
    if (rep.skipped_examples.size() < kMaxSkippedExamples) rep.skipped_examples.push_back(e.what());
    return false;
  }
}

// The next record. With skip_bad_rows, a record the tokenizer rejects (NUL byte, text after a closing
// quote, over-long field) is counted as a row, skipped and reported like any other malformed row.
bool next_record(CsvReader& r, const CsvFormat& fmt, BuildReport& rep, std::uint64_t& row) {
  while (true) {
    try {
      return r.next();
    } catch (const ParseError& e) {
      if (!fmt.skip_bad_rows || !r.skipping()) throw;
      ++row;
      ++rep.rows_skipped;
      if (rep.skipped_examples.size() < kMaxSkippedExamples) rep.skipped_examples.push_back(e.what());
    }
  }
}

void report_progress(const Execution& exec, const CsvReader& r, std::uint64_t row) {
  if (exec.progress && (row & 0xFFFF) == 0 && r.total_bytes() > 0)
    if (!exec.progress(double(r.bytes_read()) / double(r.total_bytes()), "read"))
      throw Interrupted("cancelled by the progress callback while reading " + r.name());
}

bool parse_flag(std::string_view s, bool& out) {
  // The usual spellings first, without the case-blind compares.
  if (s == "0" || s == "false") {
    out = false;
    return true;
  }
  if (s == "1" || s == "true") {
    out = true;
    return true;
  }
  s = detail::trim(s);
  if (s.empty() || s == "0" || s == "0.0" || detail::iequals(s, "false") || detail::iequals(s, "no") ||
      detail::iequals(s, "f") || detail::iequals(s, "n")) {
    out = false;
    return true;
  }
  if (s == "1" || s == "1.0" || detail::iequals(s, "true") || detail::iequals(s, "yes") || detail::iequals(s, "t") ||
      detail::iequals(s, "y")) {
    out = true;
    return true;
  }
  return false;
}

// The columns of an events file and how to read one row of it.
struct EventColumns {
  explicit EventColumns(CsvReader& r, const EventCsvOptions& o, BuildReport& rep) : h(r), parser(o.time_format) {
    cj = h.resolve(o.journey, "journey", rep);
    ct = h.resolve(o.time, "time", rep);
    cp = h.resolve(o.touchpoint, "touchpoint", rep);
    cc = h.resolve(o.conversion, "conversion", rep);
    cv = h.resolve(o.value, "value", rep);
    cs = h.resolve(o.segment, "segment", rep);
    if (cj == Header::npos) throw InvalidArgument("the journey column name is empty");
    if (cp == Header::npos) throw InvalidArgument("the touchpoint column name is empty");
    EventCsvOptions used = o;  // the report names the columns read
    for (auto [column, at] : {std::pair{&used.journey, cj}, {&used.time, ct}, {&used.touchpoint, cp},
                              {&used.conversion, cc}, {&used.value, cv}, {&used.segment, cs}})
      if (at == Header::npos) column->name.clear();
    rep.notes.insert(rep.notes.begin(), columns_note(used));
    if (cv != Header::npos && cc == Header::npos)
      rep.notes.push_back("value column '" + o.value.name + "' is ignored without a conversion column");
    stored = parser.unit();
  }
  Header h;
  std::size_t cj, ct, cp, cc, cv, cs;
  TimeParser parser;
  TimeUnit stored;
  bool has_time() const { return ct != Header::npos; }
  bool has_segments() const { return cs != Header::npos; }
};

// One row of an events file (views into the reader's current record).
struct EventRow {
  std::string_view journey, touchpoint, segment;
  std::int64_t time = 0;
  bool epoch = false;  // the time was an epoch number
  bool converted = false;
  double value = 0;
};

template <class Record>
EventRow parse_event_row(const Record& r, const EventColumns& c) {
  const Header& h = c.h;
  check_width(r, h);
  EventRow row;
  // Journey ids are only compared, never printed: any bytes will do.
  row.journey = detail::trim(r.field(c.cj));
  if (row.journey.empty())
    r.fail(c.cj, h.name(c.cj),
           std::string("empty journey id") + (r.field(c.cj).empty() ? "" : " (only blanks: " + detail::show(r.field(c.cj)) + ")"));
  if (c.ct != Header::npos) {
    try {
      row.time = c.parser.parse(r.field(c.ct), &row.epoch);
    } catch (const InvalidArgument& e) {
      r.fail(c.ct, h.name(c.ct), e.what());
    }
  }
  row.touchpoint = name_field(r, c.cp, h.name(c.cp), "touchpoint");
  if (c.cc != Header::npos && !parse_flag(r.field(c.cc), row.converted))
    r.fail(c.cc, h.name(c.cc), "expected a conversion flag (1/0, true/false, yes/no), got " + detail::show(r.field(c.cc)));
  if (c.cc != Header::npos && c.cv != Header::npos && !detail::trim(r.field(c.cv)).empty()) {
    auto pv = detail::parse_double(r.field(c.cv));
    if (!pv) r.fail(c.cv, h.name(c.cv), "expected a finite number, got " + detail::show(r.field(c.cv)));
    if (row.converted && *pv < 0) r.fail(c.cv, h.name(c.cv), "negative conversion value " + detail::show(r.field(c.cv)));
    if (row.converted && *pv >= kMaxWeight)
      r.fail(c.cv, h.name(c.cv), "conversion value " + detail::show(r.field(c.cv)) + " is too large (the limit is 2^62)");
    if (row.converted && *pv > 0 && *pv < kMinWeight)
      r.fail(c.cv, h.name(c.cv), "conversion value " + detail::show(r.field(c.cv)) +
                                     " is too small (non-zero values must be at least 2^-64)");
    row.value = *pv;
  }
  if (c.cs != Header::npos) row.segment = name_field(r, c.cs, h.name(c.cs), "segment");
  return row;
}

// What kinds of time a file's rows hold, and the epoch range check over them. A failed check stops the read
// even with skip_bad_rows: it is about the whole column, not one malformed row.
class TimeTracker {
 public:
  explicit TimeTracker(const EventColumns& c) : c_(c), range_(c.parser) {}
  // A row that parsed; a failed check is kept for raise(), outside the row guard that skips bad rows.
  void note(const CsvReader& r, const EventRow& e) {
    if (!c_.has_time()) return;
    (e.epoch ? epochs_ : dates_) = true;
    if (!e.epoch || pending_) return;
    if (auto msg = range_.add(e.time, r.field(c_.ct), r.line(), r.column(c_.ct)))
      pending_.emplace(r.name(), r.line(), r.column(c_.ct), c_.h.name(c_.ct),
                       std::string(detail::trim(r.field(c_.ct)).substr(0, 200)), *msg);
  }
  void raise() const {
    if (pending_) throw *pending_;
  }
  void finish(const CsvReader& r) const {
    if (auto msg = range_.finish())
      throw ParseError(r.name(), range_.largest_line(), range_.largest_column(), c_.h.name(c_.ct), range_.largest_text(),
                       *msg);
  }
  TimeKind kind() const {
    return epochs_ && dates_ ? TimeKind::mixed : dates_ ? TimeKind::dates : TimeKind::epoch;
  }

 private:
  const EventColumns& c_;
  detail::EpochRange range_;
  bool epochs_ = false, dates_ = false;
  std::optional<ParseError> pending_;
};

// Hashes of the journey ids already assembled, for telling a grouped file from one whose ids come back. One
// lookup per journey goes to a random slot of a table of millions: the merge prefetches the slots of the next
// journeys' hashes, which it knows in advance, so that lookups do not wait for memory one after another.
class SeenIds {
 public:
  SeenIds() : slots_(1024, 0) {}
  void prefetch(std::uint64_t key) const noexcept { __builtin_prefetch(slots_.data() + slot(key)); }
  bool contains(std::uint64_t key) const noexcept {
    key = key ? key : 1;  // 0 marks an empty slot; 1 stands for it (a collision costs only a fallback)
    for (std::size_t i = slot(key);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == key) return true;
      if (slots_[i] == 0) return false;
    }
  }
  void insert(std::uint64_t key) {
    key = key ? key : 1;
    if ((count_ + 1) * 2 > slots_.size()) {
      std::vector<std::uint64_t> old(slots_.size() * 2, 0);
      old.swap(slots_);
      count_ = 0;
      for (std::uint64_t k : old)
        if (k) insert(k);
    }
    std::size_t i = slot(key);
    while (slots_[i] != 0 && slots_[i] != key) i = (i + 1) & (slots_.size() - 1);
    if (slots_[i] == 0) ++count_;
    slots_[i] = key;
  }

 private:
  std::size_t slot(std::uint64_t key) const noexcept { return detail::mix64(key) & (slots_.size() - 1); }
  std::vector<std::uint64_t> slots_;
  std::size_t count_ = 0;
};

// Whether a and b hold the same bytes; ids of up to 8 bytes (most journey ids) are compared as words.
inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.size() <= 8) return detail::load_word(a.data(), a.size()) == detail::load_word(b.data(), b.size());
  return std::memcmp(a.data(), b.data(), a.size()) == 0;
}

// Whether a comes after b in (length, bytes) order, bytes compared as unsigned; ids of up to 8 bytes are
// compared as words.
inline bool id_after(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return a.size() > b.size();
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (a.size() <= 8)  // the first byte into the high bits: word order is byte order
    return __builtin_bswap64(detail::load_word(a.data(), a.size())) >
           __builtin_bswap64(detail::load_word(b.data(), b.size()));
#endif
  return std::memcmp(a.data(), b.data(), a.size()) > 0;
}

// The journey ids already assembled, for telling a grouped file from one whose ids come back. While the ids
// come in increasing order (shorter first, then by bytes: "9" before "10", so numbered ids written as numbers
// keep this order), none can have come before and no lookup is needed: only the greatest id is kept, with
// each id's hash in a list. The first id out of that order moves the hashes into a SeenIds table, which
// answers from then on (a hash collision there reads as a repeat: it costs only a fallback).
class FinishedIds {
 public:
  void prefetch(std::uint64_t hash) const noexcept {
    if (!sorted_) table_.prefetch(hash);
  }
  // Whether `id` (hash `hash`) was finished before; called before the id's journey starts.
  bool seen(std::string_view id, std::uint64_t hash) {
    if (sorted_ && (hashes_.empty() || id_after(id, last_))) return false;
    to_table();
    return table_.contains(hash);
  }
  void finish(std::string_view id, std::uint64_t hash) {
    if (sorted_ && (hashes_.empty() || id_after(id, last_))) {
      hashes_.push_back(hash);
      last_.assign(id);
      return;
    }
    to_table();
    table_.insert(hash);
  }

 private:
  void to_table() {
    if (!sorted_) return;
    sorted_ = false;
    for (std::uint64_t h : hashes_) table_.insert(h);
    std::vector<std::uint64_t>().swap(hashes_);
  }
  bool sorted_ = true;
  std::string last_;
  std::vector<std::uint64_t> hashes_;
  SeenIds table_;
};

// One journey id's events, collected from consecutive rows of a file grouped by journey.
struct RowEvents {
  std::vector<std::uint32_t> tp, seg;
  std::vector<std::int64_t> times;
  std::vector<std::uint8_t> conv;
  std::vector<double> values;
  std::vector<std::uint64_t> lines;
  bool segments = false;
  void clear() {
    tp.clear();
    seg.clear();
    times.clear();
    conv.clear();
    values.clear();
    lines.clear();
  }
  std::size_t size() const { return tp.size(); }
  std::uint32_t touchpoint(std::uint32_t e) const { return tp[e]; }
  std::int64_t time(std::uint32_t e) const { return times[e]; }
  bool converted(std::uint32_t e) const { return conv[e] != 0; }
  double value(std::uint32_t e) const { return values[e]; }
  bool has_segments() const { return segments; }
  std::uint32_t segment(std::uint32_t e) const { return seg[e]; }
  std::string where(std::uint32_t e) const { return "line " + std::to_string(lines[e]) + ": "; }
};

using ReaderFactory = std::function<std::unique_ptr<CsvReader>()>;

// Streams a file whose rows are grouped by journey id: each journey is assembled as soon as its rows end,
// so memory holds the result and one journey, not every event. Returns nothing (and leaves rep untouched)
// as soon as a journey id reappears after others: the caller then reads the file as a whole.
std::optional<JourneySet> read_events_streaming(const ReaderFactory& open, const EventCsvOptions& o,
                                                const JourneyOptions& jo, BuildReport& rep, const Execution& exec) {
  BuildReport local = rep;
  auto reader = open();
  CsvReader& r = *reader;
  EventColumns c(r, o, local);
  JourneySetBuilder out(c.has_time() && jo.store_timestamps, c.stored, c.has_segments());
  RowEvents cur;
  cur.segments = c.has_segments();
  detail::JourneyAssembler<RowEvents> assembler(cur, jo, local, out, c.has_time(), c.stored);
  std::vector<std::uint32_t> idx;
  std::string current;  // the journey id being collected
  auto flush = [&] {
    idx.resize(cur.size());
    std::iota(idx.begin(), idx.end(), 0u);
    assembler.order_by_time(idx.data(), idx.size());
    if (jo.store_keys) out.key(std::string_view(current));
    assembler.journey(idx.data(), idx.size());
    cur.clear();
  };
  TimeTracker times(c);
  FinishedIds finished;
  bool have_current = false, reserved = false;
  std::uint64_t row = 0, events = 0, journeys = 0;
  while (next_record(r, o.csv, local, row)) {
    ++row;
    report_progress(exec, r, row);
    bool regrouped = false;
    guarded_row(o.csv, local, [&] {
      const EventRow e = parse_event_row(r, c);
      times.note(r, e);
      if (!have_current || e.journey != current) {
        if (have_current) {
          flush();
          finished.finish(current, detail::hash_bytes(current));
          ++journeys;
        }
        // An id seen before (or, very rarely, a colliding hash): not grouped.
        if (finished.seen(e.journey, detail::hash_bytes(e.journey))) {
          regrouped = true;
          return;
        }
        current.assign(e.journey);
        have_current = true;
      }
      cur.tp.push_back(out.touchpoint(e.touchpoint));
      if (c.has_time()) cur.times.push_back(e.time);
      cur.conv.push_back(e.converted ? 1 : 0);
      cur.values.push_back(e.value);
      if (c.has_segments()) cur.seg.push_back(out.segment(e.segment));
      cur.lines.push_back(r.line());
      ++events;
    });
    times.raise();
    if (regrouped) return std::nullopt;
    // Reserve the result once the average row length is known, so it never grows by doubling.
    if (!reserved && row == 65536 && r.total_bytes() > 0) {
      reserved = true;
      const double rows_left = double(r.total_bytes()) / double(r.bytes_read()) * double(row);
      const double per_row = double(events) / double(row), journeys_per_row = double(journeys + 1) / double(row);
      out.reserve(std::size_t(rows_left * journeys_per_row * 1.1 + 1024), std::size_t(rows_left * per_row * 1.02 + 1024));
    }
  }
  if (have_current) flush();
  local.blank_lines += r.blank_lines();
  local.rows += row;
  if (events == 0) {
    rep = local;
    throw DataError(r.name() + ": no events (the file has a header but no valid rows)");
  }
  times.finish(r);
  out.set_time_kind(times.kind(), c.parser.epoch_unit());
  JourneySet result = out.finish();
  local.journeys += result.size();
  local.touches += result.touch_count();
  rep = local;
  return result;
}

// Reads every event into columns first, then groups them: for files not grouped by journey id.
JourneySet read_events_columns(CsvReader& r, const EventCsvOptions& o, const JourneyOptions& jo, BuildReport& rep,
                               const Execution& exec) {
  EventColumns c(r, o, rep);
  Dictionary journeys, touchpoints, segments;
  std::vector<std::int64_t> jid, times;
  std::vector<std::uint32_t> tp, seg;
  std::vector<std::uint8_t> conv;
  std::vector<double> value;
  TimeTracker tracker(c);
  std::uint64_t row = 0;
  while (next_record(r, o.csv, rep, row)) {
    ++row;
    report_progress(exec, r, row);
    guarded_row(o.csv, rep, [&] {
      const EventRow e = parse_event_row(r, c);
      tracker.note(r, e);
      jid.push_back(journeys.intern(e.journey));
      if (c.has_time()) times.push_back(e.time);
      tp.push_back(touchpoints.intern(e.touchpoint));
      if (c.cc != Header::npos) conv.push_back(e.converted ? 1 : 0);
      if (c.cc != Header::npos && c.cv != Header::npos) value.push_back(e.value);
      if (c.has_segments()) seg.push_back(segments.intern(e.segment));
    });
    tracker.raise();
  }
  rep.blank_lines += r.blank_lines();
  if (tp.empty()) {
    rep.rows += row;
    throw DataError(r.name() + ": no events (the file has a header but no valid rows)");
  }
  tracker.finish(r);
  EventArrays ev;
  ev.journey = Span<const std::int64_t>(jid.data(), jid.size());
  ev.time = Span<const std::int64_t>(times.data(), times.size());
  ev.time_unit = c.stored;
  ev.time_kind = tracker.kind();
  ev.epoch_unit = c.parser.epoch_unit();
  ev.journey_names = Span<const std::string>(journeys.names().data(), journeys.names().size());
  ev.touchpoint = Span<const std::uint32_t>(tp.data(), tp.size());
  ev.touchpoint_names = touchpoints.names();
  ev.conversion = Span<const std::uint8_t>(conv.data(), conv.size());
  ev.value = Span<const double>(value.data(), value.size());
  if (c.has_segments()) {
    ev.segment = Span<const std::uint32_t>(seg.data(), seg.size());
    ev.segment_names = segments.names();
  }
  // Rows skipped are counted in rows too: rows is everything read.
  rep.rows += row - tp.size();
  return build_journeys(ev, jo, &rep, exec);
}

// ------------------------------------------------------------------------------ the parallel, chunked read
//
// The file is read in blocks; each block is cut at record boundaries into pieces of about kChunkBytes, whose
// positions depend only on the bytes (never on the thread count). Pieces are tokenized and validated on every
// thread, each into its own columns with its own dictionaries, by the same code as the serial reader
// (parse_event_row), and merged in file order: dictionaries are interned piece by piece, so ids come out in
// first-seen order as in one pass, and the first error of the file is the first error of the first piece that
// has one. The result, the report and every message are those of read_events_streaming; a file that is not
// grouped by journey (or that needs the serial reader's resynchronisation: skipped rows in a file with quotes)
// returns nothing and is read by the serial code.

constexpr std::size_t kChunkBytes = std::size_t(1) << 20;
constexpr std::size_t kBlockBytes = std::size_t(1) << 23;
// Blocks of a file mapped into memory: their pieces' columns are held a few at a time (see parse_and_merge's
// window), so a block's size costs no memory, and fewer blocks mean fewer waits at a block's end.
constexpr std::size_t kMappedBlockBytes = std::size_t(1) << 26;

// A piece's touchpoint dictionary with a quicker way in for names of up to 8 bytes (most touchpoint names):
// such a name is its bytes read as one word (a name holds no NUL byte, so the word tells its length too),
// looked up in a small open-addressing table of words without hashing or comparing strings. Ids are the
// dictionary's, in first-seen order.
class PieceNames {
 public:
  std::uint32_t intern(std::string_view name) {
    if (name.size() > 8) return dict_.intern(name);
    const std::uint64_t w = detail::load_word(name.data(), name.size());
    if (keys_.empty()) grow(64);
    std::size_t i = detail::mix64(w) & (keys_.size() - 1);
    while (keys_[i] != 0 && keys_[i] != w) i = (i + 1) & (keys_.size() - 1);
    if (keys_[i] == w) return ids_[i];
    const std::uint32_t id = dict_.intern(name);
    keys_[i] = w;
    ids_[i] = id;
    if (++count_ * 2 > keys_.size()) grow(keys_.size() * 2);
    return id;
  }
  const std::string& name(std::uint32_t id) const { return dict_.name(id); }
  std::size_t size() const noexcept { return dict_.size(); }
  void clear() {
    dict_ = Dictionary();
    std::fill(keys_.begin(), keys_.end(), 0);
    count_ = 0;
  }

 private:
  void grow(std::size_t slots) {
    std::vector<std::uint64_t> old_keys(slots, 0);
    std::vector<std::uint32_t> old_ids(slots, 0);
    old_keys.swap(keys_);
    old_ids.swap(ids_);
    for (std::size_t k = 0; k < old_keys.size(); ++k)
      if (old_keys[k]) {
        std::size_t i = detail::mix64(old_keys[k]) & (keys_.size() - 1);
        while (keys_[i] != 0) i = (i + 1) & (keys_.size() - 1);
        keys_[i] = old_keys[k];
        ids_[i] = old_ids[k];
      }
  }
  Dictionary dict_;
  std::vector<std::uint64_t> keys_;  // 0 = empty
  std::vector<std::uint32_t> ids_;
  std::size_t count_ = 0;
};

// The rows of one piece.
struct Piece {
  std::size_t begin = 0, end = 0;  // bytes of the block
  std::uint64_t first_line = 1;
  std::deque<std::string> escaped;  // journey ids that held doubled quotes (not views of the block)
  std::vector<std::uint32_t> tp, seg;
  PieceNames tps;
  Dictionary segs;
  std::vector<std::int64_t> time;
  std::vector<std::uint8_t> conv;
  std::vector<double> value;
  std::vector<std::uint64_t> line;
  std::vector<std::uint32_t> starts;   // rows where the journey id changes (0 first)
  std::vector<std::string_view> ids;   // the journey id at each start
  std::vector<std::uint64_t> hashes;   // hash_bytes of the journey id at each start
  std::uint64_t records = 0, skipped = 0, blank_lines = 0;
  std::vector<std::string> examples;
  std::optional<ParseError> fatal;
  bool epochs = false, dates = false;
  std::optional<detail::EpochRange> range;
  // Ready for another piece; the columns keep their memory (no new pages for every block).
  void reset(std::size_t b, std::size_t e) {
    begin = b;
    end = e;
    first_line = 1;
    escaped.clear();
    tp.clear();
    seg.clear();
    tps.clear();
    segs = Dictionary();
    time.clear();
    conv.clear();
    value.clear();
    line.clear();
    starts.clear();
    ids.clear();
    hashes.clear();
    records = skipped = blank_lines = 0;
    examples.clear();
    fatal.reset();
    epochs = dates = false;
    range.reset();
  }
};

// ---- the fast path for plain rows
//
// Most rows of an events file are plain: unquoted fields, one delimiter between them, a LF or CRLF at the end.
// Such a row is cut into fields by a scan of 8 bytes at a time and checked by the same parse_event_row as the
// tokenizer's rows, through a FastRow; anything else (a quote, a NUL byte, a lone CR, a blank line, a width
// that is not the header's, a field over max_field_bytes, any value that fails a check) is handed back to the
// general tokenizer for that one record, which then gives the exact result or message it always gives.

// Thrown by FastRow::fail: the row is not for the fast path (never leaves parse_piece).
struct NotPlain {};

// One plain row, cut into fields (views of the piece's text), read by parse_event_row like a CsvReader.
struct FastRow {
  std::vector<std::string_view> fields;
  std::size_t count = 0;
  const char* line_start = nullptr;
  std::uint64_t at_line = 0;
  std::size_t size() const noexcept { return count; }
  std::string_view field(std::size_t i) const noexcept { return fields[i]; }
  std::uint64_t line() const noexcept { return at_line; }
  std::uint64_t column(std::size_t i) const noexcept { return std::uint64_t(fields[i].data() - line_start) + 1; }
  [[noreturn]] void fail(std::size_t, const std::string&, const std::string&) const { throw NotPlain{}; }
};

constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
// High bit set in the bytes of w equal to byte b; exact for the lowest such byte (a borrow only marks bytes
// above a true match), which is all the scan asks for.
inline std::uint64_t bytes_equal(std::uint64_t w, std::uint64_t b) noexcept {
  const std::uint64_t x = w ^ (b * kOnes);
  return (x - kOnes) & ~x & kHighs;
}

// Cuts the record at d[p] (p < n) into row.fields when it is a plain row of `want` fields of at most max_field
// bytes: with `plain` the piece holds no quote, CR or NUL, so only the delimiter and LF stop the scan. Sets
// *next to the start of the next record and *ended_line when a line end was consumed. False for anything else.
template <bool plain>
bool cut_plain_row(const char* d, std::size_t n, std::size_t p, unsigned char delim, std::size_t want,
                   std::size_t max_field, FastRow& row, std::size_t* next, bool* ended_line,
                   detail::StopScanner& stops) {
  if (d[p] == '\n' || d[p] == '\r') return false;  // a blank line: the tokenizer counts it
  std::size_t q = p, field = p, k = 0;
  while (true) {
    // The next stop at or after q: the delimiter, LF, and without `plain` also '"', CR, NUL.
    if (plain) {
      q = stops.next(q);
      goto found;
    }
    while (q + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, d + q, 8);
      std::uint64_t m = bytes_equal(w, delim) | bytes_equal(w, '\n');
      if (!plain) m |= bytes_equal(w, '"') | bytes_equal(w, '\r') | ((w - kOnes) & ~w & kHighs);
      if (m) {
        q += static_cast<std::size_t>(__builtin_ctzll(m)) >> 3;
        goto found;
      }
      q += 8;
    }
    while (q < n) {
      const char ch = d[q];
      if (ch == static_cast<char>(delim) || ch == '\n' || (!plain && (ch == '"' || ch == '\r' || ch == '\0'))) goto found;
      ++q;
    }
  found:
    if (q - field > max_field || k == want) return false;
    if (q == n) {  // the end of the text ends the record
      row.fields[k++] = std::string_view(d + field, q - field);
      *next = n;
      *ended_line = false;
      break;
    }
    const char ch = d[q];
    if (ch == static_cast<char>(delim)) {
      row.fields[k++] = std::string_view(d + field, q - field);
      field = ++q;
      continue;
    }
    if (ch == '\n') {
      row.fields[k++] = std::string_view(d + field, q - field);
      *next = q + 1;
      *ended_line = true;
      break;
    }
    if (ch == '\r' && q + 1 < n && d[q + 1] == '\n') {  // CRLF
      row.fields[k++] = std::string_view(d + field, q - field);
      *next = q + 2;
      *ended_line = true;
      break;
    }
    return false;  // a quote, a NUL byte or a lone CR: the tokenizer's rules
  }
  if (k != want) return false;
  row.count = k;
  row.line_start = d + p;
  return true;
}

// known_plain: the piece is known to hold no quote, CR or NUL byte (else it is searched for them).
void parse_piece(std::string_view block, Piece& pc, const EventColumns& c, const EventCsvOptions& o,
                 const std::string& name, bool known_plain) {
  const std::string_view text = block.substr(pc.begin, pc.end - pc.begin);
  CsvReader r(text, name, o.csv, pc.first_line, false);
  r.set_field_names(c.h.names());
  pc.range.emplace(c.parser);
  BuildReport local;
  std::uint64_t row = 0;
  // The last touchpoint name over 8 bytes and its id: runs of one name are common and skip the hash (a
  // shorter name is looked up as one word, which costs less than the comparison).
  std::string_view last_tp;
  std::uint32_t last_id = 0;
  // One checked row into the piece's columns; true when the epoch range check stops the read.
  auto store = [&](const auto& rec, const EventRow& e) {
    if (c.has_time()) {
      (e.epoch ? pc.epochs : pc.dates) = true;
      if (e.epoch)
        if (auto msg = pc.range->add(e.time, rec.field(c.ct), rec.line(), rec.column(c.ct))) {
          pc.fatal.emplace(name, rec.line(), rec.column(c.ct), c.h.name(c.ct),
                           std::string(detail::trim(rec.field(c.ct)).substr(0, 200)), *msg);
          return true;
        }
    }
    // Journey boundaries and id hashes here, on every thread, leave the merge a step per journey.
    const std::string_view j = e.journey;
    if (pc.ids.empty() || !same_bytes(j, pc.ids.back())) {
      pc.starts.push_back(static_cast<std::uint32_t>(pc.tp.size()));
      if (j.data() < text.data() || j.data() + j.size() > text.data() + text.size()) {
        pc.escaped.emplace_back(j);
        pc.ids.push_back(pc.escaped.back());
      } else {
        pc.ids.push_back(j);
      }
      pc.hashes.push_back(detail::hash_bytes(j));
    }
    if (e.touchpoint.size() <= 8) {
      const std::size_t known = pc.tps.size();
      pc.tp.push_back(pc.tps.intern(e.touchpoint));
      // A new name may move the dictionary's strings (a name of up to 15 bytes lives inside its string
      // object), and last_tp with them: the next long name is looked up again.
      if (pc.tps.size() != known) last_tp = std::string_view();
    } else {
      if (e.touchpoint != last_tp) {
        last_id = pc.tps.intern(e.touchpoint);
        last_tp = pc.tps.name(last_id);
      }
      pc.tp.push_back(last_id);
    }
    if (c.has_time()) pc.time.push_back(e.time);
    pc.conv.push_back(e.converted ? 1 : 0);
    pc.value.push_back(e.value);
    if (c.has_segments()) pc.seg.push_back(pc.segs.intern(e.segment));
    pc.line.push_back(rec.line());
    return false;
  };
  const char* d = text.data();
  const std::size_t n = text.size();
  const bool plain =
      known_plain || (!std::memchr(d, '"', n) && !std::memchr(d, '\r', n) && !std::memchr(d, '\0', n));
  const auto delim = static_cast<unsigned char>(o.csv.delimiter);
  const std::size_t want = c.h.size(), max_field = o.csv.max_field_bytes;
  FastRow fast;
  fast.fields.resize(want);
  detail::StopScanner stops(d, n, delim);
  std::size_t p = 0;
  std::uint64_t line = pc.first_line;
  bool stop = false;
  try {
    while (p < n && !stop) {
      std::size_t next = 0;
      bool ended_line = false;
      if (plain ? cut_plain_row<true>(d, n, p, delim, want, max_field, fast, &next, &ended_line, stops)
                : cut_plain_row<false>(d, n, p, delim, want, max_field, fast, &next, &ended_line, stops)) {
        fast.at_line = line;
        bool checked = true;
        EventRow e;
        try {
          e = parse_event_row(fast, c);
        } catch (const NotPlain&) {
          checked = false;
        }
        if (checked) {
          ++row;
          stop = store(fast, e);
          p = next;
          line += ended_line;
          continue;
        }
      }
      // The general tokenizer for this record (and the blank lines before it).
      r.restart(p, line);
      if (!next_record(r, o.csv, local, row)) break;
      ++row;
      guarded_row(o.csv, local, [&] { stop = store(r, parse_event_row(r, c)); });
      p = static_cast<std::size_t>(r.bytes_read());
      line = r.next_line();
    }
  } catch (const ParseError& e) {
    pc.fatal.emplace(e);
  }
  pc.records = row;
  pc.skipped = local.rows_skipped;
  pc.examples = std::move(local.skipped_examples);
  pc.blank_lines = r.blank_lines();
}

// A piece's rows as events of the journey assembler (touchpoint and segment ids mapped to the result's).
struct PieceSource {
  const Piece& pc;
  const std::vector<std::uint32_t>& tp_map;
  const std::vector<std::uint32_t>& seg_map;
  bool segments;
  std::uint32_t touchpoint(std::uint32_t e) const { return tp_map[pc.tp[e]]; }
  std::int64_t time(std::uint32_t e) const { return pc.time[e]; }
  bool converted(std::uint32_t e) const { return pc.conv[e] != 0; }
  double value(std::uint32_t e) const { return pc.value[e]; }
  bool has_segments() const { return segments; }
  std::uint32_t segment(std::uint32_t e) const { return seg_map[pc.seg[e]]; }
  std::string where(std::uint32_t e) const { return "line " + std::to_string(pc.line[e]) + ": "; }
};

// Physical lines in text that ends at a line end or the end of input: LF, CRLF and lone CR, as the tokenizer
// counts them outside quotes.
std::uint64_t count_lines(std::string_view t) {
  std::uint64_t lines = 0;
  const char* d = t.data();
  const std::size_t n = t.size();
  // Without a CR every line end is a LF: one counting pass (vectorised) instead of a search per line.
  if (!std::memchr(d, '\r', n)) return static_cast<std::uint64_t>(std::count(d, d + n, '\n'));
  for (std::size_t i = 0; i < n;) {
    const void* nl = std::memchr(d + i, '\n', n - i);
    const std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - d) : n;
    if (std::memchr(d + i, '\r', stop - i))
      for (std::size_t k = i; k < stop; ++k) lines += d[k] == '\r' && (k + 1 == n || d[k + 1] != '\n');
    lines += nl != nullptr;
    i = stop + 1;
  }
  return lines;
}

// Whether text holds a quote, and else its physical lines (count_lines); plain tells whether it holds no
// quote, CR or NUL byte (the fast path's rows). One pass over the bytes counts the LFs and looks for the other
// three together (16 bytes at a time on x86-64); only text with one of them is read again.
bool quote_or_lines(std::string_view t, std::uint64_t& lines, bool& plain) {
  const char* d = t.data();
  const std::size_t n = t.size();
  std::size_t i = 0;
  std::uint64_t lf = 0;
  bool other = false;  // a CR, a quote or a NUL byte
#ifdef JG_SSE2_SCAN
  const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), qt = _mm_set1_epi8('"'), nul = _mm_setzero_si128();
  while (i + 16 <= n && !other) {
    // Up to 255 blocks of 16 bytes: each byte of acc counts the LFs in its column (cmpeq gives -1 for a match).
    __m128i acc = _mm_setzero_si128(), any = _mm_setzero_si128();
    for (int b = 0; b < 255 && i + 16 <= n; ++b, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
      any = _mm_or_si128(any, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, qt)),
                                           _mm_cmpeq_epi8(v, nul)));
    }
    const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());  // the 16 counts, summed in two halves
    lf += std::uint64_t(_mm_cvtsi128_si64(sums)) + std::uint64_t(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
    other = _mm_movemask_epi8(any) != 0;
  }
#endif
  for (; i < n && !other; ++i) {
    lf += d[i] == '\n';
    other = d[i] == '\r' || d[i] == '"' || d[i] == '\0';
  }
  plain = !other;
  if (!other) {
    lines = lf;
    return false;
  }
  if (std::memchr(d, '"', n)) return true;
  lines = count_lines(t);
  return false;
}

// Cuts block[from, ...) into pieces at record boundaries, as the tokenizer reads them, and sets each piece's
// first line (from first_line). In a block without quotes every line end is a record boundary. With quotes the
// block is scanned as the tokenizer scans it: a quote opens a quoted field only at a field's start, "" inside
// it is a quote, and a line end inside it belongs to the field. With `last` false the tail after the block's
// last record boundary is left for the next block (*consumed says where it starts). Returns false when a block
// that is not the last holds no record boundary (a record longer than a block). With `plain`, (*plain)[k] is
// 1 when piece k is known to hold no quote, CR or NUL byte (0: not known).
template <class P>
bool cut_pieces(std::string_view block, std::size_t from, bool last, char delim, std::uint64_t first_line,
                std::vector<P>& pieces, std::size_t& consumed, std::uint64_t& next_line, const Execution& exec,
                std::vector<std::uint8_t>* plain = nullptr) {
  const char* d = block.data();
  const std::size_t n = block.size();
  std::size_t count = 0;
  auto add = [&](std::size_t b, std::size_t e) {
    if (count == pieces.size()) pieces.emplace_back();
    pieces[count++].reset(b, e);
  };
  // Pieces left from an earlier block beyond this one's are dropped once the cut is known.
  auto done = [&] { pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(count), pieces.end()); };
  // Text without quotes: every line end is a record boundary. The block is cut at the first line end after
  // each kChunkBytes, and each piece is searched for a quote while its lines are counted, on every thread;
  // a piece with a quote sends the block to the scan below.
  {
    // The end of the usable text: all of it in the last block, else after its last complete line end.
    std::size_t end = n;
    if (!last) {
      std::size_t k = n;
      while (k > from && d[k - 1] != '\n' && !(d[k - 1] == '\r' && k < n)) --k;
      end = k;
      if (end <= from) return false;  // no line end: no record boundary, quoted or not
    }
    std::size_t start = from;
    while (start < end) {
      std::size_t cut = start + kChunkBytes;
      if (cut >= end) {
        cut = end;
      } else {
        while (cut < end && d[cut] != '\n' && d[cut] != '\r') ++cut;
        if (cut < end) cut += (d[cut] == '\r' && cut + 1 < end && d[cut + 1] == '\n') ? 2 : 1;
      }
      add(start, cut);
      start = cut;
    }
    done();
    // Line numbers: each piece's lines counted on every thread, then summed in order.
    std::vector<std::uint64_t> lines(pieces.size());
    std::vector<std::uint8_t> quotes(pieces.size(), 0), clean(pieces.size(), 0);
    detail::parallel_for(pieces.size(), exec, "read", [&](std::size_t k) {
      const std::string_view text = block.substr(pieces[k].begin, pieces[k].end - pieces[k].begin);
      bool p = false;
      quotes[k] = quote_or_lines(text, lines[k], p);
      clean[k] = p;
    });
    if (std::find(quotes.begin(), quotes.end(), std::uint8_t(1)) == quotes.end()) {
      std::uint64_t line = first_line;
      for (std::size_t k = 0; k < pieces.size(); ++k) {
        pieces[k].first_line = line;
        line += lines[k];
      }
      consumed = end;
      next_line = line;
      if (plain) plain->swap(clean);
      return true;
    }
    count = 0;
  }
  std::size_t start = from, i = from, boundary = from;
  std::uint64_t line = first_line, piece_line = first_line, boundary_line = first_line;
  bool in_quote = false, field_start = true;
  while (i < n) {
    const char ch = d[i];
    if (in_quote) {
      if (ch == '"') {
        if (i + 1 >= n && !last) break;  // "" across the block end?
        if (i + 1 < n && d[i + 1] == '"') {
          i += 2;
          continue;
        }
        in_quote = false;
      } else if (ch == '\n') {
        ++line;
      }
      ++i;
      continue;
    }
    if (ch == '"' && field_start) {
      in_quote = true;
      field_start = false;
      ++i;
      continue;
    }
    if (ch != '\n' && ch != '\r') {
      field_start = ch == delim;
      ++i;
      continue;
    }
    if (ch == '\r' && i + 1 >= n && !last) break;  // CRLF across the block end?
    i += (ch == '\r' && i + 1 < n && d[i + 1] == '\n') ? 2 : 1;
    ++line;
    field_start = true;
    boundary = i;
    boundary_line = line;
    if (boundary - start >= kChunkBytes) {
      add(start, boundary);
      pieces[count - 1].first_line = piece_line;
      start = boundary;
      piece_line = boundary_line;
    }
  }
  const std::size_t end = last ? n : boundary;
  if (!last && boundary <= from) return false;
  if (end > start) {
    add(start, end);
    pieces[count - 1].first_line = piece_line;
  }
  done();
  consumed = end;
  next_line = last ? line : boundary_line;
  if (plain) plain->assign(pieces.size(), 0);
  return true;
}

// Where the bytes come from: text in memory (one block), a file read block by block, or a file mapped into
// memory (`mapped`: memory is the whole file, seen through blocks of the same sizes as a file read, so that
// the parsed columns of only one block are held at a time).
struct BlockSource {
  std::string_view memory;
  std::FILE* file = nullptr;
  std::uint64_t total = 0;
  bool mapped = false;
};

// A regular file mapped read-only for the block reader: the bytes are read in place on every thread, with no
// copy into a buffer. Pages behind the blocks already read are handed back as the read goes on (release), so
// the resident size stays near one block. Unmapped on destruction.
class MappedFile {
 public:
  // Maps `size` bytes of the open file; ok() is false when the system refuses (the caller then reads it).
  MappedFile(int fd, std::size_t size) : size_(size) {
    if (size == 0) return;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return;
    data_ = static_cast<const char*>(p);
    ::madvise(p, size, MADV_SEQUENTIAL);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  bool ok() const noexcept { return data_ != nullptr; }
  std::string_view view() const noexcept { return std::string_view(data_, size_); }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// The current block of a source: all of the text in memory, or kBlockBytes of the file read (mapped_bytes of a
// mapped one) after the tail kept from the block before.
struct BlockFeed {
  // mapped_block: the block size of a mapped file (kBlockBytes, or kMappedBlockBytes for a reader whose pieces'
  // columns do not grow with the block).
  BlockFeed(const BlockSource& source, const std::string& file_name, std::size_t mapped_block = kBlockBytes)
      : src(source), name(file_name), mapped_bytes(mapped_block), at_eof(source.file == nullptr && !source.mapped) {
    if (src.file || src.mapped) fill(0);
    else block = src.memory;
  }
  // Keeps block[keep_from, end) at the front and reads more after it.
  void fill(std::size_t keep_from) {
    const std::size_t kept = block.size() - keep_from;
    if (src.mapped) {
      offset += keep_from;
      block = src.memory.substr(offset, mapped_bytes + kept);
      at_eof = offset + block.size() == src.memory.size();
      release(offset);  // the pages before the block are read
      return;
    }
    if (kept && keep_from) std::memmove(buffer.data(), buffer.data() + keep_from, kept);
    offset += keep_from;
    if (buffer.size() < kBlockBytes + kept) buffer.resize(kBlockBytes + kept);
    std::size_t got = 0;
    while (!at_eof && kept + got < buffer.size()) {
      const std::size_t k = std::fread(buffer.data() + kept + got, 1, buffer.size() - kept - got, src.file);
      if (k == 0) {
        if (std::ferror(src.file)) throw IoError("error reading " + name + ": " + std::strerror(errno));
        at_eof = true;
      }
      got += k;
    }
    block = std::string_view(buffer.data(), kept + got);
  }
  // A mapped file's pages before byte `upto` of the file are read: hand them back (they stay in the page cache).
  // Nothing for other sources.
  void release(std::uint64_t upto) {
    if (!src.mapped) return;
    const std::size_t page = 4096, done = std::size_t(upto) / page * page;
    if (done > released) {
      ::madvise(const_cast<char*>(src.memory.data()) + released, done - released, MADV_DONTNEED);
      released = done;
    }
  }
  const BlockSource& src;
  const std::string& name;
  std::size_t mapped_bytes;
  std::vector<char> buffer;
  std::string_view block;
  bool at_eof;
  std::uint64_t offset = 0;  // bytes of the file before the block
  std::size_t released = 0;  // bytes of a mapped file handed back
};

// Runs parse(k) for the pieces k < n on up to exec's threads and merge(k) on the calling thread in increasing
// k, each piece merged as soon as it and every piece before it are parsed: the merge of one piece overlaps the
// parse of the next ones instead of waiting for the whole block. The calling thread parses too while the piece
// it must merge next is not ready. A piece is parsed only once fewer than `window` pieces before it wait for
// their merge (pieces k and k + window are never held at once, so the caller may keep window pieces' columns
// and reuse them). Pieces are merged in file order whatever the thread count, so results are the same bits.
// Returns false as soon as a merge does (the other threads stop after their current piece); an exception from
// either side is rethrown once every thread has stopped.
template <class Parse, class Merge>
bool parse_and_merge(std::size_t n, std::size_t window, const Execution& exec, Parse&& parse, Merge&& merge) {
  const unsigned threads = detail::parallel_workers(n, exec);
  std::atomic<std::size_t> next{0}, merged{0};
  std::atomic<bool> stop{false};
  std::unique_ptr<std::atomic<bool>[]> ready(new std::atomic<bool>[n ? n : 1]);
  for (std::size_t k = 0; k < n; ++k) ready[k].store(false);
  std::mutex mutex;
  std::condition_variable changed;
  std::exception_ptr error;  // the first exception of another thread
  auto mark = [&](std::size_t k) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ready[k].store(true);
    }
    changed.notify_all();
  };
  // The next piece if it may be parsed now: n when none is left, n + 1 when it must wait for a merge.
  auto take = [&]() -> std::size_t {
    std::size_t k = next.load();
    while (true) {
      if (k >= n) return n;
      if (k >= merged.load() + window) return n + 1;
      if (next.compare_exchange_weak(k, k + 1)) return k;
    }
  };
  auto worker = [&] {
    while (!stop.load()) {
      const std::size_t k = take();
      if (k == n) break;
      if (k == n + 1) {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop.load() || next.load() < merged.load() + window; });
        continue;
      }
      try {
        parse(k);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
      mark(k);
    }
  };
  std::vector<std::thread> pool;
  struct Join {
    std::vector<std::thread>& pool;
    std::atomic<bool>& stop;
    std::mutex& mutex;
    std::condition_variable& changed;
    ~Join() {
      {
        std::lock_guard<std::mutex> lock(mutex);
        stop = true;
      }
      changed.notify_all();
      for (auto& t : pool) t.join();
    }
  } join{pool, stop, mutex, changed};
  try {
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  } catch (const std::exception&) {
    // No thread left: the calling thread parses every piece itself.
  }
  for (std::size_t m = 0; m < n; ++m) {
    while (!ready[m].load()) {
      const std::size_t k = stop.load() ? n : take();
      if (k < n) {
        parse(k);
        mark(k);
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return ready[m].load() || error; });
      if (error) std::rethrow_exception(error);
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (error) std::rethrow_exception(error);
    }
    if (!merge(m)) return false;
    {
      std::lock_guard<std::mutex> lock(mutex);
      merged.store(m + 1);
    }
    changed.notify_all();
  }
  return true;
}

// Where a piece lies: bytes of the block and its first line.
struct PieceRange {
  std::size_t begin = 0, end = 0;
  std::uint64_t first_line = 1;
  void reset(std::size_t b, std::size_t e) {
    begin = b;
    end = e;
    first_line = 1;
  }
};

std::optional<JourneySet> read_events_parallel(const BlockSource& src, const std::string& name,
                                               const EventCsvOptions& o, const JourneyOptions& jo, BuildReport& rep,
                                               const Execution& exec) {
  BuildReport local = rep;
  BlockFeed feed(src, name, kMappedBlockBytes);
  const std::string_view& block = feed.block;
  const bool& at_eof = feed.at_eof;
  const std::uint64_t& offset = feed.offset;
  // The header, from the start of the first block.
  CsvReader head(block, name, o.csv, 1, true);
  EventColumns c(head, o, local);
  std::size_t from = static_cast<std::size_t>(head.bytes_read());
  if (from >= block.size() && !at_eof) return std::nullopt;  // a header longer than a block
  std::uint64_t line = head.next_line();
  JourneySetBuilder out(c.has_time() && jo.store_timestamps, c.stored, c.has_segments());
  RowEvents cur;
  cur.segments = c.has_segments();
  detail::JourneyAssembler<RowEvents> assembler(cur, jo, local, out, c.has_time(), c.stored);
  std::vector<std::uint32_t> idx;
  std::string current;  // the journey id being collected
  auto flush = [&] {
    idx.resize(cur.size());
    std::iota(idx.begin(), idx.end(), 0u);
    assembler.order_by_time(idx.data(), idx.size());
    if (jo.store_keys) out.key(std::string_view(current));
    assembler.journey(idx.data(), idx.size());
    cur.clear();
  };
  FinishedIds finished;
  detail::EpochRange range(c.parser);
  bool epochs = false, dates = false;
  std::uint64_t current_hash = 0;
  bool have_current = false, reserved = false;
  std::uint64_t rows = 0, events = 0, journeys = 0, blank = 0;
  // Pieces are cut as ranges; their columns live in a ring of `window` pieces, piece k in ring[k % window]
  // (parse_and_merge never holds two pieces of one slot), so memory does not grow with the block.
  std::vector<PieceRange> pieces;
  std::vector<std::uint8_t> plain;  // pieces known to hold no quote, CR or NUL byte
  const std::size_t window = std::min<std::size_t>(64, 4 * std::size_t(resolved_threads(exec)));
  std::vector<Piece> ring(window);
  std::vector<std::uint32_t> tp_map, seg_map;
  const detail::Progress progress(exec, "read");
  Execution workers;  // progress is reported per merged piece, over the whole file
  workers.threads = exec.threads;
  while (true) {
    std::size_t consumed;
    std::uint64_t next_line;
    if (!cut_pieces(block, from, at_eof, o.csv.delimiter, line, pieces, consumed, next_line, workers, &plain))
      return std::nullopt;
    // A piece's rows merged into the result, in file order; false when the file is not for this reader.
    auto merge_piece = [&](Piece& pc) -> bool {
      // Skipped rows resynchronise at the next line, which a file with quotes may cut differently.
      if (o.csv.skip_bad_rows && pc.skipped && std::memchr(block.data() + pc.begin, '"', pc.end - pc.begin))
        return false;
      rows += pc.records;
      blank += pc.blank_lines;
      local.rows_skipped += pc.skipped;
      for (auto& e : pc.examples)
        if (local.skipped_examples.size() < kMaxSkippedExamples) local.skipped_examples.push_back(std::move(e));
      epochs = epochs || pc.epochs;
      dates = dates || pc.dates;
      range.merge(*pc.range);
      tp_map.resize(pc.tps.size());
      for (std::uint32_t k = 0; k < tp_map.size(); ++k) tp_map[k] = out.touchpoint(pc.tps.name(k));
      seg_map.resize(pc.segs.size());
      for (std::uint32_t k = 0; k < seg_map.size(); ++k) seg_map[k] = out.segment(pc.segs.name(k));
      const std::size_t n = pc.tp.size();
      const PieceSource source{pc, tp_map, seg_map, c.has_segments()};
      detail::JourneyAssembler<PieceSource> direct(source, jo, local, out, c.has_time(), c.stored);
      auto copy_rows = [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
          cur.tp.push_back(tp_map[pc.tp[i]]);
          if (c.has_time()) cur.times.push_back(pc.time[i]);
          cur.conv.push_back(pc.conv[i]);
          cur.values.push_back(pc.value[i]);
          if (c.has_segments()) cur.seg.push_back(seg_map[pc.seg[i]]);
          cur.lines.push_back(pc.line[i]);
        }
      };
      for (std::size_t s = 0; s < pc.starts.size(); ++s) {
        if (s + 8 < pc.starts.size()) finished.prefetch(pc.hashes[s + 8]);
        const std::size_t b = pc.starts[s], e = s + 1 < pc.starts.size() ? pc.starts[s + 1] : n;
        const std::string_view j = pc.ids[s];
        if (have_current && same_bytes(j, current)) {  // a journey carried on from the previous piece
          copy_rows(b, e);
          continue;
        }
        if (have_current) {
          flush();
          finished.finish(current, current_hash);
          ++journeys;
          have_current = false;
        }
        if (finished.seen(j, pc.hashes[s])) return false;
        if (e == n) {
          // The piece's last journey may go on in the next piece: collected until it ends.
          copy_rows(b, e);
          current.assign(j);
          current_hash = pc.hashes[s];
          have_current = true;
        } else {
          idx.resize(e - b);
          std::iota(idx.begin(), idx.end(), static_cast<std::uint32_t>(b));
          direct.order_by_time(idx.data(), idx.size());
          if (jo.store_keys) out.key(j);
          direct.journey(idx.data(), idx.size());
          finished.finish(j, pc.hashes[s]);
          ++journeys;
        }
      }
      events += n;
      if (pc.fatal) throw *pc.fatal;
      return true;
    };
    auto parse = [&](std::size_t k) {
      Piece& pc = ring[k % window];
      pc.reset(pieces[k].begin, pieces[k].end);
      pc.first_line = pieces[k].first_line;
      parse_piece(block, pc, c, o, name, plain[k] != 0);
    };
    if (!parse_and_merge(pieces.size(), window, workers, parse,
                         [&](std::size_t k) {
                           if (!merge_piece(ring[k % window])) return false;
                           const std::uint64_t done = offset + pieces[k].end;  // bytes of the file merged
                           feed.release(done);
                           if (!reserved && src.total > 0 && rows > 0) {
                             // Reserve the result once the average row length is known (the first piece), so
                             // it never grows by doubling.
                             reserved = true;
                             const double rows_all = double(src.total) / double(done) * double(rows);
                             const double per_row = double(events) / double(rows);
                             const double journeys_per_row = double(journeys + 1) / double(rows);
                             out.reserve(std::size_t(rows_all * journeys_per_row * 1.1 + 1024),
                                         std::size_t(rows_all * per_row * 1.02 + 1024));
                           }
                           if (src.total > 0) progress.report(double(done) / double(src.total));
                           return true;
                         }))
      return std::nullopt;
    line = next_line;
    if (at_eof) break;
    feed.fill(consumed);
    from = 0;
  }
  if (have_current) flush();
  local.blank_lines += blank;
  local.rows += rows;
  if (events == 0) {
    rep = local;
    throw DataError(name + ": no events (the file has a header but no valid rows)");
  }
  if (c.has_time())
    if (auto msg = range.finish())
      throw ParseError(name, range.largest_line(), range.largest_column(), c.h.name(c.ct), range.largest_text(), *msg);
  out.set_time_kind(epochs && dates ? TimeKind::mixed : dates ? TimeKind::dates : TimeKind::epoch,
                    c.parser.epoch_unit());
  JourneySet result = out.finish();
  local.journeys += result.size();
  local.touches += result.touch_count();
  rep = local;
  return result;
}

JourneySet read_events(const ReaderFactory& open, const BlockSource* blocks, const std::string& name,
                       const EventCsvOptions& o, const JourneyOptions& jo, BuildReport* report, const Execution& exec) {
  BuildReport local;
  BuildReport& rep = report ? *report : local;
  if (blocks)
    if (auto whole = read_events_parallel(*blocks, name, o, jo, rep, exec)) return std::move(*whole);
  if (auto streamed = read_events_streaming(open, o, jo, rep, exec)) return std::move(*streamed);
  auto reader = open();
  return read_events_columns(*reader, o, jo, rep, exec);
}

// The columns of an aggregated-paths file.
struct PathColumns {
  PathColumns(CsvReader& r, const PathCsvOptions& o, BuildReport& rep) : h(r) {
    cp = h.resolve(o.path, "path", rep);
    cc = h.resolve(o.conversions, "conversions", rep);
    cn = h.resolve(o.nulls, "nulls", rep);
    cv = h.resolve(o.value, "value", rep);
    if (cp == Header::npos) throw InvalidArgument("the path column name is empty");
  }
  Header h;
  std::size_t cp, cc, cn, cv;
};

// One row of a paths file: the path text and its counts.
struct PathRow {
  std::string_view path;
  double conversions = 0, nulls = 0, value = 0;
};

// Validates the current record as a row of a paths file, in the order of its checks (width, path text,
// conversions, nulls, their sum, value), then hands the path to on_path (for the separator check, when
// check_separator is set) and each touchpoint name to on_name; a path with an empty name is an error after
// on_name has seen the names before it. The one rule of a paths row, for the serial and the parallel reader.
template <class OnPath, class OnName>
PathRow parse_path_row(const CsvReader& r, const PathColumns& pc, const PathCsvOptions& o, OnPath&& on_path,
                       OnName&& on_name) {
  const Header& h = pc.h;
  const std::size_t cp = pc.cp, cc = pc.cc, cn = pc.cn, cv = pc.cv;
  check_width(r, h);
  PathRow row;
  std::string_view path = r.field(cp);
  std::size_t bad = detail::utf8_invalid_at(path);
  if (bad != std::string_view::npos)
    r.fail(cp, h.name(cp), "path " + detail::show(path) + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  if (detail::trim(path).empty())
    r.fail(cp, h.name(cp), std::string("empty path") + (path.empty() ? "" : " (only blanks: " + detail::show(path) + ")"));
  const double c = cc == Header::npos ? 0.0 : count_field(r, cc, h.name(cc));
  const double n = cn == Header::npos ? 0.0 : count_field(r, cn, h.name(cn));
  // A path's weight is conversions + nulls; each is below 2^62, their sum must be too.
  if (c + n >= kMaxWeight)
    r.fail(cn, h.name(cn), "conversions " + detail::format_double(c) + " + nulls " + detail::show(r.field(cn)) +
                               " is too large (the limit of a path's weight is 2^62)");
  double v = 0;
  if (cv != Header::npos) {
    auto pv = detail::parse_double(r.field(cv));
    if (!pv) r.fail(cv, h.name(cv), "expected a finite number, got " + detail::show(r.field(cv)));
    if (*pv < 0) r.fail(cv, h.name(cv), "negative value " + detail::show(r.field(cv)));
    if (*pv > 0 && c == 0) r.fail(cv, h.name(cv), "value " + detail::show(r.field(cv)) + " on a path without conversions");
    if (*pv >= kMaxWeight) r.fail(cv, h.name(cv), "value " + detail::show(r.field(cv)) + " is too large (the limit is 2^62)");
    if (*pv > 0 && *pv < kMinWeight)
      r.fail(cv, h.name(cv), "value " + detail::show(r.field(cv)) + " is too small (non-zero values must be at least 2^-64)");
    v = *pv;
  }
  if (o.check_separator) on_path(path);
  if (const std::size_t empty = detail::split_path(path, o.separator, on_name))
    r.fail(cp, h.name(cp), "empty touchpoint name at position " + std::to_string(empty) + " of path " + detail::show(path));
  row.path = path;
  row.conversions = c;
  row.nulls = n;
  row.value = v;
  return row;
}

// The end of a paths read: totals, the separator check, the set.
JourneySet finish_paths(JourneySetBuilder& b, const SeparatorCheck& separator_check, const PathColumns& pc,
                        const std::string& name, std::string_view separator, BuildReport& rep) {
  if (b.size() == 0) throw DataError(name + ": no paths (the file has a header but no valid rows)");
  if (auto p = separator_check.problem())
    throw ParseError(name, p->first, p->first_column, pc.h.name(pc.cp), p->example, p->message(separator));
  JourneySet s = b.finish();
  rep.journeys += s.size();
  rep.touches += s.touch_count();
  return s;
}

JourneySet read_paths(CsvReader& r, const PathCsvOptions& o, BuildReport& rep, const Execution& exec) {
  if (o.separator.empty()) throw InvalidArgument("the path separator is empty");
  PathColumns pc(r, o, rep);
  JourneySetBuilder b;
  SeparatorCheck separator_check(o.separator);
  std::vector<std::uint32_t> ids;
  std::uint64_t row = 0;
  while (next_record(r, o.csv, rep, row)) {
    ++row;
    report_progress(exec, r, row);
    guarded_row(o.csv, rep, [&] {
      ids.clear();
      const PathRow p = parse_path_row(
          r, pc, o, [&](std::string_view path) { separator_check.add(path, r.line(), r.column(pc.cp)); },
          [&](std::string_view name) { ids.push_back(b.touchpoint(name)); });
      if (p.conversions + p.nulls == 0) ++rep.zero_weight_journeys;
      b.key(static_cast<std::int64_t>(row - 1));  // the data row, 0-based: where the caller finds the path
      b.add(Span<const std::uint32_t>(ids.data(), ids.size()), {}, p.conversions, p.nulls, p.value);
    });
  }
  rep.blank_lines += r.blank_lines();
  rep.rows += row;
  return finish_paths(b, separator_check, pc, r.name(), o.separator, rep);
}

// ------------------------------------------------------------------------------ the parallel paths read
//
// As for events: blocks cut into pieces at record boundaries, each piece tokenized and validated on every
// thread by parse_path_row into its own columns and dictionary, merged in file order (touchpoint ids in
// first-seen order, keys the data rows of the whole file, the first error of the file). The separator check
// sees the same paths in the same order: each piece keeps its paths up to the first that holds the separator,
// after which the check decides nothing more.

// The rows of one piece of a paths file.
struct PathPiece {
  std::size_t begin = 0, end = 0;  // bytes of the block
  std::uint64_t first_line = 1;
  PieceNames tps;
  std::vector<std::uint32_t> touches;  // piece-local touchpoint ids of every path, one after another
  std::vector<std::uint32_t> offsets;  // path k is touches[offsets[k], offsets[k + 1])
  std::vector<double> conversions, nulls, values;
  std::vector<std::uint64_t> rows;  // each path's data row in the piece, 0-based (skipped rows counted)
  // Paths for the separator check (until one holds the separator), with their line and column.
  struct Seen {
    std::string_view path;
    std::uint64_t line, column;
  };
  std::vector<Seen> seen;
  std::deque<std::string> escaped;  // paths of `seen` that held doubled quotes (not views of the block)
  bool holds_separator = false;
  std::uint64_t records = 0, skipped = 0, blank_lines = 0, zero_weight = 0;
  std::vector<std::string> examples;
  std::optional<ParseError> fatal;
  void reset(std::size_t b, std::size_t e) {
    begin = b;
    end = e;
    first_line = 1;
    tps.clear();
    touches.clear();
    offsets.assign(1, 0);
    conversions.clear();
    nulls.clear();
    values.clear();
    rows.clear();
    seen.clear();
    escaped.clear();
    holds_separator = false;
    records = skipped = blank_lines = zero_weight = 0;
    examples.clear();
    fatal.reset();
  }
};

// The quick parse's view of the columns and options (paths_fast.hpp).
detail::PathFastLayout fast_layout(const PathColumns& cols, const PathCsvOptions& o) {
  detail::PathFastLayout L;
  L.width = cols.h.size();
  L.cp = cols.cp;
  L.cc = cols.cc;
  L.cn = cols.cn;
  L.cv = cols.cv;
  L.delimiter = o.csv.delimiter;
  L.max_field = o.csv.max_field_bytes;
  L.separator = o.separator;
  L.check_separator = o.check_separator;
  return L;
}

void parse_path_piece(std::string_view block, PathPiece& pc, const PathColumns& cols, const PathCsvOptions& o,
                      const std::string& name) {
  const std::string_view text = block.substr(pc.begin, pc.end - pc.begin);
  // A piece without quotes goes the quick way; at a row it cannot take, the piece starts over here.
  if (!std::memchr(text.data(), '"', text.size())) {
    if (detail::parse_paths_fast(text, pc.first_line, fast_layout(cols, o), pc)) return;
    const std::uint64_t first_line = pc.first_line;
    pc.reset(pc.begin, pc.end);
    pc.first_line = first_line;
  }
  CsvReader r(text, name, o.csv, pc.first_line, false);
  r.set_field_names(cols.h.names());
  BuildReport local;
  std::uint64_t row = 0;
  try {
    while (next_record(r, o.csv, local, row)) {
      ++row;
      guarded_row(o.csv, local, [&] {
        pc.touches.resize(pc.offsets.back());  // names of a row that failed after its first names
        const PathRow p = parse_path_row(
            r, cols, o,
            [&](std::string_view path) {
              if (pc.holds_separator) return;
              if (path.data() < text.data() || path.data() + path.size() > text.data() + text.size()) {
                pc.escaped.emplace_back(path);
                path = pc.escaped.back();
              }
              pc.seen.push_back({path, r.line(), r.column(cols.cp)});
              pc.holds_separator = path.find(o.separator) != std::string_view::npos;
            },
            [&](std::string_view n) { pc.touches.push_back(pc.tps.intern(n)); });
        if (p.conversions + p.nulls == 0) ++pc.zero_weight;
        pc.offsets.push_back(static_cast<std::uint32_t>(pc.touches.size()));
        pc.conversions.push_back(p.conversions);
        pc.nulls.push_back(p.nulls);
        pc.values.push_back(p.value);
        pc.rows.push_back(row - 1);
      });
    }
  } catch (const ParseError& e) {
    pc.fatal.emplace(e);
  }
  pc.touches.resize(pc.offsets.back());
  pc.records = row;
  pc.skipped = local.rows_skipped;
  pc.examples = std::move(local.skipped_examples);
  pc.blank_lines = r.blank_lines();
}

// Nothing (rep untouched) when the file needs the serial reader: a record longer than a block, or rows
// skipped in a piece that holds quotes (the serial reader resynchronises at the next physical line).
std::optional<JourneySet> read_paths_parallel(const BlockSource& src, const std::string& name,
                                              const PathCsvOptions& o, BuildReport& rep, const Execution& exec) {
  if (o.separator.empty()) throw InvalidArgument("the path separator is empty");
  BuildReport local = rep;
  BlockFeed feed(src, name);
  CsvReader head(feed.block, name, o.csv, 1, true);
  PathColumns cols(head, o, local);
  std::size_t from = static_cast<std::size_t>(head.bytes_read());
  if (from >= feed.block.size() && !feed.at_eof) return std::nullopt;  // a header longer than a block
  std::uint64_t line = head.next_line();
  JourneySetBuilder b;
  SeparatorCheck separator_check(o.separator);
  std::vector<PathPiece> pieces;
  std::vector<std::vector<std::uint32_t>> tp_maps;
  std::vector<std::int64_t> keys;  // the data rows of a piece's paths in the file
  std::uint64_t rows = 0, blank = 0, touches = 0;
  bool reserved = false;
  Execution workers;  // progress is reported by rows, over the whole file
  workers.threads = exec.threads;
  while (true) {
    std::size_t consumed;
    std::uint64_t next_line;
    if (!cut_pieces(feed.block, from, feed.at_eof, o.csv.delimiter, line, pieces, consumed, next_line, workers))
      return std::nullopt;
    detail::parallel_for(pieces.size(), workers, "read",
                         [&](std::size_t k) { parse_path_piece(feed.block, pieces[k], cols, o, name); });
    // Piece ids to the set's, which are first-seen over the whole file: each piece's names are interned in
    // file order here (a few hundred look-ups), then every piece rewrites its touches in place on every thread.
    // A piece after a failing one is remapped too; the read then stops at the failing piece all the same.
    tp_maps.resize(pieces.size());
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      const PathPiece& pc = pieces[k];
      if (o.csv.skip_bad_rows && pc.skipped && std::memchr(feed.block.data() + pc.begin, '"', pc.end - pc.begin))
        return std::nullopt;
      tp_maps[k].resize(pc.tps.size());
      for (std::uint32_t i = 0; i < tp_maps[k].size(); ++i) tp_maps[k][i] = b.touchpoint(pc.tps.name(i));
      if (pc.fatal) break;
    }
    detail::parallel_for(pieces.size(), workers, "read", [&](std::size_t k) {
      if (tp_maps[k].size() != pieces[k].tps.size()) return;  // after a failing piece
      const std::uint32_t* map = tp_maps[k].data();
      for (std::uint32_t& t : pieces[k].touches) t = map[t];
    });
    for (PathPiece& pc : pieces) {
      if (o.csv.skip_bad_rows && pc.skipped &&
          std::memchr(feed.block.data() + pc.begin, '"', pc.end - pc.begin))
        return std::nullopt;
      local.rows_skipped += pc.skipped;
      for (auto& e : pc.examples)
        if (local.skipped_examples.size() < kMaxSkippedExamples) local.skipped_examples.push_back(std::move(e));
      local.zero_weight_journeys += pc.zero_weight;
      for (const auto& s : pc.seen) separator_check.add(s.path, s.line, s.column);
      keys.resize(pc.rows.size());
      for (std::size_t j = 0; j < pc.rows.size(); ++j) keys[j] = static_cast<std::int64_t>(rows + pc.rows[j]);
      b.add_keyed(pc.touches, pc.offsets, pc.conversions, pc.nulls, pc.values, keys);
      touches += pc.touches.size();
      // Progress as the serial reader reports it: at every 65536th row, before that row's error if any.
      if (exec.progress && src.total > 0 && ((rows + pc.records) >> 16) > (rows >> 16))
        if (!exec.progress(double(feed.offset + pc.end) / double(src.total), "read"))
          throw Interrupted("cancelled by the progress callback while reading " + name);
      rows += pc.records;
      blank += pc.blank_lines;
      if (pc.fatal) throw *pc.fatal;
    }
    if (!reserved && src.total > 0 && b.size() > 0) {
      // Reserve the result once the average row length is known, so it never grows by doubling.
      reserved = true;
      const double share = double(src.total) / double(feed.offset + consumed);
      b.reserve(std::size_t(double(b.size()) * share * 1.05 + 1024), std::size_t(double(touches) * share * 1.05 + 1024));
    }
    line = next_line;
    if (feed.at_eof) break;
    feed.fill(consumed);
    from = 0;
  }
  local.blank_lines += blank;
  local.rows += rows;
  JourneySet s = finish_paths(b, separator_check, cols, name, o.separator, local);
  rep = local;
  return s;
}

// The paths reader for a file or text: the parallel read, or the serial one when it declines.
JourneySet read_paths_any(const std::function<std::unique_ptr<CsvReader>()>& open, const BlockSource* blocks,
                          const std::string& name, const PathCsvOptions& o, BuildReport* report,
                          const Execution& exec) {
  BuildReport local;
  BuildReport& rep = report ? *report : local;
  if (blocks)
    if (auto whole = read_paths_parallel(*blocks, name, o, rep, exec)) return std::move(*whole);
  auto reader = open();
  return read_paths(*reader, o, rep, exec);
}

}  // namespace

JourneySet read_events_csv(const std::string& file, const EventCsvOptions& options,
                           const JourneyOptions& journey_options, BuildReport* report, const Execution& exec) {
  auto open = [&] { return std::make_unique<CsvReader>(file, options.csv); };
  // The parallel reader needs a file it can read as a stream of bytes; the serial reader names the problem
  // (missing file, directory) when it cannot.
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) return read_events(open, nullptr, file, options, journey_options, report, exec);
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{f};
  BlockSource src;
  src.file = f;
  struct stat st {};
  if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) return read_events(open, nullptr, file, options, journey_options, report, exec);
  if (S_ISREG(st.st_mode)) src.total = static_cast<std::uint64_t>(st.st_size);
  // The serial file reader refuses a record longer than 64 times max_field_bytes plus its 4 MiB buffer; with
  // a limit that small a record may fit in a block (of a mapped file, the larger), so such files keep the
  // serial reader and its message.
  const std::size_t max_field = options.csv.max_field_bytes;
  if (max_field < (kMappedBlockBytes >> 6))
    return read_events(open, nullptr, file, options, journey_options, report, exec);
  // The check of the delimiter comes first, as in the serial reader.
  CsvReader check(std::string_view(), file, options.csv);
  std::optional<MappedFile> map;
  if (S_ISREG(st.st_mode) && src.total > 0 && src.total <= SIZE_MAX) map.emplace(fileno(f), std::size_t(src.total));
  if (map && map->ok()) {
    src.memory = map->view();
    src.mapped = true;
    src.file = nullptr;
  }
  return read_events(open, &src, file, options, journey_options, report, exec);
}

JourneySet parse_events_csv(std::string_view text, const std::string& name, const EventCsvOptions& options,
                            const JourneyOptions& journey_options, BuildReport* report, const Execution& exec) {
  BlockSource src;
  src.memory = text;
  src.total = text.size();
  CsvReader check(std::string_view(), name, options.csv);
  return read_events([&] { return std::make_unique<CsvReader>(text, name, options.csv); }, &src, name, options,
                     journey_options, report, exec);
}

JourneySet read_paths_csv(const std::string& file, const PathCsvOptions& options, BuildReport* report,
                          const Execution& exec) {
  auto open = [&] { return std::make_unique<CsvReader>(file, options.csv); };
  // As for events: the serial reader names a file it cannot read, and keeps files whose limit on a field is
  // small enough that its own message about an over-long record applies.
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) return read_paths_any(open, nullptr, file, options, report, exec);
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{f};
  BlockSource src;
  src.file = f;
  struct stat st {};
  if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) return read_paths_any(open, nullptr, file, options, report, exec);
  if (S_ISREG(st.st_mode)) src.total = static_cast<std::uint64_t>(st.st_size);
  if (options.csv.max_field_bytes < (kBlockBytes >> 6)) return read_paths_any(open, nullptr, file, options, report, exec);
  CsvReader check(std::string_view(), file, options.csv);  // the check of the delimiter comes first
  std::optional<MappedFile> map;
  if (S_ISREG(st.st_mode) && src.total > 0 && src.total <= SIZE_MAX) map.emplace(fileno(f), std::size_t(src.total));
  if (map && map->ok()) {
    src.memory = map->view();
    src.mapped = true;
    src.file = nullptr;
  }
  return read_paths_any(open, &src, file, options, report, exec);
}

JourneySet parse_paths_csv(std::string_view text, const std::string& name, const PathCsvOptions& options,
                           BuildReport* report, const Execution& exec) {
  BlockSource src;
  src.memory = text;
  src.total = text.size();
  CsvReader check(std::string_view(), name, options.csv);
  return read_paths_any([&] { return std::make_unique<CsvReader>(text, name, options.csv); }, &src, name, options,
                        report, exec);
}

void write_paths_csv(const JourneySet& js, const std::string& file, std::string_view separator) {
  CsvOptions raw;  // the file is for read_paths_csv, which takes every cell as written
  raw.guard_formulas = false;
  write_text_file(file, to_csv(path_table(js, separator), raw));
}

}  // namespace journeygraph
