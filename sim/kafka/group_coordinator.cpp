#include "sim/kafka/group_coordinator.h"

#include "sim/core/assert.h"
#include "sim/kafka/consumer.h"

namespace ksim::kafka {

GroupCoordinator::GroupCoordinator(NodeIndex node, std::vector<GroupSettings> groups) : node_(node) {
  for (const GroupSettings& settings : groups) groups_.push_back(Group{settings, 0, {}});
}

bool GroupCoordinator::on_message(NodeContext& context, NodeIndex from, const Payload& payload) {
  if (const auto* join = std::get_if<JoinGroupRequest>(&payload)) {
    KSIM_ASSERT(join->group < groups_.size(), "join of unknown group {}", join->group);
    groups_[join->group].members[from] = context.now();
    rebalance(context, join->group);
  } else if (const auto* leave = std::get_if<LeaveGroupRequest>(&payload)) {
    KSIM_ASSERT(leave->group < groups_.size(), "leave of unknown group {}", leave->group);
    if (groups_[leave->group].members.erase(from) > 0) rebalance(context, leave->group);
  } else if (const auto* heartbeat = std::get_if<GroupHeartbeat>(&payload)) {
    Group& group = groups_.at(heartbeat->group);
    const auto member = group.members.find(from);
    const bool known = member != group.members.end();
    if (known) member->second = context.now();
    context.send(node_, from,
                 GroupHeartbeatResponse{heartbeat->group, !known || heartbeat->generation != group.generation});
  } else if (const auto* commit = std::get_if<OffsetCommitRequest>(&payload)) {
    const Group& group = groups_.at(commit->group);
    const bool stale = commit->generation >= 0 &&
                       (commit->generation != group.generation || group.members.count(from) == 0);
    if (!stale) offsets_[{commit->group, commit->partition}] = commit->offset;
    context.send(node_, from,
                 OffsetCommitResponse{commit->partition, commit->request_id,
                                      stale ? ErrorCode::illegal_generation : ErrorCode::none});
  } else if (const auto* fetch = std::get_if<OffsetFetchRequest>(&payload)) {
    const auto found = offsets_.find({fetch->group, fetch->partition});
    context.send(node_, from, OffsetFetchResponse{fetch->partition, found == offsets_.end() ? -1 : found->second});
  } else {
    return false;
  }
  return true;
}

void GroupCoordinator::check_sessions(NodeContext& context) {
  const TimeNs now = context.now();
  for (std::uint32_t g = 0; g < groups_.size(); ++g) {
    Group& group = groups_[g];
    const std::size_t before = group.members.size();
    std::erase_if(group.members, [&](const auto& member) {
      return now - member.second > group.settings.session_timeout_ns;
    });
    if (group.members.size() != before) rebalance(context, g);
  }
}

void GroupCoordinator::rebalance(NodeContext& context, std::uint32_t group_index) {
  Group& group = groups_[group_index];
  ++group.generation;
  const auto members = static_cast<std::uint32_t>(group.members.size());
  std::uint32_t position = 0;
  for (const auto& [member, last_heartbeat] : group.members) {
    context.send(node_, member,
                 GroupAssignment{group_index, group.generation,
                                 range_assignment(group.settings.partitions, members, position++)});
  }
}

}  // namespace ksim::kafka
