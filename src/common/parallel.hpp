#pragma once
// Deterministic parallel loops. Work is cut into items whose boundaries never depend on the thread count;
// each item writes only its own output, and any reduction happens afterwards in item order. So the same
// input gives the same bits with 1 or N threads.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "journeygraph/error.hpp"
#include "journeygraph/execution.hpp"

namespace journeygraph::detail {

// Reports progress from the calling thread and turns a "stop" answer into Interrupted. Callers may report
// as often as they like: the callback is asked on the first report, on completion (fraction 1) and otherwise
// at most every 50 ms, so a loop of a million cheap items costs a few dozen calls.
class Progress {
 public:
  Progress(const Execution& exec, const char* stage) : exec_(exec), stage_(stage) {}
  void report(double fraction) const {
    if (!exec_.progress) return;
    const auto now = std::chrono::steady_clock::now();
    if (asked_ && fraction < 1.0 && now - last_ < std::chrono::milliseconds(50)) return;
    asked_ = true;
    last_ = now;
    if (!exec_.progress(fraction, stage_))
      throw Interrupted(std::string("cancelled by the progress callback during '") + stage_ + "'");
  }
  bool active() const noexcept { return static_cast<bool>(exec_.progress); }

 private:
  const Execution& exec_;
  const char* stage_;
  mutable bool asked_ = false;
  mutable std::chrono::steady_clock::time_point last_{};
};

// The number of workers parallel_for uses for n items (worker indices are below it).
inline unsigned parallel_workers(std::size_t n, const Execution& exec) noexcept {
  const unsigned threads = resolved_threads(exec);
  return threads > n ? static_cast<unsigned>(n == 0 ? 1 : n) : threads;
}

// Runs body(i) for i in [0, n) on up to `threads` threads (the calling thread included). Items are taken
// in increasing order. A body taking (i, worker) also gets the worker's index in [0, parallel_workers(n,
// exec)), for per-worker scratch memory. The first exception thrown by any item is rethrown after all threads
// stop; progress is reported from the calling thread between the items it runs and once more at the end (so
// a loop whose items all ran on other threads still reports, and can still be cancelled), and may cancel the
// loop.
template <class Body>
void parallel_for(std::size_t n, const Execution& exec, const char* stage, Body&& body) {
  Progress progress(exec, stage);
  const unsigned threads = parallel_workers(n, exec);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  bool reported_all = false;  // the calling thread has reported fraction 1
  auto worker = [&](unsigned id) {
    const bool is_caller = id == 0;
    while (!stop.load(std::memory_order_relaxed)) {
      std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        if constexpr (std::is_invocable_v<Body&, std::size_t, unsigned>) body(i, id);
        else body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
      std::size_t d = done.fetch_add(1) + 1;
      if (is_caller && progress.active()) {
        try {
          reported_all = d == n;
          progress.report(double(d) / double(n));
        } catch (...) {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (!error) error = std::current_exception();
          stop = true;
        }
      }
    }
  };
  std::vector<std::thread> pool;
  try {
    pool.reserve(threads > 0 ? threads - 1 : 0);
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  } catch (const std::exception&) {
    // No memory or no thread left (e.g. under an address-space limit): carry on with the threads that
    // started. The caller works too, so every item is still done, and results never depend on the count.
  }
  worker(0u);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  if (!reported_all && n > 0) progress.report(1.0);
}

}  // namespace journeygraph::detail
