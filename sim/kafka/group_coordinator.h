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
// Simplification: the coordinator lives on the controller node, which does not fail, so
// committed offsets are never lost (Kafka's replicated __consumer_offsets keeps them too).
// JoinGroup and SyncGroup are folded into one exchange: a rebalance does not wait for the
// other members to rejoin, it sends every member its new assignment at once.
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/kafka/consumer_config.h"
#include "sim/kafka/node_context.h"
#include "sim/kafka/partition_assignor.h"

namespace ksim::kafka {

struct GroupSettings {
  std::uint32_t partitions = 1;
  TimeNs session_timeout_ns = milliseconds(45'000);
  AssignmentStrategy strategy = AssignmentStrategy::range;
};

class GroupCoordinator {
 public:
  GroupCoordinator(NodeIndex node, std::vector<GroupSettings> groups);

  // Handles a group or offset message; false if the payload is not one.
  bool on_message(NodeContext& context, NodeIndex from, const Payload& payload);
  // Evicts members whose session expired (called on the controller's periodic timer).
  void check_sessions(NodeContext& context);

  const std::map<std::pair<std::uint32_t, std::uint32_t>, Offset>& committed_offsets() const { return offsets_; }
  // A transaction holding offsets (TxnOffsetCommit) ended: apply them on commit (recorded
  // as the member's commits), drop them on abort.
  void complete_transaction(NodeContext& context, std::uint32_t producer_id, bool commit);

 private:
  struct Member {
    TimeNs last_heartbeat_ns = 0;
    std::vector<std::uint32_t> assignment;  // the partitions last sent to it, ascending
    std::int32_t assignment_generation = -1;
    // Partitions taken away by an assignment the member has not confirmed yet: it may
    // still hold them, so (cooperative) nobody else gets them until it confirms.
    std::vector<std::uint32_t> unconfirmed_revocations;
  };
  struct Group {
    GroupSettings settings;
    std::int32_t generation = 0;
    std::map<NodeIndex, Member> members;  // ordered by node: the assignors' member order
  };

  // The member has acted on its assignments up to `generation`; true if that released
  // partitions held back from others.
  static bool confirm(Member& member, std::int32_t generation);
  void rebalance(NodeContext& context, std::uint32_t group);
  // Removes from `target` every partition that another member may still hold.
  static void hold_back_transfers(const Group& group, MemberPartitions& target);

  NodeIndex node_;
  std::vector<Group> groups_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Offset> offsets_;  // (group, partition) -> next offset
  struct PendingOffset {
    std::uint32_t group = 0;
    std::uint32_t partition = 0;
    Offset offset = 0;
    NodeIndex member = 0;
  };
  std::map<std::uint32_t, std::vector<PendingOffset>> pending_;  // producer id -> offsets of its open transaction
};

}  // namespace ksim::kafka
