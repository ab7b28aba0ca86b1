#pragma once
/// \file cleaning.hpp
/// Cleaning rules: rename touchpoints with regular expressions, group them with wildcard patterns, drop the
/// ones that are noise — defined once, applied to the journeys before any analysis (funnels, paths, drivers,
/// the journey map, attribution), so every analysis sees the same cleaned touchpoints.
///
/// Semantics. The rules are applied in the order given, to each touchpoint *name* (never to the journeys
/// one by one, so a rule costs O(distinct touchpoints), not O(touches)):
/// - `alias(regex, replacement)`: every match of the ECMAScript regular expression in the current name is
///   replaced (std::regex_replace: `$1`, `$&` refer to groups); anchor it (`^...$`) to replace whole names.
/// - `group(pattern, name)`: a name the wildcard pattern matches as a whole ('*' = any run of characters,
///   backslash escapes) becomes `name` (by default the pattern itself, e.g. "product_*").
/// - `drop(pattern)`: a name the wildcard pattern matches as a whole is dropped: its touches are removed.
/// A later rule sees the name earlier rules produced. Then, if collapse_repeats is set, runs of the same
/// cleaned touchpoint collapse to one touch (the first of the run, with its timestamp). A journey left
/// without touches is removed and counted (CleaningReport::journeys_emptied, with its weight).
///
/// Worked example: rules alias("^(paid|organic)_search$", "search"), group("*_ad", "ads"), drop("app_push");
/// journey "display_ad > paid_search > app_push > organic_search > website" becomes
/// "ads > search > search > website", and with collapse_repeats "ads > search > website".
///
/// Compared with PostHog's path cleaning (regex -> alias applied to URLs of the paths insight only) the rules
/// here apply to every analysis, report what they changed touchpoint by touchpoint (cleaning_table), and
/// never drop a journey silently.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/io.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// What a cleaning rule does.
enum class CleaningAction { alias, group, drop };
/// "alias", "group", "drop". Complexity: O(1).
const char* cleaning_action_name(CleaningAction action) noexcept;
/// Inverse of cleaning_action_name; throws InvalidArgument listing the names. Complexity: O(1).
CleaningAction parse_cleaning_action(std::string_view name);

/// One rule (see the file comment for the semantics).
struct CleaningRule {
  CleaningAction action = CleaningAction::alias;
  std::string pattern;      ///< alias: a regular expression; group, drop: a wildcard pattern
  std::string replacement;  ///< alias: the replacement text; group: the group's name; drop: unused
};

/// What cleaning did, touchpoint by touchpoint and in total, so that nothing changes silently.
struct CleaningReport {
  /// One entry per touchpoint of the input (in dictionary order): its cleaned name (empty when dropped) and
  /// the 1-based number of the last rule that changed it (0: unchanged).
  struct Entry {
    std::string touchpoint;
    std::string cleaned;
    std::size_t rule = 0;
  };
  std::vector<Entry> touchpoints;
  std::size_t touchpoints_before = 0;      ///< distinct touchpoints before
  std::size_t touchpoints_after = 0;       ///< distinct touchpoints after (in journeys that remain)
  std::uint64_t touches_before = 0;
  std::uint64_t touches_dropped = 0;       ///< touches of dropped touchpoints
  std::uint64_t touches_collapsed = 0;     ///< touches removed by collapse_repeats
  std::uint64_t journeys_emptied = 0;      ///< journeys (rows) left without touches, removed
  double weight_emptied = 0;               ///< their weight (conversions + nulls)
  double conversions_emptied = 0;          ///< their conversions
  /// One paragraph listing every non-zero count. Complexity: O(touchpoints).
  std::string summary() const;
};

/// An ordered list of cleaning rules. A value type; the regular expressions are compiled once when a rule is
/// added (an invalid one throws there, naming the rule). Const methods may run concurrently.
class CleaningRules {
 public:
  CleaningRules();
  ~CleaningRules();
  CleaningRules(const CleaningRules&);
  CleaningRules& operator=(const CleaningRules&);
  CleaningRules(CleaningRules&&) noexcept;
  CleaningRules& operator=(CleaningRules&&) noexcept;

  /// Append a rule. Throws InvalidArgument (naming the rule's number and pattern) for an empty pattern, an
  /// invalid regular expression (with the library's reason), or an empty group name given explicitly as "".
  /// Complexity: O(pattern length) plus regex compilation.
  CleaningRules& add(CleaningRule rule);
  /// add({alias, regex, replacement}). Complexity: that of add().
  CleaningRules& alias(std::string regex, std::string replacement);
  /// add({group, pattern, name}); an empty name means the pattern itself. Complexity: O(pattern length).
  CleaningRules& group(std::string pattern, std::string name = {});
  /// add({drop, pattern, ""}). Complexity: O(pattern length).
  CleaningRules& drop(std::string pattern);
  /// Collapse runs of the same cleaned touchpoint to one touch (default off). Complexity: O(1).
  CleaningRules& collapse_repeats(bool on = true);
  /// Whether collapse_repeats is on. Complexity: O(1).
  bool collapses_repeats() const noexcept { return collapse_; }
  /// The rules in order. Complexity: O(1).
  const std::vector<CleaningRule>& rules() const noexcept { return rules_; }
  /// Whether there is nothing to do (no rule and no collapsing). Complexity: O(1).
  bool empty() const noexcept { return rules_.empty() && !collapse_; }

  /// The cleaned name of one touchpoint name, or nullopt if a rule drops it; *rule receives the 1-based number
  /// of the last rule that changed it (0 if none). Throws InvalidArgument if an alias leaves an empty name
  /// (naming the rule and the touchpoint). Complexity: O(rules x regex cost).
  std::optional<std::string> clean(std::string_view name, std::size_t* rule = nullptr) const;
  /// The journeys with every rule applied (see the file comment): touchpoints renamed, merged, dropped;
  /// times, outcomes and segments kept; journeys left empty removed and counted in *report.
  /// Throws InvalidArgument as clean() does. Complexity: O(distinct touchpoints x rules + touches).
  JourneySet apply(const JourneySet& journeys, CleaningReport* report = nullptr) const;

 private:
  struct Compiled;
  std::vector<CleaningRule> rules_;
  std::vector<std::shared_ptr<const Compiled>> compiled_;
  bool collapse_ = false;
};

/// Read rules from CSV text with a header row and the columns action (alias, group or drop), pattern and
/// replacement (may be absent or empty for group and drop); other columns are ignored. Throws ParseError
/// "NAME:LINE:COLUMN: field 'pattern': ..." naming the value for an unknown action, an empty pattern or an
/// invalid regular expression; DataError if there is no rule. Complexity: O(text size).
CleaningRules parse_cleaning_rules_csv(std::string_view text, const std::string& name = "<memory>",
                                       const CsvFormat& format = {});
/// Same, from a file (IoError if it cannot be read). Complexity: O(file size).
CleaningRules read_cleaning_rules_csv(const std::string& file, const CsvFormat& format = {});

/// Columns: touchpoint, cleaned (empty when dropped), action ("kept", "renamed", "dropped"), rule (1-based
/// number of the last rule that changed it, 0 if none). Complexity: O(touchpoints).
Table cleaning_table(const CleaningReport& report);

}  // namespace journeygraph
