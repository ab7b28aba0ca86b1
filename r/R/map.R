# Stages as the library wants them: the sample's, or a table of touchpoints and their stages read by the
# library's stages reader (columns touchpoint and stage; the funnel order is a factor's levels, else the
# reader's default).
as_stages <- function(stages) {
  if (is.null(stages)) return(NULL)
  if (inherits(stages, "jg_stages")) return(stages)
  if (identical(stages, "sample")) {
    return(structure(list(ptr = .Call(jgr_stages, NULL, NULL, NULL, NULL)), class = "jg_stages"))
  }
  name <- "stages (line = row + 1)"
  if (is.character(stages) && !is.null(names(stages))) {
    stages <- data.frame(touchpoint = names(stages), stage = unname(stages), stringsAsFactors = FALSE)
  } else if (!is.data.frame(stages)) {
    stop("stages must be \"sample\", a data.frame with columns touchpoint and stage, or a named character vector c(touchpoint = \"stage\")",
         call. = FALSE)
  }
  order <- if (is.factor(stages$stage)) enc2utf8(levels(stages$stage)) else NULL
  frame <- frame_columns(stages, "stages")
  structure(list(ptr = .Call(jgr_stages, order, frame$cols, frame$names, name)), class = "jg_stages")
}

stages_ptr <- function(stages) {
  s <- as_stages(stages)
  if (is.null(s)) NULL else s$ptr
}

journey_stages <- function(stages) as_stages(stages)

print.jg_stages <- function(x, ...) {
  cat(sprintf("<stages: %s>\n", paste(.Call(jgr_stages_names, x$ptr), collapse = " > ")))
  invisible(x)
}

journey_map <- function(journeys, stages = NULL, order = NULL, smoothing = NULL, self_loops = NULL,
                        other_stage = NULL, funnel_journeys = NULL, threads = NULL) {
  s <- as_stages(stages)
  o <- options_list(order = order, smoothing = smoothing, self_loops = self_loops, other_stage = other_stage,
                    funnel_journeys = funnel_journeys, threads = threads)
  ptr <- .Call(jgr_map, journeys_ptr(journeys), if (is.null(s)) NULL else s$ptr, o)
  structure(list(ptr = ptr, stages = s), class = "jg_map")
}

print.jg_map <- function(x, ...) {
  info <- .Call(jgr_map_info, map_ptr(x))
  cat(sprintf("<journey map: %s touchpoints, %s edges, %s stages, order %s, %s journeys, P(conversion) = %s>\n",
              format(info[["touchpoints"]]), format(info[["edges"]]), format(info[["stages"]]),
              format(info[["order"]]), format(info[["journeys"]]),
              format(info[["conversion_probability"]], digits = 6)))
  invisible(x)
}

funnel <- function(map) .Call(jgr_map_funnel, map_ptr(map))

stage_flows <- function(map) .Call(jgr_map_stage_flows, map_ptr(map))

map_nodes <- function(map) .Call(jgr_map_nodes, map_ptr(map))

map_edges <- function(map) .Call(jgr_map_edges, map_ptr(map))

pain_points <- function(map, rank_by = NULL, min_journeys = NULL) {
  .Call(jgr_map_pain_points, map_ptr(map), options_list(rank_by = rank_by, min_journeys = min_journeys))
}

paths <- function(map, top = NULL, most_probable = NULL) {
  out <- .Call(jgr_map_paths, map_ptr(map), options_list(top = top, most_probable = most_probable))
  names(out) <- c("variants", "probable", "lengths", "time_to_conversion")
  out
}

report <- function(map, file, format = "html", title = NULL, top_paths = NULL, pain_points = NULL,
                   max_edges = NULL) {
  o <- options_list(title = title, top_paths = top_paths, pain_points = pain_points, max_edges = max_edges)
  .Call(jgr_map_write, map_ptr(map), path.expand(file), format, o)
  invisible(file)
}

sankey <- function(map, by = NULL, max_steps = NULL) {
  if (!is.null(by) && !(identical(by, "stage") || identical(by, "touchpoint"))) {
    stop("by must be \"stage\", \"touchpoint\" or NULL (stages when the map has them)", call. = FALSE)
  }
  by_stage <- if (is.null(by)) NULL else identical(by, "stage")
  .Call(jgr_map_sankey, map_ptr(map), options_list(by_stage = by_stage, max_steps = max_steps))
}

# The edits of a what-if as the glue's parallel vectors: each argument a data.frame (or list) of columns.
what_if <- function(x, set_probabilities = NULL, remove_edges = NULL, remove_touchpoints = NULL) {
  handle <- if (inherits(x, "jg_map")) map_ptr(x) else model_ptr(x)
  edit_column <- function(edits, column, what) {
    if (is.null(edits)) return(if (column == "probability") numeric(0) else character(0))
    if (!is.list(edits) || is.null(edits[[column, exact = TRUE]])) {
      stop(sprintf("%s must be a data.frame with columns %s", what,
                   if (what == "set_probabilities") "from, to and probability" else "from and to"), call. = FALSE)
    }
    v <- edits[[column, exact = TRUE]]
    if (column == "probability") as.double(v) else enc2utf8(as.character(v))
  }
  touchpoints <- if (is.null(remove_touchpoints)) character(0) else enc2utf8(as.character(remove_touchpoints))
  .Call(jgr_what_if, handle, edit_column(set_probabilities, "from", "set_probabilities"),
        edit_column(set_probabilities, "to", "set_probabilities"),
        edit_column(set_probabilities, "probability", "set_probabilities"),
        edit_column(remove_edges, "from", "remove_edges"), edit_column(remove_edges, "to", "remove_edges"),
        touchpoints)
}

compare_maps <- function(a, b, alpha = NULL) {
  out <- .Call(jgr_map_compare, map_ptr(a), map_ptr(b), options_list(alpha = alpha))
  names(out) <- c("transitions", "attribution")
  out
}
