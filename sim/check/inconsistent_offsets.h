#pragma once
// Jepsen's inconsistent-offsets [JK]: (partition, offset) slots at which two or more distinct
// message ids were acknowledged or polled; the examples are every id seen there. The pass
// over the history keeps only each offset's first message (OffsetSlots, 4 bytes an offset,
// where (offset, id) pairs of every send and poll cost 16 bytes each: issue 19) and notes the
// offsets where another one came; `count` then reads the history again for those offsets
// alone, so a healthy run pays for no second pass.
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "sim/check/facts.h"
#include "sim/check/offset_slots.h"
#include "sim/check/outcome.h"
#include "sim/history/history.h"

namespace ksim::check {

class InconsistentOffsets {
 public:
  explicit InconsistentOffsets(const Facts& facts) : facts_(facts), slots_(facts.partition_count) {}

  // An acknowledged send's or a poll's (partition, offset, id); partition < partition_count.
  void observe(std::uint32_t partition, std::int64_t offset, std::uint64_t id);
  // Counts the slots that held distinct ids, in (partition, offset) order, with every id seen
  // at each in ascending order.
  void count(const history::History& history, Anomaly& out) const;

 private:
  const Facts& facts_;
  std::vector<OffsetSlots> slots_;                       // by partition
  std::set<std::pair<std::uint32_t, std::int64_t>> suspects_;  // a second id came, or an unknown one
};

}  // namespace ksim::check
