#define BOOST_TEST_MODULE kafka_pipeline
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "sim/check/checker.h"
#include "sim/history/records.h"
#include "sim/scenario/input_error.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/kafka/run_text.h"

// Pipelines (issue 15 item 6): a processor group writes one output record per input record
// to an output topic, read by a downstream group. A scripted crash of the processor between
// its writes and its commit makes at-least-once write some outputs twice, which the
// downstream group applies twice end to end; exactly-once-transactions commits the outputs
// with the offsets, so nothing is lost or duplicated end to end.
using namespace ksim;

namespace {

std::string pipeline(const std::string& mode) {
  return R"(version: 1
name: pipeline
duration: 2s
cluster:
  brokers: 3
  config: {min.insync.replicas: 2}
  topics:
    - {name: orders, partitions: 2, replication.factor: 3}
    - {name: results, partitions: 2, replication.factor: 3}
producers:
  - {name: checkout, topic: orders, messages: 1000, rate: 1000/s}
consumers:
  - {name: enrich, topic: orders, processing.time: 200us, output: {topic: results},
     config: {auto.offset.reset: earliest}}
  - {name: billing, topic: results, config: {auto.offset.reset: earliest}}
faults:
  - {kind: crash, targets: [enrich-0], at: 700ms, duration: 300ms}
modes: [)" + mode + "]\n";
}

// A processor's transaction: its node and its transaction number (a send record's offset field).
using Transaction = std::pair<std::uint32_t, std::int64_t>;
using PartitionsByTransaction = std::map<Transaction, std::set<std::uint32_t>>;

std::size_t most_partitions(const PartitionsByTransaction& partitions_by_transaction) {
  std::size_t most = 0;
  for (const auto& [transaction, partitions] : partitions_by_transaction) {
    most = std::max(most, partitions.size());
  }
  return most;
}

// Every order reaches billing exactly once.
void check_exactly_once_end_to_end(const history::History& history) {
  const check::PipelineCounters& p = check::check(history).pipeline;
  BOOST_TEST(p.end_to_end.lost == 0U);
  BOOST_TEST(p.end_to_end.duplicated == 0U);
  BOOST_TEST(p.end_to_end.delivered == 1000U);
}

check::Outcome run_and_check(const std::string& mode, std::uint64_t seed) {
  const kafka::RunOutput out = testing::run_text(pipeline(mode), seed);
  BOOST_REQUIRE(out.drain_completed);
  const auto links = testing::records_of(out.history, history::RecordKind::output_produced);
  BOOST_TEST(links.size() >= 1000U);  // every input record processed at least once
  return check::check(out.history);
}

}  // namespace

BOOST_AUTO_TEST_CASE(at_least_once_duplicates_downstream_after_a_processor_crash) {
  const check::Outcome outcome = run_and_check("at-least-once", 1);
  const check::PipelineCounters& p = outcome.pipeline;
  BOOST_REQUIRE(p.present);
  BOOST_TEST(p.end_to_end.lost == 0U);
  BOOST_TEST(p.end_to_end.duplicated > 0U);
  BOOST_TEST(p.end_to_end.delivered == 1000U);
  // The duplicates come from the processor's redelivery: written twice, applied twice
  // (an output written but unacknowledged before the crash is one more downstream copy)
  BOOST_TEST(p.end_to_end.duplicated >= p.input_to_processor.duplicated);
  BOOST_TEST(p.input_to_processor.duplicated > 0U);
  BOOST_TEST(p.output_to_downstream.lost == 0U);
}

BOOST_AUTO_TEST_CASE(exactly_once_transactions_neither_loses_nor_duplicates_end_to_end) {
  const check::Outcome outcome = run_and_check("exactly-once-transactions", 1);
  const check::PipelineCounters& p = outcome.pipeline;
  BOOST_REQUIRE(p.present);
  BOOST_TEST(p.end_to_end.lost == 0U);
  BOOST_TEST(p.end_to_end.duplicated == 0U);
  BOOST_TEST(p.end_to_end.delivered == 1000U);
  BOOST_TEST(p.input_to_processor.duplicated == 0U);
}

// A transactional processor's poll spans its partitions, as a non-transactional one's does
// (KIP-41): its one transaction writes to the output partition of each, adding each to the
// transaction before its first write. Fails if a poll holds one partition only.
BOOST_AUTO_TEST_CASE(one_transaction_writes_to_several_output_partitions_and_stays_exactly_once) {
  std::size_t widest = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const kafka::RunOutput out = testing::run_text(pipeline("exactly-once-transactions"), seed);
    BOOST_REQUIRE(out.drain_completed);
    PartitionsByTransaction written;  // output partitions written
    for (const history::Record& send : testing::records_of(out.history, history::RecordKind::send)) {
      if (send.offset != history::kNoOffset) written[{send.node, send.offset}].insert(send.partition);
    }
    widest = std::max(widest, most_partitions(written));
    check_exactly_once_end_to_end(out.history);
  }
  BOOST_TEST(widest == 2U);  // both output partitions in one transaction
}

// An abort of such a transaction drops its writes to every output partition it added: each
// output record is answered failed under its own partition, and the seek back processes the
// input again, so the pipeline stays exactly-once end to end.
BOOST_AUTO_TEST_CASE(an_aborted_transaction_fails_its_writes_to_every_output_partition) {
  std::string text = pipeline("exactly-once-transactions");
  const std::string output = "output: {topic: results},";
  text.replace(text.find(output), output.size(), output + " transaction_abort_probability: 0.2,");
  std::size_t widest_aborted = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const kafka::RunOutput out = testing::run_text(text, seed);
    BOOST_REQUIRE(out.drain_completed);
    std::map<std::uint64_t, Transaction> transaction_of;  // by output record id
    for (const history::Record& send : testing::records_of(out.history, history::RecordKind::send)) {
      if (send.offset != history::kNoOffset) transaction_of[send.message_id] = {send.node, send.offset};
    }
    PartitionsByTransaction failed;  // output partitions of its failed writes
    for (const history::Record& r : testing::records_of(out.history, history::RecordKind::send_failed)) {
      const auto found = transaction_of.find(r.message_id);
      if (found == transaction_of.end()) continue;
      BOOST_TEST(r.detail == static_cast<std::uint8_t>(history::ErrorCode::transaction_aborted));
      failed[found->second].insert(r.partition);
    }
    widest_aborted = std::max(widest_aborted, most_partitions(failed));
    check_exactly_once_end_to_end(out.history);
  }
  BOOST_TEST(widest_aborted == 2U);  // an aborted transaction had written to both output partitions
}

BOOST_AUTO_TEST_CASE(output_topic_must_exist_and_differ_from_the_input) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"output: {topic: results}", "output: {topic: nope}"},
                                 {"output: {topic: results}", "output: {topic: orders}"}}) {
    std::string text = pipeline("at-least-once");
    text.replace(text.find(from), from.size(), to);
    scenario::InputErrors errors;
    BOOST_TEST(!scenario::load_scenario_text(text, "pipeline.yaml", errors).has_value());
    BOOST_TEST(errors.to_string().find("output.topic") != std::string::npos, errors.to_string());
  }
}
