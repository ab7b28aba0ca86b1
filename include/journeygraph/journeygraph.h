/* journeygraph.h: the stable C ABI of journeygraph (C99; also valid C++).
 *
 * journeygraph turns customer journeys (ordered touches on touchpoints, ending in a conversion or not)
 * into an absorbing Markov chain of order k and answers which touchpoints earn the conversions, exactly
 * (the chain is solved, never simulated). This header is the whole interface for C programs and for
 * every language with a C FFI; it is implemented by libjourneygraph_c (SONAME libjourneygraph_c.so.MAJOR)
 * over the C++ library. With CMake: find_package(journeygraph) and link journeygraph::c.
 *
 * A typical session:
 *
 *     jg_journeys* journeys = NULL;
 *     jg_attribution* attribution = NULL;
 *     jg_table* table = NULL;
 *     if (jg_journeys_read_paths_csv("paths.csv", NULL, NULL, &journeys, NULL) != JG_OK ||
 *         jg_attribution_create(journeys, NULL, NULL, &attribution) != JG_OK ||
 *         jg_attribution_table(attribution, &table) != JG_OK)
 *       fprintf(stderr, "%s\n", jg_last_error_message());
 *     ... read the result's columns with jg_table_* (docs/tables.md lists them) ...
 *     jg_table_free(table);
 *     jg_attribution_free(attribution);
 *     jg_journeys_free(journeys);
 *
 * CONVENTIONS (they hold for every function below unless its comment says otherwise)
 *
 * Status. A function that can fail returns jg_status: JG_OK (0) on success, a negative JG_E* code on
 * failure. After any call that returns jg_status, jg_last_error_message() on the same thread describes
 * the failure (for parse errors "FILE:LINE:COLUMN: field 'NAME': MESSAGE", with the offending value) or
 * is "" after a success. No C++ exception ever crosses this interface.
 *
 * Arguments. Handle first, inputs next, outputs last (named out_*). Every pointer argument is checked:
 * a NULL handle, a NULL required input or a NULL output gives JG_EINVAL, never a crash. Pointers that
 * may be NULL say so. On failure, outputs that return a new handle are set to NULL and nothing leaks.
 *
 * Ownership. A function that returns a new handle through jg_X** out transfers it to the caller, who
 * releases it with jg_X_free(), which accepts NULL. What the library allocates only the library frees;
 * what the caller passes in stays the caller's and is not retained after the call returns (the library
 * copies what it keeps). A borrowed "const char*" output stays valid exactly as long as the handle named
 * in the function's comment; static strings ("static") are valid for the life of the program.
 *
 * Buffers. Arrays are returned through caller buffers: (T* out, size_t capacity, size_t* out_len).
 * *out_len always receives the number of elements the full result has. out == NULL with capacity == 0
 * asks only for that size (JG_OK). A buffer with capacity < *out_len gives JG_EBUFS (*out_len is still
 * set, nothing is written). out == NULL with capacity > 0 is JG_EINVAL. For strings the elements are
 * bytes and *out_len counts the terminating NUL, so a buffer of *out_len bytes always fits.
 * Strings in and out are UTF-8 and NUL-terminated.
 *
 * Versioned structs. Option, input-description and info structs start with "unsigned version". Set it
 * by initialising the struct with its _INIT macro or its _init() function (the only way from an FFI);
 * the library rejects a version it does not know with JG_EINVAL. Fields are only ever appended, so a
 * program compiled against an older header keeps working with a newer library. An options pointer
 * that may be NULL means "all defaults". Boolean fields are int: 0 is false, anything else true.
 *
 * Lifecycle. A handle is made finished by the one call that returns it through its out argument: that call
 * takes every input the handle needs (jg_model_create_fitted takes the journeys and the options), and from
 * then on the handle is immutable: no call changes it, until jg_X_free releases it. The older calls that
 * fill or change a handle in place (marked deprecated below, with the call that replaces each) are kept
 * for existing programs.
 *
 * Threads. The library keeps no global mutable state except the thread-local last error. Since handles are
 * immutable, any number of threads may use the same handles at once; a handle must only not be released
 * (jg_X_free), or changed by a deprecated in-place call, while another thread uses it. Long-running
 * functions take a jg_exec_options (worker threads, progress callback); their results are bit-identical for
 * every thread count.
 *
 * Versions. JG_VERSION_MAJOR/MINOR/PATCH/STRING (version.h) are the header's version;
 * jg_version_string() is the library's. The ABI only grows within a major version.
 */
#ifndef JOURNEYGRAPH_H
#define JOURNEYGRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "journeygraph/version.h"

#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(JG_BUILDING_C_API)
#    define JG_API __declspec(dllexport)
#  else
#    define JG_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define JG_API __attribute__((visibility("default")))
#else
#  define JG_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================================================
 * Status codes, errors, versions
 * ================================================================================================ */

/* Result of every fallible function. Codes are stable; new ones may be added (all negative). */
typedef enum jg_status {
  JG_OK = 0,             /* success */
  JG_EINVAL = -1,        /* an argument or option is invalid (NULL pointer, out of range, bad version) */
  JG_ENOMEM = -2,        /* out of memory */
  JG_EBUFS = -3,         /* the caller's buffer is too small; *out_len holds the size needed */
  JG_ESTATE = -4,        /* the object is not in a state that allows the call (e.g. an unfitted model) */
  JG_EIO = -5,           /* a file could not be opened, read or written */
  JG_EPARSE = -6,        /* malformed input text; the message names file, line, column, field, value */
  JG_EDATA = -7,         /* valid input that cannot give an answer (e.g. no conversions to attribute) */
  JG_EINTERRUPTED = -8,  /* a progress callback cancelled the work */
  JG_EINTERNAL = -9      /* a bug in journeygraph: please report the message */
} jg_status;

/* Version of the library that is running, "MAJOR.MINOR.PATCH" (compare with JG_VERSION_STRING, the
 * header's). Ownership: static string. Threads: safe from any thread. Cost: O(1). */
JG_API const char* jg_version_string(void);

/* Version of the library that is running as MAJOR * 10000 + MINOR * 100 + PATCH (compare with
 * JG_VERSION_NUMBER). Ownership: none. Threads: safe from any thread. Cost: O(1). */
JG_API unsigned jg_version_number(void);

/* Name of a status code ("JG_OK", "JG_EINVAL", ...), or "JG_E?" for an unknown code.
 * Ownership: static string. Threads: safe from any thread. Cost: O(1). */
JG_API const char* jg_status_name(jg_status status);

/* Message of the last jg_status-returning call made on this thread: "" if it succeeded, otherwise a
 * complete sentence naming the problem (file:line:column, field and value for parse errors; function
 * and argument for invalid arguments). Never NULL.
 * Ownership: borrowed, thread-local; valid until the next jg_status-returning call on this thread.
 * Threads: each thread has its own message. Cost: O(1). */
JG_API const char* jg_last_error_message(void);

/* ================================================================================================
 * Enumerations
 * ================================================================================================ */

/* Unit of integer timestamps. Durations (lookback, gap) are always in seconds. */
typedef enum jg_time_unit {
  JG_TIME_SECONDS = 0,
  JG_TIME_MILLISECONDS = 1,
  JG_TIME_MICROSECONDS = 2,
  JG_TIME_NANOSECONDS = 3,
  JG_TIME_DEFAULT = 4 /* only in jg_event_csv_options.integer_time_unit, version 2 (its default): the unit is
                         not given, epoch numbers are seconds and checked (see jg_event_csv_options) */
} jg_time_unit;

/* How the timestamps of a journey set were given (jg_journeys_info.time_kind), so that an instant a user
 * types is read the way the data was (jg_parse_instant). */
typedef enum jg_time_kind {
  JG_TIME_KIND_NONE = 0,  /* no timestamps */
  JG_TIME_KIND_EPOCH = 1, /* epoch numbers, in jg_journeys_info.epoch_unit */
  JG_TIME_KIND_DATES = 2, /* date-time text (ISO-8601 or a time format) */
  JG_TIME_KIND_MIXED = 3  /* epoch numbers and date-time text in one column */
} jg_time_kind;

/* What a CSV file holds, judged from its header (jg_detect_csv_kind). */
typedef enum jg_csv_kind {
  JG_CSV_EVENTS = 0, /* an event log: jg_journeys_read_events_csv */
  JG_CSV_PATHS = 1,  /* aggregated paths: jg_journeys_read_paths_csv */
  JG_CSV_UNKNOWN = 2 /* neither, or columns of both */
} jg_csv_kind;

/* How consecutive identical states of a journey are counted by a Markov chain. */
typedef enum jg_self_loops {
  JG_SELF_LOOPS_DROP = 0, /* collapse them: no state transitions to itself (ChannelAttribution's way) */
  JG_SELF_LOOPS_KEEP = 1  /* count a self-transition for each repeat */
} jg_self_loops;

/* ================================================================================================
 * Handles (opaque; create and free them only through this interface)
 * ================================================================================================ */

typedef struct jg_journeys jg_journeys;       /* an immutable set of journeys (column-wise storage) */
typedef struct jg_report jg_report;           /* what a build or CSV read did: counts and notes */
typedef struct jg_counts jg_counts;           /* transition counts of order k (mergeable) */
typedef struct jg_model jg_model;             /* an absorbing Markov chain, unfitted or fitted */
typedef struct jg_removal jg_removal;         /* exact removal effects of a fitted model */
typedef struct jg_attribution jg_attribution; /* credit per touchpoint of several attribution models */
typedef struct jg_table jg_table;             /* a result table: named, typed columns and headline figures */

/* ================================================================================================
 * Execution options (threads, progress and cancellation), used by every long-running function
 * ================================================================================================ */

/* Progress callback: called from the calling thread (never from a worker), within a stage at most every
 * 50 ms besides its first and last call (a stage may repeat fraction 1 while it finishes), with the fraction
 * done in [0, 1] of the current stage and the stage's name ("read", "count", "removal effects", ...;
 * borrowed for the duration of the callback). Return 0 to continue; return any non-zero value to cancel:
 * the running function then stops, within a few tenths of a second, and returns JG_EINTERRUPTED. The callback
 * must not call jg_* functions on the handles the running function uses, and must not unwind through
 * the library (no longjmp, no C++ exception). */
typedef int (*jg_progress_fn)(double fraction, const char* stage, void* user);

#define JG_EXEC_OPTIONS_VERSION 1u
/* How a long-running function runs. Results never depend on these settings. */
typedef struct jg_exec_options {
  unsigned version;        /* JG_EXEC_OPTIONS_VERSION */
  unsigned threads;        /* worker threads; 0 = one per hardware thread. Default 0. */
  jg_progress_fn progress; /* optional progress callback; NULL = none. Default NULL. */
  void* user;              /* passed unchanged to progress. Default NULL. */
} jg_exec_options;
#define JG_EXEC_OPTIONS_INIT { JG_EXEC_OPTIONS_VERSION, 0u, NULL, NULL }

/* Set *options to the defaults of the given struct version (pass JG_EXEC_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_exec_options_init(jg_exec_options* options, unsigned version);

/* ================================================================================================
 * Result tables: every result leaves the library as a jg_table (the *_table functions of each section
 * make one). A table has a name, named columns of one type each, all of the same length, and metadata:
 * headline figures and the options the result ran with, by key. Column names and metadata keys are the
 * same on every face of journeygraph (the command line, C++, Python) and are listed in docs/tables.md;
 * columns may be appended in later versions, so read them by name.
 * ================================================================================================ */

/* Kind of a table column: numbers (any type but strings) or strings. */
typedef enum jg_column_kind {
  JG_COLUMN_NUMBER = 0, /* numbers (read them with jg_table_numbers) */
  JG_COLUMN_STRING = 1  /* UTF-8 strings */
} jg_column_kind;

/* Type of a table column. */
typedef enum jg_column_type {
  JG_TYPE_FLOAT = 0,   /* double; NaN where a value does not exist */
  JG_TYPE_STRING = 1,  /* UTF-8 strings */
  JG_TYPE_INTEGER = 2, /* int64_t */
  JG_TYPE_TIME = 3,    /* int64_t ticks since 1970-01-01T00:00:00Z, in the column's jg_time_unit */
  JG_TYPE_BOOLEAN = 4  /* 0 or 1 */
} jg_column_type;

/* Text forms of a table. */
typedef enum jg_table_format {
  JG_TABLE_CSV = 0,     /* RFC 4180 with a header row; floats in shortest round-trip form, NaN empty,
                           booleans true/false, times ISO-8601 UTC; a string cell starting with '=', '+',
                           '-', '@', tab or CR that is not a number gets a leading "'" so spreadsheets do
                           not evaluate it (docs/tables.md) */
  JG_TABLE_JSON = 1,    /* an array of row objects; NaN becomes null */
  JG_TABLE_TEXT = 2,    /* aligned columns for people, the name and metadata above them */
  JG_TABLE_DOCUMENT = 3, /* one JSON object: {"table": name, "meta": {...}, "rows": [...]} */
  JG_TABLE_CSV_RAW = 4   /* as JG_TABLE_CSV without the "'" guard: every cell as it is, for programs */
} jg_table_format;

/* Release a table. NULL is allowed and does nothing. Ownership: table must come from this library and
 * not be used afterwards. Threads: no other call may use table concurrently. Cost: O(size). */
JG_API void jg_table_free(jg_table* table);

/* Rows and columns of a table. Ownership: none. Threads: read-only on table. Cost: O(1). */
JG_API jg_status jg_table_size(const jg_table* table, size_t* out_rows, size_t* out_columns);

/* Name of the table ("attribution", "funnel", ...). Ownership: *out_name is borrowed from table and valid
 * until jg_table_free(table). Threads: read-only on table. Cost: O(1). */
JG_API jg_status jg_table_name(const jg_table* table, const char** out_name);

/* Name of column `column`. JG_EINVAL if out of range. Ownership: *out_name is borrowed from table and
 * valid until jg_table_free(table). Threads: read-only on table. Cost: O(1). */
JG_API jg_status jg_table_column_name(const jg_table* table, size_t column, const char** out_name);

/* Kind of column `column` (JG_COLUMN_NUMBER for every type but strings). JG_EINVAL if out of range.
 * Ownership: none. Threads: read-only on table. Cost: O(1). */
JG_API jg_status jg_table_column_kind(const jg_table* table, size_t column, jg_column_kind* out_kind);

/* Type of column `column`. JG_EINVAL if out of range. Ownership: none. Threads: read-only on table.
 * Cost: O(1). */
JG_API jg_status jg_table_column_type(const jg_table* table, size_t column, jg_column_type* out_type);

/* Index of the column named name. JG_EINVAL if there is none (the message lists the columns).
 * Ownership: none. Threads: read-only on table. Cost: O(columns). */
JG_API jg_status jg_table_find_column(const jg_table* table, const char* name, size_t* out_column);

/* The values of column `name` as doubles (integers and time ticks converted, booleans 0 or 1), one per
 * row, into a caller buffer (see Buffers). JG_EINVAL if there is no such column or it holds strings.
 * Ownership: the caller owns the buffer. Threads: read-only on table. Cost: O(rows). */
JG_API jg_status jg_table_numbers(const jg_table* table, const char* name, double* out, size_t capacity,
                                  size_t* out_len);

/* The values of an integer, time or boolean column `name`, exactly, one per row, into a caller buffer
 * (see Buffers). JG_EINVAL if there is no such column or it holds floats or strings. Ownership: the
 * caller owns the buffer. Threads: read-only on table. Cost: O(rows). */
JG_API jg_status jg_table_integers(const jg_table* table, const char* name, int64_t* out, size_t capacity,
                                   size_t* out_len);

/* The unit of the ticks of time column `name`. JG_EINVAL if there is no such column or it is not a time
 * column. Ownership: none. Threads: read-only on table. Cost: O(columns). */
JG_API jg_status jg_table_time_unit(const jg_table* table, const char* name, jg_time_unit* out_unit);

/* The string in row `row` of column `name`. JG_EINVAL if there is no such column, it holds numbers, or
 * row is out of range. Ownership: *out_value is borrowed from table and valid until jg_table_free(table).
 * Threads: read-only on table. Cost: O(columns). */
JG_API jg_status jg_table_string(const jg_table* table, const char* name, size_t row, const char** out_value);

/* Number of metadata entries. Ownership: none. Threads: read-only on table. Cost: O(1). */
JG_API jg_status jg_table_meta_count(const jg_table* table, size_t* out_count);

/* Key of metadata entry `index` (0 <= index < count, in a fixed order). JG_EINVAL if out of range.
 * Ownership: *out_key is borrowed from table and valid until jg_table_free(table). Threads: read-only on
 * table. Cost: O(1). */
JG_API jg_status jg_table_meta_key(const jg_table* table, size_t index, const char** out_key);

/* The metadata value of `key` as a number. JG_EINVAL if there is no such key or its value is a string.
 * Ownership: none. Threads: read-only on table. Cost: O(metadata). */
JG_API jg_status jg_table_meta_number(const jg_table* table, const char* key, double* out_value);

/* The metadata value of `key` as a string (numbers are written in shortest round-trip form).
 * JG_EINVAL if there is no such key. Ownership: *out_value is borrowed from table and valid until
 * jg_table_free(table). Threads: read-only on table. Cost: O(metadata). */
JG_API jg_status jg_table_meta_string(const jg_table* table, const char* key, const char** out_value);

/* Number of column notes: one-line definitions of columns whose meaning is not plain from the name (the lines
 * the text form prints under the rows, "notes" in the JSON form; docs/tables.md). Ownership: none. Threads:
 * read-only on table. Cost: O(1). */
JG_API jg_status jg_table_note_count(const jg_table* table, size_t* out_count);

/* Column note `index` (0 <= index < count, in column order): *out_column is the column it defines (or a
 * group of columns, "time_in_stage", or "(journeys)" for the rows), *out_definition the definition. Either
 * out pointer may be NULL when not wanted. JG_EINVAL if index is out of range (the out pointers are then set
 * to NULL). Ownership: the strings are borrowed from table and valid until jg_table_free(table). Threads:
 * read-only on table. Cost: O(1). */
JG_API jg_status jg_table_note(const jg_table* table, size_t index, const char** out_column,
                               const char** out_definition);

/* The table as text in `format` into a caller byte buffer (see Buffers: *out_len counts the NUL).
 * JG_EINVAL for an unknown format. Ownership: the caller owns the buffer. Threads: read-only on table.
 * Cost: O(cells). */
JG_API jg_status jg_table_to_text(const jg_table* table, jg_table_format format, char* out, size_t capacity,
                                  size_t* out_len);

