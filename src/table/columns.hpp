#pragma once
// Building a result table from a sequence of records, one line per column:
//
//   table_of("funnel", f.rows).text("stage", &FunnelStage::stage).real("journeys", &FunnelStage::journeys)
//
// Each call adds one column whose values are the member (or the callable's result) of every record, so a
// field added to a result reaches every face with one line here.

#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "journeygraph/table.hpp"

namespace journeygraph::detail {

template <class Records>
class TableBuilder {
 public:
  TableBuilder(std::string name, const Records& records) : records_(records) { table_.name = std::move(name); }

  template <class F>
  TableBuilder& real(std::string name, F&& f) { return column<double>(std::move(name), f); }
  template <class F>
  TableBuilder& integer(std::string name, F&& f) { return column<std::int64_t>(std::move(name), f); }
  template <class F>
  TableBuilder& text(std::string name, F&& f) { return column<std::string>(std::move(name), f); }
  template <class F>
  TableBuilder& flag(std::string name, F&& f) {
    BoolColumn v;
    for (const auto& r : records_) v.values.push_back(std::invoke(f, r) ? 1 : 0);
    table_.add(std::move(name), std::move(v));
    return *this;
  }
  TableBuilder& meta(std::string key, Scalar value) {
    table_.set(std::move(key), std::move(value));
    return *this;
  }
  TableBuilder& notes(std::vector<ColumnNote> lines) {
    table_.notes = std::move(lines);
    return *this;
  }
  Table done() { return std::move(table_); }
  operator Table() { return done(); }  // NOLINT: lets a builder chain end a function returning Table

 private:
  template <class T, class F>
  TableBuilder& column(std::string name, F& f) {
    std::vector<T> v;
    v.reserve(std::size(records_));
    for (const auto& r : records_) v.push_back(static_cast<T>(std::invoke(f, r)));
    table_.add(std::move(name), std::move(v));
    return *this;
  }
  const Records& records_;
  Table table_;
};

template <class Records>
TableBuilder<Records> table_of(std::string name, const Records& records) {
  return TableBuilder<Records>(std::move(name), records);
}

}  // namespace journeygraph::detail
