#pragma once
/// \file io.hpp
/// Reading journeys from CSV: event logs and ChannelAttribution's aggregated path format.
/// Every malformed input raises ParseError naming the file, line, column, field and value.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// A column to read: its header name and whether its absence is an error. An optional column that is
/// absent is reported in BuildReport::notes. An empty name means "do not read this column".
struct Column {
  std::string name;
  bool required = true;
  Column() = default;
  Column(std::string n, bool req = true) : name(std::move(n)), required(req) {}  // NOLINT
  Column(const char* n, bool req = true) : name(n), required(req) {}  // NOLINT
};

/// CSV dialect and error policy. Files are RFC 4180: a header row, fields separated by delimiter,
/// fields optionally quoted with '"' (doubled inside), LF or CRLF line ends, an optional UTF-8 BOM.
struct CsvFormat {
  char delimiter = ',';
  /// Skip malformed rows instead of failing; skipped rows are counted in BuildReport::rows_skipped with
  /// the first messages in skipped_examples. Structural errors (bad header, unterminated quote at end of
  /// file, invalid UTF-8 in the header) always fail.
  bool skip_bad_rows = false;
  /// Longest accepted field in bytes; longer fields are an error (protects memory on hostile input).
  std::size_t max_field_bytes = std::size_t(1) << 20;
};

/// How the time column is read. Nothing is guessed:
/// - Without a pattern, a value is an epoch number (an integer or a decimal such as "1700000000.25", in the
///   epoch unit) or ISO-8601 text: "2024-03-01", "2024-03-01T12:30:00", "2024-03-01 12:30:00.250+02:00",
///   "...Z". Any other form is an error that names the value and suggests a pattern; "03/04/2026" in
///   particular (day first or month first?) is refused with both patterns to choose from.
/// - With a pattern, every value must match it (epoch numbers and ISO text included).
/// Naive local times (no offset, no Z) are read as UTC.
/// The stored unit is milliseconds for epoch seconds or milliseconds, else the epoch unit (stored_time_unit);
/// digits finer than it are truncated.
struct TimeFormat {
  /// Unit of epoch numbers. Unset means seconds, checked: when a value would lie after the year 2200, or every
  /// value before 1971, the read stops with an error naming the value and what it would be in each unit (epoch
  /// milliseconds or microseconds read as seconds are the usual cause). Setting the unit, even to seconds,
  /// turns the check off.
  std::optional<TimeUnit> integer_unit;
  /// strftime-style pattern of date-time text, e.g. "%d/%m/%Y %H:%M"; empty: epoch numbers or ISO-8601.
  /// Directives: %Y (4-digit year), %y (2 digits: 69-99 are 19xx, 00-68 20xx), %m (month, 1-2 digits),
  /// %b or %B (English month name, abbreviated or full, any case), %d (day, 1-2 digits), %j (day of the year,
  /// 1-3 digits; instead of month and day), %H (hour 0-23), %I with %p (hour 1-12 with AM/PM), %M (minute),
  /// %S (second, 0-59), %f (fraction of a second, 1-9 or more digits), %z (Z, +HH, +HHMM or +HH:MM), %T
  /// (%H:%M:%S), %% (a percent sign). A space matches one or more spaces or tabs; any other character
  /// matches itself. A year, and a month and day (or a day of the year), are required.
  std::string pattern;
};

/// The unit times are stored in when read under format: milliseconds for epoch seconds or milliseconds,
/// else the epoch unit. Complexity: O(1).
TimeUnit stored_time_unit(const TimeFormat& format) noexcept;

