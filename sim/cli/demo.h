#pragma once
// The bundled demo, the main job until the scenario library takes its place: a small
// deterministic run whose fingerprint every build must reproduce.
#include <cstdint>

#include "sim/core/simulator.h"

namespace ksim {

struct DemoResult {
  std::uint64_t seed = 0;
  RunResult run;
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_delivered = 0;
};

DemoResult run_demo(std::uint64_t seed);

}  // namespace ksim
