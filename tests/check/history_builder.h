#pragma once
// A tiny builder that makes hand-written histories readable in tests: one method per record
// kind, times in milliseconds set with at().
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "sim/history/records.h"

namespace ksim::check::testing {

using namespace ksim::history;

// Node indices of the default cluster.
inline constexpr std::uint32_t kBroker1 = 0, kBroker2 = 1, kBroker3 = 2, kProducer = 3, kConsumer1 = 4, kConsumer2 = 5;

class HistoryBuilder {
 public:
  HistoryBuilder() {
    h.nodes = {{"broker-1", "broker"}, {"broker-2", "broker"}, {"broker-3", "broker"},
               {"producer-0", "producer"}, {"consumer-1", "consumer"}, {"consumer-2", "consumer"}};
    h.partitions = {{"orders", 0}, {"orders", 1}};
    h.producers = {{ksim::NodeId{kProducer}, history::Acks::all, false, 5}};
  }
  HistoryBuilder& acks(history::Acks value) { h.producers[0].acks = value; return *this; }
  HistoryBuilder& idempotence(bool on) { h.producers[0].idempotence = on; return *this; }
  HistoryBuilder& group(std::string name, std::string strategy, bool idempotent_sink = false,
                        std::vector<std::uint32_t> partitions = {}, bool read_committed = false) {
    std::vector<ksim::PartitionId> read;
    for (const std::uint32_t p : partitions) read.emplace_back(p);
    h.groups.push_back(
        {std::move(name), std::move(strategy), idempotent_sink, std::move(read), read_committed, {}});
    return *this;
  }
  HistoryBuilder& at(std::int64_t ms) { now_ = ms * 1'000'000; return *this; }

