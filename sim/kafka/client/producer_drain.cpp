// The Sender's drain: which batches each produce request takes (RecordAccumulator.ready and
// drainBatchesForOneNode, 0.8.2 to 4.x).
#include <algorithm>

#include "sim/core/assert.h"
#include "sim/kafka/client/producer.h"

namespace ksim::kafka {

// One round of the Sender. ready(): a broker is ready when some partition it leads has a
// first batch that may go now (full, lingered linger.ms, or a retry past its backoff). Then a
// request per ready broker takes the first batch of each partition that broker leads that
// may go, lingering or not (drain_broker): linger.ms only decides when a broker's request
// goes, so a producer writing many partitions of a broker batches them together.
// `sendable` gains the partitions whose lingering batch was sealed; false when nothing was
// sent.
bool Producer::send_drained(NodeContext& context, std::vector<PartitionId>& sendable, TimeNs now,
                            bool& need_metadata) {
  std::vector<std::vector<PartitionId>> candidates;  // by ready broker
  for (const PartitionId partition : sendable) {
    if (next_ready_batch(partition, now, need_metadata) == nullptr) continue;
    const BrokerId leader = leaders_[partition.index()];
    if (candidates.size() <= leader.index()) candidates.resize(leader.index() + 1);
    candidates[leader.index()].push_back(partition);
  }
  if (candidates.empty()) return false;
  // Lingering batches: partitions whose open batch is the first one not sent. (A queued
  // unsent batch is in `sendable`, where run_sender's checks, such as a transaction's
  // partition being added, were made.)
  open_partitions_.for_each([&](std::uint32_t slot) {
    const BrokerId leader = leaders_[slot];
    if (leader == kNoBroker || leader.index() >= candidates.size()) return;
    std::vector<PartitionId>& of_leader = candidates[leader.index()];
    if (!of_leader.empty() && !has_unsent_batch(PartitionId{slot})) of_leader.push_back(PartitionId{slot});
  });
  bool sent = false;
  for (std::size_t b = 0; b < candidates.size(); ++b) {
    if (candidates[b].empty()) continue;
    const BrokerId broker{static_cast<std::uint32_t>(b)};
    const DrainedRequest request = drain_broker(context, broker, candidates[b], sendable, now);
    KSIM_ASSERT(!request.batches.empty(), "producer {}: ready broker {} drained no batch", index_, broker);
    send_request(context, broker, request.batches);
    sent = true;
  }
  return sent;
}

// drainBatchesForOneNode: the broker's partitions in order, starting where its last drain
// stopped ("to make starvation less likely each node has its own drainIndex": KAFKA-13834,
// Kafka 3.3.0 to 4.x; before, one index shared by all brokers, not modelled), each giving
// its first batch if that may go; the first batch that would pass max.request.size ends the
// request (the request's first batch always goes), and the next drain starts at it. A drain
// that went all the way round starts the next one a partition earlier, at the last one it
// looked at. Kafka keeps the index as a position in the broker's partition list, ksim as the
// partition itself, so a leader change moves it to the same partition rather than the same
// position. `candidates` are the partitions with a batch (unsorted, perhaps repeated).
Producer::DrainedRequest Producer::drain_broker(NodeContext& context, BrokerId broker,
                                                std::vector<PartitionId>& candidates,
                                                std::vector<PartitionId>& sendable, TimeNs now) {
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  if (drain_starts_.size() <= broker.index()) {
    drain_starts_.resize(broker.index() + 1, PartitionId{topic_first_});  // Kafka's first index is 0
  }
  PartitionId& start = drain_starts_[broker.index()];
  const auto first = std::lower_bound(candidates.begin(), candidates.end(), start);
  std::rotate(candidates.begin(), first, candidates.end());
  DrainedRequest request;
  for (const PartitionId partition : candidates) {
    ProducerBatch* batch = first_batch_that_may_go(partition, now);
    if (batch == nullptr) continue;
    if (!request.fits(batch->bytes, workload_.config.max_request_size_bytes)) {
      start = partition;
      return request;
    }
    if (batch == open_batch_of(partition)) {
      seal_open_batch(context, partition);  // it becomes the queue's first unsent batch
      sendable.push_back(partition);
      bool need_metadata = false;
      batch = next_ready_batch(partition, now, need_metadata);
      KSIM_ASSERT(batch == &queues_[partition.index()].back() && !need_metadata,
                  "producer {}: the sealed batch of partition {} cannot go", index_, partition);
    }
    request.take(*batch);
  }
  start = previous_partition_led_by(broker, start);
  return request;
}

// The partition's first batch if it may go now: its first unsent batch, or, with none
// queued, its open (lingering) batch, which the drain seals before it takes it.
ProducerBatch* Producer::first_batch_that_may_go(PartitionId partition, TimeNs now) {
  if (has_unsent_batch(partition)) {
    bool need_metadata = false;
    return next_ready_batch(partition, now, need_metadata);
  }
  return lingering_batch_may_go(partition) ? open_batch_of(partition) : nullptr;
}

ProducerBatch* Producer::open_batch_of(PartitionId partition) {
  std::optional<ProducerBatch>& open = open_batches_[partition.index()];
  return open ? &*open : nullptr;
}

bool Producer::has_unsent_batch(PartitionId partition) const {
  const std::deque<ProducerBatch>& queue = queues_[partition.index()];
  return std::any_of(queue.begin(), queue.end(), [](const ProducerBatch& b) { return !b.in_flight; });
}

// The partition of the producer's topic before `partition` that `broker` leads, going round
// (`partition` itself when it is the only one).
PartitionId Producer::previous_partition_led_by(BrokerId broker, PartitionId partition) const {
  const std::uint32_t count = topic_partition_count();
  const std::uint32_t at = partition.value() >= topic_first_ ? partition.value() - topic_first_ : 0;
  for (std::uint32_t step = 1; step <= count; ++step) {
    const PartitionId candidate{topic_first_ + (at + count - step % count) % count};
    if (leaders_[candidate.index()] == broker) return candidate;
  }
  return partition;
}

// Whether the partition's open batch is its first unsent one and may go now: no unsent
// batch queued before it, no epoch bump pending, within the idempotent window, not muted
// (max.in.flight=1 with a batch in flight: guaranteeMessageOrder), and, transactional,
// the partition already added to the transaction (drain's shouldStopDrainBatchesForPartition).
bool Producer::lingering_batch_may_go(PartitionId partition) const {
  if (epoch_bump_pending_[partition.index()]) return false;
  if (has_unsent_batch(partition)) return false;
  const std::deque<ProducerBatch>& queue = queues_[partition.index()];
  if (workload_.config.max_in_flight_requests_per_connection == 1 && !queue.empty()) return false;
  if (idempotent_window_full(partition)) return false;
  return !transactional() || partition_added_to_transaction(partition);
}

}  // namespace ksim::kafka
