/* The .Call glue of open-journey scoring: P(conversion | the touches so far), the expected value and the
 * touches to go of journeys that have not ended, from a fitted model. It only translates (see glue.c). */
#include "glue.h"

/* Every journey of `histories` scored as an open history: the table scores. */
SEXP jgr_score_histories(SEXP model, SEXP histories, SEXP o) {
  jg_exec_options exec;
  jgr_exec_options(o, &exec);
  jg_table* t = NULL;
  JGR_OK(jg_score_histories(jgr_model_arg(model, "model"), jgr_journeys_arg(histories, "histories"), &exec, &t));
  return jgr_table_result(t);
}

/* The open journeys of an event log's journeys (no conversion, last touch within window seconds of the data's
 * end) scored: the table scores with the metadata window, data_end, journeys and open. */
SEXP jgr_score_open(SEXP model, SEXP journeys, SEXP window, SEXP o) {
  jg_exec_options exec;
  jgr_exec_options(o, &exec);
  double w = jgr_opt_double(window, "window");
  jg_table* t = NULL;
  JGR_OK(jg_score_open_journeys(jgr_model_arg(model, "model"), jgr_journeys_arg(journeys, "journeys"), w, &exec, &t));
  return jgr_table_result(t);
}
