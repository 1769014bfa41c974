#pragma once
// Shared by the report tests: the checked-in results fixture, paths of test data, and
// golden-file comparison (KSIM_UPDATE_GOLDEN=1 rewrites the golden file instead).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

namespace ksim::reports::testing {

inline std::filesystem::path data_dir() { return std::filesystem::path(KSIM_REPORTS_TEST_DIR) / "data"; }
inline std::filesystem::path golden_dir() { return std::filesystem::path(KSIM_REPORTS_TEST_DIR) / "golden"; }
inline std::filesystem::path out_dir() { return std::filesystem::path(KSIM_REPORTS_OUT_DIR); }

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline nlohmann::json fixture() { return nlohmann::json::parse(read_text(data_dir() / "results_fixture.json")); }

// Byte-for-byte comparison with tests/reports/golden/<name>. To accept a deliberate change:
//   KSIM_UPDATE_GOLDEN=1 ctest --test-dir build/release -R test_reports
// then review the diff of tests/reports/golden/ before committing it.
inline void check_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = golden_dir() / name;
  if (const char* update = std::getenv("KSIM_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    BOOST_TEST_MESSAGE("rewrote golden file " << path);
    return;
  }
  const std::string expected = read_text(path);
  if (expected != actual) {
    std::ofstream(out_dir() / (name + ".actual"), std::ios::binary) << actual;
  }
  BOOST_TEST(expected == actual, "output differs from " << path << "; actual output written to "
                                                        << (out_dir() / (name + ".actual"))
                                                        << " (KSIM_UPDATE_GOLDEN=1 regenerates)");
}

}  // namespace ksim::reports::testing
