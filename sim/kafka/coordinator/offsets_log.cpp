#include "sim/kafka/coordinator/offsets_log.h"

#include <algorithm>
#include <limits>

#include "sim/core/assert.h"

namespace ksim::kafka {

namespace {
constexpr int kCommittedEpochShift = 44;  // message_id: offset + 1 below, leader epoch + 1 above
constexpr std::uint64_t kCommittedOffsetMask = (std::uint64_t{1} << kCommittedEpochShift) - 1;
constexpr LeaderEpoch kMaxCommittedEpoch{(1 << (64 - kCommittedEpochShift)) - 2};
}  // namespace

LogEntry offset_commit_entry(const OffsetCommitValue& value, LeaderEpoch leader_epoch, ProducerId producer_id,
                             ProducerEpoch producer_epoch) {
  KSIM_ASSERT(value.group <= std::numeric_limits<std::uint16_t>::max() &&
                  value.member.value() <= std::numeric_limits<std::uint16_t>::max() && value.offset >= Offset{},
              "offset commit (group {}, member {}, offset {}) does not fit a log entry", value.group, value.member,
              value.offset);
  KSIM_ASSERT(static_cast<std::uint64_t>(value.offset.value()) < kCommittedOffsetMask && value.leader_epoch >= kNoLeaderEpoch &&
                  value.leader_epoch <= kMaxCommittedEpoch,
              "offset commit (offset {}, leader epoch {}) does not fit a log entry", value.offset, value.leader_epoch);
  LogEntry entry;
  entry.message_id = (static_cast<std::uint64_t>(value.offset.value()) + 1) |
                     (static_cast<std::uint64_t>(value.leader_epoch.value() + 1) << kCommittedEpochShift);
  entry.leader_epoch = leader_epoch;
  entry.sequence = static_cast<std::int32_t>(value.partition.value());
  entry.set_producer(producer_id, producer_epoch);
  entry.index_in_batch = static_cast<std::uint16_t>(value.group);
  entry.batch_records = static_cast<std::uint16_t>(value.member.value());
  entry.flags = static_cast<std::uint8_t>(kOffsetCommitEntry | (producer_id != kNoProducerId ? kTransactionalEntry : 0));
  return entry;
}

OffsetCommitValue decode_offset_commit(const LogEntry& entry) {
  KSIM_ASSERT(entry.is_offset_commit(), "entry with flags {} is no offset commit", entry.flags);
  return OffsetCommitValue{entry.index_in_batch, PartitionId{static_cast<std::uint32_t>(entry.sequence)},
                           Offset{static_cast<std::int64_t>(entry.message_id & kCommittedOffsetMask) - 1}, NodeId{entry.batch_records},
                           LeaderEpoch{static_cast<std::int32_t>(entry.message_id >> kCommittedEpochShift) - 1}};
}

std::vector<OffsetCommitValue> CommittedOffsets::apply(const LogEntry& entry) {
  std::vector<OffsetCommitValue> made_visible;
  if (entry.is_marker()) {
    const auto found = pending_.find(entry.producer_id());
    if (found == pending_.end()) return made_visible;
    if ((entry.flags & kCommitMarker) != 0) {
      for (const OffsetCommitValue& value : found->second) {
        offsets_[{value.group, value.partition}] = CommittedPosition{value.offset, value.leader_epoch};
      }
      made_visible = std::move(found->second);
    }
    pending_.erase(found);
    return made_visible;
  }
  if (!entry.is_offset_commit()) return made_visible;
  const OffsetCommitValue value = decode_offset_commit(entry);
  if (!entry.is_transactional()) {
    offsets_[{value.group, value.partition}] = CommittedPosition{value.offset, value.leader_epoch};
    return made_visible;
  }
  // A later TxnOffsetCommit of the same transaction replaces the earlier one.
  std::vector<OffsetCommitValue>& pending = pending_[entry.producer_id()];
  std::erase_if(pending, [&](const OffsetCommitValue& p) { return p.group == value.group && p.partition == value.partition; });
  pending.push_back(value);
  return made_visible;
}

bool CommittedOffsets::unstable(std::uint32_t group, PartitionId partition) const {
  for (const auto& [producer_id, offsets] : pending_) {
    for (const OffsetCommitValue& value : offsets) {
      if (value.group == group && value.partition == partition) return true;
    }
  }
  return false;
}

}  // namespace ksim::kafka
