#include "sim/kafka/config_names.h"

namespace ksim::kafka {

std::string_view to_string(Acks acks) {
  switch (acks) {
    case Acks::none:
      return "0";
    case Acks::leader:
      return "1";
    case Acks::all:
      return "all";
  }
  return "?";
}

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

}  // namespace ksim::kafka
