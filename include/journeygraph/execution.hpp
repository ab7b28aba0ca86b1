#pragma once
/// \file execution.hpp
/// How long-running functions run: thread count and a progress/cancellation callback.

#include <functional>

namespace journeygraph {

/// Execution settings accepted by every long-running function. Results never depend on them:
/// the same input gives the same bits with any thread count.
struct Execution {
  /// Worker threads; 0 means std::thread::hardware_concurrency().
  unsigned threads = 0;
  /// Optional progress callback, called from the calling thread with the fraction done in [0, 1] and a
  /// short stage name ("count", "solve", ...). Returning false cancels the work: the function then
  /// throws journeygraph::Interrupted. Within a stage calls come at most every 50 ms (besides its first and
  /// last); a stage may repeat fraction 1 while it finishes (counting sorts its states after the last
  /// journey). While work runs the callback is asked often enough that a cancel takes effect within a few
  /// tenths of a second: 0.1-0.2 s measured on a chain of 3.5M states, during fitting and removal effects.
  std::function<bool(double fraction, const char* stage)> progress;
};

/// The thread count an Execution resolves to (>= 1). Complexity: O(1).
unsigned resolved_threads(const Execution& exec) noexcept;

}  // namespace journeygraph
