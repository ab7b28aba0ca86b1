// libFuzzer target: the stages CSV reader (parse_stages_csv) with and without a funnel order, then a
// journey map of fixed journeys over the touchpoints the file names. Accepted input must give a stage map
// whose assignments are unique, sorted and inside the order, and a funnel whose shares add up.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_check.hpp"
#include "journeygraph/journey_map.hpp"

namespace {

using namespace journeygraph;

void check_stage_map(const StageMap& m) {
  JG_FUZZ_REQUIRE(!m.stages().empty(), "no stages");
  const auto& a = m.assignments();
  for (std::size_t i = 0; i < a.size(); ++i) {
    JG_FUZZ_REQUIRE(!a[i].first.empty(), "empty touchpoint");
    JG_FUZZ_REQUIRE(a[i].second < m.size(), a[i].first);
    JG_FUZZ_REQUIRE(i == 0 || a[i - 1].first < a[i].first, a[i].first);
    JG_FUZZ_REQUIRE(m.stage_of(a[i].first) == a[i].second, a[i].first);
  }
}

// A few journeys over (up to) the first touchpoints of the map, mapped with an "other" stage.
void check_map(const StageMap& m) {
  const auto& a = m.assignments();
  if (a.empty()) return;
  JourneySetBuilder b;
  const std::size_t n = std::min<std::size_t>(a.size(), 6);
  for (std::size_t i = 0; i < n; ++i) {
    b.add({a[i].first}, 1, 1);
    b.add({a[i].first, a[(i + 1) % n].first, "unmapped"}, double(i % 2), 1);
  }
  MapOptions o;
  o.other_stage = "other";
  JourneyMap map(b.finish(), m, o);
  const Funnel f = map.funnel();
  for (const FunnelStage& r : f.rows) {
    JG_FUZZ_REQUIRE(std::fabs(r.advanced + r.converted + r.dropped - r.journeys) <= 1e-9 * (1 + r.journeys), r.stage);
    JG_FUZZ_REQUIRE(r.journeys <= f.journeys + 1e-9, r.stage);
  }
  for (const PainPoint& p : map.pain_points()) {
    JG_FUZZ_REQUIRE(p.unconverted_exit_share >= 0 && p.unconverted_exit_share <= 1 + 1e-12, p.touchpoint);
    JG_FUZZ_REQUIRE(p.conversion_probability >= -1e-12 && p.conversion_probability <= 1 + 1e-12, p.touchpoint);
  }
  JG_FUZZ_REQUIRE(!graph_svg(map).empty() && !funnel_svg(f).empty(), "pictures");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string name = "fuzz_stages.csv";
  static const std::vector<std::string> order = {"awareness", "consideration", "purchase"};
  for (int variant = 0; variant < 2; ++variant) {
    StageCsvOptions o;
    if (variant == 1) o.order = order;
    std::optional<StageMap> m;
    try {
      m = parse_stages_csv(text, name, o);
    } catch (const Error& e) {
      jgfuzz::check_error(e, name);
      continue;
    }
    check_stage_map(*m);
    JG_FUZZ_REQUIRE(m->source() == name, m->source());
    if (variant == 1) JG_FUZZ_REQUIRE(m->stages() == order, "order not kept");
    try {
      check_map(*m);
    } catch (const Error& e) {
      // Names the file's touchpoints may carry are valid journey touchpoints; nothing may fail here.
      jgfuzz::violated("journey map of accepted stages failed", e.what());
    }
  }
  return 0;
}
