// Events -> journeys: group by journey id, order by time, split and trim per JourneyOptions.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "journeys/assemble.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/journeys.hpp"

namespace journeygraph {
namespace {

std::string at_event(std::size_t i) { return "event " + std::to_string(i) + ": "; }

// Dense ids of journey keys in order of first appearance (open addressing; the table is only built for
// input that is not already grouped by journey).
class JourneyIndex {
 public:
  explicit JourneyIndex(std::size_t expected) { slots_.assign(detail::next_pow2(expected * 2 + 16), kEmpty); }
  std::uint32_t id(std::int64_t key) {
    if ((keys_.size() + 1) * 2 > slots_.size()) rehash();
    std::size_t mask = slots_.size() - 1, i = detail::mix64(std::uint64_t(key)) & mask;
    while (true) {
      std::uint32_t s = slots_[i];
      if (s == kEmpty) {
        slots_[i] = static_cast<std::uint32_t>(keys_.size());
        keys_.push_back(key);
        return slots_[i];
      }
      if (keys_[s] == key) return s;
      i = (i + 1) & mask;
    }
  }
  std::size_t size() const { return keys_.size(); }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  void rehash() {
    slots_.assign(slots_.size() * 2, kEmpty);
    std::size_t mask = slots_.size() - 1;
    for (std::uint32_t s = 0; s < keys_.size(); ++s) {
      std::size_t i = detail::mix64(std::uint64_t(keys_[s])) & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<std::int64_t> keys_;
  std::vector<std::uint32_t> slots_;
};

// Events as borrowed arrays (touchpoints as codes of type Code).
template <class Code>
struct ArraySource {
  const EventArrays& ev;
  const Code* codes;
  const std::vector<std::uint32_t>& seg;  // segment id per event (empty without segments)
  std::uint32_t touchpoint(std::uint32_t e) const { return static_cast<std::uint32_t>(codes[e]); }
  std::int64_t time(std::uint32_t e) const { return ev.time[e]; }
  bool converted(std::uint32_t e) const { return !ev.conversion.empty() && ev.conversion[e] != 0; }
  double value(std::uint32_t e) const { return ev.value.empty() ? 0.0 : ev.value[e]; }
  bool has_segments() const { return !seg.empty(); }
  std::uint32_t segment(std::uint32_t e) const { return seg[e]; }
  std::string where(std::uint32_t e) const { return at_event(e); }
};

template <class T>
void check_codes(Span<const T> codes, std::size_t n_names, const char* what) {
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const T c = codes[i];
    if (c < 0 || static_cast<std::uint64_t>(c) >= n_names)
      throw InvalidArgument(at_event(i) + what + " code " + std::to_string(static_cast<long long>(c)) +
                            " is outside [0, " + std::to_string(n_names) + ")");
  }
}

std::size_t code_count(const CodeSpan& codes) {
  return std::visit([](auto s) { return s.size(); }, codes);
}

template <class Code>
void build(const EventArrays& ev, Span<const Code> codes, const JourneyOptions& opt, BuildReport& rep,
           JourneySetBuilder& out, const std::vector<std::uint32_t>& seg, bool have_times, const Execution& exec) {
  const std::size_t n = ev.journey.size();
  const detail::Progress progress(exec, "build");
  // Already-grouped input (non-decreasing ids, the usual export order) is walked in place.
  bool grouped = true;
  std::size_t raw_journeys = n ? 1 : 0;
  for (std::size_t i = 1; i < n; ++i) {
    if (ev.journey[i] < ev.journey[i - 1]) {
      grouped = false;
      break;
    }
    raw_journeys += ev.journey[i] != ev.journey[i - 1];
  }
  const ArraySource<Code> source{ev, codes.data(), seg};
  const bool keys = opt.store_keys;
  auto key = [&](std::size_t e) {
    if (!keys) return;
    if (ev.journey_names.empty()) out.key(ev.journey[e]);
    else out.key(std::string_view(ev.journey_names[static_cast<std::size_t>(ev.journey[e])]));
  };
  detail::JourneyAssembler<ArraySource<Code>> assembler(source, opt, rep, out, have_times, ev.time_unit);
  std::vector<std::uint32_t> local;  // one journey's event indices
  if (grouped) {
    out.reserve(raw_journeys + raw_journeys / 4, n);
    std::size_t begin = 0, j = 0;
    for (std::size_t i = 1; i <= n; ++i) {
      if (i < n && ev.journey[i] == ev.journey[begin]) continue;
      local.resize(i - begin);
      std::iota(local.begin(), local.end(), static_cast<std::uint32_t>(begin));
      assembler.order_by_time(local.data(), local.size());
      key(begin);
      assembler.journey(local.data(), local.size());
      begin = i;
      // Progress (and the chance to cancel) every 2^16 journeys keeps callbacks to a few per second.
      if ((++j & 0xFFFF) == 0) progress.report(double(i) / double(n));
    }
    return;
  }
  // Dense ids in order of first appearance, then a stable counting sort of the events by journey.
  JourneyIndex index(n / 4);
  std::vector<std::uint32_t> jid(n);
  std::vector<std::uint64_t> start;
  for (std::size_t i = 0; i < n; ++i) {
    if ((i & 0xFFFFF) == 0xFFFFF) progress.report(0.5 * double(i) / double(n));
    jid[i] = index.id(ev.journey[i]);
    if (jid[i] == start.size()) start.push_back(0);
    ++start[jid[i]];
  }
  const std::size_t journeys = start.size();
  std::uint64_t acc = 0;
  for (auto& s : start) {
    const std::uint64_t c = s;
    s = acc;
    acc += c;
  }
  start.push_back(n);
  std::vector<std::uint32_t> order(n);
  {
    std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) order[fill[jid[i]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<std::uint32_t>().swap(jid);
  out.reserve(journeys + journeys / 4, n);
  for (std::size_t j = 0; j < journeys; ++j) {
    if ((j & 0xFFFF) == 0xFFFF) progress.report(0.5 + 0.5 * double(j) / double(journeys));
    std::uint32_t* idx = order.data() + start[j];
    const std::size_t m = start[j + 1] - start[j];
    assembler.order_by_time(idx, m);
    key(idx[0]);
    assembler.journey(idx, m);
  }
}

}  // namespace

JourneySet build_journeys(const EventArrays& ev, const JourneyOptions& opt, BuildReport* report, const Execution& exec) {
  BuildReport local;
  BuildReport& rep = report ? *report : local;
  const std::size_t n = ev.journey.size();
  auto length_check = [&](std::size_t m, const char* what, bool optional) {
    if ((optional && m == 0) || m == n) return;
    throw InvalidArgument(std::string(what) + " has " + std::to_string(m) + " entries but journey has " +
                          std::to_string(n));
  };
  length_check(ev.time.size(), "time", true);
  length_check(code_count(ev.touchpoint), "touchpoint", false);
  length_check(ev.conversion.size(), "conversion", true);
  length_check(ev.value.size(), "value", true);
  length_check(code_count(ev.segment), "segment", true);
  if (n > 0xFFFFFFFEu) throw InvalidArgument("more than 4294967294 events in one call; split the input");
  for (std::size_t i = 0; i < ev.touchpoint_names.size(); ++i) {
    const auto& name = ev.touchpoint_names[i];
    std::size_t bad = detail::utf8_invalid_at(name);
    if (bad != std::string_view::npos)
      throw InvalidArgument("touchpoint name " + std::to_string(i) + " " + detail::show(name) +
                            " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  }
  const bool have_times = !ev.time.empty();
  const bool have_segments = code_count(ev.segment) > 0;
  // Validate the duration options before any work.
  detail::duration_ticks(opt.lookback, ev.time_unit, "lookback", have_times);
  detail::duration_ticks(opt.gap, ev.time_unit, "gap", have_times);

  JourneySetBuilder out(have_times && opt.store_timestamps, ev.time_unit, have_segments);
  out.set_time_kind(ev.time_kind, ev.epoch_unit.value_or(ev.time_unit));
  out.set_touchpoints(Dictionary(ev.touchpoint_names));
  std::visit([&](auto codes) { check_codes(codes, ev.touchpoint_names.size(), "touchpoint"); }, ev.touchpoint);
  if (!ev.journey_names.empty()) check_codes(ev.journey, ev.journey_names.size(), "journey");
  std::vector<std::uint32_t> seg;
  if (have_segments) {
    out.set_segments(Dictionary(ev.segment_names));
    std::visit(
        [&](auto codes) {
          check_codes(codes, ev.segment_names.size(), "segment");
          seg.assign(codes.begin(), codes.end());
        },
        ev.segment);
  }
  rep.rows += n;
  std::visit([&](auto codes) { build(ev, codes, opt, rep, out, seg, have_times, exec); },
             ev.touchpoint);
  JourneySet result = out.finish();
  rep.journeys += result.size();
  rep.touches += result.touch_count();
  return result;
}

}  // namespace journeygraph
