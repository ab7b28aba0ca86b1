#pragma once
// Deterministic parallel loops. Work is cut into items whose boundaries never depend on the thread count;
// each item writes only its own output, and any reduction happens afterwards in item order. So the same
// input gives the same bits with 1 or N threads.

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "journeygraph/error.hpp"
#include "journeygraph/execution.hpp"

namespace journeygraph::detail {

// Reports progress from the calling thread and turns a "stop" answer into Interrupted.
class Progress {
 public:
  Progress(const Execution& exec, const char* stage) : exec_(exec), stage_(stage) {}
  // Callers report between work items, a few times per second at most.
  void report(double fraction) const {
    if (exec_.progress && !exec_.progress(fraction, stage_))
      throw Interrupted(std::string("cancelled by the progress callback during '") + stage_ + "'");
  }
  bool active() const noexcept { return static_cast<bool>(exec_.progress); }

 private:
  const Execution& exec_;
  const char* stage_;
};

// Runs body(i) for i in [0, n) on up to `threads` threads (the calling thread included). Items are taken
// in increasing order. The first exception thrown by any item is rethrown after all threads stop; progress
// is reported from the calling thread between items and may cancel the loop.
template <class Body>
void parallel_for(std::size_t n, const Execution& exec, const char* stage, Body&& body) {
  Progress progress(exec, stage);
  unsigned threads = resolved_threads(exec);
  if (threads > n) threads = static_cast<unsigned>(n == 0 ? 1 : n);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&](bool is_caller) {
    while (!stop.load(std::memory_order_relaxed)) {
      std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
      std::size_t d = done.fetch_add(1) + 1;
      if (is_caller && progress.active()) {
        try {
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
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, false);
  } catch (const std::exception&) {
    // No memory or no thread left (e.g. under an address-space limit): carry on with the threads that
    // started. The caller works too, so every item is still done, and results never depend on the count.
  }
  worker(true);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace journeygraph::detail
