#define BOOST_TEST_MODULE nemesis
#include <boost/test/unit_test.hpp>

#include "sim/kafka/faults/nemesis.h"

using namespace ksim;
using namespace ksim::kafka;

namespace {
NemesisSpec brokers_spec() {
  NemesisSpec spec;
  spec.targets = {"broker-1", "broker-2", "broker-3"};
  spec.crash_per_second = 0.5;
  spec.pause_per_second = 1.0;
  spec.duration_ns = seconds(2);
  return spec;
}
const std::vector<std::string> kNodes{"controller", "broker-1", "broker-2", "broker-3", "app-0", "reader-0"};
}  // namespace

BOOST_AUTO_TEST_CASE(the_same_seed_draws_the_same_faults) {
  const auto a = draw_nemesis_faults(brokers_spec(), 11, seconds(100), kNodes);
  const auto b = draw_nemesis_faults(brokers_spec(), 11, seconds(100), kNodes);
  const auto c = draw_nemesis_faults(brokers_spec(), 12, seconds(100), kNodes);
  BOOST_REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(a[i].at_ns == b[i].at_ns);
    BOOST_TEST(a[i].targets == b[i].targets, boost::test_tools::per_element());
  }
  bool differs = a.size() != c.size();
  for (std::size_t i = 0; !differs && i < a.size(); ++i) differs = a[i].at_ns != c[i].at_ns;
  BOOST_TEST(differs);
}

// Poisson arrivals: over 100 s, 0.5/s crashes and 1/s pauses give about 50 and 100. Each
// count is Poisson, so its standard deviation is sqrt(mean); 5 standard deviations.
BOOST_AUTO_TEST_CASE(fault_counts_follow_the_rates_and_stay_in_the_workload) {
  const auto faults = draw_nemesis_faults(brokers_spec(), 3, seconds(100), kNodes);
  int crashes = 0;
  int pauses = 0;
  for (const FaultSpec& fault : faults) {
    BOOST_TEST(fault.at_ns >= 0);
    BOOST_TEST(fault.at_ns < seconds(100));
    BOOST_TEST(fault.duration_ns == seconds(2));
    crashes += fault.action == FaultAction::crash;
    pauses += fault.action == FaultAction::pause;
  }
  BOOST_TEST(std::abs(crashes - 50) <= 5 * 7.1);
  BOOST_TEST(std::abs(pauses - 100) <= 5 * 10);
  for (std::size_t i = 1; i < faults.size(); ++i) BOOST_TEST(faults[i - 1].at_ns <= faults[i].at_ns);
}

// Each fault kind has its own stream: turning partitions on does not move the crashes.
BOOST_AUTO_TEST_CASE(adding_a_fault_kind_does_not_move_the_others) {
  NemesisSpec with_partitions = brokers_spec();
  with_partitions.partition_per_second = 0.2;
  const auto base = draw_nemesis_faults(brokers_spec(), 5, seconds(60), kNodes);
  const auto more = draw_nemesis_faults(with_partitions, 5, seconds(60), kNodes);
  std::vector<TimeNs> crashes_base;
  std::vector<TimeNs> crashes_more;
  int partitions = 0;
  for (const FaultSpec& f : base) {
    if (f.action == FaultAction::crash) crashes_base.push_back(f.at_ns);
  }
  for (const FaultSpec& f : more) {
    if (f.action == FaultAction::crash) crashes_more.push_back(f.at_ns);
    if (f.action == FaultAction::partition) {
      ++partitions;
      BOOST_TEST(f.groups.size() == 2u);
      BOOST_TEST(f.groups[0].size() == 1u);
      BOOST_TEST(f.groups[1].size() == kNodes.size() - 1);
    }
  }
  BOOST_TEST(crashes_base == crashes_more, boost::test_tools::per_element());
  BOOST_TEST(partitions > 0);
}

BOOST_AUTO_TEST_CASE(the_fault_bound_holds) {
  NemesisSpec spec = brokers_spec();
  spec.crash_per_second = 1000;
  spec.max_faults = 50;
  BOOST_TEST(draw_nemesis_faults(spec, 1, seconds(100), kNodes).size() <= 50u);
}
