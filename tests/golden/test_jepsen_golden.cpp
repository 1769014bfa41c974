// Golden tests (issue 16 item 5): the histories of Jepsen's Kafka checker tests, re-expressed
// as ksim client histories (tests/golden/jepsen-kafka), judged by the checker; each asserts
// the anomaly counts Jepsen's test expects (expected.txt). Every file of the folder must be
// listed, and every listed file must exist and be read without error.
#define BOOST_TEST_MODULE jepsen golden
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "reports/client_history_reader.h"
#include "reports/jepsen_history.h"
#include "sim/check/checker.h"

namespace {

using namespace ksim;

const std::filesystem::path kFolder = KSIM_GOLDEN_JEPSEN_DIR;

std::uint64_t anomaly_count(const check::Outcome& outcome, const std::string& name) {
  for (const check::NamedAnomaly& a : check::named(outcome.jepsen)) {
    if (a.name == name) return a.anomaly->count;
  }
  BOOST_FAIL("unknown anomaly " << name);
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_jepsen_history_gives_the_anomalies_jepsen_expects) {
  std::ifstream manifest(kFolder / "expected.txt");
  BOOST_REQUIRE(manifest);
  std::set<std::string> listed;
  std::string line;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string file;
    words >> file;
    listed.insert(file);
    // A .edn file is Jepsen's own history.edn shape, read through the conversion.
    const std::string path = (kFolder / file).string();
    const reports::ClientHistoryRead read = file.ends_with(".edn") ? reports::read_jepsen_history_file(path)
                                                                   : reports::read_client_history_file(path);
    BOOST_REQUIRE_MESSAGE(read.history, file << ": " << (read.error ? read.error->to_string(file) : ""));
    const check::Outcome outcome = check::check(*read.history);
    std::string expectation;
    std::size_t asserted = 0;
    while (words >> expectation) {
      const std::size_t equals = expectation.find('=');
      BOOST_REQUIRE(equals != std::string::npos);
      const std::string name = expectation.substr(0, equals);
      const std::uint64_t expected = std::stoull(expectation.substr(equals + 1));
      BOOST_TEST(anomaly_count(outcome, name) == expected, file << " " << name);
      ++asserted;
    }
    BOOST_TEST(asserted > 0U, file << " asserts nothing");
  }
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kFolder)) {
    if (entry.path().extension() != ".jsonl" && entry.path().extension() != ".edn") continue;
    ++files;
    BOOST_TEST(listed.count(entry.path().filename().string()) == 1U, entry.path().filename() << " not in expected.txt");
  }
  BOOST_TEST(files == listed.size());
  BOOST_TEST(files >= 15U);
}
