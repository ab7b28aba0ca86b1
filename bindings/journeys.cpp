// Bindings of journeys: the build report, the journey set (columns as read-only numpy views), and the ways
// to make one: from event arrays, from aggregated path strings, and from CSV files.

#include <cmath>

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

std::string show(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  return out + "'";
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

// A count or value column of a paths table: finite, >= 0 and below 2^62, or the error names the column and the row.
void check_amount(const jg::Span<const double>& col, std::size_t i, const std::string& name, const char* what) {
  if (col.empty()) return;
  const double v = col[i];
  if (!std::isfinite(v))
    throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + name + "': expected a finite " + what +
                              ", got " + py::str(py::float_(v)).cast<std::string>());
  if (v < 0)
    throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + name + "': negative " + what + " " +
                              py::str(py::float_(v)).cast<std::string>());
  if (v >= jg::kMaxWeight)
    throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + name + "': " + what + " " +
                              py::str(py::float_(v)).cast<std::string>() + " is too large (the limit is 2^62)");
}

// Journeys from aggregated paths held as Python strings. Splitting follows the paths CSV reader exactly:
// the separator is matched literally, names are trimmed of spaces and tabs, an empty name is an error.
// The GIL stays held (the strings are Python objects); pending signals are checked every 65536 rows.
std::pair<jg::JourneySet, jg::BuildReport> journeys_from_paths(const py::array& paths, const py::object& conversions,
                                                                const py::object& nulls, const py::object& value,
                                                                const std::string& separator,
                                                                const std::vector<std::string>& names,
                                                                const std::vector<std::string>& notes) {
  if (separator.empty()) throw jg::InvalidArgument("the path separator is empty");
  if (names.size() != 4) throw py::value_error("names: expected the path, conversions, nulls and value column names");
  if (paths.dtype().kind() != 'O' || paths.ndim() != 1)
    throw py::type_error("paths: expected a 1-D numpy array of objects (str)");
  const auto c = span_of<double>(conversions, "conversions", true);
  const auto n = span_of<double>(nulls, "nulls", true);
  const auto v = span_of<double>(value, "value", true);
  const std::size_t rows = static_cast<std::size_t>(paths.shape(0));
  for (const auto* col : {&c, &n, &v})
    if (!col->empty() && col->size() != rows)
      throw jg::InvalidArgument("a count column has " + std::to_string(col->size()) + " rows but the path column has " +
                                std::to_string(rows));
  if (rows == 0) throw jg::DataError("no paths (the table has no rows)");
  jg::BuildReport rep;
  jg::JourneySetBuilder builder;
  std::vector<std::uint32_t> ids;
  const auto* base = static_cast<const char*>(paths.data());
  const py::ssize_t stride = paths.strides(0);
  for (std::size_t i = 0; i < rows; ++i) {
    if ((i & 0xFFFF) == 0xFFFF && PyErr_CheckSignals() != 0) throw py::error_already_set();
    PyObject* item = *reinterpret_cast<PyObject* const*>(base + static_cast<py::ssize_t>(i) * stride);
    if (item == nullptr || !PyUnicode_Check(item))
      throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + names[0] + "': expected a string, got " +
                                (item == nullptr ? std::string("nothing")
                                                 : py::repr(py::handle(item)).cast<std::string>()));
    Py_ssize_t len = 0;
    const char* text = PyUnicode_AsUTF8AndSize(item, &len);
    if (text == nullptr) {
      PyErr_Clear();
      throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + names[0] +
                                "': the path cannot be encoded as UTF-8");
    }
    const std::string_view path(text, static_cast<std::size_t>(len));
    if (trim(path).empty()) throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + names[0] + "': empty path");
    check_amount(c, i, names[1], "count");
    check_amount(n, i, names[2], "count");
    check_amount(v, i, names[3], "value");
    const double ci = c.empty() ? 0.0 : c[i], ni = n.empty() ? 0.0 : n[i], vi = v.empty() ? 0.0 : v[i];
    if (vi > 0 && ci == 0)
      throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + names[3] + "': value " +
                                py::str(py::float_(vi)).cast<std::string>() + " on a path without conversions");
    ids.clear();
    std::size_t start = 0, k = 0;
    while (true) {
      const std::size_t at = path.find(separator, start);
      const std::string_view name =
          trim(path.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
      if (name.empty())
        throw jg::InvalidArgument("row " + std::to_string(i) + ", column '" + names[0] + "': empty touchpoint name at position " +
                                  std::to_string(k + 1) + " of path " + show(path));
      ids.push_back(builder.touchpoint(name));
      ++k;
      if (at == std::string_view::npos) break;
      start = at + separator.size();
    }
    if (ci + ni == 0) ++rep.zero_weight_journeys;
    builder.add(jg::Span<const std::uint32_t>(ids.data(), ids.size()), {}, ci, ni, vi);
  }
  rep.rows = rows;
  rep.notes = notes;
  jg::JourneySet set = builder.finish();
  rep.journeys = set.size();
  rep.touches = set.touch_count();
  return {std::move(set), std::move(rep)};
}

