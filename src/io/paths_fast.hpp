#pragma once
// Internal: the quick way through a piece of a paths CSV file that holds no quote character. Rows are cut
// at the delimiter and at line ends by one scan of the bytes, counts go through parse_double's digit path,
// and a single-byte separator is found by the same scan, so no tokenizer record, field vector or string is
// built per row. It takes only rows that the tokenizer and parse_path_row would take without a word: at the
// first row it cannot take as such (wrong width, a NUL byte, an over-long field, a bad count, an empty name,
// invalid UTF-8, ...) it gives up and the caller parses the whole piece again with the general reader, which
// then says what is wrong in its own words. So every result and every message is the general reader's.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/text.hpp"
#include "journeygraph/journeys.hpp"
#include "journeys/paths.hpp"

namespace journeygraph::detail {

// The column positions and rules a quick parse needs (from the header and the options).
struct PathFastLayout {
  std::size_t width = 0;                    // fields of a row (the header's)
  std::size_t cp = 0, cc = 0, cn = 0, cv = 0;  // column indices; npos when absent (cp never is)
  char delimiter = ',';
  std::size_t max_field = 0;
  std::string_view separator;
  bool check_separator = true;
  static constexpr std::size_t npos = ~std::size_t(0);
  static constexpr std::size_t kMaxWidth = 16;
};

// A count of a row, as count_field reads it; nullopt where count_field would fail.
inline std::optional<double> fast_count(std::string_view s) noexcept {
  const auto v = parse_double(s);
  if (!v || *v < 0 || *v >= kMaxWeight || (*v > 0 && *v < kMinWeight)) return std::nullopt;
  return *v + 0.0;
}

// A value of a row, as parse_path_row reads it (c: the row's conversions); nullopt where it would fail.
inline std::optional<double> fast_value(std::string_view s, double c) noexcept {
  const auto v = parse_double(s);
  if (!v || *v < 0 || (*v > 0 && c == 0) || *v >= kMaxWeight || (*v > 0 && *v < kMinWeight)) return std::nullopt;
  return *v;
}

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

// Splits path at a one-byte separator as split_path does (names trimmed of spaces and tabs), calling
// on_name(data, length) for each; false at an empty name (on_name may have seen the names before it). Names
// are short: a byte loop beats a memchr call per name.
template <class OnName>
bool fast_split(std::string_view path, char sep, OnName&& on_name) {
  const char* p = path.data();
  const char* const end = p + path.size();
  while (true) {
    const char* stop = p;
    while (stop < end && *stop != sep) ++stop;
    const char* a = p;
    const char* b = stop;
    while (a < b && is_blank(*a)) ++a;
    while (b > a && is_blank(b[-1])) --b;
    if (a == b) return false;
    on_name(a, static_cast<std::size_t>(b - a));
    if (stop == end) return true;
    p = stop + 1;
  }
}

// A piece's names of up to 8 bytes by their bytes read as one word (a name holds no NUL byte, so the word
// tells its length too), in front of the piece's dictionary, which gives the ids (first-seen order). The
// word is one unaligned load, masked, where 8 bytes can be read: no copy through memory and no string.
template <class Names>
class FastNames {
 public:
  explicit FastNames(Names& names) : names_(names), keys_(1024, 0), ids_(1024, 0) {}
  // The id of the name at p (len bytes); `loadable`: 8 bytes from p can be read.
  std::uint32_t intern(const char* p, std::size_t len, bool loadable) {
    if (len > 8) return names_.intern(std::string_view(p, len));
    std::uint64_t w = 0;
    if (loadable) {
      std::memcpy(&w, p, 8);
      if (len < 8) w &= (std::uint64_t(1) << (8 * len)) - 1;
    } else {
      std::memcpy(&w, p, len);
    }
    const std::size_t mask = keys_.size() - 1;
    std::size_t i = static_cast<std::size_t>((w * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
    while (keys_[i] != 0) {
      if (keys_[i] == w) return ids_[i];
      i = (i + 1) & mask;
    }
    const std::uint32_t id = names_.intern(std::string_view(p, len));
    keys_[i] = w;
    ids_[i] = id;
    if (++count_ * 2 > keys_.size()) grow();
    return id;
  }

 private:
  void grow() {
    std::vector<std::uint64_t> old_keys(keys_.size() * 2, 0);
    std::vector<std::uint32_t> old_ids(ids_.size() * 2, 0);
    old_keys.swap(keys_);
    old_ids.swap(ids_);
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t k = 0; k < old_keys.size(); ++k)
      if (old_keys[k]) {
        std::size_t i = static_cast<std::size_t>((old_keys[k] * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
        while (keys_[i] != 0) i = (i + 1) & mask;
        keys_[i] = old_keys[k];
        ids_[i] = old_ids[k];
      }
  }
  Names& names_;
  std::vector<std::uint64_t> keys_;  // 0 = empty
  std::vector<std::uint32_t> ids_;
  std::size_t count_ = 0;
};

// Parses the rows of text (a piece without quotes that starts at a record boundary on physical line
// first_line) into piece: the same columns parse_path_piece fills, with rows numbered from 0. Returns false
// as soon as a row needs the general reader; piece is then partly filled and must be reset by the caller.
// Piece needs: tps.intern(name), touches, offsets (holding {0}), conversions, nulls, values, rows, seen
// ({path, line, column}), holds_separator, records, blank_lines, zero_weight.
// Complexity: O(bytes of text) plus one dictionary look-up per touch.
template <class Piece>
bool parse_paths_fast(std::string_view text, std::uint64_t first_line, const PathFastLayout& L, Piece& pc) {
  if (L.width == 0 || L.width > PathFastLayout::kMaxWidth || L.separator.empty()) return false;
  const char* const d = text.data();
  const std::size_t n = text.size();
  const char delim = L.delimiter;
  const bool one_byte_sep = L.separator.size() == 1;
  const char sep = L.separator[0];
  // Bytes that end an unquoted field's text (a NUL byte too: the tokenizer refuses it).
  bool stops[256] = {};
  stops[static_cast<unsigned char>(delim)] = stops['\n'] = stops['\r'] = stops[0] = true;
  FastNames<std::remove_reference_t<decltype(pc.tps)>> names(pc.tps);
  const char* const text_end = d + n;
  std::size_t begin[PathFastLayout::kMaxWidth], len[PathFastLayout::kMaxWidth];
  bool ascii[PathFastLayout::kMaxWidth];
  std::uint64_t line = first_line, row = 0, blank = 0, zero = 0;
  std::size_t p = 0;
  while (p < n) {
    // A blank line: LF, CRLF or a lone CR.
    if (d[p] == '\n' || d[p] == '\r') {
      p += (d[p] == '\r' && p + 1 < n && d[p + 1] == '\n') ? 2 : 1;
      ++line;
      ++blank;
      continue;
    }
    // One record: fields at the delimiter up to the line end.
    const std::size_t start = p;
    std::size_t fields = 0, from = p;
    while (true) {
      std::size_t q = from;
      unsigned char high = 0;  // the OR of the field's bytes: bit 7 set if any is not ASCII
      while (q < n && !stops[static_cast<unsigned char>(d[q])]) high |= static_cast<unsigned char>(d[q++]);
      if (q < n && d[q] == '\0') return false;       // the tokenizer's error
      if (q - from > L.max_field) return false;       // over-long field: the tokenizer's error
      if (fields == L.width) return false;            // too many fields
      begin[fields] = from;
      len[fields] = q - from;
      ascii[fields] = high < 0x80;
      ++fields;
      if (q < n && d[q] == delim) {
        from = q + 1;
        continue;
      }
      p = q;
      break;
    }
    if (fields != L.width) return false;
    if (p < n) p += (d[p] == '\r' && p + 1 < n && d[p + 1] == '\n') ? 2 : 1;
    const std::uint64_t record_line = line++;
    const std::string_view path(d + begin[L.cp], len[L.cp]);
    if (!ascii[L.cp] && utf8_invalid_at(path) != std::string_view::npos) return false;
    // A path of blanks alone fails below at its first (empty) name: the general reader then names it.
    auto field = [&](std::size_t i) { return std::string_view(d + begin[i], len[i]); };
    double c = 0, nu = 0, v = 0;
    if (L.cc != PathFastLayout::npos) {
      const auto x = fast_count(field(L.cc));
      if (!x) return false;
      c = *x;
    }
    if (L.cn != PathFastLayout::npos) {
      const auto x = fast_count(field(L.cn));
      if (!x) return false;
      nu = *x;
    }
    if (c + nu >= kMaxWeight) return false;
    if (L.cv != PathFastLayout::npos) {
      const auto x = fast_value(field(L.cv), c);
      if (!x) return false;
      v = *x;
    }
    if (L.check_separator && !pc.holds_separator) {
      pc.seen.push_back({path, record_line, static_cast<std::uint64_t>(begin[L.cp] - start + 1)});
      pc.holds_separator = path.find(L.separator) != std::string_view::npos;
    }
    const bool ok =
        one_byte_sep
            ? fast_split(path, sep,
                         [&](const char* a, std::size_t k) { pc.touches.push_back(names.intern(a, k, text_end - a >= 8)); })
            : split_path(path, L.separator, [&](std::string_view name) {
                return pc.touches.push_back(names.intern(name.data(), name.size(), text_end - name.data() >= 8));
              }) == 0;
    if (!ok) return false;
    if (c + nu == 0) ++zero;
    pc.offsets.push_back(static_cast<std::uint32_t>(pc.touches.size()));
    pc.conversions.push_back(c);
    pc.nulls.push_back(nu);
    pc.values.push_back(v);
    pc.rows.push_back(row++);
  }
  pc.records = row;
  pc.blank_lines = blank;
  pc.zero_weight = zero;
  return true;
}

}  // namespace journeygraph::detail
