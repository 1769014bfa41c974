#define BOOST_TEST_MODULE partition_assignor
#include <boost/test/unit_test.hpp>

#include <set>
#include <vector>

#include "sim/kafka/coordinator/partition_assignor.h"

// Kafka's consumer partition assignors on one topic: range (consecutive runs), round robin
// (dealt in turn) and the sticky assignors (balanced, keeping what members owned), with
// cases worked by hand from Kafka's algorithms.

using namespace ksim::kafka;

namespace {

void expect_assignment(const MemberPartitions& actual, const MemberPartitions& expected) {
  BOOST_REQUIRE(actual.size() == expected.size());
  for (std::size_t m = 0; m < expected.size(); ++m) {
    BOOST_TEST_CONTEXT("member " << m) { BOOST_TEST(actual[m] == expected[m], boost::test_tools::per_element()); }
  }
}

// Every partition assigned exactly once, and member sizes within one of each other.
void expect_complete_and_balanced(const MemberPartitions& assignment, std::uint32_t partitions) {
  std::multiset<std::uint32_t> seen;
  std::size_t smallest = partitions;
  std::size_t largest = 0;
  for (const auto& mine : assignment) {
    seen.insert(mine.begin(), mine.end());
    smallest = std::min(smallest, mine.size());
    largest = std::max(largest, mine.size());
  }
  BOOST_TEST(seen.size() == partitions);
  for (std::uint32_t p = 0; p < partitions; ++p) BOOST_TEST(seen.count(p) == 1u);
  BOOST_TEST(largest - smallest <= 1u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(range_gives_consecutive_runs_the_first_members_one_more) {
  expect_assignment(range_assign(7, 3), {{0, 1, 2}, {3, 4}, {5, 6}});
  expect_assignment(range_assign(6, 3), {{0, 1}, {2, 3}, {4, 5}});
  expect_assignment(range_assign(2, 3), {{0}, {1}, {}});
}

BOOST_AUTO_TEST_CASE(round_robin_deals_partitions_in_turn) {
  expect_assignment(round_robin_assign(7, 3), {{0, 3, 6}, {1, 4}, {2, 5}});
  expect_assignment(round_robin_assign(2, 3), {{0}, {1}, {}});
}

BOOST_AUTO_TEST_CASE(eager_assignors_ignore_ownership) {
  const MemberPartitions owned{{4, 5}, {0, 1}, {2, 3}};
  expect_assignment(assign_partitions(AssignmentStrategy::range, 6, owned), range_assign(6, 3));
  expect_assignment(assign_partitions(AssignmentStrategy::round_robin, 6, owned), round_robin_assign(6, 3));
  BOOST_TEST(!is_cooperative(AssignmentStrategy::range));
  BOOST_TEST(!is_cooperative(AssignmentStrategy::round_robin));
  BOOST_TEST(!is_cooperative(AssignmentStrategy::sticky));
  BOOST_TEST(is_cooperative(AssignmentStrategy::cooperative_sticky));
}

// A fresh group: nothing owned, partitions dealt round robin to members below quota.
BOOST_AUTO_TEST_CASE(sticky_without_ownership_deals_round_robin) {
  expect_assignment(sticky_assign(7, {{}, {}, {}}), {{0, 3, 6}, {1, 4}, {2, 5}});
}

// A third member joins two members with 3 partitions each: quota 2, each old member keeps
// its first two and gives up its last; the newcomer gets exactly those.
BOOST_AUTO_TEST_CASE(sticky_moves_only_what_a_newcomer_needs) {
  expect_assignment(sticky_assign(6, {{0, 1, 2}, {3, 4, 5}, {}}), {{0, 1}, {3, 4}, {2, 5}});
}

// 7 partitions over 3 members: min quota 2, max quota 3, one member at max. Member 0 owns
// 4: it keeps 3 (the first to claim max quota), member 1 owns 3 but the one max-quota
// place is gone, so it keeps 2; partitions 3 (member 0's fourth) and 6 (member 1's third)
// go to member 2, which owned nothing.
BOOST_AUTO_TEST_CASE(sticky_limits_members_at_max_quota) {
  expect_assignment(sticky_assign(7, {{0, 1, 2, 3}, {4, 5, 6}, {}}), {{0, 1, 2}, {4, 5}, {3, 6}});
}

// A member leaves: its partitions go to the remaining members below quota; nobody else
// loses anything.
BOOST_AUTO_TEST_CASE(sticky_hands_a_leavers_partitions_to_the_rest) {
  expect_assignment(sticky_assign(6, {{0, 1}, {4, 5}}), {{0, 1, 2}, {3, 4, 5}});
}

// Partitions claimed twice (a stale owner) go to the first claimant; unknown partitions
// (beyond the topic) are dropped.
BOOST_AUTO_TEST_CASE(sticky_ignores_double_and_stale_claims) {
  expect_assignment(sticky_assign(4, {{0, 1}, {1, 9}}), {{0, 1}, {2, 3}});
}

BOOST_AUTO_TEST_CASE(sticky_is_balanced_and_keeps_every_partition_it_can) {
  for (std::uint32_t partitions = 1; partitions <= 24; ++partitions) {
    for (std::uint32_t members = 1; members <= 6; ++members) {
      // Start from range, then a member joins: each old member keeps at least min quota of
      // its own partitions (or all of them), so at most the quota difference moves.
      MemberPartitions owned = range_assign(partitions, members);
      owned.emplace_back();
      const MemberPartitions next = sticky_assign(partitions, owned);
      expect_complete_and_balanced(next, partitions);
      const std::size_t min_quota = partitions / (members + 1);
      for (std::uint32_t m = 0; m < members; ++m) {
        std::size_t kept = 0;
        for (const std::uint32_t p : next[m]) kept += std::count(owned[m].begin(), owned[m].end(), p);
        BOOST_TEST(kept >= std::min(owned[m].size(), min_quota));
        BOOST_TEST(kept == next[m].size());  // an old member never gains a partition from another
      }
    }
  }
}
