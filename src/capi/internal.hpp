#pragma once
// Shared machinery of the extern "C" shim: the handle types behind the opaque C structs, the guard that
// turns every exception into a jg_status, argument checks, caller-buffer output and the conversion of
// versioned C structs into their C++ counterparts. Nothing here is exported: the shared library exports
// only the jg_* functions (visibility hidden + linker version script).

#include <cstddef>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/compare.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journeygraph.h"
#include "journeygraph/journeys.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/render.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/table.hpp"

// The opaque handles. Each owns a C++ value; borrowed strings handed out point into these values.
struct jg_journeys {
  journeygraph::JourneySet set;
};
struct jg_report {
  journeygraph::BuildReport report;
};
struct jg_counts {
  journeygraph::TransitionCounts counts;
};
struct jg_model {
  journeygraph::MarkovModel model;
  // Names of states 0 .. n_states + 1, made at fit time so that reads stay const and thread-safe.
  std::vector<std::string> state_names;
};
struct jg_removal {
  journeygraph::RemovalEffects effects;
};
struct jg_attribution {
  journeygraph::AttributionResult result;
};
struct jg_analysis {
  journeygraph::ChainAnalysis analysis;
};
struct jg_stages {
  journeygraph::StageMap stages;
};
struct jg_map {
  journeygraph::JourneyMap map;
  journeygraph::FunnelOptions funnel;  // jg_map_options::funnel_journeys, for every funnel made from the map
};
struct jg_table {
  journeygraph::Table table;
  std::vector<std::string> meta_text;  // every metadata value as text, made at creation (borrowed by callers)
};

