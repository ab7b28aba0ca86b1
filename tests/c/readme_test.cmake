# The C example of README.md runs as written: the first ```c block of the "## C" section is compiled with
# the section's command line (against this build's library), run on the reference paths from the source
# directory, and every line of the section's ```text block (the output it shows) must appear in the output.
# cmake -DSOURCE_DIR=... -DLIB_DIR=... -DWORK_DIR=... -DC_COMPILER=... [-DSANITIZE=...] -P readme_test.cmake

include("${CMAKE_CURRENT_LIST_DIR}/readme_common.cmake")

readme_section("C" section)
readme_block("${section}" c 0 program)
readme_block("${section}" text 0 shown)
readme_block("${section}" sh 0 commands)
readme_require_commands("${commands}" "cc -std=c99" "-Iinclude" "example.c" "-ljourneygraph_c"
                        "./example tests/data/reference/pathdata.csv")
readme_compile("${program}" example)
readme_run_and_compare(example "${SOURCE_DIR}" "${shown}" tests/data/reference/pathdata.csv)
# Malformed input: the message names file, line and column.
execute_process(COMMAND "${WORK_DIR}/example" "${WORK_DIR}/example.c" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "example.c:1")
  message(FATAL_ERROR "FAIL: the README's C example on malformed input: exit ${rc}, stderr: ${err}")
endif()
message(STATUS "ok: the README's C example compiles, runs and prints the lines it shows")
