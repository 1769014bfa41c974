#pragma once
// A producer and the application around it. Messages arrive in the application at a rate
// (arrivals.h) with unique ids and optional keys; the application hands them to the client
// (send()) as soon as it can take them, keeping the others in its backlog
// (producer_application.cpp); the client batches them per
// partition (linger.ms, batch.size), sends produce requests to partition leaders with
// at most max.in.flight.requests.per.connection outstanding per broker, retries
// transient errors until delivery.timeout.ms, and with enable.idempotence numbers
// batches per partition so the broker can drop retried duplicates. The application
// learns each message's fate: success, an error, or nothing by the end of the run.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/index_set.h"
#include "sim/kafka/client/arrivals.h"
#include "sim/kafka/config/config.h"
#include "sim/kafka/client/metadata_refresh.h"
#include "sim/kafka/client/transaction_coordinator_lookup.h"
#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

// Kafka's rule: idempotence needs acks=all, retries > 0 and at most 5 in flight. When the
// user did not ask for it explicitly it is quietly turned off; when they did, the
// conflict is a configuration error (returned as a message).
std::optional<std::string> resolve_idempotence(ProducerConfig& config);

struct ProducerBatch {
  std::uint64_t batch_id = 0;  // producer-local, unique per batch
  PartitionId partition{};
  std::vector<std::uint64_t> message_ids;
  std::uint32_t bytes = 0;
  TimeNs created_ns = 0;
  std::int32_t base_sequence = -1;
  ProducerEpoch producer_epoch{0};
  std::uint32_t attempts = 0;
  bool in_flight = false;
  TimeNs not_before_ns = 0;  // retry backoff
  // KAFKA-15415: the leader epoch the batch goes to, and its attempts when that epoch was
  // first seen; equal attempts on a retry mean a new leader, which skips the backoff.
  LeaderEpoch leader_epoch = kNoLeaderEpoch;
  std::uint32_t attempts_when_leader_changed = 0;
  std::uint64_t request_id = 0;
  BrokerId broker{};  // where the in-flight attempt went
  std::uint64_t buffer_bytes = 0;  // what it holds of buffer.memory until it completes
  std::int32_t transaction = -1;   // the transaction it was built in (transactional producers)
};

// The application's outbox: the messages it sent that have no answer yet, each with its
// key id + 1 (0: no key). A producer's message ids are dense sequence numbers, and
// answers come roughly in sending order, so the outbox is a window over sequence
// numbers, from the oldest unanswered one on: no allocation per message, and walking it
// visits the ids in ascending order (as the ordered map it replaces did).
class Outbox {
 public:
  std::uint64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Adds `sequence` or replaces its key. Sequence numbers below the window are answered
  // and never come back.
  void put(std::uint64_t sequence, std::uint32_t key_plus_one);
  // The key of an unanswered sequence number (which must be in the outbox).
  std::uint32_t at(std::uint64_t sequence) const;
  // Removes `sequence`; returns 0 if it was not there (already answered).
  std::size_t erase(std::uint64_t sequence);
  void clear();
  // Unanswered sequence numbers, ascending.
  std::vector<std::uint64_t> sequences() const;

 private:
  static constexpr std::uint32_t kAnswered = 0xFFFFFFFFU;
  std::vector<std::uint32_t> slots_;  // slots_[head_ + i] is sequence base_ + i
  std::size_t head_ = 0;
  std::uint64_t base_ = 0;
  std::uint64_t size_ = 0;
};

class Producer {
 public:
  Producer(std::uint32_t index, NodeId node, const ProducerWorkload& workload, std::uint32_t partitions,
           std::uint32_t producer_id_base, ArrivalProcess arrivals);

  std::uint32_t index() const { return index_; }
  // Several topics (sim/kafka/config/topic_layout.h): the partitioner picks among the
  // producer's topic's partitions, global indexes [first, first + count); unset, among all.
  // Its transactional id's __transaction_state partition (partitionFor).
  void set_transaction_state_partition(std::uint32_t partition) { transaction_coordinator_.set_state_partition(partition); }
  void set_topic_partitions(std::uint32_t first, std::uint32_t count) {
    topic_first_ = first;
    topic_count_ = count;
  }
  NodeId node() const { return node_; }
  // True once no message will arrive any more, none waits in the application, and every
  // message the application sent has an answer (or was given up).
  bool idle() const;
  std::uint64_t unanswered_messages() const { return outbox_.size(); }
  std::uint64_t waiting_messages() const { return backlog_.size(); }
  // Asserts that every message that arrived was handed to the client, given up (with a
  // reason in the history) or still waits: nothing is dropped silently.
  void check_accounting() const;

  void start(NodeContext& context);
  void crash();
  void on_message(NodeContext& context, NodeId from, const Payload& payload);
  void on_timer(NodeContext& context, const ProducerTimer& timer);

