#pragma once
// A bundled scenario's first mode run on seeds 1..`seeds`, for tests that compare a file as
// written with the same file changed in code: `adjust` may change each seed's WorldConfig
// before the run, `take` gets each run's report. A load or build error fails the test.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"

namespace ksim::testing {

// Every bundled scenario file (KSIM_SCENARIOS_DIR/*.yaml), in name order.
inline std::vector<std::filesystem::path> bundled_scenario_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(KSIM_SCENARIOS_DIR)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

template <class Adjust, class Take>
void run_bundled_seeds(const std::string& name, std::uint64_t seeds, Adjust adjust, Take take) {
  scenario::InputErrors errors;
  const auto loaded = scenario::load_scenario_file(std::string(KSIM_SCENARIOS_DIR) + "/" + name + ".yaml", errors);
  BOOST_TEST_REQUIRE(errors.empty(), errors.to_string());
  const scenario::ModeChoice mode = loaded->modes.front();
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    kafka::WorldConfig config = scenario::build_world_config(*loaded, mode, seed, errors);
    BOOST_TEST_REQUIRE(errors.empty(), errors.to_string());
    adjust(config);
    take(run::run_once(config, loaded->name, mode.mode));
  }
}

// Every bundled scenario file, each of its modes on the file's own seed: `take` gets
// ("<file stem> <mode>", the mode, its WorldConfig). Returns how many files there were.
template <class Take>
std::size_t for_each_bundled_mode(Take take) {
  const std::vector<std::filesystem::path> files = bundled_scenario_files();
  for (const std::filesystem::path& file : files) {
    scenario::InputErrors errors;
    const auto loaded = scenario::load_scenario_file(file.string(), errors);
    BOOST_TEST_REQUIRE(loaded.has_value(), file.string());
    for (const scenario::ModeChoice& mode : loaded->modes) {
      const kafka::WorldConfig config = scenario::build_world_config(*loaded, mode, loaded->seed, errors);
      BOOST_TEST_REQUIRE(errors.empty(), errors.to_string());
      take(file.stem().string() + " " + mode.name(), mode, config);
    }
  }
  return files.size();
}

}  // namespace ksim::testing