/* The table as text in `format` (as jg_table_to_text) written to `file`, CSV and the JSON document row by row:
 * a table of millions of rows needs no buffer of its size. "-" is standard output. A regular file is written
 * to a temporary file beside it that replaces it only once complete, so a failed write leaves `file` as it was
 * (devices and pipes are written in place). JG_EINVAL for a NULL table or file or an unknown format (nothing
 * is written); JG_EIO naming the file and the reason when it cannot be created or a write, the flush or the
 * close fails (a full disk). Ownership: table stays the caller's. Threads: read-only on table. Cost: O(cells)
 * time; memory about 1 MiB beyond the table (JG_TABLE_JSON and JG_TABLE_TEXT are made whole first: O(text)).
 */
JG_API jg_status jg_table_write(const jg_table* table, jg_table_format format, const char* file);

/* ================================================================================================
 * Journeys: building them from arrays, CSV files or the built-in sample
 * ================================================================================================ */

#define JG_JOURNEY_OPTIONS_VERSION 1u
/* How events are turned into journeys. Events of one journey id are ordered by time (stable), then,
 * in this order: split after conversions, split at gaps, lookback, collapse repeats, max touches. */
typedef struct jg_journey_options {
  unsigned version;            /* JG_JOURNEY_OPTIONS_VERSION */
  int split_on_conversion;     /* a conversion ends the journey; later touches start a new one. Default 1.
                                  0: a journey continues after conversions and counts each of them. */
  int use_lookback;            /* apply lookback_seconds. Default 0. Needs timestamps. */
  double lookback_seconds;     /* drop touches older than this before the journey's last touch (>= 0) */
  int use_gap;                 /* apply gap_seconds. Default 0. Needs timestamps. */
  double gap_seconds;          /* a silence longer than this splits the journey (>= 0) */
  int collapse_repeats;        /* a > a > b becomes a > b. Default 0. */
  size_t max_touches;          /* keep the most recent max_touches touches; 0 = no limit. Default 0. */
} jg_journey_options;
#define JG_JOURNEY_OPTIONS_INIT { JG_JOURNEY_OPTIONS_VERSION, 1, 0, 0.0, 0, 0.0, 0, 0 }

/* Set *options to the defaults of the given struct version (pass JG_JOURNEY_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_journey_options_init(jg_journey_options* options, unsigned version);

#define JG_EVENT_ARRAYS_VERSION 1u
/* Events as borrowed columns, one entry per event (a touch). The arrays are only read during the call.
 * Required unless n_events is 0: journey, touchpoint, touchpoint_names. */
typedef struct jg_event_arrays {
  unsigned version;                     /* JG_EVENT_ARRAYS_VERSION */
  size_t n_events;                      /* length of every per-event array */
  const int64_t* journey;               /* journey id of each event (any int64; need not be sorted) */
  const int64_t* time;                  /* optional timestamps in time_unit; NULL = events are in order */
  jg_time_unit time_unit;               /* unit of time. Default JG_TIME_SECONDS. */
  const uint32_t* touchpoint;           /* touchpoint code of each event, < n_touchpoint_names */
  const char* const* touchpoint_names;  /* names of the codes: unique, non-empty, UTF-8 */
  size_t n_touchpoint_names;
  const uint8_t* conversion;            /* optional: non-zero = the journey converts at this event */
  const double* value;                  /* optional: conversion value, counted on conversion events */
  const uint32_t* segment;              /* optional: segment code of each event (persona, device...) */
  const char* const* segment_names;     /* names of the segment codes (required with segment) */
  size_t n_segment_names;
} jg_event_arrays;
#define JG_EVENT_ARRAYS_INIT \
  { JG_EVENT_ARRAYS_VERSION, 0, NULL, NULL, JG_TIME_SECONDS, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0 }

/* Set *arrays to an empty description of the given struct version (pass JG_EVENT_ARRAYS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *arrays. Cost: O(1). */
JG_API jg_status jg_event_arrays_init(jg_event_arrays* arrays, unsigned version);

#define JG_PATH_ARRAYS_VERSION 1u
/* Aggregated paths (one row per distinct path, ChannelAttribution's format) as borrowed columns.
 * A path is given either as a string (paths + separator) or as codes (touches + offsets +
 * touchpoint_names): set exactly one of paths and touches. Row j stands for conversions[j] + nulls[j]
 * journeys (counts may be fractional, must be finite and >= 0). */
typedef struct jg_path_arrays {
  unsigned version;                     /* JG_PATH_ARRAYS_VERSION */
  size_t n_paths;                       /* number of rows */
  const char* const* paths;             /* string form: "a > b > c" per row, UTF-8 */
  const char* separator;                /* string form: separator; names are trimmed of spaces and tabs
                                           around it. NULL = ">". */
  const uint32_t* touches;              /* code form: touchpoint codes of all rows, concatenated */
  const uint64_t* offsets;              /* code form: row j is touches[offsets[j] .. offsets[j+1]),
                                           n_paths + 1 non-decreasing entries */
  const char* const* touchpoint_names;  /* code form: names of the codes (unique, non-empty, UTF-8) */
  size_t n_touchpoint_names;
  const double* conversions;            /* required: conversions per row */
  const double* nulls;                  /* optional: non-conversions per row; NULL = all 0 */
  const double* values;                 /* optional: total conversion value per row; NULL = all 0 */
} jg_path_arrays;
#define JG_PATH_ARRAYS_INIT \
  { JG_PATH_ARRAYS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL }

/* Set *arrays to an empty description of the given struct version (pass JG_PATH_ARRAYS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *arrays. Cost: O(1). */
JG_API jg_status jg_path_arrays_init(jg_path_arrays* arrays, unsigned version);

/* A column of a CSV file: its header name and whether its absence is an error. name NULL or "" means
 * "do not read this column". An optional column that is absent is noted in the report. */
typedef struct jg_column {
  const char* name;
  int required;
} jg_column;

#define JG_EVENT_CSV_OPTIONS_VERSION 2u
/* Columns and dialect of an events CSV (RFC 4180, one row per touch, a header row, LF or CRLF, an
 * optional UTF-8 BOM). Without time_format, time values may be epoch numbers (integers or decimals, in
 * integer_time_unit) or ISO-8601 text ("2024-03-01", "2024-03-01T12:30:00.250+02:00", "...Z"); any other
 * form, such as the ambiguous "03/04/2026", is JG_EPARSE naming the value and the format that reads it.
 * Times without an offset are UTC. They are stored in milliseconds, or in the epoch unit if that is finer.
 * Conversion flags: 1/0, true/false, yes/no, t/f, y/n, empty = 0.
 * Versions: version 1 ends after integer_time_unit and takes the unit as given (JG_TIME_SECONDS by
 * default, no range check), as it always did. Version 2 appends time_format, and its integer_time_unit
 * defaults to JG_TIME_DEFAULT: seconds, checked, so that epoch milliseconds or microseconds read as
 * seconds (a value after the year 2200, or every value before 1971) are JG_EPARSE naming the value and
 * what it would be in each unit; naming a unit, even JG_TIME_SECONDS, turns the check off. */
typedef struct jg_event_csv_options {
  unsigned version;               /* JG_EVENT_CSV_OPTIONS_VERSION */
  char delimiter;                 /* field delimiter. Default ','. */
  int skip_bad_rows;              /* skip malformed rows (counted in the report) instead of failing.
                                     Default 0. Structural errors always fail. */
  size_t max_field_bytes;         /* longest accepted field. Default 1048576. */
  jg_column journey;              /* default {"journey_id", 1} */
  jg_column time;                 /* default {"timestamp", 1}; no name = rows are in file order */
  jg_column touchpoint;           /* default {"touchpoint", 1} */
  jg_column conversion;           /* default {"conversion", 0} */
  jg_column value;                /* default {"value", 0}; counted on rows with a conversion flag */
  jg_column segment;              /* default {"segment", 0}; NULL or "" = not read */
  jg_time_unit integer_time_unit; /* unit of epoch numbers. Default JG_TIME_DEFAULT (version 2: seconds,
                                     checked); JG_TIME_SECONDS in version 1, which refuses JG_TIME_DEFAULT. */
  /* version 2 */
  const char* time_format;        /* strftime-style pattern of the time text, e.g. "%d/%m/%Y %H:%M"
                                     (directives %Y %y %m %b %B %d %j %H %I %p %M %S %f %z %T %%; a space
                                     matches blanks; other characters match themselves); every value must
                                     match it. NULL or "" (the default): epoch numbers or ISO-8601. A bad
                                     pattern is JG_EINVAL naming it. */
} jg_event_csv_options;
#define JG_EVENT_CSV_OPTIONS_INIT                                                                  \
  { JG_EVENT_CSV_OPTIONS_VERSION, ',', 0, 1048576u, { "journey_id", 1 }, { "timestamp", 1 },     \
    { "touchpoint", 1 }, { "conversion", 0 }, { "value", 0 }, { "segment", 0 }, JG_TIME_DEFAULT, NULL }

/* Set *options to the defaults of the given struct version (pass JG_EVENT_CSV_OPTIONS_VERSION; version 1
 * writes only the fields of version 1, with integer_time_unit JG_TIME_SECONDS). Returns JG_EINVAL for a
 * NULL pointer or an unknown version. Ownership: the caller owns the struct; the default column names are
 * static strings. Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_event_csv_options_init(jg_event_csv_options* options, unsigned version);

#define JG_PATH_CSV_OPTIONS_VERSION 2u
/* Columns and dialect of an aggregated paths CSV (ChannelAttribution's format, RFC 4180). Both versions
 * refuse a file in which no path holds the separator but most hold another common one (">", "->", "|",
 * ",", ";", "/"): JG_EPARSE naming the file, the line and the separator found. Version 2 appends
 * check_separator, to turn that check off. */
typedef struct jg_path_csv_options {
  unsigned version;       /* JG_PATH_CSV_OPTIONS_VERSION */
  char delimiter;         /* field delimiter. Default ','. */
  int skip_bad_rows;      /* skip malformed rows (counted in the report). Default 0. */
  size_t max_field_bytes; /* longest accepted field. Default 1048576. */
  jg_column path;         /* default {"path", 1} */
  jg_column conversions;  /* default {"total_conversions", 1} */
  jg_column nulls;        /* default {"total_null", 0} */
  jg_column value;        /* default {"total_conversion_value", 0} */
  const char* separator;  /* between touchpoints in a path; names are trimmed of spaces and tabs around
                             it. Default ">"; NULL = ">". */
  /* version 2 */
  int check_separator;    /* refuse a file whose paths seem to use another separator (see above). Default
                             1; turn off only for one-touch paths whose names hold such a character. */
} jg_path_csv_options;
#define JG_PATH_CSV_OPTIONS_INIT                                                                   \
  { JG_PATH_CSV_OPTIONS_VERSION, ',', 0, 1048576u, { "path", 1 }, { "total_conversions", 1 },     \
    { "total_null", 0 }, { "total_conversion_value", 0 }, ">", 1 }

/* Set *options to the defaults of the given struct version (pass JG_PATH_CSV_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct;
 * the default strings are static. Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_path_csv_options_init(jg_path_csv_options* options, unsigned version);

/* Build journeys from event arrays: events are grouped by journey id (journeys keep the order of their
 * first event), ordered by time and cut per *options (NULL = defaults). Every dropped or changed item
 * is counted in the report. Fails with JG_EINVAL naming the event and value for a code out of range, a
 * negative or non-finite conversion value, a duplicated or empty name, or lookback/gap without times.
 * exec may be NULL. out_report may be NULL (no report wanted).
 * Ownership: *out_journeys and *out_report are new handles owned by the caller (jg_journeys_free,
 * jg_report_free); the input arrays are not retained. Threads: reads only its inputs.
 * Cost: O(n) time plus O(n log m) for journeys of m unordered events; memory O(n). */
JG_API jg_status jg_journeys_from_events(const jg_event_arrays* events, const jg_journey_options* options,
                                         const jg_exec_options* exec, jg_journeys** out_journeys,
                                         jg_report** out_report);

/* Build journeys from aggregated path arrays (see jg_path_arrays). Fails with JG_EINVAL naming the row
 * for an empty path or an empty touchpoint name, invalid UTF-8, a code out of range, decreasing offsets,
 * negative or non-finite counts, or a value on a row without conversions. exec and out_report may be
 * NULL. Ownership: as jg_journeys_from_events. Threads: reads only its inputs.
 * Cost: O(total path length). */
JG_API jg_status jg_journeys_from_paths(const jg_path_arrays* paths, const jg_exec_options* exec,
                                        jg_journeys** out_journeys, jg_report** out_report);

/* Read an events CSV file and build journeys (grouping as jg_journeys_from_events). options,
 * journey_options, exec and out_report may be NULL. Fails with JG_EIO if the file cannot be read,
 * JG_EPARSE for malformed content (the message reads "FILE:LINE:COLUMN: field 'NAME': ..." with the
 * value), JG_EDATA if the file holds no events. Ownership: as jg_journeys_from_events.
 * Threads: reads only its inputs. Cost: O(file size + events log events per journey). */
JG_API jg_status jg_journeys_read_events_csv(const char* file, const jg_event_csv_options* options,
                                             const jg_journey_options* journey_options,
                                             const jg_exec_options* exec, jg_journeys** out_journeys,
                                             jg_report** out_report);

/* As jg_journeys_read_events_csv, from length bytes of CSV text in memory (text may be NULL only when
 * length is 0). name (e.g. "<memory>") is used in error messages. Ownership: text is not retained.
 * Threads: reads only its inputs. Cost: O(length + events log events per journey). */
JG_API jg_status jg_journeys_parse_events_csv(const char* text, size_t length, const char* name,
                                              const jg_event_csv_options* options,
                                              const jg_journey_options* journey_options,
                                              const jg_exec_options* exec, jg_journeys** out_journeys,
                                              jg_report** out_report);

/* Read an aggregated paths CSV file (ChannelAttribution's format: path, total_conversions, total_null,
 * total_conversion_value by default). options, exec and out_report may be NULL. Fails with JG_EIO,
 * JG_EPARSE (negative or non-finite counts, empty paths or names; file:line:column in the message) or
 * JG_EDATA (no rows). Ownership: as jg_journeys_from_events. Threads: reads only its inputs.
 * Cost: O(file size). */
JG_API jg_status jg_journeys_read_paths_csv(const char* file, const jg_path_csv_options* options,
                                            const jg_exec_options* exec, jg_journeys** out_journeys,
                                            jg_report** out_report);

/* As jg_journeys_read_paths_csv, from length bytes of CSV text in memory; name is used in error
 * messages. Ownership: text is not retained. Threads: reads only its inputs. Cost: O(length). */
JG_API jg_status jg_journeys_parse_paths_csv(const char* text, size_t length, const char* name,
                                             const jg_path_csv_options* options, const jg_exec_options* exec,
                                             jg_journeys** out_journeys, jg_report** out_report);

/* The built-in retailer sample, so the library can be tried without data: `customers` customers meet
 * ads, search, email, the web shop, the app and stores over 90 days from 2026-01-01 (epoch-second
 * timestamps, conversion values in currency units, segment = device "mobile" or "desktop"), built into
 * journeys with *journey_options (NULL = defaults). customers = 20000 and seed = 42 give the data of
 * `journeygraph demo`; 0 customers give an empty set. The same seed gives the same journeys on every
 * platform. exec and out_report may be NULL. Ownership: as jg_journeys_from_events. Threads: safe from
 * any thread.
 * Cost: O(customers). */
JG_API jg_status jg_journeys_sample(size_t customers, uint64_t seed, const jg_journey_options* journey_options,
                                    const jg_exec_options* exec, jg_journeys** out_journeys,
                                    jg_report** out_report);

/* Release a journey set. NULL is allowed and does nothing. Ownership: journeys must come from this
 * library and not be used afterwards; handles made from it (models, attributions...) stay valid.
 * Threads: no other call may use journeys concurrently. Cost: O(1) + freeing its memory. */
JG_API void jg_journeys_free(jg_journeys* journeys);

#define JG_JOURNEYS_INFO_VERSION 2u
/* Sizes and totals of a journey set (output of jg_journeys_get_info). Version 2 appends how the
 * timestamps were given; a version-1 struct is filled up to memory_bytes only. */
typedef struct jg_journeys_info {
  unsigned version;         /* set by the caller: JG_JOURNEYS_INFO_VERSION */
  size_t n_journeys;        /* rows (a path row stands for conversions + nulls journeys) */
  size_t n_touches;         /* touches over all journeys */
  size_t n_touchpoints;     /* size of the touchpoint dictionary */
  size_t n_segments;        /* size of the segment dictionary (0 without segments) */
  int has_timestamps;       /* touches carry timestamps */
  jg_time_unit time_unit;   /* unit of the timestamps */
  int has_segments;         /* journeys carry a segment */
  double total_conversions; /* sums over all journeys */
  double total_nulls;
  double total_value;
  size_t memory_bytes;      /* bytes held by the columns (not counting dictionaries) */
  /* version 2 */
  jg_time_kind time_kind;   /* how the timestamps were given (JG_TIME_KIND_NONE without timestamps) */
  jg_time_unit epoch_unit;  /* unit the epoch numbers were given in (JG_TIME_SECONDS for epoch seconds,
                               which are stored in milliseconds); time_unit when time_kind is not
                               JG_TIME_KIND_EPOCH or JG_TIME_KIND_MIXED */
} jg_journeys_info;
#define JG_JOURNEYS_INFO_INIT                                                                      \
  { JG_JOURNEYS_INFO_VERSION, 0, 0, 0, 0, 0, JG_TIME_SECONDS, 0, 0.0, 0.0, 0.0, 0, JG_TIME_KIND_NONE, \
    JG_TIME_SECONDS }

/* Set *info to zeros with the given struct version (pass JG_JOURNEYS_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_journeys_info_init(jg_journeys_info* info, unsigned version);

/* Fill *out_info (whose version the caller set) with the sizes and totals of journeys (only the fields of
 * that version).
 * Ownership: the caller owns *out_info. Threads: read-only on journeys. Cost: O(1). */
JG_API jg_status jg_journeys_get_info(const jg_journeys* journeys, jg_journeys_info* out_info);

/* Name of touchpoint id (0 <= id < n_touchpoints; the ids that jg_journeys_path returns).
 * JG_EINVAL if id is out of range. Ownership: *out_name is borrowed from journeys and valid until
 * jg_journeys_free(journeys). Threads: read-only on journeys. Cost: O(1). */
JG_API jg_status jg_journeys_touchpoint_name(const jg_journeys* journeys, size_t id, const char** out_name);

