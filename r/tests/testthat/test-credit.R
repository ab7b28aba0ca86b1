# Every journey's credit, calibration, sequence removal effects, open-journey scores and the money tables: the
# numbers of the command line on the same input (to 1e-12), hand-worked cases, and docs/tables.md's columns.

# A small event log: customer "u1" converts twice (two parts), "u2" never.
small_events <- function() {
  data.frame(journey_id = c("u1", "u1", "u1", "u1", "u1", "u2"),
             timestamp = c(1, 2, 3, 4, 5, 1) + 1.7e9,
             touchpoint = c("search", "email", "web", "search", "web", "email"),
             conversion = c(FALSE, FALSE, TRUE, FALSE, TRUE, FALSE),
             value = c(0, 0, 30, 0, 10, 0), stringsAsFactors = FALSE)
}

events_file <- function(df) {
  file <- tempfile("events", fileext = ".csv")
  write.csv(df, file, row.names = FALSE)
  file
}

test_that("journey_credit splits each journey by the hand-worked rules", {
  credit <- journey_credit(journeys_from_events(small_events()), models = c("first_touch", "linear"))
  expect_documented(credit, "journey_credit")
  key <- paste(credit$journey, credit$part, credit$model, credit$touchpoint)
  want <- c("u1 1 first_touch search" = 1, "u1 2 first_touch search" = 1,
            "u1 1 linear search" = 1 / 3, "u1 1 linear email" = 1 / 3, "u1 1 linear web" = 1 / 3,
            "u1 2 linear search" = 1 / 2, "u1 2 linear web" = 1 / 2)
  want_value <- c(30, 10, 10, 10, 10, 5, 5)
  expect_setequal(key, names(want))
  expect_numbers(credit$conversions[match(names(want), key)], unname(want), "conversions")
  expect_numbers(credit$value[match(names(want), key)], want_value, "value")
  expect_true(all(credit$in_journey))
  expect_identical(attr(credit, "meta")$models, "first_touch,linear")
})

test_that("journey_credit equals the command line's credit on paths and on events", {
  paths <- reference_csv()
  got <- journey_credit(read_paths(paths), models = c("markov", "linear", "first_touch"), order = 2)
  want <- cli_csv(c("credit", paths, "--paths", "--models", "markov,linear,first_touch", "--order", "2"))
  expect_table(got, want, "journey_credit (paths)")
  expect_documented(got, "journey_credit")

  events <- events_file(small_events())
  got <- journey_credit(read_events(events), models = c("markov", "position_based"), position_weights = c(0.3, 0.5))
  want <- cli_csv(c("credit", events, "--events", "--models", "markov,position_based", "--position-weights",
                    "0.3,0.5"))
  expect_table(got, want, "journey_credit (events)")
  expect_identical(got, journey_credit(journeys_from_events(small_events()), models = c("markov", "position_based"),
                                       position_weights = c(0.3, 0.5)))
})

test_that("a calibration adds the calibrated rows of the command line, and calibration_table the gap", {
  paths <- reference_csv()
  journeys <- read_paths(paths)
  external <- c(alpha = 4000, eta = 3000.5, iota = 0)
  got <- journey_credit(journeys, models = "markov", calibration = external, max_iterations = 500)
  cal <- tempfile("calibration", fileext = ".csv")
  write.csv(data.frame(touchpoint = names(external), conversions = unname(external)), cal, row.names = FALSE)
  want <- cli_csv(c("credit", paths, "--paths", "--models", "markov", "--calibrate", cal, "--max-iterations", "500"))
  expect_table(got, want, "journey_credit (calibrated)")
  expect_true(all(c("markov", "calibrated") %in% got$model))

  table <- calibration_table(journeys, as.list(external))
  expect_documented(table, "calibration")
  markov <- cli_csv(c("attribute", paths, "--paths", "--models", "markov"))
  expect_identical(table$touchpoint, markov$touchpoint)
  expect_numbers(table$model_conversions, markov$markov, "model_conversions")
  ext <- unname(external[table$touchpoint])
  expect_numbers(table$external_conversions, ext, "external_conversions")
  expect_numbers(table$difference, table$model_conversions - ext, "difference")
  expect_numbers(table$ratio, ifelse(ext == 0, NA, table$model_conversions / ext), "ratio")
  expect_identical(attr(table, "meta")$model, "markov")
})

test_that("sequence_removal_effects equals the command line's sequences", {
  paths <- reference_csv()
  journeys <- read_paths(paths)
  got <- sequence_removal_effects(journeys, "alpha>eta,iota>beta", top = 3, order = 2)
  want <- cli_csv(c("sequences", paths, "--paths", "--sequences", "alpha>eta,iota>beta", "--top", "3",
                    "--order", "2"))
  expect_table(got, want, "sequence_removal_effects")
  expect_documented(got, "sequence_removal_effects")
  expect_identical(sequence_removal_effects(journeys, list(c("alpha", "eta"), c("iota", "beta")), top = 3, order = 2),
                   got)
  got <- sequence_removal_effects(journeys, top = 4, length = 1, self_loops = "keep")
  want <- cli_csv(c("sequences", paths, "--paths", "--top", "4", "--length", "1", "--self-loops", "keep"))
  expect_table(got, want, "sequence_removal_effects (top)")
})

