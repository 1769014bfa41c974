#include "sim/kafka/replica_assignment.h"

#include "sim/core/assert.h"

namespace ksim::kafka {

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
      const std::uint32_t shift = 1 + (next_replica_shift + j) % (brokers - 1);
      assignment[p].push_back((first + shift) % brokers);
    }
  }
  return assignment;
}

}  // namespace ksim::kafka
