#pragma once
/// \file journeys.hpp
/// Journeys: ordered touchpoint sequences with their outcome (conversions, non-conversions, value),
/// stored column-wise (CSR), and the builders that make them from events or aggregated paths.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/span.hpp"

namespace journeygraph {

/// A set of names with dense 32-bit ids in insertion order (touchpoints, segments).
class Dictionary {
 public:
  Dictionary() = default;
  /// Build from names; throws InvalidArgument on an empty or duplicated name. Complexity: O(total length).
  explicit Dictionary(const std::vector<std::string>& names);

  /// Id of name, adding it if new. Precondition: name is non-empty valid UTF-8 (checked by callers that
  /// read text). Complexity: O(length) expected.
  std::uint32_t intern(std::string_view name);
  /// Id of name, or nullopt. Complexity: O(length) expected.
  std::optional<std::uint32_t> find(std::string_view name) const;
  /// Name of id. Precondition: id < size(). Complexity: O(1).
  const std::string& name(std::uint32_t id) const { return names_[id]; }
  /// Number of names.
  std::size_t size() const noexcept { return names_.size(); }
  /// All names, indexed by id.
  const std::vector<std::string>& names() const noexcept { return names_; }

 private:
  void rehash(std::size_t slots);
  std::vector<std::string> names_;
  std::vector<std::uint32_t> slots_;  // open addressing over names_ indices; UINT32_MAX = empty
};

/// Unit of integer timestamps. Durations in the API (lookback, gap, half-life) are always in seconds.
enum class TimeUnit { seconds, milliseconds, microseconds, nanoseconds };

/// Seconds per tick of unit (1, 1e-3, 1e-6, 1e-9). Complexity: O(1).
double seconds_per_tick(TimeUnit unit) noexcept;
/// Ticks of unit per second (1, 1000, 1000000, 1000000000). Complexity: O(1).
std::int64_t ticks_per_second(TimeUnit unit) noexcept;
/// A duration of `ticks` ticks of unit in seconds, computed as whole seconds plus the remaining ticks divided by
/// ticks_per_second(unit) (not ticks x seconds_per_tick, whose rounding makes 6 days in nanoseconds
/// 518400.00000000006): exact whenever the answer is a double, else correctly rounded up to one rounding of
/// the sum, and non-decreasing in ticks. Complexity: O(1).
double ticks_to_seconds(std::int64_t ticks, TimeUnit unit) noexcept;
/// "s", "ms", "us" or "ns".
const char* time_unit_name(TimeUnit unit) noexcept;
/// The unit named "s", "ms", "us" or "ns" (the spelling of every face). Throws InvalidArgument naming the text
/// otherwise. Complexity: O(length).
TimeUnit parse_time_unit(std::string_view name);

/// Where a set's timestamps came from, so that an instant a user types is read the way the data was
/// (parse_instant in io.hpp): a bare number means an epoch number only for data given as epoch numbers.
enum class TimeKind {
  none,   ///< no timestamps
  epoch,  ///< epoch numbers, in the unit JourneySet::epoch_unit() names
  dates,  ///< date-time text (ISO-8601 or a time format) or date-time values (numpy datetime64)
  mixed,  ///< epoch numbers and date-time text in one column
};
/// "none", "epoch", "dates" or "mixed".
const char* time_kind_name(TimeKind kind) noexcept;

/// What identifies a journey in the caller's data (JourneySet::key_kind()).
enum class KeyKind {
  none,     ///< no keys: a journey's key is its row index in the set
  integer,  ///< 64-bit integers: an event log's numeric journey ids, or a paths file's data row (0-based)
  text,     ///< text: an event log's journey ids that are not all integers
};
/// "none", "integer" or "text".
const char* key_kind_name(KeyKind kind) noexcept;

/// Journeys stored column-wise: journey j has touches [offsets[j], offsets[j+1]) in touches()
/// (touchpoint ids into touchpoints()) and, when has_timestamps(), the matching times().
/// Per journey: conversions and nulls (non-conversions) are weights (a path row of ChannelAttribution's
/// format stands for conversions + nulls journeys; an event journey has 1 in one of them), value is the
/// total conversion value. Optionally each journey keeps the key that names it in the caller's data (the
/// journey id of the events it was built from, or the row of a paths file), so that per-journey results join
/// back; the journeys one id was split into (at conversions or gaps) share its key and are consecutive.
/// Immutable once built; cheap to move, copy is a deep copy.
/// Memory: 12 bytes per touch with timestamps (4 without) + 36 bytes per journey (37 when some journey
/// follows a conversion), + 8 bytes per journey with integer keys (8 + the id's length with text keys).
class JourneySet {
 public:
  JourneySet();

