#include "sim/kafka/coordinator/group_coordinator.h"

#include <algorithm>
#include <iterator>

#include "sim/core/assert.h"
#include "sim/history/records.h"

namespace ksim::kafka {

GroupCoordinator::GroupCoordinator(NodeId node, std::vector<GroupSettings> groups) : node_(node) {
  for (const GroupSettings& settings : groups) groups_.push_back(Group{settings, Generation{}, {}});
}

bool GroupCoordinator::is_group_request(const Payload& payload) {
  return std::holds_alternative<JoinGroupRequest>(payload) || std::holds_alternative<LeaveGroupRequest>(payload) ||
         std::holds_alternative<GroupHeartbeat>(payload) || std::holds_alternative<TxnOffsetCommitRequest>(payload) || std::holds_alternative<MultiOffsetFetchRequest>(payload) ||
         std::holds_alternative<MultiOffsetCommitRequest>(payload);
}

void GroupCoordinator::activate(NodeContext& context, const ReplicaLog& log, LeaderEpoch epoch) {
  KSIM_ASSERT(epoch >= LeaderEpoch{} && epoch < LeaderEpoch{1 << 15}, "offsets partition leader epoch {} out of the generation range", epoch);
  deactivate();
  active_ = true;
  // The bootstrap's leader has epoch 1: a load at a later epoch is a failover.
  if (epoch > LeaderEpoch{1}) context.probe(history::Probe::coordinator_failover);
  first_generation_ = Generation{epoch.value() << 16};
  for (Group& group : groups_) {
    group.generation = std::max(group.generation, first_generation_);
    group.adopting = true;
  }
  // To the log end, as Kafka's loader reads __consumer_offsets: a clean election's new
  // leader never truncates what it holds, and its own high watermark may lag the old
  // leader's, which had acknowledged those commits already.
  for (; applied_end_ < log.log_end_offset(); ++applied_end_) committed_.apply(log.at(applied_end_));
  context.record(history::coordinator_loaded({.broker = NodeId{node_},
                                              .leader_epoch = epoch,
                                              .entries_replayed = applied_end_.value(),
                                              .offsets_loaded = committed_.offsets().size()}));
  for (const auto& [key, committed] : committed_.offsets()) {
    context.record(history::committed_offset_loaded({.broker = NodeId{node_},
                                                     .group = GroupIndex{key.first},
                                                     .partition = PartitionId{key.second},
                                                     .offset = committed.offset,
                                                     .leader_epoch = epoch}));
  }
}

void GroupCoordinator::begin_load() {
  deactivate();
  loading_ = true;
}

void GroupCoordinator::deactivate() {
  active_ = false;
  loading_ = false;
  for (Group& group : groups_) group.members.clear();
  committed_ = CommittedOffsets{};
  applied_end_ = Offset{};
  pending_answers_.clear();  // their requesters time out and find the new coordinator
  pending_commits_.clear();
}

void GroupCoordinator::on_high_watermark(NodeContext& context, const ReplicaLog& log) {
  if (!active_) return;
  for (; applied_end_ < log.high_watermark(); ++applied_end_) {
    // Offsets sent to a transaction count as the member's commits once it commits.
    for (const OffsetCommitValue& value : committed_.apply(log.at(applied_end_))) {
      context.record(history::offset_committed({.consumer = value.member,
                                                .group = GroupIndex{value.group},
                                                .partition = value.partition,
                                                .offset = value.offset,
                                                .stage = history::CommitStage::sent}));
    }
  }
  std::erase_if(pending_answers_, [&](PendingAnswer& pending) {
    if (pending.end_offset > applied_end_) return false;
    if (pending.answer) reply(context, pending.to, std::move(*pending.answer));
    return true;
  });
}

bool GroupCoordinator::append_commit(NodeContext& context, NodeId from, const LogEntry& entry,
                                     const AppendOffsetsEntry& append, std::optional<Payload> answer,
                                     Payload refused, Payload fenced) {
  const Offset offset = append(entry);
  if (offset < Offset{}) {
    reply(context, from, offset == kOffsetsEntryFenced ? std::move(fenced) : std::move(refused));
    return false;
  }
  const OffsetCommitValue value = decode_offset_commit(entry);
  pending_answers_.push_back(PendingAnswer{offset + 1, from, std::move(answer), {value.group, value.partition}});
  return true;
}

void GroupCoordinator::refuse(NodeContext& context, NodeId from, const Payload& payload) const {
  const ErrorCode error = loading_ ? ErrorCode::coordinator_load_in_progress : ErrorCode::not_coordinator;
  if (loading_ && !std::holds_alternative<LeaveGroupRequest>(payload) && !std::holds_alternative<GroupHeartbeat>(payload)) {
    context.probe(history::Probe::coordinator_load_in_progress);
  }
  if (const auto* join = std::get_if<JoinGroupRequest>(&payload)) {
    context.send(node_, from, GroupHeartbeatResponse{join->group, true, error});
  } else if (const auto* heartbeat = std::get_if<GroupHeartbeat>(&payload)) {
    // "the group is still loading, so respond just blindly" (GroupCoordinator.handleHeartbeat).
    context.send(node_, from,
                 loading_ ? GroupHeartbeatResponse{heartbeat->group, false, ErrorCode::none}
                          : GroupHeartbeatResponse{heartbeat->group, true, error});
  } else if (const auto* commit = std::get_if<TxnOffsetCommitRequest>(&payload)) {
    context.send(node_, from, TxnOffsetCommitResponse{commit->request_id, error});
  } else if (const auto* fetch = std::get_if<MultiOffsetFetchRequest>(&payload)) {
    context.send(node_, from, MultiOffsetFetchResponse{fetch->request_id, error, {}});
  } else if (const auto* commits = std::get_if<MultiOffsetCommitRequest>(&payload)) {
    MultiOffsetCommitResponse refused{commits->request_id, {}};
    for (const OffsetCommitRequest& commit : commits->partitions) {
      refused.partitions.push_back(OffsetCommitResponse{commit.partition, commit.request_id, error, commit.offset});
    }
    context.send(node_, from, std::move(refused));
  }
  // LeaveGroup has no answer in this model: the member is gone either way.
}

void GroupCoordinator::on_message(NodeContext& context, NodeId from, const Payload& payload,
                                  const AppendOffsetsEntry& append) {
  KSIM_ASSERT(active_, "group request handled by broker node {} that is not the coordinator", node_);
  if (const auto* join = std::get_if<JoinGroupRequest>(&payload)) {
    KSIM_ASSERT(join->group < groups_.size(), "join of unknown group {}", join->group);
    Group& group = groups_[join->group];
    if (group.adopting && adopt(context, group, from, *join, first_generation_)) {
      const Member& adopted = group.members.at(from);
      context.send(node_, from, GroupAssignment{join->group, group.generation, adopted.assignment});
      return;
    }
    // A member of the current generation joining again with what it was given (it lost
    // track of the coordinator and found it again): as Kafka answers a known member whose
    // metadata did not change in a stable group, it gets its assignment back, no rebalance.
    if (const auto known = group.members.find(from); known != group.members.end() &&
        join->generation == group.generation && known->second.assignment_generation == group.generation &&
        known->second.unconfirmed_revocations.empty() && join->owned == known->second.assignment) {
      known->second.last_heartbeat_ns = context.now();
      context.send(node_, from, GroupAssignment{join->group, group.generation, known->second.assignment});
      return;
    }
    Member& member = group.members[from];
    member.last_heartbeat_ns = context.now();
    confirm(member, join->generation);
    // KIP-429: a joining member lists what it still owns; a partition it was asked to give
    // up and no longer lists is released, whatever generation it acted on (its rejoin can
    // be a generation behind when rebalances follow each other).
    std::erase_if(member.unconfirmed_revocations, [&](PartitionId p) {
      return !std::binary_search(join->owned.begin(), join->owned.end(), p);
    });
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
                 GroupHeartbeatResponse{heartbeat->group, !known || heartbeat->generation != group.generation,
                                        ErrorCode::none});
    // The member gave partitions up but its rejoin did not arrive first: the follow-up
    // rebalance hands them to their new owners all the same.
    if (released && is_cooperative(group.settings.strategy)) rebalance(context, heartbeat->group);
  } else if (const auto* commit = std::get_if<TxnOffsetCommitRequest>(&payload)) {
    const Group& group = groups_.at(commit->group);
    const bool stale = commit->generation != group.generation || group.members.count(from) == 0;
    if (stale) {
      context.send(node_, from, TxnOffsetCommitResponse{commit->request_id, ErrorCode::illegal_generation});
      return;
    }
    // The offsets are appended together; the last one's answer, once the high watermark
    // passes it, answers for all (the log replicates in order).
    KSIM_ASSERT(!commit->offsets.empty(), "member {} sent a TxnOffsetCommit without offsets", from);
    for (std::size_t i = 0; i < commit->offsets.size(); ++i) {
      const TxnOffset& part = commit->offsets[i];
      const LogEntry entry = offset_commit_entry(
          OffsetCommitValue{commit->group, part.partition, part.offset, from, part.leader_epoch}, LeaderEpoch{},
          commit->producer_id, commit->producer_epoch);
      const bool last = i + 1 == commit->offsets.size();
      const bool appended = append_commit(
          context, from, entry, append,
          last ? std::optional<Payload>{TxnOffsetCommitResponse{commit->request_id, ErrorCode::none}} : std::nullopt,
          TxnOffsetCommitResponse{commit->request_id, ErrorCode::not_enough_replicas},
          TxnOffsetCommitResponse{commit->request_id, ErrorCode::producer_fenced});
      if (!appended) break;  // refused: answered once, the rest not appended
    }
  } else if (const auto* commits = std::get_if<MultiOffsetCommitRequest>(&payload)) {
    if (commits->partitions.empty()) return;
    pending_commits_.expect(from, commits->request_id, commits->partitions.size());
    for (const OffsetCommitRequest& commit : commits->partitions) commit_offset(context, from, commit, append);
  } else if (const auto* fetches = std::get_if<MultiOffsetFetchRequest>(&payload)) {
    MultiOffsetFetchResponse answer{fetches->request_id, ErrorCode::none, {}};
    answer.partitions.reserve(fetches->partitions.size());
    for (const OffsetFetchRequest& fetch : fetches->partitions) answer.partitions.push_back(committed_offset(fetch));
    context.send(node_, from, std::move(answer));
  }
}

