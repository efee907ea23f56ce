#pragma once
// Progress and cancellation: the interface that every long core operation takes.
// Core never knows about threads or Qt; a UI worker implements ProgressSink and
// owns the CancellationToken, a CLI prints to stderr and cancels on SIGINT.

#include <atomic>
#include <stdexcept>
#include <string>

namespace voxplain {

/// Thrown by TaskControl::checkpoint() when the operation was cancelled.
class OperationCancelled : public std::runtime_error {
 public:
  OperationCancelled() : std::runtime_error("operation cancelled") {}
};

/// Set from any thread; read by the worker between units of work (patches, files, slices).
class CancellationToken {
 public:
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  void reset() { cancelled_.store(false, std::memory_order_relaxed); }
  bool isCancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

/// Receives progress. May be called from the worker thread: implementations must be thread-safe
/// towards their consumer (e.g. post a queued signal).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  /// fraction in [0, 1]; stage is a short human-readable phrase ("reading headers 120/10000").
  virtual void report(double fraction, const std::string& stage) = 0;
};

/// What a long operation receives: optional progress sink and optional token (both may be null).
class TaskControl {
 public:
  TaskControl() = default;
  TaskControl(ProgressSink* progress, const CancellationToken* token) : progress_(progress), token_(token) {}

  /// Throws OperationCancelled if cancellation was requested.
  void checkpoint() const {
    if (token_ && token_->isCancelled()) throw OperationCancelled();
  }
  /// checkpoint(), then report progress.
  void step(double fraction, const std::string& stage) const {
    checkpoint();
    if (progress_) progress_->report(low_ + fraction * (high_ - low_), stage);
  }
  /// The same control for a sub-task covering [low, high] of this task's progress.
  TaskControl range(double low, double high) const {
    TaskControl sub = *this;
    sub.low_ = low_ + low * (high_ - low_);
    sub.high_ = low_ + high * (high_ - low_);
    return sub;
  }
  bool cancelled() const { return token_ && token_->isCancelled(); }

 private:
  ProgressSink* progress_ = nullptr;
  const CancellationToken* token_ = nullptr;
  double low_ = 0.0, high_ = 1.0;
};

}  // namespace voxplain