  /// Number of journeys (rows).
  std::size_t size() const noexcept { return conversions_.size(); }
  /// Number of touches over all journeys.
  std::size_t touch_count() const noexcept { return touches_.size(); }
  /// The touchpoint dictionary: ids in touches() index it.
  const Dictionary& touchpoints() const noexcept { return touchpoints_; }
  /// Touchpoint ids of journey j, oldest first. Precondition: j < size(). Complexity: O(1).
  Span<const std::uint32_t> path(std::size_t j) const {
    return {touches_.data() + offsets_[j], static_cast<std::size_t>(offsets_[j + 1] - offsets_[j])};
  }
  /// Whether touches carry timestamps.
  bool has_timestamps() const noexcept { return has_times_; }
  /// Timestamps of journey j (same length as path(j)), or an empty span without timestamps.
  Span<const std::int64_t> times(std::size_t j) const {
    if (!has_times_) return {};
    return {times_.data() + offsets_[j], static_cast<std::size_t>(offsets_[j + 1] - offsets_[j])};
  }
  /// Unit of the timestamps.
  TimeUnit time_unit() const noexcept { return time_unit_; }
  /// How the timestamps were given: epoch numbers, date-time text, both, or none (see TimeKind).
  TimeKind time_kind() const noexcept { return has_times_ ? time_kind_ : TimeKind::none; }
  /// Unit the epoch numbers were given in (seconds for epoch seconds stored as milliseconds); time_unit()
  /// when time_kind() is not epoch or mixed.
  TimeUnit epoch_unit() const noexcept { return epoch_unit_; }
  /// Conversions of journey j (a weight, may be fractional).
  double conversions(std::size_t j) const { return conversions_[j]; }
  /// Non-conversions of journey j (a weight, may be fractional).
  double nulls(std::size_t j) const { return nulls_[j]; }
  /// Total conversion value of journey j.
  double value(std::size_t j) const { return values_[j]; }
  /// conversions(j) + nulls(j): how many journeys row j stands for.
  double weight(std::size_t j) const { return conversions_[j] + nulls_[j]; }
  /// Whether journeys carry a segment label.
  bool has_segments() const noexcept { return has_segments_; }
  /// Segment id of journey j (into segments()); 0 when !has_segments().
  std::uint32_t segment(std::size_t j) const { return has_segments_ ? segment_ids_[j] : 0; }
  /// Whether journey j began after a conversion of the same journey id: a repeat journey (split off after a
  /// conversion, or after an inactivity gap that followed a converted part). Set by the events builders;
  /// false for aggregated paths, which do not know. Complexity: O(1).
  bool follows_conversion(std::size_t j) const { return !follows_conversion_.empty() && follows_conversion_[j] != 0; }
  /// Whether some journey follows a conversion (see follows_conversion()). Complexity: O(1).
  bool has_repeat_journeys() const noexcept { return !follows_conversion_.empty(); }
  /// The segment dictionary (empty without segments).
  const Dictionary& segments() const noexcept { return segments_; }

