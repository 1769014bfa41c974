#pragma once
// A client's metadata requests, shared by the producer and the consumer. At most one
// request is out at a time; requests are at least retry.backoff.ms apart, counted from the
// previous answer or timeout (Kafka's Metadata.timeToNextUpdate honours refreshBackoffMs:
// clients/src/main/java/org/apache/kafka/clients/Metadata.java, all versions since 0.9);
// one without an answer in time is sent again. Every timer carries the number of the
// attempt it guards, so a timer that outlived its attempt does nothing: before this, each
// stale timeout started one more request chain and the chains multiplied every simulated
// second while a partition had no leader (issue 11, bug 1).
#include <cstdint>

#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

// How long a client waits for a metadata answer before asking again. The controller of
// this model answers at once, so only a lost request or answer ends here.
inline constexpr TimeNs kMetadataTimeoutNs = milliseconds(1'000);

class MetadataRefresh {
 public:
  // `as_node_timer` wraps this object's timer as its owner's (a producer's or a
  // consumer's); its timers come back through on_timer. `backoff_ns` is retry.backoff.ms.
  using AsNodeTimer = NodeTimer (*)(timers::MetadataRetry);
  MetadataRefresh(AsNodeTimer as_node_timer, TimeNs backoff_ns)
      : as_node_timer_(as_node_timer), backoff_ns_(backoff_ns) {}

  // The owner needs fresh metadata: ask now, or once the backoff allows. Nothing more is
  // sent while a request is out or already scheduled.
  void request(NodeContext& context, NodeIndex self);
  // An answer arrived (whichever attempt it answers: a late one is as fresh as any).
  void on_response(NodeContext& context);
  void on_timer(NodeContext& context, NodeIndex self, const timers::MetadataRetry& timer);
  // The client restarted: nothing is out (the world dropped the old timers with the
  // process; attempt numbers keep counting, so none could be mistaken for a new one).
  void restart();

  bool in_flight() const { return state_ == State::in_flight; }
  std::uint64_t requests_sent() const { return requests_sent_; }

 private:
  enum class State : std::uint8_t { idle, waiting_for_backoff, in_flight };
  void send_now(NodeContext& context, NodeIndex self);

  AsNodeTimer as_node_timer_;
  TimeNs backoff_ns_;
  State state_ = State::idle;
  std::uint64_t attempt_ = 0;           // the attempt the live timer belongs to
  TimeNs last_settled_ns_ = -1;         // last answer or timeout; -1: never
  std::uint64_t requests_sent_ = 0;
};

}  // namespace ksim::kafka
