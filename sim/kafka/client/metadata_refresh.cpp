#include "sim/kafka/client/metadata_refresh.h"

#include "sim/core/assert.h"

namespace ksim::kafka {

void MetadataRefresh::request(NodeContext& context, NodeIndex self) {
  if (state_ != State::idle) return;
  const TimeNs now = context.now();
  const TimeNs allowed_ns = last_settled_ns_ < 0 ? now : last_settled_ns_ + backoff_ns_;
  if (allowed_ns <= now) {
    send_now(context, self);
    return;
  }
  state_ = State::waiting_for_backoff;
  context.set_timer(self, allowed_ns - now, as_node_timer_(timers::MetadataRetry{++attempt_}));
}

void MetadataRefresh::on_response(NodeContext& context) {
  last_settled_ns_ = context.now();
  // A late answer to an earlier attempt settles the current one too; its timer goes stale.
  if (state_ == State::in_flight) state_ = State::idle;
}

void MetadataRefresh::on_timer(NodeContext& context, NodeIndex self, const timers::MetadataRetry& timer) {
  if (timer.attempt != attempt_) return;  // stale: its attempt was answered or replaced
  switch (state_) {
    case State::idle:
      return;  // answered; the timeout is moot
    case State::waiting_for_backoff:
      send_now(context, self);
      return;
    case State::in_flight:
      // No answer in time (lost, or the controller unreachable): ask again after the backoff.
      last_settled_ns_ = context.now();
      state_ = State::idle;
      request(context, self);
      return;
  }
}

void MetadataRefresh::restart() {
  state_ = State::idle;
  last_settled_ns_ = -1;
}

void MetadataRefresh::send_now(NodeContext& context, NodeIndex self) {
  KSIM_ASSERT(state_ != State::in_flight, "node {}: a second metadata request while one is out", self);
  state_ = State::in_flight;
  ++requests_sent_;
  context.send(self, context.controller_node(), MetadataRequest{});
  context.set_timer(self, kMetadataTimeoutNs, as_node_timer_(timers::MetadataRetry{++attempt_}));
}

}  // namespace ksim::kafka