  /// How journeys are keyed (KeyKind::none: by their row index).
  KeyKind key_kind() const noexcept { return key_kind_; }
  /// Whether journeys carry keys (key_kind() != none).
  bool has_keys() const noexcept { return key_kind_ != KeyKind::none; }
  /// Integer key of journey j. Precondition: key_kind() == integer, j < size(). Complexity: O(1).
  std::int64_t key_integer(std::size_t j) const { return key_ints_[j]; }
  /// Text key of journey j. Precondition: key_kind() == text, j < size(). Complexity: O(1).
  std::string_view key_text(std::size_t j) const {
    return std::string_view(key_bytes_).substr(key_offsets_[j], key_offsets_[j + 1] - key_offsets_[j]);
  }
  /// Key of journey j as text whatever its kind: the integer in decimal, the text, or the row index j when
  /// the set has no keys. Precondition: j < size(). Complexity: O(length).
  std::string key_string(std::size_t j) const;

  /// Sum of conversions over all journeys.
  double total_conversions() const noexcept { return total_conversions_; }
  /// Sum of nulls over all journeys.
  double total_nulls() const noexcept { return total_nulls_; }
  /// Sum of value over all journeys.
  double total_value() const noexcept { return total_value_; }

  /// The raw columns (read-only): offsets has size()+1 entries.
  const std::vector<std::uint64_t>& offsets() const noexcept { return offsets_; }
  const std::vector<std::uint32_t>& touches() const noexcept { return touches_; }
  const std::vector<std::int64_t>& timestamps() const noexcept { return times_; }
  const std::vector<double>& conversions_column() const noexcept { return conversions_; }
  const std::vector<double>& nulls_column() const noexcept { return nulls_; }
  const std::vector<double>& values_column() const noexcept { return values_; }
  const std::vector<std::uint32_t>& segments_column() const noexcept { return segment_ids_; }

  /// Bytes held by the columns (not counting dictionaries). Complexity: O(1).
  std::size_t memory_bytes() const noexcept;
  /// The journeys [first, first + count) with the same dictionaries and their keys. Precondition:
  /// first + count <= size().
  /// Complexity: O(touches copied).
  JourneySet slice(std::size_t first, std::size_t count) const;
  /// The journeys of one segment, with their keys. Precondition: has_segments().
  /// Complexity: O(size() + touches copied).
  JourneySet segment_subset(std::uint32_t segment) const;
  /// Journey j as "a > b > c" with the given separator. Complexity: O(length of the path).
  std::string path_string(std::size_t j, std::string_view separator = " > ") const;

