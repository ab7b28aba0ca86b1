# The command line (JG_CLI, set by `make test-r` and `make r-check`; else the source tree's build/bin), run
# on the same inputs as the R functions: its tables are read back and compared number by number.
cli_path <- function() {
  cli <- Sys.getenv("JG_CLI")
  if (!nzchar(cli)) cli <- project_file("build", "bin", "journeygraph")
  if (!file.exists(cli)) stop(sprintf("the command line %s is missing: build it (make r-cli)", cli))
  cli
}

# Runs the command line with args (a character vector) and returns the file it wrote with --output.
run_cli <- function(args, ext = ".csv") {
  out <- tempfile("cli", fileext = ext)
  err <- tempfile("cli", fileext = ".txt")
  status <- system2(cli_path(), c(shQuote(args), "--quiet", "--output", shQuote(out)), stdout = err, stderr = err)
  if (!identical(status, 0L)) stop(sprintf("journeygraph %s failed (%s): %s", paste(args, collapse = " "),
                                           format(status), paste(readLines(err), collapse = "\n")))
  out
}

# A CSV table of the command line (the --output extension chooses CSV; written raw, --raw-csv), every column read as text first so that the
# numbers are parsed once, by as.numeric.
cli_csv <- function(args) {
  df <- read.csv(run_cli(c(args, "--raw-csv")), colClasses = "character", check.names = FALSE,
                 na.strings = character(0))
  df
}

# The tables of the command line's JSON document (several tables: keyed by table name).
cli_json <- function(args) {
  skip_if_not_installed("jsonlite")
  jsonlite::fromJSON(run_cli(c(args, "--format", "json"), ".json"), simplifyDataFrame = TRUE)
}

# Numbers equal to 1e-12 (relative above 1), NaN and NA in the same places (the CLI writes a missing value
# as an empty cell or JSON null). JSON has no infinity: with json = TRUE an infinite value is null there.
expect_numbers <- function(got, want, what, json = FALSE) {
  if (is.character(want)) want <- suppressWarnings(as.numeric(want))
  expect_equal(length(got), length(want), info = what)
  if (json) got[is.infinite(got)] <- NA
  missing_got <- is.na(got)
  missing_want <- is.na(want)
  expect_identical(missing_got, missing_want, info = what)
  ok <- !missing_got & !missing_want
  err <- abs(got[ok] - want[ok]) / pmax(1, abs(want[ok]))
  worst <- if (length(err) > 0L) max(err) else 0
  expect(worst <= 1e-12, sprintf("%s: differs by %g (relative above 1) from the command line", what, worst))
}

# A whole table against the command line's: the same column names in the same order, text columns
# identical, numbers to 1e-12.
expect_table <- function(got, want, what) {
  expect_identical(names(got), names(want), info = what)
  expect_equal(nrow(got), nrow(want), info = what)
  for (col in names(want)) {
    g <- got[[col]]
    if (is.numeric(g) && !is.integer(g)) {
      expect_numbers(g, want[[col]], paste(what, col), json = !is.character(want[[col]]))
    } else if (is.logical(g)) {
      expect_identical(g, if (is.logical(want[[col]])) want[[col]] else want[[col]] == "true", info = paste(what, col))
    } else {
      expect_identical(as.character(g), as.character(want[[col]]), info = paste(what, col))
    }
  }
}

# The column names docs/tables.md gives a table: its section's table rows (| `name` | ...) or, for a table
# described in prose, every `name` of the section.
documented_columns <- function(table) {
  docs <- readLines(project_file("docs", "tables.md"), encoding = "UTF-8")
  start <- which(docs == sprintf("### `%s`", table))
  expect_length(start, 1L)
  rest <- docs[(start + 1):length(docs)]
  end <- which(grepl("^##", rest))[1]
  section <- if (is.na(end)) rest else rest[seq_len(end - 1L)]
  rows <- regmatches(section, regexpr("^\\| `[a-z_0-9]+` \\|", section))
  if (length(rows) > 0L) return(list(exact = TRUE, names = sub("^\\| `([a-z_0-9]+)` \\|$", "\\1", rows)))
  tokens <- unlist(regmatches(section, gregexpr("`[a-z_0-9]+`", section)))
  list(exact = FALSE, names = unique(gsub("`", "", tokens)))
}

expect_documented <- function(df, table) {
  expect_identical(attr(df, "table"), table)
  doc <- documented_columns(table)
  if (doc$exact) {
    expect_identical(names(df), doc$names, info = table)
  } else {
    missing <- setdiff(names(df), doc$names)
    expect(length(missing) == 0L, sprintf("docs/tables.md's %s does not name %s", table, paste(missing, collapse = ", ")))
  }
}
