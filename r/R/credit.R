# Every journey's credit, its calibration to external incremental conversions, removal effects of touchpoint
# sequences, and spend next to credit. The figures and their rules are the library's; these only pass the
# arguments (an argument left NULL keeps the library's default) and return its tables as data.frames.

# The attribution options of attribute(), journey_credit() and calibration_table(): NULL arguments are not sent;
# models "all" is every model that applies to the journeys.
attribution_args <- function(journeys, models, order, smoothing, self_loops, exclude, position_weights,
                             half_life, max_coalition, threads) {
  if (identical(models, "all")) models <- attribution_models(journeys)
  if (!is.null(position_weights) && (!is.numeric(position_weights) || length(position_weights) != 2L)) {
    stop("position_weights must be two numbers: the shares of the first and of the last touch", call. = FALSE)
  }
  options_list(models = models, order = order, smoothing = smoothing, self_loops = self_loops, exclude = exclude,
               first_weight = position_weights[1], last_weight = position_weights[2],
               half_life = seconds(half_life, "half_life"), max_coalition = max_coalition, threads = threads)
}

# External incremental conversions per touchpoint (a named numeric vector or list) as the C side's two vectors.
calibration_args <- function(calibration, what) {
  if (is.list(calibration) && !is.data.frame(calibration)) calibration <- unlist(calibration)
  values <- calibration
  if (!is.numeric(values) || is.null(names(values)) || any(is.na(names(values))) || any(names(values) == "")) {
    stop(sprintf("%s: calibration must be a named numeric vector of incremental conversions per touchpoint, e.g. c(search = 120, email = 40), got an object of class %s",
                 what, paste(class(calibration), collapse = "/")), call. = FALSE)
  }
  bad <- which(is.na(values))
  if (length(bad) > 0L) {
    stop(sprintf("%s: the incremental conversions of '%s' are NA: give a number", what, names(values)[bad[1]]),
         call. = FALSE)
  }
  list(calibration_touchpoints = enc2utf8(names(values)), calibration_conversions = as.double(unname(values)))
}

journey_credit <- function(journeys, models = NULL, calibration = NULL, calibration_model = "markov",
                           max_iterations = NULL, ..., order = NULL, smoothing = NULL, self_loops = NULL,
                           exclude = NULL, position_weights = NULL, half_life = NULL, max_coalition = NULL,
                           threads = NULL) {
  check_dots(list(...), character(0), "journey_credit")
  ptr <- journeys_ptr(journeys)
  o <- attribution_args(journeys, models, order, smoothing, self_loops, exclude, position_weights, half_life,
                        max_coalition, threads)
  if (is.null(calibration)) {
    if (!identical(calibration_model, "markov")) {
      stop("calibration_model names the model calibrated: it needs calibration (incremental conversions per touchpoint)",
           call. = FALSE)
    }
  } else {
    o <- c(o, calibration_args(calibration, "journey_credit"), list(calibration_model = calibration_model))
  }
  o <- c(o, options_list(max_iterations = max_iterations))
  .Call(jgr_journey_credit, ptr, o)
}

calibration_table <- function(journeys, calibration, model = "markov", ..., order = NULL, smoothing = NULL,
                              self_loops = NULL, exclude = NULL, position_weights = NULL, half_life = NULL,
                              max_coalition = NULL, threads = NULL) {
  check_dots(list(...), character(0), "calibration_table")
  ptr <- journeys_ptr(journeys)
  if (!is.character(model) || length(model) != 1L || is.na(model)) {
    stop("model must be one model name (see attribution_models())", call. = FALSE)
  }
  o <- attribution_args(journeys, model, order, smoothing, self_loops, exclude, position_weights, half_life,
                        max_coalition, threads)
  o <- c(o, calibration_args(calibration, "calibration_table"), list(calibration_model = model))
  .Call(jgr_calibration, ptr, o)
}

