#define BOOST_TEST_MODULE transactions
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/check/checker.h"
#include "sim/kafka/log/transaction_index.h"
#include "sim/kafka/world.h"

// Transactions: the per-replica transaction index (last stable offset, aborted ranges),
// and worlds with transactional producers read under both isolation levels.

using namespace ksim;
using namespace ksim::kafka;

namespace {

LogEntry data(std::uint32_t producer_id, bool transactional = true) {
  LogEntry entry;
  entry.message_id = 100 + producer_id;
  entry.set_producer(ProducerId{producer_id}, ProducerEpoch{0});
  entry.flags = transactional ? kTransactionalEntry : 0;
  return entry;
}

LogEntry marker(std::uint32_t producer_id, bool commit) {
  LogEntry entry;
  entry.message_id = history::kControlMessageId;
  entry.set_producer(ProducerId{producer_id}, ProducerEpoch{0});
  entry.flags = commit ? kCommitMarker : kAbortMarker;
  return entry;
}

// Appends to both the log and its index, as a broker does.
void append(ReplicaLog& log, TransactionIndex& index, const LogEntry& entry) {
  index.on_append(log.append(entry), entry);
}

WorldConfig transactional_world(std::uint64_t seed, bool read_committed) {
  WorldConfig config;
  config.seed = seed;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"payments", 3, 3, 2}};
  ProducerWorkload& producer = config.producers.front();
  producer.messages = 500;
  producer.rate_per_second = 500;
  producer.key_space = 10;
  producer.transaction_messages = 10;
  producer.transaction_abort_probability = 0.2;
  producer.config.transactional_id = "ledger";
  producer.config.enable_idempotence = true;
  ConsumerGroupConfig& group = config.consumer_groups.front();
  group.config.auto_offset_reset = OffsetReset::earliest;
  group.config.read_committed = read_committed;
  config.workload_duration_ns = seconds(2);
  config.drain_max_ns = seconds(60);
  return config;
}

// Runs a world to its end, requires its drain to complete, and checks its history.
check::Outcome run_to_drain_end(WorldConfig config, std::uint64_t seed) {
  World world(std::move(config));
  const RunOutput output = world.run();
  BOOST_TEST(output.drain_completed, "seed " << seed << ": " << output.drain_blocker);
  return check::check(output.history);
}

}  // namespace

BOOST_AUTO_TEST_CASE(last_stable_offset_stops_at_an_open_transaction) {
  ReplicaLog log;
  TransactionIndex index;
  append(log, index, data(7, false));  // offset 0: outside any transaction
  append(log, index, data(1));         // offset 1: producer 1 opens a transaction
  append(log, index, data(2));         // offset 2: producer 2 opens another
  append(log, index, data(1));         // offset 3
  BOOST_TEST(index.last_stable_offset(Offset{4}) == Offset{1});
  append(log, index, marker(1, true));  // offset 4: producer 1 commits
  // The marker is not below the high watermark yet: still unstable.
  BOOST_TEST(index.last_stable_offset(Offset{4}) == Offset{1});
  BOOST_TEST(index.last_stable_offset(Offset{5}) == Offset{2});  // producer 2's transaction still open
  append(log, index, marker(2, false));           // offset 5: producer 2 aborts
  BOOST_TEST(index.last_stable_offset(Offset{6}) == Offset{6});
  const auto aborted = index.aborted_between(Offset{0}, Offset{6});
  BOOST_TEST_REQUIRE(aborted.size() == 1u);
  BOOST_TEST(aborted[0].producer_id == ProducerId{2});
  BOOST_TEST(aborted[0].first_offset == Offset{2});
  BOOST_TEST(aborted[0].marker_offset == Offset{5});
  BOOST_TEST(index.aborted_between(Offset{0}, Offset{2}).empty());  // the fetched range ends before it
}

BOOST_AUTO_TEST_CASE(truncating_a_marker_reopens_its_transaction) {
  ReplicaLog log;
  TransactionIndex index;
  append(log, index, data(1));
  append(log, index, data(1));
  append(log, index, marker(1, true));
  BOOST_TEST(index.last_stable_offset(Offset{3}) == Offset{3});
  log.truncate_to(Offset{2});  // a new leader never had the marker
  index.rebuild(log);
  BOOST_TEST(index.last_stable_offset(Offset{2}) == Offset{0});
  log.truncate_to(Offset{0});
  index.rebuild(log);
  BOOST_TEST(index.empty());
}

