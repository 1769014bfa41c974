#pragma once
// A broker: the replicas it holds (leader or follower of each), replication by follower
// fetch, the high watermark, ISR tracking, produce handling under every acks setting,
// broker-side idempotence, heartbeats to the controller, and what survives a crash or a
// power failure. After the user partitions comes the offsets partition (__consumer_offsets-0):
// while it leads that partition the broker is the group coordinator, whose commits are
// entries of that log; then the __transaction_state partitions: while it leads one the
// broker is the transaction coordinator of the transactional ids hashed there
// (broker_transactions.cpp). The internal partitions write no history (no user data).
#include <cstdint>
#include <map>
#include <vector>
#include <utility>

#include "sim/kafka/config/config.h"
#include "sim/kafka/coordinator/group_coordinator.h"
#include "sim/kafka/coordinator/transaction_coordinator.h"
#include "sim/kafka/broker/controller_link.h"
#include "sim/kafka/broker/fetch_session.h"
#include "sim/kafka/broker/metadata_cache.h"
#include "sim/kafka/broker/os_writeback.h"
#include "sim/kafka/node/node_context.h"
#include "sim/kafka/broker/producer_state.h"
#include "sim/kafka/broker/sparse_partitions.h"
#include "sim/kafka/log/replica_log.h"
#include "sim/kafka/log/transaction_index.h"
#include "sim/kafka/wire/part_answers.h"

namespace ksim::kafka {

struct FollowerProgress {
  Offset log_end_offset = kNoOffsetPosition;          // -1: unknown since this broker became leader
  TimeNs last_caught_up_ns = 0;
  Offset leader_end_at_last_fetch{};  // Kafka's lastFetchLeaderLogEndOffset
  TimeNs last_fetch_ns = 0;
  // Caught up as of the follower's session's last fetch (a quiet SessionPartition): the two
  // times above are that fetch's, read from the session (Broker::last_caught_up_ns).
  bool caught_up_in_session = false;
};

struct PendingProduce {
  NodeId producer{};
  std::uint64_t request_id = 0;
  Offset base_offset{};
  Offset end_offset{};  // acknowledged once the high watermark reaches it
  bool marker = false;    // a transaction marker: answered with WriteTxnMarkersResponse
};

// A transactional produce waiting for the coordinator's answer to the leader's KIP-890
// verification (transaction_verification.cpp).
struct PendingVerification {
  NodeId producer{};
  ProduceRequest request;
  std::uint64_t verification_id = 0;
  // Kafka's VerificationGuard: a marker of this producer appended while the verification was
  // out ends the transaction it verified, so the write is refused even if the answer is yes.
  bool guard_broken = false;
  BrokerId coordinator{};  // the broker asked
};

struct PartitionReplica {
  ReplicaLog log;
  ProducerStateTable producer_states;
  TransactionIndex transactions;
  bool has_state = false;  // got a LeaderAndIsr in this incarnation
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch = kNoLeaderEpoch;
  std::int32_t partition_epoch = -1;
  std::vector<BrokerId> replicas;
  std::vector<BrokerId> isr;
  // Leader side.
  std::vector<FollowerProgress> followers;  // by BrokerId::index()
  std::vector<PendingProduce> pending_produces;
  std::vector<NodeId> consumer_sessions;  // the consumers whose fetch sessions hold it, sorted
  std::vector<PendingVerification> pending_verifications;  // oldest first, bounded
  bool alter_partition_in_flight = false;
  TimeNs alter_partition_sent_ns = 0;
  std::vector<BrokerId> proposed_isr;  // the in-flight AlterPartition's ISR
  // Follower side: the leader whose replica fetcher holds this partition, if any.
  BrokerId fetching_from = kNoBroker;
  std::uint64_t appends_since_flush = 0;
};

// Where a broker sits in its cluster, each number by name (issue 12: the constructor took
// four integers in a row).
struct BrokerPlacement {
  BrokerId index{};  // broker-1 is 0
  NodeId node{};       // its node in the network
  // The user topics' partitions, then the offsets partition, then any __transaction_state
  // partitions (world_build.cpp numbers them so).
  std::uint32_t partition_count = 0;
  std::uint32_t broker_count = 0;
  std::uint32_t min_insync_replicas = 1;          // the user topics' default
  std::uint32_t offsets_min_insync_replicas = 1;  // __consumer_offsets'
};

class Broker {
 public:
  Broker(const BrokerPlacement& placement, const BrokerConfig& config, std::vector<GroupSettings> groups = {});

