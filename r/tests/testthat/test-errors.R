# Every error path gives an R error of class journeygraph_error with the library's message.

hand <- data.frame(path = c("a > b", "b"), total_conversions = c(1, 0), total_null = c(1, 2),
                   stringsAsFactors = FALSE)

expect_jg_error <- function(expr, pattern, status = NULL) {
  err <- tryCatch({ expr; NULL }, journeygraph_error = function(e) e)
  expect(!is.null(err), "expected a journeygraph_error, got none")
  if (is.null(err)) return(invisible())
  expect_match(conditionMessage(err), pattern)
  if (!is.null(status)) expect_identical(err$status, status)
}

test_that("bad path data names the row, the column and the value", {
  bad <- data.frame(path = c("a > b", "b"), total_conversions = c(1, -2))
  expect_jg_error(journeys_from_paths(bad), "data.frame bad \\(line = row \\+ 1\\):3:.*total_conversions.*-2",
                  "JG_EPARSE")
  expect_jg_error(journeys_from_paths(hand, path = "route"), "route", "JG_EPARSE")
  expect_jg_error(journeys_from_paths(data.frame(path = "a,b,c", total_conversions = 1)), "separator")
  expect_jg_error(read_paths(tempfile()), "", "JG_EIO")
})

test_that("bad events name the value and the option that reads it", {
  ev <- data.frame(journey_id = 1, timestamp = "03/04/2026", touchpoint = "a", stringsAsFactors = FALSE)
  expect_jg_error(journeys_from_events(ev), "03/04/2026", "JG_EPARSE")
  ev$timestamp <- 1767261600000
  expect_jg_error(journeys_from_events(ev), "milliseconds|ms", "JG_EPARSE")
  expect_s3_class(journeys_from_events(ev, time_unit = "ms"), "jg_journeys")
  expect_error(journeys_from_events(ev, time_unit = "days"), "time_unit")
  expect_error(journeys_from_events(ev, lookback = "30 days"), "difftime")
  expect_error(journeys_from_events(ev, bogus = 1), "unknown argument")
})

test_that("named options are read by the library's parsers: its names, its message listing them", {
  ev <- data.frame(journey_id = 1, timestamp = 1767261600000, touchpoint = "a", stringsAsFactors = FALSE)
  expect_error(journeys_from_events(ev, time_unit = "sec"), "time_unit: .*sec.*s, ms, us, ns")
  j <- journeys_from_paths(hand)
  expect_error(markov_model(j, self_loops = "Keep"), "self_loops: .*Keep.*drop, keep")
  expect_error(journey_map(j, funnel_journeys = "every"), "funnel_journeys: .*every.*first, repeat, all")
  m <- journey_map(j)
  expect_error(pain_points(m, rank_by = "worst"), "rank_by: .*worst.*drop_offs, unconverted_exit_share")
  expect_error(report(m, tempfile(), format = "pdf"), "format: .*pdf.*dot, graphml")
  # The library's current names and the former ones give the same ranking.
  expect_identical(pain_points(m, rank_by = "exit_rate"), pain_points(m, rank_by = "unconverted_exit_share"))
  file <- tempfile(fileext = ".svg")
  report(m, file, format = "svg_sankey")
  again <- tempfile(fileext = ".svg")
  report(m, again, format = "sankey_svg")
  expect_identical(readLines(file), readLines(again))
})

test_that("bad models and options give the library's message", {
  j <- journeys_from_paths(hand)
  expect_jg_error(attribute(j, models = "nonsense"), "first_touch", "JG_EINVAL")
  expect_jg_error(markov_model(j, order = 0), "order", "JG_EINVAL")
  expect_jg_error(attribute(j, models = "time_decay"), "time", "JG_EINVAL")
  expect_jg_error(choose_order(j, max_order = 40), "max_order")
  no_conversions <- journeys_from_paths(data.frame(path = "a", total_conversions = 0, total_null = 1))
  expect_jg_error(removal_effects(markov_model(no_conversions)), "conversion", "JG_EDATA")
  expect_jg_error(attribute(no_conversions), "conversion", "JG_EDATA")
  expect_error(attribute(hand), "must be journeys")
  expect_error(attribute(j, bogus = 2), "unknown argument")
  expect_error(markov_model(hand), "var_path")
  expect_error(markov_model(j, var_null = "total_null"), "takes no other argument")
  expect_error(markov_model(j, bogus = 1), "unknown argument\\(s\\) bogus")
  expect_error(markov_model(hand, "path", "total_conversions", nsim = 10), "unknown argument\\(s\\) nsim")
  expect_error(heuristic_models(hand, "path", "total_conversions", NULL, ">", 3), "\\(unnamed\\)")
  expect_s3_class(heuristic_models(hand, "path", "total_conversions", flg_adv = FALSE), "data.frame")
})

test_that("maps and funnels report their errors", {
  j <- journeys_from_paths(hand)
  expect_jg_error(journey_map(j, stages = c(a = "early")), "b", "JG_EINVAL")
  expect_jg_error(journey_stages(data.frame(tp = "a", stage = "x")), "missing column 'touchpoint'", "JG_EPARSE")
  expect_jg_error(journey_stages(data.frame(touchpoint = c("a", "a"), stage = c("x", "y"))),
                  "stages \\(line = row \\+ 1\\):3:.*\"a\"", "JG_EPARSE")
  expect_jg_error(funnel(journey_map(j)), "stage", "JG_ESTATE")
  expect_error(pain_points(journey_map(j), rank_by = "size"), "rank_by")
  expect_jg_error(report(journey_map(j), file.path(tempfile(), "no", "such", "dir.html")), "", "JG_EIO")
  expect_jg_error(event_funnel(j, "zzz"), "zzz", "JG_EINVAL")
  expect_jg_error(funnel_trends(j, "a", window = 86400), "timestamps", "JG_ESTATE")
})

test_that("a handle from an earlier session is refused, not dereferenced", {
  j <- journeys_from_paths(hand)
  file <- tempfile(fileext = ".rds")
  on.exit(unlink(file))
  saveRDS(j, file)
  expect_error(attribute(readRDS(file)), "released handle")
})
