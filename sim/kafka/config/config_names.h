#pragma once
// Kafka's spellings of the model's enumerated settings, in one place: the scenario loader
// reads them, the history and reports write them.
#include <string_view>

#include "sim/kafka/config/config.h"
#include "sim/kafka/config/consumer_config.h"

namespace ksim::kafka {

using history::to_string;                               // Acks: "0", "1", "all"
std::string_view to_string(CommitStrategy strategy);    // "auto", "before-processing", "after-processing"
std::string_view to_string(Partitioner partitioner);    // "sticky", "round-robin", "uniform"
// The assignor's own name(): "range", "roundrobin", "sticky", "cooperative-sticky".
std::string_view to_string(AssignmentStrategy strategy);
// The class Kafka's partition.assignment.strategy names, e.g.
// "org.apache.kafka.clients.consumer.RangeAssignor".
std::string_view kafka_class_name(AssignmentStrategy strategy);

inline constexpr AssignmentStrategy kAssignmentStrategies[] = {
    AssignmentStrategy::range, AssignmentStrategy::round_robin, AssignmentStrategy::sticky,
    AssignmentStrategy::cooperative_sticky};

}  // namespace ksim::kafka