  BrokerId index() const { return index_; }
  NodeId node() const { return node_; }
  // The partition's replica state; an empty one (no log, no state) for a partition this
  // broker does not host.
  const PartitionReplica& replica(PartitionId partition) const;
  std::uint32_t partition_count() const { return partition_count_; }
  // How many partitions this broker keeps replica state for (those it has been a replica of).
  std::size_t hosted_partition_count() const { return replicas_.size(); }
  PartitionId offsets_partition() const { return offsets_partition_; }
  const GroupCoordinator& coordinator() const { return coordinator_; }
  const TransactionCoordinator& transaction_coordinator() const { return transactions_; }
  // The last `state_partitions` partitions are __transaction_state's (after the offsets
  // partition); this broker coordinates `ids` when it leads their partition. Set before start.
  void host_transaction_state(std::vector<TransactionalIdSettings> ids, std::uint32_t state_partitions,
                              std::uint32_t min_insync_replicas);
  // Several topics (sim/kafka/config/topic_layout.h): each user partition's topic's
  // min.insync.replicas, by global partition index; unset, every user partition takes the
  // constructor's value.
  void set_topic_min_insync_replicas(std::vector<std::uint32_t> by_partition) {
    topic_min_insync_replicas_ = std::move(by_partition);
  }

  // The machine's page-cache writeback schedule (os_writeback.h); by default phase 0, the
  // first writeback one os.flush.interval after time 0. Set before start.
  void set_writeback(const WritebackSchedule& schedule) { writeback_ = schedule; }
  const WritebackSchedule& writeback() const { return writeback_; }

  // Process start (first boot or restart): heartbeats, the OS flush timer (the next instant
  // of the machine's writeback schedule).
  void start(NodeContext& context);
  // The process dies. Logs are kept (the page cache survives a process crash) unless
  // `power_failure`, which loses every replica's unflushed tail.
  void crash(NodeContext& context, bool power_failure);
  // Controlled shutdown (KRaft, KIP-631; Kafka docs 6.1 "Graceful shutdown"): the broker asks
  // the controller, in its heartbeats, to move its leaderships and take it out of every ISR;
  // once the controller says so it flushes its logs and stops. Abandoned if the operator
  // gives up before (the fault ends first): the broker carries on.
  void begin_controlled_shutdown(NodeContext& context);
  void abandon_controlled_shutdown() { shutting_down_ = false; }

  void on_message(NodeContext& context, NodeId from, const Payload& payload);
  void on_timer(NodeContext& context, const BrokerTimer& timer);

 private:
  std::uint32_t min_isr(PartitionId partition) const {
    if (partition == offsets_partition()) return offsets_min_insync_replicas_;
    if (partition > offsets_partition()) return state_min_insync_replicas_;
    return partition.index() < topic_min_insync_replicas_.size() ? topic_min_insync_replicas_[partition.index()]
                                                               : min_insync_replicas_;
  }
  // History describes the user topic: the offsets partition's log events are left out.
  bool recorded(PartitionId partition) const { return partition < offsets_partition(); }
  bool is_state_partition(PartitionId partition) const { return partition > offsets_partition(); }
  std::uint32_t state_index(PartitionId partition) const { return partition.value() - offsets_partition().value() - 1; }
  // Transactions (broker_transactions.cpp): the coordinator's appends to a state partition
  // (acks=all; -1 if refused), its requests, and the partitions' leaders its markers go to
  // (from this broker's metadata cache).
  Offset append_state_entry(NodeContext& context, std::uint32_t state_partition, LogEntry entry);
  TransactionCoordinator::AppendStateEntry state_appender(NodeContext& context);
  bool on_transaction_message(NodeContext& context, NodeId from, const Payload& payload);
  // A newer metadata image arrived from the controller.
  void on_metadata_update(NodeContext& context, const MetadataUpdate& update, NodeId from);
  // The transaction coordinator's markers go to the leaders the cache names now.
  void route_markers(NodeContext& context);
  void transaction_tick(NodeContext& context);
  // The transaction coordinator of a transactional id as the broker's metadata cache names it.
  BrokerId transaction_coordinator_of(std::uint32_t transactional_id) const;
  void fail_verifications_to(NodeContext& context, BrokerId coordinator);
  // The group coordinator's append to the offsets partition (acks=all); -1 if refused.
  Offset append_offsets_entry(NodeContext& context, LogEntry entry);
  // A coordinator's entry appended to an internal partition it leads, acks=all.
  Offset append_as_coordinator(NodeContext& context, PartitionId partition, LogEntry entry);

