#include "sim/kafka/controller/replica_assignment.h"

#include <algorithm>
#include <map>

#include "sim/core/assert.h"

namespace ksim::kafka {

namespace {

// Position of the (j+1)-th follower in a list of n brokers: a shift of 1..n-1 from the
// first replica, so it never lands on the first replica itself (Kafka's replicaIndex).
std::uint32_t follower_position(std::uint32_t first, std::uint32_t shift, std::uint32_t j, std::uint32_t n) {
  return (first + 1 + (shift + j) % (n - 1)) % n;
}

}  // namespace

std::vector<std::vector<std::uint32_t>> assign_replicas(std::uint32_t partitions, std::uint32_t replication_factor,
                                                        std::uint32_t brokers, std::uint32_t start_index,
                                                        std::uint32_t replica_shift) {
  KSIM_ASSERT(replication_factor >= 1 && replication_factor <= brokers,
              "replication factor {} needs between 1 and {} brokers", replication_factor, brokers);
  std::vector<std::vector<std::uint32_t>> assignment(partitions);
  std::uint32_t next_replica_shift = replica_shift % brokers;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    if (p > 0 && p % brokers == 0) ++next_replica_shift;
    const std::uint32_t first = (p + start_index) % brokers;
    assignment[p].push_back(first);
    for (std::uint32_t j = 0; j + 1 < replication_factor; ++j) {
      assignment[p].push_back(follower_position(first, next_replica_shift, j, brokers));
    }
  }
  return assignment;
}

std::vector<std::uint32_t> rack_alternated_brokers(const std::vector<std::string>& broker_racks) {
  std::map<std::string, std::vector<std::uint32_t>> brokers_by_rack;  // ordered: racks in name order
  for (std::uint32_t b = 0; b < broker_racks.size(); ++b) brokers_by_rack[broker_racks[b]].push_back(b);
  std::vector<std::uint32_t> alternated;
  for (std::size_t round = 0; alternated.size() < broker_racks.size(); ++round) {
    for (const auto& [rack, brokers] : brokers_by_rack) {
      if (round < brokers.size()) alternated.push_back(brokers[round]);
    }
  }
  return alternated;
}

std::vector<std::vector<std::uint32_t>> assign_replicas_rack_aware(std::uint32_t partitions,
                                                                   std::uint32_t replication_factor,
                                                                   const std::vector<std::string>& broker_racks,
                                                                   std::uint32_t start_index,
                                                                   std::uint32_t replica_shift) {
  const auto brokers = static_cast<std::uint32_t>(broker_racks.size());
  KSIM_ASSERT(replication_factor >= 1 && replication_factor <= brokers,
              "replication factor {} needs between 1 and {} brokers", replication_factor, brokers);
  const std::vector<std::uint32_t> arranged = rack_alternated_brokers(broker_racks);
  std::vector<std::string> racks = broker_racks;
  std::sort(racks.begin(), racks.end());
  const auto rack_count = static_cast<std::uint32_t>(std::unique(racks.begin(), racks.end()) - racks.begin());

  std::vector<std::vector<std::uint32_t>> assignment(partitions);
  std::uint32_t next_replica_shift = replica_shift % brokers;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    if (p > 0 && p % brokers == 0) ++next_replica_shift;
    const std::uint32_t first = (p + start_index) % brokers;
    std::vector<std::uint32_t>& replicas = assignment[p];
    replicas.push_back(arranged[first]);
    std::vector<std::string> racks_with_replica{broker_racks[arranged[first]]};
    // Followers walk the alternated list with a shift that jumps whole rack rounds, taking
    // the next broker that holds no replica yet and, until every rack has one, sits on a
    // rack without one. Some step always qualifies: shifts 1..n-1 reach every other broker.
    for (std::uint32_t k = 0; replicas.size() < replication_factor; ++k) {
      const std::uint32_t broker = arranged[follower_position(first, next_replica_shift * rack_count, k, brokers)];
      const std::string& rack = broker_racks[broker];
      const bool rack_taken = std::find(racks_with_replica.begin(), racks_with_replica.end(), rack) !=
                              racks_with_replica.end();
      const bool broker_taken = std::find(replicas.begin(), replicas.end(), broker) != replicas.end();
      if (broker_taken || (rack_taken && racks_with_replica.size() < rack_count)) continue;
      replicas.push_back(broker);
      if (!rack_taken) racks_with_replica.push_back(rack);
    }
  }
  return assignment;
}

std::vector<std::vector<std::uint32_t>> assign_replicas_for_cluster(std::uint32_t partitions,
                                                                    std::uint32_t replication_factor,
                                                                    std::uint32_t brokers,
                                                                    const std::vector<std::string>& broker_racks,
                                                                    std::uint32_t start_index,
                                                                    std::uint32_t replica_shift) {
  const auto with_rack = static_cast<std::size_t>(
      std::count_if(broker_racks.begin(), broker_racks.end(), [](const std::string& rack) { return !rack.empty(); }));
  if (with_rack == 0) return assign_replicas(partitions, replication_factor, brokers, start_index, replica_shift);
  KSIM_ASSERT(broker_racks.size() == brokers && with_rack == brokers,
              "racks on {} of {} brokers (the scenario loader refuses a partial rack assignment)", with_rack, brokers);
  return assign_replicas_rack_aware(partitions, replication_factor, broker_racks, start_index, replica_shift);
}

}  // namespace ksim::kafka
