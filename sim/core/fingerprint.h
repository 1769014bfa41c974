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
  void fold(const Event& event) { fold(event.time_ns, event.body); }
  // An event described by `body` rather than by what it carries (a model may keep an
  // event's payload in its own table; see Simulator::run).
  void fold(TimeNs time_ns, const EventBody& body) {
    // The event's fields are hashed with independent multiplies (they run in parallel),
    // then folded into the state with one dependent step, which keeps the hash sensitive
    // to the order of events at a quarter of the serial multiply chain.
    const std::uint64_t fields =
        (static_cast<std::uint64_t>(time_ns) * 0x9E3779B97F4A7C15ULL) ^
        (((std::uint64_t{body.kind} << 32) | body.aux) * 0xC2B2AE3D27D4EB4FULL) ^
        (((std::uint64_t{body.source} << 32) | body.target) * 0x165667B19E3779F9ULL) ^
        (body.message_id * 0xD6E8FEB86659FD93ULL);
    fold(fields);
  }
  // Two 32-bit-or-less fields as one word to fold (high << 32 | low), for a model that
  // describes a typed event payload the way an older, bit-packed payload was folded.
  static constexpr std::uint64_t pair(std::uint64_t high, std::uint32_t low) { return (high << 32) | low; }
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