/// The one time parser of the library: the CSV reader, convert_time_column and parse_instant all read time
/// text through it, so every face reads a time the same way. Construction checks the pattern; parse() is
/// then safe to call from many threads at once.
class TimeParser {
 public:
  /// Throws InvalidArgument naming the pattern and the byte of an unknown directive, a directive given
  /// twice, or a pattern that lacks a year, month or day. Complexity: O(pattern length).
  explicit TimeParser(const TimeFormat& format = {});
  /// Unit of the results: stored_time_unit(format).
  TimeUnit unit() const noexcept { return unit_; }
  /// Unit of epoch numbers (seconds when the format leaves it unset).
  TimeUnit epoch_unit() const noexcept { return epoch_unit_; }
  /// Whether epoch numbers are checked for plausibility (no pattern and no unit given).
  bool checks_epoch_range() const noexcept { return check_range_; }
  /// The pattern (empty: epoch numbers or ISO-8601).
  const std::string& pattern() const noexcept { return pattern_; }
  /// One value (blanks around it ignored) in ticks of unit(); *is_epoch, when given, tells whether it was an
  /// epoch number. Throws InvalidArgument whose message quotes the value, says why it was refused and, for
  /// text of another form, which pattern reads it. Complexity: O(length).
  std::int64_t parse(std::string_view text, bool* is_epoch = nullptr) const;

  /// One compiled element of the pattern: a directive (kind > 0) or literal text (kind 0).
  struct Step {
    int kind = 0;
    std::string text;
  };

 private:
  std::int64_t parse_text(std::string_view text, bool* is_epoch) const;  // parse() beyond plain digits
  std::vector<Step> steps_;
  std::string pattern_;
  TimeUnit unit_, epoch_unit_;
  std::int64_t epoch_mul_ = 1, epoch_div_ = 1;  // epoch numbers to ticks of unit_: x * epoch_mul_ / epoch_div_
  bool check_range_;
};

/// One cell of a time column handed over by a face: missing, an integer, a float, or text. Numbers of any
/// dtype are epoch numbers in the format's unit (an integral float is an integer; NaN is missing); text is
/// read by TimeParser (so "1700000000" as text is an epoch number too, as in a CSV file).
using TimeCell = std::variant<std::monostate, std::int64_t, double, std::string_view>;

/// A converted time column.
struct ConvertedTimes {
  std::vector<std::int64_t> times;      ///< one time per cell, in ticks of unit
  TimeUnit unit = TimeUnit::seconds;    ///< stored_time_unit(format)
  TimeKind kind = TimeKind::none;       ///< epoch, dates or mixed (none for an empty column)
  TimeUnit epoch_unit = TimeUnit::seconds;  ///< unit of the epoch numbers (the format's, seconds if unset)
};

/// Names a row of a column in messages ("row 3 (index label 'x')"); the default says "row 3".
using RowLabel = std::function<std::string(std::size_t row)>;

/// Converts a time column the way the CSV reader reads its time column, for faces that hold columns
/// (pandas object columns, C string arrays), with the same epoch range check. A column mixing numbers and
/// text is refused, as is a missing value; each error is an InvalidArgument of the form
/// "time column 'NAME', row R: ..." that quotes the value. Use EventArrays::time_kind = result.kind and
/// EventArrays::epoch_unit = result.epoch_unit when building journeys from the result.
/// Complexity: O(total length); memory O(cells).
ConvertedTimes convert_time_column(Span<const TimeCell> cells, const TimeFormat& format, std::string_view column,
                               const RowLabel& row_label = {});
/// The same for a column of text only.
ConvertedTimes convert_time_column(Span<const std::string_view> texts, const TimeFormat& format,
                               std::string_view column, const RowLabel& row_label = {});
/// The epoch range check alone, for a column of integer epochs a face passes on as they are (numpy int64):
/// does nothing when format sets the unit or a pattern, else throws InvalidArgument as convert_time_column
/// would. Complexity: O(cells).
void check_epoch_column(Span<const std::int64_t> epochs, const TimeFormat& format, std::string_view column,
                        const RowLabel& row_label = {});

/// An instant a user typed (the CLI's --split-at, an API argument), read the way the journeys' times were
/// given: ISO-8601 text (or text in `pattern`, when the data was read with one) always; a bare number as an
/// epoch number in journeys.epoch_unit() when the times came from epoch numbers (TimeKind epoch or mixed).
/// A bare number for journeys whose times were date-time text is refused with a hint (it would be a guess).
/// Returns ticks of journeys.time_unit(). Throws StateError without timestamps, InvalidArgument otherwise.
/// Complexity: O(length).
std::int64_t parse_instant(std::string_view text, const JourneySet& journeys, const std::string& pattern = {});

