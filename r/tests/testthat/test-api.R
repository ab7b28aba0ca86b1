# The R API on small cases worked out by hand, and on the retailer sample.

hand <- data.frame(path = c("a > b", "b"), total_conversions = c(1, 0), total_null = c(1, 2),
                   stringsAsFactors = FALSE)

test_that("a hand-worked chain: removal effects and Markov credit", {
  # START -> a 1/2, START -> b 1/2, a -> b 1, b -> (conversion) 1/4, b -> (null) 3/4: P(conversion) = 1/4.
  # Without a: 1/2 * 1/4 = 1/8, RE_a = 1/2; without b: 0, RE_b = 1; credit RE / sum(RE) * 1 conversion.
  model <- markov_model(journeys_from_paths(hand))
  re <- removal_effects(model)
  expect_identical(re$touchpoint, c("a", "b"))
  expect_equal(re$removal_effect, c(0.5, 1), tolerance = 1e-12)
  expect_equal(re$conversions, c(1 / 3, 2 / 3), tolerance = 1e-12)
  expect_equal(attr(re, "meta")$conversion_probability, 0.25, tolerance = 1e-12)
  tr <- transitions(model)
  key <- paste(tr$from, tr$to)
  expect_setequal(key, c("(start) a", "(start) b", "a b", "b (conversion)", "b (null)"))
  expect_equal(tr$probability[key == "b (conversion)"], 0.25, tolerance = 1e-15)
  expect_identical(attr(tr, "table"), "transitions")
  credit <- attribute(journeys_from_paths(hand), models = c("markov", "first_touch", "last_touch", "linear"))
  expect_equal(credit$markov, c(1 / 3, 2 / 3), tolerance = 1e-12)
  expect_equal(credit$first_touch, c(1, 0))
  expect_equal(credit$last_touch, c(0, 1))
  expect_equal(credit$linear, c(0.5, 0.5))
  expect_equal(attribute(model)$markov, credit$markov, tolerance = 0)
})

test_that("events without a time column keep the table's order; a segment column gives segments", {
  ev <- data.frame(journey_id = c("x", "y", "x", "x"), touchpoint = c("b", "a", "a", "c"),
                   conversion = c(0, 0, 0, 1), device = c("m", "d", "m", "m"), stringsAsFactors = FALSE)
  j <- journeys_from_events(ev, time = NA, segment = "device")
  tab <- journeys_table(j)
  expect_identical(tab$path, c("b > a > c", "a"))
  expect_identical(tab$segment, c("m", "d"))
  expect_equal(summary(j)[["segments"]], 2)
  expect_true(any(grepl("device", build_report(j)$notes)))
})

test_that("a saved model loads with identical numbers", {
  model <- markov_model(journeys_from_paths(hand), order = 2)
  file <- tempfile(fileext = ".jgm")
  on.exit(unlink(file))
  save_model(model, file)
  expect_identical(transitions(load_model(file)), transitions(model))
})

test_that("journeys, their table and their build report", {
  j <- journeys_from_paths(hand)
  expect_output(print(j), "2 rows, 3 touches, 2 touchpoints, 1 conversions, 3 nulls")
  tab <- journeys_table(j)
  expect_identical(tab$path, c("a > b", "b"))
  expect_identical(tab$touches, c(2L, 1L))
  rep <- build_report(j)
  expect_type(rep$summary, "character")
  expect_true(any(grepl("total_conversion_value", rep$notes)))
  expect_equal(summary(j)[["total_nulls"]], 3)
})

test_that("bootstrap intervals are deterministic for a seed and bracket the estimate", {
  j <- journeys_from_paths(hand)
  a <- attribute(j, models = "markov", bootstrap = 20, ci = 0.9, seed = 7)
  b <- attribute(j, models = "markov", bootstrap = 20, ci = 0.9, seed = 7, threads = 1)
  expect_identical(a, b)
  expect_true(all(c("markov_se", "markov_lower", "markov_upper") %in% names(a)))
  expect_equal(attr(a, "meta")$confidence, 0.9)
})

