// libFuzzer target: the binary model and counts loaders (TransitionCounts::from_bytes, MarkovModel::from_bytes)
// on ".jgm" bytes. Every input runs twice: as given, and "repaired" (payload size and CRC-64 rewritten to
// match the bytes between header and checksum), so that mutations of the payload get past the checksum and
// reach the parser and the fit.
//
// What must hold beyond "only journeygraph::Error is thrown" (ParseError naming the input):
// - accepted counts are consistent (tokens, edges and finite non-negative sums) and the loader accepts one
//   encoding per value: to_bytes() of loaded counts is the input itself, with kind 1 and smoothing 0;
// - the model loads iff the counts do and the file says "model" (a fit may still refuse hostile counts with
//   a DataError), and an accepted model re-serialises to the input bytes, which reload to the same P;
// - an accepted model has finite probabilities in [0, 1], rows summing to 1 (1e-9), a finite P(conversion)
//   in [0, 1 + 1e-12]; for up to 256 states, removal effects are finite and in [-1e-9, 1 + 1e-9].

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "fuzz_check.hpp"
#include "journeygraph/markov.hpp"

namespace {

using namespace journeygraph;

constexpr std::size_t kHeader = 24;  // magic 8, version 4, kind 4, payload size 8
constexpr std::size_t kKindAt = 12, kSizeAt = 16, kSmoothingAt = kHeader + 4 + 1;

// CRC-64/ECMA-182 (reflected, as the format uses), written here rather than taken from the library.
std::uint64_t crc64(std::string_view s) {
  static const auto table = [] {
    std::array<std::uint64_t, 256> t{};
    for (std::uint64_t i = 0; i < 256; ++i) {
      std::uint64_t c = i;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1) ? 0xC96C5795D7870F42ULL : 0);
      t[i] = c;
    }
    return t;
  }();
  std::uint64_t c = ~0ULL;
  for (unsigned char b : s) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return ~c;
}

void put_u64(std::string& s, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}

std::uint32_t get_u32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

// The header as given, the payload size set to the bytes up to the last 8, and those 8 the payload's CRC.
std::string repaired(std::string_view in) {
  if (in.size() < kHeader + 8) return std::string(in);
  std::string out(in.substr(0, in.size() - 8));
  put_u64(out, kSizeAt, out.size() - kHeader);
  out.append(8, '\0');
  put_u64(out, out.size() - 8, crc64(std::string_view(out).substr(kHeader, out.size() - 8 - kHeader)));
  return out;
}

// `bytes` (accepted, so well formed) rewritten as a counts file: kind 1, smoothing +0, CRC fixed.
std::string as_counts_file(std::string_view bytes) {
  std::string out(bytes);
  out[kKindAt] = 1;
  out[kKindAt + 1] = out[kKindAt + 2] = out[kKindAt + 3] = 0;
  put_u64(out, kSmoothingAt, 0);
  put_u64(out, out.size() - 8, crc64(std::string_view(out).substr(kHeader, out.size() - 8 - kHeader)));
  return out;
}

void check_counts(const TransitionCounts& tc) {
  const std::size_t ns = tc.n_states(), ntp = tc.touchpoints().size();
  JG_FUZZ_REQUIRE(tc.order() >= 1 && tc.order() <= kMaxOrder, std::to_string(tc.order()));
  for (const auto& name : tc.touchpoints()) JG_FUZZ_REQUIRE(!name.empty() && jgfuzz::valid_utf8(name), name);
  for (std::size_t s = 0; s < ns; ++s) {
    auto st = tc.state(s);
    JG_FUZZ_REQUIRE(st.size() >= 1 && st.size() <= tc.order(), "");
    for (std::uint32_t t : st) JG_FUZZ_REQUIRE(t < ntp, "");
    for (double x : {tc.state_conversions(s), tc.state_nulls(s), tc.state_value(s)})
      JG_FUZZ_REQUIRE(std::isfinite(x) && x >= 0, std::to_string(x));
  }
  for (const auto& e : tc.edges()) {
    JG_FUZZ_REQUIRE((e.from == TransitionCounts::kStart || e.from < ns) && e.to < ns, "");
    JG_FUZZ_REQUIRE(std::isfinite(e.count) && e.count >= 0, std::to_string(e.count));
  }
  for (double x : {tc.journeys(), tc.total_conversions(), tc.total_nulls(), tc.total_value()})
    JG_FUZZ_REQUIRE(std::isfinite(x) && x >= 0, std::to_string(x));
}

