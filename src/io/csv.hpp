#pragma once
// Internal streaming CSV tokenizer (RFC 4180 plus CRLF, a lone CR, a UTF-8 BOM and blank lines).
// Fields are views valid until the next call to next(). Every position is exact: the 1-based line where a
// record starts and the 1-based byte column where each field starts.

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/io.hpp"

namespace journeygraph::detail {

class CsvReader {
 public:
  // Reads a file; throws IoError if it cannot be opened.
  CsvReader(const std::string& file, const CsvFormat& format);
  // Reads text in memory (not copied; must outlive the reader); name is used in messages.
  CsvReader(std::string_view text, std::string name, const CsvFormat& format);
  // A piece of a larger text that starts at a record boundary on physical line first_line: positions are
  // those of the whole text; a UTF-8 BOM is skipped only at the start of the whole text (first_line 1 and
  // at_start).
  CsvReader(std::string_view text, std::string name, const CsvFormat& format, std::uint64_t first_line, bool at_start);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Advances to the next non-blank record; false at end of input. Throws ParseError on an unterminated
  // quote, a NUL byte, a field over the size limit, or text after a closing quote. With skip_bad_rows, all
  // but the unterminated quote leave the reader ready to go on after the physical line of the error
  // (skipping() is then true until the next call).
  bool next();
  // Text in memory only: the next call to next() parses from byte `offset` of the text, which starts physical
  // line `line` and a record (for a reader that handles some records of a text and leaves others to a faster
  // scanner). Clears a pending resynchronisation; blank_lines() keeps counting.
  void restart(std::size_t offset, std::uint64_t line) noexcept;
  // Whether the last ParseError of next() can be skipped (the reader resumes at the next line).
  bool skipping() const noexcept { return resync_; }
  std::size_t size() const noexcept { return fields_.size(); }
  std::string_view field(std::size_t i) const noexcept { return views_[i]; }
  std::uint64_t line() const noexcept { return record_line_; }
  std::uint64_t column(std::size_t i) const noexcept { return fields_[i].column; }
  std::uint64_t blank_lines() const noexcept { return blank_lines_; }
  // The physical line the next record starts on.
  std::uint64_t next_line() const noexcept { return line_; }
  const std::string& name() const noexcept { return name_; }
  // Bytes consumed so far and total size when known (0 otherwise), for progress.
  std::uint64_t bytes_read() const noexcept { return consumed_ + pos_; }
  std::uint64_t total_bytes() const noexcept { return total_; }
  // A ParseError at field i of the current record.
  [[noreturn]] void fail(std::size_t i, const std::string& field_name, const std::string& message) const;
  // Column names (from the header) used to name the field in the tokenizer's own errors.
  void set_field_names(std::vector<std::string> names) { names_ = std::move(names); }

 private:
  struct Field {
    std::size_t offset;  // into buf_ (quoted == false) or scratch_ (escaped == true)
    std::size_t length;
    std::uint64_t column;
    std::uint64_t line;
    bool escaped;
  };
  enum class Result { record, blank, need_more, eof };
  Result parse_record();
  bool refill();
  bool skip_line();

  std::string name_;
  CsvFormat format_;
  std::FILE* file_ = nullptr;
  std::string_view memory_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false, started_ = false, resync_ = false, at_start_ = true;
  std::uint64_t consumed_ = 0, total_ = 0;
  std::uint64_t line_ = 1, record_line_ = 0, blank_lines_ = 0;
  std::vector<Field> fields_;
  std::vector<std::string_view> views_;
  std::string scratch_;
  std::vector<std::string> names_;
  std::array<bool, 256> stops_;  // bytes that end an unquoted field
};

// The names of the reader's first row (trimmed): the header of read_csv_header, also for text in memory.
// Throws ParseError naming `name` when there is no row.
std::vector<std::string> header_names(CsvReader& reader, const std::string& name);

}  // namespace journeygraph::detail