/* Name of segment id (0 <= id < n_segments). JG_EINVAL if id is out of range.
 * Ownership: *out_name is borrowed from journeys and valid until jg_journeys_free(journeys).
 * Threads: read-only on journeys. Cost: O(1). */
JG_API jg_status jg_journeys_segment_name(const jg_journeys* journeys, size_t id, const char** out_name);

/* Touchpoint ids of journey `journey` (0 <= journey < n_journeys), oldest first, into a caller buffer
 * (see Buffers). JG_EINVAL if journey is out of range. Ownership: the caller owns the buffer.
 * Threads: read-only on journeys. Cost: O(path length). */
JG_API jg_status jg_journeys_path(const jg_journeys* journeys, size_t journey, uint32_t* out_touchpoints,
                                  size_t capacity, size_t* out_len);

/* Timestamps of journey `journey` (one per touch, in the set's time_unit) into a caller buffer; the
 * result is empty (*out_len = 0) when the set has no timestamps. Ownership: the caller owns the buffer.
 * Threads: read-only on journeys. Cost: O(path length). */
JG_API jg_status jg_journeys_times(const jg_journeys* journeys, size_t journey, int64_t* out_times,
                                   size_t capacity, size_t* out_len);

/* Outcome of journey `journey`: conversions and non-conversions (weights, possibly fractional) and the
 * total conversion value. Ownership: none. Threads: read-only on journeys. Cost: O(1). */
JG_API jg_status jg_journeys_outcome(const jg_journeys* journeys, size_t journey, double* out_conversions,
                                     double* out_nulls, double* out_value);

/* Segment id of journey `journey` (into jg_journeys_segment_name); 0 when the set has no segments.
 * Ownership: none. Threads: read-only on journeys. Cost: O(1). */
JG_API jg_status jg_journeys_segment(const jg_journeys* journeys, size_t journey, uint32_t* out_segment);

/* Journey `journey` as text, touchpoint names joined by separator (NULL = " > "), into a caller byte
 * buffer (see Buffers: *out_len counts the NUL). Ownership: the caller owns the buffer.
 * Threads: read-only on journeys. Cost: O(length of the text). */
JG_API jg_status jg_journeys_path_string(const jg_journeys* journeys, size_t journey, const char* separator,
                                         char* out, size_t capacity, size_t* out_len);

/* A new journey set holding journeys [first, first + count) of journeys, with the same dictionaries
 * (touchpoints no kept journey uses are dropped). JG_EINVAL if the range exceeds the set.
 * Ownership: *out_journeys is a new handle owned by the caller. Threads: read-only on journeys.
 * Cost: O(touches copied). */
JG_API jg_status jg_journeys_slice(const jg_journeys* journeys, size_t first, size_t count,
                                   jg_journeys** out_journeys);

/* A new journey set holding the journeys of one segment (id into jg_journeys_segment_name). JG_ESTATE
 * if the set has no segments, JG_EINVAL if segment is out of range. Ownership: *out_journeys is a new
 * handle owned by the caller. Threads: read-only on journeys. Cost: O(journeys + touches copied). */
JG_API jg_status jg_journeys_segment_subset(const jg_journeys* journeys, size_t segment,
                                            jg_journeys** out_journeys);

/* The instant a user typed (a command-line argument, a form field), read the way the journeys' times were
 * given, in ticks of the set's time unit (jg_journeys_info.time_unit): ISO-8601 text (naive times are
 * UTC) or, when pattern is not NULL or "", text in that pattern (the time_format the file was read with)
 * always; a bare number as an epoch number in the set's epoch unit only when its times were epoch
 * numbers (JG_TIME_KIND_EPOCH or MIXED), so "1700000000" is seconds for a file of epoch seconds. A bare
 * number for a set of date-time text is JG_EINVAL with a hint (it would be a guess), as is text of
 * another form; JG_ESTATE without timestamps. Preconditions: journeys, text and out_ticks not NULL.
 * Ownership: none kept. Threads: read-only on journeys. Cost: O(length of text + pattern). */
JG_API jg_status jg_parse_instant(const jg_journeys* journeys, const char* text, const char* pattern,
                                  int64_t* out_ticks);

/* The journeys split by the time of their first touch (at in ticks of the set's time unit, e.g. from
 * jg_parse_instant): *out_before holds those starting before at, *out_from those starting at or after it,
 * each with the same dictionaries and time kind. JG_ESTATE without timestamps; JG_EDATA when a side has no
 * journey of positive weight, naming the split instant, the empty side and the range of start times.
 * Ownership: two new handles owned by the caller; both are NULL on failure. Threads: read-only on
 * journeys. Cost: O(journeys + touches). */
JG_API jg_status jg_journeys_split_at_time(const jg_journeys* journeys, int64_t at, jg_journeys** out_before,
                                           jg_journeys** out_from);

/* Which reader a CSV file calls for, judged from its header row: JG_CSV_EVENTS when it has the events
 * options' journey and touchpoint columns and not the path column; JG_CSV_PATHS when it has the path and
 * conversions columns and not the journey column; JG_CSV_UNKNOWN otherwise. The header is the first row
 * of the file `file`, or, when file is NULL, of the `length` bytes at `text` (header text in memory).
 * events and paths (NULL = defaults) give the column names, and the delimiter is events' (paths' when
 * events is NULL). The reason, one sentence naming the columns that decided (or what is missing or
 * conflicting), goes to a caller byte buffer (see Buffers; out_reason NULL with capacity 0 asks only for
 * its size, and *out_kind is set then too). JG_EIO if the file cannot be read, JG_EPARSE if it is empty.
 * Ownership: none kept; the caller owns the buffer. Threads: reads only its inputs.
 * Cost: O(header length). */
JG_API jg_status jg_detect_csv_kind(const char* file, const char* text, size_t length,
                                    const jg_event_csv_options* events, const jg_path_csv_options* paths,
                                    jg_csv_kind* out_kind, char* out_reason, size_t capacity, size_t* out_len);

/* A time as ISO-8601 UTC text ("2026-01-01T00:00:00Z"; a fraction of a second, when not zero, without
 * trailing zeros: "...:20.25Z"; years outside 0..9999 with their sign and all their digits), into a caller byte buffer
 * (see Buffers). ticks are in unit (JG_TIME_DEFAULT is JG_EINVAL). The inverse of jg_parse_instant for
 * ISO text. Ownership: the caller owns the buffer. Threads: safe from any thread. Cost: O(1). */
JG_API jg_status jg_format_time(int64_t ticks, jg_time_unit unit, char* out, size_t capacity, size_t* out_len);

/* Write journeys as an aggregated paths CSV (identical paths merged in first-seen order; columns path,
 * total_conversions, total_null, total_conversion_value), touchpoints joined by separator (NULL =
 * " > "). JG_EINVAL if a touchpoint name contains the separator, JG_EIO if the file cannot be written.
 * Ownership: none kept. Threads: read-only on journeys. Cost: O(touches) expected. */
JG_API jg_status jg_journeys_write_paths_csv(const jg_journeys* journeys, const char* file, const char* separator);

/* The journeys as a table "journeys", one row per journey: path (touchpoint names joined by separator,
 * NULL = " > "), touches, conversions, nulls, value, and segment, start_time and end_time (time columns)
 * when the set has segments and timestamps (see docs/tables.md). Ownership: *out_table is a new handle
 * owned by the caller (jg_table_free). Threads: read-only on journeys. Cost: O(touches). */
JG_API jg_status jg_journeys_table(const jg_journeys* journeys, const char* separator, jg_table** out_table);

/* ================================================================================================
 * Build reports: what a build or read did, so that nothing is dropped silently
 * ================================================================================================ */

#define JG_REPORT_COUNTS_VERSION 1u
/* The counts of a report (output of jg_report_get_counts). */
typedef struct jg_report_counts {
  unsigned version;                     /* set by the caller: JG_REPORT_COUNTS_VERSION */
  uint64_t rows;                        /* input rows read (events or path rows) */
  uint64_t rows_skipped;                /* malformed rows skipped (only with skip_bad_rows) */
  uint64_t blank_lines;                 /* empty lines in a CSV file */
  uint64_t journeys;                    /* journeys in the result */
  uint64_t touches;                     /* touches in the result */
  uint64_t splits_at_conversion;        /* journeys started by a touch after a conversion */
  uint64_t splits_at_gap;               /* journeys started by an inactivity gap */
  uint64_t touches_dropped_lookback;    /* touches outside the lookback window */
  uint64_t touches_dropped_max_touches; /* touches beyond max_touches */
  uint64_t repeats_collapsed;           /* touches removed by collapse_repeats */
  uint64_t values_ignored;              /* events with a non-zero value but no conversion flag */
  uint64_t duplicate_events;            /* events equal to the previous one of their journey (kept) */
  uint64_t reordered_events;            /* events earlier in time than their predecessor */
  uint64_t zero_weight_journeys;        /* journeys with conversions + nulls == 0 (kept, no weight) */
  uint64_t segment_conflicts;           /* journeys whose events carry more than one segment */
} jg_report_counts;
#define JG_REPORT_COUNTS_INIT { JG_REPORT_COUNTS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/* Set *counts to zeros with the given struct version (pass JG_REPORT_COUNTS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *counts. Cost: O(1). */
JG_API jg_status jg_report_counts_init(jg_report_counts* counts, unsigned version);

/* Release a report. NULL is allowed and does nothing. Ownership: report must come from this library
 * and not be used afterwards. Threads: no other call may use report concurrently. Cost: O(size). */
JG_API void jg_report_free(jg_report* report);

/* Fill *out_counts (whose version the caller set) with the report's counts.
 * Ownership: the caller owns *out_counts. Threads: read-only on report. Cost: O(1). */
JG_API jg_status jg_report_get_counts(const jg_report* report, jg_report_counts* out_counts);

/* A one-paragraph human summary listing every non-zero count, into a caller byte buffer (see Buffers).
 * Ownership: the caller owns the buffer. Threads: read-only on report. Cost: O(length). */
JG_API jg_status jg_report_summary(const jg_report* report, char* out, size_t capacity, size_t* out_len);

/* Number of notes (e.g. optional columns that were absent). Ownership: none.
 * Threads: read-only on report. Cost: O(1). */
JG_API jg_status jg_report_note_count(const jg_report* report, size_t* out_count);

/* Note `index` (0 <= index < count). JG_EINVAL if out of range. Ownership: *out_note is borrowed from
 * report and valid until jg_report_free(report). Threads: read-only on report. Cost: O(1). */
JG_API jg_status jg_report_note(const jg_report* report, size_t index, const char** out_note);

/* Number of kept error messages of skipped rows (the first few; rows_skipped counts all of them).
 * Ownership: none. Threads: read-only on report. Cost: O(1). */
JG_API jg_status jg_report_skipped_example_count(const jg_report* report, size_t* out_count);

/* Error message of skipped row example `index` ("FILE:LINE:COLUMN: ..."). JG_EINVAL if out of range.
 * Ownership: *out_message is borrowed from report and valid until jg_report_free(report).
 * Threads: read-only on report. Cost: O(1). */
JG_API jg_status jg_report_skipped_example(const jg_report* report, size_t index, const char** out_message);

/* ================================================================================================
 * Transition counts: what a fit needs; counts of disjoint journey sets merge into those of their union
 * ================================================================================================ */

/* Count the order-`order` transitions of journeys (1 <= order <= 16; states are sliding k-grams of a
 * journey's touchpoints, START leads to the first state with the journey's weight, the last state to
 * CONVERSION and NULL). Journeys with zero weight contribute nothing. JG_EINVAL for a bad order or
 * self_loops value. exec may be NULL. Ownership: *out_counts is a new handle owned by the caller
 * (jg_counts_free). Threads: read-only on journeys; deterministic for any thread count.
 * Cost: O(touches * order) expected time, O(states * order + transitions) memory. */
JG_API jg_status jg_counts_create(const jg_journeys* journeys, unsigned order, jg_self_loops self_loops,
                                  const jg_exec_options* exec, jg_counts** out_counts);

/* Release transition counts. NULL is allowed and does nothing. Ownership: counts must come from this
 * library and not be used afterwards. Threads: no other call may use counts concurrently.
 * Cost: O(1) + freeing its memory. */
JG_API void jg_counts_free(jg_counts* counts);

/* Deprecated: jg_counts_create_merged makes the merged counts as a new handle; kept for existing programs.
 * Add other's counts to counts (touchpoints matched by name), e.g. to combine partitions of a large
 * data set. JG_EINVAL if the orders or self-loop settings differ. counts and other may be the same
 * handle (counts are then doubled). Ownership: other is not retained. Threads: modifies counts: no
 * other call may use counts concurrently; read-only on other. Cost: O((states + transitions) log) of both. */
JG_API jg_status jg_counts_merge(jg_counts* counts, const jg_counts* other);

/* The counts of the union of disjoint sets of journeys: the n_parts counts merged (touchpoints matched by
 * name), as a new handle. JG_EINVAL for n_parts 0, a NULL part, or parts of different orders or self-loop
 * settings. Ownership: *out_counts is a new handle owned by the caller (jg_counts_free); the parts are not
 * retained. Threads: read-only on the parts. Cost: O((states + transitions) log) of all parts. */
JG_API jg_status jg_counts_create_merged(const jg_counts* const* parts, size_t n_parts, jg_counts** out_counts);

/* *out_equal = 1 if every count and name of a and b is exactly equal, else 0. Ownership: none.
 * Threads: read-only on a and b. Cost: O(states + transitions). */
JG_API jg_status jg_counts_equal(const jg_counts* a, const jg_counts* b, int* out_equal);

#define JG_COUNTS_INFO_VERSION 1u
/* Sizes and totals of transition counts (output of jg_counts_get_info). */
typedef struct jg_counts_info {
  unsigned version;               /* set by the caller: JG_COUNTS_INFO_VERSION */
  unsigned order;                 /* order k */
  jg_self_loops self_loops;       /* self-loop convention */
  size_t n_touchpoints;           /* touchpoints seen */
  size_t n_states;                /* touchpoint states (START not included) */
  size_t n_transitions;           /* distinct observed transitions between states, START included */
  uint64_t rows;                  /* journey rows counted (with positive weight) */
  uint64_t zero_weight_journeys;  /* journey rows skipped for zero weight */
  double journeys;                /* summed weight (conversions + nulls) of the counted rows */
  double total_conversions;
  double total_nulls;
  double total_value;
} jg_counts_info;
#define JG_COUNTS_INFO_INIT { JG_COUNTS_INFO_VERSION, 0u, JG_SELF_LOOPS_DROP, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0 }

/* Set *info to zeros with the given struct version (pass JG_COUNTS_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_counts_info_init(jg_counts_info* info, unsigned version);

/* Fill *out_info (whose version the caller set) with the sizes and totals of counts.
 * Ownership: the caller owns *out_info. Threads: read-only on counts. Cost: O(1). */
JG_API jg_status jg_counts_get_info(const jg_counts* counts, jg_counts_info* out_info);

/* The counts as a table "transition_counts" (columns from, to, count; see docs/tables.md). Ownership:
 * *out_table is a new handle owned by the caller (jg_table_free). Threads: read-only on counts.
 * Cost: O(states * order + transitions). */
JG_API jg_status jg_counts_table(const jg_counts* counts, jg_table** out_table);

/* ================================================================================================
 * Markov models: the fitted absorbing chain
 * ================================================================================================ */

#define JG_MODEL_OPTIONS_VERSION 1u
/* Options of a Markov fit. */
typedef struct jg_model_options {
  unsigned version;         /* JG_MODEL_OPTIONS_VERSION */
  unsigned order;           /* order k, 1 <= k <= 16: a state is the last k touchpoints. Default 1. */
  double smoothing;         /* additive smoothing alpha >= 0 on every candidate transition of a
                               touchpoint state (its continuations, CONVERSION, NULL); START is not
                               smoothed. 0 = maximum likelihood. Default 0. */
  jg_self_loops self_loops; /* Default JG_SELF_LOOPS_DROP. */
} jg_model_options;
#define JG_MODEL_OPTIONS_INIT { JG_MODEL_OPTIONS_VERSION, 1u, 0.0, JG_SELF_LOOPS_DROP }

/* Set *options to the defaults of the given struct version (pass JG_MODEL_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_model_options_init(jg_model_options* options, unsigned version);

/* Deprecated: jg_model_create_fitted, jg_model_create_from_counts and jg_model_open make a finished model
 * in one call; kept for existing programs.
 * Create an unfitted model (every analysis call on it returns JG_ESTATE until jg_model_fit succeeds).
 * Ownership: *out_model is a new handle owned by the caller (jg_model_free). Threads: safe from any
 * thread. Cost: O(1). */
JG_API jg_status jg_model_create(jg_model** out_model);

/* Release a model. NULL is allowed and does nothing. Ownership: model must come from this library and
 * not be used afterwards; removal effects computed from it stay valid. Threads: no other call may use
 * model concurrently. Cost: O(1) + freeing its memory. */
JG_API void jg_model_free(jg_model* model);

/* Deprecated: jg_model_create_fitted; kept for existing programs.
 * Count and fit the absorbing chain of journeys with *options (NULL = order 1, no smoothing, self-loops
 * dropped) and store it in model, replacing what it held. On failure model is unchanged. JG_EINVAL for
 * bad options, JG_EDATA if no journey has positive weight, JG_EINTERRUPTED if cancelled. exec may be
 * NULL. Ownership: journeys is not retained (the model keeps only the counts). Threads: modifies model:
 * no other call may use model concurrently; read-only on journeys.
 * Cost: counting O(touches * order) + O(states + transitions) + one sparse chain solve. */
JG_API jg_status jg_model_fit(jg_model* model, const jg_journeys* journeys, const jg_model_options* options,
                              const jg_exec_options* exec);

/* Deprecated: jg_model_create_from_counts; kept for existing programs.
 * Fit model from transition counts (e.g. merged from partitions) with additive smoothing >= 0; the
 * order and self-loop setting are the counts'. Same errors and guarantees as jg_model_fit.
 * Ownership: counts is copied into the model. Threads: modifies model; read-only on counts.
 * Cost: O(states + transitions) + one sparse chain solve. */
JG_API jg_status jg_model_fit_counts(jg_model* model, const jg_counts* counts, double smoothing,
                                     const jg_exec_options* exec);

/* A model fitted on journeys with *options (NULL = order 1, no smoothing, self-loops dropped), in one
 * call: the handle is finished and immutable. Errors as jg_model_fit. exec may be NULL. Ownership:
 * *out_model is a new handle owned by the caller (jg_model_free); journeys is not retained. Threads:
 * read-only on journeys. Cost: as jg_model_fit. */
