#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <thread>

#include "common/hash.hpp"
#include "common/names.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/version.hpp"

namespace journeygraph {

const char* version_string() noexcept { return JG_VERSION_STRING; }

unsigned resolved_threads(const Execution& exec) noexcept {
  if (exec.threads > 0) return exec.threads;
  unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? hw : 1;
}

ParseError::ParseError(std::string file, std::uint64_t line, std::uint64_t column, std::string field,
                       std::string value, const std::string& message)
    : Error(ErrorKind::parse,
            [&] {
              std::ostringstream os;
              os << (file.empty() ? "<input>" : file);
              if (line) os << ':' << line;
              if (line && column) os << ':' << column;
              os << ": ";
              if (!field.empty()) os << "field '" << field << "': ";
              os << message;
              return os.str();
            }()),
      file_(std::move(file)),
      line_(line),
      column_(column),
      field_(std::move(field)),
      value_(std::move(value)) {}

// ---------------------------------------------------------------------------------------------- Dictionary

Dictionary::Dictionary(const std::vector<std::string>& names) {
  rehash(detail::next_pow2(names.size() * 2 + 2));
  for (const auto& n : names) {
    if (n.empty()) throw InvalidArgument("empty name in a dictionary (entry " + std::to_string(names_.size()) + ")");
    if (find(n)) throw InvalidArgument("name " + detail::show(n) + " appears twice in a dictionary");
    intern(n);
  }
}

void Dictionary::rehash(std::size_t slots) {
  slots_.assign(slots, 0xFFFFFFFFu);
  std::size_t mask = slots - 1;
  for (std::uint32_t id = 0; id < names_.size(); ++id) {
    std::size_t i = detail::hash_bytes(names_[id]) & mask;
    while (slots_[i] != 0xFFFFFFFFu) i = (i + 1) & mask;
    slots_[i] = id;
  }
}

std::optional<std::uint32_t> Dictionary::find(std::string_view name) const {
  if (slots_.empty()) return std::nullopt;
  std::size_t mask = slots_.size() - 1, i = detail::hash_bytes(name) & mask;
  while (true) {
    std::uint32_t s = slots_[i];
    if (s == 0xFFFFFFFFu) return std::nullopt;
    if (names_[s] == name) return s;
    i = (i + 1) & mask;
  }
}

std::uint32_t Dictionary::intern(std::string_view name) {
  if (slots_.empty()) rehash(16);
  if ((names_.size() + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
  std::size_t mask = slots_.size() - 1, i = detail::hash_bytes(name) & mask;
  while (true) {
    std::uint32_t s = slots_[i];
    if (s == 0xFFFFFFFFu) {
      if (names_.size() >= 0xFFFFFFFEu) throw InvalidArgument("more than 4294967294 distinct names");
      auto id = static_cast<std::uint32_t>(names_.size());
      names_.emplace_back(name);
      slots_[i] = id;
      return id;
    }
    if (names_[s] == name) return s;
    i = (i + 1) & mask;
  }
}

// ---------------------------------------------------------------------------------------------- TimeUnit

std::int64_t ticks_per_second(TimeUnit unit) noexcept {
  switch (unit) {
    case TimeUnit::seconds: return 1;
    case TimeUnit::milliseconds: return 1000;
    case TimeUnit::microseconds: return 1000000;
    case TimeUnit::nanoseconds: return 1000000000;
  }
  return 1;
}

double seconds_per_tick(TimeUnit unit) noexcept { return 1.0 / double(ticks_per_second(unit)); }

double ticks_to_seconds(std::int64_t ticks, TimeUnit unit) noexcept {
  // Whole seconds and the remainder are converted apart: each is exact (|seconds| < 2^53 for any int64 of
  // milliseconds or finer), so the result has a single rounding, in the final sum.
  const std::int64_t tps = ticks_per_second(unit);
  std::int64_t whole = ticks / tps, rest = ticks % tps;
  if (rest < 0) {  // floor division, so the fraction lies in [0, 1) and the result is monotonic
    --whole;
    rest += tps;
  }
  return double(whole) + double(rest) / double(tps);
}

const char* time_kind_name(TimeKind kind) noexcept {
  switch (kind) {
    case TimeKind::none: return "none";
    case TimeKind::epoch: return "epoch";
    case TimeKind::dates: return "dates";
    case TimeKind::mixed: return "mixed";
  }
  return "none";
}

const char* time_unit_name(TimeUnit unit) noexcept {
  switch (unit) {
    case TimeUnit::seconds: return "s";
    case TimeUnit::milliseconds: return "ms";
    case TimeUnit::microseconds: return "us";
    case TimeUnit::nanoseconds: return "ns";
  }
  return "s";
}

TimeUnit parse_time_unit(std::string_view name) {
  static constexpr TimeUnit kAll[] = {TimeUnit::seconds, TimeUnit::milliseconds, TimeUnit::microseconds,
                                      TimeUnit::nanoseconds};
  return detail::parse_name(name, kAll, time_unit_name, "time unit");
}

const char* key_kind_name(KeyKind kind) noexcept {
  switch (kind) {
    case KeyKind::none: return "none";
    case KeyKind::integer: return "integer";
    case KeyKind::text: return "text";
  }
  return "none";
}

// ---------------------------------------------------------------------------------------------- JourneySet

JourneySet::JourneySet() : offsets_(1, 0) {}

std::size_t JourneySet::memory_bytes() const noexcept {
  return offsets_.capacity() * sizeof(std::uint64_t) + touches_.capacity() * sizeof(std::uint32_t) +
         times_.capacity() * sizeof(std::int64_t) +
         (conversions_.capacity() + nulls_.capacity() + values_.capacity()) * sizeof(double) +
         segment_ids_.capacity() * sizeof(std::uint32_t) + key_ints_.capacity() * sizeof(std::int64_t) +
         key_offsets_.capacity() * sizeof(std::uint64_t) + key_bytes_.capacity() +
         follows_conversion_.capacity();
}

std::string JourneySet::key_string(std::size_t j) const {
  switch (key_kind_) {
    case KeyKind::integer: return std::to_string(key_ints_[j]);
    case KeyKind::text: return std::string(key_text(j));
    case KeyKind::none: break;
  }
  return std::to_string(j);
}

JourneySet JourneySet::slice(std::size_t first, std::size_t count) const {
  if (first > size() || count > size() - first)
    throw InvalidArgument("slice [" + std::to_string(first) + ", " + std::to_string(first + count) +
                          ") is outside the " + std::to_string(size()) + " journeys");
  JourneySetBuilder b(has_times_, time_unit_, has_segments_);
  b.set_time_kind(time_kind_, epoch_unit_);
  b.set_touchpoints(touchpoints_);
  if (has_segments_) b.set_segments(segments_);
  b.reserve(count, offsets_[first + count] - offsets_[first]);
  for (std::size_t j = first; j < first + count; ++j) {
    if (has_keys()) b.key_of(*this, j);
    b.add(path(j), times(j), conversions_[j], nulls_[j], values_[j], segment(j), follows_conversion(j));
  }
  return b.finish();
}

JourneySet JourneySet::segment_subset(std::uint32_t seg) const {
  if (!has_segments_) throw StateError("the journeys have no segments");
  if (seg >= segments_.size())
    throw InvalidArgument("segment id " + std::to_string(seg) + " is not below " + std::to_string(segments_.size()));
  JourneySetBuilder b(has_times_, time_unit_, true);
  b.set_time_kind(time_kind_, epoch_unit_);
  b.set_touchpoints(touchpoints_);
  b.set_segments(segments_);
  for (std::size_t j = 0; j < size(); ++j)
    if (segment_ids_[j] == seg) {
      if (has_keys()) b.key_of(*this, j);
      b.add(path(j), times(j), conversions_[j], nulls_[j], values_[j], seg, follows_conversion(j));
    }
  return b.finish();
}

JourneySet time_window(const JourneySet& js, std::int64_t from, std::int64_t to) {
  if (!js.has_timestamps()) throw StateError("time_window needs journeys with timestamps");
  if (from > to) throw InvalidArgument("time_window: from (" + std::to_string(from) + ") is after to (" + std::to_string(to) + ")");
  JourneySetBuilder b(true, js.time_unit(), js.has_segments());
  b.set_time_kind(js.time_kind(), js.epoch_unit());
  b.set_touchpoints(js.touchpoints());
  if (js.has_segments()) b.set_segments(js.segments());
  for (std::size_t j = 0; j < js.size(); ++j) {
    const auto t = js.times(j);
    if (t[0] < from || t[0] >= to) continue;
    if (js.has_keys()) b.key_of(js, j);
    b.add(js.path(j), t, js.conversions(j), js.nulls(j), js.value(j), js.segment(j), js.follows_conversion(j));
  }
  return b.finish();
}

std::string JourneySet::path_string(std::size_t j, std::string_view sep) const {
  std::string out;
  auto p = path(j);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i) out += sep;
    out += touchpoints_.name(p[i]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- Builder

JourneySetBuilder::JourneySetBuilder(bool with_timestamps, TimeUnit unit, bool with_segments) {
  set_.has_times_ = with_timestamps;
  set_.time_unit_ = unit;
  set_.epoch_unit_ = unit;
  set_.has_segments_ = with_segments;
}

void JourneySetBuilder::set_time_kind(TimeKind kind, TimeUnit epoch_unit) {
  set_.time_kind_ = kind == TimeKind::none ? TimeKind::epoch : kind;
  set_.epoch_unit_ = epoch_unit;
}

namespace {
// "0", or an optional '-' and digits without a leading zero, within the int64 range: text that reads back as
// the same integer.
std::optional<std::int64_t> canonical_integer(std::string_view s) {
  const std::size_t digits = s.size() - (!s.empty() && s[0] == '-' ? 1 : 0);
  if (digits == 0 || digits > 19) return std::nullopt;
  const std::size_t first = s.size() - digits;
  if (s[first] == '0' && (digits > 1 || first == 1)) return std::nullopt;  // "007", "-0"
  if (digits <= 18 && first == 0) {  // the usual case: a plain run of digits below 10^18
    const std::int64_t v = detail::plain_digits(s.data(), digits);
    if (v < 0) return std::nullopt;
    return v;
  }
  for (std::size_t i = first; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  return detail::parse_int64(s);
}
}  // namespace

void JourneySetBuilder::key(std::int64_t id) {
  if (!keyed_) {
    if (size() != 0) throw StateError("JourneySetBuilder::key: the first key must come before the first journey");
    keyed_ = true;
    set_.key_kind_ = KeyKind::integer;
  }
  pending_is_text_ = false;
  pending_int_ = id;
}

void JourneySetBuilder::key(std::string_view id) {
  if (auto v = canonical_integer(id)) return key(*v);
  if (id.empty()) throw InvalidArgument("journey " + std::to_string(size()) + ": empty journey key");
  const std::size_t bad = detail::utf8_invalid_at(id);
  if (bad != std::string_view::npos)
    throw InvalidArgument("journey " + std::to_string(size()) + ": the journey key " + detail::show(id) +
                          " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  if (!keyed_) {
    if (size() != 0) throw StateError("JourneySetBuilder::key: the first key must come before the first journey");
    keyed_ = true;
  }
  if (set_.key_kind_ != KeyKind::text) {
    // Integer keys so far become their decimal text: a set's keys have one kind.
    set_.key_offsets_.assign(1, 0);
    for (std::int64_t k : set_.key_ints_) {
      set_.key_bytes_ += std::to_string(k);
      set_.key_offsets_.push_back(set_.key_bytes_.size());
    }
    std::vector<std::int64_t>().swap(set_.key_ints_);
    set_.key_kind_ = KeyKind::text;
  }
  pending_is_text_ = true;
  pending_text_.assign(id);
}

void JourneySetBuilder::key_of(const JourneySet& s, std::size_t j) {
  switch (s.key_kind()) {
    case KeyKind::text: key(s.key_text(j)); break;
    case KeyKind::integer: key(s.key_integer(j)); break;
    case KeyKind::none: key(static_cast<std::int64_t>(j)); break;
  }
}

void JourneySetBuilder::push_key() {
  if (set_.key_kind_ == KeyKind::integer) {
    set_.key_ints_.push_back(pending_int_);
  } else {
    if (pending_is_text_) set_.key_bytes_ += pending_text_;
    else set_.key_bytes_ += std::to_string(pending_int_);
    set_.key_offsets_.push_back(set_.key_bytes_.size());
  }
}

std::uint32_t JourneySetBuilder::touchpoint(std::string_view name) {
  if (name.empty()) throw InvalidArgument("empty touchpoint name");
  return set_.touchpoints_.intern(name);
}

std::uint32_t JourneySetBuilder::segment(std::string_view name) {
  if (name.empty()) throw InvalidArgument("empty segment name");
  return set_.segments_.intern(name);
}

void JourneySetBuilder::set_touchpoints(Dictionary d) {
  if (size() != 0) throw StateError("set_touchpoints after journeys were added");
  set_.touchpoints_ = std::move(d);
}

void JourneySetBuilder::set_segments(Dictionary d) {
  if (size() != 0) throw StateError("set_segments after journeys were added");
  set_.segments_ = std::move(d);
}

void JourneySetBuilder::reserve(std::size_t journeys, std::size_t touches) {
  set_.offsets_.reserve(journeys + 1);
  set_.touches_.reserve(touches);
  if (set_.has_times_) set_.times_.reserve(touches);
  set_.conversions_.reserve(journeys);
  set_.nulls_.reserve(journeys);
  set_.values_.reserve(journeys);
  if (set_.has_segments_) set_.segment_ids_.reserve(journeys);
  if (set_.key_kind_ == KeyKind::integer) set_.key_ints_.reserve(journeys);
  if (set_.key_kind_ == KeyKind::text) set_.key_offsets_.reserve(journeys + 1);
}

void JourneySetBuilder::add(Span<const std::uint32_t> path, Span<const std::int64_t> times, double conversions,
                            double nulls, double value, std::uint32_t seg, bool follows_conversion) {
  auto where = [&] { return "journey " + std::to_string(size()) + ": "; };
  if (path.empty()) throw InvalidArgument(where() + "empty path");
  std::size_t n_tp = set_.touchpoints_.size();
  for (std::size_t i = 0; i < path.size(); ++i)
    if (path[i] >= n_tp)
      throw InvalidArgument(where() + "touchpoint id " + std::to_string(path[i]) + " at position " +
                            std::to_string(i) + " is not below the dictionary size " + std::to_string(n_tp));
  if (set_.has_times_) {
    if (times.size() != path.size())
      throw InvalidArgument(where() + std::to_string(times.size()) + " timestamps for " + std::to_string(path.size()) +
                            " touches");
    for (std::size_t i = 1; i < times.size(); ++i)
      if (times[i] < times[i - 1])
        throw InvalidArgument(where() + "timestamps decrease at position " + std::to_string(i) + " (" +
                              std::to_string(times[i - 1]) + " then " + std::to_string(times[i]) + ")");
  } else if (!times.empty()) {
    throw InvalidArgument(where() + "timestamps given to a builder without timestamps");
  }
  auto check = [&](double x, const char* what) {
    if (!std::isfinite(x)) throw InvalidArgument(where() + what + " is not finite (" + detail::format_double(x) + ")");
    if (x < 0) throw InvalidArgument(where() + what + " is negative (" + detail::format_double(x) + ")");
    if (x >= kMaxWeight)
      throw InvalidArgument(where() + what + " " + detail::format_double(x) + " is too large (the limit is 2^62)");
    if (x > 0 && x < kMinWeight)
      throw InvalidArgument(where() + what + " " + detail::format_double(x) +
                            " is too small (non-zero weights and values must be at least 2^-64)");
  };
  check(conversions, "conversions");
  check(nulls, "nulls");
  check(value, "value");
  if (conversions + nulls >= kMaxWeight)
    throw InvalidArgument(where() + "conversions + nulls " + detail::format_double(conversions + nulls) +
                          " is too large (the limit of a journey's weight is 2^62)");
  if (value > 0 && conversions == 0)
    throw InvalidArgument(where() + "value " + detail::format_double(value) + " without conversions");
  if (set_.has_segments_ && seg >= set_.segments_.size())
    throw InvalidArgument(where() + "segment id " + std::to_string(seg) + " is not below " +
                          std::to_string(set_.segments_.size()));
  set_.touches_.insert(set_.touches_.end(), path.begin(), path.end());
  if (set_.has_times_) set_.times_.insert(set_.times_.end(), times.begin(), times.end());
  set_.offsets_.push_back(set_.touches_.size());
  set_.conversions_.push_back(conversions);
  set_.nulls_.push_back(nulls);
  set_.values_.push_back(value);
  if (set_.has_segments_) set_.segment_ids_.push_back(seg);
  // The column exists once a journey needs it (the earlier ones get 0).
  if (follows_conversion || !set_.follows_conversion_.empty()) {
    set_.follows_conversion_.resize(size() - 1, 0);
    set_.follows_conversion_.push_back(follows_conversion ? 1 : 0);
  }
  if (keyed_) push_key();
  set_.total_conversions_ += conversions;
  set_.total_nulls_ += nulls;
  set_.total_value_ += value;
}

void JourneySetBuilder::add_keyed(Span<const std::uint32_t> touches, Span<const std::uint32_t> offsets,
                                  Span<const double> conversions, Span<const double> nulls, Span<const double> values,
                                  Span<const std::int64_t> keys) {
  const std::size_t n = conversions.size();
  if (offsets.size() != n + 1 || nulls.size() != n || values.size() != n || keys.size() != n)
    throw InvalidArgument("add_keyed: " + std::to_string(n) + " conversions, " + std::to_string(nulls.size()) +
                          " nulls, " + std::to_string(values.size()) + " values, " + std::to_string(keys.size()) +
                          " keys and " + std::to_string(offsets.size()) + " offsets (one more than journeys)");
  if (set_.has_times_ || set_.has_segments_)
    throw StateError("add_keyed: the builder has timestamps or segments");
  if (n == 0) return;
  if (offsets[0] != 0 || offsets[n] > touches.size())
    throw InvalidArgument("add_keyed: offsets must start at 0 and end within the " + std::to_string(touches.size()) +
                          " touches");
  for (std::size_t k = 0; k < n; ++k)
    if (offsets[k + 1] < offsets[k])
      throw InvalidArgument("add_keyed: offsets must not decrease (offset " + std::to_string(k + 1) + " is " +
                            std::to_string(offsets[k + 1]) + ", after " + std::to_string(offsets[k]) + ")");
  // The journeys up to the first that add() would refuse go in at once; that one, and those after it, take
  // the one-at-a-time way, which throws add()'s message (a set with text keys takes it for all).
  std::size_t ok = 0;
  if ((keyed_ || size() == 0) && set_.key_kind_ != KeyKind::text && set_.follows_conversion_.empty()) {
    const std::size_t n_tp = set_.touchpoints_.size();
    auto fine = [](double x) { return std::isfinite(x) && x >= 0 && x < kMaxWeight && !(x > 0 && x < kMinWeight); };
    for (; ok < n; ++ok) {
      const std::uint32_t b = offsets[ok], e = offsets[ok + 1];
      if (e <= b) break;
      bool ids = true;
      for (std::uint32_t q = b; q < e; ++q) ids = ids && touches[q] < n_tp;
      const double c = conversions[ok], u = nulls[ok], v = values[ok];
      if (!ids || !fine(c) || !fine(u) || !fine(v) || c + u >= kMaxWeight || (v > 0 && c == 0)) break;
    }
    if (ok > 0) {
      if (!keyed_) {
        keyed_ = true;
        set_.key_kind_ = KeyKind::integer;
      }
      set_.touches_.insert(set_.touches_.end(), touches.begin(), touches.begin() + offsets[ok]);
      const std::uint64_t base = set_.offsets_.back();
      for (std::size_t k = 1; k <= ok; ++k) set_.offsets_.push_back(base + offsets[k]);
      set_.conversions_.insert(set_.conversions_.end(), conversions.begin(), conversions.begin() + ok);
      set_.nulls_.insert(set_.nulls_.end(), nulls.begin(), nulls.begin() + ok);
      set_.values_.insert(set_.values_.end(), values.begin(), values.begin() + ok);
      set_.key_ints_.insert(set_.key_ints_.end(), keys.begin(), keys.begin() + ok);
      pending_is_text_ = false;  // as after key(keys[ok - 1])
      pending_int_ = keys[ok - 1];
      // The totals in journey order, as add() sums them.
      for (std::size_t k = 0; k < ok; ++k) {
        set_.total_conversions_ += conversions[k];
        set_.total_nulls_ += nulls[k];
        set_.total_value_ += values[k];
      }
    }
  }
  for (std::size_t k = ok; k < n; ++k) {
    key(keys[k]);
    add(Span<const std::uint32_t>(touches.data() + offsets[k], offsets[k + 1] - offsets[k]), {}, conversions[k],
        nulls[k], values[k]);
  }
}

void JourneySetBuilder::add(const std::vector<std::string>& path, double conversions, double nulls, double value,
                            std::uint32_t seg) {
  std::vector<std::uint32_t> ids;
  ids.reserve(path.size());
  for (const auto& name : path) ids.push_back(touchpoint(detail::trim(name)));
  add(Span<const std::uint32_t>(ids.data(), ids.size()), {}, conversions, nulls, value, seg);
}

void JourneySetBuilder::append(const JourneySet& other) {
  if (other.has_times_ != set_.has_times_ || other.has_segments_ != set_.has_segments_)
    throw InvalidArgument("append: the journey sets differ in timestamps or segments");
  std::vector<std::uint32_t> tp_map(other.touchpoints_.size()), seg_map(other.segments_.size());
  for (std::uint32_t i = 0; i < tp_map.size(); ++i) tp_map[i] = touchpoint(other.touchpoints_.name(i));
  for (std::uint32_t i = 0; i < seg_map.size(); ++i) seg_map[i] = segment(other.segments_.name(i));
  std::vector<std::uint32_t> ids;
  const bool keys = keyed_ || (size() == 0 && other.has_keys());
  for (std::size_t j = 0; j < other.size(); ++j) {
    if (keys) key_of(other, j);
    auto p = other.path(j);
    ids.assign(p.begin(), p.end());
    for (auto& id : ids) id = tp_map[id];
    add(Span<const std::uint32_t>(ids.data(), ids.size()), other.times(j), other.conversions_[j], other.nulls_[j],
        other.values_[j], other.has_segments_ ? seg_map[other.segment_ids_[j]] : 0, other.follows_conversion(j));
  }
}

JourneySet JourneySetBuilder::finish() {
  // Compact the touchpoint dictionary to the names in use, keeping their order.
  std::vector<std::uint32_t> remap(set_.touchpoints_.size(), 0xFFFFFFFFu);
  for (auto id : set_.touches_) remap[id] = 0;
  std::vector<std::string> used;
  for (std::uint32_t i = 0; i < remap.size(); ++i)
    if (remap[i] == 0) {
      remap[i] = static_cast<std::uint32_t>(used.size());
      used.push_back(set_.touchpoints_.name(i));
    }
  if (used.size() != set_.touchpoints_.size()) {
    for (auto& id : set_.touches_) id = remap[id];
    set_.touchpoints_ = Dictionary(used);
  }
  if (set_.key_kind_ == KeyKind::text && set_.key_offsets_.empty()) set_.key_offsets_.assign(1, 0);
  JourneySet out = std::move(set_);
  set_ = JourneySet();
  keyed_ = false;
  set_.has_times_ = out.has_times_;
  set_.time_unit_ = out.time_unit_;
  set_.epoch_unit_ = out.epoch_unit_;
  set_.time_kind_ = out.time_kind_;
  set_.has_segments_ = out.has_segments_;
  return out;
}

std::pair<JourneySet, JourneySet> split_at_time(const JourneySet& js, std::int64_t at) {
  if (!js.has_timestamps()) throw StateError("splitting at a time needs journeys with timestamps");
  std::pair<JourneySet, JourneySet> out{time_window(js, std::numeric_limits<std::int64_t>::min(), at),
                                        time_window(js, at, std::numeric_limits<std::int64_t>::max())};
  for (int side = 0; side < 2; ++side) {
    const JourneySet& part = side == 0 ? out.first : out.second;
    if (part.total_conversions() + part.total_nulls() > 0) continue;
    // The range of start times of the journeys that carry weight, to show where the split could go.
    std::int64_t first = 0, last = 0;
    bool any = false;
    for (std::size_t j = 0; j < js.size(); ++j)
      if (js.weight(j) > 0) {
        const std::int64_t t = js.times(j)[0];
        first = any ? std::min(first, t) : t;
        last = any ? std::max(last, t) : t;
        any = true;
      }
    std::string msg = "split at " + format_time(at, js.time_unit()) + ": no journey of positive weight starts " +
                      (side == 0 ? "before" : "at or after") + " it, so the " + (side == 0 ? "first" : "second") +
                      " part is empty";
    if (any)
      msg += " (the journeys start from " + format_time(first, js.time_unit()) + " to " + format_time(last, js.time_unit()) + ")";
    throw DataError(msg);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- Report

std::string BuildReport::summary() const {
  std::ostringstream os;
  os << rows << " rows -> " << journeys << " journeys, " << touches << " touches";
  auto item = [&](std::uint64_t n, const char* what) {
    if (n) os << "; " << n << ' ' << what;
  };
  item(rows_skipped, "malformed rows skipped");
  item(blank_lines, "blank lines");
  item(splits_at_conversion, "journeys split after a conversion");
  item(splits_at_gap, "journeys split at an inactivity gap");
  item(touches_dropped_lookback, "touches outside the lookback window dropped");
  item(touches_dropped_max_touches, "touches beyond max touches dropped");
  item(repeats_collapsed, "repeated touches collapsed");
  item(values_ignored, "values on non-conversion rows ignored");
  item(duplicate_events, "duplicate events (kept)");
  item(reordered_events, "events out of time order (sorted)");
  item(zero_weight_journeys, "journeys with zero weight");
  item(segment_conflicts, "journeys with conflicting segments (first kept)");
  for (const auto& n : notes) os << "; " << n;
  for (const auto& e : skipped_examples) os << "\n  skipped: " << e;
  return os.str();
}

EventArrays EventTable::arrays() const {
  EventArrays a;
  a.journey = Span<const std::int64_t>(journey.data(), journey.size());
  a.time = Span<const std::int64_t>(time.data(), time.size());
  a.time_unit = time_unit;
  a.touchpoint = Span<const std::uint32_t>(touchpoint.data(), touchpoint.size());
  a.touchpoint_names = touchpoint_names;
  a.conversion = Span<const std::uint8_t>(conversion.data(), conversion.size());
  a.value = Span<const double>(value.data(), value.size());
  if (!segment.empty()) a.segment = Span<const std::uint32_t>(segment.data(), segment.size());
  a.segment_names = segment_names;
  return a;
}

}  // namespace journeygraph