/// Columns and options for an events CSV (one row per touch).
struct EventCsvOptions {
  CsvFormat csv;
  Column journey{"journey_id", true};
  /// Empty name: no time column, rows of a journey are taken in file order.
  Column time{"timestamp", true};
  Column touchpoint{"touchpoint", true};
  /// Conversion flag: 1/0, true/false, yes/no, t/f, y/n (any case); empty means 0.
  Column conversion{"conversion", false};
  /// Conversion value, counted on rows whose conversion flag is set; empty means 0.
  Column value{"value", false};
  /// Optional segment label of the journey (persona, device, region ...): read when the table has it.
  Column segment{"segment", false};
  TimeFormat time_format;
};

/// Columns and options for an aggregated paths CSV (one row per distinct path).
struct PathCsvOptions {
  CsvFormat csv;
  Column path{"path", true};
  Column conversions{"total_conversions", true};
  Column nulls{"total_null", false};
  Column value{"total_conversion_value", false};
  /// Separator between touchpoints in path; names are trimmed of spaces and tabs around it.
  std::string separator = ">";
  /// Refuse a file in which no path holds the separator but most hold another common one (see
  /// SeparatorCheck). Turn off only for a file of one-touch paths whose names hold such a character.
  bool check_separator = true;
};

/// The build-report note that names the columns an events table was read with: "columns: journey
/// 'journey_id', time 'timestamp', touchpoint 'touchpoint', conversion 'conversion', value 'value'" (roles
/// whose column name is empty are left out). Complexity: O(length).
std::string columns_note(const EventCsvOptions& columns);

/// Aggregated paths as borrowed columns, one entry per row (ChannelAttribution's format, as in a paths CSV):
/// each path is given either as text (paths; split at columns.separator, names trimmed of spaces and tabs
/// around it) or as touchpoint codes (touches + offsets + touchpoint_names). Row j stands for conversions[j]
/// + nulls[j] journeys (counts may be fractional).
struct PathArrays {
  std::vector<std::string_view> paths;        ///< text form: one path per row (UTF-8)
  Span<const std::uint32_t> touches;          ///< code form: the codes of every row, concatenated
  Span<const std::uint64_t> offsets;          ///< code form: row j is touches[offsets[j] .. offsets[j+1])
  std::vector<std::string> touchpoint_names;  ///< code form: names of the codes (unique, non-empty, UTF-8)
  Span<const double> conversions;             ///< per row; empty = all 0
  Span<const double> nulls;                   ///< per row; empty = all 0
  Span<const double> values;                  ///< per row; empty = all 0
  /// The separator of the text form, and the column names error messages give ("row 3, column 'path': ...").
  PathCsvOptions columns;
};

/// Journeys from aggregated path arrays, with the paths CSV reader's rules: a path split at the separator,
/// each name trimmed of spaces and tabs. Throws InvalidArgument naming the row, the column and the value for
/// an empty path or touchpoint name, invalid UTF-8, a code out of range, decreasing offsets, a count or value
/// that is negative, not finite or at least 2^62, a value on a row without conversions, both forms or
/// columns of different lengths. Complexity: O(total path length). exec: progress and cancellation only.
JourneySet build_journeys(const PathArrays& paths, BuildReport* report = nullptr, const Execution& exec = {});
/// Watches path strings for a wrong separator: when no path holds the separator but another common one
/// (">", "->", "|", ",", ";", "/") occurs in most of them (more than half), every path would be read as one
/// touchpoint. Every path splitter (the paths CSV reader, and faces that split path strings) feeds its paths
/// here and calls problem() at the end.
class SeparatorCheck {
 public:
  /// Precondition: separator is non-empty.
  explicit SeparatorCheck(std::string_view separator);
  /// One path. O(length) until a path holds the separator, O(1) after. index and column locate it for the
  /// report (a row, or a line and column).
  void add(std::string_view path, std::uint64_t index, std::uint64_t column = 0);
  /// What was found, if it is a problem.
  struct Problem {
    std::string found;        ///< the separator the paths seem to use
    std::uint64_t paths = 0;  ///< paths holding it
    std::uint64_t total = 0;  ///< paths seen
    std::uint64_t first = 0;  ///< index of the first path holding it
    std::uint64_t first_column = 0;  ///< its column, as given to add()
    std::string example;      ///< that path
    /// "no path holds the separator ">", but 9 of 10 hold "|" (the first: "a|b"): set the separator to "|"".
    std::string message(std::string_view separator) const;
  };
  /// The problem, or nullopt when the separator occurs in some path or no other one is common.
  std::optional<Problem> problem() const;

