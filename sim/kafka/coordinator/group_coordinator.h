#pragma once
// The group coordinator: membership, generations and partition assignment of consumer
// groups, and their committed offsets. Members join, heartbeat every
// heartbeat.interval.ms and are evicted after session.timeout.ms of silence; every
// change of membership is a rebalance (a new generation, partitions reassigned by the
// group's partition.assignment.strategy over the members in node order). Offsets are
// committed per group and partition; a commit from an older generation is refused, as
// Kafka refuses it (CommitFailedException), so its records are delivered again to their
// new owner.
//
// Cooperative rebalancing (KIP-429): a partition that moves from one member to another
// is only taken from its old owner in one rebalance; the new owner gets it in a later
// rebalance, once the old owner has confirmed giving it up (it rejoins at once, or
// heartbeats at the new generation). So a partition never has two owners.
//
// It runs on the broker that leads the offsets partition (__consumer_offsets-0) and keeps
// committed offsets in that partition's log: a commit is appended there and answered once
// the high watermark passes it (acks=all), and the offsets it serves are a replay of the
// log (offsets_log.h): what it appends counts once replicated. A broker that becomes the
// leader loads them from its own replica, to its log end, and starts with no members:
// they come back to it. The load takes time (BrokerConfig's ksim.coordinator.load.*): until
// it is done JoinGroup, OffsetCommit, TxnOffsetCommit and OffsetFetch are answered
// COORDINATOR_LOAD_IN_PROGRESS and a heartbeat NONE, "blindly" (GroupCoordinator
// validateGroupStatus and handleHeartbeat, Kafka 0.11 to 3.x's classic coordinator).
// Simplifications: one offsets partition (Kafka has 50 and hashes the group id over them);
// group membership is not logged: instead a member that comes back to a new coordinator
// tells it its generation and partitions, and the coordinator adopts it without a
// rebalance while every returning member agrees (Kafka's new coordinator loads the same
// from the log); members that do not come back are evicted after session.timeout.ms.
// A rebalance under a new coordinator starts its generations at leader epoch x 2^16,
// above every earlier coordinator's. The coordinator takes an offset
// commit of an earlier coordinator's generation from a member that has not joined it yet
// (Kafka's new coordinator loads the generation and takes it; a member resends the
// commits the old one never answered before it rejoins). JoinGroup and SyncGroup are folded into one exchange: a rebalance does not wait for the
// other members to rejoin, it sends every member its new assignment at once.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "sim/kafka/config/consumer_config.h"
#include "sim/kafka/node/node_context.h"
#include "sim/kafka/coordinator/offsets_log.h"
#include "sim/kafka/coordinator/partition_assignor.h"
#include "sim/kafka/log/replica_log.h"
#include "sim/kafka/wire/part_answers.h"

namespace ksim::kafka {

struct GroupSettings {
  std::uint32_t partitions = 1;  // of the group's topic
  TimeNs session_timeout_ns = milliseconds(45'000);
  AssignmentStrategy strategy = AssignmentStrategy::range;
  // The global index of the topic's first partition (sim/kafka/config/topic_layout.h): the
  // assignors deal the topic's partitions 0..partitions-1, members are told global indexes.
  std::uint32_t first_partition = 0;
};

class GroupCoordinator {
 public:
  // Appends an entry to the offsets partition as its leader; returns its offset, or
  // kOffsetsEntryRefused when the partition refuses it (ISR below min.insync.replicas), or
  // kOffsetsEntryFenced for a transaction's commit from a producer epoch already fenced.
  using AppendOffsetsEntry = std::function<Offset(const LogEntry&)>;
  static constexpr Offset kOffsetsEntryRefused = kNoOffsetPosition;
  static constexpr Offset kOffsetsEntryFenced{-2};

  GroupCoordinator(NodeId node, std::vector<GroupSettings> groups);

