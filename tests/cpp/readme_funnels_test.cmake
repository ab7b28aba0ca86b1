# The funnels, paths and drivers C++ example of README.md runs as written: the ```cpp block of the
# "## Funnels, paths and drivers" section is compiled against this build's static library with the section's
# command line and run; every line of the section's ```text block must appear in its output.
# cmake -DSOURCE_DIR=... -DLIB_DIR=... -DWORK_DIR=... -DC_COMPILER=... -DCXX_COMPILER=... -P readme_funnels_test.cmake

include("${SOURCE_DIR}/tests/c/readme_common.cmake")

readme_section("Funnels, paths and drivers" section)
readme_block("${section}" cpp 0 program)
readme_block("${section}" text 0 shown)
readme_block("${section}" sh 0 commands)
readme_require_commands("${commands}" "g++ -std=c++17" "-Iinclude" "funnels_example.cpp" "build/libjourneygraph.a"
                        "-pthread" "./funnels_example")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(WRITE "${WORK_DIR}/funnels_example.cpp" "${program}")
execute_process(
  COMMAND ${CXX_COMPILER} -std=c++17 -O2 -Wall -Wextra -Werror "-I${SOURCE_DIR}/include" "${WORK_DIR}/funnels_example.cpp"
          "${LIB_DIR}/libjourneygraph.a" -pthread -o "${WORK_DIR}/funnels_example"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "FAIL: the README's example funnels_example.cpp does not compile:\n${err}")
endif()
readme_run_and_compare(funnels_example "${WORK_DIR}" "${shown}")
message(STATUS "ok: the README's funnels, paths and drivers example compiles, runs and prints what the README shows")
