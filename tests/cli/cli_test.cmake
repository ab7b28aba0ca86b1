# journeygraph attribute with every model and bootstrap intervals, and journeygraph order, end to end:
# output columns, determinism across thread counts, and usage errors.
# cmake -DJG=... -DSOURCE_DIR=... -DWORK_DIR=... -P cli_test.cmake

set(paths "${SOURCE_DIR}/tests/data/reference/pathdata.csv")

function(run expect_rc out_var)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expect_rc)
    message(FATAL_ERROR "FAIL: ${ARGN}\nexited with ${rc} (expected ${expect_rc})\n${out}\n${err}")
  endif()
  set(${out_var} "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect text what)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "FAIL: expected to find \"${what}\" in:\n${text}")
  endif()
endfunction()

# Every model with intervals as CSV: each estimate has its _se, _lower and _upper columns; the same bits
# with 1 and 2 threads.
run(0 one "${JG}" attribute "${paths}" --paths --models all --bootstrap 30 --seed 5 --format csv --threads 1 --quiet)
run(0 two "${JG}" attribute "${paths}" --paths --models all --bootstrap 30 --seed 5 --format csv --threads 2 --quiet)
if(NOT one STREQUAL two)
  message(FATAL_ERROR "FAIL: bootstrap output differs between 1 and 2 threads")
endif()
foreach(column removal_effect_lower markov_se markov_value_upper shapley_lower
               ordered_shapley_position_1 last_non_direct_upper position_based_se j_curve_lower inverse_j_upper
               participation_value_lower)
  expect("${one}" ",${column}")
endforeach()
string(FIND "${one}" "time_decay" td)
if(NOT td EQUAL -1)
  message(FATAL_ERROR "FAIL: 'all' kept time_decay for paths without timestamps")
endif()
run(0 note "${JG}" attribute "${paths}" --paths --models all --format csv)
expect("${note}" "time_decay is left out of 'all'")

# JSON carries the bootstrap settings and a stability score per estimate in the table's metadata.
run(0 json "${JG}" attribute "${paths}" --paths --models markov,linear --ci 0.9 --bootstrap 20 --format json --quiet)
expect("${json}" "\"replicates\": 20, \"confidence\": 0.9")
expect("${json}" "\"markov_stability\": ")
# The human table shows each estimate with its interval, and the settings above it.
run(0 table "${JG}" attribute "${paths}" --paths --models shapley --bootstrap 20 --quiet)
expect("${table}" "replicates: 20")
expect("${table}" "shapley_lower")
expect("${table}" "shapley_stability: ")

# Model options and their errors.
run(0 pos "${JG}" attribute "${paths}" --paths --models position_based --position-weights 0.3,0.5 --format csv --quiet)
run(1 bad "${JG}" attribute "${paths}" --paths --models position_based --position-weights 0.7,0.5 --quiet)
expect("${bad}" "first_weight + last_weight must be <= 1")
run(2 usage "${JG}" attribute "${paths}" --paths --position-weights 0.3 --quiet)
expect("${usage}" "--position-weights must be two numbers")
run(2 ci "${JG}" attribute "${paths}" --paths --ci 0.9 --bootstrap 0 --quiet)
expect("${ci}" "--ci needs --bootstrap")
run(1 conf "${JG}" attribute "${paths}" --paths --bootstrap 10 --ci 1.5 --quiet)
expect("${conf}" "confidence must be in (0, 1), got 1.5")
run(1 td "${JG}" attribute "${paths}" --paths --models time_decay --quiet)
expect("${td}" "needs touch timestamps")

# Order choice.
run(0 order "${JG}" order "${paths}" --paths --max-order 3 --quiet)
expect("${order}" "recommended_order: ")
expect("${order}" "heldout_log_likelihood")
run(0 ojson "${JG}" order "${paths}" --paths --max-order 2 --format json --quiet)
expect("${ojson}" "\"recommended_order\": ")
expect("${ojson}" "\"auc\": ")
run(1 oerr "${JG}" order "${paths}" --paths --holdout 2 --quiet)
expect("${oerr}" "holdout must be in (0, 1), got 2")
run(2 oorder "${JG}" order "${paths}" --paths --max-order 17 --quiet)
message(STATUS "ok: attribute with every model and intervals, order")
