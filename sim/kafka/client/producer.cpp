#include "sim/kafka/client/producer.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/client/partitioner.h"
#include "sim/kafka/client/retry_backoff.h"

namespace ksim::kafka {

namespace {

constexpr TimeNs kExpiryCheckIntervalNs = milliseconds(1'000);

}  // namespace

std::optional<std::string> resolve_idempotence(ProducerConfig& config) {
  if (!config.transactional_id.empty()) {
    // A transactional producer is idempotent; Kafka refuses to turn it off.
    if (config.enable_idempotence_explicit && !config.enable_idempotence) {
      return "transactional.id needs enable.idempotence=true, as Kafka requires";
    }
    config.enable_idempotence = true;
    config.enable_idempotence_explicit = true;
  }
  std::string conflict;
  if (config.acks != Acks::all) conflict = "acks must be all";
  else if (config.retries == 0) conflict = "retries must be greater than 0";
  else if (config.max_in_flight_requests_per_connection > 5) conflict = "max.in.flight.requests.per.connection must be at most 5";
  if (conflict.empty() || !config.enable_idempotence) return std::nullopt;
  if (config.enable_idempotence_explicit) {
    return "enable.idempotence=true conflicts with this configuration: " + conflict;
  }
  config.enable_idempotence = false;
  return std::nullopt;
}

void Outbox::put(std::uint64_t sequence, std::uint32_t key_plus_one) {
  KSIM_ASSERT(key_plus_one != kAnswered, "key id {} too large for the outbox", key_plus_one);
  if (size_ == 0) {  // empty: the window starts here
    slots_.clear();
    head_ = 0;
    base_ = sequence;
  }
  KSIM_ASSERT(sequence >= base_, "outbox: sequence {} below the window at {}", sequence, base_);
  const std::size_t index = head_ + static_cast<std::size_t>(sequence - base_);
  if (index >= slots_.size()) slots_.resize(index + 1, kAnswered);
  if (slots_[index] == kAnswered) ++size_;
  slots_[index] = key_plus_one;
}

std::uint32_t Outbox::at(std::uint64_t sequence) const {
  const std::size_t index = head_ + static_cast<std::size_t>(sequence - base_);
  KSIM_ASSERT(sequence >= base_ && index < slots_.size() && slots_[index] != kAnswered,
              "outbox: sequence {} is not unanswered", sequence);
  return slots_[index];
}

std::size_t Outbox::erase(std::uint64_t sequence) {
  if (sequence < base_) return 0;
  const std::size_t index = head_ + static_cast<std::size_t>(sequence - base_);
  if (index >= slots_.size() || slots_[index] == kAnswered) return 0;
  slots_[index] = kAnswered;
  --size_;
  // Slide the window past the answered front; compact once the dead front is large.
  while (head_ < slots_.size() && slots_[head_] == kAnswered) {
    ++head_;
    ++base_;
  }
  if (head_ >= 4096 && head_ * 2 >= slots_.size()) {
    slots_.erase(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  return 1;
}

void Outbox::clear() {
  slots_.clear();
  head_ = 0;
  size_ = 0;
}

std::vector<std::uint64_t> Outbox::sequences() const {
  std::vector<std::uint64_t> out;
  out.reserve(size_);
  for (std::size_t i = head_; i < slots_.size(); ++i) {
    if (slots_[i] != kAnswered) out.push_back(base_ + (i - head_));
  }
  return out;
}

Producer::Producer(std::uint32_t index, NodeId node, const ProducerWorkload& workload, std::uint32_t partitions,
                   std::uint32_t producer_id_base, ArrivalProcess arrivals)
    : index_(index),
      node_(node),
      workload_(workload),
      partitions_(partitions),
      producer_id_base_(producer_id_base),
      arrivals_(std::move(arrivals)),
      metadata_([](timers::MetadataRetry retry) -> NodeTimer { return ProducerTimer{retry}; },
                workload.config.retry_backoff_ns, workload.config.metadata_leader_epoch_check,
                workload.config.request_timeout_ns) {}

bool Producer::idle() const { return outbox_.empty() && sending_done_; }

void Producer::start(NodeContext& context) {
  ++incarnation_;
  // A new client session: a new producer id, so the broker cannot deduplicate across
  // restarts (the application's resends below can duplicate). A transactional producer
  // gets its id (the same one, under a new epoch) from the transaction coordinator.
  producer_id_ = idempotent() && !transactional() ? ProducerId{producer_id_base_ + incarnation_} : kNoProducerId;
  producer_epochs_.assign(partitions_, ProducerEpoch{0});
  next_sequences_.assign(partitions_, 0);
  epoch_bump_pending_.assign(partitions_, false);
  open_batches_.assign(partitions_, std::nullopt);
  open_partitions_.clear();
  queues_.assign(partitions_, {});
  busy_partitions_.clear();
  leaders_.assign(partitions_, kNoBroker);
  drain_starts_.clear();
  outstanding_.clear();
  buffer_used_bytes_ = 0;
  buffer_wait_.active = false;
  // The partitioner runs again for what the application sends to this new client.
  for (PendingMessage& waiting : backlog_) waiting.partition = PendingMessage::kUnchosen;
  connections_.clear();
  sticky_partition_ = PartitionId{topic_first_ + static_cast<std::uint32_t>(context.random(node_).uniform_below(topic_partition_count()))};
  metadata_.restart();
  transaction_coordinator_.lose();
  request_metadata(context);
  context.set_timer(node_, kExpiryCheckIntervalNs, timers::SenderWakeup{});
  context.set_timer(node_, workload_.config.metadata_max_age_ns, timers::MetadataMaxAge{});
  if (transactional()) {
    init_transactions(context);  // resends wait until the producer id is known
  } else {
    resend_after_restart(context);
  }
  // Arrivals while the process was down are taken in now (the upstream held them).
  if (!arrivals_.done()) {
    context.set_timer(node_, std::max<TimeNs>(0, arrivals_.next_arrival_ns() - context.now()), timers::Arrival{});
  }
  drain_backlog(context);
}

void Producer::crash() {
  transaction_ = Transaction{};
  open_batches_.clear();
  open_partitions_.clear();
  queues_.clear();
  busy_partitions_.clear();
  leaders_.clear();
}

void Producer::on_timer(NodeContext& context, const ProducerTimer& timer) {
  std::visit(
      Overloaded{
          [&](const timers::Arrival&) { on_arrival(context); },
          [&](const timers::MaxBlockExpired& expired) { on_max_block_expired(context, expired); },
          [&](const timers::Linger& linger) {
            const auto& open = open_batches_[linger.partition.index()];
            if (open && open->batch_id == linger.batch_id) close_batch(context, linger.partition);
          },
          [&](const timers::RequestTimeout& timeout) { on_request_timeout(context, timeout); },
          [&](const timers::SenderWakeup&) {
            expire_batches(context);
            run_sender(context);
            context.set_timer(node_, kExpiryCheckIntervalNs, timers::SenderWakeup{});
          },
          [&](const timers::MetadataRetry& retry) { metadata_.on_timer(context, node_, retry, broker_load()); },
          [&](const timers::MetadataMaxAge&) {
            // metadata.max.age.ms: metadata is refreshed even when nothing failed.
            request_metadata(context);
            context.set_timer(node_, workload_.config.metadata_max_age_ns, timers::MetadataMaxAge{});
          },
          [&](const timers::Reconnect& reconnect) {
            if (!connection(reconnect.broker).ready) probe(context, reconnect.broker);
          },
          [&](const timers::ProbeTimeout& timeout) { on_probe_timeout(context, timeout); },
          [&](const timers::TransactionRetry& retry) { on_transaction_retry(context, retry.request_id); },
          [&](const timers::BackoffExpired&) { run_sender(context); },
          [&](const timers::AddPartitionRetry& retry) { on_add_partition_retry(context, retry); },
      },
      timer);
  drain_backlog(context);  // whatever the timer did may have made room for a waiting send
}

void Producer::application_send(NodeContext& context, const PendingMessage& message) {
  const std::uint64_t id = message_id(index_, message.sequence);
  const std::uint64_t key_id = message.key_id();
  const PartitionId partition = message.partition;
  KSIM_ASSERT(partition.value() < partitions_, "producer {}: message {} sent to partition {} of {}", index_, id, partition,
              partitions_);
  if (transactional()) begin_transaction_if_needed();
  const ProducerEpoch producer_epoch = idempotent() ? producer_epochs_[partition.index()] : ProducerEpoch{0};
  const std::int64_t transaction = transactional() ? transaction_.number : history::kNoOffset;
  if (message.resend) {
    context.record(history::send_attempt({.producer = NodeId{node_},
                                          .message_id = id,
                                          .partition = partition,
                                          .attempt = 0,
                                          .producer_id = producer_id_,
                                          .producer_epoch = producer_epoch,
                                          .transaction = transaction}));
  } else {
    context.record(history::send({.producer = NodeId{node_},
                                  .message_id = id,
                                  .partition = partition,
                                  .key = key_id,
                                  .producer_epoch = producer_epoch,
                                  .transaction = transaction}));
  }
  outbox_.put(message.sequence, message.key_plus_one);

  auto& open = open_batches_[partition.index()];
  if (!open && queued_batch_taking_records(partition) != nullptr) {
    // A batch that is ready but not drained yet takes it (see queued_batch_taking_records).
    ProducerBatch& queued = queues_[partition.index()].back();
    queued.message_ids.push_back(id);
    queued.bytes += static_cast<std::uint32_t>(record_bytes());
    if (idempotent()) ++next_sequences_[partition.index()];
  } else {
    if (!open) {
      open = ProducerBatch{};
      open->batch_id = next_batch_id_++;
      open->partition = partition;
      open->created_ns = context.now();
      open->buffer_bytes = batch_buffer_bytes();
      open->transaction = transactional() ? transaction_.number : -1;
      buffer_used_bytes_ += open->buffer_bytes;
      open_partitions_.insert(partition.value());
      context.set_timer(node_, workload_.config.linger_ns, timers::Linger{partition, open->batch_id});
    }
    open->message_ids.push_back(id);
    open->bytes += static_cast<std::uint32_t>(record_bytes());
    if (open->bytes >= workload_.config.batch_size_bytes || workload_.config.linger_ns == 0) {
      close_batch(context, partition);
    }
  }
  if (!message.resend) ++handed_to_client_;
  if (transactional() && !message.resend) count_transactional_send(context);
}

PartitionId Producer::choose_partition(NodeContext& context, std::uint64_t) {
  switch (workload_.config.partitioner) {
    case Partitioner::sticky:
      return sticky_partition_;
    case Partitioner::round_robin:
      return PartitionId{topic_first_ + round_robin_next_++ % topic_partition_count()};
    case Partitioner::uniform:
      return PartitionId{topic_first_ + static_cast<std::uint32_t>(context.random(node_).uniform_below(topic_partition_count()))};
  }
  return PartitionId{};
}

void Producer::close_batch(NodeContext& context, PartitionId partition) {
  if (!open_batches_[partition.index()]) return;
  seal_open_batch(context, partition);
  run_sender(context, partition);
}

void Producer::seal_open_batch(NodeContext& context, PartitionId partition) {
  auto& open = open_batches_[partition.index()];
  KSIM_ASSERT(open.has_value(), "producer {}: partition {} has no open batch to seal", index_, partition);
  ProducerBatch batch = std::move(*open);
  open.reset();
  open_partitions_.erase(partition.value());
  if (idempotent()) {
    batch.base_sequence = next_sequences_[partition.index()];
    batch.producer_epoch = producer_epochs_[partition.index()];
    next_sequences_[partition.index()] += static_cast<std::int32_t>(batch.message_ids.size());
  }
  queues_[partition.index()].push_back(std::move(batch));
  busy_partitions_.insert(partition.value());
  // Sticky partitioning switches partition once a batch is complete (KIP-480).
  const std::uint32_t topic_partitions = topic_partition_count();
  if (workload_.config.partitioner == Partitioner::sticky && topic_partitions > 1 && partition == sticky_partition_) {
    const auto step = 1 + static_cast<std::uint32_t>(context.random(node_).uniform_below(topic_partitions - 1));
    sticky_partition_ = PartitionId{topic_first_ + (sticky_partition_.value() - topic_first_ + step) % topic_partitions};
  }
}

void Producer::run_sender(NodeContext& context, std::optional<PartitionId> closed) {
  const TimeNs now = context.now();
  bool need_metadata = false;
  if (transactional() && transaction_.abortable && transaction_.phase == TransactionPhase::open) {
    end_transaction(context);  // the application learns of the failure and aborts
  }
  if (transactional()) abort_ending_transaction_if_abortable(context);
  // Only partitions with queued batches or a pending epoch bump have anything to do: the
  // sender's cost follows the work, not the topic's partition count (issue 19).
  std::vector<PartitionId> sendable;
  const auto consider = [&](std::uint32_t slot) {
    const PartitionId partition{slot};
    maybe_bump_epoch(context, partition);
    if (epoch_bump_pending_[partition.index()]) return;
    if (!transactional() || (!queues_[partition.index()].empty() && partition_in_transaction(context, partition))) {
      sendable.push_back(partition);
    }
  };
  if (closed) {
    consider(closed->value());
  } else {
    busy_partitions_.for_each(consider);
  }
  // Kafka's Sender drains, for each ready broker, the first sendable batch of every
  // partition it leads into one request (RecordAccumulator.drain), and drains again while
  // a connection has room for another request (max.in.flight.requests.per.connection).
  while (send_drained(context, sendable, now, need_metadata)) {
  }
  const auto sweep = [&](std::uint32_t slot) {
    // acks=0 batches were answered on sending; drop them.
    if (workload_.config.acks == Acks::none) {
      erase_batches(queues_[slot], [](const ProducerBatch& b) { return b.in_flight; });
    }
    if (queues_[slot].empty()) busy_partitions_.erase(slot);
  };
  if (closed) {
    for (const PartitionId partition : sendable) sweep(partition.value());
  } else {
    busy_partitions_.for_each(sweep);
  }
  if (need_metadata) request_metadata(context);
  if (transactional()) maybe_send_end_transaction(context);
}

// An idempotent producer keeps at most max.in.flight unresolved batches per partition (sent,
// not yet answered with success), because the broker remembers only the last five: a retry
// must always fall inside that window. Whether the window is full.
bool Producer::idempotent_window_full(PartitionId partition) const {
  if (!idempotent()) return false;
  const std::deque<ProducerBatch>& queue = queues_[partition.index()];
  const auto unresolved =
      std::count_if(queue.begin(), queue.end(), [](const ProducerBatch& b) { return b.attempts > 0; });
  return static_cast<std::uint32_t>(unresolved) >= workload_.config.max_in_flight_requests_per_connection;
}

// The partition's batch that may go now, if any: its leader known and reachable with room
// for a request, not in flight or backing off, and (idempotent) within the five unresolved
// batches a broker can deduplicate.
ProducerBatch* Producer::next_ready_batch(PartitionId partition, TimeNs now, bool& need_metadata) {
  const BrokerId leader = leaders_[partition.index()];
  if (leader != kNoBroker &&
      (!connection(leader).ready || in_flight_to(leader) >= workload_.config.max_in_flight_requests_per_connection)) {
    return nullptr;  // reconnecting, or no room for another request: nothing goes to the leader now
  }
  for (ProducerBatch& batch : queues_[partition.index()]) {
    if (batch.in_flight) continue;
    // The first unsent batch holds its partition: while it backs off after a failure, no
    // later batch goes (Kafka re-enqueues a failed batch at the front of its partition's
    // deque, and drainBatchesForOneNode skips a partition whose first batch backs off;
    // 0.8.2 to 4.x), unless it is a retry to a new leader (3.7+).
    const bool to_new_leader = retries_to_new_leader(batch);  // notes the leader epoch, as drain does
    if (batch.not_before_ns > now && !to_new_leader) return nullptr;
    // A new batch waits for room in the idempotent window; a retry is already inside it.
    if (batch.attempts == 0 && idempotent_window_full(partition)) return nullptr;
    if (leader == kNoBroker) {
      need_metadata = true;
      return nullptr;
    }
    return &batch;
  }
  return nullptr;
}

// One produce request to `leader` with the drained batches, a part each. acks=0: every
// batch is answered on sending and stays in its queue (pointers stay valid) until
// run_sender's sweep.
void Producer::send_request(NodeContext& context, BrokerId leader, const std::vector<ProducerBatch*>& batches) {
  MultiProduceRequest request;
  request.request_id = next_request_id_++;
  for (ProducerBatch* batch : batches) request.partitions.push_back(produce_part(context, *batch, request.request_id, leader));
  context.send(node_, context.broker_node(leader), std::move(request));
  if (workload_.config.acks == Acks::none) {
    for (const ProducerBatch* batch : batches) acknowledge(context, *batch, kNoOffsetPosition);
    return;
  }
  outstanding(leader).push_back(batches.front()->request_id);
  context.set_timer(node_, workload_.config.request_timeout_ns,
                    timers::RequestTimeout{batches.front()->request_id, batches.front()->partition});
}

ProduceRequest Producer::produce_part(NodeContext& context, ProducerBatch& batch, std::uint64_t request_id,
                                      BrokerId leader) {
  ProduceRequest request;
  request.partition = batch.partition;
  request.request_id = request_id;
  request.acks = workload_.config.acks;
  request.producer_id = producer_id_;
  request.producer_epoch = batch.producer_epoch;
  request.base_sequence = batch.base_sequence;
  request.transactional = transactional();
  request.transactional_id = index_;
  for (const std::uint64_t id : batch.message_ids) request.records.push_back(ProducedRecord{id});
  if (batch.attempts > 0) {
    for (const std::uint64_t id : batch.message_ids) {
      context.record(history::send_attempt(
          {.producer = NodeId{node_},
           .message_id = id,
           .partition = batch.partition,
           .attempt = static_cast<std::uint8_t>(std::min<std::uint32_t>(batch.attempts, 255)),
           .producer_id = producer_id_,
           .producer_epoch = batch.producer_epoch,
           .transaction = transactional() ? transaction_.number : history::kNoOffset}));
    }
  }
  batch.in_flight = true;
  batch.request_id = request_id;
  batch.broker = leader;
  ++batch.attempts;
  return request;
}

void Producer::remove_batch(PartitionId partition, std::uint64_t batch_id) {
  erase_batches(queues_[partition.index()], [&](const ProducerBatch& b) { return b.batch_id == batch_id; });
}

std::vector<std::uint64_t>& Producer::outstanding(BrokerId broker) {
  if (broker.index() >= outstanding_.size()) outstanding_.resize(broker.index() + 1);
  return outstanding_[broker.index()];
}

ProducerBatch* Producer::find_in_flight(PartitionId partition, std::uint64_t request_id) {
  if (partition.index() >= queues_.size()) return nullptr;
  for (ProducerBatch& batch : queues_[partition.index()]) {
    if (batch.in_flight && batch.request_id == request_id) return &batch;
  }
  return nullptr;
}

void Producer::on_message(NodeContext& context, NodeId from, const Payload& payload) {
  if (std::holds_alternative<ConnectionReset>(payload)) {
    on_connection_reset(context, context.broker_index(from));
  } else if (std::holds_alternative<ConnectProbeAck>(payload)) {
    Connection& link = connection(context.broker_index(from));
    link.ready = true;
    link.probing = false;
    link.backoff_ns = 0;
    run_sender(context);
  } else if (const auto* response = std::get_if<MultiProduceResponse>(&payload)) {
    on_produce_response(context, context.broker_index(from), *response);
  } else if (const auto* metadata = std::get_if<MetadataResponse>(&payload)) {
    on_metadata(context, from, *metadata);
  } else if (const auto* init = std::get_if<InitProducerIdResponse>(&payload)) {
    on_init_producer_id(context, *init);
  } else if (const auto* added = std::get_if<AddPartitionsToTxnResponse>(&payload)) {
    on_add_partitions(context, *added);
  } else if (const auto* ended = std::get_if<EndTxnResponse>(&payload)) {
    on_end_transaction(context, *ended);
  }
  drain_backlog(context);  // an answer may have given buffer.memory back or ended a transaction
}

void Producer::on_metadata(NodeContext& context, NodeId from, const MetadataResponse& response) {
  metadata_.on_response(context, from, response);
  metadata_.merge_leaders(response, leaders_, partitions_);
  if (transactional()) transaction_coordinator_.update(response);
  const bool all_known = std::none_of(leaders_.begin(), leaders_.end(),
                                      [](BrokerId leader) { return leader == kNoBroker; }) &&
                         (!transactional() || transaction_coordinator_.known());
  if (!all_known) request_metadata(context);  // again, once retry.backoff.ms has passed
  run_sender(context);
}

void Producer::request_metadata(NodeContext& context) { metadata_.request(context, node_, broker_load()); }

void Producer::on_produce_response(NodeContext& context, BrokerId broker, const MultiProduceResponse& response) {
  std::vector<std::uint64_t>& requests = outstanding(broker);
  const auto outstanding_request = std::find(requests.begin(), requests.end(), response.request_id);
  if (outstanding_request == requests.end()) return;  // given up on already (its connection closed)
  requests.erase(outstanding_request);
  for (const ProduceResponse& part : response.partitions) {
    ProducerBatch* batch = find_in_flight(part.partition, part.request_id);
    if (batch == nullptr) continue;
    if (part.error == ErrorCode::none) {
      acknowledge(context, *batch, part.base_offset);
      remove_batch(part.partition, batch->batch_id);
      continue;
    }
    if (part.error == ErrorCode::not_leader_or_follower) leaders_[part.partition.index()] = kNoBroker;
    retry_or_fail(context, part.partition, part.request_id, part.error);
  }
  // After every part is settled, as Sender.handleProduceResponse does.
  for (const ProduceResponse& part : response.partitions) take_named_leader(context, part);
  run_sender(context);
}

// KIP-951 (clients and brokers 3.7+; KAFKA-15627, apache/kafka PR 14685): the leader a
// NOT_LEADER_OR_FOLLOWER answer names, with a newer leader epoch than the producer's metadata
// has, becomes the partition's leader now (Metadata.updatePartitionLeadership), so its retry
// need not wait for a metadata answer; the metadata update is still asked for.
void Producer::take_named_leader(NodeContext& context, const ProduceResponse& part) {
  if (!workload_.config.leader_from_error_answers || part.error != ErrorCode::not_leader_or_follower) return;
  if (metadata_.take_named_leader(part.partition, part.current_leader, part.current_leader_epoch, leaders_)) {
    request_metadata(context);
  }
}

void Producer::retry_or_fail(NodeContext& context, PartitionId partition, std::uint64_t request_id,
                             ErrorCode error) {
  ProducerBatch* batch = find_in_flight(partition, request_id);
  if (batch == nullptr) return;
  batch->in_flight = false;
  const TimeNs now = context.now();
  // Out of order with no earlier batch of the partition pending: the broker lost our
  // earlier batches (e.g. a power failure took the log and the producer state with it).
  const bool sequence_gap =
      error == ErrorCode::out_of_order_sequence && idempotent() &&
      std::none_of(queues_[partition.index()].begin(), queues_[partition.index()].end(),
                   [&](const ProducerBatch& b) { return b.base_sequence < batch->base_sequence; });
  // A transactional producer does not retry a gap: Kafka's TransactionManager.canRetry
  // retries OUT_OF_ORDER_SEQUENCE_NUMBER / UNKNOWN_PRODUCER_ID only for the idempotent
  // producer (which bumps its epoch, KIP-360) or for a batch that is not the next
  // sequence; otherwise the batch fails and the transaction becomes abortable (KIP-98;
  // the epoch bump on abort is KIP-360). Retrying here instead repeats the same gap
  // until delivery.timeout.ms, and the transaction's sends stay unanswered that long.
  // INVALID_TXN_STATE: the leader's KIP-890 verification found this partition in no ongoing
  // transaction of ours (the coordinator aborted it); retrying cannot succeed.
  const bool fatal = error == ErrorCode::producer_fenced || error == ErrorCode::invalid_txn_state ||
                     (sequence_gap && transactional());
  const bool expired = now - batch->created_ns >= workload_.config.delivery_timeout_ns;
  const bool out_of_retries = batch->attempts > workload_.config.retries;
  if (error == ErrorCode::producer_fenced) context.probe(history::Probe::producer_fenced);
  if (fatal || expired || out_of_retries) {
    const ProducerBatch failed = *batch;
    remove_batch(partition, failed.batch_id);
    fail_batch(context, failed, expired ? ErrorCode::delivery_timeout : error);
    // The failed batch may or may not have been written: its sequence range is
    // unresolved, so the idempotent producer starts a new epoch (KIP-360).
    if (idempotent() && error != ErrorCode::producer_fenced) bump_epoch(partition);
    run_sender(context);
    return;
  }
  // Out of order because an earlier batch is still being retried: retry behind it.
  // Otherwise (a gap) the idempotent producer starts a new epoch.
  if (sequence_gap) bump_epoch(partition);
  const TimeNs backoff_ns = retry_backoff_ns(context, batch->attempts);
  batch->not_before_ns = now + backoff_ns;
  if (!idempotent()) requeue_first(partition, batch->batch_id);  // `batch` may move
  // The sender runs again when the backoff is over, even if nothing else wakes it (a
  // transactional producer waiting to commit sends nothing new meanwhile).
  context.set_timer(node_, backoff_ns, timers::BackoffExpired{});
  if (leaders_[partition.index()] == kNoBroker) request_metadata(context);
  run_sender(context);
}

// ProducerBatch.maybeUpdateLeaderEpoch and hasLeaderChangedForTheOngoingRetry (KAFKA-15415,
// KIP-951, clients 3.7+), as drainBatchesForOneNode checks the partition's first batch: the
// batch notes a newer leader epoch from the metadata with its attempts so far, and a retry
// whose attempts equal those goes to that new leader without waiting out its backoff.
bool Producer::retries_to_new_leader(ProducerBatch& batch) {
  if (!workload_.config.retry_to_new_leader_skips_backoff) return false;
  const LeaderEpoch latest = metadata_.leader_epoch(batch.partition);
  if (latest != kNoLeaderEpoch && (batch.leader_epoch == kNoLeaderEpoch || batch.leader_epoch < latest)) {
    batch.leader_epoch = latest;
    batch.attempts_when_leader_changed = batch.attempts;
  }
  return batch.attempts >= 1 && batch.attempts == batch.attempts_when_leader_changed;
}

// The wait before a batch's retry after its `failures`-th failed attempt: exponential in
// clients 3.7+ (KIP-580, jitter drawn from the producer's stream), constant before.
TimeNs Producer::retry_backoff_ns(NodeContext& context, std::uint32_t failures) {
  const ProducerConfig& config = workload_.config;
  if (!config.exponential_retry_backoff) return config.retry_backoff_ns;
  return exponential_backoff_ns(config.retry_backoff_ns, config.retry_backoff_max_ns, failures,
                                context.random(node_).uniform01());
}

// RecordAccumulator.reenqueue (0.8.2 to 4.x): without idempotence a failed batch goes back to
// the front of its partition's deque (addFirst), ahead of every unsent batch, those that
// failed before it included. So batches that fail together are retried newest first, one
// of the ways a producer with max.in.flight > 1 reorders records. An idempotent producer
// re-enqueues in sequence order (insertInSequenceOrder), the order the queue keeps anyway.
void Producer::requeue_first(PartitionId partition, std::uint64_t batch_id) {
  std::deque<ProducerBatch>& queue = queues_[partition.index()];
  const auto is_failed = [&](const ProducerBatch& b) { return b.batch_id == batch_id; };
  const auto failed = std::find_if(queue.begin(), queue.end(), is_failed);
  KSIM_ASSERT(failed != queue.end(), "producer {}: batch {} of partition {} is not queued", index_, batch_id,
              partition);
  const auto first_unsent =
      std::find_if(queue.begin(), failed, [](const ProducerBatch& b) { return !b.in_flight; });
  std::rotate(first_unsent, failed, failed + 1);
}

}  // namespace ksim::kafka
