// journeygraph._core: the pybind11 module over the C++ API. This file holds the module entry point, the
// error mapping and the helpers shared by the other binding files.

#include "common.hpp"

#include <unordered_map>

#include "journeygraph/attribution.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/version.hpp"

namespace jgpy {

// ------------------------------------------------------------------------------------ interruption

namespace {
// The progress observer of the current Python thread (a callable taking (fraction, stage)), or null. Set by
// journeygraph._progress around a long call; read when the call starts.
thread_local PyObject* t_observer = nullptr;
}  // namespace

Interrupter::Interrupter(unsigned threads) : pending_(std::make_shared<Pending>()) {
  exec_.threads = threads;
  if (t_observer != nullptr) {
    Py_INCREF(t_observer);
    pending_->observer = t_observer;
  }
  exec_.progress = [pending = pending_](double fraction, const char* stage) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() == 0) {
      if (pending->observer == nullptr) return true;
      PyObject* result = PyObject_CallFunction(pending->observer, "ds", fraction, stage);
      if (result != nullptr) {
        Py_DECREF(result);
        return true;
      }
      // The observer raised (Ctrl-C while it ran, or its own error): stop and re-raise it after the call.
    }
    if (pending->type == nullptr) PyErr_Fetch(&pending->type, &pending->value, &pending->traceback);
    else PyErr_Clear();
    return false;
  };
}

Interrupter::Pending::~Pending() {
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  Py_XDECREF(observer);
}

void bind_progress(py::module_& m) {
  m.def(
      "_set_progress_observer",
      [](const py::object& observer) {
        if (!observer.is_none() && !PyCallable_Check(observer.ptr()))
          throw py::type_error("the progress observer must be callable or None");
        PyObject* previous = t_observer;
        t_observer = observer.is_none() ? nullptr : observer.inc_ref().ptr();
        return previous != nullptr ? py::reinterpret_steal<py::object>(previous) : py::object(py::none());
      },
      py::arg("observer"),
      "Set the progress observer of the calling thread: a callable taking (fraction, stage), called with the GIL\n"
      "held while a long call of this thread runs, or None. Returns the previous observer.");
}

void Interrupter::raise_pending(const jg::Interrupted& e) {
  if (pending_->type != nullptr) {
    PyErr_Restore(pending_->type, pending_->value, pending_->traceback);
    pending_->type = pending_->value = pending_->traceback = nullptr;
  } else {
    PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
  }
  throw py::error_already_set();
}

// ------------------------------------------------------------------------------------ arrays and tables

jg::CodeSpan codes_of(const py::handle& obj, const char* what, bool optional) {
  if (obj.is_none()) {
    if (optional) return jg::Span<const std::int32_t>();
    throw py::type_error(std::string(what) + ": an array of codes is required, got None");
  }
  if (!py::isinstance<py::array>(obj))
    throw py::type_error(std::string(what) + ": expected a numpy array, got " + py::str(py::type::of(obj)).cast<std::string>());
  auto a = py::reinterpret_borrow<py::array>(obj);
  const char kind = a.dtype().kind();
  const auto size = a.dtype().itemsize();
  if (kind == 'i' && size == 1) return span_of<std::int8_t>(obj, what, optional);
  if (kind == 'i' && size == 2) return span_of<std::int16_t>(obj, what, optional);
  if (kind == 'i' && size == 4) return span_of<std::int32_t>(obj, what, optional);
  if (kind == 'u' && size == 4) return span_of<std::uint32_t>(obj, what, optional);
  if (kind == 'i' && size == 8) return span_of<std::int64_t>(obj, what, optional);
  throw py::type_error(std::string(what) + ": codes must be int8, int16, int32, uint32 or int64, got " +
                       py::str(py::handle(a.dtype())).cast<std::string>());
}