BOOST_AUTO_TEST_CASE(a14_read_uncommitted_applies_aborted_records_read_committed_never_does) {
  std::uint64_t uncommitted_aborted_reads = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    for (const bool read_committed : {false, true}) {
      WorldConfig config = transactional_world(seed, read_committed);
      // Transactions long enough that an aborted one has batches in flight when it aborts:
      // a commit waits for its PrepareCommit to be replicated in __transaction_state and the
      // next transaction's first AddPartitionsToTxn for the CompleteCommit (20 ms backoff),
      // so at 500 sends/s a transaction of 10 lay whole in the application's backlog and an
      // abort dropped it before any partition was added (scenarios/a14 changed the same way).
      config.producers.front().rate_per_second = 200;
      config.producers.front().transaction_messages = 20;
      World world(config);
      const RunOutput output = world.run();
      BOOST_TEST(output.drain_completed);
      const check::Outcome outcome = check::check(output.history);
      // Some transactions aborted (the application was told so) ...
      BOOST_TEST(outcome.counters.failed > 0u);
      // ... every committed send reached the sink exactly once ...
      BOOST_TEST(outcome.counters.lost == 0u);
      BOOST_TEST(outcome.counters.duplicated == 0u);
      BOOST_TEST(outcome.counters.delivered >= outcome.counters.acknowledged);
      if (read_committed) {
        BOOST_TEST(outcome.counters.aborted_but_delivered == 0u);
        BOOST_TEST(outcome.jepsen.g1a.count == 0u);
        BOOST_TEST(outcome.counters.delivered == outcome.counters.acknowledged);
      } else {
        uncommitted_aborted_reads += outcome.counters.aborted_but_delivered;
        BOOST_TEST(outcome.jepsen.g1a.count == outcome.counters.aborted_but_delivered);
      }
      // Markers take offsets, but a consumer passing over them is no poll-skip.
      BOOST_TEST(outcome.jepsen.poll_skip.count == 0u);
    }
  }
  BOOST_TEST(uncommitted_aborted_reads > 0u);
}

BOOST_AUTO_TEST_CASE(a_restarted_transactional_producer_fences_and_aborts_its_open_transaction) {
  std::uint64_t coordinator_aborts_after_crash = 0, log_duplicates = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    WorldConfig config = transactional_world(seed, true);
    config.producers.front().transaction_abort_probability = 0;  // only the crash aborts
    config.consumer_groups.front().sink = SinkKind::idempotent;
    config.faults.push_back(FaultSpec{milliseconds(700), FaultAction::crash, {"producer-0"}, {}, false, milliseconds(300)});
    World world(std::move(config));
    const RunOutput output = world.run();
    BOOST_TEST(output.drain_completed);
    std::map<std::int32_t, std::int32_t> epoch_of_decision;  // transaction -> producer epoch
    for (const history::Record& r : output.history.records) {
      if (r.kind != history::RecordKind::transaction_ended) continue;
      epoch_of_decision[static_cast<std::int32_t>(r.offset)] = r.epoch;
      if (r.detail == 0) ++coordinator_aborts_after_crash;
    }
    // Transactions after the restart run under a higher epoch than those before it.
    BOOST_TEST(!epoch_of_decision.empty());
    BOOST_TEST(epoch_of_decision.rbegin()->second > epoch_of_decision.begin()->second);
    const check::Outcome outcome = check::check(output.history);
    log_duplicates += outcome.counters.log_duplicates;
    BOOST_TEST(outcome.counters.lost == 0u);
    BOOST_TEST(outcome.counters.duplicated == 0u);
    BOOST_TEST(outcome.counters.aborted_but_delivered == 0u);
  }
  // The crash left a transaction open in some seeds: the coordinator aborted it, and the
  // application's resends put second copies in the log that read_committed never shows.
  BOOST_TEST(coordinator_aborts_after_crash > 0u);
  BOOST_TEST(log_duplicates > 0u);
}

namespace {

// consume-transform-produce: an idempotent (not transactional) producer writes the input,
// one processor reads it read_committed and commits each poll in a transaction, aborting
// one in five.
WorldConfig processor_world(std::uint64_t seed, bool seek_on_abort) {
  WorldConfig config;
  config.seed = seed;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"orders", 3, 3, 2}};
  ProducerWorkload& producer = config.producers.front();
  producer.messages = 600;
  producer.rate_per_second = 500;
  producer.key_space = 10;
  ConsumerGroupConfig& group = config.consumer_groups.front();
  group.commit_strategy = CommitStrategy::transactional;
  group.transaction_abort_probability = 0.2;
  group.seek_on_abort = seek_on_abort;
  group.config.auto_offset_reset = OffsetReset::earliest;
  group.config.read_committed = true;
  group.config.max_poll_records = 20;
  config.workload_duration_ns = seconds(2);
  config.drain_max_ns = seconds(60);
  return config;
}

