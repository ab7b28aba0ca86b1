// Read-only use of one fitted MarkovModel from 8 threads at once (markov.hpp: "every const method may run
// concurrently"). Each thread records what it sees; the main thread compares it bit for bit with the answers
// computed before the threads started. Also: cancelling a loop stops long items on every thread. Built alone
// as jg_thread_tests for the ThreadSanitizer run (make test-tsan), and part of jg_tests everywhere else.

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/parallel.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/scoring.hpp"
#include "attribution/bootstrap.hpp"
#include "markov/solver.hpp"
#include "test_files.hpp"

using namespace journeygraph;

namespace {

struct Seen {
  double conversion_probability = 0;
  double expected_value = 0;
  std::vector<Transition> transitions;
  RemovalEffects effects;
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_bits(a[i], b[i])) return false;
  return true;
}

bool same(const Seen& a, const Seen& b) {
  if (!same_bits(a.conversion_probability, b.conversion_probability) || !same_bits(a.expected_value, b.expected_value))
    return false;
  if (a.transitions.size() != b.transitions.size()) return false;
  for (std::size_t i = 0; i < a.transitions.size(); ++i) {
    const Transition &x = a.transitions[i], &y = b.transitions[i];
    if (x.from != y.from || x.to != y.to || !same_bits(x.count, y.count) || !same_bits(x.probability, y.probability))
      return false;
  }
  const RemovalEffects &p = a.effects, &q = b.effects;
  return p.touchpoints == q.touchpoints && same_bits(p.removal_effect, q.removal_effect) &&
         same_bits(p.removal_effect_value, q.removal_effect_value) && same_bits(p.conversions, q.conversions) &&
         same_bits(p.value, q.value) && same_bits(p.conversion_probability_without, q.conversion_probability_without);
}

// An Execution whose callback records the fractions it is given during `stage` in asked and cancels at the
// first of them (calls during other stages go on).
Execution cancel_at_first(std::string stage, std::vector<double>& asked) {
  Execution e;
  e.progress = [stage = std::move(stage), &asked](double f, const char* now) {
    if (stage != now) return true;
    asked.push_back(f);
    return false;
  };
  return e;
}

Seen look(const MarkovModel& m, unsigned threads) {
  Execution exec;
  exec.threads = threads;
  Seen s;
  s.conversion_probability = m.conversion_probability();
  s.expected_value = m.expected_value();
  s.transitions = m.transitions();
  s.effects = removal_effects(m, exec);
  return s;
}

}  // namespace

