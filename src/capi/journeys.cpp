// Journey sets and build reports.

#include <memory>
#include <string_view>
#include <unordered_map>

#include "capi/internal.hpp"
#include "common/text.hpp"
#include "io/csv.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/samples.hpp"

namespace journeygraph::capi {
namespace {

// The names of a dictionary array: each present, non-empty and given once, or the error names the
// entry (and the earlier entry a duplicate repeats).
std::vector<std::string> names_of(const char* const* names, std::size_t n, const char* what) {
  std::vector<std::string> out;
  if (n == 0) return out;
  need(names, what);
  out.reserve(n);
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = std::string(what) + "[" + std::to_string(i) + "]";
    if (!names[i]) invalid(at + " is NULL");
    if (names[i][0] == '\0') invalid(at + " is empty (names must be non-empty)");
    out.emplace_back(names[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto [it, fresh] = seen.emplace(out[i], i);
    if (!fresh)
      invalid(std::string(what) + "[" + std::to_string(i) + "] " + detail::show(out[i]) + " appears twice (entries " +
              std::to_string(it->second) + " and " + std::to_string(i) + ")");
  }
  return out;
}

// Hands a built journey set (and its report, if the caller wants it) to the caller. Both handles are
// allocated before either output is written, so a failure leaves both outputs NULL.
void hand_out(JourneySet&& set, BuildReport&& report, jg_journeys** out_journeys, jg_report** out_report) {
  auto journeys = std::make_unique<jg_journeys>(jg_journeys{std::move(set)});
  std::unique_ptr<jg_report> rep;
  if (out_report) rep = std::make_unique<jg_report>(jg_report{std::move(report)});
  *out_journeys = journeys.release();
  if (out_report) *out_report = rep.release();
}

const JourneySet& set_of(const jg_journeys* journeys) { return need(journeys, "journeys")->set; }

void check_journey(const JourneySet& set, std::size_t journey) { check_index(journey, set.size(), "journey"); }

}  // namespace
}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

jg_status jg_journeys_from_events(const jg_event_arrays* events, const jg_journey_options* options,
                                  const jg_exec_options* exec, jg_journeys** out_journeys, jg_report** out_report) {
  return guard("jg_journeys_from_events", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_report);
    const jg_event_arrays& a = *need(events, "events");
    check_version(a.version, JG_EVENT_ARRAYS_VERSION, "jg_event_arrays");
    const JourneyOptions jo = to_journey_options(options);
    const Execution ex = to_execution(exec);
    const std::size_t n = a.n_events;
    if (n > 0) {
      need(a.journey, "events->journey");
      need(a.touchpoint, "events->touchpoint");
    }
    EventArrays ev;
    ev.journey = Span<const std::int64_t>(a.journey, n);
    if (a.time) ev.time = Span<const std::int64_t>(a.time, n);
    ev.time_unit = to_time_unit(a.time_unit, "events->time_unit");
    ev.touchpoint = Span<const std::uint32_t>(a.touchpoint, n);
    ev.touchpoint_names = names_of(a.touchpoint_names, a.n_touchpoint_names, "events->touchpoint_names");
    if (a.conversion) ev.conversion = Span<const std::uint8_t>(a.conversion, n);
    if (a.value) ev.value = Span<const double>(a.value, n);
    if (a.segment && n > 0) {
      ev.segment = Span<const std::uint32_t>(a.segment, n);
      ev.segment_names = names_of(a.segment_names, a.n_segment_names, "events->segment_names");
    }
    BuildReport rep;
    JourneySet set = build_journeys(ev, jo, &rep, ex);
    hand_out(std::move(set), std::move(rep), out_journeys, out_report);
  });
}

