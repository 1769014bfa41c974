#include "sim/kafka/faults/fault_triggers.h"

#include <bit>
#include <utility>

#include "sim/history/records.h"

namespace ksim::kafka {

FaultTriggers::FaultTriggers(const std::vector<FaultSpec>& faults, std::uint32_t partitions,
                             std::uint32_t replication_factor)
    : FaultTriggers(faults, std::vector<std::uint32_t>(partitions, replication_factor)) {}

FaultTriggers::FaultTriggers(const std::vector<FaultSpec>& faults, std::vector<std::uint32_t> replication_factors)
    : isr_size_(std::move(replication_factors)) {
  for (std::uint32_t f = 0; f < faults.size(); ++f) {
    if (faults[f].when.kind != TriggerKind::none) watches_.push_back(Watch{f, faults[f].when, false});
  }
}

void FaultTriggers::observe(const history::Record& record, std::vector<std::uint32_t>& fired) {
  using history::RecordKind;
  std::uint32_t isr_size_before = 0;
  if (record.kind == RecordKind::send_acknowledged) ++acknowledged_sends_;
  if (record.kind == RecordKind::isr_changed && record.partition < isr_size_.size()) {
    isr_size_before = isr_size_[record.partition];
    isr_size_[record.partition] = static_cast<std::uint32_t>(std::popcount(record.extra));
  }
  for (Watch& watch : watches_) {
    if (watch.fired || !holds(watch.trigger, record, isr_size_before)) continue;
    watch.fired = true;
    fired.push_back(watch.fault);
  }
}

bool FaultTriggers::holds(const FaultTrigger& trigger, const history::Record& record,
                          std::uint32_t isr_size_before) const {
  using history::RecordKind;
  const auto partition_matches = [&] { return !trigger.partition || *trigger.partition == record.partition; };
  switch (trigger.kind) {
    case TriggerKind::none:
      return false;
    case TriggerKind::acknowledged_sends:
      return record.kind == RecordKind::send_acknowledged && acknowledged_sends_ == trigger.count;
    case TriggerKind::isr_shrinks_to: {
      if (record.kind != RecordKind::isr_changed || !partition_matches()) return false;
      const auto size = static_cast<std::uint64_t>(std::popcount(record.extra));
      return size == trigger.count && isr_size_before > size;
    }
    case TriggerKind::leader_election:
      // Epoch 1 is the bootstrap's preferred leader, in place before the run starts.
      return record.kind == RecordKind::leader_elected && record.node != history::kNoNode && record.epoch > 1 &&
             partition_matches();
    case TriggerKind::transaction_prepare_commit:
      return record.kind == RecordKind::transaction_ended && history::as_transaction_ended(record).committed;
    case TriggerKind::consumer_commit: {
      if (record.kind != RecordKind::offset_committed) return false;
      const history::OffsetCommittedRecord commit = history::as_offset_committed(record);
      return commit.stage == history::CommitStage::sent &&
             (!trigger.group || *trigger.group == commit.group.value());
    }
  }
  return false;
}

}  // namespace ksim::kafka
