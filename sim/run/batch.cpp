#include "sim/run/batch.h"

#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/kafka/faults/nemesis.h"

namespace ksim::run {

std::vector<RunReport> run_batch(const BatchRequest& request, const Progress& progress) {
  KSIM_ASSERT(!request.modes.empty() && request.first_seed <= request.last_seed, "bad batch request for {}",
              request.scenario);
  const std::uint64_t seeds = request.last_seed - request.first_seed + 1;
  const std::size_t total = request.modes.size() * seeds;
  std::vector<RunReport> reports(total);
  std::atomic<std::size_t> next{0};
  std::mutex progress_lock;
  std::size_t done = 0;
  auto worker = [&] {
    for (std::size_t index = next++; index < total; index = next++) {
      const ModeRun& mode = request.modes[index / seeds];
      const std::uint64_t seed = request.first_seed + index % seeds;
      try {
        reports[index] = run_once(kafka::with_seed(mode.config, seed), request.scenario, mode.mode);
      } catch (const InvariantViolation& bug) {
        // A bug in the simulator: say which run hit it, so it can be replayed.
        throw InvariantViolation(fmt::format("{} (scenario {}, mode {}, seed {}; replay: ksim run {} --seed {} --mode {})",
                                             bug.what(), request.scenario, mode.name, seed, request.file, seed,
                                             mode.name));
      }
      if (progress) {
        const std::lock_guard<std::mutex> lock(progress_lock);
        progress(++done, total);
      }
    }
  };
  const unsigned threads = std::max(1U, std::min<unsigned>(request.jobs, static_cast<unsigned>(total)));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (std::thread& thread : pool) thread.join();
  }
  return reports;
}

}  // namespace ksim::run
