/* The .Call glue between R and journeygraph's C ABI. It only translates: R values into the ABI's option
 * structs and arrays, handles into external pointers, jg_table results into data.frames (one converter),
 * and failures into R conditions carrying the library's message. Defaults, parsing, column names and
 * every formula stay in the library: an option that R leaves NULL keeps the value of the struct's _init(). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>

#include "journeygraph/journeygraph.h"

/* ------------------------------------------------------------------------------------------ errors */

/* Signals the library's last error as an R condition (class journeygraph_error) through the package's
 * R helper, so that R code can catch it by class and read the status. Every handle the failing call
 * owned must already be released or owned by an external pointer: this does not return. */
static void jgr_fail(jg_status status) {
  SEXP msg = PROTECT(Rf_mkCharCE(jg_last_error_message(), CE_UTF8));
  SEXP msg_str = PROTECT(Rf_ScalarString(msg));
  SEXP status_str = PROTECT(Rf_mkString(jg_status_name(status)));
  SEXP pkg = PROTECT(Rf_mkString("journeygraph"));
  SEXP ns = PROTECT(R_FindNamespace(pkg));
  SEXP call = PROTECT(Rf_lang3(Rf_install("jg_abort"), msg_str, status_str));
  Rf_eval(call, ns);
  UNPROTECT(6);
  Rf_error("%s", "journeygraph: unreachable");
}

#define JGR_CHECK(expr)                   \
  do {                                    \
    jg_status jgr_status_ = (expr);       \
    if (jgr_status_ != JG_OK) jgr_fail(jgr_status_); \
  } while (0)

/* ------------------------------------------------------------------------------------------ handles */

typedef void (*jgr_free_fn)(void*);

typedef struct {
  const char* tag;
  jgr_free_fn free_fn;
} jgr_kind;

static void free_journeys(void* p) { jg_journeys_free((jg_journeys*)p); }
static void free_model(void* p) { jg_model_free((jg_model*)p); }
static void free_map(void* p) { jg_map_free((jg_map*)p); }
static void free_stages(void* p) { jg_stages_free((jg_stages*)p); }
static void free_table(void* p) { jg_table_free((jg_table*)p); }
static void free_report(void* p) { jg_report_free((jg_report*)p); }
static void free_removal(void* p) { jg_removal_free((jg_removal*)p); }
static void free_attribution(void* p) { jg_attribution_free((jg_attribution*)p); }

static const jgr_kind KIND_JOURNEYS = {"jg_journeys", free_journeys};
static const jgr_kind KIND_MODEL = {"jg_model", free_model};
static const jgr_kind KIND_MAP = {"jg_map", free_map};
static const jgr_kind KIND_STAGES = {"jg_stages", free_stages};
static const jgr_kind KIND_TABLE = {"jg_table", free_table};
static const jgr_kind KIND_REPORT = {"jg_report", free_report};
static const jgr_kind KIND_REMOVAL = {"jg_removal", free_removal};
static const jgr_kind KIND_ATTRIBUTION = {"jg_attribution", free_attribution};

static const jgr_kind* const KINDS[] = {&KIND_JOURNEYS, &KIND_MODEL, &KIND_MAP, &KIND_STAGES, &KIND_TABLE,
                                        &KIND_REPORT, &KIND_REMOVAL, &KIND_ATTRIBUTION};

static void jgr_finalize(SEXP ptr) {
  void* p = R_ExternalPtrAddr(ptr);
  if (p == NULL) return;
  SEXP tag = R_ExternalPtrTag(ptr);
  const char* name = Rf_isString(tag) ? CHAR(STRING_ELT(tag, 0)) : "";
  for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; ++i) {
    if (strcmp(KINDS[i]->tag, name) == 0) {
      KINDS[i]->free_fn(p);
      break;
    }
  }
  R_ClearExternalPtr(ptr);
}

/* A new external pointer owning p (released by the finalizer, also at exit). NULL p gives R's NULL. */
static SEXP jgr_wrap(void* p, const jgr_kind* kind) {
  if (p == NULL) return R_NilValue;
  SEXP tag = PROTECT(Rf_mkString(kind->tag));
  SEXP ptr = PROTECT(R_MakeExternalPtr(p, tag, R_NilValue));
  R_RegisterCFinalizerEx(ptr, jgr_finalize, TRUE);
  UNPROTECT(2);
  return ptr;
}

/* The handle inside x (an external pointer of the given kind), or an R error naming what was passed. */
static void* jgr_handle(SEXP x, const jgr_kind* kind, const char* what) {
  if (TYPEOF(x) != EXTPTRSXP) Rf_error("%s must be a journeygraph %s handle", what, kind->tag);
  SEXP tag = R_ExternalPtrTag(x);
  if (!Rf_isString(tag) || strcmp(CHAR(STRING_ELT(tag, 0)), kind->tag) != 0)
    Rf_error("%s must be a journeygraph %s handle", what, kind->tag);
  void* p = R_ExternalPtrAddr(x);
  if (p == NULL) Rf_error("%s is a released handle (saved and restored from an R session?)", what);
  return p;
}

/* ------------------------------------------------------------------------------------------ options */

/* Option lists come from R as named lists; an absent or NULL entry keeps the library's default. */
static SEXP opt(SEXP list, const char* name) {
  if (Rf_isNull(list) || Rf_xlength(list) == 0) return R_NilValue;
  SEXP names = Rf_getAttrib(list, R_NamesSymbol);
  if (TYPEOF(list) != VECSXP || !Rf_isString(names)) Rf_error("options must be a named list");
  for (R_xlen_t i = 0; i < Rf_xlength(list); ++i)
    if (strcmp(CHAR(STRING_ELT(names, i)), name) == 0) return VECTOR_ELT(list, i);
  return R_NilValue;
}

static int has(SEXP v) { return !Rf_isNull(v); }

static double opt_double(SEXP v, const char* name) {
  if (!Rf_isNumeric(v) && !Rf_isLogical(v)) Rf_error("option '%s' must be a number", name);
  if (Rf_xlength(v) != 1) Rf_error("option '%s' must be one number, got %ld", name, (long)Rf_xlength(v));
  return Rf_asReal(v);
}

/* A count: a whole number >= 0 (the library checks the ranges it needs). */
static size_t opt_size(SEXP v, const char* name) {
  double d = opt_double(v, name);
  if (!(d >= 0) || d != floor(d) || d > 9007199254740992.0)
    Rf_error("option '%s' must be a whole number >= 0, got %g", name, d);
  return (size_t)d;
}

static int opt_flag(SEXP v, const char* name) {
  double d = opt_double(v, name);
  if (ISNAN(d)) Rf_error("option '%s' must be TRUE or FALSE, not NA", name);
  return d != 0;
}

/* A UTF-8 string borrowed from R for the duration of the call. */
static const char* opt_string(SEXP v, const char* name) {
  if (!Rf_isString(v) || Rf_xlength(v) != 1 || STRING_ELT(v, 0) == NA_STRING)
    Rf_error("option '%s' must be one string", name);
  return Rf_translateCharUTF8(STRING_ELT(v, 0));
}

