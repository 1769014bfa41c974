#define BOOST_TEST_MODULE partitioner
#include <boost/test/unit_test.hpp>

#include <set>

#include "sim/kafka/client/partitioner.h"
#include "sim/kafka/controller/replica_assignment.h"

using namespace ksim::kafka;

// Kafka's own vectors (clients UtilsTest.testMurmur2), Java signed ints.
BOOST_AUTO_TEST_CASE(murmur2_matches_kafka_test_vectors) {
  BOOST_TEST(murmur2("21") == -973932308);
  BOOST_TEST(murmur2("foobar") == -790332482);
  BOOST_TEST(murmur2("a-little-bit-long-string") == -985981536);
  BOOST_TEST(murmur2("a-little-bit-longer-string") == -1486304829);
  BOOST_TEST(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  BOOST_TEST(murmur2("abc") == 479470107);
}

BOOST_AUTO_TEST_CASE(partition_for_key_is_positive_hash_mod_partitions) {
  // (-790332482 & 0x7fffffff) % 12 = 1357151166 % 12
  BOOST_TEST(partition_for_key("foobar", 12) == static_cast<std::uint32_t>(1357151166 % 12));
  BOOST_TEST(partition_for_key("abc", 7) == static_cast<std::uint32_t>(479470107 % 7));
  BOOST_TEST(key_bytes(17) == "key-17");
}

BOOST_AUTO_TEST_CASE(keys_spread_over_partitions) {
  std::set<std::uint32_t> used;
  for (std::uint64_t key = 0; key < 200; ++key) used.insert(partition_for_key(key_bytes(key), 12));
  BOOST_TEST(used.size() == 12u);
}

// Kafka's rack-unaware assignment with start index 0 and shift 0 on 3 brokers:
// p0 [0,1,2], p1 [1,2,0], p2 [2,0,1], then the shift grows: p3 [0,2,1], p4 [1,0,2], p5 [2,1,0].
BOOST_AUTO_TEST_CASE(replica_assignment_follows_kafka) {
  const auto assignment = assign_replicas(6, 3, 3, 0, 0);
  const std::vector<std::vector<std::uint32_t>> expected{{0, 1, 2}, {1, 2, 0}, {2, 0, 1},
                                                         {0, 2, 1}, {1, 0, 2}, {2, 1, 0}};
  BOOST_TEST(assignment.size() == expected.size());
  for (std::size_t p = 0; p < expected.size(); ++p) {
    BOOST_TEST(assignment[p] == expected[p], boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(replica_assignment_spreads_leaders_and_never_repeats_a_broker) {
  const auto assignment = assign_replicas(12, 3, 5, 2, 3);
  std::vector<int> leaders(5, 0);
  for (const auto& replicas : assignment) {
    BOOST_TEST(std::set<std::uint32_t>(replicas.begin(), replicas.end()).size() == 3u);
    ++leaders[replicas.front()];
  }
  for (const int count : leaders) BOOST_TEST((count == 2 || count == 3));
}