 private:
  std::string separator_;
  bool seen_separator_ = false;
  std::uint64_t total_ = 0;
  std::uint64_t counts_[6] = {0, 0, 0, 0, 0, 0};
  std::uint64_t first_[6] = {0, 0, 0, 0, 0, 0};
  std::uint64_t column_[6] = {0, 0, 0, 0, 0, 0};
  std::string example_[6];
};

/// Throws InvalidArgument ("path N: " + message) when SeparatorCheck finds a problem in these paths (index =
/// position). For faces that split path strings. Complexity: O(total length).
void check_path_separator(Span<const std::string_view> paths, std::string_view separator);

/// What a CSV file holds, judged from its header.
enum class CsvKind { events, paths, unknown };

/// Which reader a header calls for, and why (one sentence naming the columns that decided it).
struct CsvKindGuess {
  CsvKind kind = CsvKind::unknown;
  std::string reason;
};

/// Judges a header (the names of its fields): events when it has the events options' journey and
/// touchpoint columns and not the paths options' path column; paths when it has the path and conversions
/// columns and not the journey column; unknown otherwise (the reason then says what is missing or
/// conflicting). Complexity: O(fields).
CsvKindGuess detect_csv_kind(const std::vector<std::string>& header, const EventCsvOptions& events = {},
                             const PathCsvOptions& paths = {});

/// The names of a CSV file's header row (trimmed), read with format's delimiter. Throws IoError or
/// ParseError (empty file). Complexity: O(header length).
std::vector<std::string> read_csv_header(const std::string& file, const CsvFormat& format = {});

/// Read an events CSV file and build journeys (see build_journeys for the grouping rules).
/// Throws IoError if the file cannot be read, ParseError for malformed content, DataError if it holds no
/// events. Complexity: O(file size + events log(events per journey)); memory O(events).
/// A regular file is mapped into memory and read in place (other files, such as pipes, are read into a
/// buffer), as is a paths file by read_paths_csv: the file must not be truncated by another process while it
/// is read, or the system stops the process (SIGBUS); copy a file that is still being written first.
JourneySet read_events_csv(const std::string& file, const EventCsvOptions& options = {},
                           const JourneyOptions& journey_options = {}, BuildReport* report = nullptr,
                           const Execution& exec = {});

/// Same as read_events_csv, from text in memory; name is used in error messages.
JourneySet parse_events_csv(std::string_view text, const std::string& name = "<memory>",
                            const EventCsvOptions& options = {}, const JourneyOptions& journey_options = {},
                            BuildReport* report = nullptr, const Execution& exec = {});

/// Read an aggregated paths CSV (ChannelAttribution's format). Counts may be fractional; negative or
/// non-finite counts, an empty path or an empty touchpoint name between separators are errors.
/// Throws IoError, ParseError, DataError (no rows). Complexity: O(file size); memory O(touches). The file is
/// read in blocks (mapped when it is a regular file) cut at record boundaries into pieces parsed on
/// exec.threads threads and merged in file order: the result, the report and every message are the same for
/// any thread count. Journeys are keyed by their data row (0-based).
JourneySet read_paths_csv(const std::string& file, const PathCsvOptions& options = {},
                          BuildReport* report = nullptr, const Execution& exec = {});

/// Same as read_paths_csv, from text in memory; name is used in error messages.
JourneySet parse_paths_csv(std::string_view text, const std::string& name = "<memory>",
                           const PathCsvOptions& options = {}, BuildReport* report = nullptr,
                           const Execution& exec = {});

