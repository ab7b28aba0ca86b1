# R's results equal the Python face's bit for bit (both run the same core: R through the C ABI, Python
# through pybind11), and a data.frame gives the same bits as the C reader on the file it came from.

compare_attribution <- function(got, file) {
  want <- read_hex(file)
  expect_identical(got$touchpoint, want$touchpoint)
  for (col in setdiff(names(want), "touchpoint")) {
    expect_true(col %in% names(got), info = col)
    expect_same_bits(got[[col]], want[[col]], paste(file, col))
  }
}

test_that("attribution, removal effects and transitions equal Python's on the reference paths", {
  journeys <- read_paths(reference_csv())
  for (order in c(1, 3)) {
    models <- c("markov", "first_touch", "last_touch", "linear")
    compare_attribution(attribute(journeys, models = models, order = order),
                        sprintf("reference_attribution_%d.csv", order))
    model <- markov_model(journeys, order = order)
    compare_attribution(removal_effects(model), sprintf("reference_removal_%d.csv", order))
    tr <- transitions(model)
    want <- read_hex(sprintf("reference_transitions_%d.csv", order))
    expect_identical(tr$from, want$from)
    expect_identical(tr$to, want$to)
    expect_same_bits(tr$count, want$count, "count")
    expect_same_bits(tr$probability, want$probability, "probability")
  }
})

test_that("attribution equals Python's on the retailer sample", {
  sample <- sample_journeys()
  compare_attribution(attribute(sample, models = c("markov", "first_touch", "last_touch", "linear")),
                      "sample_attribution_1.csv")
  compare_attribution(attribute(sample, models = "markov", order = 3), "sample_attribution_3.csv")
})

test_that("the sample's event log as a data.frame of text gives Python's attribution", {
  # Every column read as text, so the values reach the library's parsers exactly as Python wrote them.
  events <- read.csv(compare_file("sample_events.csv"), colClasses = "character")
  journeys <- journeys_from_events(events, segment = "device")
  compare_attribution(attribute(journeys, models = c("markov", "first_touch", "last_touch", "linear")),
                      "sample_attribution_1.csv")
})

test_that("a data.frame gives the same bits as the C reader on its file", {
  file <- reference_csv()
  df <- read.csv(file, stringsAsFactors = FALSE)
  from_file <- attribute(read_paths(file), order = 3)
  from_frame <- attribute(journeys_from_paths(df), order = 3)
  expect_identical(from_frame, from_file)
  # Factors and a shuffled column order change nothing.
  df2 <- df[, rev(names(df))]
  df2$path <- factor(df2$path)
  expect_identical(attribute(journeys_from_paths(df2), order = 3), from_file)
})

test_that("events in a data.frame give the journeys of the same events read from a CSV file", {
  events <- data.frame(
    journey_id = c(1, 1, 1, 2, 2, 3, 3, 3),
    timestamp = as.POSIXct(c("2026-01-01 10:00:00", "2026-01-03 09:00:00", "2026-01-04 12:30:00",
                             "2026-01-02 08:00:00", "2026-01-05 08:00:00", "2026-01-01 00:00:00",
                             "2026-02-20 00:00:00", "2026-02-21 00:00:00"), tz = "UTC"),
    touchpoint = c("search", "email", "store", "display", "search", "email", "search", "store"),
    conversion = c(FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, TRUE),
    value = c(0, 0, 12.5, 0, 0, 0, 0, 0.1 + 0.2),
    stringsAsFactors = FALSE)
  file <- tempfile(fileext = ".csv")
  on.exit(unlink(file))
  csv <- events
  csv$timestamp <- format(events$timestamp, "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
  csv$value <- sprintf("%.17g", events$value)
  write.csv(csv, file, row.names = FALSE)
  gap <- as.difftime(30, units = "days")
  a <- journeys_table(journeys_from_events(events, gap = gap))
  b <- journeys_table(read_events(file, gap = gap))
  expect_identical(a, b)
  # The 30-day gap splits journey 3 (49 days of silence): four journeys.
  expect_equal(nrow(a), 4L)
  expect_identical(a$value, c(12.5, 0, 0, 0.1 + 0.2))
})
