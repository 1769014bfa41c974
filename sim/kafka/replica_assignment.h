#pragma once
// Which brokers hold each partition, as Kafka assigns replicas by default
// (AdminUtils.assignReplicasToBrokersRackUnaware): the first replica of partition p on
// broker (p + start) mod n, later replicas shifted by a step that grows every n
// partitions, so leaders and followers spread over the brokers.
#include <cstdint>
#include <vector>

namespace ksim::kafka {

// replicas[p] lists broker indexes, preferred leader first. start_index and
// replica_shift are Kafka's random starting points (drawn from the run's seed).
std::vector<std::vector<std::uint32_t>> assign_replicas(std::uint32_t partitions, std::uint32_t replication_factor,
                                                        std::uint32_t brokers, std::uint32_t start_index,
                                                        std::uint32_t replica_shift);

}  // namespace ksim::kafka