JG_API jg_status jg_model_create_fitted(const jg_journeys* journeys, const jg_model_options* options,
                                       const jg_exec_options* exec, jg_model** out_model);

/* A model fitted on transition counts with additive smoothing >= 0, in one call. Errors as
 * jg_model_fit_counts. Ownership: *out_model is a new handle owned by the caller (jg_model_free); counts is
 * copied. Threads: read-only on counts. Cost: as jg_model_fit_counts. */
JG_API jg_status jg_model_create_from_counts(const jg_counts* counts, double smoothing, const jg_exec_options* exec,
                                            jg_model** out_model);

/* *out_fitted = 1 if model holds a fitted chain, else 0. Ownership: none. Threads: read-only on model.
 * Cost: O(1). */
JG_API jg_status jg_model_is_fitted(const jg_model* model, int* out_fitted);

#define JG_MODEL_INFO_VERSION 1u
/* Sizes and headline numbers of a fitted model (output of jg_model_get_info). Transient states are
 * numbered 0 = START, 1 .. n_states-1 the touchpoint states; n_states is CONVERSION and n_states + 1
 * is NULL. */
typedef struct jg_model_info {
  unsigned version;              /* set by the caller: JG_MODEL_INFO_VERSION */
  unsigned order;                /* order k */
  double smoothing;              /* smoothing alpha of the fit */
  jg_self_loops self_loops;      /* self-loop convention */
  size_t n_states;               /* transient states, START included (as ChannelAttribution counts) */
  size_t n_touchpoints;          /* touchpoints of the chain (sorted by name, byte order) */
  size_t n_transitions;          /* rows of the transition table (jg_model_transitions) */
  double conversion_probability; /* P(absorption in CONVERSION | START) */
  double expected_value;         /* expected conversion value per journey from START */
  double journeys;               /* summed weight of the fitted journeys */
  double total_conversions;      /* conversions of the fitted journeys */
  double total_nulls;            /* non-conversions of the fitted journeys */
  double total_value;            /* conversion value of the fitted journeys */
} jg_model_info;
#define JG_MODEL_INFO_INIT \
  { JG_MODEL_INFO_VERSION, 0u, 0.0, JG_SELF_LOOPS_DROP, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }

/* Set *info to zeros with the given struct version (pass JG_MODEL_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_model_info_init(jg_model_info* info, unsigned version);

/* Fill *out_info (whose version the caller set) from a fitted model; JG_ESTATE if unfitted.
 * Ownership: the caller owns *out_info. Threads: read-only on model. Cost: O(1). */
JG_API jg_status jg_model_get_info(const jg_model* model, jg_model_info* out_info);

/* Name of touchpoint `index` of the model (0 <= index < n_touchpoints; sorted by name). JG_ESTATE if
 * unfitted, JG_EINVAL if out of range. Ownership: *out_name is borrowed from model and valid until the
 * model is freed or fitted again. Threads: read-only on model. Cost: O(1). */
JG_API jg_status jg_model_touchpoint_name(const jg_model* model, size_t index, const char** out_name);

/* Name of state `state` (0 <= state < n_states + 2): "(start)", the state's touchpoints joined by
 * " > ", "(conversion)" (state n_states) or "(null)" (state n_states + 1). JG_ESTATE if unfitted,
 * JG_EINVAL if out of range. Ownership: *out_name is borrowed from model and valid until the model is
 * freed or fitted again. Threads: read-only on model. Cost: O(1). */
JG_API jg_status jg_model_state_name(const jg_model* model, size_t state, const char** out_name);

/* Touchpoint indices (into jg_model_touchpoint_name) of state `state`, oldest first, into a caller
 * buffer: 1..order of them for a touchpoint state, none for START, CONVERSION and NULL. JG_ESTATE if
 * unfitted, JG_EINVAL if out of range. Ownership: the caller owns the buffer. Threads: read-only on
 * model. Cost: O(order). */
JG_API jg_status jg_model_state_tokens(const jg_model* model, size_t state, uint32_t* out_tokens,
                                       size_t capacity, size_t* out_len);

/* One row of the transition table. Fixed layout: this struct never changes. */
typedef struct jg_transition {
  uint32_t from;      /* transient state (0 = START) */
  uint32_t to;        /* state: a touchpoint state, n_states (CONVERSION) or n_states + 1 (NULL) */
  double count;       /* observed weight (0 for a transition that exists only by smoothing) */
  double probability; /* fitted probability; each from-state's probabilities sum to 1 */
} jg_transition;

/* Deprecated: read jg_model_transition_table instead; kept for existing programs.
 * The transition table of a fitted model, row by row (by from-state, then to-state), into a caller
 * buffer of n_transitions entries. JG_ESTATE if unfitted. Ownership: the caller owns the buffer.
 * Threads: read-only on model. Cost: O(transitions). */
JG_API jg_status jg_model_transitions(const jg_model* model, jg_transition* out, size_t capacity, size_t* out_len);

/* Mean value per conversion of the journeys ending in each transient state (index = state; 0 where
 * none converted), into a caller buffer of n_states entries. JG_ESTATE if unfitted.
 * Ownership: the caller owns the buffer. Threads: read-only on model. Cost: O(states). */
JG_API jg_status jg_model_value_per_conversion(const jg_model* model, double* out, size_t capacity,
                                               size_t* out_len);

/* The transitions of a fitted model as a table "transitions" (columns from, to, count, probability with
 * state names; metadata order, states, conversion_probability, smoothing, self_loops; see docs/tables.md).
 * JG_ESTATE if unfitted. Ownership: *out_table is a new handle owned by the caller (jg_table_free).
 * Threads: read-only on model. Cost: O(transitions). */
JG_API jg_status jg_model_transition_table(const jg_model* model, jg_table** out_table);

/* ================================================================================================
 * Removal effects: exact Markov attribution of a fitted model
 * RE_c = 1 - P(conversion | every state containing c sent to NULL) / P(conversion); the Markov credit
 * of c is RE_c / sum(RE) * total conversions. Value: each state's conversion reward is scaled by the
 * mean value per conversion of the journeys ending there, and the same formulas apply.
 * ================================================================================================ */

/* The per-touchpoint vectors of removal effects (jg_removal_get). New fields may be appended. */
typedef enum jg_removal_field {
  JG_REMOVAL_EFFECT = 0,                      /* 1 - P(conv | c removed) / P(conv) */
  JG_REMOVAL_EFFECT_VALUE = 1,                /* 1 - E(value | c removed) / E(value) */
  JG_REMOVAL_CONVERSIONS = 2,                 /* removal effect / sum * total conversions */
  JG_REMOVAL_VALUE = 3,                       /* value removal effect / sum * total value */
  JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT = 4 /* P(conv | c removed) */
} jg_removal_field;

/* Exact removal effects of a fitted model: one sparse solve of the chain per touchpoint, in parallel,
 * identical bits for any thread count. JG_ESTATE if model is unfitted, JG_EDATA if it has no
 * conversions, JG_EINTERRUPTED if cancelled. exec may be NULL. Ownership: *out_removal is a new handle
 * owned by the caller (jg_removal_free); it does not refer to model afterwards. Threads: read-only on
 * model (several threads may compute removal effects of one model at once).
 * Cost: O(touchpoints * solve); a solve is linear in the transitions for acyclic parts and a sparse LU
 * per strongly connected component otherwise. */
JG_API jg_status jg_removal_create(const jg_model* model, const jg_exec_options* exec, jg_removal** out_removal);

/* Release removal effects. NULL is allowed and does nothing. Ownership: removal must come from this
 * library and not be used afterwards. Threads: no other call may use removal concurrently.
 * Cost: O(1) + freeing its memory. */
JG_API void jg_removal_free(jg_removal* removal);

#define JG_REMOVAL_INFO_VERSION 1u
/* Headline numbers of removal effects (output of jg_removal_get_info). */
typedef struct jg_removal_info {
  unsigned version;              /* set by the caller: JG_REMOVAL_INFO_VERSION */
  size_t n_touchpoints;          /* length of every vector */
  double conversion_probability; /* P(conversion) of the full chain */
  double expected_value;         /* expected value per journey of the full chain */
  double total_conversions;      /* conversions of the fitted journeys */
  double total_value;            /* value of the fitted journeys */
} jg_removal_info;
#define JG_REMOVAL_INFO_INIT { JG_REMOVAL_INFO_VERSION, 0, 0.0, 0.0, 0.0, 0.0 }

/* Set *info to zeros with the given struct version (pass JG_REMOVAL_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_removal_info_init(jg_removal_info* info, unsigned version);

/* Fill *out_info (whose version the caller set). Ownership: the caller owns *out_info.
 * Threads: read-only on removal. Cost: O(1). */
JG_API jg_status jg_removal_get_info(const jg_removal* removal, jg_removal_info* out_info);

/* Name of touchpoint `index` (the order of every vector). JG_EINVAL if out of range.
 * Ownership: *out_name is borrowed from removal and valid until jg_removal_free(removal).
 * Threads: read-only on removal. Cost: O(1). */
JG_API jg_status jg_removal_touchpoint_name(const jg_removal* removal, size_t index, const char** out_name);

/* Deprecated: read jg_removal_table instead; kept for existing programs.
 * One per-touchpoint vector (see jg_removal_field) into a caller buffer of n_touchpoints entries.
 * JG_EINVAL for an unknown field. Ownership: the caller owns the buffer. Threads: read-only on removal.
 * Cost: O(touchpoints). */
JG_API jg_status jg_removal_get(const jg_removal* removal, jg_removal_field field, double* out, size_t capacity,
                                size_t* out_len);

/* The removal effects as a table "removal_effects" (columns touchpoint, removal_effect,
 * removal_effect_value, conversions, value, conversion_probability_without; see docs/tables.md).
 * Ownership: *out_table is a new handle owned by the caller (jg_table_free). Threads: read-only on removal.
 * Cost: O(touchpoints). */
JG_API jg_status jg_removal_table(const jg_removal* removal, jg_table** out_table);

/* ================================================================================================
 * Saved counts and models: journeygraph's binary format (.jgm), versioned and CRC-64 checked. Counts keep
 * their exact sums, so loaded counts still merge exactly; a loaded model equals the saved one bit for bit.
 * A truncated, corrupted or newer-format input gives JG_EPARSE with the byte offset in the message, and
 * so do counts no journeys can make ("inconsistent counts": a state not entered from the start or with no
 * way to conversion or null, weight entering a state that does not leave it, a self-loop when self-loops
 * are dropped, or transitions weighing more than 2^32 times the journeys that enter their cycle).
 * ================================================================================================ */

/* Write counts to file. JG_EIO if it cannot be written. Ownership: none retained. Threads: read-only on
 * counts. Cost: O(states * order + transitions). */
JG_API jg_status jg_counts_save(const jg_counts* counts, const char* file);

/* Read counts saved by jg_counts_save. JG_EIO if file cannot be read, JG_EPARSE if it is not valid.
 * Ownership: *out_counts is a new handle owned by the caller (jg_counts_free). Threads: no shared state.
 * Cost: O(file size). */
JG_API jg_status jg_counts_load(const char* file, jg_counts** out_counts);

/* The bytes of jg_counts_save, into a caller buffer (see Buffers). Ownership: the caller owns the buffer.
 * Threads: read-only on counts. Cost: O(states * order + transitions). */
JG_API jg_status jg_counts_to_bytes(const jg_counts* counts, unsigned char* out, size_t capacity, size_t* out_len);

/* Counts from bytes made by jg_counts_to_bytes (or a file's content). JG_EPARSE if they are not valid.
 * Ownership: *out_counts is a new handle owned by the caller; bytes are not retained.
 * Threads: no shared state. Cost: O(length). */
JG_API jg_status jg_counts_from_bytes(const unsigned char* bytes, size_t length, jg_counts** out_counts);

/* Write a fitted model (its counts and smoothing) to file. JG_ESTATE if unfitted, JG_EIO if the file
 * cannot be written. Ownership: none retained. Threads: read-only on model. Cost: as jg_counts_save. */
JG_API jg_status jg_model_save(const jg_model* model, const char* file);

/* Deprecated: jg_model_open(file, NULL, 0, exec, &model); kept for existing programs.
 * Replace model's content by the model saved in file (refitted deterministically: every result equals the
 * saved model's bit for bit). JG_EIO, JG_EPARSE (also for a counts file); on failure model is unchanged.
 * exec may be NULL. Ownership: none retained. Threads: modifies model. Cost: a fit of the saved counts. */
JG_API jg_status jg_model_load(jg_model* model, const char* file, const jg_exec_options* exec);

/* The bytes of jg_model_save, into a caller buffer (see Buffers). JG_ESTATE if unfitted.
 * Ownership: the caller owns the buffer. Threads: read-only on model. Cost: as jg_counts_to_bytes. */
JG_API jg_status jg_model_to_bytes(const jg_model* model, unsigned char* out, size_t capacity, size_t* out_len);

/* Deprecated: jg_model_open(NULL, bytes, length, exec, &model); kept for existing programs.
 * Replace model's content by the model in bytes (as jg_model_load). On failure model is unchanged.
 * Ownership: bytes are not retained. Threads: modifies model. Cost: a fit. */
JG_API jg_status jg_model_from_bytes(jg_model* model, const unsigned char* bytes, size_t length,
                                     const jg_exec_options* exec);

/* The model saved in file (or, when file is NULL, in the length bytes at bytes), refitted deterministically
 * into a new handle: every result equals the saved model's bit for bit. JG_EIO, JG_EPARSE (also for a
 * counts file). exec may be NULL. Ownership: *out_model is a new handle owned by the caller (jg_model_free);
 * nothing is retained. Threads: no shared state. Cost: a fit of the saved counts. */
JG_API jg_status jg_model_open(const char* file, const unsigned char* bytes, size_t length,
                               const jg_exec_options* exec, jg_model** out_model);

/* ================================================================================================
 * Attribution: credit per touchpoint of several models (exact Markov and heuristics), in conversions
 * and in value. Models are chosen by name; jg_attribution_list_models names every model the library
 * has, so models added in later versions need no new functions.
 * ================================================================================================ */

/* Names of every attribution model this library has, in a fixed order ("markov", "first_touch",
 * "last_touch", "linear", "last_non_direct", "position_based", "j_curve", "inverse_j", "time_decay",
 * "participation", "shapley", "ordered_shapley", "fractribution", ...), into a caller buffer of string
 * pointers (see Buffers).
 * Ownership: the names are static strings; the caller owns the buffer. Threads: safe from any thread.
 * Cost: O(models). */
JG_API jg_status jg_attribution_list_models(const char** out_names, size_t capacity, size_t* out_len);

#define JG_ATTRIBUTION_OPTIONS_VERSION 2u
/* Options of jg_attribution_create. Version 1 has the fields up to markov; version 2 appends the
 * parameters of the rule-based models and of the bootstrap (a version-1 struct gets their defaults). */
typedef struct jg_attribution_options {
  unsigned version;               /* JG_ATTRIBUTION_OPTIONS_VERSION */
  const char* const* models;      /* model names (see jg_attribution_list_models); duplicates ignored */
  size_t n_models;                /* 0 = the default models: markov, first_touch, last_touch, linear */
  const jg_model_options* markov; /* chain options of the markov model; NULL = defaults (order 1) */
  /* version 2 */
  const char* const* excluded;    /* last_non_direct: touchpoints passed over (exact names). NULL with
                                     n_excluded 0 = the default, {"direct"}; non-NULL with n_excluded 0 =
                                     none. A journey of excluded touches only credits its last touch. */
  size_t n_excluded;
  double first_weight;            /* position_based: share of the first touch, in [0, 1]. Default 0.4. */
  double last_weight;             /* position_based: share of the last touch; first + last <= 1. Default 0.4.
                                     Touches between share the rest; one touch takes all; two touches split
                                     first : last (j_curve and inverse_j use 0.2/0.6 and 0.6/0.2). */
  double half_life_seconds;       /* time_decay: half-life in seconds, > 0. Default 604800 (7 days). */
  size_t max_coalition;           /* shapley, ordered_shapley: largest coalition (a longer journey keeps its
                                     most recent touchpoints); 0 = no cap. Default 0. */
  size_t bootstrap_replicates;    /* bootstrap intervals for every model: 0 = none, else >= 2. Default 0. */
  double confidence;              /* confidence level of the intervals, in (0, 1). Default 0.95. */
  uint64_t seed;                  /* seed of the bootstrap. Default 0. */
} jg_attribution_options;
#define JG_ATTRIBUTION_OPTIONS_INIT \
  { JG_ATTRIBUTION_OPTIONS_VERSION, NULL, 0, NULL, NULL, 0, 0.4, 0.4, 604800.0, 0, 0, 0.95, 0 }

/* Set *options to the defaults of the given struct version (pass JG_ATTRIBUTION_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_attribution_options_init(jg_attribution_options* options, unsigned version);

/* Run every requested model on journeys (fitting the chain if markov is requested), with bootstrap
 * intervals when options->bootstrap_replicates > 0 (see "Models beyond removal effects" below). Touchpoints
 * are sorted by name (byte order) in every result. JG_EINVAL for an unknown model name (the message lists
 * the known ones), bad chain or model options (the message names the value), or time_decay on journeys
 * without timestamps; JG_EDATA if journeys is empty or has no conversions, JG_EINTERRUPTED if cancelled.
 * options and exec may be NULL. Ownership: *out_attribution is a new handle
 * owned by the caller (jg_attribution_free); options and journeys are not retained. Threads: read-only
 * on journeys. Cost: the sum of the requested models' (heuristics O(touches); markov: fit + removal
 * effects). */
JG_API jg_status jg_attribution_create(const jg_journeys* journeys, const jg_attribution_options* options,
                                       const jg_exec_options* exec, jg_attribution** out_attribution);

/* Release an attribution. NULL is allowed and does nothing. Ownership: attribution must come from this
 * library and not be used afterwards. Threads: no other call may use it concurrently.
 * Cost: O(1) + freeing its memory. */
JG_API void jg_attribution_free(jg_attribution* attribution);

/* Markov attribution of an already fitted (e.g. loaded) model: one model, "markov", with removal
 * effects, over the model's touchpoints (sorted). JG_ESTATE if the model is unfitted, JG_EDATA if it has
 * no conversions, JG_EINTERRUPTED if cancelled. exec may be NULL. Ownership: *out_attribution is a new
 * handle owned by the caller (jg_attribution_free); model is not retained. Threads: read-only on model.
 * Cost: one chain solve per touchpoint. */
JG_API jg_status jg_attribution_create_from_model(const jg_model* model, const jg_exec_options* exec,
                                                  jg_attribution** out_attribution);