jg_status jg_journeys_from_paths(const jg_path_arrays* paths, const jg_exec_options* exec, jg_journeys** out_journeys,
                                 jg_report** out_report) {
  return guard("jg_journeys_from_paths", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_report);
    const jg_path_arrays& a = *need(paths, "paths");
    check_version(a.version, JG_PATH_ARRAYS_VERSION, "jg_path_arrays");
    const Execution ex = to_execution(exec);
    if (a.paths && a.touches)
      invalid("both paths->paths and paths->touches are set; give each path either as a string or as codes");
    const std::size_t n = a.n_paths;
    PathArrays pa;
    if (n > 0) {
      need(a.conversions, "paths->conversions");
      pa.conversions = Span<const double>(a.conversions, n);
      if (a.nulls) pa.nulls = Span<const double>(a.nulls, n);
      if (a.values) pa.values = Span<const double>(a.values, n);
    }
    if (a.separator && !*a.separator) invalid("paths->separator is empty");
    if (a.separator) pa.columns.separator = a.separator;
    // Messages name the fields of jg_path_arrays ("row 3, column 'nulls': ...").
    pa.columns.path.name = a.paths ? "paths" : "touches";
    pa.columns.conversions.name = "conversions";
    pa.columns.nulls.name = "nulls";
    pa.columns.value.name = "values";
    if (a.paths) {
      for (std::size_t j = 0; j < n; ++j)
        pa.paths.emplace_back(need(a.paths[j], ("paths->paths[" + std::to_string(j) + "]").c_str()));
    } else if (n > 0) {
      if (!a.offsets) invalid("paths->paths and paths->offsets are NULL; give each path either as a string or as codes");
      pa.offsets = Span<const std::uint64_t>(a.offsets, n + 1);
      if (a.offsets[n] > 0) pa.touches = Span<const std::uint32_t>(need(a.touches, "paths->touches"), a.offsets[n]);
      pa.touchpoint_names = names_of(a.touchpoint_names, a.n_touchpoint_names, "paths->touchpoint_names");
    }
    BuildReport rep;
    JourneySet set = build_journeys(pa, &rep, ex);
    hand_out(std::move(set), std::move(rep), out_journeys, out_report);
  });
}

jg_status jg_journeys_read_events_csv(const char* file, const jg_event_csv_options* options,
                                      const jg_journey_options* journey_options, const jg_exec_options* exec,
                                      jg_journeys** out_journeys, jg_report** out_report) {
  return guard("jg_journeys_read_events_csv", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_report);
    need(file, "file");
    const EventCsvOptions o = to_event_csv_options(options);
    const JourneyOptions jo = to_journey_options(journey_options);
    const Execution ex = to_execution(exec);
    BuildReport rep;
    JourneySet set = read_events_csv(file, o, jo, &rep, ex);
    hand_out(std::move(set), std::move(rep), out_journeys, out_report);
  });
}

jg_status jg_journeys_parse_events_csv(const char* text, size_t length, const char* name,
                                       const jg_event_csv_options* options, const jg_journey_options* journey_options,
                                       const jg_exec_options* exec, jg_journeys** out_journeys,
                                       jg_report** out_report) {
  return guard("jg_journeys_parse_events_csv", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_report);
    if (length > 0) need(text, "text");
    need(name, "name");
    const EventCsvOptions o = to_event_csv_options(options);
    const JourneyOptions jo = to_journey_options(journey_options);
    const Execution ex = to_execution(exec);
    BuildReport rep;
    JourneySet set = parse_events_csv(std::string_view(length ? text : "", length), name, o, jo, &rep, ex);
    hand_out(std::move(set), std::move(rep), out_journeys, out_report);
  });
}

jg_status jg_journeys_read_paths_csv(const char* file, const jg_path_csv_options* options, const jg_exec_options* exec,
                                     jg_journeys** out_journeys, jg_report** out_report) {
  return guard("jg_journeys_read_paths_csv", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_report);
    need(file, "file");
    const PathCsvOptions o = to_path_csv_options(options);
    const Execution ex = to_execution(exec);
    BuildReport rep;
    JourneySet set = read_paths_csv(file, o, &rep, ex);
    hand_out(std::move(set), std::move(rep), out_journeys, out_report);
  });
}

jg_status jg_journeys_parse_paths_csv(const char* text, size_t length, const char* name,
                                      const jg_path_csv_options* options, const jg_exec_options* exec,
                                      jg_journeys** out_journeys, jg_report** out_report) {
  return guard("jg_journeys_parse_paths_csv", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_report);
    if (length > 0) need(text, "text");
    need(name, "name");
    const PathCsvOptions o = to_path_csv_options(options);
    const Execution ex = to_execution(exec);
    BuildReport rep;
    JourneySet set = parse_paths_csv(std::string_view(length ? text : "", length), name, o, &rep, ex);
    hand_out(std::move(set), std::move(rep), out_journeys, out_report);
  });
}

