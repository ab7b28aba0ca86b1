#pragma once
/// \file version.hpp
/// Compile-time and run-time version of the journeygraph library.

#include "journeygraph/version.h"

namespace journeygraph {

/// Version the headers were compiled with, as "MAJOR.MINOR.PATCH".
inline constexpr const char* kVersionString = JG_VERSION_STRING;

/// Version of the compiled library, as "MAJOR.MINOR.PATCH".
/// Differs from kVersionString only when headers and binary are mismatched.
/// Complexity: O(1).
const char* version_string() noexcept;

}  // namespace journeygraph
