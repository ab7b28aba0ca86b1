# Install and export rules: headers, the static C++ library, the C ABI shared library, the CLI, and the
# CMake package (find_package(journeygraph) gives journeygraph::journeygraph and journeygraph::c) plus a
# pkg-config file for C programs built without CMake.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(JG_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/journeygraph)

install(TARGETS journeygraph journeygraph_c
  EXPORT journeygraphTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/journeygraph
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

if(TARGET journeygraph_cli)
  install(TARGETS journeygraph_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT journeygraphTargets
  NAMESPACE journeygraph::
  FILE journeygraphTargets.cmake
  DESTINATION ${JG_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/journeygraphConfig.cmake.in
  ${PROJECT_BINARY_DIR}/journeygraphConfig.cmake
  INSTALL_DESTINATION ${JG_INSTALL_CMAKEDIR})
# The C ABI only grows within a major version (SOVERSION = major), so any version of the same major
# satisfies a request for an older one.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/journeygraphConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/journeygraphConfig.cmake
  ${PROJECT_BINARY_DIR}/journeygraphConfigVersion.cmake
  DESTINATION ${JG_INSTALL_CMAKEDIR})

# The .pc file finds the prefix relative to itself, so the installed tree can be moved.
string(REGEX REPLACE "[^/]+" ".." JG_PC_TO_PREFIX "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
configure_file(${PROJECT_SOURCE_DIR}/cmake/journeygraph_c.pc.in ${PROJECT_BINARY_DIR}/journeygraph_c.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/journeygraph_c.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