jg_status jg_journeys_sample(size_t customers, uint64_t seed, const jg_journey_options* journey_options,
                             const jg_exec_options* exec, jg_journeys** out_journeys, jg_report** out_report) {
  return guard("jg_journeys_sample", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_report);
    const JourneyOptions jo = to_journey_options(journey_options);
    const Execution ex = to_execution(exec);
    const EventTable table = sample_events(customers, seed);
    BuildReport rep;
    JourneySet set = build_journeys(table.arrays(), jo, &rep, ex);
    hand_out(std::move(set), std::move(rep), out_journeys, out_report);
  });
}

void jg_journeys_free(jg_journeys* journeys) { delete journeys; }

jg_status jg_journeys_get_info(const jg_journeys* journeys, jg_journeys_info* out_info) {
  return guard("jg_journeys_get_info", [&] {
    const JourneySet& s = set_of(journeys);
    jg_journeys_info& info = info_out(out_info, "out_info", JG_JOURNEYS_INFO_VERSION, "jg_journeys_info");
    info.n_journeys = s.size();
    info.n_touches = s.touch_count();
    info.n_touchpoints = s.touchpoints().size();
    info.n_segments = s.segments().size();
    info.has_timestamps = s.has_timestamps() ? 1 : 0;
    info.time_unit = from_time_unit(s.time_unit());
    info.has_segments = s.has_segments() ? 1 : 0;
    info.total_conversions = s.total_conversions();
    info.total_nulls = s.total_nulls();
    info.total_value = s.total_value();
    info.memory_bytes = s.memory_bytes();
    if (info.version < 2) return;  // a version-1 struct ends here
    info.time_kind = from_time_kind(s.time_kind());
    info.epoch_unit = from_time_unit(s.epoch_unit());
  });
}

jg_status jg_journeys_touchpoint_name(const jg_journeys* journeys, size_t id, const char** out_name) {
  return guard("jg_journeys_touchpoint_name", [&] {
    const JourneySet& s = set_of(journeys);
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(id, s.touchpoints().size(), "touchpoint id");
    *out_name = s.touchpoints().name(static_cast<std::uint32_t>(id)).c_str();
  });
}

jg_status jg_journeys_segment_name(const jg_journeys* journeys, size_t id, const char** out_name) {
  return guard("jg_journeys_segment_name", [&] {
    const JourneySet& s = set_of(journeys);
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(id, s.segments().size(), "segment id");
    *out_name = s.segments().name(static_cast<std::uint32_t>(id)).c_str();
  });
}

jg_status jg_journeys_path(const jg_journeys* journeys, size_t journey, uint32_t* out_touchpoints, size_t capacity,
                           size_t* out_len) {
  return guard("jg_journeys_path", [&] {
    const JourneySet& s = set_of(journeys);
    need(out_len, "out_len");
    *out_len = 0;
    check_journey(s, journey);
    const auto p = s.path(journey);
    write_array(p.data(), p.size(), out_touchpoints, capacity, out_len, "out_touchpoints");
  });
}

jg_status jg_journeys_times(const jg_journeys* journeys, size_t journey, int64_t* out_times, size_t capacity,
                            size_t* out_len) {
  return guard("jg_journeys_times", [&] {
    const JourneySet& s = set_of(journeys);
    need(out_len, "out_len");
    *out_len = 0;
    check_journey(s, journey);
    const auto t = s.times(journey);
    write_array(t.data(), t.size(), out_times, capacity, out_len, "out_times");
  });
}

jg_status jg_journeys_outcome(const jg_journeys* journeys, size_t journey, double* out_conversions, double* out_nulls,
                              double* out_value) {
  return guard("jg_journeys_outcome", [&] {
    const JourneySet& s = set_of(journeys);
    need(out_conversions, "out_conversions");
    need(out_nulls, "out_nulls");
    need(out_value, "out_value");
    check_journey(s, journey);
    *out_conversions = s.conversions(journey);
    *out_nulls = s.nulls(journey);
    *out_value = s.value(journey);
  });
}

