// Status codes, the thread-local last error, versions.

#include <new>
#include <stdexcept>
#include <string>

#include "capi/internal.hpp"
#include "journeygraph/version.hpp"

namespace journeygraph::capi {
namespace {

// The message of the last jg_status-returning call on this thread. When even recording the message
// runs out of memory, out_of_memory is set and a static text stands in for it.
thread_local std::string t_message;
thread_local bool t_message_lost = false;
thread_local const char* t_function = "jg";

jg_status status_of(ErrorKind kind) noexcept {
  // No default: a new ErrorKind must be mapped here (the compiler warns about unhandled values).
  switch (kind) {
    case ErrorKind::invalid_argument: return JG_EINVAL;
    case ErrorKind::parse: return JG_EPARSE;
    case ErrorKind::io: return JG_EIO;
    case ErrorKind::state: return JG_ESTATE;
    case ErrorKind::data: return JG_EDATA;
    case ErrorKind::interrupted: return JG_EINTERRUPTED;
  }
  return JG_EINTERNAL;
}

jg_status set_error(jg_status status, const char* message) noexcept {
  try {
    t_message.assign(message);
    t_message_lost = false;
  } catch (...) {
    t_message_lost = true;
  }
  return status;
}

}  // namespace

const char* current_function() noexcept { return t_function; }
void set_current_function(const char* name) noexcept { t_function = name; }

void clear_error() noexcept {
  t_message.clear();
  t_message_lost = false;
}

jg_status fail_with_current_exception() noexcept {
  try {
    throw;
  } catch (const StatusError& e) {
    return set_error(e.status, e.message.c_str());
  } catch (const Error& e) {
    return set_error(status_of(e.kind()), e.what());
  } catch (const std::bad_alloc&) {
    return set_error(JG_ENOMEM, "out of memory");
  } catch (const std::length_error& e) {
    // A container asked for more elements than it can hold: a size that cannot be allocated.
    try {
      return set_error(JG_ENOMEM, (std::string(t_function) + ": out of memory: a size too large to allocate (" +
                                   e.what() + ")").c_str());
    } catch (...) {
      return set_error(JG_ENOMEM, "out of memory");
    }
  } catch (const std::exception& e) {
    try {
      return set_error(JG_EINTERNAL, (std::string(t_function) + ": internal error: " + e.what()).c_str());
    } catch (...) {
      return set_error(JG_EINTERNAL, "internal error");
    }
  } catch (...) {
    return set_error(JG_EINTERNAL, "internal error: unknown exception");
  }
}

void invalid(const std::string& what) { throw InvalidArgument(std::string(t_function) + ": " + what); }

std::vector<std::string> text_array(const char* const* v, std::size_t n, const char* what, const char* count) {
  std::vector<std::string> out;
  if (n == 0) return out;
  if (!v) invalid(std::string(what) + " is NULL but " + count + " is " + std::to_string(n));
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!v[i]) invalid(std::string(what) + "[" + std::to_string(i) + "] is NULL");
    out.emplace_back(v[i]);
  }
  return out;
}

void check_index(std::size_t index, std::size_t size, const char* what) {
  if (index >= size)
    invalid(std::string(what) + " " + std::to_string(index) + " is out of range (there are " +
            std::to_string(size) + ")");
}

void check_version(unsigned version, unsigned current, const char* type) {
  if (version < 1 || version > current)
    invalid(std::string(type) + ".version is " + std::to_string(version) + " but this library (journeygraph " +
            version_string() + ") knows versions 1 to " + std::to_string(current) +
            "; initialise the struct with its _INIT macro or _init() function");
}

}  // namespace journeygraph::capi

using namespace journeygraph::capi;

extern "C" {

const char* jg_version_string(void) { return journeygraph::version_string(); }

unsigned jg_version_number(void) { return JG_VERSION_NUMBER; }

const char* jg_status_name(jg_status status) {
  switch (enum_value(status)) {
    case JG_OK: return "JG_OK";
    case JG_EINVAL: return "JG_EINVAL";
    case JG_ENOMEM: return "JG_ENOMEM";
    case JG_EBUFS: return "JG_EBUFS";
    case JG_ESTATE: return "JG_ESTATE";
    case JG_EIO: return "JG_EIO";
    case JG_EPARSE: return "JG_EPARSE";
    case JG_EDATA: return "JG_EDATA";
    case JG_EINTERRUPTED: return "JG_EINTERRUPTED";
    case JG_EINTERNAL: return "JG_EINTERNAL";
  }
  return "JG_E?";
}

const char* jg_last_error_message(void) {
  return t_message_lost ? "out of memory (the error message could not be recorded)" : t_message.c_str();
}

}  // extern "C"
