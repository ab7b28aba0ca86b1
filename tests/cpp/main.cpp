// Catch2 v2's main, compiled once for the whole C++ test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