test_that("choose_order states its recommendation and rule", {
  tab <- choose_order(sample_journeys(customers = 2000, seed = 1), max_order = 3)
  expect_identical(tab$order, 1:3)
  meta <- attr(tab, "meta")
  expect_true(meta$recommended_order %in% 1:3)
  expect_match(meta$rule, "standard error")
})

test_that("the journey map of the sample: funnel, pain points, paths, report", {
  sample <- sample_journeys(customers = 3000, seed = 3)
  map <- journey_map(sample, stages = "sample")
  expect_output(print(map), "journey map")
  fun <- funnel(map)
  expect_identical(fun$stage, c("awareness", "consideration", "purchase", "retention", "advocacy"))
  expect_equal(fun$advanced + fun$converted + fun$dropped, fun$journeys)
  pain <- pain_points(map, rank_by = "exit_rate")
  expect_identical(pain$rank, seq_len(nrow(pain)))
  expect_true("unconverted_exit_share" %in% names(pain))
  expect_true(all(diff(pain$unconverted_exit_share[!pain$small_sample]) <= 0))
  # conversions_at_risk is the Markov credit: it adds up to the total conversions.
  expect_equal(sum(pain_points(map)$conversions_at_risk), sum(journeys_table(sample)$conversions),
               tolerance = 1e-9)
  p <- paths(map, top = 5)
  expect_identical(names(p), c("variants", "probable", "lengths", "time_to_conversion"))
  expect_equal(nrow(p$variants), 5L)
  expect_true(all(p$probable$probability > 0 & p$probable$probability <= 1))
  expect_s3_class(map_edges(map), "data.frame")
  expect_s3_class(stage_flows(map), "data.frame")
  file <- tempfile(fileext = ".html")
  on.exit(unlink(file))
  report(map, file, title = "Sample")
  html <- paste(readLines(file, warn = FALSE), collapse = "\n")
  expect_match(html, "<html", fixed = TRUE)
  expect_match(html, "Sample", fixed = TRUE)
})

test_that("sankey flows, what-if edits and map comparisons", {
  sample <- sample_journeys(customers = 3000, seed = 3)
  map <- journey_map(sample, stages = "sample")
  weight <- sum(journeys_table(sample)$conversions + journeys_table(sample)$nulls)
  for (by in list(NULL, "stage", "touchpoint")) {
    s <- sankey(map, by = by, max_steps = 4)
    expect_identical(names(s)[1:4], c("step", "source", "target", "value"))
    # Every journey leaves step 1 by exactly one link.
    expect_equal(sum(s$value[s$step == 1]), weight, tolerance = 1e-12)
    expect_true(all(s$step <= 4))
  }
  expect_true(any(grepl("^1\\. awareness$", sankey(map)$source)))
  expect_true(any(grepl("^1\\. awareness$", sankey(map, by = "stage")$source)))
  expect_false(any(grepl("awareness", sankey(map, by = "touchpoint")$source)))
  expect_error(sankey(map, by = "channel"), "by must be")
  # Removing a touchpoint multiplies P(conversion) by 1 - its removal effect.
  pain <- pain_points(map)
  tp <- pain$touchpoint[1]
  w <- what_if(map, remove_touchpoints = tp)
  expect_identical(w$figure, c("conversion_probability", "expected_conversions", "expected_value"))
  expect_equal(w$after[1], w$before[1] * (1 - pain$removal_effect[1]), tolerance = 1e-12)
  expect_equal(w$change, w$after - w$before)
  # The map's chain is the order-1 model's: the same edits give the same bits on both.
  model <- markov_model(sample)
  edges <- map_edges(map)
  e <- edges[!(edges$target %in% c("(conversion)", "(null)")) & edges$source != "(start)", ][1, ]
  set <- data.frame(from = e$source, to = "(conversion)", probability = 0.5)
  cut <- data.frame(from = e$source, to = e$target)
  both <- list(what_if(map, set_probabilities = set, remove_edges = cut),
               what_if(model, set_probabilities = set, remove_edges = cut))
  expect_identical(both[[1]]$after, both[[2]]$after)
  expect_true(both[[1]]$after[1] > both[[1]]$before[1])
  expect_error(what_if(map, remove_touchpoints = "nowhere"), "nowhere", class = "journeygraph_error")
  expect_error(what_if(map, set_probabilities = data.frame(from = "a", to = "b")), "from, to and probability")
  # A map against itself: nothing differs.
  cmp <- compare_maps(map, map)
  expect_identical(names(cmp), c("transitions", "attribution"))
  expect_true(all(cmp$transitions$difference[!is.na(cmp$transitions$difference)] == 0))
  expect_false(any(cmp$transitions$significant))
  expect_true(all(cmp$attribution$difference == 0))
  halves <- list(journey_map(sample_journeys(customers = 3000, seed = 4)), journey_map(sample))
  expect_identical(names(compare_maps(halves[[1]], halves[[2]], alpha = 0.01)$attribution)[1:3],
                   c("touchpoint", "conversions_a", "conversions_b"))
  expect_error(compare_maps(map, model), "journey map")
})

