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

std::atomic<unsigned> temp_counter{0};

}  // namespace

TextFileWriter::TextFileWriter(const std::string& name) : name_(name) {
  if (name.empty()) throw IoError("cannot write a file with an empty name");
  if (name == "-") {
    // Standard output, in place; text printed earlier through stdio goes first.
    name_ = "standard output";
    if (std::fflush(stdout) != 0) throw IoError("error writing to standard output: " + reason(errno));
    fd_ = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
    if (fd_ < 0) throw IoError("cannot write to standard output: " + reason(errno));
    return;
  }
  // A symbolic link is followed: the file it points to is replaced, the link stays.
  file_ = name;
  struct stat st {};
  if (::lstat(name.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    if (char* real = ::realpath(name.c_str(), nullptr)) {
      file_ = real;
      std::free(real);
    }
  }
  const bool exists = ::stat(file_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw IoError("cannot write " + name + ": " + reason(EISDIR));
  if (exists && !S_ISREG(st.st_mode)) {
    fd_ = ::open(file_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) throw IoError("cannot write " + name + ": " + reason(errno));
    return;
  }
  // The temporary file sits beside the target so that the rename stays within one file system; it is
  // created with mode 0666 (less the umask), as the target itself would be.
  for (int attempt = 0; fd_ < 0; ++attempt) {
    temp_ = file_ + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(temp_counter++);
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0 && (errno != EEXIST || attempt > 100)) throw IoError("cannot write " + name + ": " + reason(errno));
  }
  if (exists) (void)::fchmod(fd_, st.st_mode & 07777);  // a replaced file keeps its permissions
}

TextFileWriter::~TextFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

void TextFileWriter::fail(int err) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  throw IoError("error writing " + target() + ": " + reason(err));
}

// "/dev/full", "out.csv"; "to standard output", as write_standard_output says it.
std::string TextFileWriter::target() const { return file_.empty() ? "to " + name_ : name_; }

void TextFileWriter::write(std::string_view text) {
  if (fd_ < 0) throw IoError("error writing " + name_ + ": the file is closed");
  buffer_.append(text.data(), text.size());
  // Large pieces go out at once; small ones are gathered so a row-by-row writer makes few system calls.
  if (buffer_.size() >= (1u << 20)) {
    if (const int err = write_all(fd_, buffer_)) fail(err);
    buffer_.clear();
  }
}

void TextFileWriter::commit() {
  if (fd_ < 0) throw IoError("error writing " + name_ + ": the file is closed");
  int err = write_all(fd_, buffer_);
  buffer_.clear();
  if (temp_.empty()) {  // a device or pipe, written in place
    const int close_err = ::close(fd_) != 0 ? errno : 0;
    fd_ = -1;
    if (err) throw IoError("error writing " + target() + ": " + reason(err));
    if (close_err) throw IoError("error closing " + name_ + ": " + reason(close_err));
    return;
  }
  if (!err && ::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) err = errno;
  if (::close(fd_) != 0 && !err) err = errno;
  fd_ = -1;
  if (!err && ::rename(temp_.c_str(), file_.c_str()) != 0) err = errno;
  if (err) fail(err);
  temp_.clear();
}

void write_text_file(const std::string& name, std::string_view text) {
  TextFileWriter out(name);
  out.write(text);
  out.commit();
}

void write_standard_output(std::string_view text) {
  // Text printed earlier through stdio goes first; its own write error shows here.
  const int flush_err = std::fflush(stdout) != 0 ? errno : 0;
  if (flush_err) throw IoError("error writing to standard output: " + reason(flush_err));
  if (const int err = write_all(STDOUT_FILENO, text))
    throw IoError("error writing to standard output: " + reason(err));
}

}  // namespace journeygraph