void check_model(const MarkovModel& m) {
  JG_FUZZ_REQUIRE(m.fitted(), "");
  const std::size_t n = m.n_states();
  JG_FUZZ_REQUIRE(n == m.counts().n_states() + 1, "");
  const auto& offsets = m.row_offsets();
  const auto& cols = m.columns();
  const auto& probs = m.probabilities();
  const auto& counts = m.row_counts();
  JG_FUZZ_REQUIRE(offsets.size() == n + 1 && offsets.front() == 0 && offsets.back() == cols.size(), "");
  JG_FUZZ_REQUIRE(probs.size() == cols.size() && counts.size() == cols.size(), "");
  for (std::size_t i = 0; i < n; ++i) {
    JG_FUZZ_REQUIRE(offsets[i] <= offsets[i + 1], "");
    double sum = 0, mass = 0;
    for (std::uint64_t q = offsets[i]; q < offsets[i + 1]; ++q) {
      JG_FUZZ_REQUIRE(cols[q] >= 1 && cols[q] < n + 2, std::to_string(cols[q]));  // nothing returns to START
      JG_FUZZ_REQUIRE(std::isfinite(probs[q]) && probs[q] >= 0 && probs[q] <= 1, std::to_string(probs[q]));
      JG_FUZZ_REQUIRE(std::isfinite(counts[q]) && counts[q] >= 0, std::to_string(counts[q]));
      sum += probs[q];
      mass += counts[q];
    }
    if (mass > 0 || m.smoothing() > 0)
      JG_FUZZ_REQUIRE(std::fabs(sum - 1) <= 1e-9, "row " + std::to_string(i) + " sums to " + std::to_string(sum));
  }
  for (double v : m.value_per_conversion()) JG_FUZZ_REQUIRE(std::isfinite(v) && v >= 0, std::to_string(v));
  const double p = m.conversion_probability();
  JG_FUZZ_REQUIRE(std::isfinite(p) && p >= 0 && p <= 1 + 1e-12, std::to_string(p));
  JG_FUZZ_REQUIRE(std::isfinite(m.expected_value()) && m.expected_value() >= 0, std::to_string(m.expected_value()));
  if (n > 256 || !(p > 0)) return;
  Execution exec;
  exec.threads = 1;
  std::optional<RemovalEffects> re;
  try {
    re = removal_effects(m, exec);
  } catch (const Error& e) {
    jgfuzz::violated("removal effects of an accepted model failed", e.what());
  }
  JG_FUZZ_REQUIRE(re->removal_effect.size() == m.touchpoints().size(), "");
  for (double r : re->removal_effect)
    JG_FUZZ_REQUIRE(std::isfinite(r) && r >= -1e-9 && r <= 1 + 1e-9, std::to_string(r));
  for (double c : re->conversions) JG_FUZZ_REQUIRE(std::isfinite(c), "");
  for (double v : re->value) JG_FUZZ_REQUIRE(std::isfinite(v), "");
}

void run(std::string_view bytes) {
  const std::string name = "fuzz_model.jgm";
  Execution exec;
  exec.threads = 1;
  std::optional<TransitionCounts> tc;
  try {
    tc = TransitionCounts::from_bytes(bytes, name);
  } catch (const Error& e) {
    jgfuzz::check_error(e, name);
  }
  if (tc) {
    check_counts(*tc);
    // One encoding per value: what was accepted is what the writer writes (as counts: kind 1, smoothing 0).
    const std::string out = tc->to_bytes();
    JG_FUZZ_REQUIRE(out == as_counts_file(bytes), "counts re-serialise to other bytes");
    const TransitionCounts again = TransitionCounts::from_bytes(out, name);
    JG_FUZZ_REQUIRE(again == *tc && again.to_bytes() == out, "counts round trip");
  }
  std::optional<MarkovModel> m;
  try {
    m = MarkovModel::from_bytes(bytes, name, exec);
  } catch (const ParseError& e) {
    jgfuzz::check_error(e, name);
  } catch (const DataError& e) {
    // The bytes parse, but the counts cannot be fitted (a state without way out, a closed cycle, ...).
    JG_FUZZ_REQUIRE(tc.has_value(), e.what());
  } catch (const Error& e) {
    jgfuzz::violated("unexpected error class from MarkovModel::from_bytes", e.what());
  }
  const bool is_model = bytes.size() >= kHeader && get_u32(bytes, kKindAt) == 2;
  if (m) JG_FUZZ_REQUIRE(tc && is_model, "a model loaded from bytes the counts reader refuses");
  if (!m) return;
  JG_FUZZ_REQUIRE(m->counts() == *tc, "model counts differ from the counts reader's");
  check_model(*m);
  const std::string out = m->to_bytes();
  JG_FUZZ_REQUIRE(out == std::string(bytes), "model re-serialises to other bytes");
  const MarkovModel again = MarkovModel::from_bytes(out, name, exec);
  JG_FUZZ_REQUIRE(again.to_bytes() == out, "model round trip");
  const double p1 = m->conversion_probability(), p2 = again.conversion_probability();
  JG_FUZZ_REQUIRE(std::memcmp(&p1, &p2, sizeof p1) == 0 && again.probabilities() == m->probabilities(),
                  "reloaded model differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  run(raw);
  const std::string fixed = repaired(raw);
  if (fixed != raw) run(fixed);
  return 0;
}
