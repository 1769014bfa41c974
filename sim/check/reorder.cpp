// Reordering. For each group, take the messages in the order of their FIRST effect_applied
// (or effect_in_transaction of a committed transaction) in that group (history order), keeping only acknowledged sends, and split that sequence
// into streams: per key id (messages without a key are in no key stream), per (producer,
// partition), and per producer. A reordering is an adjacent pair of a stream whose send
// order (order of the send records) is inverted: the later-applied message was sent
// earlier. One pass, one "last send seq" per (group, stream). Reorderings across
// partitions with different keys are therefore visible only in the per-producer figure.
#include <algorithm>
#include <vector>

#include "sim/check/stages.h"
#include "sim/core/overloaded.h"
#include "sim/history/records.h"

namespace ksim::check {

namespace {

struct StreamTracker {
  StreamTracker(std::uint32_t groups, std::uint32_t streams)
      : streams_(streams), last_(static_cast<std::size_t>(groups) * streams, kNoSeq) {}
  // Returns true when `seq` inverts the stream's previous element.
  bool observe(std::uint32_t group, std::uint32_t stream, std::uint64_t seq) {
    std::uint64_t& last = last_[static_cast<std::size_t>(group) * streams_ + stream];
    const bool inverted = last != kNoSeq && seq < last;
    last = seq;
    return inverted;
  }

 private:
  std::uint32_t streams_;
  std::vector<std::uint64_t> last_;
};

// The distinct keys of sent messages, sorted: a key's stream is its index here.
std::vector<std::uint64_t> sorted_keys(const Facts& facts) {
  std::size_t keyed = 0;
  for (const MessageFacts& m : facts.messages) keyed += m.sent && m.key != history::kNoKey ? 1 : 0;
  std::vector<std::uint64_t> keys;
  keys.reserve(keyed);  // exactly: a long run's keys are not doubled in memory (issue 19)
  for (const MessageFacts& m : facts.messages) {
    if (m.sent && m.key != history::kNoKey) keys.push_back(m.key);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

namespace {

// The one pass of the reorderings, fed each application in history order.
class ReorderCounter {
 public:
  ReorderCounter(const Facts& facts, Outcome& outcome)
      : facts_(facts),
        outcome_(outcome),
        keys_(sorted_keys(facts)),
        by_key_(facts.group_count, static_cast<std::uint32_t>(keys_.size())),
        by_stream_(facts.group_count, facts.producer_stream_count),
        by_producer_(facts.group_count, facts.producer_count),
        seen_(facts.group_messages.size(), false) {}

  // An application to the group's database: a plain or idempotent sink's, or a committed
  // transaction's output. Only a message's first in the group counts.
  void on_applied(std::uint32_t group, std::uint32_t mi) {
    if (group >= facts_.group_count) return;
    const std::size_t slot = static_cast<std::size_t>(mi) * facts_.group_count + group;
    if (seen_[slot]) return;
    seen_[slot] = true;
    const MessageFacts& m = facts_.messages[mi];
    if (!m.sent || !m.acknowledged) return;
    const auto key_index = [&] {
      return static_cast<std::uint32_t>(std::lower_bound(keys_.begin(), keys_.end(), m.key) - keys_.begin());
    };
    Counters& c = outcome_.counters;
    if (m.key != history::kNoKey && by_key_.observe(group, key_index(), m.send_seq)) {
      ++c.reordered_within_key;
      ++outcome_.groups[group].reordered_within_key;
      outcome_.reordered.push_back(facts_.messages_index.id(mi));
    }
    if (by_stream_.observe(group, m.producer_stream, m.send_seq)) ++c.reordered_within_producer_partition;
    if (by_producer_.observe(group, facts_.producer_index(m), m.send_seq)) ++c.reordered_within_producer;
  }

  void finish() {
    outcome_.verdicts.per_key_order = outcome_.counters.reordered_within_key == 0;
    std::vector<std::uint64_t>& reordered = outcome_.reordered;
    std::sort(reordered.begin(), reordered.end());
    reordered.erase(std::unique(reordered.begin(), reordered.end()), reordered.end());
  }

 private:
  const Facts& facts_;
  Outcome& outcome_;
  const std::vector<std::uint64_t> keys_;
  StreamTracker by_key_, by_stream_, by_producer_;
  std::vector<bool> seen_;
};

}  // namespace

void count_reorderings(const history::History& history, const Facts& facts, Outcome& outcome, std::size_t) {
  ReorderCounter counter(facts, outcome);
  for_each_application(history, facts, [&](std::uint32_t group, std::uint64_t message_id) {
    if (group < facts.group_count) counter.on_applied(group, facts.messages_index.find(message_id));
  });
  counter.finish();
}

void count_reorderings(const std::vector<AppliedMessage>& applications, const Facts& facts, Outcome& outcome) {
  ReorderCounter counter(facts, outcome);
  for (const AppliedMessage& applied : applications) counter.on_applied(applied.group, applied.message);
  counter.finish();
}

}  // namespace ksim::check
