#pragma once
// Which brokers hold each partition, as Kafka assigns replicas by default
// (AdminUtils.assignReplicasToBrokers, the ZooKeeper-era placement). Without racks (assignReplicasToBrokersRackUnaware): the first replica of
// partition p on broker (p + start) mod n, later replicas shifted by a step that grows
// every n partitions, so leaders and followers spread over the brokers. With a rack on
// every broker (assignReplicasToBrokersRackAware): the same round robin over a broker
// list alternated by rack, each later replica skipping brokers whose rack (or the broker
// itself) already holds the partition while some rack (broker) still holds none of it, so
// a partition's replicas land on distinct racks whenever there are at least as many racks
// as replicas. Racks on some brokers but not all is an error in Kafka; the scenario
// loader reports it, so here it is an internal error.
#include <cstdint>
#include <string>
#include <vector>

namespace ksim::kafka {

// replicas[p] lists broker indexes, preferred leader first. start_index and
// replica_shift are Kafka's random starting points (drawn from the run's seed).
std::vector<std::vector<std::uint32_t>> assign_replicas(std::uint32_t partitions, std::uint32_t replication_factor,
                                                        std::uint32_t brokers, std::uint32_t start_index,
                                                        std::uint32_t replica_shift);

// The broker indexes taken one per rack in turn, racks in name order and brokers of a
// rack in index order: racks {a, b, b, c, c, a} give 0, 3, 1, 5, 4, 2.
std::vector<std::uint32_t> rack_alternated_brokers(const std::vector<std::string>& broker_racks);

// Rack-aware assignment; broker_racks has one non-empty rack per broker.
std::vector<std::vector<std::uint32_t>> assign_replicas_rack_aware(std::uint32_t partitions,
                                                                   std::uint32_t replication_factor,
                                                                   const std::vector<std::string>& broker_racks,
                                                                   std::uint32_t start_index,
                                                                   std::uint32_t replica_shift);

// Kafka's choice between the two: rack-aware when every broker has a rack, rack-unaware
// when none has one (broker_racks empty or all empty).
std::vector<std::vector<std::uint32_t>> assign_replicas_for_cluster(std::uint32_t partitions,
                                                                    std::uint32_t replication_factor,
                                                                    std::uint32_t brokers,
                                                                    const std::vector<std::string>& broker_racks,
                                                                    std::uint32_t start_index,
                                                                    std::uint32_t replica_shift);

}  // namespace ksim::kafka
