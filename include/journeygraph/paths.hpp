#pragma once
/// \file paths.hpp
/// The path explorer: what journeys do after a start touchpoint, before an end touchpoint (or the conversion,
/// or a drop-off), or between two steps of a funnel — step by step, with every journey accounted for at every
/// step, and the most common whole paths.
///
/// ## Which journeys, which part of them
/// - start only: journeys with a touch matching `start`; their path runs from the first such touch to the end
///   of the journey, followed by "(conversion)" or "(null)" (a path row splits: conversions to one, non-
///   conversions to the other). Steps count forward: the start touch is step 1.
/// - end only: journeys with a touch matching `end` (end = "(conversion)": converted journeys, the conversion
///   following the last touch; end = "(drop-off)": journeys that did not convert, "(null)" following the last
///   touch); their path runs from the journey's first touch to the first such touch, included. Steps count
///   backward: the end is step 0, the touch before it step -1, and so on.
/// - start and end: journeys with a start touch followed, later, by an end touch; the path runs from the first
///   start touch to the first end touch after it. Steps count forward.
/// - neither: every journey, from its first touch to its end.
/// - funnel: journeys that reached funnel step `to_step`, from the touch of step `from_step` to that of
///   `to_step` in the canonical matching of `to_step` (funnel.hpp); with drop_off, journeys that reached
///   `from_step` but not the next required step, from the touch of `from_step` to the end of the journey.
/// Anchors (start, end) are step texts as in funnel.hpp: names, wildcard patterns, alternatives, "stage:NAME".
/// A path keeps at most max_steps touches (terminals such as "(conversion)" are not counted): a longer forward
/// path ends in "(continues)" after its max_steps-th touch, a longer backward path begins with "(earlier)"
/// before the max_steps touches that lead to its end. Journeys outside the selection are not dropped silently:
/// their weight is PathExploration::excluded.
///
/// ## Steps and shares
/// At every step, every journey of the selection is in exactly one row: one of the `top` most common
/// touchpoints at that step, "(other)" (the rest, merged), a terminal ("(conversion)", "(null)",
/// "(continues)", "(earlier)") or "(none)" (the path has no node at that step: it ended before, or — backward —
/// began later). So the shares of every step sum to 100 % of the selected journeys. The links between
/// consecutive steps (after the top-N merge) form a SankeyData for the existing renderer (sankey_svg); nothing
/// is cut from it but what the `top` merge says. Cleaning rules (cleaning.hpp) apply before: explore the
/// journeys CleaningRules::apply returns.
///
/// ## Worked example
/// start = "search", max_steps = 3, top = 1; journeys (weight 1 each):
///   ad > search > web (converted);   search > web > web > app (not);   ad > app (not, excluded: no search)
/// Selected 2, excluded 1. Step 1: search 2 (100 %). Step 2: web 2 (100 %). Step 3: "(conversion)" 1 (the first
/// journey ended after web), web 1 — with top = 1 both rows stay, since terminals are never merged. Step 4:
/// "(continues)" 1 (the second journey is cut after 3 nodes), "(none)" 1.
///
/// ## Compared with PostHog
/// PostHog's paths keep the 50 heaviest edges by default and drop the rest without saying so; here each step
/// keeps its `top` touchpoints and merges the rest into an explicit "(other)", so flows add up at every step.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// Options of explore_paths().
struct PathExplorerOptions {
  std::string start;                  ///< anchor text (funnel.hpp step syntax); empty: the journey's first touch
  std::string end;                    ///< anchor text, "(conversion)" or "(drop-off)"; empty: the journey's end
  std::optional<EventFunnelOptions> funnel;  ///< funnel mode (start and end must then be empty)
  std::size_t from_step = 1;          ///< funnel mode: 1-based step the paths start at
  std::size_t to_step = 0;            ///< funnel mode: 1-based step they end at; 0: the next required step
  bool drop_off = false;              ///< funnel mode: journeys that reached from_step and not the next step
  std::size_t max_steps = 5;          ///< nodes per path before it is cut (>= 1)
  std::size_t top = 5;                ///< touchpoints kept per step (>= 1); the rest become "(other)"
  std::size_t variants = 20;          ///< most common whole paths listed (0 = all)
  const StageMap* stages = nullptr;   ///< for "stage:NAME" anchors (not owned)
};

/// One row of a step: a node key and the journeys at it.
struct PathStepRow {
  long step = 0;              ///< forward: 1, 2, ...; backward: ..., -1, 0
  std::string key;            ///< touchpoint, "(other)", "(conversion)", "(null)", "(continues)", "(earlier)", "(none)"
  std::size_t rank = 0;       ///< 1-based rank of a kept touchpoint at its step; 0 for the other keys
  double journeys = 0;        ///< weight at the node
  double share = 0;           ///< journeys / selected journeys
  double conversions = 0;     ///< conversions of those journeys
  std::size_t merged = 0;     ///< "(other)": how many distinct touchpoints it holds
};

/// Result of explore_paths().
struct PathExploration {
  bool backward = false;          ///< steps count back from the end anchor
  double journeys = 0;            ///< weight of the selected journeys (the 100 % of every step)
  double excluded = 0;            ///< weight of the journeys outside the selection
  double all_journeys = 0;        ///< weight of every journey
  std::vector<PathStepRow> steps; ///< by step, then journeys (largest first), then key
  SankeyData sankey;              ///< links between consecutive steps (nodes without "(none)")
  /// The most common whole paths (after cutting, before the top-N merge), most common first; share is of the
  /// selected journeys, cumulative_share accumulates it.
  std::vector<PathVariant> variants;
  std::size_t distinct_paths = 0;
};

/// Explore paths (see the file comment). Throws InvalidArgument for max_steps or top of 0, an anchor that
/// matches no touchpoint (with the closest names), start/end together with a funnel, funnel step numbers out of
/// range or to_step <= from_step; what event_funnel() throws for the funnel; DataError if no journey is
/// selected. Deterministic for any thread count.
/// Complexity: O(touches) + the funnel's matching in funnel mode + O(n log n) for the n distinct (step, key)
/// nodes and paths.
PathExploration explore_paths(const JourneySet& journeys, const PathExplorerOptions& options,
                              const Execution& exec = {});

/// Columns: step, key, rank, journeys, share, conversions, conversion_rate, merged. Complexity: O(rows).
Table path_step_table(const PathExploration& paths);
/// Columns: path (keys joined by separator), length (nodes), journeys, share, share_of_all (of every journey),
/// cumulative_share, conversions, conversion_rate. Complexity: O(variants x length).
Table path_variant_table(const PathExploration& paths, std::string_view separator = " > ");

}  // namespace journeygraph
