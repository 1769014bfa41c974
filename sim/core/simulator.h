#pragma once
// The discrete-event loop. Events run in (time, seq) order, where seq is given when an
// event is scheduled, so two events at the same time run in the order they were
// scheduled, on every run. The model is a handler type with
//   void handle(Simulator&, const Event&);
// and optionally EventBody fingerprint_body(const Event&) const, the body the run
// fingerprint folds in place of the event's own (see Fingerprint);
// dispatching on the event's kind: no type-erased callbacks on the hot path.
#include <cstdint>
#include <string_view>

#include "sim/core/assert.h"
#include "sim/core/event_queue.h"
#include "sim/core/fingerprint.h"

namespace ksim {

struct RunLimits {
  std::uint64_t max_events = 100'000'000;
  TimeNs max_time_ns = kTimeNeverNs;
};

// queue_limit: an event had to be scheduled while EventQueue::kMaxPendingEvents were
// pending; the event was dropped and the run stopped after the running event.
enum class StopReason { queue_empty, event_limit, time_limit, stopped_by_model, queue_limit };

std::string_view to_string(StopReason reason);

struct RunResult {
  StopReason stop_reason = StopReason::queue_empty;
  std::uint64_t events_executed = 0;
  TimeNs end_time_ns = 0;
  std::uint64_t fingerprint = 0;
};

class Simulator {
 public:
  TimeNs now() const { return now_ns_; }
  std::uint64_t events_executed() const { return events_executed_; }
  std::uint64_t fingerprint() const { return fingerprint_.value(); }
  std::size_t pending_events() const { return queue_.size() - (running_event_in_queue_ ? 1 : 0); }
  void reserve(std::size_t pending_events) { queue_.reserve(pending_events); }

  void schedule_at(TimeNs time_ns, const EventBody& body) {
    KSIM_ASSERT(time_ns >= now_ns_, "event kind {} scheduled in the past: {} ns < now {} ns", body.kind, time_ns,
                now_ns_);
    if (running_event_in_queue_) {
      // The running event still holds the top of the queue: its first successor takes
      // its place (the order is (time, seq) either way; only the heap work differs).
      running_event_in_queue_ = false;
      queue_.replace_top(time_ns, next_seq_++, body);
      return;
    }
    if (queue_.full()) {
      // A bound of the run, not a bug of the model: the run stops here and is reported
      // as inconclusive (sim/run/run_completeness), like the event and time limits.
      queue_overflowed_ = true;
      return;
    }
    queue_.push(time_ns, next_seq_++, body);
  }
  void schedule_after(TimeNs delay_ns, const EventBody& body) {
    KSIM_ASSERT(delay_ns >= 0, "negative delay {} ns for event kind {}", delay_ns, body.kind);
    KSIM_ASSERT(delay_ns <= kTimeNeverNs - now_ns_, "delay {} ns overflows simulated time", delay_ns);
    schedule_at(now_ns_ + delay_ns, body);
  }

  // Asks the loop to stop after the current event.
  void stop() { stop_requested_ = true; }

  // Runs until the queue is empty, the model stops, or a bound is reached. Events at
  // a time beyond max_time_ns stay pending; the loop never executes them.
  template <typename Handler>
  RunResult run(Handler& handler, const RunLimits& limits) {
    stop_requested_ = false;
    StopReason reason = StopReason::queue_empty;
    while (!queue_.empty()) {
      if (queue_overflowed_) {
        reason = StopReason::queue_limit;
        break;
      }
      if (stop_requested_) {
        reason = StopReason::stopped_by_model;
        break;
      }
      if (events_executed_ >= limits.max_events) {
        reason = StopReason::event_limit;
        break;
      }
      if (queue_.top_time() > limits.max_time_ns) {
        reason = StopReason::time_limit;
        break;
      }
      const Event event = queue_.top();
      KSIM_ASSERT(event.time_ns >= now_ns_, "time went back: event at {} ns after now {} ns", event.time_ns, now_ns_);
      now_ns_ = event.time_ns;
      ++events_executed_;
      if constexpr (requires { handler.fingerprint_body(event); }) {
        // The model describes events whose payload lives in its own tables (typed timers).
        fingerprint_.fold(event.time_ns, handler.fingerprint_body(event));
      } else {
        fingerprint_.fold(event);
      }
      running_event_in_queue_ = true;
      handler.handle(*this, event);
      if (running_event_in_queue_) {
        running_event_in_queue_ = false;
        queue_.discard_top();
      }
    }
    if (reason == StopReason::queue_empty && stop_requested_) reason = StopReason::stopped_by_model;
    if (queue_overflowed_) reason = StopReason::queue_limit;
    return RunResult{reason, events_executed_, now_ns_, fingerprint_.value()};
  }

 private:
  EventQueue queue_;
  TimeNs now_ns_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t events_executed_ = 0;
  Fingerprint fingerprint_;
  bool stop_requested_ = false;
  bool queue_overflowed_ = false;  // an event was dropped at the queue bound
  bool running_event_in_queue_ = false;  // the running event is still at the top of queue_
};

}  // namespace ksim
