// KIP-890 ("Transactions Server-Side Defense", Kafka 3.6): a produce request of a
// transaction, delayed on the network, reaches its partition after the marker that ended
// the transaction there. Before the KIP's verification the leader appends it: the record
// opens a transaction on the partition that no marker of its own ends. Either the
// producer's next transaction on that partition ends it (a record of an aborted
// transaction committed with the next one: late_writes_committed), or nothing ever does
// and the last stable offset stays below it for good, so read_committed consumers read
// nothing past it (a hanging transaction: hanging_transaction_records).
//
// From the history only: the send records say which transaction a message belongs to, the
// transaction_ended records when the coordinator decided it, and the leaders' append
// records (markers carry the producer id) where each marker and each record landed. A
// record is a late write when a marker of its producer id landed on its partition after
// its transaction was decided and before the record: that marker ended its transaction.
#include <algorithm>

#include "sim/check/stages.h"

namespace ksim::check {

void note_marker_append(Facts& facts, const history::AppendRecord& append) {
  const bool commit = append.source == history::AppendSource::commit_marker;
  if (!commit && append.source != history::AppendSource::abort_marker) return;  // replicated by a follower
  facts.marker_appends[{append.partition.value(), append.producer_id.value()}].push_back(
      MarkerAppend{append.time_ns, append.offset.value(), commit});
}

void note_late_transaction_write(Facts& facts, const history::AppendRecord& append, std::uint32_t message) {
  const MessageFacts& m = facts.messages[message];
  if (append.producer_id.value() == 0 || m.transaction < 0) return;
  const auto decided = facts.transaction_decided_ns.find({m.producer, m.transaction});
  if (decided == facts.transaction_decided_ns.end()) return;
  const auto markers = facts.marker_appends.find({append.partition.value(), append.producer_id.value()});
  if (markers == facts.marker_appends.end() || markers->second.back().time_ns < decided->second) return;
  facts.late_transaction_writes.push_back(LateTransactionWrite{
      message, append.partition.value(), append.offset.value(), append.producer_id.value(), append.time_ns});
}

LateWriteSummary summarize_late_writes(const Facts& facts) {
  LateWriteSummary summary;
  summary.hanging_from_offset.assign(facts.partition_count, -1);
  std::vector<std::uint32_t> messages;
  std::vector<std::uint32_t> hanging;
  std::vector<std::uint32_t> committed;
  for (const LateTransactionWrite& late : facts.late_transaction_writes) {
    messages.push_back(late.message);
    // The first marker of the producer on the partition after the late record ends the
    // transaction the record opened there.
    const MarkerAppend* next = nullptr;
    const auto markers = facts.marker_appends.find({late.partition, late.producer_id});
    if (markers != facts.marker_appends.end()) {
      const auto after = std::find_if(markers->second.begin(), markers->second.end(),
                                      [&](const MarkerAppend& marker) { return marker.time_ns > late.time_ns; });
      if (after != markers->second.end()) next = &*after;
    }
    if (next == nullptr) {
      hanging.push_back(late.message);
      if (late.partition < summary.hanging_from_offset.size()) {
        std::int64_t& from = summary.hanging_from_offset[late.partition];
        from = from < 0 ? late.offset : std::min(from, late.offset);
      }
    } else if (next->commit) {
      committed.push_back(late.message);
    }
  }
  const auto distinct = [](std::vector<std::uint32_t>& list) {
    std::sort(list.begin(), list.end());
    return static_cast<std::uint64_t>(std::unique(list.begin(), list.end()) - list.begin());
  };
  summary.late_transaction_writes = distinct(messages);
  summary.hanging_transaction_records = distinct(hanging);
  summary.late_writes_committed = distinct(committed);
  return summary;
}

}  // namespace ksim::check
