# The R face's cost of taking a data.frame: journeys_from_events() on 1M events (seeded: 200,000 journey ids,
# POSIXct times over 90 days, 6 touchpoints as a factor, 5% conversions with values) against read_events() on
# the same events as a CSV file (the library's reader alone), best of 3 runs each, in one process.
# Run after `make r`: R_LIBS=build/r-lib Rscript benchmarks/bench_r.R [EVENTS]
library(journeygraph)
args <- commandArgs(trailingOnly = TRUE)
n <- if (length(args) > 0) as.numeric(args[1]) else 1e6
set.seed(1)
events <- data.frame(journey_id = sort(sample.int(200000, n, replace = TRUE)),
                     timestamp = as.POSIXct("2026-01-01", tz = "UTC") + sample.int(90 * 86400, n, replace = TRUE),
                     touchpoint = factor(sample(c("search", "email", "display", "social", "store", "app"), n, TRUE)),
                     conversion = runif(n) < 0.05, value = 0)
events$value[events$conversion] <- round(runif(sum(events$conversion), 5, 100), 2)
file <- tempfile(fileext = ".csv")
csv <- events
csv$timestamp <- as.numeric(csv$timestamp)
csv$value <- sprintf("%.17g", csv$value)
write.csv(csv, file, row.names = FALSE)
best <- function(f) min(vapply(1:3, function(i) system.time(f())[["elapsed"]], numeric(1)))
t_frame <- best(function() journeys_from_events(events))
t_file <- best(function() read_events(file, time_unit = "s"))
stopifnot(identical(journeys_table(journeys_from_events(events)), journeys_table(read_events(file, time_unit = "s"))))
cat(sprintf("%g events: journeys_from_events(data.frame) %.2f s, read_events(file) %.2f s, ratio %.2f\n",
            n, t_frame, t_file, t_frame / t_file))
unlink(file)
