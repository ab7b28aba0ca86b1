# markov_model(Data, var_path, var_conv, var_value, var_null, order) and heuristic_models() as in
# ChannelAttribution, answered exactly: the reference answers of an independent exact solver
# (tests/data/reference/pathdata_expected.json) to 1e-9 relative, as the C++ reference test checks them.

reference <- function() jsonlite::fromJSON(project_file("tests", "data", "reference", "pathdata_expected.json"))

expect_close <- function(got, names, want, what, tol) {
  want <- unlist(want)[names]
  expect_false(anyNA(want), info = what)
  rel <- abs(got - want) / pmax(abs(want), 1e-300)
  expect(all(rel <= tol), sprintf("%s: largest relative error %g at %s", what, max(rel), names[which.max(rel)]))
}

test_that("markov_model(Data, ...) returns ChannelAttribution's columns with the exact answers", {
  expected <- reference()
  Data <- read.csv(reference_csv(), stringsAsFactors = FALSE)
  for (order in c(1, 3)) {
    want <- expected[[sprintf("order%d", order)]]
    res <- markov_model(Data, "path", "total_conversions", var_value = "total_conversion_value",
                        var_null = "total_null", order = order)
    expect_identical(names(res), c("channel_name", "total_conversions", "total_conversion_value"))
    expect_close(res$total_conversions, res$channel_name, want$attribution_conversions, "conversions", 1e-9)
    expect_close(res$total_conversion_value, res$channel_name, want$attribution_value, "value", 1e-9)
    expect_equal(sum(res$total_conversions), expected$totals$conversions, tolerance = 1e-12)
    more <- markov_model(Data, "path", "total_conversions", var_value = "total_conversion_value",
                         var_null = "total_null", order = order, out_more = TRUE, nsim_start = 1e5, seed = 1)
    expect_identical(names(more), c("result", "transition_matrix", "removal_effects"))
    expect_identical(more$result, res)
    re <- more$removal_effects
    expect_identical(names(re), c("channel_name", "removal_effects_conversion", "removal_effects_conversion_value"))
    expect_close(re$removal_effects_conversion, re$channel_name, want$removal_effect_conversions, "RE", 1e-9)
    expect_close(re$removal_effects_conversion_value, re$channel_name, want$removal_effect_value, "RE value", 1e-9)
    tm <- more$transition_matrix
    expect_identical(names(tm), c("channel_from", "channel_to", "transition_probability"))
    expect_equal(length(unique(tm$channel_from)), want$states)
    sums <- tapply(tm$transition_probability, tm$channel_from, sum)
    expect_true(all(abs(sums - 1) < 1e-12))
  }
})

test_that("markov_model without var_value or var_null", {
  Data <- read.csv(reference_csv(), stringsAsFactors = FALSE)
  res <- markov_model(Data, "path", "total_conversions")
  expect_identical(names(res), c("channel_name", "total_conversions"))
  expect_equal(sum(res$total_conversions), sum(Data$total_conversions), tolerance = 1e-12)
})

test_that("heuristic_models(Data, ...) returns ChannelAttribution's columns with the exact answers", {
  expected <- reference()
  Data <- read.csv(reference_csv(), stringsAsFactors = FALSE)
  res <- heuristic_models(Data, "path", "total_conversions", var_value = "total_conversion_value")
  for (key in c("first_touch", "last_touch", "linear_touch")) {
    for (measure in c("conversions", "value")) {
      col <- paste(key, measure, sep = "_")
      expect_close(res[[col]], res$channel_name, expected$heuristics[[col]], col, 1e-12)
    }
  }
})
