#include "sim/kafka/group_coordinator.h"

#include <algorithm>
#include <iterator>

#include "sim/core/assert.h"

namespace ksim::kafka {

GroupCoordinator::GroupCoordinator(NodeIndex node, std::vector<GroupSettings> groups) : node_(node) {
  for (const GroupSettings& settings : groups) groups_.push_back(Group{settings, 0, {}});
}

bool GroupCoordinator::on_message(NodeContext& context, NodeIndex from, const Payload& payload) {
  if (const auto* join = std::get_if<JoinGroupRequest>(&payload)) {
    KSIM_ASSERT(join->group < groups_.size(), "join of unknown group {}", join->group);
    Member& member = groups_[join->group].members[from];
    member.last_heartbeat_ns = context.now();
    confirm(member, join->generation);
    rebalance(context, join->group);
  } else if (const auto* leave = std::get_if<LeaveGroupRequest>(&payload)) {
    KSIM_ASSERT(leave->group < groups_.size(), "leave of unknown group {}", leave->group);
    if (groups_[leave->group].members.erase(from) > 0) rebalance(context, leave->group);
  } else if (const auto* heartbeat = std::get_if<GroupHeartbeat>(&payload)) {
    Group& group = groups_.at(heartbeat->group);
    const auto member = group.members.find(from);
    const bool known = member != group.members.end();
    bool released = false;
    if (known) {
      member->second.last_heartbeat_ns = context.now();
      released = confirm(member->second, heartbeat->generation);
    }
    context.send(node_, from,
                 GroupHeartbeatResponse{heartbeat->group, !known || heartbeat->generation != group.generation});
    // The member gave partitions up but its rejoin did not arrive first: the follow-up
    // rebalance hands them to their new owners all the same.
    if (released && is_cooperative(group.settings.strategy)) rebalance(context, heartbeat->group);
  } else if (const auto* commit = std::get_if<OffsetCommitRequest>(&payload)) {
    const Group& group = groups_.at(commit->group);
    const bool stale = commit->generation >= 0 &&
                       (commit->generation != group.generation || group.members.count(from) == 0);
    if (!stale) offsets_[{commit->group, commit->partition}] = commit->offset;
    context.send(node_, from,
                 OffsetCommitResponse{commit->partition, commit->request_id,
                                      stale ? ErrorCode::illegal_generation : ErrorCode::none});
  } else if (const auto* commit = std::get_if<TxnOffsetCommitRequest>(&payload)) {
    const Group& group = groups_.at(commit->group);
    const bool stale = commit->generation != group.generation || group.members.count(from) == 0;
    if (!stale) {
      auto& pending = pending_[commit->producer_id];
      std::erase_if(pending, [&](const PendingOffset& p) { return p.group == commit->group && p.partition == commit->partition; });
      pending.push_back(PendingOffset{commit->group, commit->partition, commit->offset, from});
    }
    context.send(node_, from,
                 TxnOffsetCommitResponse{commit->request_id, stale ? ErrorCode::illegal_generation : ErrorCode::none});
  } else if (const auto* fetch = std::get_if<OffsetFetchRequest>(&payload)) {
    const auto found = offsets_.find({fetch->group, fetch->partition});
    OffsetFetchResponse response{fetch->partition, found == offsets_.end() ? -1 : found->second, false};
    for (const auto& [producer_id, offsets] : pending_) {
      for (const PendingOffset& pending : offsets) {
        if (pending.group == fetch->group && pending.partition == fetch->partition) response.unstable = true;
      }
    }
    context.send(node_, from, response);
  } else {
    return false;
  }
  return true;
}

void GroupCoordinator::complete_transaction(NodeContext& context, std::uint32_t producer_id, bool commit) {
  const auto found = pending_.find(producer_id);
  if (found == pending_.end()) return;
  if (commit) {
    for (const PendingOffset& pending : found->second) {
      offsets_[{pending.group, pending.partition}] = pending.offset;
      history::Record record;
      record.kind = history::RecordKind::offset_committed;
      record.node = pending.member;
      record.partition = pending.partition;
      record.offset = pending.offset;
      record.extra = pending.group;
      record.detail = 1;
      context.record(record);
    }
  }
  pending_.erase(found);
}

void GroupCoordinator::check_sessions(NodeContext& context) {
  const TimeNs now = context.now();
  for (std::uint32_t g = 0; g < groups_.size(); ++g) {
    Group& group = groups_[g];
    const std::size_t before = group.members.size();
    std::erase_if(group.members, [&](const auto& member) {
      return now - member.second.last_heartbeat_ns > group.settings.session_timeout_ns;
    });
    if (group.members.size() != before) rebalance(context, g);
  }
}

bool GroupCoordinator::confirm(Member& member, std::int32_t generation) {
  if (generation < member.assignment_generation || member.unconfirmed_revocations.empty()) return false;
  member.unconfirmed_revocations.clear();
  return true;
}

void GroupCoordinator::hold_back_transfers(const Group& group, MemberPartitions& target) {
  // may_hold[i]: what member i holds or may still hold; holders[p]: how many such members.
  std::vector<std::vector<std::uint32_t>> may_hold;
  std::vector<std::uint32_t> holders(group.settings.partitions, 0);
  for (const auto& [node, member] : group.members) {
    std::vector<std::uint32_t>& held = may_hold.emplace_back();
    std::set_union(member.assignment.begin(), member.assignment.end(), member.unconfirmed_revocations.begin(),
                   member.unconfirmed_revocations.end(), std::back_inserter(held));
    for (const std::uint32_t p : held) ++holders[p];
  }
  for (std::size_t i = 0; i < target.size(); ++i) {
    std::erase_if(target[i], [&](std::uint32_t p) {
      const std::uint32_t own = std::binary_search(may_hold[i].begin(), may_hold[i].end(), p) ? 1 : 0;
      return holders[p] > own;
    });
  }
}

void GroupCoordinator::rebalance(NodeContext& context, std::uint32_t group_index) {
  Group& group = groups_[group_index];
  ++group.generation;
  if (group.members.empty()) return;
  MemberPartitions owned;
  for (const auto& [node, member] : group.members) owned.push_back(member.assignment);
  MemberPartitions target = assign_partitions(group.settings.strategy, group.settings.partitions, owned);
  if (is_cooperative(group.settings.strategy)) hold_back_transfers(group, target);
  std::size_t position = 0;
  for (auto& [node, member] : group.members) {
    std::vector<std::uint32_t>& next = target[position++];
    std::vector<std::uint32_t> taken_away;
    std::set_difference(member.assignment.begin(), member.assignment.end(), next.begin(), next.end(),
                        std::back_inserter(taken_away));
    std::vector<std::uint32_t> unconfirmed;
    std::set_union(member.unconfirmed_revocations.begin(), member.unconfirmed_revocations.end(),
                   taken_away.begin(), taken_away.end(), std::back_inserter(unconfirmed));
    member.unconfirmed_revocations = std::move(unconfirmed);
    member.assignment = std::move(next);
    member.assignment_generation = group.generation;
    context.send(node_, node, GroupAssignment{group_index, group.generation, member.assignment});
  }
}

}  // namespace ksim::kafka