  // A producer's request for several partitions: each part as its own, one answer for all.
  void on_multi_produce(NodeContext& context, NodeId from, const MultiProduceRequest& request);
  // Every answer to a produce part goes here: held until its MultiProduceRequest is whole.
  void answer_produce(NodeContext& context, NodeId producer, ProduceResponse response);
  // KIP-951: names the partition's current leader in a NOT_LEADER_OR_FOLLOWER answer.
  void name_current_leader(ProduceResponse& response) const;
  void name_current_leader(FetchResponse& response, const PartitionReplica& local) const;
  std::pair<BrokerId, LeaderEpoch> current_leader(PartitionId partition, const PartitionReplica& local) const;
  // `verified`: the coordinator confirmed the partition is in the producer's transaction.
  void on_produce(NodeContext& context, NodeId from, const ProduceRequest& request, bool verified = false);
  // KIP-890 part 1 (transaction_verification.cpp).
  bool needs_verification(const PartitionReplica& replica, const ProduceRequest& request) const;
  void start_verification(NodeContext& context, NodeId from, const ProduceRequest& request);
  void on_verification(NodeContext& context, const AddPartitionsToTxnResponse& response);
  void drop_verifications(NodeContext& context, PartitionId partition);
  static void break_verification_guards(PartitionReplica& replica, ProducerId producer_id);
  // One partition's answer to a fetch; `can_wait` when it has nothing yet (a long poll may
  // wait for records). `arrival`: the fetch just came in, so a follower's fetch counts as its
  // progress (broker_fetch.cpp).
  struct FetchAnswer {
    FetchResponse response;
    bool can_wait = false;
  };
  FetchAnswer answer_fetch(NodeContext& context, NodeId from, const FetchRequest& request, bool arrival);
  FetchAnswer kip101_epoch_answer(NodeContext& context, NodeId from, const FetchRequest& request,
                                  const FetchResponse& error_response, bool arrival);
  // The leader's side of fetch sessions, a follower's or a consumer's (broker_fetch_session.cpp).
  void on_session_fetch(NodeContext& context, NodeId from, const SessionFetchRequest& request);
  void on_session_fetch_expiry(NodeContext& context, const timers::SessionFetchExpiry& expiry);
  LeaderFetchSession& session_of(NodeContext& context, NodeId from, bool from_follower);
  LeaderFetchSession* find_consumer_session(NodeId consumer);
  void reset_sessions();
  FetchRequest question(const LeaderFetchSession& session, const SessionPartition& cached) const;
  SessionFetchResponse evaluate_session(NodeContext& context, LeaderFetchSession& session, bool arrival, bool& news);
  void send_session_answer(NodeContext& context, LeaderFetchSession& session, SessionFetchResponse response);
  void complete_session(NodeContext& context, LeaderFetchSession& session);
  void answer_if_news(NodeContext& context, LeaderFetchSession& session);
  void wake_partition(LeaderFetchSession& session, SessionPartition& cached);
  void index_consumer_session(NodeId consumer, PartitionId partition, bool holds);
  void forget_partition(LeaderFetchSession& session, NodeId requester, PartitionId partition);
  void close_session(LeaderFetchSession& session, NodeId requester);
  // A partition led or formerly led here changed (records, high watermark, leadership, ISR):
  // the sessions holding it look at it again, and a parked one with news for it answers.
  void wake_sessions(NodeContext& context, PartitionId partition);
  bool follower_news(const PartitionReplica& replica, const FetchPosition& position) const;
  bool quiet_after(const PartitionReplica& replica, const LeaderFetchSession& session, const SessionPartition& cached,
                   const FetchAnswer& answer) const;
  TimeNs last_caught_up_ns(const FollowerProgress& progress, BrokerId follower) const;
  // The follower's side: its replica fetchers (broker_replica_fetcher.cpp).
  void follow(NodeContext& context, PartitionId partition);
  void unfollow(PartitionId partition);
  void send_replica_fetch(NodeContext& context, BrokerId leader);
  void on_replica_fetch_response(NodeContext& context, NodeId from, const SessionFetchResponse& response);
  void restart_fetcher(NodeContext& context, BrokerId leader, bool after_backoff);
  void on_replica_fetcher_timeout(NodeContext& context, const timers::ReplicaFetcherTimeout& timeout);
  void on_follower_fetch(NodeContext& context, BrokerId follower, const FetchRequest& request);
  void on_write_marker(NodeContext& context, NodeId from, const WriteTxnMarkersRequest& request);
  // The producer-state table and the transaction index follow the log after a truncation.
  void rebuild_producer_state(PartitionReplica& replica);
  // One partition of the replica fetcher's answer from `leader`.
  void on_fetch_response(NodeContext& context, BrokerId leader, const FetchResponse& response);
  void on_leader_and_isr(NodeContext& context, const LeaderAndIsr& decision);