# Sequences as the library's text "a>b,c>d": a string as it is, a list of character vectors joined (a name
# holding '>' or ',' cannot be written so, and is refused rather than split).
sequence_text <- function(sequences) {
  if (is.character(sequences) && length(sequences) == 1L && !is.na(sequences)) return(enc2utf8(sequences))
  if (!is.list(sequences)) {
    stop("sequences must be one string such as \"facebook>google,email>search\" or a list of character vectors such as list(c(\"facebook\", \"google\"))",
         call. = FALSE)
  }
  parts <- vapply(seq_along(sequences), function(i) {
    s <- sequences[[i]]
    if (!is.character(s) || length(s) == 0L || anyNA(s)) {
      stop(sprintf("sequences[[%d]] must be a character vector of touchpoint names without NA", i), call. = FALSE)
    }
    bad <- s[grepl("[>,]", s)]
    if (length(bad) > 0L) {
      stop(sprintf("sequences[[%d]]: the touchpoint name '%s' holds '>' or ',', which separate the touchpoints and the sequences",
                   i, bad[1]), call. = FALSE)
    }
    paste(enc2utf8(s), collapse = ">")
  }, character(1))
  paste(parts, collapse = ",")
}

sequence_removal_effects <- function(journeys, sequences = NULL, top = NULL, length = NULL, ..., order = NULL,
                                     smoothing = NULL, self_loops = NULL, threads = NULL) {
  check_dots(list(...), character(0), "sequence_removal_effects")
  ptr <- journeys_ptr(journeys)
  text <- if (is.null(sequences)) NULL else sequence_text(sequences)
  if (is.null(text) && (is.null(top) || identical(top, 0) || identical(top, 0L))) {
    stop("give sequences (e.g. \"facebook>google\") or top > 0 (the most frequent observed sequences)", call. = FALSE)
  }
  o <- options_list(sequences = text, top = top, length = length, order = order, smoothing = smoothing,
                    self_loops = self_loops, threads = threads)
  .Call(jgr_sequence_removal, ptr, o)
}

# Spend for the library's reader of spend files: a file name as it is, a data.frame (columns touchpoint,
# spend and optionally period) written as CSV text to a temporary file, with numbers that read back to the
# same bits. Returns the file and whether it is temporary.
spend_file <- function(spend, name) {
  if (is.character(spend) && length(spend) == 1L && !is.na(spend)) return(list(file = path.expand(spend), temp = FALSE))
  frame <- frame_columns(spend, "spend")
  file <- tempfile("spend", fileext = ".csv")
  .Call(jgr_write_frame_csv, frame$cols, frame$names, file)
  list(file = file, temp = TRUE, name = name)
}

# attribute(journeys, ..., spend =, spend_period =, baseline =): the attribution with its money table and
# model comparison in attributes "money" and "model_comparison".
attribute_money <- function(ptr, o, spend, spend_period, baseline, name) {
  if (is.null(spend) && !is.null(spend_period)) stop("spend_period needs spend", call. = FALSE)
  s <- list(file = NULL, temp = FALSE)
  if (!is.null(spend)) {
    s <- spend_file(spend, name)
    if (s$temp) on.exit(unlink(s$file), add = TRUE)
  }
  # As on the command line: the comparison with a baseline, or with spend and several models.
  compare <- !is.null(baseline) || (!is.null(spend) && (is.null(o$models) || length(o$models) > 1L))
  res <- tryCatch(.Call(jgr_attribute_money, ptr, o, s$file, spend_period, compare, baseline),
                  journeygraph_error = function(e) {
                    # The library names the file it read: for a data.frame, name the data.frame instead.
                    if (!s$temp) stop(e)
                    jg_abort(gsub(s$file, s$name, conditionMessage(e), fixed = TRUE), e$status)
                  })
  out <- res$attribution
  if (!is.null(res$money)) attr(out, "money") <- res$money
  if (!is.null(res$model_comparison)) attr(out, "model_comparison") <- res$model_comparison
  out
}