  static std::uint64_t message_id(std::uint32_t producer_index, std::uint64_t sequence_number) {
    return (std::uint64_t{producer_index} + 1) << 40 | sequence_number;
  }
  static std::uint64_t sequence_number(std::uint64_t message_id) {
    return message_id & ((std::uint64_t{1} << 40) - 1);
  }

 private:
  // A transactional producer's client-side transaction (producer_transaction.cpp).
  enum class TransactionPhase : std::uint8_t {
    uninitialized,  // InitProducerId not answered yet
    ready,          // no transaction open
    open,           // sending inside a transaction
    ending,         // commitTransaction()/abortTransaction(): flushing, then EndTxn
  };
  struct AcknowledgedSend {
    std::uint64_t message_id = 0;
    PartitionId partition{};
    Offset offset = kNoOffsetPosition;
  };
  struct Transaction {
    TransactionPhase phase = TransactionPhase::uninitialized;
    std::int32_t number = -1;              // the open transaction's number
    std::uint32_t sends = 0;               // sends in it so far
    bool abortable = false;                // a send failed: it can only abort
    bool fenced = false;                   // AddPartitionsToTxn answered PRODUCER_FENCED (fatal in Kafka)
    bool commit = true;                    // what the application asked for when ending it
    bool end_sent = false;
    std::vector<PartitionId> added;      // partitions AddPartitionsToTxn accepted
    // Partitions with an AddPartitionsToTxn out -> the attempt its retry timer carries (an
    // older timer of the same partition is stale: one live timer per partition).
    std::map<PartitionId, std::uint32_t> adding;
    std::uint32_t add_attempts = 0;
    std::vector<AcknowledgedSend> acknowledged;  // written; answered when the transaction ends
    std::uint64_t request_id = 0;          // the InitProducerId or EndTxn out, for its retry timer
  };

  // The producer's connection to a broker, as NetworkClient sees it.
  struct Connection {
    bool ready = true;                 // data may be sent
    bool probing = false;              // a handshake is out
    std::uint64_t probe = 0;           // id of the latest handshake, for its timeout
    TimeNs backoff_ns = 0;             // reconnect.backoff.ms, doubling to reconnect.backoff.max.ms
  };
  void on_connection_reset(NodeContext& context, BrokerId broker);

  // The application (producer_application.cpp).
  enum class SendStep : std::uint8_t { taken, blocked };
  void on_arrival(NodeContext& context);
  void take_arrival(NodeContext& context, PendingMessage message);
  // Hands waiting messages to the client, oldest first, while send() takes them.
  void drain_backlog(NodeContext& context);
  // send(): takes the message (or gives up on it for good), or blocks.
  SendStep offer_to_send(NodeContext& context, PendingMessage& message);
  void block_on_buffer(NodeContext& context);
  void on_max_block_expired(NodeContext& context, const timers::MaxBlockExpired& expired);
  void give_up(NodeContext& context, const PendingMessage& message, history::NotSentReason reason);
  std::uint64_t record_bytes() const { return std::uint64_t{workload_.message_size_bytes} + kRecordOverheadBytes; }
  // What a new batch takes of buffer.memory: max(batch.size, record size), as
  // RecordAccumulator.append allocates it.
  std::uint64_t batch_buffer_bytes() const {
    return std::max<std::uint64_t>(workload_.config.batch_size_bytes, record_bytes());
  }
  void on_request_timeout(NodeContext& context, const timers::RequestTimeout& timeout);
  void on_probe_timeout(NodeContext& context, const timers::ProbeTimeout& timeout);
  // Closes the connection to `broker`: its in-flight requests fail (the one that timed out,
  // if any, with request_timeout; the others with network_exception) and it reconnects later.
  void close_connection(NodeContext& context, BrokerId broker, std::uint64_t timed_out_request);
  void probe(NodeContext& context, BrokerId broker);
  Connection& connection(BrokerId broker);

