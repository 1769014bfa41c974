#define BOOST_TEST_MODULE rebalance_protocols
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/check/checker.h"
#include "sim/kafka/world.h"

// Scenario tests of partition.assignment.strategy: a three-member group whose third member
// crashes, is evicted, and joins again; what the two other members go through when it
// comes back, under the eager range assignor and under cooperative-sticky (KIP-429).

using namespace ksim;
using namespace ksim::kafka;

namespace {

constexpr std::uint32_t kPartitions = 6;
constexpr TimeNs kRejoinNs = milliseconds(4'100);  // group-2 restarts (and joins) then

WorldConfig group_with_a_returning_member(std::uint64_t seed, AssignmentStrategy strategy) {
  WorldConfig config;
  config.seed = seed;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"events", kPartitions, 3, 2}};
  config.producers.front().messages = 8'000;
  config.producers.front().rate_per_second = 1'000;
  config.producers.front().key_space = 60;
  ConsumerGroupConfig& group = config.consumer_groups.front();
  group.members = 3;
  group.commit_strategy = CommitStrategy::after_processing;
  group.config.auto_offset_reset = OffsetReset::earliest;
  group.config.session_timeout_ns = seconds(2);
  group.config.heartbeat_interval_ns = milliseconds(500);
  group.config.partition_assignment_strategy = strategy;
  config.workload_duration_ns = seconds(8);
  config.drain_max_ns = seconds(120);
  config.faults.push_back(FaultSpec{milliseconds(100), FaultAction::crash, {"group-2"}, {}, false, seconds(4)});
  return config;
}

struct Rebalances {
  std::map<std::string, std::vector<std::uint32_t>> revoked_after_rejoin;   // member -> partitions
  std::map<std::string, std::vector<std::uint32_t>> assigned_after_rejoin;  // member -> partitions
  bool two_owners_at_once = false;
  std::uint64_t duplicated = 0;
  bool drain_completed = false;
};

// Replays the group's assignments: who owns each partition, from assigned and revoked
// records (a crash drops everything the member had). The eager protocol as modelled sends
// all members their new assignment at once, without Kafka's wait for every member to
// rejoin, so a partition can briefly have two owners there; the cooperative one must not.
Rebalances observe(const WorldConfig& config) {
  World world(config);
  const RunOutput output = world.run();
  Rebalances seen;
  seen.drain_completed = output.drain_completed;
  seen.duplicated = check::check(output.history).counters.duplicated;
  std::vector<std::uint32_t> owner(kPartitions, history::kNoNode);
  for (const history::Record& r : output.history.records) {
    const std::string& name = r.node == history::kNoNode ? std::string() : output.history.nodes[r.node].name;
    if (r.kind == history::RecordKind::fault && r.detail == static_cast<std::uint8_t>(history::FaultKind::crash)) {
      for (std::uint32_t& o : owner) o = o == r.node ? history::kNoNode : o;
    } else if (r.kind == history::RecordKind::partition_assigned) {
      if (owner[r.partition] != history::kNoNode && owner[r.partition] != r.node) seen.two_owners_at_once = true;
      owner[r.partition] = r.node;
      if (r.time_ns >= kRejoinNs) seen.assigned_after_rejoin[name].push_back(r.partition);
    } else if (r.kind == history::RecordKind::partition_revoked) {
      // Revoked after another member already took it: it had two owners for a while.
      if (owner[r.partition] != r.node) seen.two_owners_at_once = true;
      if (owner[r.partition] == r.node) owner[r.partition] = history::kNoNode;
      if (r.time_ns >= kRejoinNs) seen.revoked_after_rejoin[name].push_back(r.partition);
    }
  }
  return seen;
}

std::size_t count(const std::map<std::string, std::vector<std::uint32_t>>& by_member, const std::string& member) {
  const auto found = by_member.find(member);
  return found == by_member.end() ? 0 : found->second.size();
}

}  // namespace

// Eager range: when group-2 comes back, group-0 and group-1 give up all six partitions
// they hold between them and take their new share afresh.
BOOST_AUTO_TEST_CASE(eager_range_revokes_every_partition_when_a_member_joins) {
  const Rebalances seen = observe(group_with_a_returning_member(1, AssignmentStrategy::range));
  BOOST_TEST(seen.drain_completed);
  BOOST_TEST(count(seen.revoked_after_rejoin, "group-0") + count(seen.revoked_after_rejoin, "group-1") == kPartitions);
  BOOST_TEST(count(seen.assigned_after_rejoin, "group-2") == 2u);
  // Range gives the joining member 4 and 5 (group-0 0, 1; group-1 2, 3): group-0 and
  // group-1 get back two each, kept ones included.
  BOOST_TEST(count(seen.assigned_after_rejoin, "group-0") == 2u);
  BOOST_TEST(count(seen.assigned_after_rejoin, "group-1") == 2u);
}

