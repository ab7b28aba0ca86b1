// Shape checks of input: a path separator that never occurs while another one does, and which reader a CSV
// header calls for. A wrong separator makes every whole path one touchpoint and still gives plausible-looking
// attribution, so it is refused rather than read.

#include <algorithm>

#include "common/text.hpp"
#include "io/csv.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {
namespace {
// "->" before ">": a file using "->" holds both, and "->" is the one to name.
constexpr const char* kCandidates[6] = {"->", ">", "|", ",", ";", "/"};
}  // namespace

SeparatorCheck::SeparatorCheck(std::string_view separator) : separator_(separator) {
  if (separator.empty()) throw InvalidArgument("the path separator is empty");
}

void SeparatorCheck::add(std::string_view path, std::uint64_t index, std::uint64_t column) {
  if (seen_separator_) return;
  if (path.find(separator_) != std::string_view::npos) {
    seen_separator_ = true;
    return;
  }
  ++total_;
  const std::string_view core = detail::trim(separator_);
  for (int k = 0; k < 6; ++k) {
    const std::string_view cand(kCandidates[k]);
    if (cand == core || path.find(cand) == std::string_view::npos) continue;
    if (counts_[k]++ == 0) {
      first_[k] = index;
      column_[k] = column;
      example_[k] = std::string(path.substr(0, 200));
    }
  }
}

std::optional<SeparatorCheck::Problem> SeparatorCheck::problem() const {
  if (seen_separator_ || total_ == 0) return std::nullopt;
  int best = -1;
  for (int k = 0; k < 6; ++k)
    if (counts_[k] * 2 > total_ && (best < 0 || counts_[k] > counts_[best])) best = k;
  if (best < 0) return std::nullopt;
  Problem p;
  p.found = kCandidates[best];
  p.paths = counts_[best];
  p.total = total_;
  p.first = first_[best];
  p.first_column = column_[best];
  p.example = example_[best];
  return p;
}

std::string SeparatorCheck::Problem::message(std::string_view separator) const {
  return "no path holds the separator " + detail::show(separator) + ", so every path would be one touchpoint, but " +
         std::to_string(paths) + " of " + std::to_string(total) + " paths hold " + detail::show(found) +
         " (the first: " + detail::show(example) + "): set the separator to " + detail::show(found) + " (--sep, sep=)";
}

void check_path_separator(Span<const std::string_view> paths, std::string_view separator) {
  SeparatorCheck check(separator);
  for (std::size_t i = 0; i < paths.size(); ++i) check.add(paths[i], i);
  if (auto p = check.problem()) throw InvalidArgument("path " + std::to_string(p->first) + ": " + p->message(separator));
}

CsvKindGuess detect_csv_kind(const std::vector<std::string>& header, const EventCsvOptions& events,
                             const PathCsvOptions& paths) {
  auto has = [&](const Column& c) {
    return !c.name.empty() && std::find(header.begin(), header.end(), c.name) != header.end();
  };
  auto q = [](const Column& c) { return "'" + c.name + "'"; };
  const bool journey = has(events.journey), touchpoint = has(events.touchpoint), path = has(paths.path),
             conversions = has(paths.conversions);
  CsvKindGuess g;
  if (journey && touchpoint && !path) {
    g.kind = CsvKind::events;
    g.reason = "the header has the columns " + q(events.journey) + " and " + q(events.touchpoint) + " of an event log";
  } else if (path && conversions && !journey) {
    g.kind = CsvKind::paths;
    g.reason = "the header has the columns " + q(paths.path) + " and " + q(paths.conversions) + " of aggregated paths";
  } else if ((journey || touchpoint) && (path || conversions)) {
    g.reason = "the header has columns of both an event log (" + q(events.journey) + ", " + q(events.touchpoint) +
               ") and aggregated paths (" + q(paths.path) + ", " + q(paths.conversions) + ")";
  } else {
    g.reason = "the header has neither the columns " + q(events.journey) + " and " + q(events.touchpoint) +
               " of an event log nor " + q(paths.path) + " and " + q(paths.conversions) + " of aggregated paths";
  }
  return g;
}

std::vector<std::string> detail::header_names(CsvReader& r, const std::string& name) {
  if (!r.next()) throw ParseError(name, 0, 0, "", "", "empty file: expected a header row");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < r.size(); ++i) names.emplace_back(detail::trim(r.field(i)));
  return names;
}

std::vector<std::string> read_csv_header(const std::string& file, const CsvFormat& format) {
  detail::CsvReader r(file, format);
  return detail::header_names(r, file);
}

}  // namespace journeygraph
