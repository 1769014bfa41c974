// The producer's connections to brokers, as Kafka's NetworkClient keeps them: closed by a
// reset from the broker's host or by a request timeout (failing every request in flight on
// them), then reconnected with a handshake after reconnect.backoff.ms, doubling.
#include <algorithm>

#include "sim/kafka/client/producer.h"

namespace ksim::kafka {

namespace {

constexpr TimeNs kReconnectBackoffNs = milliseconds(50);        // reconnect.backoff.ms
constexpr TimeNs kReconnectBackoffMaxNs = milliseconds(1'000);  // reconnect.backoff.max.ms
constexpr TimeNs kConnectTimeoutNs = milliseconds(10'000);      // socket.connection.setup.timeout.ms

}  // namespace

Producer::Connection& Producer::connection(BrokerId broker) {
  if (broker.index() >= connections_.size()) connections_.resize(broker.index() + 1);
  return connections_[broker.index()];
}

// The broker's host reset the connection: its process is gone. Requests in flight on it
// failed (NetworkException, retriable), the partitions it led need new metadata, and the
// client reconnects after a backoff before sending there again.
void Producer::on_connection_reset(NodeContext& context, BrokerId broker) {
  for (std::uint32_t p = 0; p < leaders_.size(); ++p) {
    if (leaders_[p] == broker) leaders_[p] = kNoBroker;
  }
  if (transactional() && transaction_coordinator_.known() && transaction_coordinator_.broker() == broker) {
    lose_transaction_coordinator(context);
  }
  metadata_.on_disconnect(context, node_, broker, broker_load());  // a metadata request out there goes elsewhere
  close_connection(context, broker, 0);
}

// A produce request got no answer within request.timeout.ms. Kafka's NetworkClient then
// closes the connection and fails every request in flight on it, not only the late one
// (NetworkClient.handleTimedOutRequests, all versions): their answers can no longer arrive,
// so each is retried, and without idempotence the broker may append them twice.
void Producer::on_request_timeout(NodeContext& context, const timers::RequestTimeout& timeout) {
  const ProducerBatch* batch = find_in_flight(timeout.partition, timeout.request_id);
  if (batch == nullptr) return;  // answered, or already failed with its connection
  close_connection(context, batch->broker, timeout.request_id);
}

void Producer::close_connection(NodeContext& context, BrokerId broker, std::uint64_t timed_out_request) {
  Connection& link = connection(broker);
  link.ready = false;
  link.probing = false;
  link.backoff_ns = link.backoff_ns == 0 ? kReconnectBackoffNs : std::min(link.backoff_ns * 2, kReconnectBackoffMaxNs);
  context.set_timer(node_, link.backoff_ns, timers::Reconnect{broker});
  outstanding(broker).clear();  // their answers can no longer come
  std::vector<std::pair<PartitionId, std::uint64_t>> failed;  // (partition, request id)
  for (const auto& queue : queues_) {
    for (const ProducerBatch& batch : queue) {
      if (batch.in_flight && batch.broker == broker) failed.emplace_back(batch.partition, batch.request_id);
    }
  }
  for (const auto& [partition, request_id] : failed) {
    retry_or_fail(context, partition, request_id,
                  request_id == timed_out_request ? ErrorCode::request_timeout : ErrorCode::network_exception);
  }
  request_metadata(context);  // Kafka's client asks for new metadata after a disconnection
}

void Producer::probe(NodeContext& context, BrokerId broker) {
  Connection& link = connection(broker);
  link.probing = true;
  ++link.probe;
  context.send(node_, context.broker_node(broker), ConnectProbe{});
  context.set_timer(node_, kConnectTimeoutNs, timers::ProbeTimeout{broker, link.probe});
}

void Producer::on_probe_timeout(NodeContext& context, const timers::ProbeTimeout& timeout) {
  // No answer to the handshake (a powered-off host): try again after the backoff.
  Connection& link = connection(timeout.broker);
  if (link.probing && link.probe == timeout.probe) {
    link.probing = false;
    link.backoff_ns = std::min(std::max(link.backoff_ns * 2, kReconnectBackoffNs), kReconnectBackoffMaxNs);
    context.set_timer(node_, link.backoff_ns, timers::Reconnect{timeout.broker});
  }
}

}  // namespace ksim::kafka
