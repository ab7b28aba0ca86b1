// Writing text files: every write and the close are checked.

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {

void write_text_file(const std::string& file, std::string_view text) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (!f) throw IoError("cannot write " + file + ": " + std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int err = errno;
  if (std::fclose(f) != 0 || !ok) throw IoError("error writing " + file + ": " + std::strerror(ok ? errno : err));
}

}  // namespace journeygraph