/* A character vector as a C array of UTF-8 strings (R_alloc: freed when the .Call returns). */
static const char** opt_strings(SEXP v, const char* name, size_t* out_n) {
  if (!Rf_isString(v)) Rf_error("option '%s' must be a character vector", name);
  R_xlen_t n = Rf_xlength(v);
  const char** out = (const char**)R_alloc((size_t)(n > 0 ? n : 1), sizeof(char*));
  for (R_xlen_t i = 0; i < n; ++i) {
    if (STRING_ELT(v, i) == NA_STRING) Rf_error("option '%s' holds NA at position %ld", name, (long)i + 1);
    out[i] = Rf_translateCharUTF8(STRING_ELT(v, i));
  }
  *out_n = (size_t)n;
  return out;
}

/* An option naming a value of a C enumeration, read by the library's own parser (jg_X_parse, the names of
 * every face): an R error naming the option, the text and the accepted names otherwise. */
#define JGR_ENUM_OPTION(parse, type, option)                                                          \
  static type option##_option(SEXP v) {                                                              \
    type out;                                                                                         \
    if (parse(opt_string(v, #option), &out) != JG_OK) Rf_error("%s: %s", #option, jg_last_error_message()); \
    return out;                                                                                       \
  }
JGR_ENUM_OPTION(jg_time_unit_parse, jg_time_unit, time_unit)
JGR_ENUM_OPTION(jg_self_loops_parse, jg_self_loops, self_loops)
JGR_ENUM_OPTION(jg_funnel_journeys_parse, jg_funnel_journeys, funnel_journeys)
JGR_ENUM_OPTION(jg_pain_ranking_parse, jg_pain_ranking, rank_by)
JGR_ENUM_OPTION(jg_map_format_parse, jg_map_format, format)

/* R_CheckUserInterrupt jumps out when the user pressed Ctrl-C; R_ToplevelExec catches that jump, so it never
 * unwinds through the library (the header forbids it) and the callback asks the library to stop instead. */
static void check_interrupt(void* unused) {
  (void)unused;
  R_CheckUserInterrupt();
}

/* Progress callback of every long call: the library calls it from this (R's) thread a few times a second. */
static int jgr_progress(double fraction, const char* stage, void* user) {
  (void)fraction;
  (void)stage;
  (void)user;
  return R_ToplevelExec(check_interrupt, NULL) ? 0 : 1;
}

static void exec_options(SEXP o, jg_exec_options* exec) {
  JGR_CHECK(jg_exec_options_init(exec, JG_EXEC_OPTIONS_VERSION));
  exec->progress = jgr_progress;
  SEXP v = opt(o, "threads");
  if (has(v)) exec->threads = (unsigned)opt_size(v, "threads");
}

static void model_options(SEXP o, jg_model_options* m) {
  JGR_CHECK(jg_model_options_init(m, JG_MODEL_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "order"))) m->order = (unsigned)opt_size(v, "order");
  if (has(v = opt(o, "smoothing"))) m->smoothing = opt_double(v, "smoothing");
  if (has(v = opt(o, "self_loops"))) m->self_loops = self_loops_option(v);
}

/* A CSV column option: NULL keeps the default column, "" (or NA) reads none, a name must exist. */
static void column_option(SEXP o, const char* name, jg_column* column) {
  SEXP v = opt(o, name);
  if (!has(v)) return;
  if (Rf_isString(v) && Rf_xlength(v) == 1 && STRING_ELT(v, 0) == NA_STRING) {
    column->name = "";
    column->required = 0;
    return;
  }
  column->name = opt_string(v, name);
  column->required = column->name[0] != '\0';
}

/* ------------------------------------------------------------------------------------------ tables */

/* Ticks of a time column per second, for POSIXct (seconds since the epoch). */
static double ticks_per_second(jg_time_unit unit) {
  switch (unit) {
    case JG_TIME_MILLISECONDS: return 1e3;
    case JG_TIME_MICROSECONDS: return 1e6;
    case JG_TIME_NANOSECONDS: return 1e9;
    default: return 1.0;
  }
}

/* The one converter: a jg_table into a data.frame with the table's column names and types (float ->
 * double, integer -> integer when every value fits, else double, boolean -> logical, time -> POSIXct UTC,
 * string -> character), attributes "table" (its name) and "meta" (a named list of its metadata). */
static SEXP table_frame(const jg_table* t) {
  size_t rows = 0, cols = 0;
  JGR_CHECK(jg_table_size(t, &rows, &cols));
  SEXP df = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)cols));
  SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)cols));
  for (size_t c = 0; c < cols; ++c) {
    const char* name = NULL;
    jg_column_type type;
    JGR_CHECK(jg_table_column_name(t, c, &name));
    JGR_CHECK(jg_table_column_type(t, c, &type));
    SET_STRING_ELT(names, (R_xlen_t)c, Rf_mkCharCE(name, CE_UTF8));
    size_t len = 0;
    SEXP col = R_NilValue;
    if (type == JG_TYPE_STRING) {
      col = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)rows));
      for (size_t r = 0; r < rows; ++r) {
        const char* s = NULL;
        JGR_CHECK(jg_table_string(t, name, r, &s));
        SET_STRING_ELT(col, (R_xlen_t)r, Rf_mkCharCE(s, CE_UTF8));
      }
    } else if (type == JG_TYPE_INTEGER || type == JG_TYPE_TIME) {
      int64_t* buf = (int64_t*)R_alloc(rows > 0 ? rows : 1, sizeof(int64_t));
      JGR_CHECK(jg_table_integers(t, name, buf, rows, &len));
      int fits = type == JG_TYPE_INTEGER;
      for (size_t r = 0; fits && r < rows; ++r) fits = buf[r] > -2147483647LL && buf[r] <= 2147483647LL;
      if (fits) {
        col = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)rows));
        for (size_t r = 0; r < rows; ++r) INTEGER(col)[r] = (int)buf[r];
      } else {
        double scale = 1.0;
        if (type == JG_TYPE_TIME) {
          jg_time_unit unit;
          JGR_CHECK(jg_table_time_unit(t, name, &unit));
          scale = ticks_per_second(unit);
        }
        col = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)rows));
        for (size_t r = 0; r < rows; ++r) REAL(col)[r] = (double)buf[r] / scale;
        if (type == JG_TYPE_TIME) {
          SEXP cls = PROTECT(Rf_allocVector(STRSXP, 2));
          SET_STRING_ELT(cls, 0, Rf_mkChar("POSIXct"));
          SET_STRING_ELT(cls, 1, Rf_mkChar("POSIXt"));
          Rf_setAttrib(col, R_ClassSymbol, cls);
          Rf_setAttrib(col, Rf_install("tzone"), Rf_mkString("UTC"));
          UNPROTECT(1);
        }
      }
    } else {
      col = PROTECT(Rf_allocVector(type == JG_TYPE_BOOLEAN ? LGLSXP : REALSXP, (R_xlen_t)rows));
      double* buf = type == JG_TYPE_BOOLEAN ? (double*)R_alloc(rows > 0 ? rows : 1, sizeof(double)) : REAL(col);
      JGR_CHECK(jg_table_numbers(t, name, buf, rows, &len));
      if (type == JG_TYPE_BOOLEAN)
        for (size_t r = 0; r < rows; ++r) LOGICAL(col)[r] = ISNAN(buf[r]) ? NA_LOGICAL : buf[r] != 0;
    }
    SET_VECTOR_ELT(df, (R_xlen_t)c, col);
    UNPROTECT(1);
  }
  Rf_setAttrib(df, R_NamesSymbol, names);
  SEXP rn = PROTECT(Rf_allocVector(INTSXP, 2));
  INTEGER(rn)[0] = NA_INTEGER;
  INTEGER(rn)[1] = -(int)rows;
  Rf_setAttrib(df, R_RowNamesSymbol, rn);
  Rf_setAttrib(df, R_ClassSymbol, Rf_mkString("data.frame"));
  UNPROTECT(1);

  const char* tname = NULL;
  JGR_CHECK(jg_table_name(t, &tname));
  Rf_setAttrib(df, Rf_install("table"), Rf_mkString(tname));
  size_t n_meta = 0;
  JGR_CHECK(jg_table_meta_count(t, &n_meta));
  SEXP meta = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)n_meta));
  SEXP meta_names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n_meta));
  for (size_t i = 0; i < n_meta; ++i) {
    const char* key = NULL;
    JGR_CHECK(jg_table_meta_key(t, i, &key));
    SET_STRING_ELT(meta_names, (R_xlen_t)i, Rf_mkCharCE(key, CE_UTF8));
    double number = 0;
    if (jg_table_meta_number(t, key, &number) == JG_OK) {
      SET_VECTOR_ELT(meta, (R_xlen_t)i, Rf_ScalarReal(number));
    } else {
      const char* s = NULL;
      JGR_CHECK(jg_table_meta_string(t, key, &s));
      SEXP str = PROTECT(Rf_allocVector(STRSXP, 1));
      SET_STRING_ELT(str, 0, Rf_mkCharCE(s, CE_UTF8));
      SET_VECTOR_ELT(meta, (R_xlen_t)i, str);
      UNPROTECT(1);
    }
  }
  Rf_setAttrib(meta, R_NamesSymbol, meta_names);
  Rf_setAttrib(df, Rf_install("meta"), meta);
  UNPROTECT(4);
  return df;
}

