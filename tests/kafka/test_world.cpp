#define BOOST_TEST_MODULE world
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "sim/kafka/world.h"

using namespace ksim;
using namespace ksim::kafka;
using history::RecordKind;

namespace {

struct Tally {
  std::uint64_t sent = 0, acknowledged = 0, failed = 0, applied = 0, distinct_applied = 0, duplicate_effects = 0;
  std::uint64_t acknowledged_not_applied = 0;
  std::uint64_t truncations = 0, elections = 0, unclean_elections = 0;
};

// A minimal reading of the history, enough to drive the model's tests until the
// checker arrives: the checker proper lives in sim/check.
Tally tally(const history::History& history) {
  Tally t;
  std::set<std::uint64_t> acknowledged;
  std::map<std::uint64_t, int> effects;
  for (const history::Record& r : history.records) {
    switch (r.kind) {
      case RecordKind::send: ++t.sent; break;
      case RecordKind::send_acknowledged: ++t.acknowledged; acknowledged.insert(r.message_id); break;
      case RecordKind::send_failed: ++t.failed; break;
      case RecordKind::effect_applied: ++t.applied; ++effects[r.message_id]; break;
      case RecordKind::truncate: ++t.truncations; break;
      case RecordKind::leader_elected: ++t.elections; t.unclean_elections += r.detail; break;
      default: break;
    }
  }
  t.distinct_applied = effects.size();
  for (const auto& [id, count] : effects) t.duplicate_effects += static_cast<std::uint64_t>(count - 1);
  for (const std::uint64_t id : acknowledged) t.acknowledged_not_applied += effects.count(id) == 0 ? 1 : 0;
  return t;
}

WorldConfig small_cluster(std::uint64_t seed) {
  WorldConfig config;
  config.seed = seed;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"events", 3, 3, 2}};
  config.producers.front().messages = 2'000;
  config.producers.front().rate_per_second = 1'000;
  config.producers.front().key_space = 10;
  config.consumer_groups.front().config.auto_offset_reset = OffsetReset::earliest;
  config.link_profile.latency.mean_ns = milliseconds(1);
  config.workload_duration_ns = seconds(3);
  config.drain_max_ns = seconds(120);
  return config;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fault_free_run_delivers_every_message_once) {
  World world(small_cluster(1));
  const RunOutput output = world.run();
  const Tally t = tally(output.history);
  BOOST_TEST_MESSAGE("events " << output.run.events_executed << " sent " << t.sent << " acked " << t.acknowledged
                               << " applied " << t.applied << " end " << output.run.end_time_ns);
  BOOST_TEST(output.drain_completed);
  BOOST_TEST(t.sent == 2'000u);
  BOOST_TEST(t.acknowledged == 2'000u);
  BOOST_TEST(t.distinct_applied == 2'000u);
  BOOST_TEST(t.duplicate_effects == 0u);
}

BOOST_AUTO_TEST_CASE(same_seed_same_fingerprint) {
  World first(small_cluster(5));
  World second(small_cluster(5));
  World other(small_cluster(6));
  const auto a = first.run();
  const auto b = second.run();
  const auto c = other.run();
  BOOST_TEST(a.run.fingerprint == b.run.fingerprint);
  BOOST_TEST(a.history.records.size() == b.history.records.size());
  BOOST_TEST(a.run.fingerprint != c.run.fingerprint);
}

namespace {
WorldConfig with_leader_crash(WorldConfig config, Acks acks, bool idempotence, double loss) {
  ProducerConfig& producer = config.producers.front().config;
  producer.acks = acks;
  producer.enable_idempotence = idempotence;
  producer.request_timeout_ns = milliseconds(200);
  producer.retry_backoff_ns = milliseconds(20);
  config.link_profile.loss.loss_probability = loss;
  config.cluster.broker.replica_socket_timeout_ns = milliseconds(1'000);
  config.cluster.broker.replica_fetch_wait_max_ns = milliseconds(100);
  config.faults.push_back(FaultSpec{milliseconds(1'500), FaultAction::crash, {"broker-1"}, {}, false, seconds(5)});
  return config;
}
}  // namespace

