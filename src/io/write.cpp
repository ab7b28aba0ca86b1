// Writing text: every write, the flush and the close are checked, and a named regular file is replaced only
// once the whole text is on disk, so a failed or interrupted write never leaves a partial file under the
// target name.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {

namespace {

std::string reason(int err) { return std::strerror(err); }

// Writes all of text to fd, retrying short writes and EINTR; 0 or the errno of the failure.
int write_all(int fd, std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

// Devices, pipes and other files that are not regular (/dev/stdout, /dev/full, a FIFO) cannot be replaced
// by renaming: they are written in place.
void write_in_place(const std::string& file, const std::string& name, std::string_view text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot write " + name + ": " + reason(errno));
  const int err = write_all(fd, text);
  const int close_err = ::close(fd) != 0 ? errno : 0;
  if (err) throw IoError("error writing " + name + ": " + reason(err));
  if (close_err) throw IoError("error closing " + name + ": " + reason(close_err));
}

std::atomic<unsigned> temp_counter{0};

}  // namespace

void write_text_file(const std::string& name, std::string_view text) {
  if (name.empty()) throw IoError("cannot write a file with an empty name");
  // A symbolic link is followed: the file it points to is replaced, the link stays.
  std::string file = name;
  struct stat st {};
  if (::lstat(name.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    if (char* real = ::realpath(name.c_str(), nullptr)) {
      file = real;
      std::free(real);
    }
  }
  const bool exists = ::stat(file.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw IoError("cannot write " + name + ": " + reason(EISDIR));
  if (exists && !S_ISREG(st.st_mode)) return write_in_place(file, name, text);
  // The temporary file sits beside the target so that the rename stays within one file system; it is
  // created with mode 0666 (less the umask), as the target itself would be.
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temp = file + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(temp_counter++);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt > 100)) throw IoError("cannot write " + name + ": " + reason(errno));
  }
  if (exists) (void)::fchmod(fd, st.st_mode & 07777);  // a replaced file keeps its permissions
  int err = write_all(fd, text);
  if (!err && ::fsync(fd) != 0 && errno != EINVAL && errno != EROFS) err = errno;
  if (::close(fd) != 0 && !err) err = errno;
  if (!err && ::rename(temp.c_str(), file.c_str()) != 0) err = errno;
  if (err) {
    ::unlink(temp.c_str());
    throw IoError("error writing " + name + ": " + reason(err));
  }
}

void write_standard_output(std::string_view text) {
  // Text printed earlier through stdio goes first; its own write error shows here.
  const int flush_err = std::fflush(stdout) != 0 ? errno : 0;
  if (flush_err) throw IoError("error writing to standard output: " + reason(flush_err));
  if (const int err = write_all(STDOUT_FILENO, text))
    throw IoError("error writing to standard output: " + reason(err));
}

}  // namespace journeygraph