/* Takes ownership of t (held by an external pointer while it converts, so an R error cannot leak it). */
static SEXP own_table(jg_table* t) {
  SEXP ptr = PROTECT(jgr_wrap(t, &KIND_TABLE));
  SEXP df = PROTECT(table_frame(t));
  jgr_finalize(ptr);
  UNPROTECT(2);
  return df;
}

/* Returns the table of a handle just made: the handle is wrapped first (so that its finalizer frees it
 * whatever happens), then make(handle, &table) runs and the table is converted. */
#define JGR_RETURN_TABLE_OF(handle, kind, make) \
  do {                                          \
    SEXP keep_ = PROTECT(jgr_wrap(handle, kind)); \
    jg_table* t_ = NULL;                        \
    JGR_CHECK(make(handle, &t_));               \
    SEXP df_ = own_table(t_);                   \
    UNPROTECT(1);                               \
    (void)keep_;                                \
    return df_;                                 \
  } while (0)

/* list(t[0], t[1]) as data frames; both tables are freed, also when R raises an error. */
static SEXP own_tables(jg_table* t[2]) {
  SEXP keep0 = PROTECT(jgr_wrap(t[0], &KIND_TABLE));
  SEXP keep1 = PROTECT(jgr_wrap(t[1], &KIND_TABLE));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, table_frame(t[0]));
  SET_VECTOR_ELT(out, 1, table_frame(t[1]));
  jgr_finalize(keep0);
  jgr_finalize(keep1);
  UNPROTECT(3);
  return out;
}

/* ------------------------------------------------------------------------------------------ CSV text */

/* A growing byte buffer owned by an external pointer, so that an R error while it grows cannot leak it.
 * buffer_new leaves that pointer on the protection stack. */
typedef struct {
  char* data;
  size_t len, cap;
} jgr_buffer;

static void buffer_finalize(SEXP ptr) {
  jgr_buffer* b = (jgr_buffer*)R_ExternalPtrAddr(ptr);
  if (b == NULL) return;
  free(b->data);
  free(b);
  R_ClearExternalPtr(ptr);
}

static jgr_buffer* buffer_new(SEXP* out_ptr) {
  jgr_buffer* b = (jgr_buffer*)calloc(1, sizeof(jgr_buffer));
  if (b == NULL) Rf_error("out of memory");
  *out_ptr = PROTECT(R_MakeExternalPtr(b, R_NilValue, R_NilValue));
  R_RegisterCFinalizerEx(*out_ptr, buffer_finalize, TRUE);
  return b; /* *out_ptr stays protected: the caller unprotects it */
}

static void buffer_put(jgr_buffer* b, const char* s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (b->len + n + 1 > cap) cap *= 2;
    char* data = (char*)realloc(b->data, cap);
    if (data == NULL) Rf_error("out of memory writing the data.frame as CSV text (%lu bytes)", (unsigned long)cap);
    b->data = data;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void buffer_quoted(jgr_buffer* b, const char* s) {
  buffer_put(b, "\"", 1);
  for (const char* q; (q = strchr(s, '"')) != NULL; s = q + 1) {
    buffer_put(b, s, (size_t)(q - s) + 1);
    buffer_put(b, "\"", 1);
  }
  buffer_put(b, s, strlen(s));
  buffer_put(b, "\"", 1);
}

/* One cell. Doubles with 17 significant digits read back to the same bits (whole numbers below 2^53 are
 * written as integers, the same value); NA is an empty cell, whose meaning the library's reader decides. */
static void buffer_cell(jgr_buffer* b, SEXP col, R_xlen_t i) {
  char num[64];
  int n = 0;
  switch (TYPEOF(col)) {
    case LGLSXP:
      if (LOGICAL(col)[i] != NA_LOGICAL) buffer_put(b, LOGICAL(col)[i] ? "true" : "false", LOGICAL(col)[i] ? 4 : 5);
      return;
    case INTSXP: {
      int v = INTEGER(col)[i];
      if (v == NA_INTEGER) return;
      if (Rf_isFactor(col)) {
        buffer_quoted(b, Rf_translateCharUTF8(STRING_ELT(Rf_getAttrib(col, R_LevelsSymbol), v - 1)));
        return;
      }
      n = snprintf(num, sizeof num, "%d", v);
      break;
    }
    case REALSXP: {
      double v = REAL(col)[i];
      if (ISNA(v)) return;
      if (v == floor(v) && fabs(v) < 9007199254740992.0) n = snprintf(num, sizeof num, "%lld", (long long)v);
      else n = snprintf(num, sizeof num, "%.17g", v);
      break;
    }
    case STRSXP:
      if (STRING_ELT(col, i) != NA_STRING) buffer_quoted(b, Rf_translateCharUTF8(STRING_ELT(col, i)));
      return;
    default:
      return;
  }
  buffer_put(b, num, (size_t)n);
}

/* The columns (logical, integer, factor, double or character vectors of equal length, prepared by the R
 * side) as RFC 4180 CSV text with a header row, for the library's CSV parsers. The buffer's external
 * pointer is left protected (see buffer_new). */
static jgr_buffer* frame_csv(SEXP cols, SEXP names, SEXP* out_ptr) {
  jgr_buffer* b = buffer_new(out_ptr);
  R_xlen_t n_cols = Rf_xlength(cols), rows = n_cols > 0 ? Rf_xlength(VECTOR_ELT(cols, 0)) : 0;
  for (R_xlen_t c = 0; c < n_cols; ++c) {
    SEXP col = VECTOR_ELT(cols, c);
    int type = TYPEOF(col);
    if ((type != LGLSXP && type != INTSXP && type != REALSXP && type != STRSXP) || Rf_xlength(col) != rows)
      Rf_error("column %ld: internal error, not a prepared column", (long)c + 1);
    if (c > 0) buffer_put(b, ",", 1);
    buffer_quoted(b, Rf_translateCharUTF8(STRING_ELT(names, c)));
  }
  buffer_put(b, "\n", 1);
  for (R_xlen_t i = 0; i < rows; ++i) {
    for (R_xlen_t c = 0; c < n_cols; ++c) {
      if (c > 0) buffer_put(b, ",", 1);
      buffer_cell(b, VECTOR_ELT(cols, c), i);
    }
    buffer_put(b, "\n", 1);
  }
  return b;
}

/* ------------------------------------------------------------------------------------------ calls */

SEXP jgr_version(void) { return Rf_mkString(jg_version_string()); }

/* The library's default CSV column names and separator, so the R face names no column itself. */
SEXP jgr_defaults(void) {
  jg_event_csv_options ev;
  jg_path_csv_options pa;
  JGR_CHECK(jg_event_csv_options_init(&ev, JG_EVENT_CSV_OPTIONS_VERSION));
  JGR_CHECK(jg_path_csv_options_init(&pa, JG_PATH_CSV_OPTIONS_VERSION));
  const char* keys[] = {"journey", "time", "touchpoint", "conversion", "value", "segment",
                        "path", "conversions", "nulls", "path_value", "sep"};
  const char* vals[] = {ev.journey.name, ev.time.name, ev.touchpoint.name, ev.conversion.name, ev.value.name,
                        ev.segment.name, pa.path.name, pa.conversions.name, pa.nulls.name, pa.value.name,
                        pa.separator};
  size_t n = sizeof keys / sizeof keys[0];
  SEXP out = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
  SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
  for (size_t i = 0; i < n; ++i) {
    SET_STRING_ELT(out, (R_xlen_t)i, Rf_mkCharCE(vals[i] ? vals[i] : "", CE_UTF8));
    SET_STRING_ELT(names, (R_xlen_t)i, Rf_mkChar(keys[i]));
  }
  Rf_setAttrib(out, R_NamesSymbol, names);
  UNPROTECT(2);
  return out;
}

static void journey_options(SEXP o, jg_journey_options* j) {
  JGR_CHECK(jg_journey_options_init(j, JG_JOURNEY_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "split"))) j->split_on_conversion = opt_flag(v, "split");
  if (has(v = opt(o, "lookback"))) {
    j->use_lookback = 1;
    j->lookback_seconds = opt_double(v, "lookback");
  }
  if (has(v = opt(o, "gap"))) {
    j->use_gap = 1;
    j->gap_seconds = opt_double(v, "gap");
  }
  if (has(v = opt(o, "collapse_repeats"))) j->collapse_repeats = opt_flag(v, "collapse_repeats");
  if (has(v = opt(o, "max_touches"))) j->max_touches = opt_size(v, "max_touches");
}

