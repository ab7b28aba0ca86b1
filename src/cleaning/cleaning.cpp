// Cleaning rules (see cleaning.hpp). Rules work on the touchpoint dictionary: each distinct name is cleaned
// once, then the journeys are rewritten through an id map, so regular expressions never run per touch.

#include "journeygraph/cleaning.hpp"

#include <regex>
#include <unordered_map>

#include "common/glob.hpp"
#include "common/text.hpp"
#include "io/csv.hpp"
#include "journeygraph/error.hpp"
#include "table/columns.hpp"

namespace journeygraph {

struct CleaningRules::Compiled {
  std::regex regex;
};

const char* cleaning_action_name(CleaningAction action) noexcept {
  switch (action) {
    case CleaningAction::alias: return "alias";
    case CleaningAction::group: return "group";
    case CleaningAction::drop: return "drop";
  }
  return "?";
}

CleaningAction parse_cleaning_action(std::string_view name) {
  for (CleaningAction a : {CleaningAction::alias, CleaningAction::group, CleaningAction::drop})
    if (name == cleaning_action_name(a)) return a;
  throw InvalidArgument("unknown cleaning action " + detail::show(name) + " (the actions are: alias, group, drop)");
}

CleaningRules::CleaningRules() = default;
CleaningRules::~CleaningRules() = default;
CleaningRules::CleaningRules(const CleaningRules&) = default;
CleaningRules& CleaningRules::operator=(const CleaningRules&) = default;
CleaningRules::CleaningRules(CleaningRules&&) noexcept = default;
CleaningRules& CleaningRules::operator=(CleaningRules&&) noexcept = default;

CleaningRules& CleaningRules::add(CleaningRule rule) {
  const std::string where = "cleaning rule " + std::to_string(rules_.size() + 1) + " (" +
                            cleaning_action_name(rule.action) + " " + detail::show(rule.pattern) + ")";
  if (rule.pattern.empty()) throw InvalidArgument(where + ": the pattern is empty");
  if (detail::utf8_invalid_at(rule.pattern) != std::string::npos ||
      detail::utf8_invalid_at(rule.replacement) != std::string::npos)
    throw InvalidArgument(where + ": not valid UTF-8");
  std::shared_ptr<const Compiled> compiled;
  if (rule.action == CleaningAction::alias) {
    try {
      compiled = std::make_shared<const Compiled>(Compiled{std::regex(rule.pattern, std::regex::ECMAScript)});
    } catch (const std::regex_error& e) {
      throw InvalidArgument(where + ": invalid regular expression (" + e.what() + ")");
    }
  } else if (rule.action == CleaningAction::group && rule.replacement.empty()) {
    rule.replacement = rule.pattern;
  }
  rules_.push_back(std::move(rule));
  compiled_.push_back(std::move(compiled));
  return *this;
}

CleaningRules& CleaningRules::alias(std::string regex, std::string replacement) {
  return add({CleaningAction::alias, std::move(regex), std::move(replacement)});
}
CleaningRules& CleaningRules::group(std::string pattern, std::string name) {
  return add({CleaningAction::group, std::move(pattern), std::move(name)});
}
CleaningRules& CleaningRules::drop(std::string pattern) { return add({CleaningAction::drop, std::move(pattern), {}}); }
CleaningRules& CleaningRules::collapse_repeats(bool on) {
  collapse_ = on;
  return *this;
}

std::optional<std::string> CleaningRules::clean(std::string_view name, std::size_t* rule) const {
  std::string current(name);
  std::size_t last = 0;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const CleaningRule& x = rules_[r];
    switch (x.action) {
      case CleaningAction::alias: {
        std::string next = std::regex_replace(current, compiled_[r]->regex, x.replacement);
        if (next.empty())
          throw InvalidArgument("cleaning rule " + std::to_string(r + 1) + " (alias " + detail::show(x.pattern) +
                                ") turns touchpoint " + detail::show(name) +
                                " into an empty name (use a drop rule to remove touchpoints)");
        if (next != current) {
          current = std::move(next);
          last = r + 1;
        }
        break;
      }
      case CleaningAction::group:
        if (detail::glob_match(x.pattern, current) && current != x.replacement) {
          current = x.replacement;
          last = r + 1;
        }
        break;
      case CleaningAction::drop:
        if (detail::glob_match(x.pattern, current)) {
          if (rule) *rule = r + 1;
          return std::nullopt;
        }
        break;
    }
  }
  if (rule) *rule = last;
  return current;
}

std::string CleaningReport::summary() const {
  std::string s = "cleaning: " + std::to_string(touchpoints_before) + " touchpoints became " +
                  std::to_string(touchpoints_after);
  std::size_t renamed = 0, dropped = 0;
  for (const Entry& e : touchpoints) {
    if (e.cleaned.empty()) ++dropped;
    else if (e.cleaned != e.touchpoint) ++renamed;
  }
  if (renamed) s += "; " + std::to_string(renamed) + " renamed or grouped";
  if (dropped) s += "; " + std::to_string(dropped) + " dropped";
  if (touches_dropped) s += "; " + std::to_string(touches_dropped) + " of " + std::to_string(touches_before) +
                            " touches dropped";
  if (touches_collapsed) s += "; " + std::to_string(touches_collapsed) + " repeated touches collapsed";
  if (journeys_emptied)
    s += "; " + std::to_string(journeys_emptied) + " journeys left without touches were removed (weight " +
         detail::format_double(weight_emptied) + ", conversions " + detail::format_double(conversions_emptied) + ")";
  return s;
}