 private:
  friend class JourneySetBuilder;
  Dictionary touchpoints_;
  Dictionary segments_;
  std::vector<std::uint64_t> offsets_;
  std::vector<std::uint32_t> touches_;
  std::vector<std::int64_t> times_;
  std::vector<double> conversions_;
  std::vector<double> nulls_;
  std::vector<double> values_;
  std::vector<std::uint32_t> segment_ids_;
  std::vector<std::uint8_t> follows_conversion_;  // empty until a journey follows a conversion
  KeyKind key_kind_ = KeyKind::none;
  std::vector<std::int64_t> key_ints_;      // integer keys, one per journey
  std::vector<std::uint64_t> key_offsets_;  // text keys: size() + 1 offsets into key_bytes_
  std::string key_bytes_;
  TimeUnit time_unit_ = TimeUnit::seconds;
  TimeUnit epoch_unit_ = TimeUnit::seconds;
  TimeKind time_kind_ = TimeKind::epoch;
  bool has_times_ = false;
  bool has_segments_ = false;
  double total_conversions_ = 0;
  double total_nulls_ = 0;
  double total_value_ = 0;
};

/// Upper bound (exclusive) of a journey's conversions, nulls and value: 2^62. Weights and values are summed
/// exactly in fixed point (see TransitionCounts), which needs them below this.
inline constexpr double kMaxWeight = 4611686018427387904.0;
/// Smallest non-zero conversions, nulls or value a journey may have: 2^-64 (about 5.4e-20). Smaller
/// non-zero numbers are refused rather than summed inexactly.
inline constexpr double kMinWeight = 5.42101086242752217e-20;

/// Appends journeys one at a time and validates each; finish() yields the JourneySet.
class JourneySetBuilder {
 public:
  /// with_timestamps: every add() must then pass one time per touch, non-decreasing.
  explicit JourneySetBuilder(bool with_timestamps = false, TimeUnit unit = TimeUnit::seconds,
                             bool with_segments = false);
  /// Id of a touchpoint name, added if new. Throws InvalidArgument on an empty name.
  std::uint32_t touchpoint(std::string_view name);
  /// Id of a segment name, added if new. Throws InvalidArgument on an empty name.
  std::uint32_t segment(std::string_view name);
  /// Use this dictionary for touchpoints (ids in later add() calls index it). Precondition: nothing added.
  void set_touchpoints(Dictionary dictionary);
  /// Use this dictionary for segments. Precondition: nothing added.
  void set_segments(Dictionary dictionary);
  /// Record how the timestamps were given (default: epoch numbers in the builder's unit). Complexity: O(1).
  void set_time_kind(TimeKind kind, TimeUnit epoch_unit);
  /// Reserve room for journeys and touches. Complexity: O(1) amortised.
  void reserve(std::size_t journeys, std::size_t touches);
  /// Append a journey. follows_conversion marks a repeat journey (JourneySet::follows_conversion). Throws
  /// InvalidArgument (naming the journey number) when: path is empty, an id is not in the dictionary,
  /// times has the wrong length or decreases, conversions/nulls/value are negative, not finite,
  /// >= kMaxWeight or non-zero below kMinWeight, value > 0 with conversions == 0, or segment is unknown.
  /// Complexity: O(path length).
  void add(Span<const std::uint32_t> path, Span<const std::int64_t> times, double conversions, double nulls,
           double value, std::uint32_t segment = 0, bool follows_conversion = false);
  /// Append journeys at once, each with an integer key: journey k has the ids touches[offsets[k] ..
  /// offsets[k + 1]) (offsets[0] = 0; offsets has one entry more than the other spans), conversions[k],
  /// nulls[k], value values[k] and key keys[k]. The same result, checks and messages as key(keys[k]) then
  /// add() for each k in turn: on an error the journeys before the failing one stay added. Throws
  /// InvalidArgument when the spans' sizes disagree or the offsets do not start at 0, decrease or end past the
  /// touches (checked before anything is added), StateError for a builder with timestamps or segments.
  /// Complexity: O(journeys + touches).
  void add_keyed(Span<const std::uint32_t> touches, Span<const std::uint32_t> offsets,
                 Span<const double> conversions, Span<const double> nulls, Span<const double> values,
                 Span<const std::int64_t> keys);
  /// Convenience: append a journey given by touchpoint names (no timestamps).
  void add(const std::vector<std::string>& path, double conversions, double nulls, double value = 0.0,
           std::uint32_t segment = 0);
  /// The key of the journeys added from now on (the journey id of the events they come from, the row of a
  /// path). The first call, which must come before the first add(), makes the set keyed; every journey then
  /// takes the key last given. Text that is a canonical decimal integer ("42", "-7"; not "007" or "+7") is
  /// kept as an integer; other text turns every key into text (integers written in decimal), so a set's
  /// keys have one kind. Throws StateError when called first after journeys were added, InvalidArgument for
  /// empty or invalid UTF-8 text. Complexity: O(length), O(journeys) once when integers turn to text.
  void key(std::int64_t id);
  void key(std::string_view id);
  /// Copy journey j's key of a set (its row index as an integer key when the set has no keys).
  void key_of(const JourneySet& set, std::size_t j);
  /// Number of journeys added so far.
  std::size_t size() const noexcept { return set_.conversions_.size(); }
  /// Append all journeys of other (dictionaries merged by name; keys kept when this builder is keyed or
  /// empty and other has keys). Precondition: same timestamp and segment configuration.
  /// Complexity: O(other's touches).
  void append(const JourneySet& other);
  /// Finish: touchpoints that no journey uses are dropped from the dictionary (ids are compacted, order
  /// kept). The builder is left empty. Complexity: O(touches).
  JourneySet finish();

