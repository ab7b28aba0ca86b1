#pragma once
/// \file stages.hpp
/// Stages of a funnel (awareness, consideration, purchase, ...) and the stage of each touchpoint, built in
/// memory or read from a stages CSV.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "journeygraph/io.hpp"

namespace journeygraph {

/// An ordered list of stages (the funnel, e.g. awareness, consideration, purchase, retention, advocacy)
/// and the stage of each touchpoint. A value type; copies are independent.
class StageMap {
 public:
  /// No stages (a map built with it has no stage analyses).
  StageMap() = default;
  /// Stages in funnel order. Throws InvalidArgument for an empty list, an empty or duplicated name.
  /// Complexity: O(stages).
  explicit StageMap(std::vector<std::string> order);
  /// Stages in order and touchpoint -> stage pairs: the constructor above, then assign() for each pair, so
  /// it throws InvalidArgument as they do. Complexity: O(stages + pairs x touchpoints assigned) worst case.
  StageMap(std::vector<std::string> order, const std::vector<std::pair<std::string, std::string>>& assignment);

  /// Put touchpoint in stage. Throws InvalidArgument if the stage is not in the order (the message lists
  /// the stages), the touchpoint name is empty, or the touchpoint already has another stage. Assigning
  /// the same stage again is allowed. Complexity: O(touchpoints assigned) worst case.
  void assign(std::string_view touchpoint, std::string_view stage);
  /// The stages in funnel order.
  const std::vector<std::string>& stages() const noexcept { return order_; }
  /// Number of stages (0 = no stages).
  std::size_t size() const noexcept { return order_.size(); }
  /// Whether there are no stages. Complexity: O(1).
  bool empty() const noexcept { return order_.empty(); }
  /// Position of a stage in the order, or nullopt. Complexity: O(stages).
  std::optional<std::uint32_t> stage_index(std::string_view stage) const;
  /// Stage position of a touchpoint, or nullopt if it has none. Complexity: O(log touchpoints).
  std::optional<std::uint32_t> stage_of(std::string_view touchpoint) const;
  /// Every touchpoint -> stage position pair, sorted by touchpoint name (byte order).
  const std::vector<std::pair<std::string, std::uint32_t>>& assignments() const noexcept { return assigned_; }
  /// Where the map came from ("<memory>" or the file name), used in error messages.
  const std::string& source() const noexcept { return source_; }
  /// Name the map's origin (read_stages_csv sets the file name). Complexity: O(name length).
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::vector<std::string> order_;
  std::vector<std::pair<std::string, std::uint32_t>> assigned_;
  std::string source_ = "<memory>";
};

/// The built-in retailer sample's stages (sample_stage_order() with sample_stages()).
StageMap sample_stage_map();

/// Columns and dialect of a stages CSV: one row per touchpoint with its stage.
struct StageCsvOptions {
  CsvFormat csv;
  std::string touchpoint_column = "touchpoint";
  std::string stage_column = "stage";
  /// The funnel order. Empty: the stages in order of first appearance in the file. Otherwise a row
  /// naming a stage outside this list is an error.
  std::vector<std::string> order;
};

/// Read a stages CSV (header row with touchpoint and stage columns; other columns are ignored).
/// Throws IoError if the file cannot be read, ParseError ("FILE:LINE:COLUMN: field 'stage': ...", with
/// the value) for a missing column, an empty touchpoint or stage, an unknown stage (when an order is
/// given), or a touchpoint given two different stages; DataError if the file has no rows.
/// Complexity: O(file size + touchpoints log touchpoints).
StageMap read_stages_csv(const std::string& file, const StageCsvOptions& options = {});
/// Same, from text in memory; name is used in error messages.
StageMap parse_stages_csv(std::string_view text, const std::string& name = "<memory>",
                          const StageCsvOptions& options = {});

}  // namespace journeygraph
