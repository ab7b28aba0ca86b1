/* The .Call glue of every journey's credit, its calibration, sequence removal effects and the money tables of
 * an attribution. Like glue.c it only translates: options into the ABI's structs (an option R leaves NULL
 * keeps the struct's default), handles into external pointers, jg_table results into data.frames. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "glue.h"

static int given(SEXP v) { return !Rf_isNull(v); }

/* The credit options: most proportional-fitting passes and the calibration (touchpoint names and their
 * external incremental conversions, the model calibrated). Arrays are borrowed from R for the call. */
static void credit_options(SEXP o, jg_credit_options* c) {
  JGR_OK(jg_credit_options_init(c, JG_CREDIT_OPTIONS_VERSION));
  SEXP v;
  if (given(v = jgr_opt(o, "max_iterations"))) c->max_iterations = jgr_opt_size(v, "max_iterations");
  if (given(v = jgr_opt(o, "calibration_model"))) c->calibration_model = jgr_opt_string(v, "calibration_model");
  SEXP names = jgr_opt(o, "calibration_touchpoints"), values = jgr_opt(o, "calibration_conversions");
  if (given(names) != given(values)) Rf_error("calibration needs both touchpoint names and their conversions");
  if (!given(names)) return;
  size_t n = 0;
  c->calibration_touchpoints = jgr_opt_strings(names, "calibration", &n);
  if (TYPEOF(values) != REALSXP || (size_t)Rf_xlength(values) != n)
    Rf_error("calibration: %lu touchpoint names but %ld conversions (give a named numeric vector)", (unsigned long)n,
             (long)Rf_xlength(values));
  c->calibration_conversions = REAL(values);
  c->n_calibration = n;
}

/* A table of the journeys' credit under the attribution and credit options of `o`: credit or calibration. */
typedef jg_status (*credit_fn)(const jg_journeys*, const jg_attribution_options*, const jg_credit_options*,
                               const jg_exec_options*, jg_table**);
static SEXP credit_table(SEXP j, SEXP o, credit_fn fn) {
  jg_attribution_options a;
  jg_model_options m;
  jg_credit_options c;
  jg_exec_options exec;
  jgr_attribution_options(o, &a, &m);
  credit_options(o, &c);
  jgr_exec_options(o, &exec);
  jg_table* t = NULL;
  JGR_OK(fn(jgr_journeys_arg(j, "journeys"), &a, &c, &exec, &t));
  return jgr_table_result(t);
}

/* Every journey's credit: the table journey_credit. */
SEXP jgr_journey_credit(SEXP j, SEXP o) { return credit_table(j, o, jg_journeys_credit); }

/* A model's touchpoint totals against the external figures: the table calibration. */
SEXP jgr_calibration(SEXP j, SEXP o) { return credit_table(j, o, jg_journeys_calibration); }

/* Removal effects of touchpoint sequences: the table sequence_removal_effects. */
SEXP jgr_sequence_removal(SEXP j, SEXP o) {
  jg_model_options m;
  jg_sequence_options s;
  jg_exec_options exec;
  jgr_model_options(o, &m);
  jgr_exec_options(o, &exec);
  JGR_OK(jg_sequence_options_init(&s, JG_SEQUENCE_OPTIONS_VERSION));
  SEXP v;
  if (given(v = jgr_opt(o, "sequences"))) s.sequences = jgr_opt_string(v, "sequences");
  if (given(v = jgr_opt(o, "top"))) s.top_n = jgr_opt_size(v, "top");
  if (given(v = jgr_opt(o, "length"))) s.top_length = jgr_opt_size(v, "length");
  jg_table* t = NULL;
  JGR_OK(jg_journeys_sequence_removal(jgr_journeys_arg(j, "journeys"), &m, &s, &exec, &t));
  return jgr_table_result(t);
}

/* The attribution with its money table (spend_file non-NULL: the spend CSV, period NULL for every row) and its
 * model comparison (comparison TRUE; baseline NULL: the library's default baseline), as
 * list(attribution, money or NULL, model_comparison or NULL). */
SEXP jgr_attribute_money(SEXP j, SEXP o, SEXP spend_file, SEXP period, SEXP comparison, SEXP baseline) {
  jg_attribution_options a;
  jg_model_options m;
  jg_exec_options exec;
  jgr_attribution_options(o, &a, &m);
  jgr_exec_options(o, &exec);
  const char* file = given(spend_file) ? jgr_opt_string(spend_file, "spend") : NULL;
  const char* spend_period = given(period) ? jgr_opt_string(period, "spend_period") : NULL;
  const char* base = given(baseline) ? jgr_opt_string(baseline, "baseline") : NULL;
  int compare = Rf_asLogical(comparison) == 1;
  jg_attribution* attribution = NULL;
  JGR_OK(jg_attribution_create(jgr_journeys_arg(j, "journeys"), &a, &exec, &attribution));
  SEXP keep = PROTECT(jgr_attribution_wrap(attribution)); /* frees it on every path, R errors included */
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 3));
  jg_table* t = NULL;
  JGR_OK(jg_attribution_table(attribution, &t));
  SET_VECTOR_ELT(out, 0, jgr_table_result(t));
  if (file != NULL) {
    t = NULL;
    JGR_OK(jg_attribution_money_table(attribution, file, spend_period, &t));
    SET_VECTOR_ELT(out, 1, jgr_table_result(t));
  }
  if (compare) {
    t = NULL;
    JGR_OK(jg_attribution_comparison_table(attribution, base, &t));
    SET_VECTOR_ELT(out, 2, jgr_table_result(t));
  }
  SEXP names = PROTECT(Rf_allocVector(STRSXP, 3));
  SET_STRING_ELT(names, 0, Rf_mkChar("attribution"));
  SET_STRING_ELT(names, 1, Rf_mkChar("money"));
  SET_STRING_ELT(names, 2, Rf_mkChar("model_comparison"));
  Rf_setAttrib(out, R_NamesSymbol, names);
  (void)keep;
  UNPROTECT(3);
  return out;
}

/* Writes a data.frame's prepared columns as CSV text (header row, numbers that read back to the same bits) to
 * file, for the library's readers of files; every write is checked. */
SEXP jgr_write_frame_csv(SEXP cols, SEXP names, SEXP file) {
  const char* path = jgr_opt_string(file, "file");
  SEXP keep;
  size_t len = 0;
  const char* text = jgr_frame_csv(cols, names, &keep, &len);
  FILE* f = fopen(path, "wb");
  int ok = f != NULL && fwrite(text, 1, len, f) == len;
  if (f != NULL && fclose(f) != 0) ok = 0;
  jgr_frame_csv_release(keep);
  if (!ok) Rf_error("cannot write %s: %s", path, strerror(errno));
  return R_NilValue;
}
