new_model <- function(ptr) structure(list(ptr = ptr), class = "jg_model")

markov_model <- function(Data, var_path = NULL, var_conv = NULL, var_value = NULL, var_null = NULL, order = 1,
                         ..., sep = ">", out_more = FALSE) {
  if (inherits(Data, "jg_journeys")) {
    dots <- list(...)
    check_dots(dots, c("smoothing", "self_loops", "threads"), "markov_model(journeys, ...)")
    if (!is.null(var_path) || !is.null(var_conv) || !is.null(var_value) || !is.null(var_null) || !isFALSE(out_more)) {
      stop("markov_model(journeys, order =, smoothing =, self_loops =, threads =) takes no other argument; ",
           "markov_model(Data, var_path, var_conv, ...) takes a data.frame of paths", call. = FALSE)
    }
    o <- c(options_list(order = order), dots[!vapply(dots, is.null, logical(1))])
    return(new_model(.Call(jgr_model_fit, Data$ptr, o)))
  }
  ca_markov_model(Data, var_path, var_conv, var_value, var_null, order, sep, out_more, ...)
}

# Journeys from ChannelAttribution's arguments: a column left NULL is not read (not the library's default).
paths_frame <- function(Data, name, var_path, var_conv, var_null, var_value, sep) {
  frame <- frame_columns(Data, "Data")
  o <- path_args(var_path, var_conv, if (is.null(var_null)) NA else var_null,
                 if (is.null(var_value)) NA else var_value, sep, NULL, NULL, NULL)
  new_journeys(.Call(jgr_journeys_paths, NULL, frame$cols, frame$names, name, o))
}

# ChannelAttribution's markov_model(): the same arguments and column names, the numbers solved exactly.
# Its simulation settings (nsim_start, max_step, seed, ncore, nfold, conv_par, rate_step_sim) and banner
# flags (verbose, flg_adv, flg_pro) are accepted and have no effect: nothing is simulated.
ca_markov_model <- function(Data, var_path, var_conv, var_value, var_null, order, sep, out_more, ...) {
  ignored <- c("nsim_start", "max_step", "seed", "ncore", "nfold", "conv_par", "rate_step_sim", "verbose",
               "flg_adv", "flg_pro", "return_transition_probs")
  check_dots(list(...), ignored, "markov_model")
  if (is.null(var_path) || is.null(var_conv)) {
    stop("markov_model(Data, var_path, var_conv, ...) needs the path and conversion column names", call. = FALSE)
  }
  journeys <- paths_frame(Data, source_name(substitute(Data)), var_path, var_conv, var_null, var_value, sep)
  credit <- .Call(jgr_attribute, journeys$ptr, options_list(models = "markov", order = order))
  result <- data.frame(channel_name = credit$touchpoint, total_conversions = credit$markov,
                       stringsAsFactors = FALSE)
  if (!is.null(var_value)) result$total_conversion_value <- credit$markov_value
  if (!isTRUE(out_more)) return(result)
  removal <- data.frame(channel_name = credit$touchpoint, removal_effects_conversion = credit$removal_effect,
                        stringsAsFactors = FALSE)
  if (!is.null(var_value)) removal$removal_effects_conversion_value <- credit$removal_effect_value
  model <- .Call(jgr_model_fit, journeys$ptr, options_list(order = order))
  tr <- .Call(jgr_model_transitions, model)
  list(result = result,
       transition_matrix = data.frame(channel_from = tr$from, channel_to = tr$to,
                                      transition_probability = tr$probability, stringsAsFactors = FALSE),
       removal_effects = removal)
}