  void application_send(NodeContext& context, const PendingMessage& message);
  void resend_after_restart(NodeContext& context);
  PartitionId choose_partition(NodeContext& context, std::uint64_t message_id);
  // Seals the partition's open batch and runs the sender for it.
  void close_batch(NodeContext& context, PartitionId partition);
  // Moves the partition's open batch to the end of its queue (ready to send).
  void seal_open_batch(NodeContext& context, PartitionId partition);
  // The newest queued batch of `partition` that still takes records, or nullptr (producer.cpp).
  const ProducerBatch* queued_batch_taking_records(PartitionId partition) const;
  // Sends what may go now. `closed`: the only change since the last run is that this
  // partition's open batch closed, so only it is looked at (issue 19): every earlier run
  // left nothing else sendable, and whatever makes another partition sendable (an answer,
  // a timeout, a backoff's end, metadata, a transaction's step) runs the sender on all.
  // Either way a request also takes the lingering batches of its broker's partitions.
  void run_sender(NodeContext& context, std::optional<PartitionId> closed = std::nullopt);
  // Sends what the partition's queue may send now (leader known, connection ready, within
  // the in-flight limits); sets need_metadata when the leader is unknown.
  // One round of the Sender: a request per broker with a batch per partition; false when
  // nothing could be sent.
  bool send_drained(NodeContext& context, std::vector<PartitionId>& sendable, TimeNs now,
                    bool& need_metadata);
  // The batches one produce request to a broker takes, and their bytes.
  struct DrainedRequest {
    std::vector<ProducerBatch*> batches;
    std::uint64_t bytes = 0;
    // Whether a batch of `batch_bytes` keeps it within max.request.size (the first always does).
    bool fits(std::uint64_t batch_bytes, std::uint64_t max_request_size_bytes) const {
      return batches.empty() || bytes + batch_bytes <= max_request_size_bytes;
    }
    void take(ProducerBatch& batch) {
      batches.push_back(&batch);
      bytes += batch.bytes;
    }
  };
  DrainedRequest drain_broker(NodeContext& context, BrokerId broker, std::vector<PartitionId>& candidates,
                              std::vector<PartitionId>& sendable, TimeNs now);
  ProducerBatch* first_batch_that_may_go(PartitionId partition, TimeNs now);
  ProducerBatch* open_batch_of(PartitionId partition);
  bool has_unsent_batch(PartitionId partition) const;
  PartitionId previous_partition_led_by(BrokerId broker, PartitionId partition) const;
  bool lingering_batch_may_go(PartitionId partition) const;
  bool idempotent_window_full(PartitionId partition) const;
  ProducerBatch* next_ready_batch(PartitionId partition, TimeNs now, bool& need_metadata);
  void send_request(NodeContext& context, BrokerId leader, const std::vector<ProducerBatch*>& batches);
  ProduceRequest produce_part(NodeContext& context, ProducerBatch& batch, std::uint64_t request_id, BrokerId leader);
  void on_produce_response(NodeContext& context, BrokerId broker, const MultiProduceResponse& response);
  void take_named_leader(NodeContext& context, const ProduceResponse& part);
  void on_metadata(NodeContext& context, NodeId from, const MetadataResponse& response);
  void retry_or_fail(NodeContext& context, PartitionId partition, std::uint64_t request_id, ErrorCode error);
  void fail_batch(NodeContext& context, const ProducerBatch& batch, ErrorCode error);
  void acknowledge(NodeContext& context, const ProducerBatch& batch, Offset base_offset);
  void bump_epoch(PartitionId partition);
  void maybe_bump_epoch(NodeContext& context, PartitionId partition);
  void expire_batches(NodeContext& context);
  void request_metadata(NodeContext& context);
  // Produce requests in flight per broker: how the metadata request picks its broker.
  MetadataRefresh::BrokerLoad broker_load() const {
    return [this](BrokerId broker) {
      return broker.index() < outstanding_.size() ? static_cast<std::uint32_t>(outstanding_[broker.index()].size()) : 0U;
    };
  }
  // The batch of `partition` whose attempt `request_id` is in flight, if any.
  ProducerBatch* find_in_flight(PartitionId partition, std::uint64_t request_id);
  void remove_batch(PartitionId partition, std::uint64_t batch_id);
  TimeNs retry_backoff_ns(NodeContext& context, std::uint32_t failures);
  bool retries_to_new_leader(ProducerBatch& batch);
  // Moves a failed batch ahead of the partition's other unsent batches.
  void requeue_first(PartitionId partition, std::uint64_t batch_id);
  // Removes the batches of `queue` that match, giving their buffer.memory back.
  template <class Predicate>
  void erase_batches(std::deque<ProducerBatch>& queue, Predicate matches) {
    std::erase_if(queue, [&](const ProducerBatch& batch) {
      if (!matches(batch)) return false;
      buffer_used_bytes_ -= batch.buffer_bytes;
      return true;
    });
  }
  // The produce requests in flight to a broker (their ids), at most
  // max.in.flight.requests.per.connection.
  std::vector<std::uint64_t>& outstanding(BrokerId broker);
  std::uint32_t in_flight_to(BrokerId broker) { return static_cast<std::uint32_t>(outstanding(broker).size()); }
  bool idempotent() const { return workload_.config.enable_idempotence; }
  bool transactional() const { return !workload_.config.transactional_id.empty(); }