// Cooperative sticky: only the two partitions group-2 needs move, each revoked by its old
// owner in one rebalance and assigned to group-2 in the follow-up; group-0 and group-1
// keep the rest without a revocation, and no partition ever has two owners.
BOOST_AUTO_TEST_CASE(cooperative_sticky_moves_only_what_the_joining_member_needs) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    BOOST_TEST_CONTEXT("seed " << seed) {
      const Rebalances seen = observe(group_with_a_returning_member(seed, AssignmentStrategy::cooperative_sticky));
      BOOST_TEST(seen.drain_completed);
      BOOST_TEST(!seen.two_owners_at_once);
      BOOST_TEST(count(seen.revoked_after_rejoin, "group-0") == 1u);
      BOOST_TEST(count(seen.revoked_after_rejoin, "group-1") == 1u);
      BOOST_TEST(count(seen.assigned_after_rejoin, "group-0") == 0u);
      BOOST_TEST(count(seen.assigned_after_rejoin, "group-1") == 0u);
      std::vector<std::uint32_t> moved = seen.revoked_after_rejoin.at("group-0");
      moved.push_back(seen.revoked_after_rejoin.at("group-1").front());
      std::vector<std::uint32_t> joined = seen.assigned_after_rejoin.at("group-2");
      std::sort(moved.begin(), moved.end());
      std::sort(joined.begin(), joined.end());
      BOOST_TEST(joined == moved, boost::test_tools::per_element());
    }
  }
}

// Members that keep their partitions keep processing through the rebalance, so the
// cooperative protocol redelivers fewer records than the eager one on the same seeds.
BOOST_AUTO_TEST_CASE(cooperative_sticky_redelivers_less_than_eager_range) {
  std::uint64_t eager = 0;
  std::uint64_t cooperative = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    eager += observe(group_with_a_returning_member(seed, AssignmentStrategy::range)).duplicated;
    cooperative += observe(group_with_a_returning_member(seed, AssignmentStrategy::cooperative_sticky)).duplicated;
  }
  BOOST_TEST_MESSAGE("duplicated: eager range " << eager << ", cooperative-sticky " << cooperative);
  BOOST_TEST(cooperative < eager);
}

// Three members starting together under cooperative-sticky: the first gets every
// partition, then gives up what the others should own, rejoining one generation behind the
// rebalances its peers' joins caused. Its rejoin lists what it still owns, so the moved
// partitions reach their new owners at once (they once waited for a heartbeat at a newer
// generation, heartbeat.interval.ms later, and under faults sometimes never).
BOOST_AUTO_TEST_CASE(cooperative_start_hands_every_partition_out_within_milliseconds) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    WorldConfig config = group_with_a_returning_member(seed, AssignmentStrategy::cooperative_sticky);
    config.faults.clear();
    config.consumer_groups.front().config.heartbeat_interval_ns = milliseconds(1'500);
    World world(config);
    const RunOutput output = world.run();
    std::map<std::uint32_t, TimeNs> first_assigned;  // partition -> time
    for (const history::Record& r : output.history.records) {
      if (r.kind == history::RecordKind::partition_assigned && !first_assigned.contains(r.partition)) {
        first_assigned[r.partition] = r.time_ns;
      }
    }
    std::map<std::string, std::uint32_t> owned_by;  // member -> partitions assigned before 100 ms, net of revocations
    for (const history::Record& r : output.history.records) {
      if (r.time_ns > milliseconds(100)) break;
      const std::string& member = output.history.nodes[r.node].name;
      if (r.kind == history::RecordKind::partition_assigned) ++owned_by[member];
      if (r.kind == history::RecordKind::partition_revoked) --owned_by[member];
    }
    BOOST_TEST(first_assigned.size() == kPartitions);
    BOOST_TEST(owned_by.size() == 3u, "seed " << seed);  // every member owns partitions by 100 ms
    for (const auto& [member, count] : owned_by) BOOST_TEST(count == 2u, "seed " << seed << ": " << member);
  }
}
