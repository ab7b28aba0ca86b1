#pragma once
/// \file error.hpp
/// The exceptions journeygraph throws. Every error derives from journeygraph::Error; the C ABI maps the
/// concrete type to a jg_status code and Python maps them all to journeygraph.JourneyGraphError.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace journeygraph {

/// Kind of failure; one per exception class, used by the C ABI to pick a status code.
enum class ErrorKind {
  invalid_argument,  ///< a precondition on an argument or option does not hold
  parse,             ///< input text could not be parsed (see ParseError for the location)
  io,                ///< a file could not be opened, read or written
  state,             ///< the object is not in a state that allows the call (e.g. an unfitted model)
  data,              ///< the data cannot give an answer (e.g. no conversions to attribute)
  interrupted,       ///< a progress callback asked to stop
};

/// Base of every journeygraph exception. what() is a complete, human-readable message.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::string option = {})
      : std::runtime_error(message), kind_(kind), option_(std::move(option)) {}
  /// The kind of failure.
  ErrorKind kind() const noexcept { return kind_; }
  /// The field of the options struct whose value is at fault, as spelled in the struct ("steps", "kgrams",
  /// "at_least" of DriverOptions, ...), or empty when no single option is. A face maps it to its own spelling
  /// (the program's --steps, --at-least); what() does not repeat it. Complexity: O(1).
  const std::string& option() const noexcept { return option_; }

 private:
  ErrorKind kind_;
  std::string option_;
};

/// An argument or option is out of its documented domain.
class InvalidArgument : public Error {
 public:
  explicit InvalidArgument(const std::string& message, std::string option = {})
      : Error(ErrorKind::invalid_argument, message, std::move(option)) {}
};

/// A file could not be opened, read or written. The message names the file and the system reason.
class IoError : public Error {
 public:
  explicit IoError(const std::string& message) : Error(ErrorKind::io, message) {}
};

/// The call is not allowed in the object's current state.
class StateError : public Error {
 public:
  explicit StateError(const std::string& message, std::string option = {})
      : Error(ErrorKind::state, message, std::move(option)) {}
};

/// The input is well formed but cannot give a meaningful answer (empty, no conversions, ...).
class DataError : public Error {
 public:
  explicit DataError(const std::string& message, std::string option = {})
      : Error(ErrorKind::data, message, std::move(option)) {}
};

/// Work was cancelled by a progress callback.
class Interrupted : public Error {
 public:
  explicit Interrupted(const std::string& message) : Error(ErrorKind::interrupted, message) {}
};

/// Malformed input text. what() reads "FILE:LINE:COLUMN: field 'NAME': MESSAGE"; the parts are also
/// available separately. line and column are 1-based; column counts bytes from the start of the line.
/// A part that does not apply is 0 (line, column) or empty (file, field, value).
class ParseError : public Error {
 public:
  ParseError(std::string file, std::uint64_t line, std::uint64_t column, std::string field, std::string value,
             const std::string& message);
  /// File name as given by the caller ("<memory>" for in-memory input).
  const std::string& file() const noexcept { return file_; }
  /// 1-based line of the record (the line where it starts), or 0.
  std::uint64_t line() const noexcept { return line_; }
  /// 1-based byte column of the offending field within its line, or 0.
  std::uint64_t column() const noexcept { return column_; }
  /// Name of the column (from the header) of the offending field, or empty.
  const std::string& field() const noexcept { return field_; }
  /// The offending text, possibly shortened for display.
  const std::string& value() const noexcept { return value_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::uint64_t column_;
  std::string field_;
  std::string value_;
};

}  // namespace journeygraph
