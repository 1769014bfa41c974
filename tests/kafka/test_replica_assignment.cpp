#define BOOST_TEST_MODULE replica_assignment
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "sim/kafka/controller/replica_assignment.h"

// Kafka's rack-aware replica assignment (AdminUtils.assignReplicasToBrokersRackAware):
// hand-computed cases from Kafka's own documentation of the algorithm, and the properties
// it promises: replicas of a partition on distinct racks when there are enough racks,
// leaders spread evenly.

using namespace ksim::kafka;

namespace {

using Assignment = std::vector<std::vector<std::uint32_t>>;

void expect_assignment(const Assignment& actual, const Assignment& expected) {
  BOOST_REQUIRE(actual.size() == expected.size());
  for (std::size_t p = 0; p < expected.size(); ++p) {
    BOOST_TEST_CONTEXT("partition " << p) { BOOST_TEST(actual[p] == expected[p], boost::test_tools::per_element()); }
  }
}

// Broker b on rack racks[b % racks.size()]: brokers spread evenly over the racks.
std::vector<std::string> racks_round_robin(std::uint32_t brokers, const std::vector<std::string>& racks) {
  std::vector<std::string> broker_racks;
  for (std::uint32_t b = 0; b < brokers; ++b) broker_racks.push_back(racks[b % racks.size()]);
  return broker_racks;
}

}  // namespace

// Kafka's example: 0 -> rack1, 1 -> rack3, 2 -> rack3, 3 -> rack2, 4 -> rack2, 5 -> rack1.
const std::vector<std::string> kKafkaExampleRacks{"rack1", "rack3", "rack3", "rack2", "rack2", "rack1"};

BOOST_AUTO_TEST_CASE(brokers_alternate_by_rack_in_rack_name_order) {
  const std::vector<std::uint32_t> expected{0, 3, 1, 5, 4, 2};
  BOOST_TEST(rack_alternated_brokers(kKafkaExampleRacks) == expected, boost::test_tools::per_element());
  // Uneven racks: the small rack runs out and the others go on alternating.
  const std::vector<std::uint32_t> uneven{0, 1, 2, 4, 3, 5};
  BOOST_TEST(rack_alternated_brokers({"a", "b", "a", "a", "b", "a"}) == uneven, boost::test_tools::per_element());
  const std::vector<std::uint32_t> racks_by_name{2, 0, 3, 1};
  BOOST_TEST(rack_alternated_brokers({"b", "b", "a", "a"}) == racks_by_name, boost::test_tools::per_element());
}

// Kafka's example, start index 0 and shift 0: 6 partitions, RF 3, round robin over the
// alternated list 0, 3, 1, 5, 4, 2; the seventh partition starts shifting the followers.
BOOST_AUTO_TEST_CASE(rack_aware_assignment_follows_kafkas_example) {
  expect_assignment(assign_replicas_rack_aware(7, 3, kKafkaExampleRacks, 0, 0),
                    {{0, 3, 1}, {3, 1, 5}, {1, 5, 4}, {5, 4, 2}, {4, 2, 0}, {2, 0, 3}, {0, 4, 2}});
}

// Two racks, RF 3: the third replica has to share a rack; it goes to the next broker in the
// alternated list that holds no replica. Racks a: 0, 2; b: 1, 3 -> list 0, 1, 2, 3.
// p0: leader 0 (a); shift 1 -> 1 (b); then every rack has a replica: shift 2 -> 2.
// p1: leader 1 (b); 2 (a); 3.  p2: leader 2; 3; 0.  p3: leader 3; 0; 1.
BOOST_AUTO_TEST_CASE(more_replicas_than_racks_fill_every_rack_then_round_robin) {
  expect_assignment(assign_replicas_rack_aware(4, 3, {"a", "b", "a", "b"}, 0, 0),
                    {{0, 1, 2}, {1, 2, 3}, {2, 3, 0}, {3, 0, 1}});
}

// With a start index and shift: 4 brokers on racks a, a, b, b -> list 0, 2, 1, 3; start 1,
// shift 1, RF 2: p0 leader list[1] = 2 (b), follower at 1 + 1 + (1*2 + 0) % 3 = 4 % 4 = 0
// -> list[0] = 0 (a). p1 leader list[2] = 1 (a), follower (2 + 1 + 2) % 4 = 1 -> 2 (b).
BOOST_AUTO_TEST_CASE(start_index_and_shift_move_leaders_and_followers) {
  expect_assignment(assign_replicas_rack_aware(2, 2, {"a", "a", "b", "b"}, 1, 1), {{2, 0}, {1, 2}});
}

BOOST_AUTO_TEST_CASE(replicas_land_on_distinct_racks_and_leaders_are_balanced) {
  struct Case {
    std::uint32_t brokers, racks, replication_factor, partitions;
  };
  const std::vector<std::string> names{"r1", "r2", "r3", "r4"};
  for (const Case c : {Case{3, 3, 3, 30}, Case{6, 3, 3, 60}, Case{9, 3, 2, 45}, Case{8, 4, 3, 64}, Case{6, 2, 2, 12}}) {
    const std::vector<std::string> racks =
        racks_round_robin(c.brokers, std::vector<std::string>(names.begin(), names.begin() + c.racks));
    for (std::uint32_t start = 0; start < c.brokers; ++start) {
      for (std::uint32_t shift = 0; shift < c.brokers; ++shift) {
        const Assignment assignment = assign_replicas_rack_aware(c.partitions, c.replication_factor, racks, start, shift);
        std::vector<std::uint32_t> leaders(c.brokers, 0);
        for (const auto& replicas : assignment) {
          BOOST_TEST(replicas.size() == c.replication_factor);
          std::set<std::string> replica_racks;
          for (const std::uint32_t b : replicas) replica_racks.insert(racks[b]);
          BOOST_TEST(replica_racks.size() == c.replication_factor);
          ++leaders[replicas.front()];
        }
        // partitions is a multiple of brokers in every case: each broker leads as many.
        for (const std::uint32_t count : leaders) BOOST_TEST(count == c.partitions / c.brokers);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_cluster_uses_racks_only_when_every_broker_has_one) {
  expect_assignment(assign_replicas_for_cluster(6, 3, 3, {}, 0, 0), assign_replicas(6, 3, 3, 0, 0));
  expect_assignment(assign_replicas_for_cluster(6, 3, 3, {"", "", ""}, 0, 0), assign_replicas(6, 3, 3, 0, 0));
  expect_assignment(assign_replicas_for_cluster(7, 3, 6, kKafkaExampleRacks, 0, 0),
                    assign_replicas_rack_aware(7, 3, kKafkaExampleRacks, 0, 0));
}
