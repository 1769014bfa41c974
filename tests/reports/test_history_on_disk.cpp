// Runs beyond memory (issue 19 item 3): every bundled scenario, each of its modes on the
// file's own seed, run once with its history in memory and once with the history's records
// written to a file as the run goes. The run (its fingerprint) and everything the checker
// concludes (the whole run as results.json writes it) must be the same.
#define BOOST_TEST_MODULE history on disk
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "reports/results_json.h"
#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/run/bundled_seeds.h"

using namespace ksim;

BOOST_AUTO_TEST_CASE(every_bundled_scenario_is_judged_the_same_from_disk) {
  const std::vector<std::filesystem::path> files = testing::bundled_scenario_files();
  BOOST_REQUIRE(files.size() >= 30);
  std::size_t runs = 0, runs_spilled = 0;
  for (const std::filesystem::path& file : files) {
    scenario::InputErrors errors;
    const auto loaded = scenario::load_scenario_file(file.string(), errors);
    BOOST_REQUIRE_MESSAGE(loaded, file.string());
    for (const scenario::ModeChoice& mode : loaded->modes) {
      kafka::WorldConfig config = scenario::build_world_config(*loaded, mode, loaded->seed, errors);
      const run::RunReport memory = run::run_once(config, loaded->name, mode.mode);
      config.history_spill_directory = std::filesystem::temp_directory_path().string();
      const run::RunReport disk = run::run_once(config, loaded->name, mode.mode, true);
      ++runs;
      // A history of one block never reaches the file: count those that did.
      if (disk.history->records.resident_bytes() < disk.history->records.encoded_bytes()) ++runs_spilled;
      BOOST_TEST(memory.run.fingerprint == disk.run.fingerprint, file.stem().string() << " " << mode.name());
      BOOST_TEST(reports::run_to_json(memory, "").dump() == reports::run_to_json(disk, "").dump(),
                 file.stem().string() << " " << mode.name());
    }
  }
  BOOST_TEST_MESSAGE(runs_spilled << " of " << runs << " runs wrote their history to disk");
  BOOST_TEST(runs_spilled * 3 >= runs);  // 26 of 65 when written: the others fit in one block (256 KiB)
}
