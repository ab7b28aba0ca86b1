// Journey sets and build reports.

#include <memory>
#include <string_view>
#include <unordered_map>

#include "capi/internal.hpp"
#include "common/text.hpp"
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

// Journeys from path strings: the same splitting and trimming rules as the paths CSV reader.
void add_string_paths(const jg_path_arrays& a, const Execution& exec, JourneySetBuilder& b, BuildReport& rep) {
  const std::string sep = a.separator ? a.separator : ">";
  if (sep.empty()) invalid("paths->separator is empty");
  std::vector<std::uint32_t> ids;
  for (std::size_t j = 0; j < a.n_paths; ++j) {
    if (exec.progress && (j & 0xFFFF) == 0 && !exec.progress(double(j) / double(a.n_paths), "build"))
      throw Interrupted("cancelled by the progress callback while building journeys from paths");
    const char* text = a.paths[j];
    if (!text) invalid("paths->paths[" + std::to_string(j) + "] is NULL");
    const std::string_view path(text);
    const std::size_t bad = detail::utf8_invalid_at(path);
    if (bad != std::string_view::npos)
      invalid("path " + std::to_string(j) + " " + detail::show(path) + " is not valid UTF-8 (byte " +
              std::to_string(bad) + ")");
    ids.clear();
    std::size_t start = 0;
    while (true) {
      const std::size_t at = path.find(sep, start);
      const std::string_view name =
          detail::trim(path.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
      if (name.empty())
        invalid("path " + std::to_string(j) + ": empty touchpoint name at position " + std::to_string(ids.size() + 1) +
                " of " + detail::show(path));
      ids.push_back(b.touchpoint(name));
      if (at == std::string_view::npos) break;
      start = at + sep.size();
    }
    const double c = a.conversions[j], n = a.nulls ? a.nulls[j] : 0.0, v = a.values ? a.values[j] : 0.0;
    if (c + n == 0) ++rep.zero_weight_journeys;
    b.add(Span<const std::uint32_t>(ids.data(), ids.size()), {}, c, n, v);
  }
}

// Journeys from code arrays + offsets.
void add_code_paths(const jg_path_arrays& a, const Execution& exec, JourneySetBuilder& b, BuildReport& rep) {
  std::vector<std::string> names = names_of(a.touchpoint_names, a.n_touchpoint_names, "paths->touchpoint_names");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::size_t bad = detail::utf8_invalid_at(names[i]);
    if (bad != std::string_view::npos)
      invalid("paths->touchpoint_names[" + std::to_string(i) + "] " + detail::show(names[i]) +
              " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  }
  b.set_touchpoints(Dictionary(names));
  if (a.n_paths == 0) return;
  need(a.offsets, "paths->offsets");
  if (a.offsets[a.n_paths] > a.offsets[0]) need(a.touches, "paths->touches");
  for (std::size_t j = 0; j < a.n_paths; ++j) {
    if (exec.progress && (j & 0xFFFF) == 0 && !exec.progress(double(j) / double(a.n_paths), "build"))
      throw Interrupted("cancelled by the progress callback while building journeys from paths");
    const std::uint64_t first = a.offsets[j], last = a.offsets[j + 1];
    if (last < first)
      invalid("paths->offsets decrease at row " + std::to_string(j) + " (" + std::to_string(first) + " then " +
              std::to_string(last) + ")");
    const double c = a.conversions[j], n = a.nulls ? a.nulls[j] : 0.0, v = a.values ? a.values[j] : 0.0;
    if (c + n == 0) ++rep.zero_weight_journeys;
    b.add(Span<const std::uint32_t>(a.touches + first, static_cast<std::size_t>(last - first)), {}, c, n, v);
  }
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
    if (a.n_paths > 0) {
      need(a.conversions, "paths->conversions");
      if (!a.paths && !a.offsets) invalid("paths->paths and paths->offsets are NULL; give the paths as strings or codes");
    }
    JourneySetBuilder b;
    BuildReport rep;
    if (a.paths || a.n_paths == 0) add_string_paths(a, ex, b, rep);
    else add_code_paths(a, ex, b, rep);
    rep.rows += a.n_paths;
    JourneySet set = b.finish();
    rep.journeys += set.size();
    rep.touches += set.touch_count();
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

jg_status jg_journeys_time_window(const jg_journeys* journeys, int64_t from, int64_t to, jg_journeys** out_journeys) {
  return guard("jg_journeys_time_window", [&] {
    reset_out(out_journeys, "out_journeys");
    const JourneySet& js = need(journeys, "journeys")->set;
    *out_journeys = new jg_journeys{time_window(js, from, to)};
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