#define JG_ATTRIBUTION_INFO_VERSION 1u
/* Sizes and totals of an attribution (output of jg_attribution_get_info). */
typedef struct jg_attribution_info {
  unsigned version;         /* set by the caller: JG_ATTRIBUTION_INFO_VERSION */
  size_t n_touchpoints;     /* length of every result vector */
  size_t n_models;          /* models in the result (jg_attribution_model_name) */
  unsigned order;           /* order of the markov chain */
  int has_removal;          /* markov was requested: jg_attribution_removal gives its removal effects */
  double total_conversions; /* totals of the journeys */
  double total_nulls;
  double total_value;
} jg_attribution_info;
#define JG_ATTRIBUTION_INFO_INIT { JG_ATTRIBUTION_INFO_VERSION, 0, 0, 0u, 0, 0.0, 0.0, 0.0 }

/* Set *info to zeros with the given struct version (pass JG_ATTRIBUTION_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_attribution_info_init(jg_attribution_info* info, unsigned version);

/* Fill *out_info (whose version the caller set). Ownership: the caller owns *out_info.
 * Threads: read-only on attribution. Cost: O(1). */
JG_API jg_status jg_attribution_get_info(const jg_attribution* attribution, jg_attribution_info* out_info);

/* Name of touchpoint `index` (sorted by name; the order of every result vector). JG_EINVAL if out of
 * range. Ownership: *out_name is borrowed from attribution and valid until jg_attribution_free.
 * Threads: read-only on attribution. Cost: O(1). */
JG_API jg_status jg_attribution_touchpoint_name(const jg_attribution* attribution, size_t index,
                                                const char** out_name);

/* Name of model `index` of the result (0 <= index < n_models, in the requested order). JG_EINVAL if out
 * of range. Ownership: static string. Threads: read-only on attribution. Cost: O(1). */
JG_API jg_status jg_attribution_model_name(const jg_attribution* attribution, size_t index, const char** out_name);

/* Deprecated: read jg_attribution_table instead; kept for existing programs.
 * Conversions credited by `model` (a name in the result) to each touchpoint, into a caller buffer of
 * n_touchpoints entries. JG_EINVAL if the model was not requested or is unknown.
 * Ownership: the caller owns the buffer. Threads: read-only on attribution. Cost: O(touchpoints + models). */
JG_API jg_status jg_attribution_conversions(const jg_attribution* attribution, const char* model, double* out,
                                            size_t capacity, size_t* out_len);

/* Deprecated: read jg_attribution_table instead; kept for existing programs.
 * Conversion value credited by `model` to each touchpoint, into a caller buffer of n_touchpoints
 * entries. JG_EINVAL if the model was not requested or is unknown. Ownership: the caller owns the buffer.
 * Threads: read-only on attribution. Cost: O(touchpoints + models). */
JG_API jg_status jg_attribution_value(const jg_attribution* attribution, const char* model, double* out,
                                      size_t capacity, size_t* out_len);

/* The removal effects behind the markov model, aligned to the attribution's touchpoints (a touchpoint
 * that only zero-weight journeys use gets 0). JG_ESTATE if markov was not requested.
 * Ownership: *out_removal is a new handle (a copy) owned by the caller (jg_removal_free).
 * Threads: read-only on attribution. Cost: O(touchpoints). */
JG_API jg_status jg_attribution_removal(const jg_attribution* attribution, jg_removal** out_removal);

/* The attribution as a table "attribution": one row per touchpoint, a column per model and measure
 * (<model> for conversions, <model>_value for value), the removal effects with markov, the interval
 * columns <column>_se, _lower, _upper with a bootstrap, the ordered_shapley positions; metadata with the
 * totals, the chain's figures and the bootstrap's settings and stability scores (see docs/tables.md).
 * Ownership: *out_table is a new handle owned by the caller (jg_table_free). Threads: read-only on
 * attribution. Cost: O(touchpoints * columns). */
JG_API jg_status jg_attribution_table(const jg_attribution* attribution, jg_table** out_table);

/* ================================================================================================
 * Models beyond removal effects: rule-based models, Shapley, bootstrap intervals
 * Models are chosen by name in jg_attribution_options (see jg_attribution_list_models); their parameters
 * and the bootstrap are fields of version 2 of that struct. Method of the intervals: journey-level Poisson
 * bootstrap (a row with c conversions and n nulls draws Poisson(c) and Poisson(n), value scaled per
 * conversion), every model rerun exactly on each replicate, counter-based random streams per replicate and
 * row: identical intervals for every thread count. Interval = percentile interval of the replicates,
 * standard error = their standard deviation, estimate = the model's credit on the data.
 * ================================================================================================ */

/* Names of the models that apply to journeys: every model but time_decay when the journeys have no
 * timestamps, in the order of jg_attribution_list_models, into a caller buffer of string pointers (see
 * Buffers). Ownership: the names are static strings; the caller owns the buffer. Threads: read-only on
 * journeys. Cost: O(models). */
JG_API jg_status jg_attribution_list_models_for(const jg_journeys* journeys, const char** out_names, size_t capacity,
                                                size_t* out_len);

/* What a bootstrap interval describes. */
typedef enum jg_measure {
  JG_MEASURE_CONVERSIONS = 0,   /* a model's credit in conversions */
  JG_MEASURE_VALUE = 1,         /* a model's credit in value */
  JG_MEASURE_REMOVAL_EFFECT = 2 /* removal effects (model "markov" only) */
} jg_measure;

/* A per-touchpoint vector of bootstrap intervals. */
typedef enum jg_interval_field {
  JG_INTERVAL_STANDARD_ERROR = 0, /* standard deviation of the replicates */
  JG_INTERVAL_LOWER = 1,          /* lower end of the percentile interval */
  JG_INTERVAL_UPPER = 2           /* upper end of the percentile interval */
} jg_interval_field;

#define JG_BOOTSTRAP_INFO_VERSION 1u
/* What a bootstrap did (output of jg_attribution_bootstrap_info). */
typedef struct jg_bootstrap_info {
  unsigned version;                /* set by the caller: JG_BOOTSTRAP_INFO_VERSION */
  size_t replicates;               /* replicates drawn */
  double confidence;               /* confidence level of the intervals */
  uint64_t seed;                   /* seed of the random streams */
  size_t markov_failed_replicates; /* replicates without conversions, left out of the markov intervals */
} jg_bootstrap_info;
#define JG_BOOTSTRAP_INFO_INIT { JG_BOOTSTRAP_INFO_VERSION, 0, 0.0, 0, 0 }

/* Set *info to zeros with the given struct version (pass JG_BOOTSTRAP_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_bootstrap_info_init(jg_bootstrap_info* info, unsigned version);

/* Fill *out_info (whose version the caller set). JG_ESTATE if the attribution ran no bootstrap.
 * Ownership: the caller owns *out_info. Threads: read-only on attribution. Cost: O(1). */
JG_API jg_status jg_attribution_bootstrap_info(const jg_attribution* attribution, jg_bootstrap_info* out_info);

/* Deprecated: read jg_attribution_table (columns <column>_se, _lower, _upper)
 * instead; kept for existing programs.
 * One per-touchpoint vector of the bootstrap intervals of `model` (a name in the result) for `measure`, into
 * a caller buffer of n_touchpoints entries. JG_ESTATE if the attribution ran no bootstrap; JG_EINVAL if the
 * model was not requested, for an unknown measure or field, or JG_MEASURE_REMOVAL_EFFECT with a model other
 * than "markov". Ownership: the caller owns the buffer. Threads: read-only on attribution.
 * Cost: O(touchpoints + models). */
JG_API jg_status jg_attribution_interval(const jg_attribution* attribution, const char* model, jg_measure measure,
                                         jg_interval_field field, double* out, size_t capacity, size_t* out_len);

/* Deprecated: read jg_attribution_table (metadata <column>_stability) instead; kept for existing programs.
 * Stability score of `model` for `measure`: the mean over touchpoints with a non-zero estimate of
 * (upper - lower) / |estimate|, 0 if none (smaller is more stable). Errors as jg_attribution_interval.
 * Ownership: none. Threads: read-only on attribution. Cost: O(models). */
JG_API jg_status jg_attribution_stability(const jg_attribution* attribution, const char* model, jg_measure measure,
                                          double* out_stability);

/* Deprecated: read jg_attribution_table (columns ordered_shapley_position_<p>)
 * instead; kept for existing programs.
 * The ordered_shapley breakdown: the credit (JG_MEASURE_CONVERSIONS or JG_MEASURE_VALUE) of touchpoint t at
 * position p of first appearance (0 = first) at index t * positions + p, into a caller buffer of
 * n_touchpoints * positions entries (see Buffers); *out_positions receives positions. Row sums equal the
 * shapley credit. JG_ESTATE if ordered_shapley was not requested, JG_EINVAL for another measure.
 * Ownership: the caller owns the buffer. Threads: read-only on attribution. Cost: O(touchpoints * positions). */
JG_API jg_status jg_attribution_positions(const jg_attribution* attribution, jg_measure measure, double* out,
                                          size_t capacity, size_t* out_len, size_t* out_positions);

/* ================================================================================================
 * Chain analysis: fundamental-matrix quantities of a fitted chain, by sparse solves (no dense inverse)
 * ================================================================================================ */

typedef struct jg_analysis jg_analysis; /* fundamental-matrix quantities of a fitted model */

/* The vectors of a chain analysis (jg_analysis_get). Per-state vectors are indexed like the model's
 * transient states (0 = START; names through jg_model_state_name); the per-touchpoint one like
 * jg_model_touchpoint_name. Touches are counted as the chain sees a journey: entering a state from START
 * adds its 1..order touchpoints, every later state its last one. */
typedef enum jg_analysis_field {
  JG_ANALYSIS_CONVERSION_PROBABILITY = 0, /* per state: P(absorption in CONVERSION | in the state) */
  JG_ANALYSIS_EXPECTED_VALUE = 1,         /* per state: expected conversion value from the state */
  JG_ANALYSIS_TOUCHES_TO_GO = 2,          /* per state: expected touches still to come (START: per journey) */
  JG_ANALYSIS_EXPECTED_VISITS = 3,        /* per state: expected visits per journey (START: 1) */
  JG_ANALYSIS_TOUCHPOINT_VISITS = 4       /* per touchpoint: expected touches per journey */
} jg_analysis_field;

/* Analyse a fitted model: one forward solve and three solves of the transposed chain. JG_ESTATE if the
 * model is unfitted. exec may be NULL. Ownership: *out_analysis is a new handle owned by the caller
 * (jg_analysis_free); it does not refer to model afterwards. Threads: read-only on model.
 * Cost: four chain solves + O(states * order). */
JG_API jg_status jg_analysis_create(const jg_model* model, const jg_exec_options* exec, jg_analysis** out_analysis);

/* Release an analysis. NULL is allowed and does nothing. Ownership: analysis must come from this library
 * and not be used afterwards. Threads: no other call may use it concurrently. Cost: O(1) + freeing memory. */
JG_API void jg_analysis_free(jg_analysis* analysis);

#define JG_ANALYSIS_INFO_VERSION 1u
/* Sizes and headline numbers of an analysis (output of jg_analysis_get_info). */
typedef struct jg_analysis_info {
  unsigned version;        /* set by the caller: JG_ANALYSIS_INFO_VERSION */
  size_t n_states;         /* length of the per-state vectors (START included) */
  size_t n_touchpoints;    /* length of the per-touchpoint vector */
  double expected_touches; /* expected touches per journey before absorption */
  double max_residual;     /* largest relative residual of the solves behind the numbers */
} jg_analysis_info;
#define JG_ANALYSIS_INFO_INIT { JG_ANALYSIS_INFO_VERSION, 0, 0, 0.0, 0.0 }

/* Set *info to zeros with the given struct version (pass JG_ANALYSIS_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_analysis_info_init(jg_analysis_info* info, unsigned version);

/* Fill *out_info (whose version the caller set). Ownership: the caller owns *out_info.
 * Threads: read-only on analysis. Cost: O(1). */
JG_API jg_status jg_analysis_get_info(const jg_analysis* analysis, jg_analysis_info* out_info);

/* Deprecated: read jg_analysis_table and jg_analysis_touchpoint_table instead; kept for existing programs.
 * One vector of the analysis (see jg_analysis_field) into a caller buffer. JG_EINVAL for an unknown field.
 * Ownership: the caller owns the buffer. Threads: read-only on analysis. Cost: O(states). */
JG_API jg_status jg_analysis_get(const jg_analysis* analysis, jg_analysis_field field, double* out, size_t capacity,
                                 size_t* out_len);

/* The per-state quantities as a table "chain_analysis" (columns state, conversion_probability,
 * expected_value, touches_to_go, expected_visits; metadata expected_touches, max_residual; see
 * docs/tables.md). Ownership: *out_table is a new handle owned by the caller (jg_table_free).
 * Threads: read-only on analysis. Cost: O(states). */
JG_API jg_status jg_analysis_table(const jg_analysis* analysis, jg_table** out_table);

/* The expected touches of each touchpoint per journey as a table "touchpoint_visits" (columns touchpoint,
 * expected_visits). Ownership: *out_table is a new handle owned by the caller (jg_table_free).
 * Threads: read-only on analysis. Cost: O(touchpoints). */
JG_API jg_status jg_analysis_touchpoint_table(const jg_analysis* analysis, jg_table** out_table);

/* ================================================================================================
 * Simulation: synthetic journeys drawn from a fitted chain
 * ================================================================================================ */

#define JG_SIMULATION_OPTIONS_VERSION 1u
/* Options of jg_model_simulate. */
typedef struct jg_simulation_options {
  unsigned version;   /* JG_SIMULATION_OPTIONS_VERSION */
  size_t journeys;    /* journeys to draw. Default 10000. */
  uint64_t seed;      /* the same seed gives the same journeys, whatever the thread count. Default 0. */
  size_t max_touches; /* a journey still running after this many touches ends as a non-conversion (>= 1).
                         Default 10000. */
} jg_simulation_options;
#define JG_SIMULATION_OPTIONS_INIT { JG_SIMULATION_OPTIONS_VERSION, 10000, 0, 10000 }

/* Set *options to the defaults of the given struct version (pass JG_SIMULATION_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_simulation_options_init(jg_simulation_options* options, unsigned version);

/* Draw journeys from a fitted model of any order: each walks the chain from START by its transition
 * probabilities until CONVERSION or NULL, emitting the touches the chain sees (refitting them with the
 * model's order estimates its probabilities). One row per journey: 1 conversion with the last state's mean
 * value per conversion, or 1 null; no timestamps. JG_ESTATE if unfitted, JG_EINVAL for max_touches 0 or
 * more than 2^32 journeys (SIZE_MAX included), JG_ENOMEM when the journeys drawn do not fit in memory.
 * options and exec may be NULL. Ownership: *out_journeys is a new handle owned by the caller
 * (jg_journeys_free). Threads: read-only on model. Cost: O(touches drawn * log(row length)). */
JG_API jg_status jg_model_simulate(const jg_model* model, const jg_simulation_options* options,
                                   const jg_exec_options* exec, jg_journeys** out_journeys);

/* ================================================================================================
 * Order choice: which Markov order the journeys support
 * ================================================================================================ */

#define JG_ORDER_OPTIONS_VERSION 1u
/* Options of jg_order_choose. */
typedef struct jg_order_options {
  unsigned version;         /* JG_ORDER_OPTIONS_VERSION */
  unsigned max_order;       /* orders 1..max_order are compared (1..16). Default 4. */
  double holdout;           /* share of the journeys held out, in (0, 1). Default 0.2. */
  uint64_t seed;            /* seed of the split. Default 0. */
  double smoothing;         /* additive smoothing of every fit, >= 0. Default 0. */
  jg_self_loops self_loops; /* Default JG_SELF_LOOPS_KEEP: then chains of every order see the same touches
                               and their likelihoods compare. */
  double floor;             /* probability of a held-out transition the training chain never saw, in
                               (0, 1). Default 1e-6. */
} jg_order_options;
#define JG_ORDER_OPTIONS_INIT { JG_ORDER_OPTIONS_VERSION, 4u, 0.2, 0, 0.0, JG_SELF_LOOPS_KEEP, 1e-6 }

/* Set *options to the defaults of the given struct version (pass JG_ORDER_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_order_options_init(jg_order_options* options, unsigned version);

/* How well the chain of one order fits and predicts. Fixed layout: this struct never changes. */
typedef struct jg_order_score {
  unsigned order;
  size_t states;                 /* transient states of the chain fitted on all journeys (START included) */
  double parameters;             /* free transition probabilities */
  double observations;           /* scored events: every touch and every ending of every journey
                                    (weighted), the same for every order */
  double log_likelihood;         /* of all journeys under the chain fitted on them (natural log) */
  double aic;                    /* 2 parameters - 2 log_likelihood */
  double bic;                    /* parameters ln(observations) - 2 log_likelihood */
  double heldout_log_likelihood; /* of the held-out journeys under the chain fitted on the others */
  double heldout_journeys;       /* weight of the held-out journeys */
  double unseen;                 /* held-out events whose history training never saw, scored by backing
                                    off to the longest seen suffix */
  double auc;                    /* ROC AUC of P(conversion | path so far) on held-out journeys (NaN if
                                    they all convert or none does) */
  double log_loss;               /* mean log-loss of the same predictions */
} jg_order_score;

/* Deprecated: read jg_order_table instead; kept for existing programs.
 * Compare the chains of orders 1..max_order (see journeygraph/analysis.hpp, choose_order, for the exact
 * definitions): one score per order into a caller buffer of max_order entries (see Buffers; a size query
 * computes nothing), and the recommended order in *out_recommended: the smallest order whose held-out
 * log-likelihood is within one standard error of the best (the rule is the table's metadata "rule").
 * JG_EINVAL for options out of range, JG_EDATA if the split leaves either part empty. options and exec may
 * be NULL. Ownership: the caller owns the buffer. Threads: read-only on journeys; deterministic.
 * Cost: 2 * max_order fits and max_order absorption solves. */
JG_API jg_status jg_order_choose(const jg_journeys* journeys, const jg_order_options* options,
                                 const jg_exec_options* exec, jg_order_score* out, size_t capacity, size_t* out_len,
                                 unsigned* out_recommended);

/* Order choice as a table "order_choice": one row per order with every score of jg_order_score and the
 * ones added later (heldout_events, the scored held-out events, equal on every row; see docs/tables.md),
 * metadata recommended_order, rule (the rule behind it, one sentence: jg_table_meta_string), best_order
 * and the options. Errors as
 * jg_order_choose. options and exec may be NULL. Ownership: *out_table is a new handle owned by the
 * caller (jg_table_free). Threads: read-only on journeys; deterministic. Cost: as jg_order_choose. */