  HistoryBuilder& send(std::uint64_t id, std::uint32_t p, std::uint64_t key = kNoKey) {
    return add(history::send(
        {.producer = NodeId{kProducer}, .message_id = id, .partition = PartitionId{p}, .key = key}));
  }
  HistoryBuilder& ack(std::uint64_t id, std::uint32_t p, std::int64_t offset) {
    return add(history::send_acknowledged({.producer = NodeId{kProducer},
                                           .message_id = id,
                                           .partition = PartitionId{p},
                                           .offset = ksim::Offset{offset}}));
  }
  HistoryBuilder& fail(std::uint64_t id, std::uint32_t p, ErrorCode code) {
    return add(history::send_failed(
        {.producer = NodeId{kProducer}, .message_id = id, .partition = PartitionId{p}, .error = code}));
  }
  HistoryBuilder& attempt(std::uint64_t id, std::uint32_t p, std::uint8_t number, std::int32_t producer_epoch = 0) {
    return add(history::send_attempt({.producer = NodeId{kProducer},
                                      .message_id = id,
                                      .partition = PartitionId{p},
                                      .attempt = number,
                                      .producer_id = ProducerId{1},
                                      .producer_epoch = ProducerEpoch{producer_epoch}}));
  }
  HistoryBuilder& append(std::uint32_t broker, std::uint32_t p, std::int64_t offset, std::uint64_t id, std::int32_t epoch,
                         bool as_leader) {
    return add(history::append({.broker = NodeId{broker},
                                .partition = PartitionId{p},
                                .offset = ksim::Offset{offset},
                                .message_id = id,
                                .leader_epoch = ksim::LeaderEpoch{epoch},
                                .source = as_leader ? AppendSource::leader : AppendSource::follower}));
  }
  // `follower` copied offsets [first, first + count) of `source`'s log (a fetch answered in `epoch`).
  HistoryBuilder& replicate(std::uint32_t follower, std::uint32_t p, std::int64_t first, std::uint64_t count,
                            std::uint32_t source, std::int32_t epoch) {
    return add(history::follower_append_range({.follower = NodeId{follower},
                                               .partition = PartitionId{p},
                                               .first_offset = ksim::Offset{first},
                                               .count = count,
                                               .source_broker = NodeId{source},
                                               .leader_epoch = ksim::LeaderEpoch{epoch}}));
  }
  HistoryBuilder& truncate(std::uint32_t broker, std::uint32_t p, std::int64_t from, TruncationReason reason, std::int32_t epoch) {
    return add(history::truncate({.broker = NodeId{broker},
                                  .partition = PartitionId{p},
                                  .offset = ksim::Offset{from},
                                  .leader_epoch = ksim::LeaderEpoch{epoch},
                                  .reason = reason}));
  }
  HistoryBuilder& hw(std::uint32_t broker, std::uint32_t p, std::int64_t offset, std::int32_t epoch = 0) {
    return add(history::high_watermark({.broker = NodeId{broker},
                                        .partition = PartitionId{p},
                                        .high_watermark = ksim::Offset{offset},
                                        .leader_epoch = ksim::LeaderEpoch{epoch}}));
  }
  HistoryBuilder& follower_hw(std::uint32_t broker, std::uint32_t p, std::int64_t offset) {
    return add(history::follower_high_watermark(
        {.broker = NodeId{broker}, .partition = PartitionId{p}, .high_watermark = ksim::Offset{offset}}));
  }
  HistoryBuilder& replication(std::uint32_t p, std::uint32_t min_insync_replicas, bool unclean = false,
                              bool truncate_to_high_watermark = false) {
    if (h.replication.size() <= p) h.replication.resize(p + 1);
    h.replication[p] = {{ksim::NodeId{kBroker1}, ksim::NodeId{kBroker2}, ksim::NodeId{kBroker3}},
                        min_insync_replicas,
                        unclean,
                        false,
                        truncate_to_high_watermark};
    return *this;
  }
  // The controller's ISR of partition p: bit i set = broker-(i+1) is a member.
  HistoryBuilder& isr(std::uint32_t p, std::uint64_t members, std::int32_t epoch, std::uint32_t leader = kBroker1) {
    return add(history::isr_changed({.leader = NodeId{leader},
                                     .partition = PartitionId{p},
                                     .leader_epoch = ksim::LeaderEpoch{epoch},
                                     .isr_mask = members}));
  }
  HistoryBuilder& elect(std::uint32_t broker, std::uint32_t p, std::int32_t epoch, bool unclean = false) {
    return add(history::leader_elected({.leader = NodeId{broker},
                                        .partition = PartitionId{p},
                                        .leader_epoch = ksim::LeaderEpoch{epoch},
                                        .unclean = unclean}));
  }
  HistoryBuilder& fault(std::uint32_t node, FaultKind kind) {
    return add(history::fault({.node = NodeId{node}, .fault = kind}));
  }
  HistoryBuilder& poll(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t offset, std::uint64_t id) {
    return add(history::poll({.consumer = NodeId{consumer},
                              .group = GroupIndex{g},
                              .partition = PartitionId{p},
                              .offset = ksim::Offset{offset},
                              .message_id = id}));
  }
  HistoryBuilder& apply(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t offset, std::uint64_t id) {
    return add(history::effect_applied({.consumer = NodeId{consumer},
                                        .group = GroupIndex{g},
                                        .partition = PartitionId{p},
                                        .offset = ksim::Offset{offset},
                                        .message_id = id}));
  }
  HistoryBuilder& skip(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t offset, std::uint64_t id) {
    return add(history::effect_skipped({.consumer = NodeId{consumer},
                                        .group = GroupIndex{g},
                                        .partition = PartitionId{p},
                                        .offset = ksim::Offset{offset},
                                        .message_id = id}));
  }
  HistoryBuilder& commit(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t next_offset, bool ok = true) {
    return add(history::offset_committed({.consumer = NodeId{consumer},
                                          .group = GroupIndex{g},
                                          .partition = PartitionId{p},
                                          .offset = ksim::Offset{next_offset},
                                          .stage = ok ? CommitStage::sent : CommitStage::failed}));
  }
  HistoryBuilder& commit_acknowledged(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t next_offset) {
    return add(history::offset_committed({.consumer = NodeId{consumer},
                                          .group = GroupIndex{g},
                                          .partition = PartitionId{p},
                                          .offset = ksim::Offset{next_offset},
                                          .stage = CommitStage::acknowledged}));
  }
  // A group coordinator's load on `broker`: the offsets it found, as (group, partition, offset).
  HistoryBuilder& coordinator_load(std::uint32_t broker, std::int32_t epoch,
                                   std::vector<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>> found) {
    add(history::coordinator_loaded({.broker = NodeId{broker},
                                     .leader_epoch = ksim::LeaderEpoch{epoch},
                                     .offsets_loaded = found.size()}));
    for (const auto& [g, p, offset] : found) {
      add(history::committed_offset_loaded({.broker = NodeId{broker},
                                            .group = GroupIndex{g},
                                            .partition = PartitionId{p},
                                            .offset = ksim::Offset{offset},
                                            .leader_epoch = ksim::LeaderEpoch{epoch}}));
    }
    return *this;
  }
  HistoryBuilder& assign(std::uint32_t consumer, std::uint32_t g, std::uint32_t p) {
    return add(history::partition_assigned(
        {.consumer = NodeId{consumer}, .group = GroupIndex{g}, .partition = PartitionId{p}}));
  }
  // Transactions: a send inside transaction `transaction`, the coordinator's decision, and
  // a leader's COMMIT/ABORT marker (a control record at `offset`).
  HistoryBuilder& send_in_transaction(std::uint64_t id, std::uint32_t p, std::int32_t transaction) {
    return add(history::send({.producer = NodeId{kProducer},
                              .message_id = id,
                              .partition = PartitionId{p},
                              .transaction = transaction}));
  }
  // The application's resend of `id` after a restart (attempt 0) in `transaction` under `producer_epoch`.
  HistoryBuilder& resend_in_transaction(std::uint64_t id, std::uint32_t p, std::int32_t transaction,
                                        std::int32_t producer_epoch) {
    return add(history::send_attempt({.producer = NodeId{kProducer}, .message_id = id, .partition = PartitionId{p}, .attempt = 0,
                                      .producer_id = ProducerId{1}, .producer_epoch = ProducerEpoch{producer_epoch},
                                      .transaction = transaction}));
  }
  HistoryBuilder& transaction_ended(std::int32_t transaction, bool committed, std::uint32_t owner = kProducer) {
    return add(history::transaction_ended({.producer = NodeId{owner},
                                           .transaction = transaction,
                                           .producer_id = ProducerId{1},
                                           .committed = committed}));
  }
  // A consume-transform-produce member processed the message inside its transaction.
  HistoryBuilder& apply_in_transaction(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t offset,
                                       std::uint64_t id, std::int32_t transaction) {
    return add(history::effect_in_transaction({.consumer = NodeId{consumer},
                                               .group = GroupIndex{g},
                                               .partition = PartitionId{p},
                                               .offset = ksim::Offset{offset},
                                               .message_id = id,
                                               .transaction = transaction}));
  }
  HistoryBuilder& marker(std::uint32_t broker, std::uint32_t p, std::int64_t offset, bool commit) {
    return add(history::append({.broker = NodeId{broker},
                                .partition = PartitionId{p},
                                .offset = ksim::Offset{offset},
                                .message_id = kControlMessageId,
                                .leader_epoch = ksim::LeaderEpoch{1},
                                .source = commit ? AppendSource::commit_marker : AppendSource::abort_marker,
                                .producer_id = ProducerId{1}}));
  }
  // A leader's append of a transactional record of producer id 1 (the markers' producer).
  HistoryBuilder& transactional_append(std::uint32_t broker, std::uint32_t p, std::int64_t offset, std::uint64_t id) {
    return add(history::append({.broker = NodeId{broker},
                                .partition = PartitionId{p},
                                .offset = ksim::Offset{offset},
                                .message_id = id,
                                .leader_epoch = ksim::LeaderEpoch{1},
                                .source = AppendSource::leader,
                                .producer_id = ProducerId{1}}));
  }
  // Pipelines: processor `consumer` of group g turned input `input` (read at p, offset)
  // into the output record `output`.
  HistoryBuilder& produce_output(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t offset,
                                 std::uint64_t input, std::uint64_t output) {
    return add(history::output_produced({.consumer = NodeId{consumer},
                                         .group = GroupIndex{g},
                                         .partition = PartitionId{p},
                                         .offset = ksim::Offset{offset},
                                         .input_message_id = input,
                                         .output_message_id = output}));
  }
  // A healthy acks=all write by `producer` (a processor's node for its output records).
  HistoryBuilder& write_by(std::uint32_t producer, std::uint64_t id, std::uint32_t p, std::int64_t offset) {
    add(history::send({.producer = NodeId{producer}, .message_id = id, .partition = PartitionId{p}}));
    append(kBroker1, p, offset, id, 1, true).append(kBroker2, p, offset, id, 1, false).append(kBroker3, p, offset, id, 1, false);
    hw(kBroker1, p, offset + 1);
    return add(history::send_acknowledged({.producer = NodeId{producer},
                                           .message_id = id,
                                           .partition = PartitionId{p},
                                           .offset = ksim::Offset{offset}}));
  }
  HistoryBuilder& revoke(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t processed_end = -1) {
    return add(history::partition_revoked({.consumer = NodeId{consumer},
                                           .group = GroupIndex{g},
                                           .partition = PartitionId{p},
                                           .processed_end = ksim::Offset{processed_end}}));
  }

  // A healthy acks=all write: send, first attempt, leader broker-1 and followers broker-2/3
  // append at `offset` (leader epoch 1), the HW passes it, the producer is told success.
  HistoryBuilder& write(std::uint64_t id, std::uint32_t p, std::int64_t offset, std::uint64_t key = kNoKey) {
    send(id, p, key).attempt(id, p, 0);
    append(kBroker1, p, offset, id, 1, true).append(kBroker2, p, offset, id, 1, false).append(kBroker3, p, offset, id, 1, false);
    return hw(kBroker1, p, offset + 1).ack(id, p, offset);
  }
  // A consumer polls the message and applies it.
  HistoryBuilder& read(std::uint32_t consumer, std::uint32_t g, std::uint32_t p, std::int64_t offset, std::uint64_t id) {
    return poll(consumer, g, p, offset, id).apply(consumer, g, p, offset, id);
  }

  History build() {
    h.end_ns = now_;
    h.workload_end_ns = now_;
    h.drain_completed = true;
    return h;
  }

  History h;

 private:
  HistoryBuilder& add(Record record) {
    record.time_ns = now_;
    h.add(record);
    return *this;
  }
  std::int64_t now_ = 0;
};

}  // namespace ksim::check::testing
