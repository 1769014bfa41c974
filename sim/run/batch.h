#pragma once
// Many runs of one scenario: every (mode, seed) pair, on `jobs` threads, one run per
// thread at a time. Each run is independent and single-threaded, and results are stored
// by their index, so a parallel batch gives exactly the reports of a sequential one.
// A batch gets each mode's configuration already built (sim/scenario builds it once, on
// the calling thread): no scenario file or YAML tree reaches a worker thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/kafka/config/delivery_mode.h"
#include "sim/kafka/config/world_config.h"
#include "sim/run/run_once.h"

namespace ksim::run {

// One delivery mode of a batch and the configuration every seed of it starts from.
struct ModeRun {
  std::string name;                         // a delivery mode's name, or "as-configured"
  std::optional<kafka::DeliveryMode> mode;  // nullopt: as-configured
  kafka::WorldConfig config;                // without a seed: kafka::with_seed adds it per run
};

struct BatchRequest {
  std::string scenario;  // its name, for the reports
  std::string file;      // for replay commands in the messages of a simulator bug
  std::vector<ModeRun> modes;
  std::uint64_t first_seed = 1;
  std::uint64_t last_seed = 1;
  unsigned jobs = 1;
  CheckerKind checker = CheckerKind::batch;
};

// Called after each finished run with (runs done, runs in all), from whichever thread
// finished it, one call at a time.
using Progress = std::function<void(std::size_t, std::size_t)>;

// Reports ordered by mode (in the request's order), then by seed.
std::vector<RunReport> run_batch(const BatchRequest& request, const Progress& progress = {});

}  // namespace ksim::run