std::uint64_t aborted_processor_transactions(const history::History& history, const std::string& name) {
  std::uint32_t consumer = history::kNoNode;  // as the records hold nodes
  for (std::uint32_t n = 0; n < history.nodes.size(); ++n) {
    if (history.nodes[n].name == name) consumer = n;
  }
  BOOST_TEST_REQUIRE(consumer != history::kNoNode);
  std::uint64_t aborted = 0;
  for (const history::Record& r : history.records) {
    if (r.kind == history::RecordKind::transaction_ended && r.node == consumer && r.detail == 0) ++aborted;
  }
  return aborted;
}

// The most partitions one transaction of a member read (its effect_in_transaction records, by
// transaction number), and the most records.
std::pair<std::size_t, std::size_t> widest_transaction(const history::History& history) {
  std::map<std::pair<std::uint32_t, std::int32_t>, std::vector<std::uint32_t>> partitions;
  for (const history::Record& r : history.records) {
    if (r.kind == history::RecordKind::effect_in_transaction) partitions[{r.node, r.epoch}].push_back(r.partition);
  }
  std::size_t widest = 0, most_records = 0;
  for (auto& [transaction, read] : partitions) {
    most_records = std::max(most_records, read.size());
    std::sort(read.begin(), read.end());
    widest = std::max<std::size_t>(widest, std::unique(read.begin(), read.end()) - read.begin());
  }
  return {widest, most_records};
}

}  // namespace

// A transaction holds the offsets of every partition its poll read (one TxnOffsetCommit for
// all of them), so one poll of up to max.poll.records records over several partitions is one
// transaction; exactly-once holds through aborts (seek back on every partition of the
// transaction) and crashes.
BOOST_AUTO_TEST_CASE(consume_transform_produce_with_seek_is_exactly_once_through_aborts_and_crashes) {
  std::uint64_t aborted = 0;
  std::size_t widest = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    WorldConfig config = processor_world(seed, true);
    config.faults.push_back(FaultSpec{milliseconds(500), FaultAction::crash, {"group-0"}, {}, false, milliseconds(200)});
    World world(std::move(config));
    const RunOutput output = world.run();
    BOOST_TEST(output.drain_completed);
    aborted += aborted_processor_transactions(output.history, "group-0");
    const auto [partitions, records] = widest_transaction(output.history);
    widest = std::max(widest, partitions);
    BOOST_TEST(records <= 20u);  // max.poll.records
    const check::Outcome outcome = check::check(output.history);
    BOOST_TEST(outcome.counters.produced == 600u);
    BOOST_TEST(outcome.counters.delivered == 600u);
    BOOST_TEST(outcome.counters.lost == 0u);
    BOOST_TEST(outcome.counters.duplicated == 0u);
    BOOST_TEST(outcome.counters.reordered_within_key == 0u);
  }
  BOOST_TEST(aborted > 0u);  // aborts happened, and their input was processed again
  BOOST_TEST(widest >= 2u);  // some transaction read several partitions
}

BOOST_AUTO_TEST_CASE(a15_abort_without_seek_loses_the_aborted_input) {
  std::uint64_t lost = 0, abort_without_seek = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    World world(processor_world(seed, false));
    const RunOutput output = world.run();
    BOOST_TEST(output.drain_completed);
    const check::Outcome outcome = check::check(output.history);
    lost += outcome.counters.lost;
    abort_without_seek += outcome.lost_by_cause[static_cast<std::size_t>(check::CauseCategory::abort_without_seek)];
    BOOST_TEST(outcome.counters.duplicated == 0u);
  }
  BOOST_TEST(lost > 0u);
  BOOST_TEST(abort_without_seek == lost);  // every loss is explained by the missing seek
}

