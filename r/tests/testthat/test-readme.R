# README.md's R section runs as written, from a scratch folder where the repository's tests/ folder
# resolves (nothing is written into the checkout).
test_that("the README's R example runs", {
  readme <- readLines(project_file("README.md"), encoding = "UTF-8")
  start <- which(readme == "## R")
  expect_length(start, 1L)
  end <- start + which(grepl("^## ", readme[(start + 1):length(readme)]))[1]
  lines <- readme[start:(end - 1)]
  fences <- which(grepl("^```", lines))
  open <- fences[lines[fences] == "```r"]
  expect_length(open, 1L)
  close <- fences[fences > open][1]
  code <- lines[(open + 1):(close - 1)]
  expect_true(length(code) > 10)
  scratch <- tempfile("readme")
  dir.create(scratch)
  on.exit(unlink(scratch, recursive = TRUE))
  file.symlink(project_file("tests"), file.path(scratch, "tests"))
  old <- setwd(scratch)
  on.exit(setwd(old), add = TRUE)
  env <- new.env(parent = globalenv())
  out <- capture.output(eval(parse(text = code), envir = env))
  expect_s3_class(env$credit, "data.frame")
  # The per-journey credit adds up to the attribution of the same order, touchpoint by touchpoint.
  markov <- env$per_journey[env$per_journey$model == "markov", ]
  totals <- tapply(markov$conversions, markov$touchpoint, sum)
  expect_equal(as.vector(totals[env$credit$touchpoint]), env$credit$markov, tolerance = 1e-9)
  expect_true(env$orders$order[1] == 1L)
  expect_true(file.exists(file.path(tempdir(), "journey-map.html")))
  expect_true(any(grepl("JG_EPARSE", out)))
})
