# Open-journey scoring: P(conversion | the touches so far), the expected value and the expected touches to go
# of journeys that have not ended, from a fitted model (the library's rules: scoring.hpp).

# Histories as journeys: journeys as they are; a list of character vectors as paths without outcomes, the
# touchpoints separated by the ASCII unit separator (never part of a name a caller types).
histories_ptr <- function(histories) {
  if (inherits(histories, "jg_journeys")) return(histories$ptr)
  if (!is.list(histories) || is.data.frame(histories)) {
    stop(sprintf("histories must be journeys or a list of character vectors of touchpoint names, e.g. list(c(\"search\", \"email\"), \"display\"), got an object of class %s",
                 paste(class(histories), collapse = "/")), call. = FALSE)
  }
  sep <- "\x1f"
  rows <- vapply(seq_along(histories), function(i) {
    h <- histories[[i]]
    if (!is.character(h) || anyNA(h)) {
      stop(sprintf("history %d must be a character vector of touchpoint names without NA", i), call. = FALSE)
    }
    if (any(grepl(sep, h, fixed = TRUE))) {
      stop(sprintf("history %d has a touchpoint name with the control character U+001F", i), call. = FALSE)
    }
    paste(enc2utf8(h), collapse = sep)
  }, character(1))
  frame <- frame_columns(data.frame(path = rows, stringsAsFactors = FALSE), "histories")
  o <- path_args(NULL, NA, NA, NA, sep, FALSE, NULL, NULL)
  .Call(jgr_journeys_paths, NULL, frame$cols, frame$names, "histories (line = history + 1)", o)[[1]]
}

score_histories <- function(model, histories, threads = NULL) {
  .Call(jgr_score_histories, model_ptr(model), histories_ptr(histories), options_list(threads = threads))
}

score_open <- function(journeys, model, window, threads = NULL) {
  ptr <- journeys_ptr(journeys)
  if (missing(model) || is.null(model)) {
    stop("score_open needs a fitted model (markov_model(journeys, order = ...) or load_model(file))", call. = FALSE)
  }
  if (missing(window) || is.null(window)) {
    stop("score_open needs window: a journey is open when its last touch is this close to the data's end (seconds or a difftime, at most the gap the journeys were split with)",
         call. = FALSE)
  }
  .Call(jgr_score_open, model_ptr(model), ptr, seconds(window, "window"), options_list(threads = threads))
}
