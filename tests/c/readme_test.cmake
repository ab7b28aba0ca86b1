# The C example of README.md runs as written: the first ```c block of the "## C" section is compiled with
# the section's command line (against this build's library), run on the reference paths from the source
# directory, and every line of the section's ```text block (the output it shows) must appear in the output.
# cmake -DSOURCE_DIR=... -DLIB_DIR=... -DWORK_DIR=... -DC_COMPILER=... -P readme_test.cmake

foreach(var SOURCE_DIR LIB_DIR WORK_DIR C_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "readme_test.cmake needs -D${var}=...")
  endif()
endforeach()

file(READ "${SOURCE_DIR}/README.md" readme)
string(FIND "${readme}" "\n## C\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "FAIL: README.md has no \"## C\" section")
endif()
string(SUBSTRING "${readme}" ${start} -1 section)
string(SUBSTRING "${section}" 1 -1 rest)
string(FIND "${rest}" "\n## " next)
if(NOT next EQUAL -1)
  string(SUBSTRING "${section}" 0 ${next} section)
endif()

function(readme_block lang out)
  string(FIND "${section}" "```${lang}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "FAIL: the C section of README.md has no ```${lang} block")
  endif()
  string(LENGTH "```${lang}\n" skip)
  math(EXPR at "${at} + ${skip}")
  string(SUBSTRING "${section}" ${at} -1 tail)
  string(FIND "${tail}" "```" end)
  string(SUBSTRING "${tail}" 0 ${end} body)
  set(${out} "${body}" PARENT_SCOPE)
endfunction()

readme_block(c program)
readme_block(text shown)
readme_block(sh commands)

# The command line the README gives must be the one tested here.
foreach(piece "cc -std=c99" "-Iinclude" "example.c" "-ljourneygraph_c" "./example tests/data/reference/pathdata.csv")
  string(FIND "${commands}" "${piece}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "FAIL: the README's commands no longer contain '${piece}': update this test")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(WRITE "${WORK_DIR}/example.c" "${program}")
# In a sanitizer build (-DSANITIZE=...) the example gets the same -fsanitize flags, so that the sanitizer
# runtime comes first when it loads the instrumented library.
set(sanitize_flags)
if(SANITIZE)
  set(sanitize_flags "-fsanitize=${SANITIZE}")
endif()
execute_process(
  COMMAND ${C_COMPILER} ${sanitize_flags} -std=c99 -pedantic -Wall -Wextra -Werror "-I${SOURCE_DIR}/include" "${WORK_DIR}/example.c"
          "-L${LIB_DIR}" -ljourneygraph_c "-Wl,-rpath,${LIB_DIR}" -o "${WORK_DIR}/example"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "FAIL: the README's C example does not compile:\n${err}")
endif()
execute_process(COMMAND "${WORK_DIR}/example" tests/data/reference/pathdata.csv WORKING_DIRECTORY "${SOURCE_DIR}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "FAIL: the README's C example exited with ${rc}: ${err}")
endif()
string(REPLACE "\n" ";" lines "${shown}")
set(n 0)
foreach(line IN LISTS lines)
  if(line STREQUAL "" OR line STREQUAL "...")
    continue()
  endif()
  string(FIND "${out}" "${line}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "FAIL: the README shows '${line}' but the example printed:\n${out}")
  endif()
  math(EXPR n "${n} + 1")
endforeach()
if(n LESS 3)
  message(FATAL_ERROR "FAIL: the README's C section shows fewer than 3 output lines")
endif()
# Malformed input: the message names file, line and column.
execute_process(COMMAND "${WORK_DIR}/example" "${WORK_DIR}/example.c" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "example.c:1")
  message(FATAL_ERROR "FAIL: the README's C example on malformed input: exit ${rc}, stderr: ${err}")
endif()
message(STATUS "ok: the README's C example compiles, runs and prints the ${n} lines it shows")
