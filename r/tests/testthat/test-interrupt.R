# Ctrl-C stops a long library call: the library's progress callback sees R's interrupt and the call ends
# with an error of status JG_EINTERRUPTED instead of running to its end.
test_that("an interrupt stops a long attribution", {
  skip_if_not_installed("processx")
  script <- tempfile(fileext = ".R")
  on.exit(unlink(script))
  writeLines(c(
    "library(journeygraph)",
    "s <- sample_journeys(customers = 20000)",
    "cat('start\\n')",
    "r <- tryCatch(attribute(s, models = c('markov', 'shapley'), order = 2, bootstrap = 100000, seed = 1,",
    "                        threads = 1), journeygraph_error = function(e) e$status)",
    "cat('result', if (is.character(r)) r else 'finished', '\\n')"), script)
  p <- processx::process$new(file.path(R.home("bin"), "Rscript"), script, stdout = "|", stderr = "|",
                             env = c("current", R_LIBS = paste(.libPaths(), collapse = .Platform$path.sep)))
  on.exit(p$kill(), add = TRUE)
  out <- ""
  deadline <- Sys.time() + 120
  while (!grepl("start", out) && p$is_alive() && Sys.time() < deadline) {
    p$poll_io(1000)
    out <- paste0(out, p$read_output())
  }
  expect_match(out, "start")
  Sys.sleep(1)
  p$interrupt()
  p$wait(60000)
  expect_false(p$is_alive())
  out <- paste0(out, p$read_all_output())
  expect_match(out, "result JG_EINTERRUPTED")
})
