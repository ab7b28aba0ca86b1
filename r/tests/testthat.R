library(testthat)
library(journeygraph)

test_check("journeygraph")
