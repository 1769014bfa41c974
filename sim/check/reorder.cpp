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

void count_reorderings(const history::History& history, const Facts& facts, Outcome& outcome, std::size_t) {
  const std::vector<std::uint64_t> keys = sorted_keys(facts);
  StreamTracker by_key(facts.group_count, static_cast<std::uint32_t>(keys.size()));
  StreamTracker by_stream(facts.group_count, facts.producer_stream_count);
  StreamTracker by_producer(facts.group_count, facts.producer_count);
  std::vector<bool> seen(facts.group_messages.size(), false);
  Counters& c = outcome.counters;
  // An application to the group's database: a plain or idempotent sink's, or a committed
  // transaction's output.
  const auto on_applied = [&](std::uint32_t group, std::uint64_t message_id) {
    if (group >= facts.group_count) return;
    const std::uint32_t mi = facts.messages_index.find(message_id);
    const std::size_t slot = static_cast<std::size_t>(mi) * facts.group_count + group;
    if (seen[slot]) return;
    seen[slot] = true;
    const MessageFacts& m = facts.messages[mi];
    if (!m.sent || !m.acknowledged) return;
    const auto key_index = [&] {
      return static_cast<std::uint32_t>(std::lower_bound(keys.begin(), keys.end(), m.key) - keys.begin());
    };
    if (m.key != history::kNoKey && by_key.observe(group, key_index(), m.send_seq)) {
      ++c.reordered_within_key;
      ++outcome.groups[group].reordered_within_key;
    }
    if (by_stream.observe(group, m.producer_stream, m.send_seq)) ++c.reordered_within_producer_partition;
    if (by_producer.observe(group, facts.producer_index(m), m.send_seq)) ++c.reordered_within_producer;
  };
  for_each_application(history, facts, on_applied);
  outcome.verdicts.per_key_order = c.reordered_within_key == 0;
}

}  // namespace ksim::check
