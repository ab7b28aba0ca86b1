/* attribute: the attribution table of an aggregated paths CSV, through journeygraph's C ABI.
 *
 *   usage: attribute PATHS.csv [ORDER]
 *
 * PATHS.csv is in ChannelAttribution's format (path, total_conversions, total_null,
 * total_conversion_value). Every attribution model the library has that applies to the data is run (exact
 * Markov removal effects of order ORDER, default 1, Shapley and the heuristics; time_decay needs
 * timestamps, which aggregated paths do not have); the table goes to stdout as CSV, one row per
 * touchpoint, with each model's credit in conversions and in value. Errors go to stderr with the
 * library's message (file:line:column for malformed input) and exit status 1. */

#include <stdio.h>
#include <stdlib.h>

#include <journeygraph/journeygraph.h>

static int fail(const char* what) {
  fprintf(stderr, "attribute: %s: %s\n", what, jg_last_error_message());
  return 1;
}

int main(int argc, char** argv) {
  jg_journeys* journeys = NULL;
  jg_attribution* attribution = NULL;
  jg_attribution_options options = JG_ATTRIBUTION_OPTIONS_INIT;
  jg_model_options chain = JG_MODEL_OPTIONS_INIT;
  jg_attribution_info info = JG_ATTRIBUTION_INFO_INIT;
  const char** models = NULL;
  double** columns = NULL;
  size_t n_models = 0, n_columns = 0, i, m;
  int status = 1;

  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s PATHS.csv [ORDER]\n", argv[0]);
    return 2;
  }
  if (argc == 3) {
    char* end = NULL;
    long order = strtol(argv[2], &end, 10);
    if (*argv[2] == '\0' || *end != '\0' || order < 1 || order > 16) {
      fprintf(stderr, "attribute: ORDER must be an integer in 1..16, got '%s'\n", argv[2]);
      return 2;
    }
    chain.order = (unsigned)order;
  }

  if (jg_journeys_read_paths_csv(argv[1], NULL, NULL, &journeys, NULL) != JG_OK) return fail("reading paths");

  /* Every model that applies to the journeys, asked by name: a size query, then the names. */
  if (jg_attribution_list_models_for(journeys, NULL, 0, &n_models) != JG_OK) {
    fail("listing models");
    goto done;
  }
  models = (const char**)malloc(n_models * sizeof *models);
  if (models == NULL || jg_attribution_list_models_for(journeys, models, n_models, &n_models) != JG_OK) {
    fail("listing models");
    goto done;
  }
  options.models = models;
  options.n_models = n_models;
  options.markov = &chain;
  if (jg_attribution_create(journeys, &options, NULL, &attribution) != JG_OK) {
    fail("attributing");
    goto done;
  }
  if (jg_attribution_get_info(attribution, &info) != JG_OK) {
    fail("reading the attribution");
    goto done;
  }

  /* Two columns per model: credit in conversions, then in value. */
  n_columns = 2 * info.n_models;
  columns = (double**)calloc(n_columns, sizeof *columns);
  if (columns == NULL) {
    fprintf(stderr, "attribute: out of memory\n");
    goto done;
  }
  for (m = 0; m < info.n_models; ++m) {
    const char* name = NULL;
    size_t len = 0;
    columns[2 * m] = (double*)malloc((info.n_touchpoints + 1) * sizeof(double));
    columns[2 * m + 1] = (double*)malloc((info.n_touchpoints + 1) * sizeof(double));
    if (columns[2 * m] == NULL || columns[2 * m + 1] == NULL) {
      fprintf(stderr, "attribute: out of memory\n");
      goto done;
    }
    if (jg_attribution_model_name(attribution, m, &name) != JG_OK ||
        jg_attribution_conversions(attribution, name, columns[2 * m], info.n_touchpoints, &len) != JG_OK ||
        jg_attribution_value(attribution, name, columns[2 * m + 1], info.n_touchpoints, &len) != JG_OK) {
      fail("reading a model's credit");
      goto done;
    }
  }

  printf("touchpoint");
  for (m = 0; m < info.n_models; ++m) {
    const char* name = NULL;
    jg_attribution_model_name(attribution, m, &name);
    printf(",%s,%s_value", name, name);
  }
  printf("\n");
  for (i = 0; i < info.n_touchpoints; ++i) {
    const char* touchpoint = NULL;
    if (jg_attribution_touchpoint_name(attribution, i, &touchpoint) != JG_OK) {
      fail("reading a touchpoint");
      goto done;
    }
    printf("%s", touchpoint);
    for (m = 0; m < n_columns; ++m) printf(",%.17g", columns[m][i]);
    printf("\n");
  }
  status = 0;

done:
  if (columns != NULL)
    for (m = 0; m < n_columns; ++m) free(columns[m]);
  free(columns);
  free(models);
  jg_attribution_free(attribution);
  jg_journeys_free(journeys);
  return status;
}
