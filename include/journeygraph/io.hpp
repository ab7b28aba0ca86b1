#pragma once
/// \file io.hpp
/// Reading journeys from CSV: event logs and ChannelAttribution's aggregated path format.
/// Every malformed input raises ParseError naming the file, line, column, field and value.

#include <cstdint>
#include <string>
#include <string_view>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"

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
  /// Optional segment label of the journey (persona, device, region ...).
  Column segment{"", false};
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

/// Write journeys as an aggregated paths CSV (identical paths merged, first-seen order) with columns
/// path, total_conversions, total_null, total_conversion_value. Throws InvalidArgument if a touchpoint name
/// contains the separator, IoError if the file cannot be written. Complexity: O(touches) expected.
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

}  // namespace journeygraph
