#include "sim/kafka/coordinator/partition_assignor.h"

#include <algorithm>

#include "sim/core/assert.h"

namespace ksim::kafka {

bool is_cooperative(AssignmentStrategy strategy) { return strategy == AssignmentStrategy::cooperative_sticky; }

MemberPartitions range_assign(std::uint32_t partitions, std::uint32_t members) {
  KSIM_ASSERT(members > 0, "range assignment of {} partitions to no member", partitions);
  const std::uint32_t base = partitions / members;
  const std::uint32_t extra = partitions % members;
  MemberPartitions assignment(members);
  for (std::uint32_t member = 0; member < members; ++member) {
    const std::uint32_t first = member * base + std::min(member, extra);
    const std::uint32_t count = base + (member < extra ? 1 : 0);
    for (std::uint32_t p = first; p < first + count; ++p) assignment[member].push_back(p);
  }
  return assignment;
}

MemberPartitions round_robin_assign(std::uint32_t partitions, std::uint32_t members) {
  KSIM_ASSERT(members > 0, "round-robin assignment of {} partitions to no member", partitions);
  MemberPartitions assignment(members);
  for (std::uint32_t p = 0; p < partitions; ++p) assignment[p % members].push_back(p);
  return assignment;
}

MemberPartitions assign_partitions(AssignmentStrategy strategy, std::uint32_t partitions,
                                   const MemberPartitions& owned) {
  const auto members = static_cast<std::uint32_t>(owned.size());
  switch (strategy) {
    case AssignmentStrategy::range:
      return range_assign(partitions, members);
    case AssignmentStrategy::round_robin:
      return round_robin_assign(partitions, members);
    case AssignmentStrategy::sticky:
    case AssignmentStrategy::cooperative_sticky:
      return sticky_assign(partitions, owned);
  }
  KSIM_ASSERT(false, "unknown assignment strategy {}", static_cast<int>(strategy));
  return {};
}

}  // namespace ksim::kafka
