// Bindings of journeys: the build report, the journey set (columns as read-only numpy views, tables), and the
// ways to make one: from event arrays, from aggregated path arrays, from CSV files, from a time window.

#include "common.hpp"
#include "journeygraph/io.hpp"

namespace jgpy {
namespace {

// Every counter of BuildReport, by name, in declaration order.
#define JGPY_REPORT_COUNTERS(X)                                                                                     \
  X(rows) X(rows_skipped) X(blank_lines) X(journeys) X(touches) X(splits_at_conversion) X(splits_at_gap)             \
  X(touches_dropped_lookback) X(touches_dropped_max_touches) X(repeats_collapsed) X(values_ignored)                  \
  X(duplicate_events) X(reordered_events) X(zero_weight_journeys) X(segment_conflicts)

py::dict report_dict(const jg::BuildReport& r) {
  py::dict d;
#define JGPY_PUT(name) d[#name] = r.name;
  JGPY_REPORT_COUNTERS(JGPY_PUT)
#undef JGPY_PUT
  d["skipped_examples"] = r.skipped_examples;
  d["notes"] = r.notes;
  return d;
}

template <class T>
py::array_t<T> column_view(const py::object& self, const std::vector<T>& (jg::JourneySet::*column)() const) {
  const auto& c = (self.cast<const jg::JourneySet&>().*column)();
  return view_of(c.data(), c.size(), self);
}

using Built = std::pair<jg::JourneySet, jg::BuildReport>;

jg::TimeKind parse_time_kind(const std::string& name) {
  for (auto k : {jg::TimeKind::none, jg::TimeKind::epoch, jg::TimeKind::dates, jg::TimeKind::mixed})
    if (name == jg::time_kind_name(k)) return k;
  throw jg::InvalidArgument("unknown time kind '" + name + "' (expected none, epoch, dates or mixed)");
}

// Rows of a DataFrame column named as the package names them: "row 3 (index label 'x')". Called with the GIL
// held (the conversions below run under it).
jg::RowLabel index_labels(const py::object& index) {
  if (index.is_none()) return {};
  return [index](std::size_t row) {
    return "row " + std::to_string(row) + " (index label " +
           py::repr(index[py::int_(row)]).cast<std::string>() + ")";
  };
}

// The cells of a time column: float64 and int64 arrays as numbers; object arrays item by item (int, numpy
// integer, float, str), missing where the mask says so. Text cells are views of the Python strings, which the
// array keeps alive while the cells are used.
std::vector<jg::TimeCell> time_cells(const py::array& values, const py::object& missing, const std::string& column,
                                     const jg::RowLabel& label) {
  if (values.ndim() != 1) throw py::value_error("time: expected a 1-D array");
  const std::size_t rows = static_cast<std::size_t>(values.shape(0));
  jg::Span<const std::uint8_t> mask = span_of<std::uint8_t>(missing, "missing", true);
  if (!mask.empty() && mask.size() != rows) throw py::value_error("missing: expected one flag per time");
  std::vector<jg::TimeCell> cells(rows);
  const auto* base = static_cast<const char*>(values.data());
  const py::ssize_t stride = values.strides(0);
  const char kind = values.dtype().kind();
  const auto where = [&](std::size_t r) {
    return "time column \"" + column + "\", " + (label ? label(r) : "row " + std::to_string(r)) + ": ";
  };
  for (std::size_t r = 0; r < rows; ++r) {
    if (!mask.empty() && mask[r]) continue;
    const char* at = base + static_cast<py::ssize_t>(r) * stride;
    if (kind == 'f' && values.itemsize() == 8) {
      cells[r] = *reinterpret_cast<const double*>(at);
    } else if (kind == 'i' && values.itemsize() == 8) {
      cells[r] = *reinterpret_cast<const std::int64_t*>(at);
    } else if (kind == 'O') {
      PyObject* item = *reinterpret_cast<PyObject* const*>(at);
      if (item == nullptr || item == Py_None) continue;
      if (PyBool_Check(item))
        throw jg::InvalidArgument(where(r) + "the value " + py::repr(py::handle(item)).cast<std::string>() +
                                  " is not a time (give epoch numbers or date-time text)");
      if (PyUnicode_Check(item)) {
        Py_ssize_t len = 0;
        const char* text = PyUnicode_AsUTF8AndSize(item, &len);
        if (text == nullptr) {
          PyErr_Clear();
          throw jg::InvalidArgument(where(r) + "the text cannot be encoded as UTF-8");
        }
        cells[r] = std::string_view(text, static_cast<std::size_t>(len));
      } else if (PyFloat_Check(item)) {
        cells[r] = PyFloat_AS_DOUBLE(item);
      } else if (PyIndex_Check(item)) {
        py::object number = py::reinterpret_steal<py::object>(PyNumber_Index(item));
        if (!number) throw py::error_already_set();
        int overflow = 0;
        const long long v = PyLong_AsLongLongAndOverflow(number.ptr(), &overflow);
        if (overflow != 0)
          throw jg::InvalidArgument(where(r) + "the time " + py::str(number).cast<std::string>() +
                                    " is out of the 64-bit range");
        cells[r] = static_cast<std::int64_t>(v);
      } else if (PyNumber_Check(item) && Py_TYPE(item)->tp_as_number->nb_float != nullptr) {
        const double v = PyFloat_AsDouble(item);
        if (v == -1.0 && PyErr_Occurred()) throw py::error_already_set();
        cells[r] = v;
      } else {
        throw jg::InvalidArgument(where(r) + "the value " + py::repr(py::handle(item)).cast<std::string>() + " of type " +
                                  py::str(py::type::of(py::handle(item)).attr("__name__")).cast<std::string>() +
                                  " is not a time (give epoch numbers or date-time text)");
      }
    } else {
      throw py::type_error("time: expected a float64, int64 or object array, got " +
                           py::str(py::handle(values.dtype())).cast<std::string>());
    }
  }
  return cells;
}

}  // namespace

void bind_journeys(py::module_& m) {
  py::class_<jg::BuildReport>(m, "BuildReport", "What a build or read did, so that nothing is dropped silently.")
#define JGPY_FIELD(name) .def_readonly(#name, &jg::BuildReport::name)
      JGPY_REPORT_COUNTERS(JGPY_FIELD)
#undef JGPY_FIELD
      .def_readonly("skipped_examples", &jg::BuildReport::skipped_examples)
      .def_readonly("notes", &jg::BuildReport::notes)
      .def("summary", &jg::BuildReport::summary, "A one-paragraph human summary listing every non-zero count.")
      .def("to_dict", &report_dict, "Every counter, the skipped examples and the notes, as a dict.")
      .def("__repr__", [](const jg::BuildReport& r) { return "<BuildReport: " + r.summary() + ">"; });

  py::class_<jg::JourneySet>(m, "JourneySet", "Journeys stored column-wise (immutable).")
      .def("__len__", &jg::JourneySet::size)
      .def_property_readonly("touch_count", &jg::JourneySet::touch_count)
      .def_property_readonly("touchpoints", [](const jg::JourneySet& s) { return s.touchpoints().names(); })
      .def_property_readonly("segments", [](const jg::JourneySet& s) { return s.segments().names(); })
      .def_property_readonly("has_timestamps", &jg::JourneySet::has_timestamps)
      .def_property_readonly("has_segments", &jg::JourneySet::has_segments)
      .def_property_readonly("time_unit", [](const jg::JourneySet& s) { return jg::time_unit_name(s.time_unit()); })
      .def_property_readonly("time_kind", [](const jg::JourneySet& s) { return jg::time_kind_name(s.time_kind()); })
      .def_property_readonly("epoch_unit", [](const jg::JourneySet& s) { return jg::time_unit_name(s.epoch_unit()); })
      .def_property_readonly("total_conversions", &jg::JourneySet::total_conversions)
      .def_property_readonly("total_nulls", &jg::JourneySet::total_nulls)
      .def_property_readonly("total_value", &jg::JourneySet::total_value)
      .def_property_readonly("memory_bytes", &jg::JourneySet::memory_bytes)
      .def_property_readonly("offsets", [](py::object s) { return column_view(s, &jg::JourneySet::offsets); })
      .def_property_readonly("touches", [](py::object s) { return column_view(s, &jg::JourneySet::touches); })
      .def_property_readonly("timestamps", [](py::object s) { return column_view(s, &jg::JourneySet::timestamps); })
      .def_property_readonly("conversions",
                             [](py::object s) { return column_view(s, &jg::JourneySet::conversions_column); })
      .def_property_readonly("nulls", [](py::object s) { return column_view(s, &jg::JourneySet::nulls_column); })
      .def_property_readonly("values", [](py::object s) { return column_view(s, &jg::JourneySet::values_column); })
      .def_property_readonly("segment_ids", [](py::object s) { return column_view(s, &jg::JourneySet::segments_column); })
      .def("table", [](const jg::JourneySet& s, const std::string& sep) { return table_dict(jg::journey_table(s, sep)); },
           py::arg("separator") = " > ", "One row per journey (the 'journeys' table).")
      .def("path_table", [](const jg::JourneySet& s, const std::string& sep) { return table_dict(jg::path_table(s, sep)); },
           py::arg("separator") = " > ", "The journeys as aggregated paths (the 'aggregated_paths' table).")
      .def(
          "segment_subset",
          [](const jg::JourneySet& s, const std::string& name) {
            if (!s.has_segments()) throw jg::StateError("the journeys have no segments");
            auto id = s.segments().find(name);
            if (!id) {
              std::string known;
              for (const auto& n : s.segments().names()) known += (known.empty() ? "'" : ", '") + n + "'";
              throw jg::InvalidArgument("unknown segment '" + name + "' (known: " + known + ")");
            }
            return s.segment_subset(*id);
          },
          py::arg("name"), "The journeys of one segment.")
      .def(
          "slice",
          [](const jg::JourneySet& s, std::size_t first, std::size_t count) {
            if (first > s.size() || count > s.size() - first)
              throw jg::InvalidArgument("slice [" + std::to_string(first) + ", " + std::to_string(first) + " + " +
                                        std::to_string(count) + ") is outside the " + std::to_string(s.size()) +
                                        " journeys");
            return s.slice(first, count);
          },
          py::arg("first"), py::arg("count"), "The journeys [first, first + count).")
      .def("__repr__", [](const jg::JourneySet& s) {
        return "<JourneySet: " + std::to_string(s.size()) + " journeys, " + std::to_string(s.touch_count()) +
               " touches, " + std::to_string(s.touchpoints().size()) + " touchpoints>";
      });

  m.def(
      "build_journeys",
      [](const py::object& journey, const py::object& time, const std::string& time_unit, const py::object& touchpoint,
         std::vector<std::string> touchpoint_names, const py::object& conversion, const py::object& value,
         const py::object& segment, std::vector<std::string> segment_names, const jg::JourneyOptions& options,
         const jg::EventCsvOptions& columns, unsigned threads, const std::string& time_kind,
         const std::optional<std::string>& epoch_unit, const std::vector<std::string>& journey_names) {
        jg::EventArrays ev;
        ev.journey = span_of<std::int64_t>(journey, "journey", false);
        ev.journey_names = jg::Span<const std::string>(journey_names.data(), journey_names.size());
        ev.time = span_of<std::int64_t>(time, "time", true);
        ev.time_unit = jg::parse_time_unit(time_unit);
        ev.time_kind = parse_time_kind(time_kind);
        if (epoch_unit) ev.epoch_unit = jg::parse_time_unit(*epoch_unit);
        ev.touchpoint = codes_of(touchpoint, "touchpoint", false);
        ev.touchpoint_names = std::move(touchpoint_names);
        ev.conversion = span_of<std::uint8_t>(conversion, "conversion", true);
        ev.value = span_of<double>(value, "value", true);
        ev.segment = codes_of(segment, "segment", true);
        ev.segment_names = std::move(segment_names);
        // The arrays stay referenced by the arguments of this call, so they outlive the released section.
        return run_released(threads, [&](const jg::Execution& exec) {
          jg::BuildReport report;
          report.notes.push_back(jg::columns_note(columns));
          jg::JourneySet set = jg::build_journeys(ev, options, &report, exec);
          return Built(std::move(set), std::move(report));
        });
      },
      py::arg("journey"), py::arg("time"), py::arg("time_unit"), py::arg("touchpoint"), py::arg("touchpoint_names"),
      py::arg("conversion"), py::arg("value"), py::arg("segment"), py::arg("segment_names"), py::arg("options"),
      py::arg("columns"), py::arg("threads"), py::arg("time_kind") = "epoch", py::arg("epoch_unit") = py::none(),
      py::arg("journey_names") = std::vector<std::string>(),
      "Journeys from borrowed event columns (no copy), read with the named columns; time_kind and epoch_unit say how "
      "the times were given; journey_names, when given, are the ids the journey codes stand for (the journeys' "
      "keys). Returns (JourneySet, BuildReport).");

  m.def(
      "convert_time_column",
      [](const py::array& values, const py::object& missing, const jg::EventCsvOptions& columns,
         const std::string& column, const py::object& index) {
        const jg::RowLabel label = index_labels(index);
        const std::vector<jg::TimeCell> cells = time_cells(values, missing, column, label);
        // The GIL stays held: text cells point into Python strings, and row labels are Python objects.
        jg::ConvertedTimes c =
            jg::convert_time_column(jg::Span<const jg::TimeCell>(cells.data(), cells.size()), columns.time_format,
                                    column, label);
        py::array_t<std::int64_t> times(static_cast<py::ssize_t>(c.times.size()));
        if (!c.times.empty()) std::copy(c.times.begin(), c.times.end(), times.mutable_data());
        return py::make_tuple(times, jg::time_unit_name(c.unit), jg::time_kind_name(c.kind),
                              jg::time_unit_name(c.epoch_unit));
      },
      py::arg("values"), py::arg("missing"), py::arg("columns"), py::arg("column"), py::arg("index"),
      "A time column (float64, int64 or object array: numbers are epoch numbers in columns.time_unit, text is read "
      "by the core's time parser under columns.time_format) converted as the CSV reader converts its time column; "
      "missing (bool array or None) marks missing cells, which are refused. Errors name the row by its label in "
      "index. Returns (int64 times, unit, time kind, epoch unit).");

  m.def(
      "check_epoch_column",
      [](const py::object& values, const jg::EventCsvOptions& columns, const std::string& column,
         const py::object& index) {
        jg::check_epoch_column(span_of<std::int64_t>(values, "time", false), columns.time_format, column,
                               index_labels(index));
      },
      py::arg("values"), py::arg("columns"), py::arg("column"), py::arg("index"),
      "The epoch range check of integer epoch seconds (does nothing when columns sets a time unit or format).");

  m.def(
      "split_at_time",
      [](const jg::JourneySet& s, const std::string& instant, const std::string& pattern) {
        const std::int64_t at = jg::parse_instant(instant, s, pattern);
        auto parts = jg::split_at_time(s, at);
        return py::make_tuple(std::move(parts.first), std::move(parts.second), at);
      },
      py::arg("journeys"), py::arg("instant"), py::arg("pattern") = "",
      "The journeys split by the time of their first touch at an instant read the way their times were given "
      "(parse_instant): (before, after, instant in ticks of the set's time unit).");

  m.def(
      "journeys_from_paths",
      [](const py::array& paths, const py::object& conversions, const py::object& nulls, const py::object& value,
         const jg::PathCsvOptions& columns, const std::vector<std::string>& notes) {
        if (paths.dtype().kind() != 'O' || paths.ndim() != 1)
          throw py::type_error("paths: expected a 1-D numpy array of objects (str)");
        jg::PathArrays a;
        a.columns = columns;
        a.conversions = span_of<double>(conversions, "conversions", true);
        a.nulls = span_of<double>(nulls, "nulls", true);
        a.values = span_of<double>(value, "value", true);
        const std::size_t rows = static_cast<std::size_t>(paths.shape(0));
        if (rows == 0) throw jg::DataError("no paths (the table has no rows)");
        // Views of the strings' UTF-8 forms, which live as long as the array holds the strings.
        const auto* base = static_cast<const char*>(paths.data());
        for (std::size_t i = 0; i < rows; ++i) {
          PyObject* item = *reinterpret_cast<PyObject* const*>(base + static_cast<py::ssize_t>(i) * paths.strides(0));
          const auto where = "row " + std::to_string(i) + ", column '" + columns.path.name + "': ";
          if (item == nullptr || !PyUnicode_Check(item))
            throw jg::InvalidArgument(where + "expected a string, got " +
                                      (item ? py::repr(py::handle(item)).cast<std::string>() : std::string("nothing")));
          Py_ssize_t len = 0;
          const char* text = PyUnicode_AsUTF8AndSize(item, &len);
          if (text == nullptr) {
            PyErr_Clear();
            throw jg::InvalidArgument(where + "the path cannot be encoded as UTF-8");
          }
          a.paths.emplace_back(text, static_cast<std::size_t>(len));
        }
        if (columns.check_separator && !columns.separator.empty()) {
          jg::SeparatorCheck check(columns.separator);
          for (std::size_t i = 0; i < rows; ++i) check.add(a.paths[i], i);
          if (auto p = check.problem())
            throw jg::InvalidArgument("row " + std::to_string(p->first) + ", column '" + columns.path.name +
                                      "': " + p->message(columns.separator));
        }
        // The GIL stays held: the views point into Python strings that another thread could release.
        jg::BuildReport report;
        report.notes = notes;
        jg::JourneySet set = jg::build_journeys(a, &report);
        return Built(std::move(set), std::move(report));
      },
      py::arg("paths"), py::arg("conversions"), py::arg("nulls"), py::arg("value"), py::arg("columns"), py::arg("notes"),
      "Journeys from aggregated path strings and their counts; returns (JourneySet, BuildReport).");

  m.def(
      "read_events_csv",
      [](const std::string& file, const jg::EventCsvOptions& columns, const jg::JourneyOptions& options, unsigned threads) {
        return run_released(threads, [&](const jg::Execution& exec) {
          jg::BuildReport report;
          jg::JourneySet set = jg::read_events_csv(file, columns, options, &report, exec);
          return Built(std::move(set), std::move(report));
        });
      },
      py::arg("file"), py::arg("columns"), py::arg("options"), py::arg("threads"),
      "Read an events CSV with the C++ reader. Returns (JourneySet, BuildReport).");

  m.def(
      "read_paths_csv",
      [](const std::string& file, const jg::PathCsvOptions& columns, unsigned threads) {
        return run_released(threads, [&](const jg::Execution& exec) {
          jg::BuildReport report;
          jg::JourneySet set = jg::read_paths_csv(file, columns, &report, exec);
          return Built(std::move(set), std::move(report));
        });
      },
      py::arg("file"), py::arg("columns"), py::arg("threads"),
      "Read an aggregated paths CSV with the C++ reader. Returns (JourneySet, BuildReport).");

  m.def(
      "parse_instant",
      [](const jg::JourneySet& s, const std::string& instant, const std::string& pattern) {
        return jg::parse_instant(instant, s, pattern);
      },
      py::arg("journeys"), py::arg("instant"), py::arg("pattern") = "",
      "An instant a user typed, read the way the journeys' times were given (the core's parse_instant), in ticks "
      "of the set's time unit.");
  m.def("time_window", &jg::time_window, py::arg("journeys"), py::arg("start"), py::arg("end"),
        "The journeys whose first touch lies in [start, end) (in the set's time unit).");
}

}  // namespace jgpy