JG_API jg_status jg_order_table(const jg_journeys* journeys, const jg_order_options* options,
                                const jg_exec_options* exec, jg_table** out_table);

/* ================================================================================================
 * Journey maps: stages, the journey graph, the stage funnel, pain points, paths, Sankey flows,
 * comparison of two maps, what-if edits of the chain, exports and pictures.
 *
 * A jg_map is built once from journeys (and optionally stages): it fits the chain and computes the
 * graph, the absorption probabilities and the removal effects; the analyses then read it. Analyses
 * return tables (jg_table): named columns of numbers or of strings, all of the same length, so that
 * columns can be appended in later versions without breaking callers. Column names are listed with
 * each function; every probability is solved from the fitted chain, never simulated.
 * ================================================================================================ */

typedef struct jg_stages jg_stages; /* an ordered list of stages and the stage of each touchpoint */
typedef struct jg_map jg_map;       /* a journey map: journeys, fitted chain, graph, stages */

/* Create a stage map with n_stages stages in funnel order (names unique, non-empty, UTF-8) and no
 * touchpoints assigned yet. JG_EINVAL for n_stages == 0, a NULL or empty name, or a duplicate.
 * Ownership: *out_stages is a new handle owned by the caller (jg_stages_free); the names are copied.
 * Threads: reads only its inputs. Cost: O(stages^2). */
JG_API jg_status jg_stages_create(const char* const* order, size_t n_stages, jg_stages** out_stages);

/* Deprecated: jg_stages_create_assigned makes the assigned stage map in one call; kept for existing programs.
 * Put touchpoint in stage (one of the stages of the map). JG_EINVAL if the stage is unknown (the
 * message lists the stages), the touchpoint name is empty, or the touchpoint already has another stage;
 * assigning the same stage again is allowed. Ownership: the names are copied. Threads: modifies
 * stages: no other call may use it concurrently. Cost: O(touchpoints assigned). */
JG_API jg_status jg_stages_assign(jg_stages* stages, const char* touchpoint, const char* stage);

/* A stage map with n_stages stages in funnel order and the stage of n_assigned touchpoints
 * (touchpoints[i] in stages[i]), in one call. The lists may be NULL when their count is 0. JG_EINVAL as
 * jg_stages_create and jg_stages_assign (naming the entry). Ownership: *out_stages is a new handle owned by
 * the caller (jg_stages_free); the names are copied. Threads: reads only its inputs.
 * Cost: O(stages + assigned x touchpoints assigned). */
JG_API jg_status jg_stages_create_assigned(const char* const* order, size_t n_stages, const char* const* touchpoints,
                                          const char* const* stages, size_t n_assigned, jg_stages** out_stages);

#define JG_STAGES_CSV_OPTIONS_VERSION 1u
/* Columns and dialect of a stages CSV (a header row, then one row per touchpoint with its stage). */
typedef struct jg_stages_csv_options {
  unsigned version;              /* JG_STAGES_CSV_OPTIONS_VERSION */
  char delimiter;                /* field delimiter. Default ','. */
  const char* touchpoint_column; /* default "touchpoint"; NULL = default */
  const char* stage_column;      /* default "stage"; NULL = default */
  const char* const* order;      /* the funnel order; NULL (or n_order 0) = order of first appearance */
  size_t n_order;                /* number of names in order. Default 0. */
} jg_stages_csv_options;
#define JG_STAGES_CSV_OPTIONS_INIT { JG_STAGES_CSV_OPTIONS_VERSION, ',', "touchpoint", "stage", NULL, 0 }

/* Set *options to the defaults of the given struct version (pass JG_STAGES_CSV_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct;
 * the default names are static strings. Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_stages_csv_options_init(jg_stages_csv_options* options, unsigned version);

/* Read a stages CSV file. options may be NULL. JG_EIO if the file cannot be read; JG_EPARSE with
 * "FILE:LINE:COLUMN: field 'stage': ..." and the value for a missing column, an empty name, a stage
 * outside options->order, or a touchpoint given two stages; JG_EDATA if it has no rows.
 * Ownership: *out_stages is a new handle owned by the caller (jg_stages_free). Threads: reads only its
 * inputs. Cost: O(file size + touchpoints log touchpoints). */
JG_API jg_status jg_stages_read_csv(const char* file, const jg_stages_csv_options* options, jg_stages** out_stages);

/* As jg_stages_read_csv, from length bytes of CSV text in memory (text may be NULL only when length is
 * 0); name is used in error messages (NULL = "<memory>"). Ownership: text is not retained; *out_stages
 * is a new handle owned by the caller. Threads: reads only its inputs. Cost: O(length). */
JG_API jg_status jg_stages_parse_csv(const char* text, size_t length, const char* name,
                                     const jg_stages_csv_options* options, jg_stages** out_stages);

/* The stages of the built-in retailer sample (awareness, consideration, purchase, retention,
 * advocacy) with its 18 touchpoints, to go with jg_journeys_sample. Ownership: *out_stages is a new
 * handle owned by the caller. Threads: safe from any thread. Cost: O(1). */
JG_API jg_status jg_stages_sample(jg_stages** out_stages);

/* Release a stage map. NULL is allowed and does nothing. Ownership: stages must come from this library
 * and not be used afterwards; maps built with it stay valid. Threads: no other call may use stages
 * concurrently. Cost: O(size). */
JG_API void jg_stages_free(jg_stages* stages);

/* Number of stages. Ownership: none. Threads: read-only on stages. Cost: O(1). */
JG_API jg_status jg_stages_count(const jg_stages* stages, size_t* out_count);

/* Name of stage `index` in funnel order. JG_EINVAL if out of range. Ownership: *out_name is borrowed
 * from stages and valid until jg_stages_free(stages). Threads: read-only on stages. Cost: O(1). */
JG_API jg_status jg_stages_name(const jg_stages* stages, size_t index, const char** out_name);

/* Stage index of a touchpoint, or -1 if it has none. Ownership: none. Threads: read-only on stages.
 * Cost: O(log touchpoints). */
JG_API jg_status jg_stages_stage_of(const jg_stages* stages, const char* touchpoint, int64_t* out_index);

/* Which journeys the stage funnel counts (jg_map_funnel, jg_map_stage_flows and the funnel pictures). A
 * repeat journey began after a conversion of the same journey id (after a split at conversion). */
typedef enum jg_funnel_journeys {
  JG_FUNNEL_FIRST = 0,  /* journeys that do not follow a conversion: the first-purchase funnel (default) */
  JG_FUNNEL_REPEAT = 1, /* only repeat journeys: their own funnel */
  JG_FUNNEL_ALL = 2     /* every journey */
} jg_funnel_journeys;

#define JG_MAP_OPTIONS_VERSION 2u
/* Options of a journey map. */
typedef struct jg_map_options {
  unsigned version;               /* JG_MAP_OPTIONS_VERSION */
  const jg_model_options* model;  /* the chain fitted for probabilities, pain points and paths; NULL =
                                     defaults (order 1, no smoothing, self-loops dropped) */
  const char* other_stage;        /* stage for touchpoints the stages do not name; NULL = such a
                                     touchpoint is an error. A name outside the stages is appended after
                                     the last stage. Default NULL. */
  /* Version 2: */
  jg_funnel_journeys funnel_journeys; /* journeys the funnel counts. Default JG_FUNNEL_FIRST. */
} jg_map_options;
#define JG_MAP_OPTIONS_INIT { JG_MAP_OPTIONS_VERSION, NULL, NULL, JG_FUNNEL_FIRST }

/* Set *options to the defaults of the given struct version (pass JG_MAP_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_map_options_init(jg_map_options* options, unsigned version);

/* Build the journey map of journeys: fit the chain, build the graph, solve absorption probabilities
 * and removal effects. stages may be NULL (no funnel). JG_EINVAL for bad options or a touchpoint
 * without a stage (the message names it) unless options->other_stage is set; JG_EDATA if no journey
 * has a positive weight; JG_EINTERRUPTED if cancelled. options and exec may be NULL.
 * Ownership: *out_map is a new handle owned by the caller (jg_map_free); it keeps its own copies of
 * journeys and stages. Threads: read-only on journeys and stages; deterministic for any thread count.
 * Cost: fit + O(touches) graph + one transposed chain solve + removal effects. */
JG_API jg_status jg_map_create(const jg_journeys* journeys, const jg_stages* stages, const jg_map_options* options,
                               const jg_exec_options* exec, jg_map** out_map);

/* Release a journey map. NULL is allowed and does nothing. Ownership: map must come from this library
 * and not be used afterwards; tables made from it stay valid. Threads: no other call may use map
 * concurrently. Cost: O(1) + freeing its memory. */
JG_API void jg_map_free(jg_map* map);

#define JG_MAP_INFO_VERSION 1u
/* Sizes and headline numbers of a map (output of jg_map_get_info). */
typedef struct jg_map_info {
  unsigned version;              /* set by the caller: JG_MAP_INFO_VERSION */
  size_t n_touchpoints;          /* touchpoint nodes of the graph */
  size_t n_nodes;                /* graph nodes: START, the touchpoints, CONVERSION, NULL */
  size_t n_edges;                /* graph edges */
  size_t n_stages;               /* stages (0 without), the other stage included if it was used */
  unsigned order;                /* order of the fitted chain */
  int has_timestamps;            /* edges and stages carry timings */
  double journeys;               /* summed weight of the journeys */
  double conversions;            /* total conversions */
  double conversion_probability; /* P(conversion | START) of the fitted chain */
} jg_map_info;
#define JG_MAP_INFO_INIT { JG_MAP_INFO_VERSION, 0, 0, 0, 0, 0u, 0, 0.0, 0.0, 0.0 }

/* Set *info to zeros with the given struct version (pass JG_MAP_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_map_info_init(jg_map_info* info, unsigned version);

/* Fill *out_info (whose version the caller set). Ownership: the caller owns *out_info.
 * Threads: read-only on map. Cost: O(1). */
JG_API jg_status jg_map_get_info(const jg_map* map, jg_map_info* out_info);

/* Name of the map's stage `index` (the stage columns of the tables index these). JG_EINVAL if out of
 * range. Ownership: *out_name is borrowed from map and valid until jg_map_free(map).
 * Threads: read-only on map. Cost: O(1). */
JG_API jg_status jg_map_stage_name(const jg_map* map, size_t index, const char** out_name);

/* The graph's nodes: node, name, kind ("start", "touchpoint", "conversion", "null"), stage, visits,
 * journeys, conversions. Node 0 is START, then the touchpoints sorted by name, then CONVERSION and NULL.
 * Ownership: *out_table is a new handle owned by the caller (jg_table_free). Threads: read-only on map.
 * Cost: O(nodes). */
JG_API jg_status jg_map_nodes(const jg_map* map, jg_table** out_table);

/* The graph's edges: source, target (node names), count, probability, time_count, time_mean_s,
 * time_median_s, time_p90_s (time between the two touches; NaN without timings), sorted by source and
 * target. Ownership: *out_table is a new handle owned by the caller. Threads: read-only on map.
 * Cost: O(edges). */
JG_API jg_status jg_map_edges(const jg_map* map, jg_table** out_table);

/* The stage funnel, one row per stage: stage, journeys (reached), entered_first, advanced, converted,
 * dropped (advanced + converted + dropped = journeys), advanced_share, converted_share, dropped_share,
 * conversions, moves_forward, moves_skipping, moves_backward, skipped_over, time_in_stage_median_s,
 * time_in_stage_mean_s, time_in_stage_p90_s, time_in_stage_count and the columns docs/tables.md adds;
 * metadata journeys, counted ("first", "repeat" or "all": the map's options->funnel_journeys) and left_out
 * (the weight of the journeys that choice left out). JG_ESTATE if the map has no stages.
 * exec may be NULL. Ownership: *out_table is a new handle owned by the caller. Threads: read-only on map.
 * Cost: O(touches). */
JG_API jg_status jg_map_funnel(const jg_map* map, const jg_exec_options* exec, jg_table** out_table);

/* The stage-to-stage flow matrix in long format: from, to, flow (non-zero entries only; "(start)",
 * "(conversion)" and "(null)" name the ends; the diagonal counts moves within a stage). JG_ESTATE
 * without stages. exec may be NULL. Ownership: *out_table is a new handle owned by the caller.
 * Threads: read-only on map. Cost: O(touches). */
JG_API jg_status jg_map_stage_flows(const jg_map* map, const jg_exec_options* exec, jg_table** out_table);

/* What pain points are ranked by (largest first; conversion probability smallest first). */
typedef enum jg_pain_ranking {
  JG_PAIN_DROP_OFFS = 0,             /* expected journeys ending right after it unconverted */
  JG_PAIN_EXIT_RATE = 1,             /* unconverted_exit_share: P(NULL next | at the touchpoint); the
                                        enum keeps its former name */
  JG_PAIN_LOST_CONVERSIONS = 2,      /* conversions_at_risk (the touchpoint's Markov credit; the same order
                                        as the removal effect); the enum keeps its former name */
  JG_PAIN_CONVERSION_PROBABILITY = 3 /* P(eventual conversion | at the touchpoint), ascending */
} jg_pain_ranking;

#define JG_PAIN_OPTIONS_VERSION 1u
/* Options of jg_map_pain_points. */
typedef struct jg_pain_options {
  unsigned version;        /* JG_PAIN_OPTIONS_VERSION */
  jg_pain_ranking rank_by; /* Default JG_PAIN_DROP_OFFS. */
  double min_journeys;     /* touchpoints seen in fewer journeys are flagged and ranked last (>= 0).
                              Default 0. */
} jg_pain_options;
#define JG_PAIN_OPTIONS_INIT { JG_PAIN_OPTIONS_VERSION, JG_PAIN_DROP_OFFS, 0.0 }

/* Set *options to the defaults of the given struct version (pass JG_PAIN_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_pain_options_init(jg_pain_options* options, unsigned version);

/* Pain points, ranked: rank, touchpoint, stage, journeys (observed journeys that touched it), visits,
 * exits (observed journeys that ended right after it unconverted), unconverted_exit_share,
 * conversion_probability, drop_offs, removal_effect, conversions_at_risk, small_sample (1 if journeys <
 * min_journeys); docs/tables.md defines each column. unconverted_exit_share (formerly exit_rate) and
 * conversion_probability are solved from the fitted chain (at order k > 1 the states ending in the
 * touchpoint, weighted by their expected visits). options may be NULL. JG_EINVAL for a bad ranking or
 * min_journeys. Ownership: *out_table is a new handle owned by the caller. Threads: read-only on map.
 * Cost: O(states + touchpoints log touchpoints). */
JG_API jg_status jg_map_pain_points(const jg_map* map, const jg_pain_options* options, jg_table** out_table);

#define JG_PATH_OPTIONS_VERSION 1u
/* Options of jg_map_paths. */
typedef struct jg_path_options {
  unsigned version;     /* JG_PATH_OPTIONS_VERSION */
  size_t top;           /* path variants to list; 0 = all. Default 10. */
  size_t most_probable; /* most probable chain paths to find; 0 = none. Default 10. */
} jg_path_options;
#define JG_PATH_OPTIONS_INIT { JG_PATH_OPTIONS_VERSION, 10u, 10u }

/* Set *options to the defaults of the given struct version (pass JG_PATH_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_path_options_init(jg_path_options* options, unsigned version);

/* Path analyses; each output may be NULL when not wanted:
 *   out_variants: path, length, journeys, conversions, value, conversion_rate, share, cumulative_share
 *                 (the most common paths, most common first);
 *   out_probable: rank, path, states, length, probability (the most probable loop-free START ->
 *                 CONVERSION paths of the chain: Yen's k-shortest paths on -log p);
 *   out_lengths:  length, journeys, conversions, conversion_rate;
 *   out_time:     bin, lower_s, upper_s, conversions (time from first to last touch of converting
 *                 journeys; no rows without timestamps).
 * options and exec may be NULL. Ownership: every non-NULL output receives a new handle owned by the
 * caller (jg_table_free); on failure all are NULL. Threads: read-only on map.
 * Cost: O(touches) + most_probable x path length Dijkstra runs. */
JG_API jg_status jg_map_paths(const jg_map* map, const jg_path_options* options, const jg_exec_options* exec,
                              jg_table** out_variants, jg_table** out_probable, jg_table** out_lengths,
                              jg_table** out_time);

#define JG_SANKEY_OPTIONS_VERSION 1u
/* Options of the step flows (Sankey). */
typedef struct jg_sankey_options {
  unsigned version; /* JG_SANKEY_OPTIONS_VERSION */
  int by_stage;     /* 1: steps are stages (needs stages); 0: touchpoints; -1: stages when the map has
                       them, else touchpoints. Default -1. */
  size_t max_steps; /* steps drawn (>= 1); longer journeys go to "(continues)". Default 6. */
} jg_sankey_options;
#define JG_SANKEY_OPTIONS_INIT { JG_SANKEY_OPTIONS_VERSION, -1, 6u }

/* Set *options to the defaults of the given struct version (pass JG_SANKEY_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_sankey_options_init(jg_sankey_options* options, unsigned version);

/* Step flows for a Sankey diagram: step, source, target, value (nodes are named "STEP. KEY"; runs of the
 * same key are one step; journeys end in "(conversion)" or "(null)"). options may be NULL. JG_ESTATE for
 * by_stage = 1 without stages, JG_EINVAL for max_steps 0. Ownership: *out_table is a new handle owned
 * by the caller. Threads: read-only on map. Cost: O(touches). */
JG_API jg_status jg_map_sankey(const jg_map* map, const jg_sankey_options* options, jg_table** out_table);

/* Kind of a what-if edit. */
typedef enum jg_what_if_kind {
  JG_WHAT_IF_SET_PROBABILITY = 0,  /* P(from -> to) = probability; the row's other entries are scaled to
                                      sum to 1 (if all are 0, the rest goes to NULL); a new edge only to
                                      "(conversion)" / "(null)", or any state at order 1 */
  JG_WHAT_IF_REMOVE_EDGE = 1,      /* from -> to removed; the row's other entries scaled up (an empty row
                                      goes to NULL) */
  JG_WHAT_IF_REMOVE_TOUCHPOINT = 2 /* every state containing touchpoint `from` absorbs into NULL */
} jg_what_if_kind;

/* One edit of the chain. States are named as jg_model_state_name names them ("(start)", "a",
 * "a > b" at order 2, "(conversion)", "(null)"). Fixed layout: this struct never changes. */