// A transactional producer that crashes just before the workload ends restarts in the
// drain, resends what was unanswered in a new transaction and must end that transaction
// itself (no later send will): every send gets an answer.
BOOST_AUTO_TEST_CASE(a_transactional_producer_restarted_by_the_drain_ends_its_resend_transaction) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    WorldConfig config = transactional_world(seed, true);
    config.producers.front().transaction_abort_probability = 0;
    config.producers.front().messages = 5'000;  // still sending when the workload ends at 2 s
    config.faults.push_back(FaultSpec{milliseconds(1'950), FaultAction::crash, {"producer-0"}, {}, false, 0});
    World world(std::move(config));
    const RunOutput output = world.run();
    BOOST_TEST(output.drain_completed, "seed " << seed << ": " << output.drain_blocker);
    const check::Outcome outcome = check::check(output.history);
    BOOST_TEST(outcome.counters.indeterminate == 0u);
    BOOST_TEST(outcome.counters.lost == 0u);
  }
}

// While a leader is down, the coordinator cannot write a marker there, so every
// AddPartitionsToTxn of the next transaction is answered CONCURRENT_TRANSACTIONS and
// retried: one retry per partition at a time. (Each retry once left its request timer
// behind as well, and those timers doubled at every round until the event queue bound.)
BOOST_AUTO_TEST_CASE(add_partitions_retries_stay_one_per_partition_while_markers_wait) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    WorldConfig config = transactional_world(seed, true);
    config.producers.front().config.request_timeout_ns = milliseconds(200);
    config.producers.front().config.retry_backoff_ns = milliseconds(20);
    config.faults.push_back(FaultSpec{milliseconds(500), FaultAction::crash, {"broker-1"}, {}, false, seconds(3)});
    World world(std::move(config));
    const RunOutput output = world.run();
    BOOST_TEST(output.drain_completed, "seed " << seed << ": " << output.drain_blocker);
    BOOST_TEST(output.run.events_executed < 2'000'000u, "seed " << seed << ": " << output.run.events_executed << " events");
  }
}

// All three brokers lose power mid-transaction (nothing flushed: os.flush.interval 60 s),
// so the leaders elected afterwards have empty logs and no producer state. The
// transaction's batches that still follow earlier ones of the same epoch are answered
// OUT_OF_ORDER_SEQUENCE_NUMBER. Kafka's transactional producer does not retry that gap
// (TransactionManager.canRetry): the batch fails and the transaction aborts. The model
// once retried it until delivery.timeout.ms (120 s), and the drain waited on the
// transaction's unanswered sends (9 of these 10 seeds).
BOOST_AUTO_TEST_CASE(a_transactional_producer_fails_a_sequence_gap_after_power_failure_and_aborts) {
  std::uint64_t failed = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    WorldConfig config = transactional_world(seed, true);
    config.producers.front().transaction_abort_probability = 0;
    config.producers.front().config.request_timeout_ns = milliseconds(200);
    config.producers.front().config.retry_backoff_ns = milliseconds(20);
    config.cluster.broker.os_flush_interval_ns = seconds(60);
    config.drain_max_ns = seconds(30);  // well below delivery.timeout.ms and transaction.timeout.ms
    config.faults.push_back(FaultSpec{seconds(1), FaultAction::power_failure, {"broker-1", "broker-2", "broker-3"},
                                      {}, false, milliseconds(500)});
    const check::Outcome outcome = run_to_drain_end(std::move(config), seed);
    failed += outcome.counters.failed;
    BOOST_TEST(outcome.counters.duplicated == 0u);
    BOOST_TEST(outcome.counters.aborted_but_delivered == 0u);
  }
  BOOST_TEST(failed > 0u);  // the gap's transactions aborted: their sends failed
}

// A transactional producer paused for three times its transaction.timeout.ms: the
// coordinator aborts the open transaction and bumps the epoch, so the producer's next
// AddPartitionsToTxn is fenced. When the application had already asked to commit, the
// model once kept the unsent batch of a partition never added, re-sent AddPartitionsToTxn
// (fenced) every few ms and never sent EndTxn, until the drain bound. As Kafka's Sender
// (abortUndrainedBatches / maybeAbortBatches), the unsent batches now fail, the
// transaction aborts and the producer re-initialises with a new epoch.
BOOST_AUTO_TEST_CASE(a_producer_paused_past_its_transaction_timeout_fails_its_unsent_batches_and_goes_on) {
  std::uint64_t failed = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    WorldConfig config = transactional_world(seed, true);
    ProducerWorkload& producer = config.producers.front();
    producer.transaction_abort_probability = 0;
    producer.messages = 600;
    producer.rate_per_second = 200;
    producer.config.transaction_timeout_ns = milliseconds(500);
    producer.config.request_timeout_ns = milliseconds(300);
    producer.config.retry_backoff_ns = milliseconds(20);
    config.workload_duration_ns = seconds(3);
    config.faults.push_back(
        FaultSpec{seconds(1), FaultAction::pause, {"producer-0"}, {}, false, milliseconds(1'500)});
    const check::Outcome outcome = run_to_drain_end(std::move(config), seed);
    failed += outcome.counters.failed;
    BOOST_TEST(outcome.counters.lost == 0u);
    BOOST_TEST(outcome.counters.duplicated == 0u);
    BOOST_TEST(outcome.counters.indeterminate == 0u);
    BOOST_TEST(outcome.counters.aborted_but_delivered == 0u);
  }
  BOOST_TEST(failed > 0u);  // the timed-out transactions' unsent sends failed
}