/* Returns list(journeys, report). */
static SEXP journeys_result(jg_journeys* journeys, jg_report* report) {
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, jgr_wrap(journeys, &KIND_JOURNEYS));
  SET_VECTOR_ELT(out, 1, jgr_wrap(report, &KIND_REPORT));
  UNPROTECT(1);
  return out;
}

/* Events CSV from a file (file non-NULL) or from text (the data.frame written as CSV by the R side). */
SEXP jgr_journeys_events(SEXP file, SEXP cols, SEXP names, SEXP name, SEXP o) {
  jg_event_csv_options csv;
  jg_journey_options jo;
  jg_exec_options exec;
  JGR_CHECK(jg_event_csv_options_init(&csv, JG_EVENT_CSV_OPTIONS_VERSION));
  column_option(o, "journey", &csv.journey);
  column_option(o, "time", &csv.time);
  column_option(o, "touchpoint", &csv.touchpoint);
  column_option(o, "conversion", &csv.conversion);
  column_option(o, "value", &csv.value);
  column_option(o, "segment", &csv.segment);
  SEXP v;
  if (has(v = opt(o, "time_unit"))) csv.integer_time_unit = time_unit_option(v);
  if (has(v = opt(o, "time_format"))) csv.time_format = opt_string(v, "time_format");
  if (has(v = opt(o, "skip_bad_rows"))) csv.skip_bad_rows = opt_flag(v, "skip_bad_rows");
  journey_options(o, &jo);
  exec_options(o, &exec);
  jg_journeys* journeys = NULL;
  jg_report* report = NULL;
  if (!Rf_isNull(file)) {
    JGR_CHECK(jg_journeys_read_events_csv(opt_string(file, "file"), &csv, &jo, &exec, &journeys, &report));
  } else {
    SEXP keep;
    jgr_buffer* text = frame_csv(cols, names, &keep);
    jg_status st = jg_journeys_parse_events_csv(text->data, text->len, opt_string(name, "name"), &csv, &jo, &exec,
                                                &journeys, &report);
    buffer_finalize(keep);
    UNPROTECT(1);
    JGR_CHECK(st);
  }
  return journeys_result(journeys, report);
}

SEXP jgr_journeys_paths(SEXP file, SEXP cols, SEXP names, SEXP name, SEXP o) {
  jg_path_csv_options csv;
  jg_exec_options exec;
  JGR_CHECK(jg_path_csv_options_init(&csv, JG_PATH_CSV_OPTIONS_VERSION));
  column_option(o, "path", &csv.path);
  column_option(o, "conversions", &csv.conversions);
  column_option(o, "nulls", &csv.nulls);
  column_option(o, "value", &csv.value);
  SEXP v;
  if (has(v = opt(o, "sep"))) csv.separator = opt_string(v, "sep");
  if (has(v = opt(o, "check_separator"))) csv.check_separator = opt_flag(v, "check_separator");
  if (has(v = opt(o, "skip_bad_rows"))) csv.skip_bad_rows = opt_flag(v, "skip_bad_rows");
  exec_options(o, &exec);
  jg_journeys* journeys = NULL;
  jg_report* report = NULL;
  if (!Rf_isNull(file)) {
    JGR_CHECK(jg_journeys_read_paths_csv(opt_string(file, "file"), &csv, &exec, &journeys, &report));
  } else {
    SEXP keep;
    jgr_buffer* text = frame_csv(cols, names, &keep);
    jg_status st = jg_journeys_parse_paths_csv(text->data, text->len, opt_string(name, "name"), &csv, &exec,
                                               &journeys, &report);
    buffer_finalize(keep);
    UNPROTECT(1);
    JGR_CHECK(st);
  }
  return journeys_result(journeys, report);
}

SEXP jgr_journeys_sample(SEXP customers, SEXP seed, SEXP o) {
  jg_journey_options jo;
  jg_exec_options exec;
  journey_options(o, &jo);
  exec_options(o, &exec);
  jg_journeys* journeys = NULL;
  jg_report* report = NULL;
  JGR_CHECK(jg_journeys_sample(opt_size(customers, "customers"), (uint64_t)opt_size(seed, "seed"), &jo, &exec,
                               &journeys, &report));
  return journeys_result(journeys, report);
}

SEXP jgr_journeys_table(SEXP j, SEXP sep) {
  jg_table* t = NULL;
  JGR_CHECK(jg_journeys_table(jgr_handle(j, &KIND_JOURNEYS, "journeys"), Rf_isNull(sep) ? NULL : opt_string(sep, "sep"),
                              &t));
  return own_table(t);
}