typedef struct jg_what_if_edit {
  jg_what_if_kind kind;
  const char* from;   /* from-state, or the touchpoint for JG_WHAT_IF_REMOVE_TOUCHPOINT */
  const char* to;     /* to-state (unused for JG_WHAT_IF_REMOVE_TOUCHPOINT; may be NULL there) */
  double probability; /* JG_WHAT_IF_SET_PROBABILITY only, in [0, 1] */
} jg_what_if_edit;

#define JG_WHAT_IF_RESULT_VERSION 1u
/* The chain before and after a what-if, solved exactly (output of jg_map_what_if, jg_model_what_if). */
typedef struct jg_what_if_result {
  unsigned version;                   /* set by the caller: JG_WHAT_IF_RESULT_VERSION */
  double conversion_probability_before;
  double conversion_probability;      /* P(conversion | START) of the edited chain */
  double expected_conversions_before; /* journeys x P(conversion) */
  double expected_conversions;
  double expected_value_before;       /* expected conversion value per journey */
  double expected_value;
  double max_residual;                /* relative residual of the edited chain's solve */
} jg_what_if_result;
#define JG_WHAT_IF_RESULT_INIT { JG_WHAT_IF_RESULT_VERSION, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }

/* Set *result to zeros with the given struct version (pass JG_WHAT_IF_RESULT_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *result. Cost: O(1). */
JG_API jg_status jg_what_if_result_init(jg_what_if_result* result, unsigned version);

/* Deprecated: read jg_map_what_if_table instead; kept for existing programs.
 * Apply n_edits edits in order to the map's chain and solve it exactly (edits may be NULL when n_edits is
 * 0). JG_EINVAL for an unknown state or touchpoint (named in the message), a probability outside [0, 1],
 * an edit of an absorbing state or into "(start)", or a new edge the order does not allow; JG_EDATA if
 * the edited chain has states that can never be left. Ownership: the caller owns *out_result; edits are
 * not retained. Threads: read-only on map. Cost: O(transitions) + one chain solve. */
JG_API jg_status jg_map_what_if(const jg_map* map, const jg_what_if_edit* edits, size_t n_edits,
                                jg_what_if_result* out_result);

/* Deprecated: read jg_model_what_if_table instead; kept for existing programs.
 * As jg_map_what_if, on a fitted model. JG_ESTATE if unfitted. Ownership: the caller owns *out_result.
 * Threads: read-only on model. Cost: O(transitions) + one chain solve. */
JG_API jg_status jg_model_what_if(const jg_model* model, const jg_what_if_edit* edits, size_t n_edits,
                                  jg_what_if_result* out_result);

/* As jg_map_what_if, the result as a table "what_if" (columns figure, before, after, change; metadata
 * max_residual; see docs/tables.md). Ownership: *out_table is a new handle owned by the caller
 * (jg_table_free). Threads: read-only on map. Cost: O(transitions) + one chain solve. */
JG_API jg_status jg_map_what_if_table(const jg_map* map, const jg_what_if_edit* edits, size_t n_edits,
                                      jg_table** out_table);

/* As jg_model_what_if, the result as a table "what_if" (see jg_map_what_if_table). JG_ESTATE if unfitted.
 * Ownership: *out_table is a new handle owned by the caller (jg_table_free). Threads: read-only on model.
 * Cost: O(transitions) + one chain solve. */
JG_API jg_status jg_model_what_if_table(const jg_model* model, const jg_what_if_edit* edits, size_t n_edits,
                                        jg_table** out_table);

#define JG_COMPARE_OPTIONS_VERSION 1u
/* Options of jg_map_compare. */
typedef struct jg_compare_options {
  unsigned version; /* JG_COMPARE_OPTIONS_VERSION */
  double alpha;     /* family-wise error rate of the transition tests, in (0, 1). Default 0.05. */
} jg_compare_options;
#define JG_COMPARE_OPTIONS_INIT { JG_COMPARE_OPTIONS_VERSION, 0.05 }

/* Set *options to the defaults of the given struct version (pass JG_COMPARE_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_compare_options_init(jg_compare_options* options, unsigned version);

#define JG_COMPARE_INFO_VERSION 1u
/* Headline numbers of a comparison (output of jg_map_compare). */
typedef struct jg_compare_info {
  unsigned version;                /* set by the caller: JG_COMPARE_INFO_VERSION */
  size_t n_transitions;            /* rows of the transitions table */
  size_t significant;              /* transitions flagged significant */
  double conversion_probability_a; /* P(conversion) of each fit */
  double conversion_probability_b;
} jg_compare_info;
#define JG_COMPARE_INFO_INIT { JG_COMPARE_INFO_VERSION, 0, 0, 0.0, 0.0 }

/* Set *info to zeros with the given struct version (pass JG_COMPARE_INFO_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *info. Cost: O(1). */
JG_API jg_status jg_compare_info_init(jg_compare_info* info, unsigned version);

/* Compare the fitted chains of two maps (e.g. two segments from jg_journeys_segment_subset, or two
 * periods from jg_journeys_time_window), matched by state and touchpoint name:
 *   out_transitions: from, to, count_a, total_a, p_a, count_b, total_b, p_b, difference (p_b - p_a),
 *     z, p_value (two-proportion z-test, pooled), p_adjusted (Holm), significant (0/1); a row whose
 *     from-state is unseen in one fit cannot be tested: its p of that side, difference, z, p_value and
 *     p_adjusted are NaN and significant is 0; ordered by p_adjusted (untestable rows last), then
 *     |difference|;
 *   out_attribution: touchpoint, conversions_a, conversions_b, share_a, share_b, difference (Markov
 *     credit as a share of conversions).
 * options, out_attribution and out_info may be NULL. JG_EINVAL if the chains' orders or self-loop
 * settings differ or alpha is outside (0, 1). Ownership: the tables are new handles owned by the caller;
 * the caller owns *out_info. Threads: read-only on a and b. Cost: O(transitions log transitions). */
JG_API jg_status jg_map_compare(const jg_map* a, const jg_map* b, const jg_compare_options* options,
                                jg_table** out_transitions, jg_table** out_attribution, jg_compare_info* out_info);

/* The journeys whose first touch lies in [from, to) (timestamps in the set's time unit), for comparing
 * periods. JG_ESTATE if journeys has no timestamps, JG_EINVAL if from > to. Ownership: *out_journeys is
 * a new handle owned by the caller. Threads: read-only on journeys. Cost: O(journeys + touches copied). */
JG_API jg_status jg_journeys_time_window(const jg_journeys* journeys, int64_t from, int64_t to,
                                         jg_journeys** out_journeys);

/* Exports and pictures of a map. */
typedef enum jg_map_format {
  JG_MAP_DOT = 0,         /* Graphviz DOT, a cluster per stage */
  JG_MAP_GRAPHML = 1,     /* GraphML with node and edge data */
  JG_MAP_JSON = 2,        /* {"nodes": [...], "links": [...]} */
  JG_MAP_SANKEY_JSON = 3, /* step flows {"nodes": [{name, key, step}], "links": [{source, target, value}]} */
  JG_MAP_SVG_GRAPH = 4,   /* the journey graph laid out by stage, self-contained SVG */
  JG_MAP_SVG_FUNNEL = 5,  /* the stage funnel, self-contained SVG (needs stages) */
  JG_MAP_SVG_SANKEY = 6,  /* the step flows, self-contained SVG */
  JG_MAP_HTML_REPORT = 7  /* one self-contained HTML page with all of the above and the tables */
} jg_map_format;

#define JG_EXPORT_OPTIONS_VERSION 2u
/* Options of jg_map_export and jg_map_write.
 * Versions: version 1 ends after pain_points. Version 2 appends the report's sections and menus
 * (JG_MAP_HTML_REPORT only; the other formats ignore them), each read into the same C++ options the CLI and
 * Python fill (ReportSections and ReportOptions of render.hpp): a NULL pointer or 0 leaves it out, which is
 * also what a version-1 struct gets. The structs they point to are borrowed for the call; a stages pointer
 * left NULL in them means the map's stages. */
typedef struct jg_export_options {
  unsigned version;                /* JG_EXPORT_OPTIONS_VERSION */
  const char* title;               /* SVG title (none by default) or report title ("Journey map");
                                      NULL = default */
  size_t max_edges;                /* touchpoint edges drawn in the graph SVG. Default 40. */
  const jg_sankey_options* sankey; /* step flows of JG_MAP_SANKEY_JSON, JG_MAP_SVG_SANKEY and the
                                      report; NULL = defaults */
  size_t top_paths;                /* rows of the report's path tables. Default 10. */
  size_t pain_points;              /* rows of the report's pain-point table. Default 12. */
  /* version 2: the report's sections and menus */
  const struct jg_funnel_options* event_funnel;         /* "Event funnel" of these steps; NULL = none */
  const struct jg_path_explorer_options* path_explorer; /* "Path explorer"; NULL = none */
  const struct jg_driver_options* drivers;              /* "Conversion drivers"; NULL = none */
  size_t drivers_shown;            /* drivers in the chart and the table (>= 1). Default 20. */
  const jg_attribution_options* model_comparison;       /* "Model comparison" of these models (the first
                                      is the baseline; bootstrap intervals as error bars when it asks for a
                                      bootstrap); NULL = none */
  const char* spend_file;          /* with model_comparison: "Money", spend read from this CSV (columns
                                      touchpoint,spend[,period]); NULL = none. Without model_comparison
                                      JG_EINVAL. */
  const char* spend_period;        /* only the spend rows of this period; NULL = every row */
  int segment_switch;              /* nonzero: a segment menu (with segments), each view made in advance */
  const char* period_switch;       /* a period menu: "month", "week" (ISO), "quarter" (UTC) or instants
                                      separated by commas, read like jg_parse_instant; NULL = none.
                                      JG_ESTATE without timestamps, JG_EINVAL for bad text. */
  const char* time_format;         /* pattern of the period_switch instants (as jg_parse_instant's);
                                      NULL = ISO-8601 or epoch numbers */
} jg_export_options;
#define JG_EXPORT_OPTIONS_INIT                                                                       \
  { JG_EXPORT_OPTIONS_VERSION, NULL, 40u, NULL, 10u, 12u, NULL, NULL, NULL, 20u, NULL, NULL, NULL, 0, \
    NULL, NULL }

/* Set *options to the defaults of the given struct version (pass JG_EXPORT_OPTIONS_VERSION; version 1
 * writes only the fields of version 1).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_export_options_init(jg_export_options* options, unsigned version);

/* The map in `format` as UTF-8 text into a caller byte buffer (see Buffers: *out_len counts the NUL).
 * Every call renders the text anew, so a size query followed by the real call renders it twice; use
 * jg_map_write for large reports. options may be NULL. JG_EINVAL for an unknown format, JG_ESTATE for
 * JG_MAP_SVG_FUNNEL (or a Sankey by stage) without stages. Ownership: the caller owns the buffer.
 * Threads: read-only on map. Cost: O(nodes + edges) for the graph formats, O(touches) for the Sankey
 * and the funnel, the analyses it shows for the report. */
JG_API jg_status jg_map_export(const jg_map* map, jg_map_format format, const jg_export_options* options, char* out,
                               size_t capacity, size_t* out_len);

/* The map in `format` written to file. options may be NULL. JG_EIO if the file cannot be written;
 * otherwise as jg_map_export. Ownership: none retained. Threads: read-only on map. Cost: as
 * jg_map_export plus the write. */
JG_API jg_status jg_map_write(const jg_map* map, jg_map_format format, const jg_export_options* options,
                              const char* file);

/* ================================================================================================
 * Funnels, paths and drivers: event funnels, funnel trends, the path explorer, conversion drivers and
 * cleaning rules over journeys. Steps, anchors, exclusions and features are given in the text forms of
 * the C++ headers funnel.hpp, paths.hpp and drivers.hpp (the forms every face reads), e.g. the steps
 * "display_ad|social_ad", "website@2d", "newsletter?", "stage:purchase", "(conversion)". Each result is one
 * jg_table (column names in docs/tables.md); NULL options mean the defaults.
 * ================================================================================================ */

#define JG_FUNNEL_OPTIONS_VERSION 1u
/* The definition of an event funnel (jg_event_funnel, jg_funnel_trends, jg_explore_paths). */
typedef struct jg_funnel_options {
  unsigned version;                /* JG_FUNNEL_OPTIONS_VERSION */
  const char* const* steps;        /* n_steps step texts (at least one). Default none. */
  size_t n_steps;
  const char* order;               /* "ordered", "strict" or "unordered"; NULL = "ordered". */
  double window_seconds;           /* conversion window from the step-1 touch; 0 = none (the default). */
  const char* const* exclusions;   /* n_exclusions exclusion texts "A|B[:FROM-TO]". Default none. */
  size_t n_exclusions;
  const jg_stages* stages;         /* for "stage:NAME" steps (borrowed for the call); NULL = none. */
  int by_segment;                  /* nonzero: rows per segment with Holm-adjusted tests. Default 0. */
  double level;                    /* level of the Wilson intervals. Default 0.95. */
  double alpha;                    /* significance level of the segment tests. Default 0.05. */
} jg_funnel_options;
#define JG_FUNNEL_OPTIONS_INIT { JG_FUNNEL_OPTIONS_VERSION, NULL, 0, NULL, 0.0, NULL, 0, NULL, 0, 0.95, 0.05 }

/* Set *options to the defaults of the given struct version (pass JG_FUNNEL_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_funnel_options_init(jg_funnel_options* options, unsigned version);

/* The event funnel of journeys: the table "event_funnel" (segment, step, label, optional, reached, base,
 * step rate and overall rate with Wilson intervals, dropped, times from the previous step and from entry,
 * segment tests). options is required (it holds the steps). JG_EINVAL for no step, a step or exclusion
 * that cannot be read or matches no touchpoint, windows without timestamps, and what the C++
 * event_funnel() refuses; JG_ESTATE for by_segment without segments. exec may be NULL.
 * Ownership: *out_table is a new handle owned by the caller. Threads: read-only on journeys.
 * Cost: O(touches + sum over journeys of steps x matching touches). */
JG_API jg_status jg_event_funnel(const jg_journeys* journeys, const jg_funnel_options* options,
                                 const jg_exec_options* exec, jg_table** out_table);

#define JG_TREND_OPTIONS_VERSION 1u
/* Options of jg_funnel_trends. */
typedef struct jg_trend_options {
  unsigned version;         /* JG_TREND_OPTIONS_VERSION */
  const char* period;       /* "day", "week" or "month" (UTC, weeks from Monday); NULL = "week". */
  double horizon_seconds;   /* time since entry at which conversion is read; 0 = the funnel's window. */
  int has_data_end;         /* nonzero: data_end is the end of observation; 0 = the last timestamp. */
  int64_t data_end;         /* ticks of the journeys' time unit */
} jg_trend_options;
#define JG_TREND_OPTIONS_INIT { JG_TREND_OPTIONS_VERSION, NULL, 0.0, 0, 0 }

/* Set *options to the defaults of the given struct version (pass JG_TREND_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_trend_options_init(jg_trend_options* options, unsigned version);

/* Funnel trends by entry period with open journeys censored: the tables "funnel_trends" (per period:
 * entered, converted, open, complete, naive_rate, the Kaplan-Meier conversion with its Greenwood interval,
 * the change from the previous period with a Holm-adjusted test) and "conversion_curve" (Kaplan-Meier by
 * time since entry). The funnel's level and alpha apply. trends may be NULL; out_curve may be NULL when
 * not wanted. JG_ESTATE without timestamps; JG_EINVAL as jg_event_funnel, and for no horizon and no window
 * or a data_end before the last timestamp. Ownership: the tables are new handles owned by the caller.
 * Threads: read-only on journeys. Cost: that of jg_event_funnel plus O(e log e) for the e entries. */
JG_API jg_status jg_funnel_trends(const jg_journeys* journeys, const jg_funnel_options* funnel,
                                  const jg_trend_options* trends, const jg_exec_options* exec,
                                  jg_table** out_trends, jg_table** out_curve);

#define JG_PATH_EXPLORER_OPTIONS_VERSION 1u
/* Options of jg_explore_paths. */
typedef struct jg_path_explorer_options {
  unsigned version;                  /* JG_PATH_EXPLORER_OPTIONS_VERSION */
  const char* start;                 /* anchor step text; NULL = the journey's first touch */
  const char* end;                   /* anchor step text, "(conversion)" or "(drop-off)"; NULL = its end */
  const jg_funnel_options* funnel;   /* paths between funnel steps (start and end NULL); NULL = none */
  size_t from_step;                  /* funnel: 1-based step the paths start at. Default 1. */
  size_t to_step;                    /* funnel: step they end at; 0 = the next required step (default) */
  int drop_off;                      /* funnel: journeys that reached from_step and not the next step */
  size_t max_steps;                  /* touches per path before it is cut (>= 1). Default 5. */
  size_t top;                        /* touchpoints kept per step, the rest "(other)" (>= 1). Default 5. */
  size_t variants;                   /* most common whole paths listed; 0 = all. Default 20. */
  const jg_stages* stages;           /* for "stage:NAME" anchors (borrowed for the call); NULL = none */
} jg_path_explorer_options;
#define JG_PATH_EXPLORER_OPTIONS_INIT { JG_PATH_EXPLORER_OPTIONS_VERSION, NULL, NULL, NULL, 1u, 0u, 0, 5u, 5u, 20u, NULL }

/* Set *options to the defaults of the given struct version (pass JG_PATH_EXPLORER_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_path_explorer_options_init(jg_path_explorer_options* options, unsigned version);

/* The path explorer: the tables "path_steps" (per step the top touchpoints, "(other)", terminals and
 * "(none)", whose shares sum to 1) and "path_variants" (the most common whole paths). options may be NULL
 * (every journey from its first touch); either output may be NULL when not wanted. JG_EINVAL for
 * max_steps or top of 0, an anchor that matches no touchpoint, start or end with a funnel, funnel steps
 * out of range; JG_EDATA if no journey is selected. exec may be NULL. Ownership: the tables are new
 * handles owned by the caller. Threads: read-only on journeys. Cost: O(touches) (plus the funnel's
 * matching) + O(n log n) for the n distinct nodes and paths. */
JG_API jg_status jg_explore_paths(const jg_journeys* journeys, const jg_path_explorer_options* options,
                                  const jg_exec_options* exec, jg_table** out_steps, jg_table** out_variants);

