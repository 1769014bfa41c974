#include "sim/core/simulator.h"

namespace ksim {

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::queue_empty:
      return "queue-empty";
    case StopReason::event_limit:
      return "event-limit";
    case StopReason::time_limit:
      return "time-limit";
    case StopReason::stopped_by_model:
      return "stopped-by-model";
    case StopReason::queue_limit:
      return "queue-limit";
  }
  return "unknown";
}

}  // namespace ksim