  void become_leader(NodeContext& context, PartitionId partition);
  // A coordinator's internal partition led (broker_coordinator_load.cpp): its state loads for
  // ksim.coordinator.load.base + per.entry x entries, then the coordinator is active.
  void begin_coordinator_load(NodeContext& context, PartitionId partition);
  void on_coordinator_loaded(NodeContext& context, const timers::CoordinatorLoad& load);
  void finish_coordinator_load(NodeContext& context, PartitionId partition);
  void become_follower(NodeContext& context, PartitionId partition);
  void append_as_leader(NodeContext& context, PartitionId partition, const ProduceRequest& request,
                        Offset& base_offset);
  // Appends to the log and the producer-state cache, without a history record.
  Offset append_entry(PartitionId partition, const LogEntry& entry);
  void truncate(NodeContext& context, PartitionId partition, Offset offset, history::TruncationReason reason);
  // Counts the coverage probes of a truncation about to happen (sim/history/probes.h).
  static void probe_truncation(NodeContext& context, const PartitionReplica& replica, Offset offset,
                               history::TruncationReason reason);
  void maybe_advance_high_watermark(NodeContext& context, PartitionId partition);
  void complete_pending_produces(NodeContext& context, PartitionId partition);
  void fail_pending_produces(NodeContext& context, PartitionId partition, ErrorCode error);
  FetchResponse build_fetch_response(const PartitionReplica& replica, PartitionId partition,
                                     const FetchRequest& request) const;
  void check_isr(NodeContext& context, PartitionId partition);
  void request_isr_change(NodeContext& context, PartitionId partition, std::vector<BrokerId> new_isr);
  void maybe_flush(PartitionId partition);
  bool in_isr(const PartitionReplica& replica, BrokerId broker) const;
  // The replica of a partition this broker hosts, or nullptr.
  PartitionReplica* find_replica(PartitionId partition);
  // The replica of a partition this broker hosts (asserted).
  PartitionReplica& hosted(PartitionId partition);

  BrokerId index_;
  NodeId node_;
  BrokerConfig config_;
  WritebackSchedule writeback_;
  std::uint32_t brokers_;
  std::uint32_t min_insync_replicas_;
  std::uint32_t offsets_min_insync_replicas_;
  std::vector<std::uint32_t> topic_min_insync_replicas_;
  GroupCoordinator coordinator_;
  PartitionId offsets_partition_;
  TransactionCoordinator transactions_;
  std::vector<std::uint32_t> state_partition_of_id_;  // per transactional id
  std::uint32_t state_min_insync_replicas_ = 1;
  MetadataCache metadata_;  // what this broker learned from the controller (metadata_cache.h)
  std::uint32_t incarnation_ = 0;
  bool shutting_down_ = false;  // a controlled shutdown was asked for and not yet accepted
  ControllerLink controller_;     // the controller it talks to (controller_link.h)
  std::uint32_t partition_count_;
  // Replica state only for the partitions this broker hosts (issue 19): an entry is made by
  // the first LeaderAndIsr naming this broker a replica and kept for the process's life, as
  // its log is. Loops over it run in partition order, as over the dense vector it replaced.
  SparsePartitions<PartitionReplica> replicas_;
  std::uint64_t next_verification_id_ = 1;  // KIP-890 verification questions, for their answers
  std::vector<LeaderFetchSession> sessions_;  // by follower BrokerId::index(); process memory
  std::map<NodeId, LeaderFetchSession> consumer_sessions_;  // by consumer node; process memory
  std::vector<SessionFetcher> fetchers_;      // by leader BrokerId::index(); process memory
  std::uint64_t next_fetch_session_ = 0;     // the fetchers' session ids
  bool adding_partitions_ = false;           // within a LeaderAndIsrRequest: fetch after it
  PartAnswers<ProduceResponse> multi_produces_;  // produce requests of several parts (process memory)
  bool connection_reset_sent_ = false;  // acks=0: one reset per request, however many parts fail
};

}  // namespace ksim::kafka
