#include "sim/bench/partitions_bench.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "sim/bench/peak_memory.h"
#include "sim/check/checker.h"
#include "sim/core/assert.h"
#include "sim/kafka/world.h"
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
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // directory order is the file system's: sort it
  if (files.empty()) errors.add(folder, {}, "", "no .yaml scenario in this folder");
  return files;
}

double per(double amount, std::uint64_t count) {
  return count > 0 ? amount / static_cast<double>(count) : 0;
}
double ratio(double value, double first) {
  return first > 0 ? value / first : 0;
}

// One run: the world, then the batch checker on its history, timed apart.
void run_and_time(const kafka::WorldConfig& config, bool first_round, PartitionsBenchCase& result) {
  // The benchmark is the one place that reads the wall clock: it measures, it does not simulate.
  const auto start = std::chrono::steady_clock::now();
  kafka::RunOutput output;
  {
    kafka::World world(config);  // gone before the checker runs, as in run::run_once
    output = world.run();
  }
  const auto ran = std::chrono::steady_clock::now();
  const check::Outcome outcome = check::check(output.history);
  const auto checked = std::chrono::steady_clock::now();
  KSIM_ASSERT(first_round || output.run.fingerprint == result.fingerprint, "{}: a repeat ran differently",
              result.file);
  const double seconds = std::chrono::duration<double>(checked - start).count();
  if (!first_round && seconds >= result.wall_seconds) return;
  result.wall_seconds = seconds;
  result.world_seconds = std::chrono::duration<double>(ran - start).count();
  result.checker_seconds = std::chrono::duration<double>(checked - ran).count();
  result.messages = outcome.counters.produced;
  result.events = output.run.events_executed;
  result.wire = output.wire;
  result.fingerprint = output.run.fingerprint;
}

PartitionsBenchCase run_case(const scenario::Scenario& scenario, std::uint32_t repeats,
                             scenario::InputErrors& errors) {
  PartitionsBenchCase result;
  result.file = scenario.file;
  const scenario::ModeChoice mode = scenario.modes.empty() ? scenario::ModeChoice{} : scenario.modes.front();
  const kafka::WorldConfig config = scenario::build_world_config(scenario, mode, scenario.seed, errors);
  if (!errors.empty()) return result;
  result.brokers = config.cluster.brokers;
  for (const kafka::TopicConfig& topic : config.cluster.topics) result.partitions += topic.partitions;
  for (std::uint32_t round = 0; round < repeats; ++round) run_and_time(config, round == 0, result);
  const double wall_us = result.wall_seconds * 1e6;
  result.wall_us_per_message = per(wall_us, result.messages);
  result.wire_messages_per_message = per(static_cast<double>(result.wire.messages), result.messages);
  result.wall_us_per_wire_message = per(wall_us, result.wire.messages);
  result.wall_us_per_event = per(wall_us, result.events);
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
  const PartitionsBenchCase first = cases.front();
  for (PartitionsBenchCase& each : cases) {
    each.per_message_vs_first = ratio(each.wall_us_per_message, first.wall_us_per_message);
    each.work_per_message_vs_first = ratio(each.wire_messages_per_message, first.wire_messages_per_message);
    each.cost_per_work_vs_first = ratio(each.wall_us_per_wire_message, first.wall_us_per_wire_message);
    each.cost_per_event_vs_first = ratio(each.wall_us_per_event, first.wall_us_per_event);
  }
  return cases;
}

}  // namespace ksim