void GroupCoordinator::commit_offset(NodeContext& context, NodeId from, const OffsetCommitRequest& commit,
                                     const AppendOffsetsEntry& append) {
  const Group& group = groups_.at(commit.group);
  const bool member = group.members.count(from) > 0;
  const bool earlier_coordinator = commit.generation < first_generation_ && !member;
  const bool stale = commit.generation >= Generation{} && !earlier_coordinator &&
                     (commit.generation != group.generation || !member);
  OffsetCommitResponse answer{commit.partition, commit.request_id, ErrorCode::none, commit.offset};
  if (stale) {
    answer.error = ErrorCode::illegal_generation;
    reply(context, from, answer);
    return;
  }
  OffsetCommitResponse refused = answer;
  refused.error = ErrorCode::not_enough_replicas;
  const LogEntry entry = offset_commit_entry(OffsetCommitValue{commit.group, commit.partition, commit.offset, from, commit.leader_epoch},
                                             LeaderEpoch{}, kNoProducerId, ProducerEpoch{0});
  append_commit(context, from, entry, append, Payload{answer}, refused, refused);  // no producer epoch to fence
}

void GroupCoordinator::reply(NodeContext& context, NodeId to, Payload payload) {
  std::optional<MultiOffsetCommitResponse> whole;
  const auto* part = std::get_if<OffsetCommitResponse>(&payload);
  if (part == nullptr || !pending_commits_.take(to, *part, whole)) {
    context.send(node_, to, std::move(payload));
  } else if (whole) {
    context.send(node_, to, std::move(*whole));
  }
}

