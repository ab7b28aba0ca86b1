# Shared steps of the tests that run README.md's C examples as written (readme_test.cmake,
# readme_map_test.cmake): find a section and its fenced blocks, check the section's command line, compile
# the example against this build's library, run it, and find every output line the README shows.
# The including script defines SOURCE_DIR, LIB_DIR, WORK_DIR, C_COMPILER and optionally SANITIZE.

foreach(var SOURCE_DIR LIB_DIR WORK_DIR C_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${CMAKE_CURRENT_LIST_FILE} needs -D${var}=...")
  endif()
endforeach()

# The text of README.md's "## <title>" section, up to the next "## " heading.
function(readme_section title out)
  file(READ "${SOURCE_DIR}/README.md" readme)
  string(FIND "${readme}" "\n## ${title}\n" start)
  if(start EQUAL -1)
    message(FATAL_ERROR "FAIL: README.md has no \"## ${title}\" section")
  endif()
  string(SUBSTRING "${readme}" ${start} -1 section)
  string(SUBSTRING "${section}" 1 -1 rest)
  string(FIND "${rest}" "\n## " next)
  if(NOT next EQUAL -1)
    string(SUBSTRING "${section}" 0 ${next} section)
  endif()
  set(${out} "${section}" PARENT_SCOPE)
endfunction()

# The body of the nth (0-based) ```<lang> block of a section.
function(readme_block section lang nth out)
  set(from "${section}")
  foreach(i RANGE ${nth})
    string(FIND "${from}" "```${lang}\n" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "FAIL: a README section lacks ```${lang} block number ${nth}")
    endif()
    string(LENGTH "```${lang}\n" skip)
    math(EXPR at "${at} + ${skip}")
    string(SUBSTRING "${from}" ${at} -1 from)
  endforeach()
  string(FIND "${from}" "```" end)
  string(SUBSTRING "${from}" 0 ${end} body)
  set(${out} "${body}" PARENT_SCOPE)
endfunction()

# Fails unless the README's commands contain every piece (the command line the README gives must be the one
# tested).
function(readme_require_commands commands)
  foreach(piece IN LISTS ARGN)
    string(FIND "${commands}" "${piece}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "FAIL: the README's commands no longer contain '${piece}': update this test")
    endif()
  endforeach()
endfunction()

# Writes program to WORK_DIR/<name>.c (the directory is emptied first) and compiles it strictly into
# WORK_DIR/<name>. In a sanitizer build the example gets the same -fsanitize flags, so that the sanitizer
# runtime comes first when it loads the instrumented library.
function(readme_compile program name)
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  file(WRITE "${WORK_DIR}/${name}.c" "${program}")
  set(sanitize_flags)
  if(SANITIZE)
    set(sanitize_flags "-fsanitize=${SANITIZE}")
  endif()
  execute_process(
    COMMAND ${C_COMPILER} ${sanitize_flags} -std=c99 -pedantic -Wall -Wextra -Werror "-I${SOURCE_DIR}/include"
            "${WORK_DIR}/${name}.c" "-L${LIB_DIR}" -ljourneygraph_c "-Wl,-rpath,${LIB_DIR}" -o "${WORK_DIR}/${name}"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "FAIL: the README's example ${name}.c does not compile:\n${err}")
  endif()
endfunction()

# Runs WORK_DIR/<name> with ARGN in directory dir; fails unless it exits with 0 and prints every non-empty
# line of shown (a "..." line stands for omitted rows), at least 3 of them.
function(readme_run_and_compare name dir shown)
  execute_process(COMMAND "${WORK_DIR}/${name}" ${ARGN} WORKING_DIRECTORY "${dir}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "FAIL: the README's example ${name} exited with ${rc}: ${err}")
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
    message(FATAL_ERROR "FAIL: the README shows fewer than 3 output lines of ${name}")
  endif()
endfunction()