jg_status jg_journeys_segment(const jg_journeys* journeys, size_t journey, uint32_t* out_segment) {
  return guard("jg_journeys_segment", [&] {
    const JourneySet& s = set_of(journeys);
    need(out_segment, "out_segment");
    check_journey(s, journey);
    *out_segment = s.segment(journey);
  });
}

jg_status jg_journeys_path_string(const jg_journeys* journeys, size_t journey, const char* separator, char* out,
                                  size_t capacity, size_t* out_len) {
  return guard("jg_journeys_path_string", [&] {
    const JourneySet& s = set_of(journeys);
    need(out_len, "out_len");
    *out_len = 0;
    check_journey(s, journey);
    write_string(s.path_string(journey, separator ? separator : " > "), out, capacity, out_len, "out");
  });
}

jg_status jg_journeys_slice(const jg_journeys* journeys, size_t first, size_t count, jg_journeys** out_journeys) {
  return guard("jg_journeys_slice", [&] {
    reset_out(out_journeys, "out_journeys");
    const JourneySet& s = set_of(journeys);
    *out_journeys = new jg_journeys{s.slice(first, count)};
  });
}

jg_status jg_journeys_segment_subset(const jg_journeys* journeys, size_t segment, jg_journeys** out_journeys) {
  return guard("jg_journeys_segment_subset", [&] {
    reset_out(out_journeys, "out_journeys");
    const JourneySet& s = set_of(journeys);
    if (!s.has_segments()) throw StateError("jg_journeys_segment_subset: the journeys have no segments");
    check_index(segment, s.segments().size(), "segment id");
    *out_journeys = new jg_journeys{s.segment_subset(static_cast<std::uint32_t>(segment))};
  });
}

jg_status jg_journeys_write_paths_csv(const jg_journeys* journeys, const char* file, const char* separator) {
  return guard("jg_journeys_write_paths_csv", [&] {
    const JourneySet& s = set_of(journeys);
    need(file, "file");
    write_paths_csv(s, file, separator ? separator : " > ");
  });
}

jg_status jg_journeys_table(const jg_journeys* journeys, const char* separator, jg_table** out_table) {
  return guard("jg_journeys_table", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(journey_table(set_of(journeys), separator ? separator : " > "));
  });
}

jg_status jg_journeys_time_window(const jg_journeys* journeys, int64_t from, int64_t to, jg_journeys** out_journeys) {
  return guard("jg_journeys_time_window", [&] {
    reset_out(out_journeys, "out_journeys");
    const JourneySet& js = need(journeys, "journeys")->set;
    *out_journeys = new jg_journeys{time_window(js, from, to)};
  });
}

jg_status jg_parse_instant(const jg_journeys* journeys, const char* text, const char* pattern, int64_t* out_ticks) {
  return guard("jg_parse_instant", [&] {
    const JourneySet& js = need(journeys, "journeys")->set;
    need(text, "text");
    need(out_ticks, "out_ticks");
    *out_ticks = parse_instant(text, js, pattern ? pattern : "");
  });
}

jg_status jg_journeys_split_at_time(const jg_journeys* journeys, int64_t at, jg_journeys** out_before,
                                    jg_journeys** out_from) {
  return guard("jg_journeys_split_at_time", [&] {
    reset_out(out_before, "out_before");
    reset_out(out_from, "out_from");
    const JourneySet& js = need(journeys, "journeys")->set;
    auto parts = split_at_time(js, at);
    auto before = std::make_unique<jg_journeys>(jg_journeys{std::move(parts.first)});
    auto from = std::make_unique<jg_journeys>(jg_journeys{std::move(parts.second)});
    *out_before = before.release();
    *out_from = from.release();
  });
}

