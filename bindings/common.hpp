#pragma once
// Shared pieces of the journeygraph._core extension: interruptible execution of long calls, numpy views in
// and out, and the one conversion of a result table into Python objects.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "journeygraph/error.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/table.hpp"

namespace jgpy {

namespace py = pybind11;
namespace jg = journeygraph;

// An Execution whose progress callback briefly takes the GIL to run pending signal handlers, then calls the
// thread's progress observer (see bind_progress) if one was set when the call started. When a handler or
// the observer raises (Ctrl-C raises KeyboardInterrupt), the Python exception is kept and the callback
// answers "stop"; the C++ call then throws journeygraph::Interrupted and raise_pending() restores it.
// Signal handlers run only in the main thread, so calls from other threads are not interruptible.
class Interrupter {
 public:
  explicit Interrupter(unsigned threads);
  Interrupter(const Interrupter&) = delete;
  Interrupter& operator=(const Interrupter&) = delete;
  const jg::Execution& exec() const noexcept { return exec_; }
  // Sets the Python error (the handler's exception, or KeyboardInterrupt) and throws error_already_set.
  // Precondition: the GIL is held.
  [[noreturn]] void raise_pending(const jg::Interrupted& e);

 private:
  struct Pending {
    PyObject* type = nullptr;
    PyObject* value = nullptr;
    PyObject* traceback = nullptr;
    PyObject* observer = nullptr;  // the thread's progress observer when the call started (a new reference)
    ~Pending();  // runs where the Interrupter dies, with the GIL held
  };
  std::shared_ptr<Pending> pending_;
  jg::Execution exec_;
};

// Runs f(exec) with the GIL released and Ctrl-C enabled; returns what f returns.
template <class F>
auto run_released(unsigned threads, F&& f) -> decltype(f(std::declval<const jg::Execution&>())) {
  Interrupter interrupter(threads);
  try {
    py::gil_scoped_release release;
    return f(interrupter.exec());
  } catch (const jg::Interrupted& e) {
    interrupter.raise_pending(e);
  }
}

// Reads a 1-D C-contiguous numpy array of exactly type T (never converts, so never copies). what names the
// argument in the error. An absent (None) argument gives an empty span when optional.
template <class T>
jg::Span<const T> span_of(const py::handle& obj, const char* what, bool optional) {
  if (obj.is_none()) {
    if (optional) return {};
    throw py::type_error(std::string(what) + ": an array is required, got None");
  }
  if (!py::isinstance<py::array>(obj))
    throw py::type_error(std::string(what) + ": expected a numpy array, got " + py::str(py::type::of(obj)).cast<std::string>());
  auto a = py::reinterpret_borrow<py::array>(obj);
  const py::dtype want = py::dtype::of<T>();
  // bool and uint8 share a layout; a conversion flag may come as either.
  const bool same = a.dtype().equal(want) ||
                    (std::is_same<T, std::uint8_t>::value && a.dtype().kind() == 'b' && a.dtype().itemsize() == 1);
  if (!same)
    throw py::type_error(std::string(what) + ": expected dtype " + py::str(py::handle(want)).cast<std::string>() + ", got " +
                         py::str(py::handle(a.dtype())).cast<std::string>());
  if (a.ndim() != 1) throw py::value_error(std::string(what) + ": expected a 1-D array, got " +
                                           std::to_string(a.ndim()) + " dimensions");
  if (a.shape(0) > 1 && a.strides(0) != static_cast<py::ssize_t>(sizeof(T)))
    throw py::value_error(std::string(what) + ": expected a contiguous array");
  return {static_cast<const T*>(a.data()), static_cast<std::size_t>(a.shape(0))};
}

// Touchpoint or segment codes of any supported integer width, borrowed from a numpy array.
jg::CodeSpan codes_of(const py::handle& obj, const char* what, bool optional);

// A read-only numpy view of memory owned by owner (kept alive by the array).
template <class T>
py::array_t<T> view_of(const T* data, std::size_t size, const py::handle& owner) {
  static const T empty{};
  py::array_t<T> a({static_cast<py::ssize_t>(size)}, {static_cast<py::ssize_t>(sizeof(T))},
                   data != nullptr ? data : &empty, owner);
  a.attr("flags").attr("writeable") = false;
  return a;
}

// The bytes of any object with the buffer protocol (bytes, bytearray, memoryview, numpy uint8 arrays), as a
// view valid while info lives.
std::string_view bytes_of(const py::buffer_info& info);

// The one way results reach Python: {"name": str, "columns": {name: numpy array or list of str}, "meta":
// {key: value}}. Floats, integers and booleans become float64, int64 and bool arrays, times datetime64 in
// their unit, strings lists of str; the package wraps the columns in a DataFrame with meta as its attrs.
py::dict table_dict(const jg::Table& table);

// Registration of each part of the module (one translation unit each, to compile in parallel).
void bind_errors(py::module_& m);
void bind_progress(py::module_& m);
void bind_options(py::module_& m);
void bind_journeys(py::module_& m);
void bind_model(py::module_& m);
void bind_counts(py::module_& m);
void bind_attribution(py::module_& m);
void bind_analysis(py::module_& m);
void bind_samples(py::module_& m);
void bind_map(py::module_& m);
void bind_funnels(py::module_& m);
void bind_scoring(py::module_& m);
void bind_credit(py::module_& m);

}  // namespace jgpy
