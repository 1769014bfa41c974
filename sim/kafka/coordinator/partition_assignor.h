#pragma once
// Kafka's built-in consumer partition assignors, for a group whose members all subscribe
// to the one topic of a scenario. Members are given in member-id order (the model's node
// order, as Kafka sorts member ids); each result lists a member's partitions ascending.
#include <cstdint>
#include <vector>

#include "sim/core/ids.h"
#include "sim/kafka/config/consumer_config.h"

namespace ksim::kafka {

using MemberPartitions = std::vector<std::vector<std::uint32_t>>;  // [member] -> partitions

// Whether the strategy rebalances incrementally (KIP-429) rather than eagerly.
bool is_cooperative(AssignmentStrategy strategy);

// RangeAssignor: member i of m gets a consecutive run; the first partitions % m members
// get one partition more.
MemberPartitions range_assign(std::uint32_t partitions, std::uint32_t members);

// RoundRobinAssignor: partitions dealt one at a time across the members in turn.
MemberPartitions round_robin_assign(std::uint32_t partitions, std::uint32_t members);

// StickyAssignor / CooperativeStickyAssignor (AbstractStickyAssignor's constrained
// assignment, all members subscribed alike): balanced to within one partition while
// members keep as many of the partitions they `owned` as the balance allows.
MemberPartitions sticky_assign(std::uint32_t partitions, const MemberPartitions& owned);

// The strategy's assignment; `owned` (one entry per member) matters to the sticky ones.
MemberPartitions assign_partitions(AssignmentStrategy strategy, std::uint32_t partitions,
                                   const MemberPartitions& owned);

}  // namespace ksim::kafka