TEST_CASE("8 threads read one fitted model concurrently", "[concurrency]") {
  const JourneySet js = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  for (unsigned order : {1u, 3u}) {
    ModelOptions o;
    o.order = order;
    const MarkovModel model = MarkovModel::fit(js, o);
    const Seen expected = look(model, 1);
    REQUIRE(expected.effects.touchpoints.size() > 1);
    constexpr unsigned kThreads = 8, kRounds = 3;
    std::vector<std::vector<Seen>> seen(kThreads);
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < kThreads; ++t)
      pool.emplace_back([&, t] {
        try {
          // Mostly threads = 1 inside; the last thread also runs the removal solves on 2 threads of its own.
          for (unsigned r = 0; r < kRounds; ++r) seen[t].push_back(look(model, t == kThreads - 1 && r == 1 ? 2 : 1));
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
    for (auto& th : pool) th.join();
    for (unsigned t = 0; t < kThreads; ++t) {
      INFO("order " << order << ", thread " << t);
      CHECK(errors[t].empty());
      REQUIRE(seen[t].size() == kRounds);
      for (const Seen& s : seen[t]) CHECK(same(s, expected));
    }
  }
}

TEST_CASE("the events reader's pieces on 1, 2 and 4 threads: the same journeys, the same report", "[concurrency]") {
  // About 20 MiB of events in memory: one block of more pieces than the readers' window holds (4 per thread),
  // so parsing threads wait for merges and pieces' columns are reused (built alone for the ThreadSanitizer run).
  std::string text = "journey_id,timestamp,touchpoint,conversion,value\n";
  std::uint64_t s = 7;
  auto next = [&](std::uint32_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return std::uint32_t((s >> 33) % n);
  };
  const char* names[] = {"search", "email", "display", "social"};
  for (std::int64_t journey = 0; text.size() < (std::size_t(20) << 20); ++journey) {
    const std::uint32_t touches = 1 + next(6);
    std::int64_t t = 1767225600 + next(86400);
    for (std::uint32_t k = 0; k < touches; ++k) {
      t += 1 + next(600);
      const bool conv = k + 1 == touches && next(4) == 0;
      text += std::to_string(journey) + "," + std::to_string(t) + "," + names[next(4)] + "," + (conv ? "1,3\n" : "0,0\n");
    }
  }
  std::vector<JourneySet> sets;
  std::vector<BuildReport> reports(3);
  const unsigned threads[] = {1, 2, 4};
  for (std::size_t i = 0; i < 3; ++i) {
    Execution exec;
    exec.threads = threads[i];
    sets.push_back(parse_events_csv(text, "events.csv", {}, {}, &reports[i], exec));
  }
  for (std::size_t i = 1; i < 3; ++i) {
    INFO(threads[i] << " threads");
    REQUIRE(sets[i].size() == sets[0].size());
    CHECK(sets[i].touches() == sets[0].touches());
    CHECK(sets[i].offsets() == sets[0].offsets());
    CHECK(sets[i].total_conversions() == sets[0].total_conversions());
    CHECK(reports[i].rows == reports[0].rows);
    CHECK(reports[i].journeys == reports[0].journeys);
  }
  CHECK(reports[0].rows > 500000);
}

// Cancelling a loop whose items run long: the items stop within themselves (they poll), on the calling thread
// and on the others, instead of running to their end. Each item below would spin for ever but for the poll;
// a safety deadline ends it after 10 s, and the test counts such items as failures.
TEST_CASE("a cancelled loop stops long items within themselves, on every thread", "[concurrency][progress]") {
  using Clock = std::chrono::steady_clock;
  struct Run {
    std::atomic<int> spinning{0}, deadline_hits{0}, abandoned{0};
  };
  auto spin = [](Run& run, const detail::LoopPoll& poll) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    ++run.spinning;
    try {
      while (Clock::now() < deadline) poll.poll();
    } catch (const detail::LoopPoll::Abandoned&) {
      ++run.abandoned;
      throw;
    }
    ++run.deadline_hits;
  };
  // Runs body over 2 items on 2 threads, asking callback; true when the loop ended in Interrupted.
  auto interrupted = [](std::function<bool(double, const char*)> callback, auto&& body) {
    Execution e;
    e.threads = 2;
    e.progress = std::move(callback);
    try {
      detail::parallel_for(2, e, "spin", body);
    } catch (const Interrupted&) {
      return true;
    }
    return false;
  };
  Run run;
  SECTION("the calling thread's poll asks the callback, which cancels; the other thread's item is abandoned") {
    // The calling thread's poll asks every 50 ms; the callback cancels once both items spin.
    CHECK(interrupted([&run](double, const char*) { return run.spinning < 2; },
                      [&](std::size_t, unsigned, const detail::LoopPoll& poll) { spin(run, poll); }));
    CHECK(run.abandoned == 1);
  }
  SECTION("while the calling thread waits for another thread's last item, it still asks the callback") {
    // The calling thread's item ends (without polling) as soon as the other thread's item spins. The
    // callback lets the first report through (the calling thread's item done) and cancels at the next, which
    // only the waiting calling thread can make.
    std::atomic<int> calls{0};
    CHECK(interrupted([&calls](double, const char*) { return ++calls < 2; },
                      [&](std::size_t, unsigned worker, const detail::LoopPoll& poll) {
                        if (worker != 0) return spin(run, poll);
                        const auto until = Clock::now() + std::chrono::seconds(10);
                        while (run.spinning == 0 && Clock::now() < until) std::this_thread::yield();
                      }));
    CHECK(run.abandoned == 1);
  }
  SECTION("a loop nested in an item, whose items poll the enclosing loop, ends when that loop is cancelled") {
    // Each item runs a one-thread loop of its own, whose item spins on the enclosing loop's poll. When that
    // poll abandons, the nested loop must not return as if it were done: it passes the stop on.
    std::atomic<int> nested_returned{0};
    CHECK(interrupted([&run](double, const char*) { return run.spinning < 2; },
                      [&](std::size_t, unsigned, const detail::LoopPoll& outer) {
                        Execution inner;
                        inner.threads = 1;
                        detail::parallel_for(1, inner, "inner", [&](std::size_t) { spin(run, outer); });
                        ++nested_returned;
                      }));
    CHECK(nested_returned == 0);
  }
  CHECK(run.deadline_hits == 0);
}

// Bootstrap replicates poll too: one thread, two replicates, a callback that cancels when asked before any
// replicate is done. Without the poll it is first asked after the first replicate, and the call finishes.
TEST_CASE("bootstrap replicates stop within themselves when cancelled", "[concurrency][progress]") {
  const JourneySet js = read_paths_csv(std::string(JG_REFERENCE_DIR) + "/pathdata.csv");
  AttributionOptions o;
  o.models = {AttributionModel::markov};
  o.markov.order = 2;
  o.bootstrap.replicates = 2;
  std::vector<double> asked;
  Execution e;
  e.threads = 1;
  e.progress = [&asked](double f, const char* stage) {
    if (std::string(stage) != "bootstrap") return true;
    asked.push_back(f);
    return f > 0.0;
  };
  CHECK_THROWS_AS(attribute(js, o, e), Interrupted);
  REQUIRE(!asked.empty());
  CHECK(asked.front() == 0.0);
}

// Removal effects poll within a batch: a callback that cancels at any fraction short of 1 stops a single batch
// (4 touchpoints) whose chain has one large strongly connected component, solved by sweeps. Without the poll
// the callback would first be asked when the batch is done (fraction 1), and the call would finish.
TEST_CASE("removal effects stop within a batch when cancelled", "[concurrency][progress]") {
  JourneySetBuilder b;
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 16;
  };
  const std::vector<std::string> tps = {"a", "b", "c", "d"};
  for (int j = 0; j < 20000; ++j) {
    std::vector<std::string> path(8 + next() % 8);
    for (auto& t : path) t = tps[next() % 4];
    b.add(path, next() % 5 == 0 ? 1.0 : 0.0, 1.0, 0.0);
  }
  const JourneySet js = b.finish();
  ModelOptions mo;
  mo.order = 6;
  mo.self_loops = SelfLoops::keep;
  const MarkovModel m = MarkovModel::fit(js, mo);
  REQUIRE(m.chain().solver->largest_component() > 2000);  // beyond the direct solves: sweeps
  for (unsigned threads : {1u, 2u}) {
    std::vector<double> asked;
    Execution e;
    e.threads = threads;
    e.progress = [&asked](double f, const char* stage) {
      if (std::string(stage) != "removal effects") return true;
      asked.push_back(f);
      return f >= 1.0;
    };
    CHECK_THROWS_AS(removal_effects(m, e), Interrupted);
    REQUIRE(!asked.empty());
    CHECK(asked.front() < 1.0);
    // The same model, not cancelled, still gives its answer.
    Execution plain;
    plain.threads = threads;
    CHECK(same_bits(removal_effects(m, plain).removal_effect, removal_effects(m).removal_effect));
  }
}

