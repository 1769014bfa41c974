// The sticky assignors' balanced, stickiness-first assignment (Kafka's
// AbstractStickyAssignor.constrainedAssign, for members that all subscribe alike).
#include <algorithm>
#include <deque>

#include "sim/core/assert.h"
#include "sim/kafka/coordinator/partition_assignor.h"

namespace ksim::kafka {

MemberPartitions sticky_assign(std::uint32_t partitions, const MemberPartitions& owned) {
  const auto members = static_cast<std::uint32_t>(owned.size());
  KSIM_ASSERT(members > 0, "sticky assignment of {} partitions to no member", partitions);
  // Every member ends with min_quota or max_quota partitions, exactly `partitions % members`
  // of them with max_quota.
  const std::uint32_t min_quota = partitions / members;
  const std::uint32_t max_quota = min_quota + (partitions % members == 0 ? 0 : 1);
  const std::uint32_t expected_over_min = partitions % members;
  std::uint32_t over_min = 0;

  MemberPartitions assignment(members);
  std::vector<bool> taken(partitions, false);
  std::vector<std::uint32_t> under_min;     // members still below min_quota
  std::deque<std::uint32_t> exactly_min;    // members at min_quota that may take one more
  // 1. Members keep what they owned, up to their quota; the rest is given up. A member
  // keeps max_quota only while fewer than expected_over_min members do.
  for (std::uint32_t m = 0; m < members; ++m) {
    std::vector<std::uint32_t> mine;
    for (const std::uint32_t p : owned[m]) {
      // Claimed by an earlier member too (a stale claim): the earlier one keeps it.
      if (p < partitions && !taken[p]) mine.push_back(p);
    }
    std::sort(mine.begin(), mine.end());
    std::size_t keep = min_quota;
    if (mine.size() < min_quota) {
      keep = mine.size();
      under_min.push_back(m);
    } else if (mine.size() >= max_quota && over_min < expected_over_min) {
      keep = max_quota;
      if (++over_min == expected_over_min) exactly_min.clear();
    } else if (over_min < expected_over_min) {
      exactly_min.push_back(m);
    }
    for (std::size_t i = 0; i < keep; ++i) {
      assignment[m].push_back(mine[i]);
      taken[mine[i]] = true;
    }
  }
  // 2. The partitions nobody kept, in order, dealt round robin to the members below
  // min_quota; once all of them reach it, one each to members at min_quota.
  std::size_t cursor = 0;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    if (taken[p]) continue;
    if (!under_min.empty()) {
      if (cursor >= under_min.size()) cursor = 0;
      const std::uint32_t m = under_min[cursor];
      assignment[m].push_back(p);
      if (assignment[m].size() == min_quota) {
        under_min.erase(under_min.begin() + static_cast<std::ptrdiff_t>(cursor));
        exactly_min.push_back(m);
      } else {
        ++cursor;
      }
    } else {
      KSIM_ASSERT(!exactly_min.empty(), "sticky assignment: partition {} has no member with room", p);
      assignment[exactly_min.front()].push_back(p);
      exactly_min.pop_front();
    }
  }
  for (std::vector<std::uint32_t>& mine : assignment) std::sort(mine.begin(), mine.end());
  return assignment;
}

}  // namespace ksim::kafka