/* The journeys' headline figures as a named numeric vector. */
SEXP jgr_journeys_info(SEXP j) {
  jg_journeys_info info;
  JGR_CHECK(jg_journeys_info_init(&info, JG_JOURNEYS_INFO_VERSION));
  JGR_CHECK(jg_journeys_get_info(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &info));
  const char* keys[] = {"journeys", "touches", "touchpoints", "segments", "has_timestamps", "total_conversions",
                        "total_nulls", "total_value"};
  double vals[] = {(double)info.n_journeys, (double)info.n_touches, (double)info.n_touchpoints,
                   (double)info.n_segments, (double)info.has_timestamps, info.total_conversions, info.total_nulls,
                   info.total_value};
  size_t n = sizeof vals / sizeof vals[0];
  SEXP out = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n));
  SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
  for (size_t i = 0; i < n; ++i) {
    REAL(out)[i] = vals[i];
    SET_STRING_ELT(names, (R_xlen_t)i, Rf_mkChar(keys[i]));
  }
  Rf_setAttrib(out, R_NamesSymbol, names);
  UNPROTECT(2);
  return out;
}

/* What a build did: its summary text and its notes. */
SEXP jgr_report(SEXP r) {
  const jg_report* report = (const jg_report*)jgr_handle(r, &KIND_REPORT, "report");
  size_t len = 0;
  JGR_CHECK(jg_report_summary(report, NULL, 0, &len));
  char* buf = R_alloc(len > 0 ? len : 1, 1);
  JGR_CHECK(jg_report_summary(report, buf, len, &len));
  size_t n_notes = 0;
  JGR_CHECK(jg_report_note_count(report, &n_notes));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SEXP summary = PROTECT(Rf_allocVector(STRSXP, 1));
  SET_STRING_ELT(summary, 0, Rf_mkCharCE(buf, CE_UTF8));
  SET_VECTOR_ELT(out, 0, summary);
  SEXP notes = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n_notes));
  for (size_t i = 0; i < n_notes; ++i) {
    const char* note = NULL;
    JGR_CHECK(jg_report_note(report, i, &note));
    SET_STRING_ELT(notes, (R_xlen_t)i, Rf_mkCharCE(note, CE_UTF8));
  }
  SET_VECTOR_ELT(out, 1, notes);
  SEXP names = PROTECT(Rf_allocVector(STRSXP, 2));
  SET_STRING_ELT(names, 0, Rf_mkChar("summary"));
  SET_STRING_ELT(names, 1, Rf_mkChar("notes"));
  Rf_setAttrib(out, R_NamesSymbol, names);
  UNPROTECT(4);
  return out;
}

SEXP jgr_model_fit(SEXP j, SEXP o) {
  jg_model_options m;
  jg_exec_options exec;
  model_options(o, &m);
  exec_options(o, &exec);
  jg_model* model = NULL;
  JGR_CHECK(jg_model_create_fitted(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &m, &exec, &model));
  return jgr_wrap(model, &KIND_MODEL);
}

SEXP jgr_model_transitions(SEXP mo) {
  jg_table* t = NULL;
  JGR_CHECK(jg_model_transition_table(jgr_handle(mo, &KIND_MODEL, "model"), &t));
  return own_table(t);
}

SEXP jgr_model_removal(SEXP mo, SEXP o) {
  jg_exec_options exec;
  exec_options(o, &exec);
  jg_removal* removal = NULL;
  JGR_CHECK(jg_removal_create(jgr_handle(mo, &KIND_MODEL, "model"), &exec, &removal));
  JGR_RETURN_TABLE_OF(removal, &KIND_REMOVAL, jg_removal_table);
}

SEXP jgr_model_save(SEXP mo, SEXP file) {
  JGR_CHECK(jg_model_save(jgr_handle(mo, &KIND_MODEL, "model"), opt_string(file, "file")));
  return R_NilValue;
}

SEXP jgr_model_load(SEXP file, SEXP o) {
  jg_exec_options exec;
  exec_options(o, &exec);
  jg_model* model = NULL;
  JGR_CHECK(jg_model_open(opt_string(file, "file"), NULL, 0, &exec, &model));
  return jgr_wrap(model, &KIND_MODEL);
}

/* The names of the attribution models: all of them (journeys NULL) or those that apply to journeys. */
SEXP jgr_attribution_models(SEXP j) {
  size_t n = 0;
  const jg_journeys* journeys = Rf_isNull(j) ? NULL : jgr_handle(j, &KIND_JOURNEYS, "journeys");
  if (journeys) JGR_CHECK(jg_attribution_list_models_for(journeys, NULL, 0, &n));
  else JGR_CHECK(jg_attribution_list_models(NULL, 0, &n));
  const char** names = (const char**)R_alloc(n > 0 ? n : 1, sizeof(char*));
  if (journeys) JGR_CHECK(jg_attribution_list_models_for(journeys, names, n, &n));
  else JGR_CHECK(jg_attribution_list_models(names, n, &n));
  SEXP out = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
  for (size_t i = 0; i < n; ++i) SET_STRING_ELT(out, (R_xlen_t)i, Rf_mkChar(names[i]));
  UNPROTECT(1);
  return out;
}

/* The options of attribute() (also those of journey_credit() and calibration_table()); a->markov points to *m. */
static void attribution_options(SEXP o, jg_attribution_options* a, jg_model_options* m) {
  JGR_CHECK(jg_attribution_options_init(a, JG_ATTRIBUTION_OPTIONS_VERSION));
  model_options(o, m);
  a->markov = m;
  SEXP v;
  if (has(v = opt(o, "models"))) a->models = opt_strings(v, "models", &a->n_models);
  if (has(v = opt(o, "exclude"))) {
    a->excluded = opt_strings(v, "exclude", &a->n_excluded);
    if (a->n_excluded == 0) a->excluded = (const char**)R_alloc(1, sizeof(char*)); /* non-NULL, none: no exclusion */
  }
  if (has(v = opt(o, "first_weight"))) a->first_weight = opt_double(v, "first_weight");
  if (has(v = opt(o, "last_weight"))) a->last_weight = opt_double(v, "last_weight");
  if (has(v = opt(o, "half_life"))) a->half_life_seconds = opt_double(v, "half_life");
  if (has(v = opt(o, "max_coalition"))) a->max_coalition = opt_size(v, "max_coalition");
  if (has(v = opt(o, "bootstrap"))) a->bootstrap_replicates = opt_size(v, "bootstrap");
  if (has(v = opt(o, "ci"))) a->confidence = opt_double(v, "ci");
  if (has(v = opt(o, "seed"))) a->seed = (uint64_t)opt_size(v, "seed");
}

SEXP jgr_attribute(SEXP j, SEXP o) {
  jg_attribution_options a;
  jg_model_options m;
  jg_exec_options exec;
  attribution_options(o, &a, &m);
  exec_options(o, &exec);
  jg_attribution* attribution = NULL;
  JGR_CHECK(jg_attribution_create(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &a, &exec, &attribution));
  JGR_RETURN_TABLE_OF(attribution, &KIND_ATTRIBUTION, jg_attribution_table);
}

SEXP jgr_attribute_model(SEXP mo, SEXP o) {
  jg_exec_options exec;
  exec_options(o, &exec);
  jg_attribution* attribution = NULL;
  JGR_CHECK(jg_attribution_create_from_model(jgr_handle(mo, &KIND_MODEL, "model"), &exec, &attribution));
  JGR_RETURN_TABLE_OF(attribution, &KIND_ATTRIBUTION, jg_attribution_table);
}