test_that("stages from a data.frame keep a factor's level order", {
  st <- data.frame(touchpoint = c("b", "a"), stage = factor(c("late", "early"), levels = c("early", "late")))
  map <- journey_map(journeys_from_paths(hand), stages = st)
  expect_identical(funnel(map)$stage, c("early", "late"))
  expect_output(print(journey_stages(st)), "early > late")
})

test_that("funnels, trends, the path explorer and drivers on the sample", {
  sample <- sample_journeys(customers = 3000, seed = 3)
  f <- event_funnel(sample, c("display_ad|social_ad", "website", "(conversion)"))
  expect_identical(attr(f, "table"), "event_funnel")
  expect_true(all(diff(f$reached) <= 0))
  tr <- funnel_trends(sample, c("display_ad|social_ad", "(conversion)"), window = as.difftime(30, units = "days"),
                      period = "month")
  expect_identical(names(tr), c("trends", "curve"))
  expect_true(nrow(tr$trends) >= 1)
  ex <- explore_paths(sample, start = "website", max_steps = 3)
  expect_identical(names(ex), c("steps", "variants"))
  shares <- tapply(ex$steps$share, ex$steps$step, sum)
  expect_true(all(abs(shares - 1) < 1e-9))
  d <- conversion_drivers(sample, min_support = 50)
  expect_identical(attr(d, "table"), "drivers")
  expect_true(all(d$q_value >= 0 & d$q_value <= 1, na.rm = TRUE))
})

test_that("results are the same bits for any number of threads", {
  sample <- sample_journeys(customers = 5000, seed = 9)
  one <- attribute(sample, models = c("markov", "shapley", "linear"), order = 2, bootstrap = 10, seed = 3,
                   threads = 1)
  expect_identical(attribute(sample, models = c("markov", "shapley", "linear"), order = 2, bootstrap = 10,
                             seed = 3, threads = 2), one)
  model <- markov_model(sample, order = 2, threads = 1)
  expect_identical(removal_effects(model, threads = 2), removal_effects(model, threads = 1))
  expect_identical(choose_order(sample, max_order = 2, threads = 2), choose_order(sample, max_order = 2, threads = 1))
})

test_that("attribution_models lists the library's models", {
  expect_true(all(c("markov", "first_touch", "shapley") %in% attribution_models()))
  expect_false("time_decay" %in% attribution_models(journeys_from_paths(hand)))
  expect_identical(attribute(journeys_from_paths(hand), models = "all")$touchpoint, c("a", "b"))
})

test_that("the package's version is the C library's", {
  expect_identical(as.character(packageVersion("journeygraph")), jg_version())
})
