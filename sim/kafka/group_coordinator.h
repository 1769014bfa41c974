#pragma once
// The group coordinator: membership, generations and partition assignment of consumer
// groups, and their committed offsets. Members join, heartbeat every
// heartbeat.interval.ms and are evicted after session.timeout.ms of silence; every
// change of membership is a rebalance (a new generation, partitions reassigned by the
// range assignor over the members in node order). Offsets are committed per group and
// partition; a commit from an older generation is refused, as Kafka refuses it
// (CommitFailedException), so its records are delivered again to their new owner.
//
// Simplification: the coordinator lives on the controller node, which does not fail, so
// committed offsets are never lost (Kafka's replicated __consumer_offsets keeps them too).
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/kafka/node_context.h"

namespace ksim::kafka {

struct GroupSettings {
  std::uint32_t partitions = 1;
  TimeNs session_timeout_ns = milliseconds(45'000);
};

class GroupCoordinator {
 public:
  GroupCoordinator(NodeIndex node, std::vector<GroupSettings> groups);

  // Handles a group or offset message; false if the payload is not one.
  bool on_message(NodeContext& context, NodeIndex from, const Payload& payload);
  // Evicts members whose session expired (called on the controller's periodic timer).
  void check_sessions(NodeContext& context);

  const std::map<std::pair<std::uint32_t, std::uint32_t>, Offset>& committed_offsets() const { return offsets_; }

 private:
  struct Group {
    GroupSettings settings;
    std::int32_t generation = 0;
    std::map<NodeIndex, TimeNs> members;  // node -> last heartbeat (ordered: assignment order)
  };

  void rebalance(NodeContext& context, std::uint32_t group);

  NodeIndex node_;
  std::vector<Group> groups_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Offset> offsets_;  // (group, partition) -> next offset
};

}  // namespace ksim::kafka
