#pragma once
// An event is a small value: what happens (kind, an integer the model defines), who
// sends and who receives it, and up to two integers of payload. Models keep larger
// state in their own tables and refer to it by id, so the queue never holds a
// heap-allocated callback.
#include <cstdint>

#include "sim/core/sim_time.h"

namespace ksim {

struct EventBody {
  std::uint32_t kind = 0;
  std::uint32_t source = 0;
  std::uint32_t target = 0;
  std::uint32_t aux = 0;         // model-defined small payload (a partition, a link, a slot)
  std::uint64_t message_id = 0;  // model-defined id of the message or object concerned
};

// An event as executed: its body plus the time and scheduling sequence number that
// place it in the total order.
struct Event {
  TimeNs time_ns = 0;
  std::uint64_t seq = 0;
  EventBody body;
};

}  // namespace ksim
