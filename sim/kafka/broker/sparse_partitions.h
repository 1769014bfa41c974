#pragma once
// State kept only for the partitions a node uses (issue 19: a broker of a 100-broker cluster
// with 10,000 partitions hosts about 300 of them, and kept a replica record for every one).
// A sorted array of (partition, slot) gives the iteration order and a dense slot table finds
// a partition in constant time; the values live in a deque, so a reference stays valid while
// others are added.
// Iteration runs in partition order, as a loop over a dense vector did, so replacing one
// with this changes no run.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "sim/core/ids.h"

namespace ksim::kafka {

// The first item of a vector sorted by `.partition` at or after `partition`.
template <class Items>
auto partition_lower_bound(Items& items, PartitionId partition) {
  return std::lower_bound(items.begin(), items.end(), partition,
                          [](const auto& item, PartitionId wanted) { return item.partition < wanted; });
}

template <class Value>
class SparsePartitions {
 public:
  Value* find(PartitionId partition) {
    const std::uint32_t slot = partition.index() < slot_of_.size() ? slot_of_[partition.index()] : 0;
    return slot == 0 ? nullptr : &values_[slot - 1];
  }
  const Value* find(PartitionId partition) const {
    return const_cast<SparsePartitions*>(this)->find(partition);
  }
  // The partition's value, default-constructed on first use.
  Value& operator[](PartitionId partition) {
    const auto at = lower_bound(partition);
    if (at != index_.end() && at->partition == partition) return values_[at->slot];
    index_.insert(at, Entry{partition, static_cast<std::uint32_t>(values_.size())});
    if (slot_of_.size() <= partition.index()) slot_of_.resize(partition.index() + 1, 0);
    slot_of_[partition.index()] = static_cast<std::uint32_t>(values_.size()) + 1;
    return values_.emplace_back();
  }
  std::size_t size() const { return values_.size(); }
  // fn(partition, value&) for every partition held, in increasing partition order. fn must
  // not add partitions.
  template <class Fn>
  void for_each(Fn&& fn) {
    for (const Entry& entry : index_) fn(entry.partition, values_[entry.slot]);
  }

 private:
  struct Entry {
    PartitionId partition{};
    std::uint32_t slot = 0;
  };
  typename std::vector<Entry>::iterator lower_bound(PartitionId partition) {
    return partition_lower_bound(index_, partition);
  }

  std::vector<Entry> index_;  // sorted by partition
  // Partition -> slot + 1 (0: not held), for find in constant time: 4 bytes per partition
  // up to the highest held (40 kB for 10,000), where the replica state is hundreds.
  std::vector<std::uint32_t> slot_of_;
  std::deque<Value> values_;  // in the order they were added
};

}  // namespace ksim::kafka
