#pragma once
// Shared by the C++ tests that write inputs: a temporary file removed at the end of its scope, and a small
// deterministic generator for the tests that make large inputs.

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace jgtest {

// A file the test writes (bytes exactly as given) in the tests' temporary directory and removes.
struct TempFile {
  std::string path;
  TempFile(const std::string& name, const std::string& bytes) : path(std::string(JG_TEST_TMP_DIR) + "/" + name) {
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), std::streamsize(bytes.size()));
    f.close();
    REQUIRE(f.good());
  }
  ~TempFile() { std::remove(path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

// A small deterministic generator (64-bit LCG, high bits): next(n) is in [0, n).
struct Lcg {
  std::uint64_t s;
  std::uint32_t next(std::uint32_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return std::uint32_t((s >> 33) % n);
  }
};

}  // namespace jgtest