test_that("score_histories equals the command line's score of a saved model", {
  paths <- reference_csv()
  model <- markov_model(read_paths(paths), order = 2)
  saved <- tempfile("model", fileext = ".jgm")
  save_model(model, saved)
  got <- score_histories(model, read_paths(paths))
  want <- cli_csv(c("score", saved, "--histories", paths, "--paths"))
  expect_table(got, want, "scores")
  expect_documented(got, "scores")
  # Lists of touchpoint names are histories keyed by their position (0-based), as the rows of a paths file.
  lists <- list(c("alpha", "eta"), "iota", c("unknown", "beta", "beta"))
  got <- score_histories(model, lists)
  file <- tempfile("histories", fileext = ".csv")
  writeLines(c("path,total_conversions", "alpha > eta,0", "iota,0", "unknown > beta > beta,0"), file)
  want <- cli_csv(c("score", saved, "--histories", file, "--paths"))
  expect_table(got, want, "scores (lists)")
  expect_identical(attr(got, "meta")$unknown_touches, 1)
})

test_that("score_open equals the command line's open journeys", {
  events <- run_cli(c("generate", "--sample", "--journeys", "3000", "--seed", "7"))
  journeys <- read_events(events)
  model <- markov_model(journeys, order = 1)
  saved <- tempfile("model", fileext = ".jgm")
  save_model(model, saved)
  got <- score_open(journeys, model, window = as.difftime(7, units = "days"))
  want <- cli_csv(c("score", saved, "--open", "--histories", events, "--events", "--window", "7d"))
  expect_table(got, want, "scores (open)")
  expect_documented(got, "scores")
  expect_identical(attr(got, "meta")$window, 7 * 86400)
  expect_identical(score_open(journeys, model, window = 7 * 86400), got)
})

test_that("attribute(spend =) adds the command line's money table and model comparison", {
  paths <- reference_csv()
  journeys <- read_paths(paths)
  spend <- data.frame(touchpoint = c("alpha", "eta", "iota", "nowhere"), spend = c(1000.5, 2000, 1 / 3, 50),
                      stringsAsFactors = FALSE)
  file <- tempfile("spend", fileext = ".csv")
  writeLines(c("touchpoint,spend", "alpha,1000.5", "eta,2000", "iota,0.33333333333333331", "nowhere,50"), file)
  got <- attribute(journeys, models = c("markov", "linear", "last_touch"), spend = spend)
  want <- cli_json(c("attribute", paths, "--paths", "--models", "markov,linear,last_touch", "--spend", file))
  expect_identical(attribute(journeys, models = c("markov", "linear", "last_touch"), spend = file), got)
  money <- attr(got, "money")
  expect_documented(money, "money")
  expect_table(money, want$money$rows, "money")
  comparison <- attr(got, "model_comparison")
  expect_documented(comparison, "model_comparison")
  expect_table(comparison, want$model_comparison$rows, "model_comparison")
  expect_identical(attr(comparison, "meta")$baseline, "last_touch")
  # The ratios by hand, from the attribution's credit and the spend.
  markov <- money[money$model == "markov" & money$status == "ok", ]
  credit <- got[match(markov$touchpoint, got$touchpoint), ]
  expect_numbers(markov$cost_per_conversion, markov$spend / credit$markov, "cost_per_conversion")
  expect_numbers(markov$roas, credit$markov_value / markov$spend, "roas")
  expect_identical(money$status[money$touchpoint == "nowhere"], rep("no_credit", 3))

  # A bootstrap gives the intervals; a baseline alone gives the comparison.
  boot <- attr(attribute(journeys, models = "markov", bootstrap = 20, seed = 3, spend = spend), "money")
  want <- cli_json(c("attribute", paths, "--paths", "--models", "markov", "--bootstrap", "20", "--seed", "3",
                     "--spend", file))
  expect_table(boot, want$money$rows, "money (bootstrap)")
  expect_true(all(c("roas_lower", "roas_upper") %in% names(boot)))
  expect_identical(boot$cost_per_conversion_upper[boot$touchpoint == "nowhere"], Inf)
  only <- attribute(journeys, models = c("markov", "linear"), baseline = "linear")
  expect_null(attr(only, "money"))
  want <- cli_json(c("attribute", paths, "--paths", "--models", "markov,linear", "--baseline", "linear"))
  expect_table(attr(only, "model_comparison"), want$model_comparison$rows, "model_comparison (baseline)")
})