#define JG_DRIVER_OPTIONS_VERSION 1u
/* Options of jg_conversion_drivers. */
typedef struct jg_driver_options {
  unsigned version;              /* JG_DRIVER_OPTIONS_VERSION */
  int touchpoints;               /* test single touchpoints. Default 1. */
  int kgram2, kgram3;            /* test k-grams "a > b" and "a > b > c". Default 1, 1. */
  int before;                    /* test "a >> b" (a somewhere before b). Default 1. */
  size_t at_least_max;           /* test "a{n}" (at least n touches of a) for n = 2..this; < 2 = none. Default 3. */
  const char* const* features;   /* n_features explicit feature texts tested instead of discovered ones */
  size_t n_features;
  double min_support;            /* minimum weight of journeys with a feature to test it. Default 30. */
  const char* target;            /* "conversion" or "drop_off"; NULL = "conversion" */
  const char* after;             /* drop_off: the step reached (step text); NULL = none */
  size_t length_strata;          /* Mantel-Haenszel strata: lengths 1..this, longer pooled. Default 20. */
  double level;                  /* level of the odds-ratio intervals. Default 0.95. */
  double alpha;                  /* false discovery rate of "significant". Default 0.05. */
  const jg_stages* stages;       /* for a "stage:NAME" after (borrowed for the call); NULL = none */
} jg_driver_options;
#define JG_DRIVER_OPTIONS_INIT { JG_DRIVER_OPTIONS_VERSION, 1, 1, 1, 1, 3u, NULL, 0, 30.0, NULL, NULL, 20u, 0.95, 0.05, NULL }

/* Set *options to the defaults of the given struct version (pass JG_DRIVER_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_driver_options_init(jg_driver_options* options, unsigned version);

/* Conversion drivers: the table "drivers" (per tested feature its 2x2 counts, rates, odds ratio with its
 * Wald interval, Fisher or Wald p-value, Benjamini-Hochberg q-value, the Mantel-Haenszel odds ratio
 * stratified by journey length with its test, significant, mh_significant, confounded), strongest first.
 * options may be NULL. JG_EINVAL for bad options or an unknown feature touchpoint; JG_EDATA when no
 * journey is analysed or the outcome does not vary. exec may be NULL. Ownership: *out_table is a new
 * handle owned by the caller. Threads: read-only on journeys. Cost: two passes over the analysed touches,
 * O(d^2) per journey of d distinct touchpoints with "before" features, plus O(features x strata). */
JG_API jg_status jg_conversion_drivers(const jg_journeys* journeys, const jg_driver_options* options,
                                       const jg_exec_options* exec, jg_table** out_table);

/* The journeys with the cleaning rules of a CSV file applied (columns action = alias, group or drop,
 * pattern, replacement; see cleaning.hpp), runs of one cleaned touchpoint merged when collapse_repeats is
 * nonzero, and the table "cleaning" of what was done per touchpoint (its metadata counts the dropped
 * touches and emptied journeys). rules_file may be NULL with collapse_repeats nonzero. JG_EIO if the file
 * cannot be read, JG_EPARSE for a bad rule (file, line, column, value). Ownership: *out_journeys and
 * *out_table are new handles owned by the caller; out_table may be NULL. Threads: read-only on journeys.
 * Cost: O(distinct touchpoints x rules + touches). */
JG_API jg_status jg_clean_journeys(const jg_journeys* journeys, const char* rules_file, int collapse_repeats,
                                   jg_journeys** out_journeys, jg_table** out_table);

/* ================================================================================================
 * Open-journey scoring: P(conversion | the touches so far), the expected value and the expected touches
 * still to come of journeys that have not ended, from a fitted model of any order (scoring.hpp states how
 * a history maps to the chain's state and how an unseen one backs off to its longest seen suffix). A
 * jg_scorer holds the tables computed once per model, so that scoring a history costs O(order) hash
 * probes and no allocation.
 * ================================================================================================ */

typedef struct jg_scorer jg_scorer; /* the scoring tables of one fitted model (immutable) */

/* Precompute the scoring tables of a fitted model (one analysis of the chain: four solves). JG_ESTATE if
 * the model is unfitted. exec may be NULL. Ownership: *out_scorer is a new handle owned by the caller
 * (jg_scorer_free); it does not borrow model. Threads: read-only on model. Cost: four chain solves +
 * O(states x order). */
JG_API jg_status jg_scorer_create(const jg_model* model, const jg_exec_options* exec, jg_scorer** out_scorer);

/* Free a scorer; NULL is accepted. Ownership: the handle is gone afterwards. Threads: no other call may use
 * the scorer at the same time. Cost: O(states x order). */
JG_API void jg_scorer_free(jg_scorer* scorer);

/* Score n_histories histories given like a journey set's columns: history j is the touchpoint ids
 * touches[offsets[j] .. offsets[j+1]) (indices into jg_model_touchpoint_name of the model, oldest first),
 * so offsets has n_histories + 1 entries. Element j of every non-NULL output is written: out_probability
 * P(conversion | history), out_value the expected conversion value, out_touches_to_go the expected touches
 * before the journey ends, out_matched the touches of the history the scored state matches, out_backed_off
 * 1 if the history's own state was unseen and a suffix was used (else 0). JG_EINVAL (naming the first bad
 * item, nothing written) for offsets that decrease or pass n_touches, or an id >= the model's touchpoints;
 * offsets may be NULL only with n_histories 0, touches only with n_touches 0. Ownership: none retained.
 * Threads: read-only on scorer (any number of threads may score with one scorer). Cost: O(n_touches) to
 * check the ids + O(n_histories x order) expected; no allocation. */
JG_API jg_status jg_scorer_score_batch(const jg_scorer* scorer, const uint64_t* offsets, size_t n_histories,
                                       const uint32_t* touches, size_t n_touches, double* out_probability,
                                       double* out_value, double* out_touches_to_go, uint32_t* out_matched,
                                       uint8_t* out_backed_off);

/* "Next best touch": for every touchpoint t of the model, P(conversion | history + t) - P(conversion |
 * history), into a caller buffer of one double per touchpoint (see Buffers). JG_EINVAL for an id >= the
 * model's touchpoints. Ownership: the caller owns the buffer. Threads: read-only on scorer.
 * Cost: O(touchpoints x order). */
JG_API jg_status jg_scorer_next_touch_lift(const jg_scorer* scorer, const uint32_t* history, size_t length,
                                           double* out, size_t capacity, size_t* out_len);

/* Every journey of `histories` scored as an open history (outcomes ignored; touchpoints matched to the
 * model's by name, unknown ones counted and backed off): the table "scores" (docs/tables.md). exec may be
 * NULL. JG_ESTATE if the model is unfitted. Ownership: *out_table is a new handle owned by the caller.
 * Threads: read-only on model and histories. Cost: four chain solves + O(journeys x touchpoints x order). */
JG_API jg_status jg_score_histories(const jg_model* model, const jg_journeys* histories,
                                    const jg_exec_options* exec, jg_table** out_table);

/* The open journeys of an event log's journeys scored: those without a conversion whose last touch is later
 * than the latest timestamp of the set minus window_seconds (> 0; use at most the inactivity gap the
 * journeys were split with). The table "scores" with the metadata window, data_end, journeys and open.
 * JG_ESTATE if the model is unfitted or the journeys have no timestamps; JG_EINVAL for a window that is not
 * finite and > 0. exec may be NULL. Ownership: *out_table is a new handle owned by the caller. Threads:
 * read-only on model and journeys. Cost: as jg_score_histories over the open journeys + O(touches). */
JG_API jg_status jg_score_open_journeys(const jg_model* model, const jg_journeys* journeys, double window_seconds,
                                        const jg_exec_options* exec, jg_table** out_table);

/* The table "money" of an attribution (docs/tables.md): per model and touchpoint the spend read from spend_file
 * (CSV with columns touchpoint,spend[,period]; period NULL = every row summed per touchpoint), cost per
 * conversion, ROAS and conversions per cost, with percentile intervals over the bootstrap replicates when the
 * attribution ran a bootstrap (spend held fixed). JG_EIO if the file cannot be read; JG_EPARSE for a bad row
 * (file, line, column, value); JG_EINVAL for a period without a period column; JG_EDATA for no spend row.
 * Ownership: *out_table is a new handle owned by the caller. Threads: read-only on attribution.
 * Cost: O(file + models x touchpoints x replicates log replicates). */
JG_API jg_status jg_attribution_money_table(const jg_attribution* attribution, const char* spend_file,
                                            const char* period, jg_table** out_table);

/* The baseline of a model comparison when none is named, the one rule of every face (the command line, the
 * HTML report, Python, R, jg_attribution_comparison_table): "last_touch" when it is among models, else
 * models[0]. models holds n_models model names (see jg_attribution_list_models). JG_EINVAL for NULL
 * arguments, n_models 0, or a name that is not a model (the message lists the models).
 * Ownership: *out_name is a static string. Threads: safe from any thread. Cost: O(n_models). */
JG_API jg_status jg_attribution_default_baseline(const char* const* models, size_t n_models, const char** out_name);

/* The table "model_comparison" of an attribution: each model's credit against the model named baseline (NULL
 * = jg_attribution_default_baseline of the attribution's models), in percent. JG_EINVAL for an unknown model name or one
 * the attribution did not compute. Ownership: *out_table is a new handle owned by the caller. Threads:
 * read-only on attribution. Cost: O(models x touchpoints). */
JG_API jg_status jg_attribution_comparison_table(const jg_attribution* attribution, const char* baseline,
                                                 jg_table** out_table);

/* ================================================================================================
 * Every journey's credit, calibration to incrementality, sequence removal effects (credit.hpp)
 * ================================================================================================ */

#define JG_CREDIT_OPTIONS_VERSION 1u
/* Options of the per-journey credit. Fields are only ever appended. */
typedef struct jg_credit_options {
  unsigned version;                            /* JG_CREDIT_OPTIONS_VERSION */
  size_t max_iterations;                       /* most proportional-fitting passes, >= 1. Default 1000. */
  double tolerance;                            /* stop when every touchpoint total is within tolerance *
                                                  max(1, total) of its target, in (0, 1e-6]. Default 1e-14. */
  const char* calibration_model;               /* NULL: no calibration. Else the model whose credit is also
                                                  calibrated (rows of model "calibrated"). Default NULL. */
  const char* const* calibration_touchpoints;  /* n_calibration touchpoint names. Default NULL. */
  const double* calibration_conversions;       /* their external incremental conversions (>= 0). Default NULL. */
  size_t n_calibration;                        /* Default 0. */
} jg_credit_options;
#define JG_CREDIT_OPTIONS_INIT { JG_CREDIT_OPTIONS_VERSION, 1000, 1e-14, NULL, NULL, NULL, 0 }

/* Set *options to the defaults of the given struct version (pass JG_CREDIT_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_credit_options_init(jg_credit_options* options, unsigned version);

/* Every journey's credit as a table "journey_credit": one row per converting journey, model (those of
 * attribution->models, NULL = the default models) and touchpoint with credit. Columns journey (the events'
 * journey id: integer, or string when the ids are not all integers; the paths file's data row, 0-based),
 * part (1, 2, ... for the journeys one id was split into), model, touchpoint, conversions, value (see
 * docs/tables.md). Each journey's rows sum to its conversions and value, each touchpoint's rows to the
 * model's attribution; markov's totals are allocated by proportional fitting (credit.hpp says when that
 * cannot hold: JG_EDATA naming the touchpoint). JG_EINVAL for bad options (the message names the value),
 * JG_EDATA for journeys without conversions, JG_EINTERRUPTED if cancelled. attribution, options and exec
 * may be NULL (bootstrap settings are ignored). Ownership: *out_table is a new handle owned by the caller
 * (jg_table_free). Threads: read-only on journeys; deterministic. Cost: the models' attribution plus
 * O(passes * touches) for markov and a calibration, plus O(rows). */
JG_API jg_status jg_journeys_credit(const jg_journeys* journeys, const jg_attribution_options* attribution,
                                    const jg_credit_options* options, const jg_exec_options* exec,
                                    jg_table** out_table);

/* The same rows as CSV written to file ("-" = standard output) journey by journey, in memory
 * O(touchpoints + one journey's rows); the file is replaced only once complete. JG_EIO naming the file on a
 * failed write, otherwise errors as jg_journeys_credit. Ownership: nothing is retained; the caller owns
 * file. Threads: read-only on journeys. Cost: as jg_journeys_credit. */
JG_API jg_status jg_journeys_credit_write_csv(const jg_journeys* journeys, const jg_attribution_options* attribution,
                                              const jg_credit_options* options, const jg_exec_options* exec,
                                              const char* file);

/* How far options->calibration_model's touchpoint totals are from the external figures, as a table
 * "calibration": touchpoint, model_conversions, external_conversions, difference, ratio. JG_EINVAL when
 * options has no calibration or names an unknown touchpoint. Ownership: *out_table is a new handle owned
 * by the caller (jg_table_free). Threads: read-only on journeys. Cost: the model's attribution. */
JG_API jg_status jg_journeys_calibration(const jg_journeys* journeys, const jg_attribution_options* attribution,
                                         const jg_credit_options* options, const jg_exec_options* exec,
                                         jg_table** out_table);

#define JG_SEQUENCE_OPTIONS_VERSION 1u
/* Options of the sequence removal effects. Fields are only ever appended. */
typedef struct jg_sequence_options {
  unsigned version;       /* JG_SEQUENCE_OPTIONS_VERSION */
  const char* sequences;  /* "a>b,c>d" (touchpoints separated by '>', sequences by ','), or NULL. */
  size_t top_n;           /* also the top_n most frequent observed sequences. Default 0. */
  size_t top_length;      /* their length, >= 1. Default 2. */
} jg_sequence_options;
#define JG_SEQUENCE_OPTIONS_INIT { JG_SEQUENCE_OPTIONS_VERSION, NULL, 0, 2 }

/* Set *options to the defaults of the given struct version (pass JG_SEQUENCE_OPTIONS_VERSION).
 * Returns JG_EINVAL for a NULL pointer or an unknown version. Ownership: the caller owns the struct.
 * Threads: touches only *options. Cost: O(1). */
JG_API jg_status jg_sequence_options_init(jg_sequence_options* options, unsigned version);

/* Exact removal effects of touchpoint sequences as a table "sequence_removal_effects" (sequence, length,
 * occurrences, removal_effect, removal_effect_value, conversion_probability_without): every transition
 * that completes a sequence is sent to NULL and the chain (fitted with model) is solved again. JG_EINVAL
 * for an unknown touchpoint, an empty name or a sequence longer than the order + 1, JG_EDATA without
 * conversions. model and exec may be NULL. Ownership: *out_table is a new handle owned by the caller
 * (jg_table_free). Threads: read-only on journeys. Cost: one fit plus one chain solve per sequence. */
JG_API jg_status jg_journeys_sequence_removal(const jg_journeys* journeys, const jg_model_options* model,
                                             const jg_sequence_options* options, const jg_exec_options* exec,
                                             jg_table** out_table);

/* ================================================================================================
 * Names of enumerations: the spelling every face of journeygraph uses (the command line, C++, Python, R)
 * ================================================================================================ */

/* Each jg_X_parse reads a name into a value of the enumeration jg_X, each jg_X_name names a value, both with the
 * core's names: jg_X_name(v) parses back to v. A parse fails with JG_EINVAL for NULL arguments or an unknown
 * name, the message naming the text and listing the accepted names (*out is then untouched); a name fails with
 * JG_EINVAL for NULL out_name or a value outside the enumeration (*out_name is then NULL). */

/* Read the time_unit named name ("s", "ms", "us", "ns"; JG_TIME_DEFAULT has no name) into *out.
 * Ownership: the caller owns *out. Threads: safe from any thread. Cost: O(length of name). */
JG_API jg_status jg_time_unit_parse(const char* name, jg_time_unit* out);
/* The name of a jg_time_unit value, as jg_time_unit_parse reads it.
 * Ownership: *out_name is a static string. Threads: safe from any thread. Cost: O(1). */
JG_API jg_status jg_time_unit_name(jg_time_unit value, const char** out_name);
/* Read the self_loops named name ("drop", "keep") into *out.
 * Ownership: the caller owns *out. Threads: safe from any thread. Cost: O(length of name). */
JG_API jg_status jg_self_loops_parse(const char* name, jg_self_loops* out);
/* The name of a jg_self_loops value, as jg_self_loops_parse reads it.
 * Ownership: *out_name is a static string. Threads: safe from any thread. Cost: O(1). */
JG_API jg_status jg_self_loops_name(jg_self_loops value, const char** out_name);
/* Read the funnel_journeys named name ("first", "repeat", "all") into *out.
 * Ownership: the caller owns *out. Threads: safe from any thread. Cost: O(length of name). */
JG_API jg_status jg_funnel_journeys_parse(const char* name, jg_funnel_journeys* out);
/* The name of a jg_funnel_journeys value, as jg_funnel_journeys_parse reads it.
 * Ownership: *out_name is a static string. Threads: safe from any thread. Cost: O(1). */
JG_API jg_status jg_funnel_journeys_name(jg_funnel_journeys value, const char** out_name);
/* Read the pain_ranking named name ("drop_offs", "unconverted_exit_share" (JG_PAIN_EXIT_RATE), "conversions_at_risk"
 * (JG_PAIN_LOST_CONVERSIONS), "conversion_probability"; the former names "exit_rate" and "lost_conversions"
 * parse too) into *out.
 * Ownership: the caller owns *out. Threads: safe from any thread. Cost: O(length of name). */
JG_API jg_status jg_pain_ranking_parse(const char* name, jg_pain_ranking* out);
/* The name of a jg_pain_ranking value, as jg_pain_ranking_parse reads it.
 * Ownership: *out_name is a static string. Threads: safe from any thread. Cost: O(1). */
JG_API jg_status jg_pain_ranking_name(jg_pain_ranking value, const char** out_name);
/* Read the map_format named name ("dot", "graphml", "json", "sankey_json", "svg" (JG_MAP_SVG_GRAPH), "funnel_svg"
 * (JG_MAP_SVG_FUNNEL), "sankey_svg" (JG_MAP_SVG_SANKEY), "html" (JG_MAP_HTML_REPORT); "svg_graph", "svg_funnel"
 * and "svg_sankey" parse too) into *out.
 * Ownership: the caller owns *out. Threads: safe from any thread. Cost: O(length of name). */
JG_API jg_status jg_map_format_parse(const char* name, jg_map_format* out);
/* The name of a jg_map_format value, as jg_map_format_parse reads it.
 * Ownership: *out_name is a static string. Threads: safe from any thread. Cost: O(1). */
JG_API jg_status jg_map_format_name(jg_map_format value, const char** out_name);

#ifdef __cplusplus
}
#endif

#endif /* JOURNEYGRAPH_H */
