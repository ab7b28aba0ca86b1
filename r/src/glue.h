/* What glue.c shares with the other glue files (credit.c, scoring.c): its error path, handles, option readers
 * and the one table converter, so that every .Call entry translates R values the same way. Each is a thin
 * name for glue.c's own static function; see there for the rules. */
#ifndef JOURNEYGRAPH_R_GLUE_H
#define JOURNEYGRAPH_R_GLUE_H

#include <stddef.h>

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>

#include "journeygraph/journeygraph.h"

/* Signals the library's last error (message and status) as an R condition of class journeygraph_error.
 * Does not return: every handle the failing call owned must already be owned by an external pointer. */
void jgr_raise(jg_status status);

#define JGR_OK(expr)                              \
  do {                                            \
    jg_status jgr_ok_status_ = (expr);            \
    if (jgr_ok_status_ != JG_OK) jgr_raise(jgr_ok_status_); \
  } while (0)

/* The handle inside an R external pointer made by the glue, or an R error naming `what`. */
jg_journeys* jgr_journeys_arg(SEXP x, const char* what);
jg_model* jgr_model_arg(SEXP x, const char* what);

/* A new external pointer owning an attribution (freed by its finalizer). */
SEXP jgr_attribution_wrap(jg_attribution* attribution);

/* A jg_table into a data.frame (columns, attributes "table" and "meta"); takes ownership of t and frees it on
 * every path. */
SEXP jgr_table_result(jg_table* t);

/* Options from R's named lists: an absent or NULL entry keeps the library's default. */
SEXP jgr_opt(SEXP list, const char* name);
double jgr_opt_double(SEXP v, const char* name);
size_t jgr_opt_size(SEXP v, const char* name);
const char* jgr_opt_string(SEXP v, const char* name);
const char** jgr_opt_strings(SEXP v, const char* name, size_t* out_n);
void jgr_exec_options(SEXP o, jg_exec_options* exec);
void jgr_model_options(SEXP o, jg_model_options* model);
/* The attribution options of attribute() (models, chain, exclude, weights, half-life, coalition, bootstrap);
 * a->markov points to *model. */
void jgr_attribution_options(SEXP o, jg_attribution_options* a, jg_model_options* model);

/* The prepared columns of a data.frame (see the R side's frame_columns) as CSV text with a header row.
 * *out_keep is a protected external pointer owning the text: release it with jgr_frame_csv_release, which
 * also unprotects it. */
const char* jgr_frame_csv(SEXP cols, SEXP names, SEXP* out_keep, size_t* out_len);
void jgr_frame_csv_release(SEXP keep);

/* .Call entries of credit.c and scoring.c (registered by glue.c). */
SEXP jgr_journey_credit(SEXP j, SEXP o);
SEXP jgr_calibration(SEXP j, SEXP o);
SEXP jgr_sequence_removal(SEXP j, SEXP o);
SEXP jgr_attribute_money(SEXP j, SEXP o, SEXP spend_file, SEXP period, SEXP comparison, SEXP baseline);
SEXP jgr_write_frame_csv(SEXP cols, SEXP names, SEXP file);
SEXP jgr_score_histories(SEXP model, SEXP histories, SEXP o);
SEXP jgr_score_open(SEXP model, SEXP journeys, SEXP window, SEXP o);

#endif