SEXP jgr_choose_order(SEXP j, SEXP o) {
  jg_order_options oo;
  jg_exec_options exec;
  JGR_CHECK(jg_order_options_init(&oo, JG_ORDER_OPTIONS_VERSION));
  exec_options(o, &exec);
  SEXP v;
  if (has(v = opt(o, "max_order"))) oo.max_order = (unsigned)opt_size(v, "max_order");
  if (has(v = opt(o, "holdout"))) oo.holdout = opt_double(v, "holdout");
  if (has(v = opt(o, "seed"))) oo.seed = (uint64_t)opt_size(v, "seed");
  if (has(v = opt(o, "smoothing"))) oo.smoothing = opt_double(v, "smoothing");
  if (has(v = opt(o, "self_loops"))) oo.self_loops = self_loops_option(v);
  if (has(v = opt(o, "floor"))) oo.floor = opt_double(v, "floor");
  jg_table* t = NULL;
  JGR_CHECK(jg_order_table(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &oo, &exec, &t));
  return own_table(t);
}

/* ------------------------------------------------------------------------------------------ maps */

/* Stages from R: the retailer sample's (cols NULL), or a data.frame of touchpoint and stage columns read by the
 * library's stages reader (its column names and rules), in the funnel order `order` (NULL: the reader's
 * default, the order of first appearance). */
SEXP jgr_stages(SEXP order, SEXP cols, SEXP names, SEXP name) {
  jg_stages* stages = NULL;
  if (Rf_isNull(cols)) {
    JGR_CHECK(jg_stages_sample(&stages));
    return jgr_wrap(stages, &KIND_STAGES);
  }
  jg_stages_csv_options so;
  JGR_CHECK(jg_stages_csv_options_init(&so, JG_STAGES_CSV_OPTIONS_VERSION));
  if (!Rf_isNull(order)) so.order = opt_strings(order, "stage order", &so.n_order);
  SEXP keep;
  jgr_buffer* text = frame_csv(cols, names, &keep);
  jg_status st = jg_stages_parse_csv(text->data, text->len, opt_string(name, "name"), &so, &stages);
  buffer_finalize(keep);
  UNPROTECT(1);
  JGR_CHECK(st);
  return jgr_wrap(stages, &KIND_STAGES);
}

/* The stage of each touchpoint the stages name, as list(order, touchpoint, stage) for printing. */
SEXP jgr_stages_names(SEXP s) {
  const jg_stages* stages = jgr_handle(s, &KIND_STAGES, "stages");
  size_t n = 0;
  JGR_CHECK(jg_stages_count(stages, &n));
  SEXP out = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
  for (size_t i = 0; i < n; ++i) {
    const char* name = NULL;
    JGR_CHECK(jg_stages_name(stages, i, &name));
    SET_STRING_ELT(out, (R_xlen_t)i, Rf_mkCharCE(name, CE_UTF8));
  }
  UNPROTECT(1);
  return out;
}

SEXP jgr_map(SEXP j, SEXP s, SEXP o) {
  jg_map_options mo;
  jg_model_options m;
  jg_exec_options exec;
  JGR_CHECK(jg_map_options_init(&mo, JG_MAP_OPTIONS_VERSION));
  model_options(o, &m);
  exec_options(o, &exec);
  mo.model = &m;
  SEXP v;
  if (has(v = opt(o, "other_stage"))) mo.other_stage = opt_string(v, "other_stage");
  if (has(v = opt(o, "funnel_journeys"))) mo.funnel_journeys = funnel_journeys_option(v);
  const jg_stages* stages = Rf_isNull(s) ? NULL : jgr_handle(s, &KIND_STAGES, "stages");
  jg_map* map = NULL;
  JGR_CHECK(jg_map_create(jgr_handle(j, &KIND_JOURNEYS, "journeys"), stages, &mo, &exec, &map));
  return jgr_wrap(map, &KIND_MAP);
}

SEXP jgr_map_funnel(SEXP mp) {
  jg_table* t = NULL;
  JGR_CHECK(jg_map_funnel(jgr_handle(mp, &KIND_MAP, "map"), NULL, &t));
  return own_table(t);
}

SEXP jgr_map_nodes(SEXP mp) {
  jg_table* t = NULL;
  JGR_CHECK(jg_map_nodes(jgr_handle(mp, &KIND_MAP, "map"), &t));
  return own_table(t);
}

SEXP jgr_map_edges(SEXP mp) {
  jg_table* t = NULL;
  JGR_CHECK(jg_map_edges(jgr_handle(mp, &KIND_MAP, "map"), &t));
  return own_table(t);
}

SEXP jgr_map_stage_flows(SEXP mp) {
  jg_table* t = NULL;
  JGR_CHECK(jg_map_stage_flows(jgr_handle(mp, &KIND_MAP, "map"), NULL, &t));
  return own_table(t);
}

SEXP jgr_map_pain_points(SEXP mp, SEXP o) {
  jg_pain_options po;
  JGR_CHECK(jg_pain_options_init(&po, JG_PAIN_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "rank_by"))) po.rank_by = rank_by_option(v);
  if (has(v = opt(o, "min_journeys"))) po.min_journeys = opt_double(v, "min_journeys");
  jg_table* t = NULL;
  JGR_CHECK(jg_map_pain_points(jgr_handle(mp, &KIND_MAP, "map"), &po, &t));
  return own_table(t);
}

/* list(variants, probable, lengths, time) */
SEXP jgr_map_paths(SEXP mp, SEXP o) {
  jg_path_options po;
  JGR_CHECK(jg_path_options_init(&po, JG_PATH_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "top"))) po.top = opt_size(v, "top");
  if (has(v = opt(o, "most_probable"))) po.most_probable = opt_size(v, "most_probable");
  jg_table* t[4] = {NULL, NULL, NULL, NULL};
  JGR_CHECK(jg_map_paths(jgr_handle(mp, &KIND_MAP, "map"), &po, NULL, &t[0], &t[1], &t[2], &t[3]));
  SEXP keep[4];
  for (int i = 0; i < 4; ++i) keep[i] = PROTECT(jgr_wrap(t[i], &KIND_TABLE));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 4));
  for (int i = 0; i < 4; ++i) SET_VECTOR_ELT(out, i, table_frame(t[i]));
  for (int i = 0; i < 4; ++i) jgr_finalize(keep[i]);
  UNPROTECT(5);
  return out;
}

SEXP jgr_map_info(SEXP mp) {
  jg_map_info info;
  JGR_CHECK(jg_map_info_init(&info, JG_MAP_INFO_VERSION));
  JGR_CHECK(jg_map_get_info(jgr_handle(mp, &KIND_MAP, "map"), &info));
  const char* keys[] = {"touchpoints", "nodes", "edges", "stages", "order", "journeys", "conversions",
                        "conversion_probability"};
  double vals[] = {(double)info.n_touchpoints, (double)info.n_nodes, (double)info.n_edges, (double)info.n_stages,
                   (double)info.order, info.journeys, info.conversions, info.conversion_probability};
  size_t n = sizeof vals / sizeof vals[0];
  SEXP out = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n));
  SEXP names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)n));
  for (size_t i = 0; i < n; ++i) {
    REAL(out)[i] = vals[i];
    SET_STRING_ELT(names, (R_xlen_t)i, Rf_mkChar(keys[i]));
  }
  Rf_setAttrib(out, R_NamesSymbol, names);
  UNPROTECT(2);
  return out;
}

