// Transition counts through the C ABI: counting, merging, comparing, saving and loading.

#include "capi/internal.hpp"

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

jg_status jg_counts_create(const jg_journeys* journeys, unsigned order, jg_self_loops self_loops,
                           const jg_exec_options* exec, jg_counts** out_counts) {
  return guard("jg_counts_create", [&] {
    reset_out(out_counts, "out_counts");
    const JourneySet& s = need(journeys, "journeys")->set;
    const SelfLoops loops = to_self_loops(self_loops, "self_loops");
    const Execution ex = to_execution(exec);
    *out_counts = new jg_counts{TransitionCounts::count(s, order, loops, ex)};
  });
}

void jg_counts_free(jg_counts* counts) { delete counts; }

jg_status jg_counts_merge(jg_counts* counts, const jg_counts* other) {
  return guard("jg_counts_merge", [&] {
    TransitionCounts& c = need(counts, "counts")->counts;
    const TransitionCounts& o = need(other, "other")->counts;
    if (&c == &o) {
      const TransitionCounts copy = o;
      c.merge(copy);
    } else {
      c.merge(o);
    }
  });
}

jg_status jg_counts_equal(const jg_counts* a, const jg_counts* b, int* out_equal) {
  return guard("jg_counts_equal", [&] {
    const TransitionCounts& x = need(a, "a")->counts;
    const TransitionCounts& y = need(b, "b")->counts;
    *need(out_equal, "out_equal") = x == y ? 1 : 0;
  });
}

jg_status jg_counts_get_info(const jg_counts* counts, jg_counts_info* out_info) {
  return guard("jg_counts_get_info", [&] {
    const TransitionCounts& c = need(counts, "counts")->counts;
    jg_counts_info& info = info_out(out_info, "out_info", JG_COUNTS_INFO_VERSION, "jg_counts_info");
    info.order = c.order();
    info.self_loops = from_self_loops(c.self_loops());
    info.n_touchpoints = c.touchpoints().size();
    info.n_states = c.n_states();
    info.n_transitions = c.edges().size();
    info.rows = c.rows();
    info.zero_weight_journeys = c.zero_weight_journeys();
    info.journeys = c.journeys();
    info.total_conversions = c.total_conversions();
    info.total_nulls = c.total_nulls();
    info.total_value = c.total_value();
  });
}

jg_status jg_counts_save(const jg_counts* counts, const char* file) {
  return guard("jg_counts_save", [&] { need(counts, "counts")->counts.save(need(file, "file")); });
}

jg_status jg_counts_load(const char* file, jg_counts** out_counts) {
  return guard("jg_counts_load", [&] {
    reset_out(out_counts, "out_counts");
    TransitionCounts c = TransitionCounts::load(need(file, "file"));
    *out_counts = new jg_counts{std::move(c)};
  });
}

jg_status jg_counts_to_bytes(const jg_counts* counts, unsigned char* out, size_t capacity, size_t* out_len) {
  return guard("jg_counts_to_bytes", [&] {
    const std::string bytes = need(counts, "counts")->counts.to_bytes();
    write_array(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out, capacity, out_len, "out");
  });
}

jg_status jg_counts_from_bytes(const unsigned char* bytes, size_t length, jg_counts** out_counts) {
  return guard("jg_counts_from_bytes", [&] {
    reset_out(out_counts, "out_counts");
    if (!bytes && length) need(bytes, "bytes");
    TransitionCounts c = TransitionCounts::from_bytes(
        std::string_view(reinterpret_cast<const char*>(bytes ? bytes : reinterpret_cast<const unsigned char*>("")), length),
        "<bytes>");
    *out_counts = new jg_counts{std::move(c)};
  });
}

}  // extern "C"
