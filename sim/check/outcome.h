#pragma once
// What the checker concludes about one run: plain structs of named counters, anomaly
// lists and explained messages, so a report or JSON writer can walk them field by field.
// Every list is ordered deterministically (explained messages by message id).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/latency_histogram.h"

namespace ksim::check {

inline constexpr std::uint32_t kNoGroup = 0xffffffffU;

// Why a message was lost or duplicated. The rule for each is in causes.cpp.
enum class CauseCategory : std::uint8_t {
  network_drop_unacked_send,  // "network-drop-unacked-send"
  leader_failover_truncation, // "leader-failover-truncation"
  unclean_election,           // "unclean-election"
  power_loss_unflushed,       // "power-loss-unflushed"
  hw_truncation,              // "hw-truncation"
  producer_retry_duplicate,   // "producer-retry-duplicate"
  epoch_bump_duplicate,       // "epoch-bump-duplicate"
  commit_before_process,      // "commit-before-process"
  auto_commit_ahead,          // "auto-commit-ahead"
  rebalance_redelivery,       // "rebalance-redelivery"
  reset_latest_skip,          // "reset-latest-skip"
  aborted_read,               // "aborted-read"
  abort_without_seek,         // "abort-without-seek"
  power_lost_leader_elected,  // "power-lost-leader-elected"
  hanging_transaction,        // "hanging-transaction"
  committed_offset_lost,      // "committed-offset-lost"
  undetected_truncation,      // "undetected-truncation"
  unread_when_stopped,        // "unread-when-stopped"
  unknown,                    // "unknown"
};
inline constexpr std::size_t kCauseCategoryCount = static_cast<std::size_t>(CauseCategory::unknown) + 1;

std::string_view to_string(CauseCategory category);

// Run-wide counters. Definitions (see README of sim/check in checker.h):
struct Counters {
  // What the application was offered (arrived in it), in every mode the same:
  // offered == produced + not_sent.
  std::uint64_t offered = 0;        // distinct messages with a send, arrival_queued or not_sent record
  std::uint64_t not_sent = 0;       // offered, never handed to the producer (the four below)
  std::uint64_t not_sent_max_block_ms = 0;            // send() blocked on buffer.memory for max.block.ms
  std::uint64_t not_sent_application_queue_full = 0;  // the bounded application queue was full
  std::uint64_t not_sent_record_too_large = 0;        // the record alone exceeds buffer.memory
  std::uint64_t not_sent_still_waiting = 0;           // still in the application's backlog when the run ended
  std::uint64_t produced = 0;       // distinct messages with a send record
  std::uint64_t acknowledged = 0;   // sends the application was told succeeded (acks=0: every unfailed send)
  std::uint64_t failed = 0;         // sends with a send_failed record
  std::uint64_t indeterminate = 0;  // sent, neither acknowledged nor failed by the end
  std::uint64_t delivered = 0;      // distinct messages applied at least once by at least one group
  std::uint64_t lost = 0;           // distinct acknowledged messages lost in at least one group
  std::uint64_t duplicated = 0;     // distinct messages applied 2+ times within at least one group
  std::uint64_t duplicate_applications = 0;  // extra applications, summed over groups
  std::uint64_t redelivered_absorbed = 0;    // effect_skipped records (idempotent sinks)
  std::uint64_t log_duplicates = 0;          // messages at 2+ offsets of their partition's final log
  std::uint64_t leader_append_duplicates = 0;  // messages appended as leader at 2+ distinct offsets
  std::uint64_t reordered_within_key = 0;      // adjacent inversions, per group and key
  std::uint64_t reordered_within_producer_partition = 0;  // per group and (producer, partition)
  std::uint64_t reordered_within_producer = 0;            // per group and producer, across partitions
  std::uint64_t failed_but_delivered = 0;   // A10: send_failed yet applied (not by an abort)
  std::uint64_t aborted_but_delivered = 0;  // A14: its transaction aborted, yet applied
  // KIP-890 (late_transaction_writes.cpp): transactional records a leader appended after the
  // marker that ended their own transaction there; of them, those no later marker ended
  // (a hanging transaction: the LSO stays below them) and those a commit marker ended (a
  // record of an aborted transaction committed with the producer's next one).
  std::uint64_t late_transaction_writes = 0;
  std::uint64_t hanging_transaction_records = 0;
  std::uint64_t late_writes_committed = 0;
  std::uint64_t out_of_order_sequence_errors = 0;  // send_failed with out_of_order_sequence
  std::uint64_t committed_missing_after_election = 0;  // once below a leader's HW, absent from the final log
  std::uint64_t divergent_replicas_below_hw = 0;  // (partition, offset) slots below the final HW where replicas differ
  // Kafka's safety invariants (sim/check/invariants.h; scenarios/README.md "Safety
  // invariants"): every violation seen, whether or not Kafka promised it there.
  std::uint64_t acked_below_min_insync = 0;           // (a) acks=all acked with < min.insync.replicas holders
  std::uint64_t unclean_election_when_disabled = 0;   // (b) leader from outside the ISR, unclean disabled
  std::uint64_t isr_joined_before_caught_up = 0;      // (c) ISR join below the leader's HW
  std::uint64_t hw_above_isr_member_log = 0;          // (d) HW above an ISR member's log end
  std::uint64_t replicas_diverged_below_both_hw = 0;  // (e) offsets where two replicas differ below both HWs
  std::uint64_t committed_lost_after_clean_election = 0;  // (f) committed, missing, every election clean
  std::uint64_t read_above_hw_or_lso = 0;             // (g) polled above the HW (or LSO, read_committed)
  // The violations above where Kafka promised the invariant (its configuration and faults
  // did not void it): a broken promise, which fails every run, whatever a scenario expects.
  std::uint64_t kafka_promises_broken = 0;
};

struct GroupCounters {
  std::uint32_t group = 0;
  std::string name;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t duplicate_applications = 0;
  std::uint64_t redelivered_absorbed = 0;
  std::uint64_t reordered_within_key = 0;
};

struct PartitionCounters {
  std::uint32_t partition = 0;
  std::string name;  // topic-index
  std::uint64_t produced = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t log_duplicates = 0;
  std::uint32_t final_leader = 0xffffffffU;  // node index, kNoNode if none
  std::int64_t final_log_end = 0;             // size of the final leader's log
  std::int64_t final_high_watermark = 0;
};

// Several topics (issue 15 item 5): the run's counters of the messages sent to one topic,
// found by the history header's topic of each message's partition. Their sums over topics
// are the run's produced, acknowledged, delivered, lost and duplicated.
// Their names, as results.json's per-topic objects and `expect` (TOPIC.COUNTER) write them.
inline constexpr std::array<std::string_view, 5> kTopicCounterNames{"produced", "acknowledged", "delivered", "lost",
                                                                     "duplicated"};
struct TopicCounters {
  std::string name;
  std::uint64_t produced = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t delivered = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
};

// Pipelines (issue 15 item 6; pipeline.cpp): a processor group reads an input topic and
// writes one output record per input record to an output topic, which a downstream group
// reads. Each stage's counters and the end-to-end ones, which follow each input message
// through the output records linked to it (OutputProducedRecord) to the downstream
// group's effects. Names as results.json and `expect` (STAGE.COUNTER) write them.
inline constexpr std::array<std::string_view, 3> kPipelineStageNames{"input_to_processor", "output_to_downstream",
                                                                     "end_to_end"};
inline constexpr std::array<std::string_view, 4> kPipelineCounterNames{"delivered", "lost", "duplicated",
                                                                       "reordered"};
struct StageCounters {
  std::uint64_t delivered = 0;   // messages with at least one effect
  std::uint64_t lost = 0;        // acknowledged messages without any
  std::uint64_t duplicated = 0;  // messages with 2+ effects
  std::uint64_t reordered = 0;   // adjacent inversions of send order within a (producer, partition) stream
};
struct PipelineCounters {
  bool present = false;  // the history has a processor group with a downstream group
  StageCounters input_to_processor;    // the input topic's messages, by the processor group's effects
  StageCounters output_to_downstream;  // the output records, by the downstream group's effects
  StageCounters end_to_end;            // the input messages, by the downstream effects of their outputs
};

// One Jepsen anomaly: how many times it was seen and up to CheckOptions::max_examples
// message ids (smallest first).
struct Anomaly {
  std::uint64_t count = 0;
  std::vector<std::uint64_t> examples;
  // The first cases written out, for the anomalies whose case is more than one message:
  // G0 and G1c cycles (operations and edges), precommitted reads. Empty for the others.
  std::vector<std::string> explanations;
};

struct JepsenAnomalies {
  Anomaly lost_write;            // "lost-write"
  Anomaly unseen;                // "unseen"
  Anomaly duplicate;             // "duplicate"
  Anomaly inconsistent_offsets;  // "inconsistent-offsets"
  Anomaly poll_skip;             // "poll-skip"
  Anomaly nonmonotonic_poll;     // "nonmonotonic-poll"
  Anomaly nonmonotonic_send;     // "nonmonotonic-send"
  Anomaly g1a;                   // "G1a"
  // Within one operation (one poll() call; one producer transaction): jepsen_internal.cpp.
  Anomaly int_poll_skip;          // "int-poll-skip"
  Anomaly int_nonmonotonic_poll;  // "int-nonmonotonic-poll"
  Anomaly int_send_skip;          // "int-send-skip"
  Anomaly int_nonmonotonic_send;  // "int-nonmonotonic-send"
  // Between operations, on the ww/wr dependency graph: jepsen_cycles.cpp.
  Anomaly g0;                 // "G0"
  Anomaly g1c;                // "G1c"
  Anomaly precommitted_read;  // "precommitted-read"
};

struct NamedAnomaly {
  std::string_view name;
  const Anomaly* anomaly;
};
// The anomalies with their Jepsen names, in a fixed order.
std::array<NamedAnomaly, 15> named(const JepsenAnomalies& anomalies);

struct Verdicts {
  bool at_most_once = true;   // duplicated == 0
  bool at_least_once = true;  // lost == 0
  bool exactly_once = true;   // both
  bool per_key_order = true;  // reordered_within_key == 0
  bool replication_ok = true; // no committed record missing, no divergent replicas below the HW
  bool kafka_promises_kept = true;  // kafka_promises_broken == 0
};

struct ExplainedMessage {
  std::uint64_t message_id = 0;
  CauseCategory category = CauseCategory::unknown;
  std::uint32_t group = kNoGroup;  // the group it was judged in (lowest index), kNoGroup for log-judged loss
  std::string explanation;
};

// The price of a guarantee, in simulated time, measured from the history alone (latency.cpp;
// definitions in scenarios/README.md, "Latency and throughput").
struct Latencies {
  LatencyHistogram produce_ns;     // send -> its first send_acknowledged record
  LatencyHistogram end_to_end_ns;  // arrival -> first visible effect, per (message, group)
  LatencyHistogram blocked_ns;     // arrival -> send: how long the application held the message
  // Throughput = acknowledged_in_workload / workload_ns: messages acknowledged by the end of
  // the workload phase (acks=0 without a record: sent by then, unfailed), over its length.
  std::uint64_t acknowledged_in_workload = 0;
  std::int64_t workload_ns = 0;
};

struct Outcome {
  Counters counters;
  std::vector<GroupCounters> groups;          // by group index
  std::vector<PartitionCounters> partitions;  // by partition index
  std::vector<TopicCounters> topics;          // in the header's order of first appearance
  PipelineCounters pipeline;                  // summed over processor groups
  JepsenAnomalies jepsen;
  Verdicts verdicts;
  std::array<std::uint64_t, kCauseCategoryCount> lost_by_cause{};        // sums to counters.lost
  std::array<std::uint64_t, kCauseCategoryCount> duplicated_by_cause{};  // sums to counters.duplicated
  std::vector<ExplainedMessage> lost;        // by message id
  std::vector<ExplainedMessage> duplicated;  // by message id
  // Each message applied in a group after a message of its key sent later (the later of an
  // inverted adjacent pair of reordered_within_key), by message id, once.
  std::vector<std::uint64_t> reordered;
  Latencies latency;
};

}  // namespace ksim::check