OffsetFetchResponse GroupCoordinator::committed_offset(const OffsetFetchRequest& fetch) const {
  const GroupPartition key{fetch.group, fetch.partition};
  const auto found = committed_.offsets().find(key);
  const bool known = found != committed_.offsets().end();
  // A commit not replicated yet, or one an open transaction holds, makes the answer
  // unstable: the consumer asks again (KIP-447's require_stable).
  const bool replicating = std::any_of(pending_answers_.begin(), pending_answers_.end(),
                                       [&](const PendingAnswer& pending) { return pending.commit == key; });
  return OffsetFetchResponse{fetch.partition, known ? found->second.offset : kNoOffsetPosition,
                             replicating || committed_.unstable(fetch.group, fetch.partition),
                             known ? found->second.leader_epoch : kNoLeaderEpoch};
}

bool GroupCoordinator::adopt(NodeContext& context, Group& group, NodeId from, const JoinGroupRequest& join,
                             Generation first_generation) {
  const bool earlier = join.generation >= Generation{} && join.generation < first_generation;
  const bool agrees = group.members.empty() || join.generation == group.generation;
  if (!earlier || !agrees || group.members.count(from) > 0) return false;
  for (const auto& [node, member] : group.members) {
    for (const PartitionId p : join.owned) {
      if (std::binary_search(member.assignment.begin(), member.assignment.end(), p)) return false;  // claimed twice
    }
  }
  group.generation = join.generation;
  Member& member = group.members[from];
  member.last_heartbeat_ns = context.now();
  member.assignment = join.owned;
  member.assignment_generation = join.generation;
  return true;
}

