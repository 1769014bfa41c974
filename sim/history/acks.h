#pragma once
// `acks`, one type from the scenario to the checker: the producer's config, the produce
// request on the wire and the history's producer table all hold this. It lives here, the
// lowest layer that needs it (the checker reads it without the model).
#include <cstdint>
#include <string_view>

namespace ksim::history {

// How many replicas must hold a write before the producer is told success. The values are
// Kafka's wire values of ProduceRequest.acks.
enum class Acks : std::int8_t { none = 0, leader = 1, all = -1 };

// Kafka's spelling: "0", "1", "all".
constexpr std::string_view to_string(Acks acks) {
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

}  // namespace ksim::history
