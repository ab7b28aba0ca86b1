# The glue's R half: option lists for the C calls, handles as small classed lists around external pointers,
# data.frames written as CSV text for the library's own readers. Defaults, column names, parsing and every
# formula are the library's: an argument left NULL is not sent, so the C struct keeps its default.

# Called from C with the library's message: an R condition of class journeygraph_error carrying it.
jg_abort <- function(message, status) {
  stop(structure(class = c("journeygraph_error", "error", "condition"),
                 list(message = message, call = NULL, status = status)))
}

# Named list of the non-NULL arguments (what the C side reads by name).
options_list <- function(...) {
  x <- list(...)
  x[!vapply(x, is.null, logical(1))]
}

# Arguments caught by `...` that the function does not take are errors, never silently ignored.
check_dots <- function(dots, allowed, what) {
  given <- names(dots)
  if (is.null(given)) given <- rep("", length(dots))
  bad <- given[given == "" | !(given %in% allowed)]
  if (length(bad) > 0L) {
    stop(sprintf("%s: unknown argument(s) %s", what, paste(ifelse(bad == "", "(unnamed)", bad), collapse = ", ")),
         call. = FALSE)
  }
}

# A column argument: NULL keeps the library's default column, NA (or "") reads none, a name must exist.
column_arg <- function(x) {
  if (is.null(x)) return(NULL)
  if (length(x) == 1L && is.na(x)) return("")
  x
}

# Durations for the C side, in seconds: numbers are seconds, difftime objects are converted.
seconds <- function(x, what) {
  if (is.null(x)) return(NULL)
  if (inherits(x, "difftime")) return(as.numeric(x, units = "secs"))
  if (!is.numeric(x) || length(x) != 1L) {
    stop(sprintf("%s must be a number of seconds or a difftime (e.g. as.difftime(30, units = \"days\")), got %s",
                 what, paste(format(x), collapse = " ")), call. = FALSE)
  }
  x
}

defaults <- function() .Call(jgr_defaults)

new_journeys <- function(res) {
  structure(list(ptr = res[[1]], report = res[[2]]), class = "jg_journeys")
}

journeys_ptr <- function(x, what = "journeys") {
  if (!inherits(x, "jg_journeys")) {
    stop(sprintf("%s must be journeys (from journeys_from_events, journeys_from_paths, read_events, read_paths or sample_journeys), got an object of class %s",
                 what, paste(class(x), collapse = "/")), call. = FALSE)
  }
  x$ptr
}

model_ptr <- function(x) {
  if (!inherits(x, "jg_model")) {
    stop(sprintf("model must be a fitted model (from markov_model(journeys) or load_model), got an object of class %s",
                 paste(class(x), collapse = "/")), call. = FALSE)
  }
  x$ptr
}

map_ptr <- function(x) {
  if (!inherits(x, "jg_map")) {
    stop(sprintf("map must be a journey map (from journey_map), got an object of class %s",
                 paste(class(x), collapse = "/")), call. = FALSE)
  }
  x$ptr
}

# ------------------------------------------------------------------------------------------- CSV columns

# One column for the C side, which writes the data.frame as CSV text for the library's own readers:
# logical, integer, factor, double or UTF-8 character. POSIXct becomes epoch seconds, Date ISO-8601 text.
csv_column <- function(x, name) {
  if (inherits(x, "POSIXt")) return(as.numeric(as.POSIXct(x)))
  if (inherits(x, "Date")) return(format(x, "%Y-%m-%d"))
  if (is.factor(x)) {
    levels(x) <- enc2utf8(levels(x))
    return(x)
  }
  if (is.logical(x) || is.double(x)) return(as.vector(x))
  if (is.integer(x)) return(as.vector(x))
  if (is.character(x)) return(enc2utf8(as.vector(x)))
  stop(sprintf("column '%s' is of type %s: journeygraph reads logical, numeric, character, factor, Date and POSIXct columns",
               name, paste(class(x), collapse = "/")), call. = FALSE)
}

# The data.frame's columns prepared for the C side, and their names.
frame_columns <- function(df, what) {
  if (!is.data.frame(df)) {
    stop(sprintf("%s must be a data.frame, got an object of class %s", what, paste(class(df), collapse = "/")),
         call. = FALSE)
  }
  cols <- Map(csv_column, df, names(df))
  names(cols) <- NULL
  list(cols = cols, names = enc2utf8(names(df)))
}

# Name for the library's messages: they read "NAME:LINE:COLUMN", and line 1 is the header row.
source_name <- function(expr) {
  if (is.name(expr)) sprintf("data.frame %s (line = row + 1)", as.character(expr)) else "data.frame (line = row + 1)"
}
