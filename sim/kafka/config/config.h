#pragma once
// Plain configuration structs for the Kafka model, one field per Kafka config, with
// Kafka's defaults (current trunk, see shared/kafka-model.md). Field names follow the
// Kafka names with units last; the scenario loader maps `acks`, `linger.ms`, ... onto
// them. Every default of the model is stated here and nowhere else.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/history/acks.h"

namespace ksim::kafka {

using Acks = history::Acks;  // defined below the model: the history and the wire hold it too

enum class LogTruncation : std::uint8_t {
  leader_epoch,         // KIP-279 (2.0) and later: the leader names the epoch it found, the
                        // follower truncates to the smaller end of that epoch in both logs
  leader_epoch_kip101,  // KIP-101 as first shipped (0.11 to 1.1): the leader answers the end
                        // offset of the follower's last epoch (the start of its next epoch)
                        // without the epoch; the follower truncates to it if it is below its
                        // log end. After fast leader changes records of two epochs can sit
                        // at the same offsets on leader and follower (KIP-279, KAFKA-6361)
  high_watermark,       // before KIP-101: truncate to the follower's own high watermark (A6)
};

struct BrokerConfig {
  TimeNs replica_lag_time_max_ns = milliseconds(30'000);    // replica.lag.time.max.ms
  TimeNs replica_fetch_wait_max_ns = milliseconds(500);     // replica.fetch.wait.max.ms
  TimeNs replica_fetch_backoff_ns = milliseconds(1'000);    // replica.fetch.backoff.ms (after an error)
  std::uint32_t replica_fetch_max_records = 500;            // stands in for replica.fetch.max.bytes
  TimeNs replica_socket_timeout_ns = milliseconds(30'000);  // replica.socket.timeout.ms: a follower's unanswered fetch is retried
  TimeNs broker_heartbeat_interval_ns = milliseconds(2'000);  // broker.heartbeat.interval.ms (KRaft)
  TimeNs broker_session_timeout_ns = milliseconds(9'000);     // broker.session.timeout.ms (KRaft)
  bool unclean_leader_election_enable = false;              // unclean.leader.election.enable
  std::uint32_t min_insync_replicas = 1;                    // min.insync.replicas
  bool strict_min_isr = false;                              // KIP-966: HW frozen while ISR < min.insync.replicas
  LogTruncation log_truncation = LogTruncation::leader_epoch;
  // The controller notices a broker that restarted before its session expired (a
  // "bounced" broker) and drops it from every ISR until it is back in sync: KRaft's
  // registration with a new incarnation, and in ZooKeeper mode KIP-380's broker epoch
  // (Kafka 2.2, KAFKA-7235). false: ZooKeeper-era controllers before 2.2, where a quickly
  // restarted follower kept its ISR memberships and could win a clean election with
  // whatever its log held after the restart (KIP-101's first scenario).
  bool bounced_broker_detection = true;
  // eligible.leader.replicas.version=1 (KIP-966 part 1; Kafka 4.0, on by default for new
  // clusters from 4.1): replicas that leave the ISR while it is below min.insync.replicas
  // hold every committed record (the high watermark is frozen then) and stay eligible to
  // lead; one that restarts after an unclean shutdown is no longer eligible. Implies
  // strict.min.isr.
  bool eligible_leader_replicas = false;
  // transaction.partition.verification.enable (KIP-890 part 1, Kafka 3.6, default true): the
  // leader of a partition asks the transaction coordinator, before the first transactional
  // write of a producer there, whether the partition is in that producer's ongoing
  // transaction, and refuses the write if not. false (and every version before 3.6): a late
  // produce of an aborted transaction is appended after its abort marker and starts a
  // transaction no marker ends (a "hanging transaction"), or is committed by the next one.
  bool transaction_partition_verification_enable = true;
  // KIP-951 (Kafka 3.7): a NOT_LEADER_OR_FOLLOWER answer to a produce request (v10) or a
  // fetch (v16) names the partition's current leader and leader epoch, as the broker knows them: from its own
  // replica, else from its metadata cache (KafkaApis.getCurrentLeader). false (before 3.7):
  // the answer names nothing, and the client learns the new leader from a metadata request.
  bool current_leader_in_errors = true;
  // __transaction_state, the transaction coordinators' log (KIP-98; Kafka docs, broker
  // configs, 0.11 to 4.1): a transactional id's coordinator is the leader of partition
  // abs(hashCode(transactional.id)) % num.partitions. Kafka's defaults are 50 partitions,
  // replication factor 3, min ISR 2. Simplification: 1 partition by default (as the one
  // offsets partition), and a replication factor of 0 means min(3, brokers), as for the
  // offsets partition; min.isr is capped at the replication factor.
  std::uint32_t transaction_state_partitions = 1;          // transaction.state.log.num.partitions
  std::uint32_t transaction_state_replication_factor = 0;  // transaction.state.log.replication.factor; 0: min(3, brokers)
  std::uint32_t transaction_state_min_isr = 2;             // transaction.state.log.min.isr
  std::uint64_t flush_messages = 0;                         // flush.messages; 0 = never (Kafka's Long.MAX_VALUE)
  TimeNs flush_ns = 0;                                      // flush.ms; 0 = never
  TimeNs os_flush_interval_ns = milliseconds(5'000);        // the OS writing back dirty pages (dirty_expire ~ 5-30 s)
  // How long a new leader of __consumer_offsets or __transaction_state takes to load the
  // coordinator's state from its replica (GroupMetadataManager.loadGroupsAndOffsets,
  // TransactionStateManager.loadTransactionMetadata, Kafka 0.11 to 4.1: a scheduled task that
  // reads the partition from its start to its log end; until it is done the coordinator
  // answers COORDINATOR_LOAD_IN_PROGRESS). Kafka has no knob for it (the time is whatever
  // reading the log takes; KIP-484's partition-load-time metrics measure it), so these two
  // are ksim's own: base + per_entry x the entries read; an empty log loads at once.
  TimeNs coordinator_load_base_ns = milliseconds(20);       // ksim.coordinator.load.base
  TimeNs coordinator_load_per_entry_ns = microseconds(10);  // ksim.coordinator.load.per.entry
};

struct TopicConfig {
  std::string name = "events";
  std::uint32_t partitions = 1;
  std::uint32_t replication_factor = 1;
  std::int32_t min_insync_replicas = -1;  // -1: the broker's min.insync.replicas
  // Pinned by the scenario (`replica.assignment`): broker indexes per partition, preferred
  // leader first; empty: drawn per seed as Kafka's default placement does.
  std::vector<std::vector<std::uint32_t>> replica_assignment = {};
};

enum class Partitioner : std::uint8_t { sticky, round_robin, uniform };

struct ProducerConfig {
  Acks acks = Acks::all;                                    // acks
  std::uint32_t retries = 2'147'483'647;                    // retries
  TimeNs retry_backoff_ns = milliseconds(100);              // retry.backoff.ms
  // retry.backoff.max.ms (KIP-580, clients 3.7+): a batch's retries back off exponentially
  // up to this (client/retry_backoff.h); before 3.7 (exponential_retry_backoff false) every
  // retry waits retry.backoff.ms.
  TimeNs retry_backoff_max_ns = milliseconds(1000);
  bool exponential_retry_backoff = true;
  // KAFKA-15415 (KIP-951, clients 3.7+): a batch retried to a partition whose metadata shows
  // a newer leader epoch than its last attempt's goes at once, without its backoff.
  bool retry_to_new_leader_skips_backoff = true;
  // KIP-951 (clients 3.7+): a NOT_LEADER_OR_FOLLOWER answer naming a leader with a newer
  // epoch than the producer's metadata has moves the partition to it at once
  // (Sender.completeBatch, Metadata.updatePartitionLeadership); the client still asks for
  // a metadata update. Before 3.7 it waits for the metadata answer.
  bool leader_from_error_answers = true;
  TimeNs request_timeout_ns = milliseconds(30'000);         // request.timeout.ms
  TimeNs delivery_timeout_ns = milliseconds(120'000);       // delivery.timeout.ms
  std::uint32_t max_in_flight_requests_per_connection = 5;  // max.in.flight.requests.per.connection
  bool enable_idempotence = true;                           // enable.idempotence
  bool enable_idempotence_explicit = false;                 // set by the user (conflicts are errors then)
  TimeNs linger_ns = milliseconds(5);                       // linger.ms
  std::uint32_t batch_size_bytes = 16'384;                  // batch.size
  // max.request.size: a produce request takes no further batch once this would be passed
  // (RecordAccumulator.drainBatchesForOneNode; the first batch always goes).
  std::uint32_t max_request_size_bytes = 1'048'576;
  Partitioner partitioner = Partitioner::sticky;            // for records without a key
  TimeNs metadata_max_age_ns = milliseconds(300'000);       // metadata.max.age.ms
  // metadata.leader.epoch.check (ksim's knob; the Java client's behaviour by version): a
  // metadata answer older than the leader epoch already seen for a partition is ignored
  // (KAFKA-7738, Kafka 2.2.0; client/metadata_refresh.h). false: every answer is taken.
  bool metadata_leader_epoch_check = true;
  std::string transactional_id;                             // transactional.id; empty: none (Kafka's null)
  TimeNs transaction_timeout_ns = milliseconds(60'000);     // transaction.timeout.ms
  // buffer.memory: what the accumulator may hold; each new batch takes max(batch.size,
  // record size) of it until the batch completes (RecordAccumulator.append, BufferPool).
  std::uint64_t buffer_memory_bytes = 33'554'432;
  TimeNs max_block_ns = milliseconds(60'000);                // max.block.ms
};

// What the application around the producer does.
struct ProducerWorkload {
  std::string name = "producer";
  std::uint32_t count = 1;                 // producers in the group
  std::string topic = "events";
  std::uint64_t messages = 1'000;          // per producer
  double rate_per_second = 1'000;          // per producer
  std::uint32_t message_size_bytes = 100;
  std::uint64_t key_space = 0;             // 0: records without a key
  double zipf_exponent = 0;                // 0: keys drawn uniformly; > 0: Zipf with this exponent
  bool resend_unacknowledged_after_restart = true;
  // With transactional.id: the application commits after this many sends (and at the end
  // of the workload), and aborts instead with this probability.
  std::uint32_t transaction_messages = 10;
  double transaction_abort_probability = 0;
  // Messages that may wait in the application while send() cannot take them (the
  // scenario's `application_queue`); 0: no bound. An arrival finding it full is not sent.
  std::uint64_t application_queue_max_messages = 0;
  ProducerConfig config;
};

// KRaft's controller quorum (KIP-595, KIP-631; Kafka 3.x/4.x docs, "KRaft" section and
// the controller.quorum.* configs). Defaults are Kafka's.
inline constexpr std::uint32_t kMaxControllers = 9;  // Kafka has no hard bound; 3 or 5 is usual
struct ControllerQuorumConfig {
  // controller.quorum.election.timeout.ms (1000): a candidate waits a random time in
  // [timeout, 2 x timeout) for votes before it tries again in a new epoch.
  TimeNs election_timeout_ns = milliseconds(1000);
  // controller.quorum.fetch.timeout.ms (2000): a voter that hears nothing from the leader
  // this long becomes a candidate; a leader that hears from no majority this long resigns
  // (KAFKA-15489, Kafka 3.7.0).
  TimeNs fetch_timeout_ns = milliseconds(2000);
  // KRaft's followers long-poll the leader's log (Fetch, at most 500 ms of waiting): the
  // leader answers at once when it appends and every 500 ms otherwise.
  TimeNs fetch_wait_max_ns = milliseconds(500);
};

struct ClusterConfig {
  // The controller quorum's voters (`cluster.controllers`). 1 (the default) keeps the
  // bundled library as it was; 3 is Kafka's usual production quorum.
  std::uint32_t controllers = 1;
  ControllerQuorumConfig quorum;
  std::uint32_t brokers = 3;
  std::vector<std::string> broker_racks;  // empty, or one rack per broker
  // Pinned phases of the brokers' page-cache writebacks (`os.flush.phases`,
  // broker/os_writeback.h), in broker order, each in [0, os.flush.interval); a broker past
  // the list's end, or with -1, draws its own from its stream.
  std::vector<TimeNs> os_flush_phases_ns;
  BrokerConfig broker;
  std::vector<TopicConfig> topics{TopicConfig{}};
};

}  // namespace ksim::kafka
