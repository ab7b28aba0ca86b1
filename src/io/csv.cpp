#include "io/csv.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include "common/text.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph::detail {
namespace {
constexpr std::size_t kChunk = std::size_t(1) << 22;
// Bytes of a field quoted in an error message (the ParseError's value keeps up to kValueBytes).
constexpr std::size_t kShownBytes = 40;
constexpr std::size_t kValueBytes = 200;

// A delimiter that is also the quote, a line end or NUL would make records ambiguous.
void check_format(const CsvFormat& format) {
  const char d = format.delimiter;
  if (d == '"' || d == '\n' || d == '\r' || d == '\0')
    throw InvalidArgument("the CSV delimiter cannot be " + show(std::string_view(&d, 1)) +
                          " (the quote, a line end or NUL)");
}

// The bytes that end an unquoted field's text: the delimiter, a line end, NUL.
std::array<bool, 256> field_stops(char delimiter) {
  std::array<bool, 256> t{};
  for (char c : {delimiter, '\n', '\r', '\0'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}
}  // namespace

CsvReader::CsvReader(const std::string& file, const CsvFormat& format)
    : name_(file), format_(format), stops_(field_stops(format.delimiter)) {
  check_format(format);
  file_ = std::fopen(file.c_str(), "rb");
  if (!file_) throw IoError("cannot open " + file + ": " + std::strerror(errno));
  if (std::fseek(file_, 0, SEEK_END) == 0) {
    long size = std::ftell(file_);
    if (size > 0) total_ = static_cast<std::uint64_t>(size);
    std::fseek(file_, 0, SEEK_SET);
  }
  buf_.resize(kChunk);
}

CsvReader::CsvReader(std::string_view text, std::string name, const CsvFormat& format)
    : name_(std::move(name)), format_(format), memory_(text), total_(text.size()), stops_(field_stops(format.delimiter)) {
  check_format(format);
}

CsvReader::CsvReader(std::string_view text, std::string name, const CsvFormat& format, std::uint64_t first_line,
                     bool at_start)
    : CsvReader(text, std::move(name), format) {
  line_ = first_line;
  at_start_ = at_start;
}

CsvReader::~CsvReader() {
  if (file_) std::fclose(file_);
}

void CsvReader::fail(std::size_t i, const std::string& field_name, const std::string& message) const {
  throw ParseError(name_, i < fields_.size() ? fields_[i].line : record_line_, i < fields_.size() ? fields_[i].column : 0,
                   field_name,
                   i < views_.size() ? std::string(views_[i].substr(0, 200)) : std::string(), message);
}

// Moves the unparsed tail to the front of the buffer and reads more. False when nothing more can be read.
bool CsvReader::refill() {
  if (!file_) return false;
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    consumed_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) {
    // A record longer than the buffer: grow, but never beyond what the field limit can justify.
    const std::size_t max_field = format_.max_field_bytes;
    const std::size_t limit = max_field > (SIZE_MAX - kChunk) / 64 ? SIZE_MAX : max_field * 64 + kChunk;
    if (buf_.size() >= limit) {
      std::string_view head(buf_.data(), std::min(end_, kValueBytes));
      throw ParseError(name_, line_, 1, "", std::string(head),
                       "record longer than " + std::to_string(buf_.size()) + " bytes (64 times max_field_bytes), starting " +
                           show(head, kShownBytes));
    }
    buf_.resize(buf_.size() * 2);
  }
  std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (got == 0) {
    if (std::ferror(file_)) throw IoError("error reading " + name_ + ": " + std::strerror(errno));
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool CsvReader::next() {
  if (!started_) {
    started_ = true;
    if (!file_) {
      // Memory input is parsed in place.
      buf_.clear();
      pos_ = 0;
      end_ = memory_.size();
      eof_ = true;
    } else {
      refill();
    }
    const char* b = file_ ? buf_.data() : memory_.data();
    if (at_start_ && end_ >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  while (true) {
    if (resync_ && !skip_line()) {
      if (!refill()) eof_ = true;
      continue;
    }
    Result r = parse_record();
    if (r == Result::record) return true;
    if (r == Result::blank) {
      ++blank_lines_;
      continue;
    }
    if (r == Result::eof) return false;
    if (!refill()) eof_ = true;  // parse again with eof_ set: the tail is the last record
  }
}

void CsvReader::restart(std::size_t offset, std::uint64_t line) noexcept {
  started_ = true;
  buf_.clear();
  pos_ = offset;
  end_ = memory_.size();
  eof_ = true;
  line_ = line;
  resync_ = false;
}

// After a skippable error: moves past the end of the physical line at pos_. False if more input is needed.
bool CsvReader::skip_line() {
  const char* data = file_ ? buf_.data() : memory_.data();
  std::size_t k = pos_;
  while (k < end_ && data[k] != '\n' && data[k] != '\r') ++k;
  if (k >= end_) {
    pos_ = end_;
    if (!eof_) return false;
    resync_ = false;
    return true;
  }
  if (data[k] == '\r' && k + 1 >= end_ && !eof_) {
    pos_ = k;  // a CR at the end of the buffer: is it CRLF?
    return false;
  }
  pos_ = k + 1 + (data[k] == '\r' && k + 1 < end_ && data[k + 1] == '\n' ? 1 : 0);
  ++line_;
  resync_ = false;
  return true;
}

CsvReader::Result CsvReader::parse_record() {
  const char* data = file_ ? buf_.data() : memory_.data();
  std::size_t p = pos_;
  const std::size_t end = end_;
  std::uint64_t line = line_;
  std::size_t line_start = p;  // offset of the current line's first byte
  // Columns count from the true start of the line; a record always starts a line.
  fields_.clear();
  scratch_.clear();
  const char delim = format_.delimiter;
  const std::size_t max_field = format_.max_field_bytes;
  if (p >= end) return eof_ ? Result::eof : Result::need_more;
  // Blank line?
  if (data[p] == '\n' || data[p] == '\r') {
    std::size_t q = p + 1;
    if (data[p] == '\r') {
      if (q >= end && !eof_) return Result::need_more;
      if (q < end && data[q] == '\n') ++q;
    }
    pos_ = q;
    ++line_;
    return Result::blank;
  }
  // An error in the field f (index fields_.size() of the record); its value is the text [from, to), cut
  // at kValueBytes. With skip_bad_rows, the reader resumes after the physical line that holds byte `at`.
  auto error = [&](const Field& f, std::size_t from, std::size_t to, const std::string& message,
                   std::size_t at = std::string::npos) -> ParseError {
    if (at != std::string::npos && format_.skip_bad_rows) {
      pos_ = at;
      line_ = line;
      resync_ = true;
    }
    const std::size_t i = fields_.size();
    return ParseError(name_, f.line, f.column, i < names_.size() ? names_[i] : std::string(),
                      std::string(data + from, std::min(to - from, kValueBytes)), message);
  };
  // The text [from, to) quoted for a message (at most kShownBytes of it).
  auto shown = [&](std::size_t from, std::size_t to) { return show(std::string_view(data + from, to - from), kShownBytes); };
  // A field over the size limit, quoted by its first bytes.
  auto too_long = [&](const Field& f, std::size_t from, std::size_t at) {
    const std::size_t head = std::min(at - from, kShownBytes);
    return error(f, from, from + head,
                 "field longer than " + std::to_string(max_field) + " bytes (max_field_bytes); it starts with " +
                     show(std::string_view(data + from, head)),
                 at);
  };
  // End of an unquoted field's text from q: the delimiter, a line end, the end of input, or `from` +
  // kValueBytes, whichever comes first (enough to show it in a message).
  auto field_end = [&](std::size_t from, std::size_t q) {
    while (q < end && q - from < kValueBytes && data[q] != delim && data[q] != '\n' && data[q] != '\r') ++q;
    return q;
  };
  while (true) {
    // One field starting at p.
    Field f{p, 0, p - line_start + 1, line, false};
    const std::size_t f_start = p;
    if (p < end && data[p] == '"') {
      std::size_t q = p + 1;
      std::size_t seg_start = q;
      bool escaped = false;
      std::size_t scratch_start = scratch_.size();
      while (true) {
        if (q >= end) {
          if (!eof_) return Result::need_more;
          throw error(f, p, end,
                      "unterminated quoted field: the quote opened here is never closed; the field starts " + shown(p, end));
        }
        char c = data[q];
        if (c == '"') {
          if (q + 1 >= end && !eof_) return Result::need_more;
          if (q + 1 < end && data[q + 1] == '"') {
            scratch_.append(data + seg_start, q - seg_start);
            scratch_.push_back('"');
            escaped = true;
            q += 2;
            seg_start = q;
            continue;
          }
          break;  // closing quote at q
        }
        if (c == '\0') {
          if (q + 1 + kShownBytes > end && !eof_) return Result::need_more;
          const std::size_t to = std::min(end, q + 1 + kShownBytes);
          throw error(f, p, to, "NUL byte at byte " + std::to_string(q - p + 1) + " of the quoted field " + shown(p, to), q);
        }
        if (c == '\n') {
          ++line;
          line_start = q + 1;
        }
        ++q;
        if (q - p - 1 > max_field)  // bytes between the quotes so far
          throw too_long(f, p, q);
      }
      if (escaped) {
        scratch_.append(data + seg_start, q - seg_start);
        f.offset = scratch_start;
        f.length = scratch_.size() - scratch_start;
        f.escaped = true;
      } else {
        f.offset = p + 1;
        f.length = q - (p + 1);
      }
      p = q + 1;  // after the closing quote
      if (p < end && data[p] != delim && data[p] != '\n' && data[p] != '\r') {
        const std::size_t fe = field_end(f_start, p);
        if (fe >= end && !eof_ && fe - f_start < kValueBytes) return Result::need_more;
        throw error(f, f_start, fe,
                    "unexpected text after the closing quote at byte " + std::to_string(p - f_start + 1) +
                        " (a quote inside a field must be doubled) in " + shown(f_start, fe),
                    p);
      }
      if (p >= end && !eof_) return Result::need_more;
    } else {
      // Up to the first delimiter, line end or NUL (one table look-up a byte), and no further than one byte
      // past the size limit.
      std::size_t q = p;
      const std::size_t stop = end - p > max_field ? p + max_field + 1 : end;
      while (q < stop && !stops_[static_cast<unsigned char>(data[q])]) ++q;
      if (q - p > max_field) throw too_long(f, p, q);
      if (q < end && data[q] == '\0') {
        const std::size_t fe = field_end(p, q + 1);
        if (fe >= end && !eof_ && fe - p < kValueBytes) return Result::need_more;
        throw error(f, p, fe, "NUL byte at byte " + std::to_string(q - p + 1) + " of the field " + shown(p, fe), q);
      }
      if (q >= end && !eof_) return Result::need_more;
      f.length = q - p;
      p = q;
    }
    fields_.push_back(f);
    if (p >= end) break;  // end of input ends the record
    char c = data[p];
    if (c == delim) {
      ++p;
      continue;
    }
    // Record end: LF, CRLF or a lone CR.
    if (c == '\r') {
      if (p + 1 >= end && !eof_) return Result::need_more;
      p += (p + 1 < end && data[p + 1] == '\n') ? 2 : 1;
    } else {
      ++p;
    }
    ++line;
    break;
  }
  record_line_ = line_;
  line_ = line;
  pos_ = p;
  views_.resize(fields_.size());
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    views_[i] = f.escaped ? std::string_view(scratch_.data() + f.offset, f.length)
                          : std::string_view(data + f.offset, f.length);
  }
  return Result::record;
}

}  // namespace journeygraph::detail
