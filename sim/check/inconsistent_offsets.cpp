#include "sim/check/inconsistent_offsets.h"

#include <algorithm>
#include <map>

#include "sim/core/overloaded.h"
#include "sim/history/records.h"

namespace ksim::check {

void InconsistentOffsets::observe(std::uint32_t partition, std::int64_t offset, std::uint64_t id) {
  const std::uint32_t message = facts_.messages_index.find(id);
  // An id without a dense index cannot be compared by index: the second pass compares ids.
  if (message == kNone || slots_[partition].place(offset, message) != message) suspects_.emplace(partition, offset);
}

void InconsistentOffsets::count(const history::History& history, Anomaly& out) const {
  if (suspects_.empty()) return;
  std::map<std::pair<std::uint32_t, std::int64_t>, std::vector<std::uint64_t>> seen;  // ids by suspect slot
  const auto collect = [&](std::uint32_t partition, std::int64_t offset, std::uint64_t id) {
    if (suspects_.contains({partition, offset})) seen[{partition, offset}].push_back(id);
  };
  // The same records as the first pass (poll_anomalies): sends with an offset, every poll.
  const Overloaded handlers{
      [&](const history::SendAcknowledgedRecord& a) {
        if (a.offset.value() >= 0) collect(a.partition.value(), a.offset.value(), a.message_id);
      },
      [&](const history::PollRecord& p) { collect(p.partition.value(), p.offset.value(), p.message_id); },
      [](const auto&) {},
  };
  const std::uint32_t partition_count = facts_.partition_count;
  for (const history::Record& r : history.records) {
    if (r.partition < partition_count) history::visit(r, handlers);
  }
  for (auto& [slot, ids] : seen) {
    std::sort(ids.begin(), ids.end());
    if (ids.front() == ids.back()) continue;  // one id, seen several times
    ++out.count;
    out.examples.insert(out.examples.end(), ids.begin(), ids.end());
  }
}

}  // namespace ksim::check
