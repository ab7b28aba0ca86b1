#pragma once
// The one rule by which every face reads the name of an enum value: exact match against the names the
// core gives its values, else InvalidArgument naming the value, listing the names and, when one is close,
// asking "did you mean".

#include <string>
#include <string_view>

#include "common/text.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph::detail {

// The value of values whose name_of(value) is name; `what` names the kind ("self-loop rule").
template <class Values, class NameOf>
auto parse_name(std::string_view name, const Values& values, NameOf name_of, const char* what) {
  std::string known, best;
  std::size_t best_distance = 3;
  for (auto v : values) {
    const std::string_view n = name_of(v);
    if (name == n) return v;
    known += (known.empty() ? "" : ", ") + std::string(n);
    const std::size_t d = edit_distance(name, n);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(n);
    }
  }
  throw InvalidArgument("unknown " + std::string(what) + " " + show(name) + " (known: " + known + ")" +
                        (best.empty() ? "" : "; did you mean '" + best + "'?"));
}

}  // namespace journeygraph::detail
