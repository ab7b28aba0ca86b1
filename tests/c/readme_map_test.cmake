# The journey-map C example of README.md runs as written: the ```c block of the "## Journey map" section is
# compiled with the section's command line (against this build's library) and run; every line of the
# section's ```text block must appear in its output, and it must write report.html.
# cmake -DSOURCE_DIR=... -DLIB_DIR=... -DWORK_DIR=... -DC_COMPILER=... [-DSANITIZE=...] -P readme_map_test.cmake

include("${CMAKE_CURRENT_LIST_DIR}/readme_common.cmake")

readme_section("Journey map" section)
readme_block("${section}" c 0 program)
readme_block("${section}" text 0 shown)
readme_block("${section}" sh 1 commands)
readme_require_commands("${commands}" "cc -std=c99" "-Iinclude" "map_example.c" "-ljourneygraph_c" "./map_example")
readme_compile("${program}" map_example)
readme_run_and_compare(map_example "${WORK_DIR}" "${shown}")
if(NOT EXISTS "${WORK_DIR}/report.html")
  message(FATAL_ERROR "FAIL: the README's journey-map C example wrote no report.html")
endif()
message(STATUS "ok: the README's journey-map C example compiles, runs and prints what the README shows")
