#pragma once
// Consumer-side configuration: Kafka's consumer configs plus what the application
// around the consumer does (how it commits, how long it processes, its database).
#include <cstdint>
#include <string>

#include "sim/core/sim_time.h"
#include "sim/kafka/config/config.h"

namespace ksim::kafka {

enum class CommitStrategy : std::uint8_t {
  auto_commit,        // enable.auto.commit: positions of earlier polls committed inside poll()
  before_processing,  // commitSync() right after poll(), then process (at-most-once)
  after_processing,   // process the batch, then commitSync() (at-least-once)
  async_processing,   // hand records to a worker and keep polling; auto-commit commits what
                      // was polled, so committed offsets can run ahead of processing (A11)
  transactional,      // consume-transform-produce: each poll's output and offsets go into one
                      // Kafka transaction (sendOffsetsToTransaction), committed or aborted together
};

enum class SinkKind : std::uint8_t {
  plain,       // every processing applies the effect again
  idempotent,  // the database remembers processed message ids in the same write and skips repeats
};

enum class OffsetReset : std::uint8_t { earliest, latest, none };

// partition.assignment.strategy: the assignor, and with it the rebalance protocol. range,
// roundrobin and sticky are eager (every member gives up all its partitions at each
// rebalance); cooperative-sticky is incremental (KIP-429: only partitions that move are
// given up, and their new owner gets them in a follow-up rebalance).
enum class AssignmentStrategy : std::uint8_t { range, round_robin, sticky, cooperative_sticky };

struct ConsumerConfig {
  TimeNs auto_commit_interval_ns = milliseconds(5'000);  // auto.commit.interval.ms
  std::uint32_t max_poll_records = 500;                   // max.poll.records
  OffsetReset auto_offset_reset = OffsetReset::latest;    // auto.offset.reset
  TimeNs fetch_max_wait_ns = milliseconds(500);           // fetch.max.wait.ms
  TimeNs request_timeout_ns = milliseconds(30'000);       // request.timeout.ms
  TimeNs retry_backoff_ns = milliseconds(100);            // retry.backoff.ms
  // metadata.leader.epoch.check: as ProducerConfig's (KAFKA-7738, Kafka 2.2.0).
  bool metadata_leader_epoch_check = true;
  // KIP-951 (clients 3.7+): as ProducerConfig's, for fetch answers (FetchResponse v16).
  bool leader_from_error_answers = true;
  TimeNs session_timeout_ns = milliseconds(45'000);       // session.timeout.ms
  TimeNs heartbeat_interval_ns = milliseconds(3'000);     // heartbeat.interval.ms
  TimeNs max_poll_interval_ns = milliseconds(300'000);    // max.poll.interval.ms
  bool read_committed = false;                            // isolation.level=read_committed (default read_uncommitted)
  // Kafka's default list is [RangeAssignor, CooperativeStickyAssignor]; a group of such
  // members settles on the first, range, and so on the eager protocol.
  AssignmentStrategy partition_assignment_strategy = AssignmentStrategy::range;  // partition.assignment.strategy
  // log.truncation.detection (ksim's knob; the Java client's behaviour by version): KIP-320's
  // consumer side. On (Java client 2.3+, KAFKA-7440/KAFKA-7747): every fetch carries the
  // leader epoch of the last record read, and a position resumed from a committed offset
  // carries the epoch committed with it, so a leader whose log diverged below the position
  // sends the consumer back to the divergence point. Off (before 2.3): fetches carry no
  // epoch; a position above the new leader's log end gets OFFSET_OUT_OF_RANGE and
  // auto.offset.reset, one at or below it reads on and skips what was written again there.
  bool truncation_detection = true;
};

// A processor (issue 15 item 6): a member that writes one output record per input record
// to `topic` through its own producer (`producer`: the mode's producer settings; under
// commit: transactional the writes join the member's transaction with its offsets,
// KIP-98/KIP-447). An empty topic: the member applies effects to its sink instead.
struct OutputConfig {
  std::string topic;
  ProducerConfig producer;
  bool enabled() const { return !topic.empty(); }
};

struct ConsumerGroupConfig {
  std::string name = "group";
  std::string topic = "events";
  std::uint32_t members = 1;
  CommitStrategy commit_strategy = CommitStrategy::after_processing;
  SinkKind sink = SinkKind::plain;
  TimeNs processing_time_per_record_ns = microseconds(100);
  TimeNs start_ns = 0;  // when the group's members start (a group that joins later: A13)
  // commit: transactional. The application aborts a transaction instead of committing it
  // with this probability, and after an abort seeks back to the committed offsets (Kafka
  // leaves that to the application; without it the aborted input is skipped: A15).
  double transaction_abort_probability = 0;
  bool seek_on_abort = true;
  ConsumerConfig config;
  OutputConfig output;
};

}  // namespace ksim::kafka
