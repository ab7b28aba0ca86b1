// Versioned structs: their _init() functions and their conversion into the C++ option types.
//
// Versioning rule: a struct of version v is a prefix of the struct of any later version. When a field is
// appended the struct's VERSION macro grows, the readers below take the new field only from callers that
// declare the new version (older callers get the C++ default), and the _init() functions write only the
// prefix that the requested version has. jg_attribution_options, jg_event_csv_options, jg_path_csv_options
// and jg_journeys_info are at version 2; every other struct is at version 1, so reading one is a plain
// field copy.

#include <cmath>
#include <cstddef>
#include <cstring>

#include "capi/internal.hpp"

namespace journeygraph::capi {
namespace {

const jg_exec_options kExecDefaults = JG_EXEC_OPTIONS_INIT;
// The defaults of the option structs are the core's: each is filled from a default-made C++ struct (the
// _INIT macros of the header repeat them for C, and a test checks that both agree).
const jg_journey_options kJourneyDefaults = [] {
  const JourneyOptions d;
  jg_journey_options o = JG_JOURNEY_OPTIONS_INIT;
  o.split_on_conversion = d.split_on_conversion;
  o.use_lookback = d.lookback.has_value();
  o.lookback_seconds = d.lookback.value_or(0.0);
  o.use_gap = d.gap.has_value();
  o.gap_seconds = d.gap.value_or(0.0);
  o.collapse_repeats = d.collapse_repeats;
  o.max_touches = d.max_touches;
  return o;
}();
const jg_event_arrays kEventArraysDefaults = JG_EVENT_ARRAYS_INIT;
const jg_path_arrays kPathArraysDefaults = JG_PATH_ARRAYS_INIT;
jg_column from_column(const Column& c) { return {c.name.empty() ? nullptr : c.name.c_str(), c.required ? 1 : 0}; }
const jg_event_csv_options kEventCsvDefaults = [] {
  static const EventCsvOptions d;  // its strings live as long as the program: the C struct points into them
  jg_event_csv_options o = JG_EVENT_CSV_OPTIONS_INIT;
  o.delimiter = d.csv.delimiter;
  o.skip_bad_rows = d.csv.skip_bad_rows;
  o.max_field_bytes = d.csv.max_field_bytes;
  o.journey = from_column(d.journey);
  o.time = from_column(d.time);
  o.touchpoint = from_column(d.touchpoint);
  o.conversion = from_column(d.conversion);
  o.value = from_column(d.value);
  o.segment = from_column(d.segment);
  o.integer_time_unit = d.time_format.integer_unit ? from_time_unit(*d.time_format.integer_unit) : JG_TIME_DEFAULT;
  o.time_format = d.time_format.pattern.empty() ? nullptr : d.time_format.pattern.c_str();
  return o;
}();
const jg_path_csv_options kPathCsvDefaults = [] {
  static const PathCsvOptions d;
  jg_path_csv_options o = JG_PATH_CSV_OPTIONS_INIT;
  o.delimiter = d.csv.delimiter;
  o.skip_bad_rows = d.csv.skip_bad_rows;
  o.max_field_bytes = d.csv.max_field_bytes;
  o.path = from_column(d.path);
  o.conversions = from_column(d.conversions);
  o.nulls = from_column(d.nulls);
  o.value = from_column(d.value);
  o.separator = d.separator.c_str();
  o.check_separator = d.check_separator ? 1 : 0;
  return o;
}();
const jg_model_options kModelDefaults = [] {
  const ModelOptions d;
  return jg_model_options{JG_MODEL_OPTIONS_VERSION, d.order, d.smoothing, from_self_loops(d.self_loops)};
}();
// models, markov and excluded stay NULL: NULL means the core's default models, chain and exclusions.
const jg_attribution_options kAttributionDefaults = [] {
  const AttributionOptions d;
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  o.first_weight = d.heuristics.first_weight;
  o.last_weight = d.heuristics.last_weight;
  o.half_life_seconds = d.heuristics.half_life;
  o.max_coalition = d.shapley.max_coalition;
  o.bootstrap_replicates = d.bootstrap.replicates;
  o.confidence = d.bootstrap.confidence;
  o.seed = d.bootstrap.seed;
  return o;
}();
const jg_journeys_info kJourneysInfoDefaults = JG_JOURNEYS_INFO_INIT;
const jg_report_counts kReportCountsDefaults = JG_REPORT_COUNTS_INIT;
const jg_counts_info kCountsInfoDefaults = JG_COUNTS_INFO_INIT;
const jg_model_info kModelInfoDefaults = JG_MODEL_INFO_INIT;
const jg_removal_info kRemovalInfoDefaults = JG_REMOVAL_INFO_INIT;
const jg_attribution_info kAttributionInfoDefaults = JG_ATTRIBUTION_INFO_INIT;

Column to_column(const jg_column& c) { return Column(c.name ? c.name : "", c.required != 0); }

}  // namespace

TimeUnit to_time_unit(const jg_time_unit& unit, const char* name) {
  switch (enum_value(unit)) {
    case JG_TIME_SECONDS: return TimeUnit::seconds;
    case JG_TIME_MILLISECONDS: return TimeUnit::milliseconds;
    case JG_TIME_MICROSECONDS: return TimeUnit::microseconds;
    case JG_TIME_NANOSECONDS: return TimeUnit::nanoseconds;
  }
  invalid(std::string(name) + " is " + std::to_string(enum_value(unit)) +
          "; expected JG_TIME_SECONDS (0), JG_TIME_MILLISECONDS (1), JG_TIME_MICROSECONDS (2) or "
          "JG_TIME_NANOSECONDS (3)");
}

jg_time_unit from_time_unit(TimeUnit unit) noexcept {
  switch (unit) {
    case TimeUnit::seconds: return JG_TIME_SECONDS;
    case TimeUnit::milliseconds: return JG_TIME_MILLISECONDS;
    case TimeUnit::microseconds: return JG_TIME_MICROSECONDS;
    case TimeUnit::nanoseconds: return JG_TIME_NANOSECONDS;
  }
  return JG_TIME_SECONDS;
}

jg_time_kind from_time_kind(TimeKind kind) noexcept {
  switch (kind) {
    case TimeKind::none: return JG_TIME_KIND_NONE;
    case TimeKind::epoch: return JG_TIME_KIND_EPOCH;
    case TimeKind::dates: return JG_TIME_KIND_DATES;
    case TimeKind::mixed: return JG_TIME_KIND_MIXED;
  }
  return JG_TIME_KIND_NONE;
}

SelfLoops to_self_loops(const jg_self_loops& loops, const char* name) {
  switch (enum_value(loops)) {
    case JG_SELF_LOOPS_DROP: return SelfLoops::drop;
    case JG_SELF_LOOPS_KEEP: return SelfLoops::keep;
  }
  invalid(std::string(name) + " is " + std::to_string(enum_value(loops)) +
          "; expected JG_SELF_LOOPS_DROP (0) or JG_SELF_LOOPS_KEEP (1)");
}

jg_self_loops from_self_loops(SelfLoops loops) noexcept {
  return loops == SelfLoops::keep ? JG_SELF_LOOPS_KEEP : JG_SELF_LOOPS_DROP;
}

Execution to_execution(const jg_exec_options* o) {
  Execution exec;
  if (!o) return exec;
  check_version(o->version, JG_EXEC_OPTIONS_VERSION, "jg_exec_options");
  exec.threads = o->threads;
  if (o->progress) {
    const jg_progress_fn progress = o->progress;
    void* const user = o->user;
    exec.progress = [progress, user](double fraction, const char* stage) {
      return progress(fraction, stage, user) == 0;
    };
  }
  return exec;
}

JourneyOptions to_journey_options(const jg_journey_options* o) {
  JourneyOptions out;
  if (!o) return out;
  check_version(o->version, JG_JOURNEY_OPTIONS_VERSION, "jg_journey_options");
  out.split_on_conversion = o->split_on_conversion != 0;
  if (o->use_lookback) out.lookback = o->lookback_seconds;
  if (o->use_gap) out.gap = o->gap_seconds;
  out.collapse_repeats = o->collapse_repeats != 0;
  out.max_touches = o->max_touches;
  return out;
}

namespace {
// The CSV format fields that jg_event_csv_options and jg_path_csv_options share.
template <class CsvStruct>
CsvFormat csv_format(const CsvStruct& o) {
  CsvFormat out;
  out.delimiter = o.delimiter;
  out.skip_bad_rows = o.skip_bad_rows != 0;
  out.max_field_bytes = o.max_field_bytes;
  return out;
}
}  // namespace

EventCsvOptions to_event_csv_options(const jg_event_csv_options* o) {
  EventCsvOptions out;
  if (!o) return out;
  check_version(o->version, JG_EVENT_CSV_OPTIONS_VERSION, "jg_event_csv_options");
  out.csv = csv_format(*o);
  out.journey = to_column(o->journey);
  out.time = to_column(o->time);
  out.touchpoint = to_column(o->touchpoint);
  out.conversion = to_column(o->conversion);
  out.value = to_column(o->value);
  out.segment = to_column(o->segment);
  if (o->version < 2) {
    // Version 1 always names a unit, so it is taken as given (no epoch range check), as it always was.
    if (enum_value(o->integer_time_unit) == JG_TIME_DEFAULT)
      invalid("options->integer_time_unit is JG_TIME_DEFAULT, which needs version 2 of jg_event_csv_options "
              "(this struct says version 1)");
    out.time_format.integer_unit = to_time_unit(o->integer_time_unit, "options->integer_time_unit");
    return out;
  }
  // Version 2: JG_TIME_DEFAULT leaves the unit to the core (seconds, checked).
  if (enum_value(o->integer_time_unit) != JG_TIME_DEFAULT)
    out.time_format.integer_unit = to_time_unit(o->integer_time_unit, "options->integer_time_unit");
  if (o->time_format) out.time_format.pattern = o->time_format;
  if (!out.time_format.pattern.empty()) TimeParser check(out.time_format);  // a bad pattern fails here, named
  return out;
}

PathCsvOptions to_path_csv_options(const jg_path_csv_options* o) {
  PathCsvOptions out;
  if (!o) return out;
  check_version(o->version, JG_PATH_CSV_OPTIONS_VERSION, "jg_path_csv_options");
  out.csv = csv_format(*o);
  out.path = to_column(o->path);
  out.conversions = to_column(o->conversions);
  out.nulls = to_column(o->nulls);
  out.value = to_column(o->value);
  if (o->separator) out.separator = o->separator;
  if (o->version >= 2) out.check_separator = o->check_separator != 0;
  return out;
}

ModelOptions to_model_options(const jg_model_options* o, const char* name) {
  ModelOptions out;
  if (!o) return out;
  check_version(o->version, JG_MODEL_OPTIONS_VERSION, "jg_model_options");
  out.order = o->order;
  out.smoothing = o->smoothing;
  out.self_loops = to_self_loops(o->self_loops, (std::string(name) + "->self_loops").c_str());
  return out;
}

AttributionOptions to_attribution_options(const jg_attribution_options* o) {
  AttributionOptions out;
  if (!o) return out;
  check_version(o->version, JG_ATTRIBUTION_OPTIONS_VERSION, "jg_attribution_options");
  if (o->n_models > 0) {
    out.models.clear();
    for (const std::string& name : text_array(o->models, o->n_models, "options->models", "options->n_models"))
      out.models.push_back(parse_model(name));
  }
  out.markov = to_model_options(o->markov, "options->markov");
  if (o->version < 2) return out;  // a version-1 struct ends here: the rest keeps the C++ defaults
  if (o->excluded || o->n_excluded > 0)  // a NULL array with no count keeps the default exclusions
    out.heuristics.excluded = text_array(o->excluded, o->n_excluded, "options->excluded", "options->n_excluded");
  out.heuristics.first_weight = o->first_weight;
  out.heuristics.last_weight = o->last_weight;
  out.heuristics.half_life = o->half_life_seconds;
  out.shapley.max_coalition = o->max_coalition;
  out.bootstrap.replicates = o->bootstrap_replicates;
  out.bootstrap.confidence = o->confidence;
  out.bootstrap.seed = o->seed;
  return out;
}

}  // namespace journeygraph::capi

