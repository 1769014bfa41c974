#define BOOST_TEST_MODULE sparse_partitions
#include <boost/test/unit_test.hpp>

#include <vector>

#include "sim/kafka/broker/sparse_partitions.h"

// Issue 19: a broker keeps replica state only for the partitions it hosts. The container
// must find what was added, nothing else, keep references stable, and iterate in partition
// order whatever the order of addition (the order the dense vector it replaced gave, on
// which a run's event order depends).

using ksim::kafka::SparsePartitions;

BOOST_AUTO_TEST_CASE(finds_only_added_partitions) {
  SparsePartitions<int> values;
  BOOST_TEST(values.find(ksim::PartitionId{7}) == nullptr);
  values[ksim::PartitionId{7}] = 70;
  values[ksim::PartitionId{9'999}] = 99;
  BOOST_TEST(values.size() == 2u);
  BOOST_REQUIRE(values.find(ksim::PartitionId{7}) != nullptr);
  BOOST_TEST(*values.find(ksim::PartitionId{7}) == 70);
  BOOST_TEST(*values.find(ksim::PartitionId{9'999}) == 99);
  BOOST_TEST(values.find(ksim::PartitionId{8}) == nullptr);
  BOOST_TEST(values.find(ksim::PartitionId{0}) == nullptr);
  values[ksim::PartitionId{7}] += 1;  // a second use finds the same value, adds none
  BOOST_TEST(values.size() == 2u);
  BOOST_TEST(*values.find(ksim::PartitionId{7}) == 71);
}

BOOST_AUTO_TEST_CASE(iterates_in_partition_order_and_keeps_references) {
  SparsePartitions<std::vector<int>> values;
  std::vector<int>& first = values[ksim::PartitionId{500}];
  first.push_back(1);
  const std::vector<std::uint32_t> added = {3, 900, 1, 42, 499, 501, 0, 10'000};
  for (const std::uint32_t partition : added) values[ksim::PartitionId{partition}].push_back(static_cast<int>(partition));
  BOOST_TEST(&first == values.find(ksim::PartitionId{500}));  // adding others moved nothing
  BOOST_TEST(first.size() == 1u);
  std::vector<std::uint32_t> seen;
  values.for_each([&](ksim::PartitionId partition, std::vector<int>&) { seen.push_back(partition.value()); });
  const std::vector<std::uint32_t> expected = {0, 1, 3, 42, 499, 500, 501, 900, 10'000};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}