// The bytes of any object with the buffer protocol (bytes, bytearray, memoryview, numpy uint8 arrays), as a
// view valid while info lives.
std::string_view bytes_of(const py::buffer_info& info) {
  if (info.ndim > 1) throw py::value_error("expected a 1-D buffer of bytes");
  for (py::ssize_t i = 0; i < info.ndim; ++i)
    if (info.shape[i] > 1 && info.strides[i] != info.itemsize) throw py::value_error("expected a contiguous buffer");
  return {static_cast<const char*>(info.ptr), static_cast<std::size_t>(info.size * info.itemsize)};
}

namespace {
template <class T>
py::array_t<T> array_from(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

// A string column as a numpy object array (what pandas keeps a text column as). Repeated values share one
// Python str: a column of model or touchpoint names over millions of rows makes a str per distinct name, not
// per row (a tenth of the time and memory). Once a column shows mostly distinct values (ids), the sharing
// stops and the rest get a str each. Signals are checked every 65,536 rows, so Ctrl-C stops a long one.
py::array strings_array(const std::vector<std::string>& v) {
  const auto n = static_cast<py::ssize_t>(v.size());
  py::array out(py::dtype("O"), std::vector<py::ssize_t>{n});
  auto** slot = static_cast<PyObject**>(out.mutable_data());
  std::unordered_map<std::string_view, py::object> shared;
  bool sharing = true;
  for (py::ssize_t i = 0; i < n; ++i) {
    if ((i & 0xFFFF) == 0xFFFF && PyErr_CheckSignals() != 0) throw py::error_already_set();
    const std::string& s = v[static_cast<std::size_t>(i)];
    py::object obj;
    if (sharing) {
      auto it = shared.find(s);
      if (it == shared.end()) {
        it = shared.emplace(std::string_view(s), py::str(s)).first;
        if (i >= 4096 && shared.size() * 2 > static_cast<std::size_t>(i)) {
          sharing = false;
          shared.clear();
          it = shared.end();
        }
      }
      obj = it != shared.end() ? it->second : py::object(py::str(s));
    } else {
      obj = py::str(s);
    }
    PyObject* old = slot[i];
    slot[i] = obj.release().ptr();
    Py_XDECREF(old);
  }
  return out;
}
}  // namespace

py::dict table_dict(const jg::Table& t) {
  py::dict columns, meta;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const py::str name(t.names[c]);
    const jg::Table::Column& col = t.columns[c];
    if (const auto* s = std::get_if<std::vector<std::string>>(&col)) {
      columns[name] = strings_array(*s);
    } else if (const auto* b = std::get_if<jg::BoolColumn>(&col)) {
      py::array_t<bool> a(static_cast<py::ssize_t>(b->values.size()));
      std::copy(b->values.begin(), b->values.end(), a.mutable_data());
      columns[name] = a;
    } else if (const auto* tc = std::get_if<jg::TimeColumn>(&col)) {
      columns[name] = array_from(tc->ticks).attr("view")(std::string("datetime64[") + jg::time_unit_name(tc->unit) + "]");
    } else if (const auto* i = std::get_if<std::vector<std::int64_t>>(&col)) {
      columns[name] = array_from(*i);
    } else {
      columns[name] = array_from(std::get<std::vector<double>>(col));
    }
  }
  for (const auto& [key, value] : t.meta) std::visit([&, k = key](const auto& v) { meta[py::str(k)] = v; }, value);
  if (!t.notes.empty()) {  // the column definitions, as meta["notes"] = {column: definition} (attrs["notes"])
    py::dict notes;
    for (const jg::ColumnNote& n : t.notes) notes[py::str(n.column)] = n.definition;
    meta["notes"] = notes;
  }
  py::dict d;
  d["name"] = t.name;
  d["columns"] = columns;
  d["meta"] = meta;
  return d;
}

// ------------------------------------------------------------------------------------ errors

