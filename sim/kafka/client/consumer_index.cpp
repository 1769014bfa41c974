// The consumer's indexes over its assigned partitions (issue 19): a lookup by partition, the
// count of partitions with a batch in processing, and the set of partitions with buffered
// fetch data. They answer what scanning every assigned partition answered before, at a cost
// that does not grow with how many partitions a member owns.
#include "sim/core/assert.h"
#include "sim/kafka/client/consumer.h"

namespace ksim::kafka {

namespace {
constexpr std::uint32_t kNotAssigned = 0;
}  // namespace

const AssignedPartition* Consumer::find(PartitionId partition) const {
  if (partition.index() >= assigned_slot_.size() || assigned_slot_[partition.index()] == kNotAssigned) return nullptr;
  return &assigned_[assigned_slot_[partition.index()] - 1];
}

AssignedPartition* Consumer::find(PartitionId partition) {
  return const_cast<AssignedPartition*>(std::as_const(*this).find(partition));
}

bool Consumer::caught_up(PartitionId partition, Offset end) const {
  const AssignedPartition* assigned = find(partition);
  if (assigned == nullptr) return false;
  // A transaction still open holds effects that are not visible yet.
  if (transactional() && transaction_.phase != TransactionPhase::ready) return false;
  // At the log's end, not past it: a member whose position is past the end has read records
  // the log has since lost (a truncation it has not seen yet). Its next fetch will show it
  // (KIP-320's divergence, or OFFSET_OUT_OF_RANGE), and it reads the offsets written again
  // from there; until then it has not processed what is there now.
  return assigned->processed_end == end && !assigned->batch_in_processing;
}

void Consumer::reindex_assigned() {
  std::fill(assigned_slot_.begin(), assigned_slot_.end(), kNotAssigned);
  batches_in_processing_ = 0;
  std::size_t buffered = 0;
  for (std::size_t slot = 0; slot < assigned_.size(); ++slot) {
    const AssignedPartition& assigned = assigned_[slot];
    if (assigned.partition.index() >= assigned_slot_.size()) assigned_slot_.resize(assigned.partition.index() + 1, kNotAssigned);
    assigned_slot_[assigned.partition.index()] = static_cast<std::uint32_t>(slot + 1);
    if (assigned.batch_in_processing) ++batches_in_processing_;
    if (assigned.buffered) ++buffered;
  }
  // The buffer keeps its order; partitions given up leave it.
  std::erase_if(buffered_partitions_, [&](PartitionId partition) {
    const AssignedPartition* assigned = find(partition);
    return assigned == nullptr || !assigned->buffered;
  });
  KSIM_ASSERT(buffered_partitions_.size() == buffered, "consumer {}: {} partitions hold fetched data, {} are in line",
              node_, buffered, buffered_partitions_.size());
}

void Consumer::append_assigned(PartitionId partition) {
  KSIM_ASSERT(find(partition) == nullptr, "consumer {} assigned partition {} twice", node_, partition);
  AssignedPartition assigned;
  assigned.partition = partition;
  assigned_.push_back(assigned);
  if (partition.index() >= assigned_slot_.size()) assigned_slot_.resize(partition.index() + 1, kNotAssigned);
  assigned_slot_[partition.index()] = static_cast<std::uint32_t>(assigned_.size());
}

void Consumer::set_batch_in_processing(AssignedPartition& assigned, bool in_processing) {
  if (assigned.batch_in_processing == in_processing) return;
  assigned.batch_in_processing = in_processing;
  if (in_processing) {
    ++batches_in_processing_;
  } else {
    KSIM_ASSERT(batches_in_processing_ > 0, "consumer {}: no batch in processing to end", node_);
    --batches_in_processing_;
  }
}

void Consumer::set_buffered(AssignedPartition& assigned, std::optional<FetchResponse> response, bool still_listed,
                            bool next_in_line) {
  if (assigned.buffered) {
    // It leaves the line: poll() takes the front; a seek or a reset takes any.
    if (buffered_partitions_.front() == assigned.partition) {
      buffered_partitions_.pop_front();
    } else {
      buffered_partitions_.erase(std::find(buffered_partitions_.begin(), buffered_partitions_.end(), assigned.partition));
    }
  }
  if (response) {
    if (!still_listed) stop_fetching(assigned);  // not fetched while it holds data poll() has not returned
    if (next_in_line) {
      buffered_partitions_.push_front(assigned.partition);
    } else {
      buffered_partitions_.push_back(assigned.partition);
    }
  }
  assigned.buffered = std::move(response);
}

}  // namespace ksim::kafka