SEXP jgr_map_write(SEXP mp, SEXP file, SEXP format, SEXP o) {
  jg_export_options eo;
  JGR_CHECK(jg_export_options_init(&eo, JG_EXPORT_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "title"))) eo.title = opt_string(v, "title");
  if (has(v = opt(o, "top_paths"))) eo.top_paths = opt_size(v, "top_paths");
  if (has(v = opt(o, "pain_points"))) eo.pain_points = opt_size(v, "pain_points");
  if (has(v = opt(o, "max_edges"))) eo.max_edges = opt_size(v, "max_edges");
  JGR_CHECK(jg_map_write(jgr_handle(mp, &KIND_MAP, "map"), format_option(format), &eo,
                         opt_string(file, "file")));
  return R_NilValue;
}

SEXP jgr_map_sankey(SEXP mp, SEXP o) {
  jg_sankey_options so;
  JGR_CHECK(jg_sankey_options_init(&so, JG_SANKEY_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "by_stage"))) so.by_stage = opt_flag(v, "by_stage");
  if (has(v = opt(o, "max_steps"))) so.max_steps = opt_size(v, "max_steps");
  jg_table* t = NULL;
  JGR_CHECK(jg_map_sankey(jgr_handle(mp, &KIND_MAP, "map"), &so, &t));
  return own_table(t);
}

/* Edits of a what-if, in the order the library applies them: set (from, to, probability), then removed
 * edges (from, to), then removed touchpoints. from/to/probability of each kind come as parallel vectors. */
SEXP jgr_what_if(SEXP handle, SEXP set_from, SEXP set_to, SEXP set_p, SEXP edge_from, SEXP edge_to,
                 SEXP touchpoints) {
  size_t n_set = 0, n_set_to = 0, n_edge = 0, n_edge_to = 0, n_tp = 0;
  const char** sf = opt_strings(set_from, "set_probabilities$from", &n_set);
  const char** st = opt_strings(set_to, "set_probabilities$to", &n_set_to);
  const char** ef = opt_strings(edge_from, "remove_edges$from", &n_edge);
  const char** et = opt_strings(edge_to, "remove_edges$to", &n_edge_to);
  const char** tp = opt_strings(touchpoints, "remove_touchpoints", &n_tp);
  if (!Rf_isReal(set_p) || (size_t)Rf_xlength(set_p) != n_set || n_set_to != n_set)
    Rf_error("set_probabilities needs from, to and probability of the same length");
  if (n_edge_to != n_edge) Rf_error("remove_edges needs from and to of the same length");
  size_t n = n_set + n_edge + n_tp, k = 0;
  jg_what_if_edit* edits = (jg_what_if_edit*)R_alloc(n > 0 ? n : 1, sizeof(jg_what_if_edit));
  for (size_t i = 0; i < n_set; ++i, ++k) {
    edits[k].kind = JG_WHAT_IF_SET_PROBABILITY;
    edits[k].from = sf[i];
    edits[k].to = st[i];
    edits[k].probability = REAL(set_p)[i];
  }
  for (size_t i = 0; i < n_edge; ++i, ++k) {
    edits[k].kind = JG_WHAT_IF_REMOVE_EDGE;
    edits[k].from = ef[i];
    edits[k].to = et[i];
    edits[k].probability = 0;
  }
  for (size_t i = 0; i < n_tp; ++i, ++k) {
    edits[k].kind = JG_WHAT_IF_REMOVE_TOUCHPOINT;
    edits[k].from = tp[i];
    edits[k].to = NULL;
    edits[k].probability = 0;
  }
  jg_table* t = NULL;
  SEXP tag = TYPEOF(handle) == EXTPTRSXP ? R_ExternalPtrTag(handle) : R_NilValue;
  if (Rf_isString(tag) && strcmp(CHAR(STRING_ELT(tag, 0)), KIND_MAP.tag) == 0)
    JGR_CHECK(jg_map_what_if_table(jgr_handle(handle, &KIND_MAP, "map"), edits, n, &t));
  else
    JGR_CHECK(jg_model_what_if_table(jgr_handle(handle, &KIND_MODEL, "model"), edits, n, &t));
  return own_table(t);
}

/* list(transitions, attribution) */
SEXP jgr_map_compare(SEXP a, SEXP b, SEXP o) {
  jg_compare_options co;
  JGR_CHECK(jg_compare_options_init(&co, JG_COMPARE_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "alpha"))) co.alpha = opt_double(v, "alpha");
  jg_table* t[2] = {NULL, NULL};
  JGR_CHECK(jg_map_compare(jgr_handle(a, &KIND_MAP, "a"), jgr_handle(b, &KIND_MAP, "b"), &co, &t[0], &t[1], NULL));
  return own_tables(t);
}

/* ------------------------------------------------------------------------------------------ funnels */

static void funnel_options(SEXP o, jg_funnel_options* f) {
  JGR_CHECK(jg_funnel_options_init(f, JG_FUNNEL_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "steps"))) f->steps = opt_strings(v, "steps", &f->n_steps);
  if (has(v = opt(o, "order"))) f->order = opt_string(v, "order");
  if (has(v = opt(o, "window"))) f->window_seconds = opt_double(v, "window");
  if (has(v = opt(o, "exclusions"))) f->exclusions = opt_strings(v, "exclusions", &f->n_exclusions);
  if (has(v = opt(o, "stages"))) f->stages = jgr_handle(v, &KIND_STAGES, "stages");
  if (has(v = opt(o, "by_segment"))) f->by_segment = opt_flag(v, "by_segment");
  if (has(v = opt(o, "level"))) f->level = opt_double(v, "level");
  if (has(v = opt(o, "alpha"))) f->alpha = opt_double(v, "alpha");
}

SEXP jgr_event_funnel(SEXP j, SEXP o) {
  jg_funnel_options f;
  jg_exec_options exec;
  funnel_options(o, &f);
  exec_options(o, &exec);
  jg_table* t = NULL;
  JGR_CHECK(jg_event_funnel(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &f, &exec, &t));
  return own_table(t);
}

/* list(trends, curve) */
SEXP jgr_funnel_trends(SEXP j, SEXP o) {
  jg_funnel_options f;
  jg_trend_options tr;
  jg_exec_options exec;
  funnel_options(o, &f);
  exec_options(o, &exec);
  JGR_CHECK(jg_trend_options_init(&tr, JG_TREND_OPTIONS_VERSION));
  SEXP v;
  if (has(v = opt(o, "period"))) tr.period = opt_string(v, "period");
  if (has(v = opt(o, "horizon"))) tr.horizon_seconds = opt_double(v, "horizon");
  if (has(v = opt(o, "data_end"))) {
    double d = opt_double(v, "data_end");
    if (!R_FINITE(d)) Rf_error("option 'data_end' must be a finite time");
    tr.has_data_end = 1;
    tr.data_end = (int64_t)d;
  }
  jg_table* t[2] = {NULL, NULL};
  JGR_CHECK(jg_funnel_trends(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &f, &tr, &exec, &t[0], &t[1]));
  return own_tables(t);
}