namespace {

const char* kind_label(jg::ErrorKind kind) {
  switch (kind) {
    case jg::ErrorKind::invalid_argument: return "invalid_argument";
    case jg::ErrorKind::parse: return "parse";
    case jg::ErrorKind::io: return "io";
    case jg::ErrorKind::state: return "state";
    case jg::ErrorKind::data: return "data";
    case jg::ErrorKind::interrupted: return "interrupted";
  }
  return "unknown";
}

// The exception class lives as long as the interpreter; it is never released (as pybind11 does for its own).
PyObject* g_error_type = nullptr;

void set_error(const jg::Error& e, const jg::ParseError* parse) {
  py::object type = py::reinterpret_borrow<py::object>(g_error_type);
  py::object err = type(e.what());
  err.attr("kind") = kind_label(e.kind());
  err.attr("option") = e.option();
  if (parse != nullptr) {
    err.attr("file") = parse->file();
    err.attr("line") = parse->line();
    err.attr("column") = parse->column();
    err.attr("field") = parse->field();
    err.attr("value") = parse->value();
  }
  PyErr_SetObject(g_error_type, err.ptr());
}

}  // namespace

void bind_errors(py::module_& m) {
  g_error_type = PyErr_NewExceptionWithDoc(
      "journeygraph._core.JourneyGraphError",
      "Raised for every error journeygraph reports: bad arguments, malformed input, unreadable files, data that\n"
      "cannot give an answer. A ValueError. Attributes: kind ('invalid_argument', 'parse', 'io', 'state' or\n"
      "'data'); option, the options field whose value is at fault ('steps', 'kgrams', ...) or ''; for parse\n"
      "errors also file, line, column, field and value (0 or '' where they do not apply).",
      PyExc_ValueError, nullptr);
  if (g_error_type == nullptr) throw py::error_already_set();
  // Class-level defaults, so that every instance has the attributes.
  py::object type = py::reinterpret_borrow<py::object>(g_error_type);
  type.attr("kind") = "unknown";
  type.attr("option") = "";
  type.attr("file") = "";
  type.attr("line") = 0;
  type.attr("column") = 0;
  type.attr("field") = "";
  type.attr("value") = "";
  m.add_object("JourneyGraphError", type);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const jg::Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    } catch (const jg::ParseError& e) {
      set_error(e, &e);
    } catch (const jg::Error& e) {
      set_error(e, nullptr);
    }
  });
}

}  // namespace jgpy

PYBIND11_MODULE(_core, m) {
  using namespace jgpy;
  m.doc() = "journeygraph's C++ core (pybind11). Use the journeygraph package; this module is its engine.";
  m.attr("__version__") = jg::version_string();
  m.def("version_string", &jg::version_string, "Version of the compiled C++ library, as 'MAJOR.MINOR.PATCH'.");
  m.attr("header_version") = jg::kVersionString;
  bind_errors(m);
  m.def(
      "parse_model", [](const std::string& name) { return std::string(jg::model_name(jg::parse_model(name))); },
      py::arg("name"), "The canonical name of a model; raises JourneyGraphError listing the known names.");
  m.def("parse_duration", [](const std::string& text) { return jg::parse_duration(text); }, py::arg("text"),
        "Seconds in a duration such as '90', '90s', '15m', '12h', '30d', '2w'.");
  m.def(
      "write_text_file",
      [](const std::string& file, const std::string& text) {
        py::gil_scoped_release release;
        jg::write_text_file(file, text);
      },
      py::arg("file"), py::arg("text"),
      "Write text (UTF-8) to a file through the core's writer: a temporary file beside it, renamed over it once\n"
      "complete, every write checked; raises JourneyGraphError (kind 'io') naming the file and the reason.");
  m.def("columns_note", &jg::columns_note, py::arg("columns"),
        "The build-report note naming the columns an events table was read with.");
  bind_progress(m);
  bind_options(m);
  bind_journeys(m);
  bind_model(m);
  bind_counts(m);
  bind_attribution(m);
  bind_analysis(m);
  bind_samples(m);
  bind_map(m);
  bind_funnels(m);
  bind_scoring(m);
  bind_credit(m);
}