# ChannelAttribution's heuristic_models(): first-touch, last-touch and linear credit under its column names.
heuristic_models <- function(Data, var_path, var_conv, var_value = NULL, sep = ">", ...) {
  check_dots(list(...), c("flg_adv", "flg_pro"), "heuristic_models")
  journeys <- paths_frame(Data, source_name(substitute(Data)), var_path, var_conv, NULL, var_value, sep)
  credit <- .Call(jgr_attribute, journeys$ptr,
                  options_list(models = c("first_touch", "last_touch", "linear")))
  result <- data.frame(channel_name = credit$touchpoint, first_touch = credit$first_touch,
                       last_touch = credit$last_touch, linear_touch = credit$linear, stringsAsFactors = FALSE)
  if (!is.null(var_value)) {
    result <- data.frame(channel_name = credit$touchpoint,
                         first_touch_conversions = credit$first_touch, first_touch_value = credit$first_touch_value,
                         last_touch_conversions = credit$last_touch, last_touch_value = credit$last_touch_value,
                         linear_touch_conversions = credit$linear, linear_touch_value = credit$linear_value,
                         stringsAsFactors = FALSE)
  }
  result
}

print.jg_model <- function(x, ...) {
  tr <- .Call(jgr_model_transitions, model_ptr(x))
  meta <- attr(tr, "meta")
  cat(sprintf("<Markov model: order %s, %s states, %d transitions, P(conversion) = %s>\n",
              format(meta$order), format(meta$states), nrow(tr), format(meta$conversion_probability, digits = 6)))
  invisible(x)
}

transitions <- function(model) .Call(jgr_model_transitions, model_ptr(model))

removal_effects <- function(model, threads = NULL) {
  .Call(jgr_model_removal, model_ptr(model), options_list(threads = threads))
}

save_model <- function(model, file) {
  .Call(jgr_model_save, model_ptr(model), path.expand(file))
  invisible(file)
}

load_model <- function(file, threads = NULL) {
  new_model(.Call(jgr_model_load, path.expand(file), options_list(threads = threads)))
}

attribution_models <- function(journeys = NULL) {
  .Call(jgr_attribution_models, if (is.null(journeys)) NULL else journeys_ptr(journeys))
}

attribute <- function(journeys, models = NULL, order = NULL, ci = NULL, bootstrap = NULL, seed = NULL, ...,
                      smoothing = NULL, self_loops = NULL, exclude = NULL, position_weights = NULL,
                      half_life = NULL, max_coalition = NULL, threads = NULL, spend = NULL,
                      spend_period = NULL, baseline = NULL) {
  check_dots(list(...), character(0), "attribute")
  if (inherits(journeys, "jg_model")) {
    if (!is.null(spend) || !is.null(spend_period) || !is.null(baseline)) {
      stop("spend and baseline need the journeys: call attribute(journeys, ...)", call. = FALSE)
    }
    if (!is.null(models) && !identical(models, "markov")) {
      stop("attribute(model) gives the markov attribution of the fitted chain; the other models need the journeys",
           call. = FALSE)
    }
    return(.Call(jgr_attribute_model, journeys$ptr, options_list(threads = threads)))
  }
  ptr <- journeys_ptr(journeys)
  o <- c(attribution_args(journeys, models, order, smoothing, self_loops, exclude, position_weights, half_life,
                          max_coalition, threads),
         options_list(ci = ci, bootstrap = bootstrap, seed = seed))
  if (!is.null(spend) || !is.null(spend_period) || !is.null(baseline)) {
    name <- if (is.name(substitute(spend))) source_name(substitute(spend)) else "data.frame spend (line = row + 1)"
    return(attribute_money(ptr, o, spend, spend_period, baseline, name))
  }
  .Call(jgr_attribute, ptr, o)
}

choose_order <- function(journeys, max_order = NULL, holdout = NULL, seed = NULL, smoothing = NULL,
                         self_loops = NULL, floor = NULL, threads = NULL) {
  o <- options_list(max_order = max_order, holdout = holdout, seed = seed, smoothing = smoothing,
                    self_loops = self_loops, floor = floor, threads = threads)
  .Call(jgr_choose_order, journeys_ptr(journeys), o)
}