jg::Column column(const std::pair<std::string, bool>& c) { return jg::Column(c.first, c.second); }

jg::CsvFormat csv_format(const std::string& delimiter, bool skip_bad_rows) {
  if (delimiter.size() != 1)
    throw jg::InvalidArgument("the delimiter must be one character, got '" + delimiter + "'");
  jg::CsvFormat f;
  f.delimiter = delimiter[0];
  f.skip_bad_rows = skip_bad_rows;
  return f;
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
      .def_property_readonly("time_unit", [](const jg::JourneySet& s) { return time_unit_label(s.time_unit()); })
      .def_property_readonly("total_conversions", &jg::JourneySet::total_conversions)
      .def_property_readonly("total_nulls", &jg::JourneySet::total_nulls)
      .def_property_readonly("total_value", &jg::JourneySet::total_value)
      .def_property_readonly("memory_bytes", &jg::JourneySet::memory_bytes)
      .def_property_readonly("offsets", [](py::object self) {
        const auto& c = self.cast<const jg::JourneySet&>().offsets();
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("touches", [](py::object self) {
        const auto& c = self.cast<const jg::JourneySet&>().touches();
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("timestamps", [](py::object self) {
        const auto& c = self.cast<const jg::JourneySet&>().timestamps();
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("conversions", [](py::object self) {
        const auto& c = self.cast<const jg::JourneySet&>().conversions_column();
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("nulls", [](py::object self) {
        const auto& c = self.cast<const jg::JourneySet&>().nulls_column();
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("values", [](py::object self) {
        const auto& c = self.cast<const jg::JourneySet&>().values_column();
        return view_of(c.data(), c.size(), self);
      })
      .def_property_readonly("segment_ids", [](py::object self) {
        const auto& c = self.cast<const jg::JourneySet&>().segments_column();
        return view_of(c.data(), c.size(), self);
      })
      .def(
          "path_strings",
          [](const jg::JourneySet& s, const std::string& separator) {
            std::vector<std::string> out;
            out.reserve(s.size());
            for (std::size_t j = 0; j < s.size(); ++j) out.push_back(s.path_string(j, separator));
            return out;
          },
          py::arg("separator") = " > ", "Every journey as 'a > b > c'.")
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
         const py::object& segment, std::vector<std::string> segment_names, bool split_on_conversion,
         std::optional<double> lookback, std::optional<double> gap, bool collapse_repeats, std::size_t max_touches,
         unsigned threads, bool store_timestamps) {
        jg::EventArrays ev;
        ev.journey = span_of<std::int64_t>(journey, "journey", false);
        ev.time = span_of<std::int64_t>(time, "time", true);
        ev.time_unit = parse_time_unit(time_unit);
        ev.touchpoint = codes_of(touchpoint, "touchpoint", false);
        ev.touchpoint_names = std::move(touchpoint_names);
        ev.conversion = span_of<std::uint8_t>(conversion, "conversion", true);
        ev.value = span_of<double>(value, "value", true);
        ev.segment = codes_of(segment, "segment", true);
        ev.segment_names = std::move(segment_names);
        const jg::JourneyOptions options =
            journey_options(split_on_conversion, lookback, gap, collapse_repeats, max_touches, store_timestamps);
        // The arrays stay referenced by the arguments of this call, so they outlive the released section.
        return run_released(threads, [&](const jg::Execution& exec) {
          jg::BuildReport report;
          jg::JourneySet set = jg::build_journeys(ev, options, &report, exec);
          return std::make_pair(std::move(set), std::move(report));
        });
      },
      py::arg("journey"), py::arg("time"), py::arg("time_unit"), py::arg("touchpoint"), py::arg("touchpoint_names"),
      py::arg("conversion"), py::arg("value"), py::arg("segment"), py::arg("segment_names"),
      py::arg("split_on_conversion") = true, py::arg("lookback") = py::none(), py::arg("gap") = py::none(),
      py::arg("collapse_repeats") = false, py::arg("max_touches") = 0, py::arg("threads") = 0,
      py::arg("store_timestamps") = true,
      "Journeys from borrowed event columns (no copy); returns (JourneySet, BuildReport).");

  m.def("journeys_from_paths", &journeys_from_paths, py::arg("paths"), py::arg("conversions"), py::arg("nulls"),
        py::arg("value"), py::arg("separator"), py::arg("names"), py::arg("notes"),
        "Journeys from aggregated path strings and their counts; returns (JourneySet, BuildReport).");

  m.def(
      "read_events_csv",
      [](const std::string& file, const std::pair<std::string, bool>& journey, const std::pair<std::string, bool>& time,
         const std::pair<std::string, bool>& touchpoint, const std::pair<std::string, bool>& conversion,
         const std::pair<std::string, bool>& value, const std::pair<std::string, bool>& segment,
         const std::string& time_unit, const std::string& delimiter, bool skip_bad_rows, bool split_on_conversion,
         std::optional<double> lookback, std::optional<double> gap, bool collapse_repeats, std::size_t max_touches,
         unsigned threads, bool store_timestamps) {
        jg::EventCsvOptions o;
        o.csv = csv_format(delimiter, skip_bad_rows);
        o.journey = column(journey);
        o.time = column(time);
        o.touchpoint = column(touchpoint);
        o.conversion = column(conversion);
        o.value = column(value);
        o.segment = column(segment);
        o.time_format.integer_unit = parse_time_unit(time_unit);
        const jg::JourneyOptions jo =
            journey_options(split_on_conversion, lookback, gap, collapse_repeats, max_touches, store_timestamps);
        return run_released(threads, [&](const jg::Execution& exec) {
          jg::BuildReport report;
          jg::JourneySet set = jg::read_events_csv(file, o, jo, &report, exec);
          return std::make_pair(std::move(set), std::move(report));
        });
      },
      py::arg("file"), py::arg("journey"), py::arg("time"), py::arg("touchpoint"), py::arg("conversion"),
      py::arg("value"), py::arg("segment"), py::arg("time_unit"), py::arg("delimiter"), py::arg("skip_bad_rows"),
      py::arg("split_on_conversion"), py::arg("lookback"), py::arg("gap"), py::arg("collapse_repeats"),
      py::arg("max_touches"), py::arg("threads"), py::arg("store_timestamps") = true,
      "Read an events CSV with the C++ reader; columns are (name, required) pairs. Returns (JourneySet, BuildReport).");

  m.def(
      "read_paths_csv",
      [](const std::string& file, const std::pair<std::string, bool>& path,
         const std::pair<std::string, bool>& conversions, const std::pair<std::string, bool>& nulls,
         const std::pair<std::string, bool>& value, const std::string& separator, const std::string& delimiter,
         bool skip_bad_rows, unsigned threads) {
        jg::PathCsvOptions o;
        o.csv = csv_format(delimiter, skip_bad_rows);
        o.path = column(path);
        o.conversions = column(conversions);
        o.nulls = column(nulls);
        o.value = column(value);
        o.separator = separator;
        return run_released(threads, [&](const jg::Execution& exec) {
          jg::BuildReport report;
          jg::JourneySet set = jg::read_paths_csv(file, o, &report, exec);
          return std::make_pair(std::move(set), std::move(report));
        });
      },
      py::arg("file"), py::arg("path"), py::arg("conversions"), py::arg("nulls"), py::arg("value"),
      py::arg("separator"), py::arg("delimiter"), py::arg("skip_bad_rows"), py::arg("threads"),
      "Read an aggregated paths CSV with the C++ reader. Returns (JourneySet, BuildReport).");
}

}  // namespace jgpy