void GroupCoordinator::check_sessions(NodeContext& context) {
  if (!active_) return;
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

bool GroupCoordinator::confirm(Member& member, Generation generation) {
  if (generation < member.assignment_generation || member.unconfirmed_revocations.empty()) return false;
  member.unconfirmed_revocations.clear();
  return true;
}

void GroupCoordinator::hold_back_transfers(const Group& group, std::vector<std::vector<PartitionId>>& target) {
  // may_hold[i]: what member i holds or may still hold; holders[p]: how many such members.
  std::vector<std::vector<PartitionId>> may_hold;
  std::vector<std::uint32_t> holders(group.settings.first_partition + group.settings.partitions, 0);
  for (const auto& [node, member] : group.members) {
    std::vector<PartitionId>& held = may_hold.emplace_back();
    std::set_union(member.assignment.begin(), member.assignment.end(), member.unconfirmed_revocations.begin(),
                   member.unconfirmed_revocations.end(), std::back_inserter(held));
    for (const PartitionId p : held) ++holders[p.index()];
  }
  for (std::size_t i = 0; i < target.size(); ++i) {
    std::erase_if(target[i], [&](PartitionId p) {
      const std::uint32_t own = std::binary_search(may_hold[i].begin(), may_hold[i].end(), p) ? 1 : 0;
      return holders[p.index()] > own;
    });
  }
}

void GroupCoordinator::rebalance(NodeContext& context, std::uint32_t group_index) {
  Group& group = groups_[group_index];
  // The first rebalance under this coordinator leaves the adopted generation behind.
  if (group.adopting) group.generation = std::max(group.generation, first_generation_);
  group.adopting = false;
  ++group.generation;
  if (group.members.empty()) return;
  // The assignors see the topic's own partition numbers; members hold global indexes.
  const std::uint32_t first = group.settings.first_partition;
  MemberPartitions owned;
  for (const auto& [node, member] : group.members) {
    std::vector<std::uint32_t>& in_topic = owned.emplace_back();
    for (const PartitionId p : member.assignment) in_topic.push_back(p.value() - first);
  }
  std::vector<std::vector<PartitionId>> target;
  for (const std::vector<std::uint32_t>& in_topic : assign_partitions(group.settings.strategy, group.settings.partitions, owned)) {
    std::vector<PartitionId>& partitions = target.emplace_back();
    for (const std::uint32_t p : in_topic) partitions.push_back(PartitionId{first + p});
  }
  if (is_cooperative(group.settings.strategy)) hold_back_transfers(group, target);
  std::size_t position = 0;
  for (auto& [node, member] : group.members) {
    std::vector<PartitionId>& next = target[position++];
    std::vector<PartitionId> taken_away;
    std::set_difference(member.assignment.begin(), member.assignment.end(), next.begin(), next.end(),
                        std::back_inserter(taken_away));
    std::vector<PartitionId> unconfirmed;
    std::set_union(member.unconfirmed_revocations.begin(), member.unconfirmed_revocations.end(),
                   taken_away.begin(), taken_away.end(), std::back_inserter(unconfirmed));
    member.unconfirmed_revocations = std::move(unconfirmed);
    member.assignment = std::move(next);
    member.assignment_generation = group.generation;
    context.send(node_, node, GroupAssignment{group_index, group.generation, member.assignment});
  }
}

}  // namespace ksim::kafka
