# Installs the build to a temporary prefix, then builds examples/c and examples/cpp as separate CMake
# projects that find the installed package (find_package(journeygraph 0.1)), and examples/c once more
# with pkg-config; runs all of them on the reference paths and checks their output.
# cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -DC_COMPILER=... -DCXX_COMPILER=...
#       -DPKG_CONFIG=... -P install_test.cmake

foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR C_COMPILER CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_test.cmake needs -D${var}=...")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "FAIL: ${cmd}\nexit: ${rc}\n${out}\n${err}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

# What the package holds. The library directory is lib or lib64 or a multiarch one, as GNUInstallDirs says.
file(GLOB_RECURSE config "${prefix}/*/journeygraphConfig.cmake")
if(NOT config)
  message(FATAL_ERROR "FAIL: no journeygraphConfig.cmake under ${prefix}")
endif()
get_filename_component(config_dir "${config}" DIRECTORY)
get_filename_component(libdir "${config_dir}/../.." ABSOLUTE)
foreach(f include/journeygraph/journeygraph.h include/journeygraph/version.h include/journeygraph/journeygraph.hpp
          include/journeygraph/markov.hpp bin/journeygraph)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "FAIL: ${prefix}/${f} was not installed")
  endif()
endforeach()
foreach(f libjourneygraph.a libjourneygraph_c.so libjourneygraph_c.so.0 pkgconfig/journeygraph_c.pc
          cmake/journeygraph/journeygraphConfigVersion.cmake cmake/journeygraph/journeygraphTargets.cmake)
  if(NOT EXISTS "${libdir}/${f}")
    message(FATAL_ERROR "FAIL: ${libdir}/${f} was not installed")
  endif()
endforeach()
# The installed package must not point back into the source or build tree, nor need Eigen.
file(GLOB package_files "${config_dir}/*.cmake")
foreach(f ${package_files})
  file(READ "${f}" text)
  foreach(tree "${SOURCE_DIR}" "${BUILD_DIR}")
    string(FIND "${text}" "${tree}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "FAIL: ${f} refers to ${tree}")
    endif()
  endforeach()
  string(FIND "${text}" "Eigen3::" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "FAIL: ${f} links Eigen3::Eigen, which consumers do not need")
  endif()
endforeach()

set(paths "${SOURCE_DIR}/tests/data/reference/pathdata.csv")
set(outputs)
foreach(lang c cpp)
  set(bin "${WORK_DIR}/example-${lang}")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples/${lang}" -B "${bin}" -G "${GENERATOR}"
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
      -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
  file(STRINGS "${bin}/CMakeCache.txt" found REGEX "^journeygraph_DIR:")
  string(FIND "${found}" "${prefix}/" at)
  if(NOT at GREATER -1)
    message(FATAL_ERROR "FAIL: examples/${lang} found journeygraph outside the prefix: ${found}")
  endif()
  run(${CMAKE_COMMAND} --build "${bin}")
  foreach(order 1 3)
    execute_process(COMMAND "${bin}/attribute" "${paths}" ${order} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "FAIL: examples/${lang} attribute (order ${order}) exited with ${rc}: ${err}")
    endif()
    set(out_${lang}_${order} "${out}")
  endforeach()
  # Malformed input: a clear error naming file, line and column, and a failing exit status.
  file(WRITE "${WORK_DIR}/bad.csv" "path,total_conversions\na > b,1\nb,x\n")
  execute_process(COMMAND "${bin}/attribute" "${WORK_DIR}/bad.csv" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(rc EQUAL 0 OR NOT err MATCHES "bad.csv:3:3: field 'total_conversions'")
    message(FATAL_ERROR "FAIL: examples/${lang} on bad input: exit ${rc}, stderr: ${err}")
  endif()
endforeach()

# The C and the C++ example print the same table: the C ABI gives the C++ results bit for bit
# (%.17g round-trips doubles).
foreach(order 1 3)
  if(NOT out_c_${order} STREQUAL out_cpp_${order})
    message(FATAL_ERROR "FAIL: order ${order}: the C and C++ examples differ\nC:\n${out_c_${order}}\nC++:\n${out_cpp_${order}}")
  endif()
endforeach()
if(out_c_1 STREQUAL out_c_3)
  message(FATAL_ERROR "FAIL: orders 1 and 3 give the same table")
endif()

# The table: a header naming the models, then one row per touchpoint of the reference answers.
string(REGEX REPLACE "\n$" "" table "${out_c_1}")
string(REPLACE "\n" ";" rows "${table}")
list(GET rows 0 header)
if(NOT header MATCHES "^touchpoint,markov,markov_value,first_touch,first_touch_value,last_touch,last_touch_value,linear,linear_value")
  message(FATAL_ERROR "FAIL: unexpected header: ${header}")
endif()
list(REMOVE_AT rows 0)
file(READ "${SOURCE_DIR}/tests/data/reference/pathdata_expected.json" expected)
string(JSON n_expected LENGTH "${expected}" order1 attribution_conversions)
list(LENGTH rows n_rows)
if(NOT n_rows EQUAL n_expected)
  message(FATAL_ERROR "FAIL: ${n_rows} rows, expected ${n_expected} touchpoints")
endif()
foreach(row IN LISTS rows)
  string(REPLACE "," ";" cells "${row}")
  list(GET cells 0 touchpoint)
  list(GET cells 1 markov)
  string(JSON want GET "${expected}" order1 attribution_conversions "${touchpoint}")
  # Same number to 8 significant digits: compare the leading digits of both renderings.
  string(REGEX MATCH "^[0-9]+\\.?[0-9]*" got_digits "${markov}")
  string(REPLACE "." "" got_digits "${got_digits}")
  string(REPLACE "." "" want_digits "${want}")
  string(SUBSTRING "${got_digits}" 0 8 got8)
  string(SUBSTRING "${want_digits}" 0 8 want8)
  if(NOT got8 STREQUAL want8)
    message(FATAL_ERROR "FAIL: markov credit of ${touchpoint} is ${markov}, expected ${want}")
  endif()
endforeach()

# A C program built without CMake, with pkg-config.
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${libdir}/pkgconfig")
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs journeygraph_c RESULT_VARIABLE rc OUTPUT_VARIABLE flags
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "FAIL: pkg-config does not find journeygraph_c in ${libdir}/pkgconfig")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(${C_COMPILER} -std=c99 "${SOURCE_DIR}/examples/c/attribute.c" ${flags} "-Wl,-rpath,${libdir}"
      -o "${WORK_DIR}/attribute-pkg-config")
  execute_process(COMMAND "${WORK_DIR}/attribute-pkg-config" "${paths}" 1 RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL out_c_1)
    message(FATAL_ERROR "FAIL: the pkg-config build of examples/c gives another table (exit ${rc})")
  endif()
endif()

message(STATUS "ok: installed to ${prefix}; examples/c and examples/cpp built against it agree on orders 1 and 3")
