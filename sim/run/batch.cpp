#include "sim/run/batch.h"

#include <atomic>
#include <exception>
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
  // The first run that threw (a simulator bug, or a history file the disk refused): the
  // other workers stop taking runs, and it is thrown again on the calling thread, where
  // the command reports it (an exception must not escape a worker thread).
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto run_one = [&](const ModeRun& mode, std::uint64_t seed) {
    try {
      return run_once(kafka::with_seed(mode.config, seed), request.scenario, mode.mode, false, request.checker);
    } catch (const InvariantViolation& bug) {
      // A bug in the simulator: say which run hit it, so it can be replayed.
      throw InvariantViolation(fmt::format("{} (scenario {}, mode {}, seed {}; replay: ksim run {} --seed {} --mode {})",
                                           bug.what(), request.scenario, mode.name, seed, request.file, seed,
                                           mode.name));
    }
  };
  auto worker = [&] {
    for (std::size_t index = next++; index < total && !failed; index = next++) {
      const ModeRun& mode = request.modes[index / seeds];
      const std::uint64_t seed = request.first_seed + index % seeds;
      try {
        reports[index] = run_one(mode, seed);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(progress_lock);
        if (!failure) failure = std::current_exception();
        failed = true;
        return;
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
  if (failure) std::rethrow_exception(failure);
  return reports;
}

}  // namespace ksim::run