// Counting polls within a chunk of journeys: two chunks (32,768 journeys each) counted on one thread, and a
// callback that cancels at any fraction short of 1. Without the poll the callback would first be asked when the
// first chunk is done (fraction 1/2), and the cancel would come a chunk late.
TEST_CASE("counting stops within a chunk when cancelled", "[concurrency][progress]") {
  const JourneySet js = jgtest::random_journeys(777, 40000, 3, 6, 30, 5);
  std::vector<double> asked;
  Execution e = cancel_at_first("count", asked);
  e.threads = 1;
  CHECK_THROWS_AS(TransitionCounts::count(js, 3, SelfLoops::drop, e), Interrupted);
  REQUIRE(!asked.empty());
  CHECK(asked.front() == 0.0);
  // Not cancelled, the same input gives the same counts on 1 and 2 threads (two parts; the callback, asked
  // while the calling thread waits for the other part, never sees the fraction step back).
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  double last = 0;
  bool monotone = true;
  two.progress = [&](double f, const char* stage) {
    if (std::string(stage) == "count") {
      monotone = monotone && f >= last;
      last = f;
    }
    return true;
  };
  CHECK(TransitionCounts::count(js, 3, SelfLoops::drop, one) == TransitionCounts::count(js, 3, SelfLoops::drop, two));
  CHECK(monotone);
  CHECK(last == 1.0);
}