/// One row per journey ("journeys"). Columns: path (touchpoints joined by separator), touches (integer),
/// conversions, nulls, value; with segments, segment; with timestamps, start_time and end_time (the times of
/// the first and last touch). Complexity: O(touches).
Table journey_table(const JourneySet& journeys, std::string_view separator = " > ");

/// The journeys as aggregated paths ("aggregated_paths", in ChannelAttribution's format): identical paths merged, in
/// first-seen order. Columns: path, total_conversions, total_null, total_conversion_value. Throws
/// InvalidArgument if a touchpoint name contains the separator (trimmed of spaces and tabs): the paths
/// could not be read back. Complexity: O(touches) expected.
Table path_table(const JourneySet& journeys, std::string_view separator = " > ");

/// Write path_table(journeys, separator) as CSV: it reads back with read_paths_csv. Throws as path_table,
/// and IoError if the file cannot be written. Complexity: O(touches) expected.
void write_paths_csv(const JourneySet& journeys, const std::string& file, std::string_view separator = " > ");

/// Write text to a file, replacing it; throws IoError naming the file and the reason (the errno text) when
/// the file cannot be created, a write, the flush or the close fails. A regular file (or a new one) is
/// written to a temporary file beside it ("FILE.tmpPID-N", permissions of the replaced file or 0666 less
/// the umask) that is renamed over FILE only once complete: a failed write leaves FILE as it was and no
/// temporary file. Devices and pipes (/dev/stdout, a FIFO) are written in place. A directory is refused.
/// Complexity: O(size).
void write_text_file(const std::string& file, std::string_view text);

/// A text file written piece by piece (a table streamed row by row), with the guarantees of write_text_file:
/// the pieces go to a temporary file beside FILE that replaces it only at commit(), so a failed or abandoned
/// write (an exception, no commit) leaves FILE as it was and no temporary file; devices and pipes are written
/// in place; every write, the flush and the close are checked and throw IoError naming the file and the
/// reason. Memory: a buffer of at most about 1 MiB. Not thread-safe.
class TextFileWriter {
 public:
  /// Open FILE for writing (see write_text_file); "-" is standard output (written in place). Throws IoError
  /// if it cannot be created or is a directory.
  explicit TextFileWriter(const std::string& file);
  /// Without commit(): the temporary file is removed and FILE is left as it was.
  ~TextFileWriter();
  TextFileWriter(const TextFileWriter&) = delete;
  TextFileWriter& operator=(const TextFileWriter&) = delete;
  /// Append text. Throws IoError on a failed write (the file is then abandoned). Complexity: O(size).
  void write(std::string_view text);
  /// Write what is buffered, sync, close and rename over FILE. Throws IoError on failure (FILE unchanged).
  void commit();

 private:
  [[noreturn]] void fail(int err);
  std::string target() const;
  std::string name_, file_, temp_, buffer_;
  int fd_ = -1;
};

/// Write text to standard output (after flushing stdio's buffer), every write checked; throws IoError
/// "error writing to standard output: REASON" on failure (a full disk, a closed pipe). Complexity: O(size).
void write_standard_output(std::string_view text);

/// Parse one timestamp (epoch number in integer_unit, or ISO-8601) to the given stored unit, as TimeParser
/// does without a pattern (no range check). Throws InvalidArgument with the reason on failure.
/// Complexity: O(length).
std::int64_t parse_timestamp(std::string_view text, TimeUnit integer_unit, TimeUnit stored_unit);

/// Parse a duration such as "90", "90s", "15m", "12h", "30d", "2w" (number with optional unit) to seconds.
/// Throws InvalidArgument on failure. Complexity: O(length).
double parse_duration(std::string_view text);

/// A duration in seconds as parse_duration reads it back: whole days, hours or minutes when it is one
/// ("7d", "12h", "90m"), else seconds ("1.5s"). Complexity: O(1).
std::string format_duration(double seconds);

}  // namespace journeygraph
