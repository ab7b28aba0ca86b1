#pragma once
// Deterministic parallel loops. Work is cut into items whose boundaries never depend on the thread count;
// each item writes only its own output, and any reduction happens afterwards in item order. So the same
// input gives the same bits with 1 or N threads.

#include <atomic>
#include <chrono>
#include <condition_variable>
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
    fraction_ = fraction;
    if (!exec_.progress(fraction, stage_))
      throw Interrupted(std::string("cancelled by the progress callback during '") + stage_ + "'");
  }
  // Gives the callback its chance to cancel during work that has no fraction of its own (a stage's last step
  // after its items are done): the same as report(fraction), but never more often than every 50 ms, even at 1.
  void poll(double fraction) const {
    if (!exec_.progress) return;
    if (asked_ && std::chrono::steady_clock::now() - last_ < std::chrono::milliseconds(50)) return;
    report(fraction);
  }
  // The same with the fraction last given to the callback (0 before any): for a caller that waits on work
  // whose fraction another part of it reports.
  void poll() const { poll(fraction_); }
  bool active() const noexcept { return static_cast<bool>(exec_.progress); }

 private:
  const Execution& exec_;
  const char* stage_;
  mutable bool asked_ = false;
  mutable double fraction_ = 0;
  mutable std::chrono::steady_clock::time_point last_{};
};

// Given to a parallel_for body that takes (i, worker, const LoopPoll&), for items long enough that waiting for
// their end to stop would be felt (a removal solve of a large chain runs for seconds). poll() may be called as
// often as the item likes: on the calling thread it reports progress (the callback is asked at most every
// 50 ms, and may cancel the loop: Interrupted); on every thread it throws LoopPoll::Abandoned once another item
// has failed or the loop was cancelled, so the other threads stop too. Either exception must leave the body
// (parallel_for rethrows the first error; Abandoned only out of a loop nested in an item of the loop that
// stopped, which ends the nested loop too). Cost: one relaxed atomic load, and on the calling thread one clock
// read.
class LoopPoll {
 public:
  struct Abandoned {};  // not a std::exception: nothing but parallel_for catches it
  LoopPoll(const Progress& progress, const std::atomic<bool>& stop, const std::atomic<std::size_t>& done,
           std::size_t n, bool caller) noexcept
      : progress_(progress), stop_(stop), done_(done), n_(n), caller_(caller) {}
  void poll() const {
    if (stop_.load(std::memory_order_relaxed)) throw Abandoned{};
    if (caller_ && progress_.active()) progress_.report(double(done_.load(std::memory_order_relaxed)) / double(n_));
  }

 private:
  const Progress& progress_;
  const std::atomic<bool>& stop_;
  const std::atomic<std::size_t>& done_;
  std::size_t n_;
  bool caller_;
};

// The number of workers parallel_for uses for n items (worker indices are below it).
inline unsigned parallel_workers(std::size_t n, const Execution& exec) noexcept {
  const unsigned threads = resolved_threads(exec);
  return threads > n ? static_cast<unsigned>(n == 0 ? 1 : n) : threads;
}

// Runs body(i) for i in [0, n) on up to `threads` threads (the calling thread included). Items are taken
// in increasing order. A body taking (i, worker) also gets the worker's index in [0, parallel_workers(n,
// exec)), for per-worker scratch memory; one taking (i, worker, const LoopPoll&) can also stop within an item
// (see LoopPoll). The first exception thrown by any item is rethrown after all threads stop; progress is
// reported from the calling thread between the items it runs, while it waits for the other threads' last
// items, and once more at the end (so a loop whose items all ran on other threads still reports, and can
// still be cancelled), and may cancel the loop.
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
    const LoopPoll poll(progress, stop, done, n, is_caller);
    while (!stop.load(std::memory_order_relaxed)) {
      std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        if constexpr (std::is_invocable_v<Body&, std::size_t, unsigned, const LoopPoll&>) body(i, id, poll);
        else if constexpr (std::is_invocable_v<Body&, std::size_t, unsigned>) body(i, id);
        else body(i);
      } catch (const LoopPoll::Abandoned&) {
        if (stop.load(std::memory_order_relaxed)) break;  // this loop stopped: the error that stopped it is kept
        // An enclosing loop stopped (the item polls it through a nested call): end this one and pass it on.
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
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
  std::mutex idle_mutex;
  std::condition_variable idle;
  std::size_t finished = 0;  // threads of the pool that left worker(), under idle_mutex
  std::vector<std::thread> pool;
  try {
    pool.reserve(threads > 0 ? threads - 1 : 0);
    for (unsigned t = 1; t < threads; ++t)
      pool.emplace_back([&, t] {
        worker(t);
        {
          std::lock_guard<std::mutex> lock(idle_mutex);
          ++finished;
        }
        idle.notify_one();
      });
  } catch (const std::exception&) {
    // No memory or no thread left (e.g. under an address-space limit): carry on with the threads that
    // started. The caller works too, so every item is still done, and results never depend on the count.
  }
  worker(0u);
  // While the other threads finish their last items, the calling thread keeps asking the callback (every
  // 50 ms), so a long item elsewhere can still be cancelled (items that poll a LoopPoll then stop).
  if (progress.active() && !pool.empty()) {
    std::unique_lock<std::mutex> lock(idle_mutex);
    while (finished < pool.size()) {
      if (idle.wait_for(lock, std::chrono::milliseconds(20), [&] { return finished == pool.size(); })) break;
      lock.unlock();
      if (!stop.load(std::memory_order_relaxed)) {
        try {
          progress.poll(double(done.load(std::memory_order_relaxed)) / double(n));
        } catch (...) {
          std::lock_guard<std::mutex> error_lock(error_mutex);
          if (!error) error = std::current_exception();
          stop = true;
        }
      }
      lock.lock();
    }
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  if (!reported_all && n > 0) progress.report(1.0);
}

}  // namespace journeygraph::detail