// Progress::poll() without a fraction gives the callback the fraction last reported (a caller waiting on work
// whose fraction another part reports), at most every 50 ms.
TEST_CASE("Progress::poll repeats the fraction last reported", "[progress]") {
  std::vector<double> asked;
  Execution e;
  e.progress = [&asked](double f, const char*) {
    asked.push_back(f);
    return true;
  };
  const detail::Progress p(e, "stage");
  p.poll();
  REQUIRE(asked.size() == 1);
  CHECK(asked[0] == 0.0);  // nothing reported yet
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  p.report(0.25);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  p.poll();
  REQUIRE(asked.size() == 3);
  CHECK(asked[2] == 0.25);
}

namespace {
// 70,000 journeys of 2 to 5 touches over 20 touchpoints, a fifth converting: more than the 65,536 journeys
// between two progress checks of a pass over the journeys.
JourneySet journeys_for_checks() { return jgtest::random_journeys(4242, 70000, 2, 4, 20, 5); }
}  // namespace

// The rule-based models report as the stage "heuristics", and fractribution's index of the paths asks the
// callback while it is built (fraction 0, before any journey is credited). Without those checks the pass
// would run to its end: the first call would come at 65,535 / 70,000, or never.
TEST_CASE("rule-based models and the bootstrap's set-up stop when cancelled", "[concurrency][progress]") {
  const JourneySet js = journeys_for_checks();
  AttributionOptions o;
  o.models = {AttributionModel::fractribution, AttributionModel::linear};
  std::vector<double> asked;
  Execution e = cancel_at_first("heuristics", asked);
  CHECK_THROWS_AS(attribute(js, o, e), Interrupted);
  REQUIRE(asked.size() == 1);
  CHECK(asked.front() == 0.0);
  // Not cancelled: the same credit as without a callback.
  Execution watching;
  watching.progress = [](double, const char*) { return true; };
  const AttributionResult a = attribute(js, o, watching), b = attribute(js, o);
  REQUIRE(a.models.size() == b.models.size());
  for (std::size_t m = 0; m < a.models.size(); ++m) CHECK(same_bits(a.models[m].conversions, b.models[m].conversions));

  // The bootstrap's index of the distinct paths, and one replicate's draw, stop at their first check.
  o.models = {AttributionModel::linear};
  std::size_t calls = 0;
  Execution stop;
  stop.progress = [&calls](double, const char*) {
    ++calls;
    return false;
  };
  const detail::Progress progress(stop, "bootstrap");
  CHECK_THROWS_AS(detail::Resampler(js, o, nullptr, &progress), Interrupted);
  CHECK(calls == 1);
  const detail::Resampler rs(js, o, nullptr);
  detail::Resampler::Replicate rep;
  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> done{0};
  const detail::Progress loop(stop, "bootstrap");
  const detail::LoopPoll poll(loop, stopped, done, 1, true);
  CHECK_THROWS_AS(rs.draw(1, 0, rep, &poll), Interrupted);
  CHECK(calls == 2);
}

