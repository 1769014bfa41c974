#include "sim/kafka/config/config_names.h"

namespace ksim::kafka {

std::string_view to_string(CommitStrategy strategy) {
  switch (strategy) {
    case CommitStrategy::auto_commit:
      return "auto";
    case CommitStrategy::before_processing:
      return "before-processing";
    case CommitStrategy::after_processing:
      return "after-processing";
    case CommitStrategy::async_processing:
      return "async";
    case CommitStrategy::transactional:
      return "transactional";
  }
  return "?";
}

std::string_view to_string(Partitioner partitioner) {
  switch (partitioner) {
    case Partitioner::sticky:
      return "sticky";
    case Partitioner::round_robin:
      return "round-robin";
    case Partitioner::uniform:
      return "uniform";
  }
  return "?";
}

namespace {

struct AssignorNames {
  AssignmentStrategy strategy;
  std::string_view name;         // the assignor's name()
  std::string_view kafka_class;  // what partition.assignment.strategy names in Kafka
};

constexpr AssignorNames kAssignorNames[] = {
    {AssignmentStrategy::range, "range", "org.apache.kafka.clients.consumer.RangeAssignor"},
    {AssignmentStrategy::round_robin, "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor"},
    {AssignmentStrategy::sticky, "sticky", "org.apache.kafka.clients.consumer.StickyAssignor"},
    {AssignmentStrategy::cooperative_sticky, "cooperative-sticky",
     "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"},
};

const AssignorNames& names_of(AssignmentStrategy strategy) {
  for (const AssignorNames& names : kAssignorNames) {
    if (names.strategy == strategy) return names;
  }
  return kAssignorNames[0];  // unreachable: every strategy has a row
}

}  // namespace

std::string_view to_string(AssignmentStrategy strategy) { return names_of(strategy).name; }

std::string_view kafka_class_name(AssignmentStrategy strategy) { return names_of(strategy).kafka_class; }

}  // namespace ksim::kafka
