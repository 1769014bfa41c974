#define BOOST_TEST_MODULE transaction_state
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "sim/history/probes.h"
#include "sim/history/records.h"
#include "sim/kafka/coordinator/transaction_log.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/kafka/run_text.h"

// Issue 18 item 2: the transaction coordinator on brokers. partitionFor as Kafka computes
// it, the entries of __transaction_state, a coordinator crash between PREPARE_COMMIT and
// the markers, and the bad input of its replication factor.

using namespace ksim;
using namespace ksim::kafka;

namespace {

std::string bundled(const std::string& name) {
  std::ifstream file(std::string(KSIM_SCENARIOS_DIR) + "/" + name);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

// Java's String.hashCode (values computed with Java's int arithmetic over UTF-16 units).
BOOST_AUTO_TEST_CASE(java_string_hash_matches_java) {
  BOOST_TEST(java_string_hash("") == 0);
  BOOST_TEST(java_string_hash("a") == 97);
  BOOST_TEST(java_string_hash("abc") == 96354);
  BOOST_TEST(java_string_hash("checkout") == 1536904518);
  BOOST_TEST(java_string_hash("ledger") == -1106662039);
  BOOST_TEST(java_string_hash("polygenelubricants") == std::numeric_limits<std::int32_t>::min());
  BOOST_TEST(java_string_hash("\xF0\x9F\x98\x80") == 1772899);  // U+1F600: a surrogate pair in UTF-16
}

// TransactionStateManager.partitionFor: Utils.abs(hashCode) % partitions, abs(MIN_VALUE) = 0.
BOOST_AUTO_TEST_CASE(partition_for_is_kafkas) {
  BOOST_TEST(transaction_state_partition_for("checkout", 50) == 18u);
  BOOST_TEST(transaction_state_partition_for("checkout", 5) == 3u);
  BOOST_TEST(transaction_state_partition_for("ledger", 50) == 39u);  // negative hash
  BOOST_TEST(transaction_state_partition_for("polygenelubricants", 50) == 0u);
  BOOST_TEST(transaction_state_partition_for("anything", 1) == 0u);
}

BOOST_AUTO_TEST_CASE(log_entries_round_trip) {
  const TransactionLogValue value{TransactionLogKind::ongoing, 7, ProducerEpoch{3}, 42, kOffsetsPartition, false};
  const LogEntry entry = transaction_log_entry(value);
  BOOST_TEST(is_transaction_state_entry(entry));
  BOOST_TEST(entry.producer_id() == kNoProducerId);  // never a producer batch to the partition's producer state
  const TransactionLogValue back = decode_transaction_log(entry);
  BOOST_TEST(static_cast<int>(back.kind) == static_cast<int>(value.kind));
  BOOST_TEST(back.transactional_id == 7u);
  BOOST_TEST(back.epoch == ProducerEpoch{3});
  BOOST_TEST(back.transaction == 42);
  BOOST_TEST(back.partition == kOffsetsPartition);
  const TransactionLogValue prepare = decode_transaction_log(
      transaction_log_entry(TransactionLogValue{TransactionLogKind::prepare, 0, ProducerEpoch{1}, 5, PartitionId{}, true}));
  BOOST_TEST(prepare.commit);
  BOOST_TEST(static_cast<int>(prepare.kind) == static_cast<int>(TransactionLogKind::prepare));
}

// The coordinator's broker crashes the moment a commit is decided: the fault lands on a
// broker (the leader of checkout's state partition), and the broker that takes the
// partition over loads the transaction as prepared and writes its markers, recording the
// decision again, the same decision.
BOOST_AUTO_TEST_CASE(a_new_coordinator_completes_a_prepared_transaction) {
  const kafka::RunOutput out = testing::run_text(bundled("tx-coordinator-crash-before-markers.yaml"), 1);
  BOOST_TEST(out.drain_completed);
  const auto faults = testing::records_of(out.history, history::RecordKind::fault);
  BOOST_TEST_REQUIRE(!faults.empty());
  BOOST_TEST(out.history.nodes[faults.front().node].kind == "broker");
  std::map<std::pair<ksim::NodeId, std::int64_t>, std::vector<std::uint64_t>>
      decisions;  // (producer, transaction)
  for (const history::Record& record : testing::records_of(out.history, history::RecordKind::transaction_ended)) {
    const history::TransactionEndedRecord ended = history::as_transaction_ended(record);
    decisions[{ended.producer, ended.transaction}].push_back(ended.committed ? 1 : 0);
  }
  bool recorded_again = false;
  for (const auto& [key, outcomes] : decisions) {
    if (outcomes.size() > 1) recorded_again = true;
    for (const std::uint64_t outcome : outcomes) BOOST_TEST(outcome == outcomes.front());
  }
  BOOST_TEST(recorded_again, "no transaction was completed by a new coordinator");
}

// The coordinator's load takes ksim.coordinator.load.base + per.entry x entries: in some
// seed of the crash scenario (the first of 1..200 found; about one seed in 40 meets it since
// replication fetches in sessions, one in 12 before) a client asks the new coordinator
// while it still loads and is answered COORDINATOR_LOAD_IN_PROGRESS (retried, the transaction
// completes); with a load time of 0 nobody in that seed meets it, and the new coordinator
// still completes the prepared transaction. The seed is searched, not pinned, so a change of
// timing elsewhere in the model does not silently turn this test into one about nothing.
BOOST_AUTO_TEST_CASE(a_loading_coordinator_answers_load_in_progress) {
  const std::string text = bundled("tx-coordinator-crash-before-markers.yaml");
  std::uint64_t seed = 0;
  for (std::uint64_t candidate = 1; candidate <= 200 && seed == 0; ++candidate) {
    const kafka::RunOutput loading = testing::run_text(text, candidate);
    if (loading.probes[history::Probe::coordinator_load_in_progress] == 0U) continue;
    seed = candidate;
    BOOST_TEST(loading.drain_completed);
    BOOST_TEST(loading.probes[history::Probe::transaction_coordinator_failover] == 1U);
  }
  BOOST_TEST_REQUIRE(seed != 0U, "no seed of 1..200 met a loading coordinator");
  std::string instant = text;
  const std::string key = "    transaction.state.log.num.partitions: 5\n";
  BOOST_TEST_REQUIRE(instant.find(key) != std::string::npos);
  instant.replace(instant.find(key), key.size(),
                  key + "    ksim.coordinator.load.base: 0ms\n    ksim.coordinator.load.per.entry: 0ms\n");
  const kafka::RunOutput at_once = testing::run_text(instant, seed);
  BOOST_TEST(at_once.drain_completed);
  BOOST_TEST(at_once.probes[history::Probe::coordinator_load_in_progress] == 0U);
  BOOST_TEST(at_once.probes[history::Probe::transaction_coordinator_failover] == 1U);
}

// A cluster whose broker config has `line` (line 6 of s.yaml) must not load: the errors.
std::string cluster_config_errors(const std::string& line) {
  scenario::InputErrors errors;
  const auto loaded = scenario::load_scenario_text(
      "version: 1\nname: t\ncluster:\n  brokers: 3\n  config:\n    " + line + "\nproducers: [{messages: 10}]\n",
      "s.yaml", errors);
  BOOST_TEST(!loaded.has_value());
  return errors.to_string();
}

// A load cost out of its bounds: exit 2 at the key.
BOOST_AUTO_TEST_CASE(a_load_time_out_of_bounds_is_an_error) {
  const std::string text = cluster_config_errors("ksim.coordinator.load.per.entry: 2s");
  BOOST_TEST(text.find("s.yaml:6:") != std::string::npos, text);
  BOOST_TEST(text.find("ksim.coordinator.load.per.entry") != std::string::npos, text);
}

// More replicas than brokers: exit 2 at the key, as a topic's replication factor.
BOOST_AUTO_TEST_CASE(replication_factor_above_the_brokers_is_an_error) {
  const std::string text = cluster_config_errors("transaction.state.log.replication.factor: 4");
  BOOST_TEST(text.find("s.yaml:6:") != std::string::npos, text);
  BOOST_TEST(text.find("transaction.state.log.replication.factor") != std::string::npos, text);
  BOOST_TEST(text.find("only 3 brokers") != std::string::npos, text);
}
