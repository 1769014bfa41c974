#pragma once
// A 64-bit hash folded over every executed event. Two runs of one scenario and seed
// must end with the same fingerprint on any compiler and build type; any difference
// means a run is not deterministic.
#include <cstdint>

#include "sim/core/event.h"

namespace ksim {

class Fingerprint {
 public:
  void fold(std::uint64_t value) {
    // Multiply-rotate mixing (as in wyhash/xxhash rounds): order sensitive, so a
    // swapped pair of events changes the result.
    state_ = (state_ ^ (value * 0x9E3779B97F4A7C15ULL));
    state_ = ((state_ << 31) | (state_ >> 33)) * 0xBF58476D1CE4E5B9ULL;
  }
  void fold(const Event& event) {
    // The event's fields are hashed with independent multiplies (they run in parallel),
    // then folded into the state with one dependent step, which keeps the hash sensitive
    // to the order of events at a quarter of the serial multiply chain.
    const std::uint64_t fields = (static_cast<std::uint64_t>(event.time_ns) * 0x9E3779B97F4A7C15ULL) ^
                                 (((std::uint64_t{event.body.kind} << 32) | event.body.aux) * 0xC2B2AE3D27D4EB4FULL) ^
                                 (((std::uint64_t{event.body.source} << 32) | event.body.target) * 0x165667B19E3779F9ULL) ^
                                 (event.body.message_id * 0xD6E8FEB86659FD93ULL);
    fold(fields);
  }
  std::uint64_t value() const {
    // Final avalanche (splitmix64's finaliser) so nearby states print far apart.
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_ = 0x6B73696D2D667072ULL;  // "ksim-fpr"
};

}  // namespace ksim