/* list(steps, variants) */
SEXP jgr_explore_paths(SEXP j, SEXP o) {
  jg_path_explorer_options pe;
  jg_funnel_options f;
  jg_exec_options exec;
  JGR_CHECK(jg_path_explorer_options_init(&pe, JG_PATH_EXPLORER_OPTIONS_VERSION));
  exec_options(o, &exec);
  SEXP v;
  if (has(v = opt(o, "start"))) pe.start = opt_string(v, "start");
  if (has(v = opt(o, "end"))) pe.end = opt_string(v, "end");
  if (has(v = opt(o, "funnel"))) {
    funnel_options(v, &f);
    pe.funnel = &f;
  }
  if (has(v = opt(o, "from_step"))) pe.from_step = opt_size(v, "from_step");
  if (has(v = opt(o, "to_step"))) pe.to_step = opt_size(v, "to_step");
  if (has(v = opt(o, "drop_off"))) pe.drop_off = opt_flag(v, "drop_off");
  if (has(v = opt(o, "max_steps"))) pe.max_steps = opt_size(v, "max_steps");
  if (has(v = opt(o, "top"))) pe.top = opt_size(v, "top");
  if (has(v = opt(o, "variants"))) pe.variants = opt_size(v, "variants");
  if (has(v = opt(o, "stages"))) pe.stages = jgr_handle(v, &KIND_STAGES, "stages");
  jg_table* t[2] = {NULL, NULL};
  JGR_CHECK(jg_explore_paths(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &pe, &exec, &t[0], &t[1]));
  return own_tables(t);
}

SEXP jgr_drivers(SEXP j, SEXP o) {
  jg_driver_options d;
  jg_exec_options exec;
  JGR_CHECK(jg_driver_options_init(&d, JG_DRIVER_OPTIONS_VERSION));
  exec_options(o, &exec);
  SEXP v;
  if (has(v = opt(o, "touchpoints"))) d.touchpoints = opt_flag(v, "touchpoints");
  if (has(v = opt(o, "kgram2"))) d.kgram2 = opt_flag(v, "kgram2");
  if (has(v = opt(o, "kgram3"))) d.kgram3 = opt_flag(v, "kgram3");
  if (has(v = opt(o, "before"))) d.before = opt_flag(v, "before");
  if (has(v = opt(o, "at_least_max"))) d.at_least_max = opt_size(v, "at_least_max");
  if (has(v = opt(o, "features"))) d.features = opt_strings(v, "features", &d.n_features);
  if (has(v = opt(o, "min_support"))) d.min_support = opt_double(v, "min_support");
  if (has(v = opt(o, "target"))) d.target = opt_string(v, "target");
  if (has(v = opt(o, "after"))) d.after = opt_string(v, "after");
  if (has(v = opt(o, "length_strata"))) d.length_strata = opt_size(v, "length_strata");
  if (has(v = opt(o, "level"))) d.level = opt_double(v, "level");
  if (has(v = opt(o, "alpha"))) d.alpha = opt_double(v, "alpha");
  if (has(v = opt(o, "stages"))) d.stages = jgr_handle(v, &KIND_STAGES, "stages");
  jg_table* t = NULL;
  JGR_CHECK(jg_conversion_drivers(jgr_handle(j, &KIND_JOURNEYS, "journeys"), &d, &exec, &t));
  return own_table(t);
}

/* ------------------------------------------------------------------------------------------ shared (glue.h) */

#include "glue.h"

void jgr_raise(jg_status status) { jgr_fail(status); }
jg_journeys* jgr_journeys_arg(SEXP x, const char* what) { return jgr_handle(x, &KIND_JOURNEYS, what); }
jg_model* jgr_model_arg(SEXP x, const char* what) { return jgr_handle(x, &KIND_MODEL, what); }
SEXP jgr_attribution_wrap(jg_attribution* attribution) { return jgr_wrap(attribution, &KIND_ATTRIBUTION); }
SEXP jgr_table_result(jg_table* t) { return own_table(t); }
SEXP jgr_opt(SEXP list, const char* name) { return opt(list, name); }
double jgr_opt_double(SEXP v, const char* name) { return opt_double(v, name); }
size_t jgr_opt_size(SEXP v, const char* name) { return opt_size(v, name); }
const char* jgr_opt_string(SEXP v, const char* name) { return opt_string(v, name); }
const char** jgr_opt_strings(SEXP v, const char* name, size_t* out_n) { return opt_strings(v, name, out_n); }
void jgr_exec_options(SEXP o, jg_exec_options* exec) { exec_options(o, exec); }
void jgr_model_options(SEXP o, jg_model_options* model) { model_options(o, model); }
void jgr_attribution_options(SEXP o, jg_attribution_options* a, jg_model_options* model) {
  attribution_options(o, a, model);
}
const char* jgr_frame_csv(SEXP cols, SEXP names, SEXP* out_keep, size_t* out_len) {
  jgr_buffer* text = frame_csv(cols, names, out_keep);
  *out_len = text->len;
  return text->data;
}
void jgr_frame_csv_release(SEXP keep) {
  buffer_finalize(keep);
  UNPROTECT(1);
}

/* ------------------------------------------------------------------------------------------ registration */

#define ENTRY(name, n) {#name, (DL_FUNC)&name, n}
static const R_CallMethodDef CALLS[] = {
    ENTRY(jgr_version, 0),          ENTRY(jgr_defaults, 0),        ENTRY(jgr_journeys_events, 5),
    ENTRY(jgr_journeys_paths, 5),   ENTRY(jgr_journeys_sample, 3), ENTRY(jgr_journeys_table, 2),
    ENTRY(jgr_journeys_info, 1),    ENTRY(jgr_report, 1),          ENTRY(jgr_model_fit, 2),
    ENTRY(jgr_model_transitions, 1), ENTRY(jgr_model_removal, 2),  ENTRY(jgr_model_save, 2),
    ENTRY(jgr_model_load, 2),       ENTRY(jgr_attribution_models, 1), ENTRY(jgr_attribute, 2),
    ENTRY(jgr_attribute_model, 2),  ENTRY(jgr_choose_order, 2),    ENTRY(jgr_stages, 4),
    ENTRY(jgr_stages_names, 1),     ENTRY(jgr_map, 3),             ENTRY(jgr_map_funnel, 1),
    ENTRY(jgr_map_nodes, 1),        ENTRY(jgr_map_edges, 1),       ENTRY(jgr_map_stage_flows, 1),
    ENTRY(jgr_map_pain_points, 2),  ENTRY(jgr_map_paths, 2),       ENTRY(jgr_map_info, 1),
    ENTRY(jgr_map_write, 4),        ENTRY(jgr_map_sankey, 2),      ENTRY(jgr_what_if, 7),
    ENTRY(jgr_map_compare, 3),      ENTRY(jgr_event_funnel, 2),    ENTRY(jgr_funnel_trends, 2),
    ENTRY(jgr_explore_paths, 2),    ENTRY(jgr_drivers, 2),
    /* credit.c and scoring.c */
    ENTRY(jgr_journey_credit, 2),   ENTRY(jgr_calibration, 2),     ENTRY(jgr_sequence_removal, 2),
    ENTRY(jgr_attribute_money, 6),  ENTRY(jgr_write_frame_csv, 3), ENTRY(jgr_score_histories, 3),
    ENTRY(jgr_score_open, 4),       {NULL, NULL, 0}};

void R_init_journeygraph(DllInfo* dll) {
  R_registerRoutines(dll, NULL, CALLS, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