  static bool is_group_request(const Payload& payload);
  bool active() const { return active_; }
  // This broker became the offsets partition's leader and started loading it.
  void begin_load();
  // This broker became the offsets partition's leader at `epoch`: load the offsets from
  // its whole log, with no members (they come back and are adopted).
  void activate(NodeContext& context, const ReplicaLog& log, LeaderEpoch epoch);
  // It lost the leadership or its process: members, waiting answers and the cache go.
  void deactivate();
  // The offsets partition's high watermark moved: apply what it passed, answer commits.
  void on_high_watermark(NodeContext& context, const ReplicaLog& log);
  // Handles a group or offset request (only while active).
  void on_message(NodeContext& context, NodeId from, const Payload& payload, const AppendOffsetsEntry& append);
  // A request that reached a broker that is not the coordinator: NOT_COORDINATOR, or while
  // it loads, COORDINATOR_LOAD_IN_PROGRESS.
  void refuse(NodeContext& context, NodeId from, const Payload& payload) const;
  // Evicts members whose session expired (called on the broker's periodic timer).
  void check_sessions(NodeContext& context);

  const std::map<GroupPartition, CommittedPosition>& committed_offsets() const { return committed_.offsets(); }

 private:
  struct Member {
    TimeNs last_heartbeat_ns = 0;
    std::vector<PartitionId> assignment;  // the partitions last sent to it, ascending
    Generation assignment_generation = kNoGeneration;
    // Partitions taken away by an assignment the member has not confirmed yet: it may
    // still hold them, so (cooperative) nobody else gets them until it confirms.
    std::vector<PartitionId> unconfirmed_revocations;
  };
  struct Group {
    GroupSettings settings;
    Generation generation{};
    std::map<NodeId, Member> members;  // ordered by node: the assignors' member order
    // Since this coordinator took over, no rebalance yet: members of the previous
    // coordinator's generation are adopted with their partitions as they come back.
    bool adopting = false;
  };
  // Adopts a member of the previous coordinator's last generation; false if it is not one.
  // One partition's commit of a MultiOffsetCommitRequest: refused if the member's generation
  // is stale, else appended and answered once replicated.
  void commit_offset(NodeContext& context, NodeId from, const OffsetCommitRequest& commit,
                     const AppendOffsetsEntry& append);
  // Every answer goes here: a part of a MultiOffsetCommitRequest waits for the others.
  void reply(NodeContext& context, NodeId to, Payload payload);
  // One partition's answer to an OffsetFetch: its committed offset, or unstable.
  OffsetFetchResponse committed_offset(const OffsetFetchRequest& fetch) const;
  static bool adopt(NodeContext& context, Group& group, NodeId from, const JoinGroupRequest& join,
                    Generation first_generation);

  // The member has acted on its assignments up to `generation`; true if that released
  // partitions held back from others.
  static bool confirm(Member& member, Generation generation);
  void rebalance(NodeContext& context, std::uint32_t group);
  // Removes from `target` every partition that another member may still hold.
  static void hold_back_transfers(const Group& group, std::vector<std::vector<PartitionId>>& target);

  // Appends a commit and queues `answer` (none: a later entry answers for it) for when the
  // high watermark passes it; answers at once with `refused` if the partition would not
  // take it, or `fenced` if it fenced the producer epoch of a transaction's commit, and
  // returns false.
  bool append_commit(NodeContext& context, NodeId from, const LogEntry& entry, const AppendOffsetsEntry& append,
                     std::optional<Payload> answer, Payload refused, Payload fenced);

  struct PendingAnswer {
    Offset end_offset{};  // sent once the high watermark reaches it
    NodeId to{};
    std::optional<Payload> answer;
    GroupPartition commit;  // what it commits: an offset fetch of it waits (require_stable)
  };

  NodeId node_;
  bool active_ = false;
  bool loading_ = false;  // leads the offsets partition, not loaded yet
  std::vector<Group> groups_;
  CommittedOffsets committed_;  // the replay of the offsets log
  Offset applied_end_{};      // entries below this offset are applied
  Generation first_generation_{};  // generations below it are an earlier coordinator's
  std::vector<PendingAnswer> pending_answers_;
  PartAnswers<OffsetCommitResponse> pending_commits_;  // members' commits of several partitions
};

}  // namespace ksim::kafka
