# The vignette's code runs as written (R CMD check here cannot build the PDF: the machines have no LaTeX).
test_that("the retailer-sample vignette runs", {
  rnw <- project_file("r", "vignettes", "retailer-sample.Rnw")
  code <- tempfile(fileext = ".R")
  on.exit(unlink(code))
  utils::Stangle(rnw, output = code, quiet = TRUE)
  env <- new.env(parent = globalenv())
  capture.output(sys.source(code, envir = env))
  expect_true(env$k %in% 1:3)
  expect_equal(sum(env$credit$markov), sum(journeys_table(env$sample)$conversions), tolerance = 1e-9)
  expect_true(file.exists(file.path(tempdir(), "journey-map.html")))
})