JourneySet CleaningRules::apply(const JourneySet& js, CleaningReport* report) const {
  const Dictionary& dict = js.touchpoints();
  constexpr std::uint32_t kDropped = 0xFFFFFFFFu;
  JourneySetBuilder b(js.has_timestamps(), js.time_unit(), js.has_segments());
  if (js.has_segments()) b.set_segments(js.segments());
  std::vector<std::uint32_t> to(dict.size());
  CleaningReport rep;
  rep.touchpoints_before = dict.size();
  rep.touches_before = js.touch_count();
  for (std::uint32_t id = 0; id < dict.size(); ++id) {
    std::size_t rule = 0;
    const std::optional<std::string> cleaned = clean(dict.name(id), &rule);
    to[id] = cleaned ? b.touchpoint(*cleaned) : kDropped;
    rep.touchpoints.push_back({dict.name(id), cleaned ? *cleaned : std::string(), rule});
  }
  std::vector<std::uint32_t> path;
  std::vector<std::int64_t> times;
  b.reserve(js.size(), js.touch_count());
  for (std::size_t j = 0; j < js.size(); ++j) {
    const auto p = js.path(j);
    const auto t = js.times(j);
    path.clear();
    times.clear();
    for (std::size_t i = 0; i < p.size(); ++i) {
      const std::uint32_t id = to[p[i]];
      if (id == kDropped) {
        ++rep.touches_dropped;
        continue;
      }
      if (collapse_ && !path.empty() && path.back() == id) {
        ++rep.touches_collapsed;
        continue;
      }
      path.push_back(id);
      if (!t.empty()) times.push_back(t[i]);
    }
    if (path.empty()) {
      ++rep.journeys_emptied;
      rep.weight_emptied += js.weight(j);
      rep.conversions_emptied += js.conversions(j);
      continue;
    }
    b.add({path.data(), path.size()}, {times.data(), times.size()}, js.conversions(j), js.nulls(j), js.value(j),
          js.segment(j));
  }
  if (b.size() == 0)
    throw DataError("the cleaning rules leave no journey with a touch (" + rep.summary() + ")");
  JourneySet out = b.finish();
  rep.touchpoints_after = out.touchpoints().size();
  if (report) *report = std::move(rep);
  return out;
}

namespace {

CleaningRules read_rules(detail::CsvReader& r) {
  const std::string& name = r.name();
  if (!r.next())
    throw ParseError(name, 0, 0, "", "", "empty file: expected a header row with columns 'action', 'pattern' and "
                                         "'replacement'");
  const std::uint64_t header_line = r.line();
  const std::size_t none = ~std::size_t(0);
  std::size_t action_col = none, pattern_col = none, repl_col = none;
  std::string have;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const std::string h(detail::trim(r.field(i)));
    have += (i ? ", '" : "'") + h + "'";
    if (h == "action") action_col = i;
    else if (h == "pattern") pattern_col = i;
    else if (h == "replacement") repl_col = i;
  }
  for (auto [col, want] : {std::pair{action_col, "action"}, std::pair{pattern_col, "pattern"}})
    if (col == none)
      throw ParseError(name, header_line, 0, want, "",
                       std::string("missing column '") + want + "' (the header has: " + have + ")");
  CleaningRules rules;
  while (r.next()) {
    const std::size_t need = std::max(action_col, pattern_col);
    if (r.size() <= need)
      r.fail(r.size() ? r.size() - 1 : 0, "",
             "expected at least " + std::to_string(need + 1) + " fields, got " + std::to_string(r.size()));
    CleaningRule rule;
    const std::string action(detail::trim(r.field(action_col)));
    try {
      rule.action = parse_cleaning_action(action);
    } catch (const InvalidArgument& e) {
      r.fail(action_col, "action", e.what());
    }
    rule.pattern = std::string(detail::trim(r.field(pattern_col)));
    if (repl_col != none && repl_col < r.size()) rule.replacement = std::string(detail::trim(r.field(repl_col)));
    try {
      rules.add(rule);
    } catch (const InvalidArgument& e) {
      throw ParseError(name, r.line(), r.column(pattern_col), "pattern", detail::show(rule.pattern), e.what());
    }
  }
  if (rules.rules().empty()) throw DataError(name + ": no cleaning rule after the header");
  return rules;
}

}  // namespace

CleaningRules parse_cleaning_rules_csv(std::string_view text, const std::string& name, const CsvFormat& format) {
  detail::CsvReader r(text, name, format);
  return read_rules(r);
}

CleaningRules read_cleaning_rules_csv(const std::string& file, const CsvFormat& format) {
  detail::CsvReader r(file, format);
  return read_rules(r);
}

Table cleaning_table(const CleaningReport& report) {
  using E = CleaningReport::Entry;
  return detail::table_of("cleaning", report.touchpoints)
      .text("touchpoint", &E::touchpoint)
      .text("cleaned", &E::cleaned)
      .text("action", [](const E& e) {
        return std::string(e.cleaned.empty() ? "dropped" : e.cleaned == e.touchpoint ? "kept" : "renamed");
      })
      .integer("rule", [](const E& e) { return std::int64_t(e.rule); })
      .meta("touchpoints_before", std::int64_t(report.touchpoints_before))
      .meta("touchpoints_after", std::int64_t(report.touchpoints_after))
      .meta("touches_before", std::int64_t(report.touches_before))
      .meta("touches_dropped", std::int64_t(report.touches_dropped))
      .meta("touches_collapsed", std::int64_t(report.touches_collapsed))
      .meta("journeys_emptied", std::int64_t(report.journeys_emptied))
      .meta("weight_emptied", report.weight_emptied)
      .meta("conversions_emptied", report.conversions_emptied);
}

}  // namespace journeygraph