test_that("the comparison's default baseline is the library's: last_touch when computed, else the first model", {
  journeys <- read_paths(reference_csv())
  spend <- data.frame(touchpoint = c("alpha", "eta"), spend = c(10, 20), stringsAsFactors = FALSE)
  with_last <- attribute(journeys, models = c("linear", "last_touch", "markov"), spend = spend)
  comparison <- attr(with_last, "model_comparison")
  expect_identical(attr(comparison, "meta")$baseline, "last_touch")
  expect_identical(sort(unique(comparison$model)), c("linear", "markov"))
  at <- match(comparison$touchpoint, with_last$touchpoint)
  expect_numbers(comparison$baseline_conversions, with_last$last_touch[at], "baseline_conversions")
  without <- attribute(journeys, models = c("linear", "markov"), spend = spend)
  comparison <- attr(without, "model_comparison")
  expect_identical(attr(comparison, "meta")$baseline, "linear")
  expect_identical(unique(comparison$model), "markov")
  at <- match(comparison$touchpoint, without$touchpoint)
  expect_numbers(comparison$baseline_conversions, without$linear[at], "baseline_conversions")
})

test_that("spend periods select rows as on the command line", {
  paths <- reference_csv()
  journeys <- read_paths(paths)
  spend <- data.frame(touchpoint = c("alpha", "alpha", "eta"), spend = c(10, 20, 5), period = c("jan", "feb", "jan"))
  file <- tempfile("spend", fileext = ".csv")
  writeLines(c("touchpoint,spend,period", "alpha,10,jan", "alpha,20,feb", "eta,5,jan"), file)
  got <- attr(attribute(journeys, models = "markov", spend = spend, spend_period = "jan"), "money")
  want <- cli_json(c("attribute", paths, "--paths", "--models", "markov", "--spend", file, "--spend-period", "jan"))
  expect_table(got, want$money$rows, "money (period)")
  expect_identical(got$spend[got$touchpoint %in% c("alpha", "eta")], c(10, 5))
})

test_that("bad arguments are R errors naming the value, and the library's errors keep its message", {
  journeys <- read_paths(reference_csv())
  err <- tryCatch(journey_credit(journeys, calibration = c(nowhere = 1)), journeygraph_error = function(e) e)
  expect_s3_class(err, "journeygraph_error")
  expect_match(conditionMessage(err), "nowhere")
  expect_error(journey_credit(journeys, calibration = c(1, 2)), "named numeric vector")
  expect_error(journey_credit(journeys, calibration = c(alpha = NA_real_)), "alpha")
  expect_error(journey_credit(journeys, calibration_model = "linear"), "needs calibration")
  expect_error(journey_credit(journeys, max_iterations = 0), class = "journeygraph_error")
  expect_error(journey_credit(journeys, orders = 2), "unknown argument")
  expect_error(journey_credit(list()), "must be journeys")
  expect_error(calibration_table(journeys, c(alpha = 1), model = NA), "one model name")
  expect_error(sequence_removal_effects(journeys), "give sequences")
  expect_error(sequence_removal_effects(journeys, list(c("a>b", "c"))), "holds '>'")
  expect_error(sequence_removal_effects(journeys, NA), "sequences must be")
  expect_error(sequence_removal_effects(journeys, "alpha>eta>iota"), "order", class = "journeygraph_error")
  model <- markov_model(journeys)
  expect_error(score_histories(model, "alpha"), "list of character vectors")
  expect_error(score_histories(model, list(c("alpha", NA))), "history 1")
  expect_error(score_histories(journeys, list("alpha")), "fitted model")
  expect_error(score_open(journeys, model), "needs window")
  expect_error(score_open(journeys, window = 10), "needs a fitted model")
  expect_error(score_open(journeys, model, window = 10), "timestamps", class = "journeygraph_error")
  expect_error(attribute(journeys, spend_period = "jan"), "spend_period needs spend")
  expect_error(attribute(model, spend = "x.csv"), "need the journeys")
  bad <- data.frame(touchpoint = c("alpha", "eta"), spend = c("1", "lots"))
  err <- tryCatch(attribute(journeys, spend = bad), journeygraph_error = function(e) e)
  expect_match(conditionMessage(err), "data.frame bad (line = row + 1):3:", fixed = TRUE)
  expect_match(conditionMessage(err), "lots", fixed = TRUE)
  expect_error(attribute(journeys, spend = file.path(tempdir(), "missing.csv")), "missing.csv",
               class = "journeygraph_error")
})

test_that("per-journey credit, sequences and scores are the same bits for any number of threads", {
  journeys <- sample_journeys(customers = 3000, seed = 5)
  one <- journey_credit(journeys, models = c("markov", "shapley"), order = 2, threads = 1)
  expect_identical(journey_credit(journeys, models = c("markov", "shapley"), order = 2, threads = 2), one)
  expect_identical(sequence_removal_effects(journeys, top = 5, order = 2, threads = 2),
                   sequence_removal_effects(journeys, top = 5, order = 2, threads = 1))
  model <- markov_model(journeys, order = 2, threads = 1)
  expect_identical(score_histories(model, journeys, threads = 2), score_histories(model, journeys, threads = 1))
})