using namespace journeygraph::capi;

extern "C" {

JG_DEFINE_INIT(jg_exec_options, options, JG_EXEC_OPTIONS_VERSION, kExecDefaults)

JG_DEFINE_INIT(jg_journey_options, options, JG_JOURNEY_OPTIONS_VERSION, kJourneyDefaults)

JG_DEFINE_INIT(jg_event_arrays, arrays, JG_EVENT_ARRAYS_VERSION, kEventArraysDefaults)

JG_DEFINE_INIT(jg_path_arrays, arrays, JG_PATH_ARRAYS_VERSION, kPathArraysDefaults)

jg_status jg_event_csv_options_init(jg_event_csv_options* options, unsigned version) {
  return init_prefix("jg_event_csv_options_init", "options", options, version, JG_EVENT_CSV_OPTIONS_VERSION,
                     kEventCsvDefaults, "jg_event_csv_options", offsetof(jg_event_csv_options, time_format), [&] {
                       // Version 1 took the unit as given, seconds by default.
                       if (version == 1) options->integer_time_unit = JG_TIME_SECONDS;
                     });
}

jg_status jg_path_csv_options_init(jg_path_csv_options* options, unsigned version) {
  return init_prefix("jg_path_csv_options_init", "options", options, version, JG_PATH_CSV_OPTIONS_VERSION,
                     kPathCsvDefaults, "jg_path_csv_options", offsetof(jg_path_csv_options, check_separator));
}

JG_DEFINE_INIT(jg_model_options, options, JG_MODEL_OPTIONS_VERSION, kModelDefaults)

jg_status jg_attribution_options_init(jg_attribution_options* options, unsigned version) {
  return init_prefix("jg_attribution_options_init", "options", options, version, JG_ATTRIBUTION_OPTIONS_VERSION,
                     kAttributionDefaults, "jg_attribution_options", offsetof(jg_attribution_options, excluded));
}

jg_status jg_journeys_info_init(jg_journeys_info* info, unsigned version) {
  return init_prefix("jg_journeys_info_init", "info", info, version, JG_JOURNEYS_INFO_VERSION, kJourneysInfoDefaults,
                     "jg_journeys_info", offsetof(jg_journeys_info, time_kind));
}

JG_DEFINE_INIT(jg_report_counts, counts, JG_REPORT_COUNTS_VERSION, kReportCountsDefaults)

JG_DEFINE_INIT(jg_counts_info, info, JG_COUNTS_INFO_VERSION, kCountsInfoDefaults)

JG_DEFINE_INIT(jg_model_info, info, JG_MODEL_INFO_VERSION, kModelInfoDefaults)

JG_DEFINE_INIT(jg_removal_info, info, JG_REMOVAL_INFO_VERSION, kRemovalInfoDefaults)

JG_DEFINE_INIT(jg_attribution_info, info, JG_ATTRIBUTION_INFO_VERSION, kAttributionInfoDefaults)

}  // extern "C"
