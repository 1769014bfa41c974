#include "sim/kafka/log/transaction_index.h"

#include <algorithm>

namespace ksim::kafka {

void TransactionIndex::on_append(Offset offset, const LogEntry& entry) {
  if (entry.is_marker()) {
    auto open = open_.find(entry.producer_id());
    // A marker for a transaction with no data here (its produce never landed) closes nothing.
    if (open == open_.end()) return;
    LogTransaction& transaction = transactions_[open->second];
    transaction.marker_offset = offset;
    transaction.aborted = (entry.flags & kAbortMarker) != 0;
    open_.erase(open);
    return;
  }
  if (!entry.is_transactional() || open_.contains(entry.producer_id())) return;
  open_[entry.producer_id()] = transactions_.size();
  transactions_.push_back(LogTransaction{entry.producer_id(), offset, kNoOffsetPosition, false});
}

void TransactionIndex::rebuild(const ReplicaLog& log) {
  transactions_.clear();
  open_.clear();
  stable_prefix_ = 0;
  for (Offset offset{}; offset < log.log_end_offset(); ++offset) {
    const LogEntry& entry = log.at(offset);
    if (entry.is_marker() || entry.is_transactional()) on_append(offset, entry);
  }
}

Offset TransactionIndex::last_stable_offset(Offset high_watermark) const {
  const auto complete = [&](const LogTransaction& t) { return t.marker_offset >= Offset{} && t.marker_offset < high_watermark; };
  // Every transaction before stable_prefix_ was complete below an earlier, lower watermark.
  if (stable_prefix_ > transactions_.size()) stable_prefix_ = 0;
  while (stable_prefix_ < transactions_.size() && complete(transactions_[stable_prefix_])) ++stable_prefix_;
  for (std::size_t i = stable_prefix_; i < transactions_.size(); ++i) {
    if (transactions_[i].first_offset >= high_watermark) break;
    if (!complete(transactions_[i])) return transactions_[i].first_offset;
  }
  return high_watermark;
}

std::vector<AbortedTransaction> TransactionIndex::aborted_between(Offset from, Offset to) const {
  std::vector<AbortedTransaction> out;
  for (const LogTransaction& t : transactions_) {
    if (t.first_offset >= to) break;
    if (t.aborted && t.marker_offset >= from) out.push_back({t.producer_id, t.first_offset, t.marker_offset});
  }
  return out;
}

}  // namespace ksim::kafka
