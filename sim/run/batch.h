#pragma once
// Many runs of one scenario: every (mode, seed) pair, on `jobs` threads, one run per
// thread at a time. Each run is independent and single-threaded, and results are stored
// by their index, so a parallel batch gives exactly the reports of a sequential one.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/run/run_once.h"
#include "sim/scenario/scenario.h"

namespace ksim::run {

struct BatchRequest {
  const scenario::Scenario* scenario = nullptr;
  std::vector<scenario::ModeChoice> modes;
  std::uint64_t first_seed = 1;
  std::uint64_t last_seed = 1;
  unsigned jobs = 1;
};

// Called after each finished run with (runs done, runs in all), from whichever thread
// finished it, one call at a time.
using Progress = std::function<void(std::size_t, std::size_t)>;

// Reports ordered by mode (in the request's order), then by seed.
std::vector<RunReport> run_batch(const BatchRequest& request, const Progress& progress = {});

}  // namespace ksim::run