// Choosing the order scores the held-out journeys on the calling thread: it reports as the stage "order" and
// can be cancelled there. Without the check the callback would never see that stage.
TEST_CASE("choosing the order reports its held-out scoring and stops when cancelled", "[concurrency][progress]") {
  const JourneySet js = journeys_for_checks();
  OrderChoiceOptions o;
  o.max_order = 2;
  std::vector<double> asked;
  Execution e = cancel_at_first("order", asked);
  CHECK_THROWS_AS(choose_order(js, o, e), Interrupted);
  REQUIRE(asked.size() == 1);
  CHECK(asked.front() < 0.5);  // within the first order's rows
  std::vector<double> seen;
  Execution watch;
  watch.progress = [&seen](double f, const char* stage) {
    if (std::string(stage) == "order") seen.push_back(f);
    return true;
  };
  CHECK(choose_order(js, o, watch).best_order == choose_order(js, o).best_order);
  REQUIRE(seen.size() >= 2);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(seen.back() == 1.0);
}

// Setting the open journeys aside and summing the Sankey flows are single passes over every journey: both
// report as their own stage and stop at their first check when cancelled; watched, they give the same result.
TEST_CASE("closed journeys and the Sankey flows report and stop when cancelled", "[concurrency][progress]") {
  JourneySetBuilder b(true);
  const std::uint32_t ids[3] = {b.touchpoint("a"), b.touchpoint("b"), b.touchpoint("c")};
  for (std::int64_t j = 0; j < 20000; ++j) {
    std::vector<std::uint32_t> path;
    std::vector<std::int64_t> times;
    for (std::int64_t i = 0; i <= j % 4; ++i) {
      path.push_back(ids[(j + i) % 3]);
      times.push_back(j * 60 + i);
    }
    b.add(Span<const std::uint32_t>(path.data(), path.size()), Span<const std::int64_t>(times.data(), times.size()),
          j % 7 == 0 ? 1.0 : 0.0, j % 7 == 0 ? 0.0 : 1.0, 0.0);
  }
  const JourneySet js = b.finish();
  OpenJourneyOptions open;
  open.window = 86400.0;  // the last day's 1,440 journeys without a conversion are open
  std::vector<double> asked;
  CHECK_THROWS_AS(closed_journeys(js, open, cancel_at_first("closed journeys", asked)), Interrupted);
  REQUIRE(asked.size() == 1);
  CHECK(asked.front() == 0.0);
  std::vector<double> seen;
  Execution watch;
  watch.progress = [&seen](double f, const char* stage) {
    if (std::string(stage) == "closed journeys" || std::string(stage) == "sankey") seen.push_back(f);
    return true;
  };
  const JourneySet closed = closed_journeys(js, open, watch), plain = closed_journeys(js, open);
  CHECK(closed.size() == plain.size());
  CHECK(closed.size() == 20000 - open_journeys(js, open).size());
  CHECK(closed.total_conversions() == plain.total_conversions());
  REQUIRE(!seen.empty());
  CHECK(seen.back() == 1.0);

  const JourneyMap map(js);
  SankeyOptions by_touchpoint;
  by_touchpoint.by_stage = false;  // the map has no stages
  asked.clear();
  CHECK_THROWS_AS(map.sankey(by_touchpoint, cancel_at_first("sankey", asked)), Interrupted);
  REQUIRE(asked.size() == 1);
  CHECK(asked.front() == 0.0);
  seen.clear();
  const SankeyData s = map.sankey(by_touchpoint, watch), t = map.sankey(by_touchpoint);
  REQUIRE(s.links.size() == t.links.size());
  for (std::size_t i = 0; i < s.links.size(); ++i) CHECK(s.links[i].value == t.links[i].value);
  CHECK(seen.back() == 1.0);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
}
