# Where the project's files are: JG_ROOT (set by `make test-r` and `make r-check`) is the source tree, whose
# tests/data holds the reference paths; JG_COMPARE_DIR holds the Python face's results for the same inputs.
project_file <- function(...) {
  root <- Sys.getenv("JG_ROOT")
  if (!nzchar(root)) skip("JG_ROOT is not set (run the suite with make test-r)")
  file.path(root, ...)
}

reference_csv <- function() project_file("tests", "data", "reference", "pathdata.csv")

compare_file <- function(name) {
  dir <- Sys.getenv("JG_COMPARE_DIR")
  if (!nzchar(dir)) skip("JG_COMPARE_DIR is not set (run the suite with make test-r)")
  file.path(dir, name)
}

# A CSV of the Python face written with exact hexadecimal floats ("0x1.8p+1"), read back to the same bits.
read_hex <- function(name) {
  df <- read.csv(compare_file(name), colClasses = "character", check.names = FALSE)
  for (col in names(df)) {
    if (all(grepl("^-?(0x|nan|inf)", df[[col]]))) df[[col]] <- as.numeric(sub("^(-?)inf$", "\\1Inf", sub("^nan$", "NaN", df[[col]])))
  }
  df
}

# Bit-for-bit equality of two numeric vectors, with the first differing entry in the failure message.
expect_same_bits <- function(got, want, what) {
  expect_equal(length(got), length(want), info = what)
  differ <- which(!(got == want | (is.nan(got) & is.nan(want))))
  expect(length(differ) == 0L,
         sprintf("%s: %d of %d values differ, first at %d: %s vs %s", what, length(differ), length(want),
                 differ[1], format(got[differ[1]], digits = 17), format(want[differ[1]], digits = 17)))
}