namespace journeygraph::capi {

// A failure with an explicit status that no journeygraph::Error kind expresses (JG_EBUFS).
struct StatusError {
  jg_status status;
  std::string message;
};

// Name of the jg_* function running on this thread, for messages about its arguments.
const char* current_function() noexcept;
void set_current_function(const char* name) noexcept;

// Record the outcome of a call in the thread-local last error.
void clear_error() noexcept;
jg_status fail_with_current_exception() noexcept;

// Runs body inside the one guard every extern "C" function uses: success clears the last error, any
// exception becomes a status code and a message. Never throws.
template <class Body>
jg_status guard(const char* function, Body&& body) noexcept {
  set_current_function(function);
  try {
    body();
  } catch (...) {
    return fail_with_current_exception();
  }
  clear_error();
  return JG_OK;
}

// "jg_fn: what" as an InvalidArgument.
[[noreturn]] void invalid(const std::string& what);

// Checks a pointer argument; name is the argument as the caller wrote it ("model", "options->models").
template <class T>
T* need(T* p, const char* name) {
  if (!p) invalid(std::string(name) + " is NULL");
  return p;
}

// Checks an output-handle argument and clears it, so that it is NULL on every failure.
template <class T>
void reset_out(T** out, const char* name) {
  need(out, name);
  *out = nullptr;
}

// Clears an optional output handle.
template <class T>
void reset_optional_out(T** out) {
  if (out) *out = nullptr;
}

// Caller-buffer output (see "Buffers" in journeygraph.h). fill(out) writes the n elements.
template <class T, class Fill>
void write_buffer(std::size_t n, T* out, std::size_t capacity, std::size_t* out_len, const char* out_name,
                  Fill&& fill) {
  need(out_len, "out_len");
  *out_len = n;
  if (!out) {
    if (capacity != 0)
      invalid(std::string(out_name) + " is NULL but capacity is " + std::to_string(capacity) +
              " (pass NULL and 0 to ask for the size)");
    return;
  }
  if (capacity < n)
    throw StatusError{JG_EBUFS, std::string(current_function()) + ": " + out_name + " holds " +
                                    std::to_string(capacity) + " elements but " + std::to_string(n) +
                                    " are needed (*out_len is set to the size needed)"};
  fill(out);
}

template <class T>
void write_array(const T* src, std::size_t n, T* out, std::size_t capacity, std::size_t* out_len,
                 const char* out_name) {
  write_buffer(n, out, capacity, out_len, out_name, [&](T* dst) {
    if (n) std::memcpy(dst, src, n * sizeof(T));
  });
}

inline void write_string(const std::string& s, char* out, std::size_t capacity, std::size_t* out_len,
                         const char* out_name) {
  write_buffer(s.size() + 1, out, capacity, out_len, out_name,
               [&](char* dst) { std::memcpy(dst, s.c_str(), s.size() + 1); });
}

// The integer a C caller stored in an enum argument or field. C allows any int there, but loading an
// out-of-range value through the C++ enum type is undefined, so the bytes are copied into an integer.
template <class E>
long long enum_value(const E& e) noexcept {
  static_assert(sizeof(E) == sizeof(int), "C ABI enums are int-sized");
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

// The fitted model of a handle, or StateError naming the running function.
const MarkovModel& fitted(const jg_model* model);

// The strings of a C array with its count, as an options struct holds them (char** plus size_t): n == 0 gives
// none (v may be NULL); else v and every entry must be non-NULL, or InvalidArgument "WHAT is NULL but COUNT is
// N" / "WHAT[i] is NULL".
std::vector<std::string> text_array(const char* const* v, std::size_t n, const char* what, const char* count);

// Index check for accessors: index < size, else InvalidArgument naming both.
void check_index(std::size_t index, std::size_t size, const char* what);

// Checks the version field of a versioned struct against the versions this library knows (1..current).
void check_version(unsigned version, unsigned current, const char* type);

// The body of every jg_*_init function: checks the pointer (named arg) and the version, then sets *target
// to defaults with the version the caller asked for.
template <class T>
jg_status init_struct(const char* function, const char* arg, T* target, unsigned version, unsigned current,
                      const T& defaults, const char* type) {
  return guard(function, [&] {
    need(target, arg);
    check_version(version, current, type);
    *target = defaults;
    target->version = version;
  });
}

// Defines the jg_*_init function of a struct whose fields only ever had one layout per version:
// jg_status TYPE_init(TYPE* ARG, unsigned version), which sets *ARG to DEFAULTS at that version (init_struct).
#define JG_DEFINE_INIT(TYPE, ARG, CURRENT, DEFAULTS)                                            \
  jg_status TYPE##_init(TYPE* ARG, unsigned version) {                                          \
    return journeygraph::capi::init_struct(#TYPE "_init", #ARG, ARG, version, CURRENT, DEFAULTS, #TYPE); \
  }

// The _init() of a struct at version 2: a caller compiled against version 1 has a struct that ends at
// v1_size (the offset of the first version-2 field), so only that prefix is written; then fixup() runs.
template <class T, class Fixup = void (*)()>
jg_status init_prefix(const char* function, const char* arg, T* target, unsigned version, unsigned current,
                      const T& defaults, const char* type, std::size_t v1_size, Fixup fixup = [] {}) {
  return guard(function, [&] {
    need(target, arg);
    check_version(version, current, type);
    std::memcpy(static_cast<void*>(target), &defaults, version == 1 ? v1_size : sizeof(T));
    target->version = version;
    fixup();
  });
}

// Conversions of the C structs (NULL = defaults) into the C++ ones; they check versions and enums.
Execution to_execution(const jg_exec_options* options);
JourneyOptions to_journey_options(const jg_journey_options* options);
EventCsvOptions to_event_csv_options(const jg_event_csv_options* options);
PathCsvOptions to_path_csv_options(const jg_path_csv_options* options);
ModelOptions to_model_options(const jg_model_options* options, const char* name);
AttributionOptions to_attribution_options(const jg_attribution_options* options);
// The funnel, path explorer and driver structs (funnels.cpp); `name` is the argument named in errors.
EventFunnelOptions to_event_funnel_options(const jg_funnel_options* options, const char* name);
PathExplorerOptions to_path_explorer_options(const jg_path_explorer_options* options, const char* name);
DriverOptions to_driver_options(const jg_driver_options* options, const char* name);
TimeUnit to_time_unit(const jg_time_unit& unit, const char* name);
SelfLoops to_self_loops(const jg_self_loops& loops, const char* name);
jg_time_unit from_time_unit(TimeUnit unit) noexcept;
jg_time_kind from_time_kind(TimeKind kind) noexcept;
jg_self_loops from_self_loops(SelfLoops loops) noexcept;
// The map's enums (enums.cpp), checked: InvalidArgument naming `name` and the value for one out of range.
FunnelJourneys to_funnel_journeys(const jg_funnel_journeys& journeys, const char* name);
PainRanking to_pain_ranking(const jg_pain_ranking& ranking, const char* name);
MapFormat to_map_format(const jg_map_format& format, const char* name);

// A new table handle (its metadata texts made); the caller owns it.
jg_table* new_table(Table t);

// Checks the caller-set version of an info struct before it is filled.
template <class Info>
Info& info_out(Info* info, const char* name, unsigned current, const char* type) {
  need(info, name);
  check_version(info->version, current, type);
  return *info;
}

}  // namespace journeygraph::capi
