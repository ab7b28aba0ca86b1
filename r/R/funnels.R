funnel_args <- function(steps, order, window, exclusions, stages, by_segment, level, alpha) {
  options_list(steps = steps, order = order, window = seconds(window, "window"), exclusions = exclusions,
               stages = stages_ptr(stages), by_segment = by_segment, level = level, alpha = alpha)
}

event_funnel <- function(journeys, steps, order = NULL, window = NULL, exclusions = NULL, stages = NULL,
                         by_segment = NULL, level = NULL, alpha = NULL, threads = NULL) {
  o <- c(funnel_args(steps, order, window, exclusions, stages, by_segment, level, alpha),
         options_list(threads = threads))
  .Call(jgr_event_funnel, journeys_ptr(journeys), o)
}

funnel_trends <- function(journeys, steps, period = NULL, horizon = NULL, data_end = NULL, order = NULL,
                          window = NULL, exclusions = NULL, stages = NULL, level = NULL, alpha = NULL,
                          threads = NULL) {
  if (inherits(data_end, "POSIXt")) {
    stop("data_end is given in the journeys' time ticks (a number); see ?funnel_trends", call. = FALSE)
  }
  o <- c(funnel_args(steps, order, window, exclusions, stages, NULL, level, alpha),
         options_list(period = period, horizon = seconds(horizon, "horizon"), data_end = data_end,
                      threads = threads))
  out <- .Call(jgr_funnel_trends, journeys_ptr(journeys), o)
  names(out) <- c("trends", "curve")
  out
}

explore_paths <- function(journeys, start = NULL, end = NULL, funnel_steps = NULL, from_step = NULL,
                          to_step = NULL, drop_off = NULL, max_steps = NULL, top = NULL, variants = NULL,
                          stages = NULL, threads = NULL) {
  funnel <- if (is.null(funnel_steps)) NULL else funnel_args(funnel_steps, NULL, NULL, NULL, stages, NULL, NULL,
                                                            NULL)
  o <- options_list(start = start, end = end, funnel = funnel, from_step = from_step, to_step = to_step,
                    drop_off = drop_off, max_steps = max_steps, top = top, variants = variants,
                    stages = stages_ptr(stages), threads = threads)
  out <- .Call(jgr_explore_paths, journeys_ptr(journeys), o)
  names(out) <- c("steps", "variants")
  out
}

conversion_drivers <- function(journeys, features = NULL, target = NULL, after = NULL, min_support = NULL,
                               touchpoints = NULL, kgram2 = NULL, kgram3 = NULL, before = NULL,
                               at_least_max = NULL, length_strata = NULL, level = NULL, alpha = NULL,
                               stages = NULL, threads = NULL) {
  o <- options_list(features = features, target = target, after = after, min_support = min_support,
                    touchpoints = touchpoints, kgram2 = kgram2, kgram3 = kgram3, before = before,
                    at_least_max = at_least_max, length_strata = length_strata, level = level, alpha = alpha,
                    stages = stages_ptr(stages), threads = threads)
  .Call(jgr_drivers, journeys_ptr(journeys), o)
}

jg_version <- function() .Call(jgr_version)
