#include "sim/bench/partitions_bench.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "sim/bench/peak_memory.h"
#include "sim/core/assert.h"
#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"

namespace ksim {

namespace {

std::vector<std::string> scenario_files(const std::string& folder, scenario::InputErrors& errors) {
  std::vector<std::string> files;
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    errors.add(folder, {}, "", "no such folder of bench scenarios (give one with --inputs)");
    return files;
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // directory order is the file system's: sort it
  if (files.empty()) errors.add(folder, {}, "", "no .yaml scenario in this folder");
  return files;
}

PartitionsBenchCase run_case(const scenario::Scenario& scenario, std::uint32_t repeats, scenario::InputErrors& errors) {
  PartitionsBenchCase result;
  result.file = scenario.file;
  const scenario::ModeChoice mode = scenario.modes.empty() ? scenario::ModeChoice{} : scenario.modes.front();
  const kafka::WorldConfig config = scenario::build_world_config(scenario, mode, scenario.seed, errors);
  if (!errors.empty()) return result;
  result.brokers = config.cluster.brokers;
  for (const kafka::TopicConfig& topic : config.cluster.topics) result.partitions += topic.partitions;
  for (std::uint32_t round = 0; round < repeats; ++round) {
    // The benchmark is the one place that reads the wall clock: it measures, it does not simulate.
    const auto start = std::chrono::steady_clock::now();
    const run::RunReport report = run::run_once(config, scenario.name, mode.mode);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    KSIM_ASSERT(round == 0 || report.run.fingerprint == result.fingerprint, "{}: a repeat ran differently",
                scenario.file);
    result.wall_seconds = round == 0 ? seconds : std::min(result.wall_seconds, seconds);
    result.messages = report.outcome.counters.produced;
    result.events = report.run.events_executed;
    result.fingerprint = report.run.fingerprint;
  }
  result.wall_us_per_message =
      result.messages > 0 ? result.wall_seconds * 1e6 / static_cast<double>(result.messages) : 0;
  result.peak_rss_bytes = peak_rss_bytes();
  return result;
}

}  // namespace

std::vector<PartitionsBenchCase> run_partitions_bench(const std::string& folder, std::uint32_t repeats,
                                                      scenario::InputErrors& errors) {
  std::vector<PartitionsBenchCase> cases;
  const std::vector<std::string> files = scenario_files(folder, errors);
  std::vector<scenario::Scenario> scenarios;
  for (const std::string& file : files) {
    std::optional<scenario::Scenario> loaded = scenario::load_scenario_file(file, errors);
    if (loaded) scenarios.push_back(std::move(*loaded));
  }
  if (!errors.empty()) return cases;  // every file is checked before anything runs
  for (const scenario::Scenario& scenario : scenarios) {
    cases.push_back(run_case(scenario, repeats, errors));
    if (!errors.empty()) return {};
  }
  for (PartitionsBenchCase& each : cases) {
    const double first = cases.front().wall_us_per_message;
    each.per_message_vs_first = first > 0 ? each.wall_us_per_message / first : 0;
  }
  return cases;
}

}  // namespace ksim
