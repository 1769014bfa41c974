#define BOOST_TEST_MODULE checker_property
#include <boost/test/unit_test.hpp>
#include <rapidcheck.h>
#include <rapidcheck/boost_test.h>

#include <vector>

#include "sim/check/checker.h"
#include "tests/check/history_builder.h"

using namespace ksim::check;
using namespace ksim::check::testing;

namespace {

enum Fate : int { kNormal = 0, kLost = 1, kDuplicated = 2 };

struct Generated {
  History history;
  std::vector<std::uint64_t> lost;
  std::vector<std::uint64_t> duplicated;
  std::uint64_t extra_applications = 0;
  std::uint64_t messages = 0;
};

// N messages over P partitions, each sent, acknowledged, appended on three replicas once,
// polled and applied once in send order; a lost message has its effect record dropped, a
// duplicated one gets 1..3 extra effect records.
Generated generate() {
  const auto n = *rc::gen::inRange<std::uint64_t>(1, 150);
  const auto partitions = *rc::gen::inRange<std::uint32_t>(1, 4);
  const auto where = *rc::gen::container<std::vector<std::uint32_t>>(n, rc::gen::inRange<std::uint32_t>(0, partitions));
  const auto keys = *rc::gen::container<std::vector<std::uint64_t>>(n, rc::gen::inRange<std::uint64_t>(0, 8));
  const auto fates = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 3));
  const auto extras = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(1, 4));
  HistoryBuilder b;
  b.group("billing", "after-processing");
  b.h.partitions.clear();
  for (std::uint32_t p = 0; p < partitions; ++p) b.h.partitions.push_back({"orders", p});
  b.at(0);
  for (std::uint32_t p = 0; p < partitions; ++p) b.elect(kBroker1, p, 1).assign(kConsumer1, 0, p);
  Generated g;
  g.messages = n;
  std::vector<std::int64_t> next_offset(partitions, 0);
  std::vector<std::int64_t> offsets(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    offsets[i] = next_offset[where[i]]++;
    b.at(static_cast<std::int64_t>(10 + i)).write(1000 + i, where[i], offsets[i], keys[i]);
  }
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t id = 1000 + i;
    b.at(static_cast<std::int64_t>(10'000 + i)).poll(kConsumer1, 0, where[i], offsets[i], id);
    if (fates[i] == kLost) {
      g.lost.push_back(id);
      continue;
    }
    b.apply(kConsumer1, 0, where[i], offsets[i], id);
    if (fates[i] == kDuplicated) {
      g.duplicated.push_back(id);
      for (int e = 0; e < extras[i]; ++e) b.apply(kConsumer1, 0, where[i], offsets[i], id);
      g.extra_applications += static_cast<std::uint64_t>(extras[i]);
    }
  }
  g.history = b.build();
  return g;
}

std::vector<std::uint64_t> ids(const std::vector<ExplainedMessage>& messages) {
  std::vector<std::uint64_t> out;
  for (const auto& m : messages) out.push_back(m.message_id);
  return out;
}

}  // namespace

RC_BOOST_PROP(injected_losses_and_duplicates_are_counted_exactly, ()) {
  const Generated g = generate();
  const Outcome o = check(g.history);
  const Counters& c = o.counters;
  RC_ASSERT(c.produced == g.messages);
  RC_ASSERT(c.acknowledged == g.messages);
  RC_ASSERT(c.indeterminate == 0U);
  RC_ASSERT(c.failed == 0U);
  RC_ASSERT(c.lost == g.lost.size());
  RC_ASSERT(c.duplicated == g.duplicated.size());
  RC_ASSERT(c.duplicate_applications == g.extra_applications);
  RC_ASSERT(c.delivered == g.messages - g.lost.size());
  RC_ASSERT(c.log_duplicates == 0U);
  RC_ASSERT(c.reordered_within_key == 0U);
  RC_ASSERT(c.reordered_within_producer == 0U);
  RC_ASSERT(c.committed_missing_after_election == 0U);
  RC_ASSERT(c.divergent_replicas_below_hw == 0U);
  RC_ASSERT(ids(o.lost) == g.lost);
  RC_ASSERT(ids(o.duplicated) == g.duplicated);
  for (const NamedAnomaly& a : named(o.jepsen)) RC_ASSERT(a.anomaly->count == 0U);
  RC_ASSERT(o.verdicts.at_least_once == g.lost.empty());
  RC_ASSERT(o.verdicts.at_most_once == g.duplicated.empty());
  std::uint64_t by_cause = 0;
  for (std::uint64_t n : o.lost_by_cause) by_cause += n;
  RC_ASSERT(by_cause == c.lost);
}

RC_BOOST_PROP(the_outcome_is_deterministic, ()) {
  const Generated g = generate();
  const Outcome a = check(g.history);
  const Outcome b = check(g.history);
  RC_ASSERT(a.counters.lost == b.counters.lost);
  RC_ASSERT(a.lost.size() == b.lost.size());
  for (std::size_t i = 0; i < a.lost.size(); ++i) RC_ASSERT(a.lost[i].explanation == b.lost[i].explanation);
}
