// The records of a run's anomalous messages, from a streamed replay (run/anomaly_records.h):
// on every bundled scenario and mode whose run (the file's own seed) loses, duplicates or
// reorders a message, the replay keeps exactly the records of the history kept in full that
// name a chosen message or name none, in the same order, and the chosen messages are every
// lost, every duplicated and every reordered one.
#define BOOST_TEST_MODULE anomaly records
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/check/record_message.h"
#include "sim/run/anomaly_records.h"
#include "sim/run/run_once.h"
#include "tests/run/bundled_seeds.h"

using namespace ksim;

namespace {

// The records of `history` a replay keeping `ids` must keep.
std::vector<history::Record> expected_records(const history::History& history,
                                              const std::vector<std::uint64_t>& ids) {
  std::vector<history::Record> expected;
  for (const history::Record& record : history.records) {
    history::visit(record, [&](const auto& typed) {
      if (!check::names_message(typed) ||
          std::binary_search(ids.begin(), ids.end(), check::message_id_of(typed))) {
        expected.push_back(record);
      }
    });
  }
  return expected;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_replay_keeps_every_record_of_the_lost_duplicated_and_reordered_messages) {
  std::size_t runs_with_anomalies = 0;
  testing::for_each_bundled_mode([&](const std::string& what, const scenario::ModeChoice& mode,
                                     const kafka::WorldConfig& config) {
    const run::RunReport batch = run::run_once(config, what, mode.mode, true);
    const check::Counters& counters = batch.outcome.counters;
    if (counters.lost == 0 && counters.duplicated == 0 && counters.reordered_within_key == 0) return;
    ++runs_with_anomalies;
    const std::vector<std::uint64_t> ids = run::anomalous_messages(batch.outcome);
    for (const check::ExplainedMessage& lost : batch.outcome.lost) {
      BOOST_TEST(std::binary_search(ids.begin(), ids.end(), lost.message_id), what);
    }
    for (const check::ExplainedMessage& duplicated : batch.outcome.duplicated) {
      BOOST_TEST(std::binary_search(ids.begin(), ids.end(), duplicated.message_id), what);
    }
    BOOST_TEST(batch.outcome.reordered.empty() == (counters.reordered_within_key == 0), what);
    for (const std::uint64_t reordered : batch.outcome.reordered) {
      BOOST_TEST(std::binary_search(ids.begin(), ids.end(), reordered), what);
    }
    const run::AnomalyRecords replay = run::replay_keeping(config, ids);
    BOOST_TEST(replay.message_ids == ids, what);
    BOOST_TEST(replay.records_dropped == 0u, what);
    BOOST_TEST(replay.records_seen == batch.history->records.size(), what);
    BOOST_TEST(replay.history.end_ns == batch.history->end_ns, what);
    BOOST_TEST(replay.history.partitions.size() == batch.history->partitions.size(), what);
    const std::vector<history::Record> expected = expected_records(*batch.history, ids);
    BOOST_TEST_REQUIRE(replay.history.records.size() == expected.size(), what);
    std::size_t i = 0;
    for (const history::Record& kept : replay.history.records) {
      if (!(kept == expected[i])) {
        BOOST_TEST(false, what << ": record " << i << " differs");
        break;
      }
      ++i;
    }
    BOOST_TEST(replay.history.records.size() < batch.history->records.size(), what);  // not the whole history
  });
  BOOST_TEST(runs_with_anomalies >= 20u);
}