 private:
  void push_key();
  JourneySet set_;
  bool keyed_ = false;
  bool pending_is_text_ = false;
  std::int64_t pending_int_ = 0;
  std::string pending_text_;
};

/// The journeys whose first touch lies in [from, to) (timestamps in the set's unit), dictionaries and keys
/// kept except for unused touchpoints. Throws StateError without timestamps, InvalidArgument if from > to.
/// Complexity: O(journeys + touches copied).
JourneySet time_window(const JourneySet& journeys, std::int64_t from, std::int64_t to);

/// Options for turning events into journeys. Durations are in seconds.
struct JourneyOptions {
  /// A conversion ends the journey; later touches of the same journey id start a new journey.
  /// When false, a journey keeps going after a conversion and counts every conversion flag it has.
  bool split_on_conversion = true;
  /// Drop touches older than this many seconds before the journey's last touch. Needs timestamps.
  std::optional<double> lookback;
  /// A silence longer than this many seconds between two touches splits the journey. Each part counts the
  /// conversion flags of its own events: a part without one ends as a non-conversion. (With
  /// split_on_conversion a conversion has already ended its part, so the part before a gap has none; without
  /// it, each part keeps its own flags and may convert.) Needs timestamps.
  std::optional<double> gap;
  /// Replace runs of the same touchpoint by one touch (a > a > b becomes a > b). The touch kept is the
  /// run's first, with its timestamp; the later ones are dropped. Lookback is applied before (from the
  /// journey's last event), so it sees every touch; time decay afterwards uses the kept touches' times, so
  /// its ages are measured back from the first touch of the journey's last run.
  bool collapse_repeats = false;
  /// Keep at most this many touches per journey (the most recent); 0 means no limit.
  std::size_t max_touches = 0;
  /// Keep the timestamps in the JourneySet (8 bytes per touch). Times are always used for ordering,
  /// gaps and lookback; analyses that read times later (timings, time decay) need them stored.
  bool store_timestamps = true;
  /// Keep each journey's id as its key (JourneySet::key_kind; 8 bytes per journey for integer ids), so that
  /// per-journey results (credit, scores) join back to the caller's data.
  bool store_keys = true;
};

/// What a build or read did, so that nothing is dropped silently.
struct BuildReport {
  std::uint64_t rows = 0;                         ///< input rows read (events or path rows)
  std::uint64_t rows_skipped = 0;                 ///< rows skipped as malformed (only when skipping is on)
  std::vector<std::string> skipped_examples;      ///< the first skipped rows' error messages
  std::uint64_t blank_lines = 0;                  ///< empty lines in a CSV file (no data)
  std::uint64_t journeys = 0;                     ///< journeys in the result
  std::uint64_t touches = 0;                      ///< touches in the result
  std::uint64_t splits_at_conversion = 0;         ///< journeys started by a touch after a conversion
  std::uint64_t splits_at_gap = 0;                ///< journeys started by an inactivity gap
  std::uint64_t touches_dropped_lookback = 0;     ///< touches outside the lookback window
  std::uint64_t touches_dropped_max_touches = 0;  ///< touches beyond max_touches
  std::uint64_t repeats_collapsed = 0;            ///< touches removed by collapse_repeats
  std::uint64_t values_ignored = 0;               ///< events with a non-zero value but no conversion flag
  std::uint64_t duplicate_events = 0;             ///< events equal to the previous one of the journey (kept)
  std::uint64_t reordered_events = 0;             ///< events that came earlier in time than their predecessor
  std::uint64_t zero_weight_journeys = 0;         ///< journeys with conversions + nulls == 0 (kept, no weight)
  std::uint64_t segment_conflicts = 0;            ///< journeys whose events carry more than one segment
  std::vector<std::string> notes;                 ///< e.g. optional columns that were absent
  /// A one-paragraph human summary listing every non-zero count.
  std::string summary() const;
};

/// Touchpoint or segment codes of any integer width (pandas categorical codes are int8/16/32).
using CodeSpan = std::variant<Span<const std::int8_t>, Span<const std::int16_t>, Span<const std::int32_t>,
                              Span<const std::uint32_t>, Span<const std::int64_t>>;

/// Events as borrowed columns, one entry per event. Nothing is copied until build_journeys().
struct EventArrays {
  Span<const std::int64_t> journey;          ///< journey id of each event (any int64)
  Span<const std::int64_t> time;             ///< optional: timestamp of each event; empty = already in order
  TimeUnit time_unit = TimeUnit::seconds;    ///< unit of time
  /// How the times were given (JourneySet::time_kind of the result): epoch numbers by default; a face
  /// that converted datetime values or date strings says dates (see convert_time_column in io.hpp).
  TimeKind time_kind = TimeKind::epoch;
  /// Unit the epoch numbers were written in when it differs from time_unit (epoch seconds converted to
  /// milliseconds); unset: time_unit.
  std::optional<TimeUnit> epoch_unit;
  /// Optional: names of the journey ids. When given, journey holds codes into it (0 <= code < size) and
  /// the journeys are keyed by these names (JourneyOptions::store_keys); otherwise by the ids themselves.
  Span<const std::string> journey_names;
  CodeSpan touchpoint;                       ///< touchpoint code of each event, into touchpoint_names
  std::vector<std::string> touchpoint_names; ///< names of the codes (unique, non-empty)
  Span<const std::uint8_t> conversion;       ///< optional: non-zero = the journey converted at this event
  Span<const double> value;                  ///< optional: conversion value (counted on conversion events)
  CodeSpan segment;                          ///< optional: segment code of each event (empty span = none)
  std::vector<std::string> segment_names;    ///< names of the segment codes
};

/// Group events by journey id (journeys keep the order of their first event), order each journey by time
/// (stable: ties keep input order), then apply options in this order: split after conversions, split at
/// gaps, lookback, collapse repeats, max touches. Every dropped or changed item is counted in *report.
/// Throws InvalidArgument naming the event index and value for mismatched lengths, codes out of range,
/// negative or non-finite values, or options that need timestamps without them.
/// Complexity: O(n) time plus O(m log m) per journey of m events out of time order. Memory: the result
/// only when the events are already grouped by journey (ids non-decreasing, the usual export order);
/// otherwise an index of 8 bytes per event plus a hash table of journey ids is built first.
/// exec: its progress callback is called (and may cancel); the build itself runs on the calling thread
/// (exec.threads is not used here).
JourneySet build_journeys(const EventArrays& events, const JourneyOptions& options = {},
                          BuildReport* report = nullptr, const Execution& exec = {});

/// The journeys split by the time of their first touch: first those starting before `at`, then those
/// starting at or after it (`at` in ticks of journeys.time_unit(); parse_instant in io.hpp reads a user's
/// text). Dictionaries and the time kind are kept. Throws StateError without timestamps, and DataError when
/// a side has no journey of positive weight (nothing to fit or compare), naming the split instant and the
/// side, with the range of start times the journeys have.
/// Complexity: O(journeys + touches).
std::pair<JourneySet, JourneySet> split_at_time(const JourneySet& journeys, std::int64_t at);

/// A time as ISO-8601 UTC text ("2026-01-01T00:00:00Z", with as many fraction digits as the unit needs
/// when not zero). Years outside 0..9999 are written with their sign and all their digits.
/// Complexity: O(1).
std::string format_time(std::int64_t ticks, TimeUnit unit);

/// Events owned in memory (the built-in samples return this). arrays() gives a borrowed view.
struct EventTable {
  std::vector<std::int64_t> journey;
  std::vector<std::int64_t> time;
  TimeUnit time_unit = TimeUnit::seconds;
  std::vector<std::uint32_t> touchpoint;
  std::vector<std::string> touchpoint_names;
  std::vector<std::uint8_t> conversion;
  std::vector<double> value;
  std::vector<std::uint32_t> segment;
  std::vector<std::string> segment_names;
  /// Number of events.
  std::size_t size() const noexcept { return journey.size(); }
  /// A borrowed view; valid while this table is alive and unmodified.
  EventArrays arrays() const;
};

}  // namespace journeygraph
