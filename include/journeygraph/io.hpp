#pragma once
/// \file io.hpp
/// Reading journeys from CSV: event logs and ChannelAttribution's aggregated path format.
/// Every malformed input raises ParseError naming the file, line, column, field and value.

#include <cstdint>
#include <string>
#include <string_view>
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

/// How the time column is read. Integers are read in integer_unit; ISO-8601 strings
/// ("2024-03-01", "2024-03-01T12:30:00", "2024-03-01 12:30:00.250+02:00", "...Z") and decimal numbers are
/// converted. The stored unit is milliseconds, or integer_unit if that is finer.
struct TimeFormat {
  TimeUnit integer_unit = TimeUnit::seconds;
};

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

/// Read an events CSV file and build journeys (see build_journeys for the grouping rules).
/// Throws IoError if the file cannot be read, ParseError for malformed content, DataError if it holds no
/// events. Complexity: O(file size + events log(events per journey)); memory O(events).
JourneySet read_events_csv(const std::string& file, const EventCsvOptions& options = {},
                           const JourneyOptions& journey_options = {}, BuildReport* report = nullptr,
                           const Execution& exec = {});

/// Same as read_events_csv, from text in memory; name is used in error messages.
JourneySet parse_events_csv(std::string_view text, const std::string& name = "<memory>",
                            const EventCsvOptions& options = {}, const JourneyOptions& journey_options = {},
                            BuildReport* report = nullptr, const Execution& exec = {});

/// Read an aggregated paths CSV (ChannelAttribution's format). Counts may be fractional; negative or
/// non-finite counts, an empty path or an empty touchpoint name between separators are errors.
/// Throws IoError, ParseError, DataError (no rows). Complexity: O(file size); memory O(touches).
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

/// Write text to a file (replacing it); throws IoError naming the file and the reason, also when the
/// write or the close fails. Complexity: O(size).
void write_text_file(const std::string& file, std::string_view text);

/// Parse one timestamp (integer in integer_unit, decimal, or ISO-8601) to the given stored unit.
/// Throws InvalidArgument with the reason on failure. Complexity: O(length).
std::int64_t parse_timestamp(std::string_view text, TimeUnit integer_unit, TimeUnit stored_unit);

/// Parse a duration such as "90", "90s", "15m", "12h", "30d", "2w" (number with optional unit) to seconds.
/// Throws InvalidArgument on failure. Complexity: O(length).
double parse_duration(std::string_view text);

/// A duration in seconds as parse_duration reads it back: whole days, hours or minutes when it is one
/// ("7d", "12h", "90m"), else seconds ("1.5s"). Complexity: O(1).
std::string format_duration(double seconds);

}  // namespace journeygraph