jg_status jg_detect_csv_kind(const char* file, const char* text, size_t length, const jg_event_csv_options* events,
                             const jg_path_csv_options* paths, jg_csv_kind* out_kind, char* out_reason,
                             size_t capacity, size_t* out_len) {
  return guard("jg_detect_csv_kind", [&] {
    need(out_kind, "out_kind");
    need(out_len, "out_len");
    *out_kind = JG_CSV_UNKNOWN;
    if (!file && !text && length > 0) invalid("file and text are NULL but length is " + std::to_string(length));
    const EventCsvOptions eo = to_event_csv_options(events);
    const PathCsvOptions po = to_path_csv_options(paths);
    const CsvFormat& format = events || !paths ? eo.csv : po.csv;
    std::vector<std::string> header;
    if (file) {
      header = read_csv_header(file, format);
    } else {
      detail::CsvReader reader(std::string_view(text ? text : "", length), "<memory>", format);
      header = detail::header_names(reader, "<memory>");
    }
    const CsvKindGuess guess = detect_csv_kind(header, eo, po);
    *out_kind = guess.kind == CsvKind::events ? JG_CSV_EVENTS : guess.kind == CsvKind::paths ? JG_CSV_PATHS : JG_CSV_UNKNOWN;
    write_string(guess.reason, out_reason, capacity, out_len, "out_reason");
  });
}

jg_status jg_format_time(int64_t ticks, jg_time_unit unit, char* out, size_t capacity, size_t* out_len) {
  return guard("jg_format_time", [&] {
    need(out_len, "out_len");
    write_string(format_time(ticks, to_time_unit(unit, "unit")), out, capacity, out_len, "out");
  });
}

// ------------------------------------------------------------------------------------------------ reports

void jg_report_free(jg_report* report) { delete report; }

jg_status jg_report_get_counts(const jg_report* report, jg_report_counts* out_counts) {
  return guard("jg_report_get_counts", [&] {
    const BuildReport& r = need(report, "report")->report;
    jg_report_counts& c = info_out(out_counts, "out_counts", JG_REPORT_COUNTS_VERSION, "jg_report_counts");
    c.rows = r.rows;
    c.rows_skipped = r.rows_skipped;
    c.blank_lines = r.blank_lines;
    c.journeys = r.journeys;
    c.touches = r.touches;
    c.splits_at_conversion = r.splits_at_conversion;
    c.splits_at_gap = r.splits_at_gap;
    c.touches_dropped_lookback = r.touches_dropped_lookback;
    c.touches_dropped_max_touches = r.touches_dropped_max_touches;
    c.repeats_collapsed = r.repeats_collapsed;
    c.values_ignored = r.values_ignored;
    c.duplicate_events = r.duplicate_events;
    c.reordered_events = r.reordered_events;
    c.zero_weight_journeys = r.zero_weight_journeys;
    c.segment_conflicts = r.segment_conflicts;
  });
}

jg_status jg_report_summary(const jg_report* report, char* out, size_t capacity, size_t* out_len) {
  return guard("jg_report_summary", [&] {
    const BuildReport& r = need(report, "report")->report;
    write_string(r.summary(), out, capacity, out_len, "out");
  });
}

jg_status jg_report_note_count(const jg_report* report, size_t* out_count) {
  return guard("jg_report_note_count", [&] {
    const BuildReport& r = need(report, "report")->report;
    *need(out_count, "out_count") = r.notes.size();
  });
}

jg_status jg_report_note(const jg_report* report, size_t index, const char** out_note) {
  return guard("jg_report_note", [&] {
    const BuildReport& r = need(report, "report")->report;
    need(out_note, "out_note");
    *out_note = nullptr;
    check_index(index, r.notes.size(), "note");
    *out_note = r.notes[index].c_str();
  });
}

jg_status jg_report_skipped_example_count(const jg_report* report, size_t* out_count) {
  return guard("jg_report_skipped_example_count", [&] {
    const BuildReport& r = need(report, "report")->report;
    *need(out_count, "out_count") = r.skipped_examples.size();
  });
}

jg_status jg_report_skipped_example(const jg_report* report, size_t index, const char** out_message) {
  return guard("jg_report_skipped_example", [&] {
    const BuildReport& r = need(report, "report")->report;
    need(out_message, "out_message");
    *out_message = nullptr;
    check_index(index, r.skipped_examples.size(), "skipped example");
    *out_message = r.skipped_examples[index].c_str();
  });
}

}  // extern "C"
