journey_args <- function(lookback, gap, split, collapse_repeats, max_touches, threads) {
  options_list(lookback = seconds(lookback, "lookback"), gap = seconds(gap, "gap"), split = split,
               collapse_repeats = collapse_repeats, max_touches = max_touches, threads = threads)
}

event_args <- function(journey, time, touchpoint, conversion, value, segment, time_unit, time_format,
                       skip_bad_rows) {
  options_list(journey = column_arg(journey), time = column_arg(time), touchpoint = column_arg(touchpoint),
               conversion = column_arg(conversion), value = column_arg(value), segment = column_arg(segment),
               time_unit = time_unit, time_format = time_format,
               skip_bad_rows = skip_bad_rows)
}

journeys_from_events <- function(df, journey = NULL, time = NULL, touchpoint = NULL, conversion = NULL,
                                 value = NULL, segment = NULL, lookback = NULL, gap = NULL, ...,
                                 time_unit = NULL, time_format = NULL, split = NULL, collapse_repeats = NULL,
                                 max_touches = NULL, threads = NULL) {
  check_dots(list(...), character(0), "journeys_from_events")
  name <- source_name(substitute(df))
  frame <- frame_columns(df, "df")
  # POSIXct times are written as epoch seconds: say so, unless the caller named a unit.
  time_column <- if (is.null(time)) defaults()[["time"]] else time
  if (is.null(time_unit) && !is.na(time_column) && time_column %in% names(df) &&
      inherits(df[[time_column]], "POSIXt")) {
    time_unit <- "s"
  }
  o <- c(event_args(journey, time, touchpoint, conversion, value, segment, time_unit, time_format, NULL),
         journey_args(lookback, gap, split, collapse_repeats, max_touches, threads))
  new_journeys(.Call(jgr_journeys_events, NULL, frame$cols, frame$names, name, o))
}

read_events <- function(file, journey = NULL, time = NULL, touchpoint = NULL, conversion = NULL, value = NULL,
                        segment = NULL, lookback = NULL, gap = NULL, time_unit = NULL, time_format = NULL,
                        split = NULL, collapse_repeats = NULL, max_touches = NULL, skip_bad_rows = NULL,
                        threads = NULL) {
  o <- c(event_args(journey, time, touchpoint, conversion, value, segment, time_unit, time_format,
                    skip_bad_rows),
         journey_args(lookback, gap, split, collapse_repeats, max_touches, threads))
  new_journeys(.Call(jgr_journeys_events, path.expand(file), NULL, NULL, NULL, o))
}

path_args <- function(path, conversions, nulls, value, sep, check_separator, skip_bad_rows, threads) {
  options_list(path = column_arg(path), conversions = column_arg(conversions), nulls = column_arg(nulls),
               value = column_arg(value), sep = sep,
               check_separator = check_separator, skip_bad_rows = skip_bad_rows, threads = threads)
}

journeys_from_paths <- function(df, path = NULL, conversions = NULL, nulls = NULL, value = NULL, sep = NULL,
                                check_separator = NULL) {
  name <- source_name(substitute(df))
  frame <- frame_columns(df, "df")
  o <- path_args(path, conversions, nulls, value, sep, check_separator, NULL, NULL)
  new_journeys(.Call(jgr_journeys_paths, NULL, frame$cols, frame$names, name, o))
}

read_paths <- function(file, path = NULL, conversions = NULL, nulls = NULL, value = NULL, sep = NULL,
                       check_separator = NULL, skip_bad_rows = NULL, threads = NULL) {
  o <- path_args(path, conversions, nulls, value, sep, check_separator, skip_bad_rows, threads)
  new_journeys(.Call(jgr_journeys_paths, path.expand(file), NULL, NULL, NULL, o))
}

sample_journeys <- function(customers = 20000, seed = 42, lookback = NULL, gap = NULL, split = NULL,
                            collapse_repeats = NULL, max_touches = NULL, threads = NULL) {
  o <- journey_args(lookback, gap, split, collapse_repeats, max_touches, threads)
  new_journeys(.Call(jgr_journeys_sample, customers, seed, o))
}

journeys_table <- function(journeys, sep = NULL) {
  .Call(jgr_journeys_table, journeys_ptr(journeys), sep)
}

build_report <- function(journeys) {
  journeys_ptr(journeys)
  .Call(jgr_report, journeys$report)
}

print.jg_journeys <- function(x, ...) {
  info <- .Call(jgr_journeys_info, journeys_ptr(x))
  cat(sprintf("<journeys: %s rows, %s touches, %s touchpoints, %s conversions, %s nulls, value %s%s>\n",
              format(info[["journeys"]]), format(info[["touches"]]), format(info[["touchpoints"]]),
              format(info[["total_conversions"]]), format(info[["total_nulls"]]), format(info[["total_value"]]),
              if (info[["has_timestamps"]] != 0) ", timestamps" else ""))
  invisible(x)
}

summary.jg_journeys <- function(object, ...) {
  .Call(jgr_journeys_info, journeys_ptr(object))
}