  // Transactions (producer_transaction.cpp).
  void init_transactions(NodeContext& context);
  // The application may send now (not blocked in initTransactions() or commitTransaction()).
  bool may_send() const;
  void begin_transaction_if_needed();
  void count_transactional_send(NodeContext& context);
  void end_transaction(NodeContext& context);
  void abort_undrained_batches(NodeContext& context, ErrorCode error);
  void abort_ending_transaction_if_abortable(NodeContext& context);
  // Sends EndTxn once every batch of the ending transaction is answered.
  void maybe_send_end_transaction(NodeContext& context);
  // Partitions of the open transaction the coordinator knows of; asks for the others.
  bool partition_in_transaction(NodeContext& context, PartitionId partition);
  bool partition_added_to_transaction(PartitionId partition) const;
  void on_init_producer_id(NodeContext& context, const InitProducerIdResponse& response);
  void on_add_partitions(NodeContext& context, const AddPartitionsToTxnResponse& response);
  void on_end_transaction(NodeContext& context, const EndTxnResponse& response);
  void finish_transaction(NodeContext& context, bool committed, ErrorCode error);
  void on_transaction_retry(NodeContext& context, std::uint64_t request_id);
  void on_add_partition_retry(NodeContext& context, const timers::AddPartitionRetry& retry);
  void send_end_transaction(NodeContext& context);
  // Sends a request to the transaction coordinator; false (and metadata asked for) when
  // none is known: the caller retries after retry.backoff.ms.
  bool send_to_transaction_coordinator(NodeContext& context, Payload request);
  // NOT_COORDINATOR, a reset or a timeout: find the coordinator again.
  void lose_transaction_coordinator(NodeContext& context);

  // Kafka's per-record overhead in a batch, roughly.
  static constexpr std::uint32_t kRecordOverheadBytes = 70;

  std::uint32_t index_;
  NodeId node_;
  ProducerWorkload workload_;
  std::uint32_t partitions_;
  std::uint32_t producer_id_base_;

  // The application's own state: it survives a crash (its outbox and backlog are in its
  // database; arrivals come from outside and go on while the producer is down).
  ArrivalProcess arrivals_;
  std::deque<PendingMessage> backlog_;  // arrived (or to resend), not yet taken by send()
  // send() of the backlog's first message waits for buffer.memory since `since_ns`; the
  // MaxBlockExpired timer of this `block` number gives up on it after max.block.ms.
  struct BufferWait {
    bool active = false;
    std::uint64_t block = 0;
  };
  BufferWait buffer_wait_;
  std::int32_t next_transaction_number_ = 0;
  Outbox outbox_;  // by sequence number (the low bits of the message id): key id + 1; sent, unanswered
  std::uint64_t handed_to_client_ = 0;  // first sends (resends not counted)
  std::uint64_t given_up_ = 0;          // NotSentRecords written

  // The client's state: lost in a crash.
  std::uint32_t incarnation_ = 0;
  ProducerId producer_id_ = kNoProducerId;
  std::vector<ProducerEpoch> producer_epochs_;    // per partition (KIP-360 bumps per partition here)
  std::vector<std::int32_t> next_sequences_;     // per partition
  std::vector<bool> epoch_bump_pending_;         // per partition
  std::vector<std::optional<ProducerBatch>> open_batches_;  // per partition, accumulating
  IndexSet open_partitions_;                                // those with an open batch, ascending
  std::vector<std::deque<ProducerBatch>> queues_;           // per partition, closed batches in order
  // Partitions whose queue is not empty or whose epoch bump is pending (a superset: emptied
  // ones leave at the end of run_sender), ascending, so the sender visits them in order.
  IndexSet busy_partitions_;
  std::vector<BrokerId> leaders_;                           // per partition, kNoBroker if unknown
  // Per broker, the partition its next drain starts at (RecordAccumulator's nodesDrainIndex).
  std::vector<PartitionId> drain_starts_;
  std::vector<std::vector<std::uint64_t>> outstanding_;  // by broker: produce requests in flight
  std::uint64_t buffer_used_bytes_ = 0;  // of buffer.memory, by open, queued and in-flight batches
  std::vector<Connection> connections_;  // by broker index
  PartitionId sticky_partition_{};
  std::uint32_t round_robin_next_ = 0;
  std::uint32_t topic_first_ = 0;
  std::uint32_t topic_count_ = 0;  // 0: every partition is the producer's topic's
  std::uint32_t topic_partition_count() const { return topic_count_ == 0 ? partitions_ : topic_count_; }
  std::uint64_t next_request_id_ = 1;
  std::uint64_t next_batch_id_ = 1;
  MetadataRefresh metadata_;  // leaders of the topic's partitions and the transaction coordinators
  TransactionCoordinatorLookup transaction_coordinator_;
  bool sending_done_ = false;
  ProducerEpoch transactional_epoch_{0};
  Transaction transaction_;
};

}  // namespace ksim::kafka
