// Jepsen's internal anomalies [JK] (int-poll-skip+nonmonotonic-cases,
// int-send-skip+nonmonotonic-cases in jepsen.tests.kafka): pairs of successive values of one
// key within ONE operation, placed by the version order.
// - int-poll-skip / int-nonmonotonic-poll: successive records of one partition returned by one
//   poll() call (the PollCallRecord that precedes them): a record at an offset <= the
//   previous one's goes back; a record past an offset known to hold another record skips it;
// - int-send-skip / int-nonmonotonic-send: successive sends to one partition within one
//   producer transaction (a non-transactional send is an operation of one message), by their
//   acknowledged offset (else the offset a poll read them at): same two rules.
// An offset "known to hold a record" is, as in Jepsen's version order, one that an
// acknowledged send returned or a poll read, anywhere in the history; the records of aborted
// transactions are left out (a read_committed consumer passes over them by design).
// Counted per pair; the example is the second message of the pair.
#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "sim/check/judgement.h"
#include "sim/check/offset_slots.h"
#include "sim/check/stages.h"
#include "sim/core/overloaded.h"
#include "sim/history/records.h"

namespace ksim::check {

namespace {

// Per partition, the offsets known to hold a record (Jepsen's version order), as runs of
// consecutive offsets: a run's offsets are dense, so a healthy partition is one run, where a
// sorted offset per send and poll cost 8 bytes each (issue 19).
class KnownOffsets {
 public:
  KnownOffsets(const history::History& history, const Facts& facts) : runs_(facts.partition_count) {
    std::vector<OffsetSlots> slots(facts.partition_count);
    const auto learn = [&](std::uint32_t partition, std::int64_t offset, std::uint64_t message_id) {
      if (offset < 0 || partition >= slots.size()) return;
      const std::uint32_t mi = facts.messages_index.find(message_id);
      if (mi != kNone && facts.messages[mi].aborted) return;
      slots[partition].place(offset, 0);  // which message does not matter here, only that one is there
    };
    const Overloaded handlers{
        [&](const history::SendAcknowledgedRecord& a) {
          learn(a.partition.value(), a.offset.value(), a.message_id);
        },
        [&](const history::PollRecord& p) { learn(p.partition.value(), p.offset.value(), p.message_id); },
        [](const auto&) {},
    };
    for (const history::Record& r : history.records) history::visit(r, handlers);
    for (std::size_t p = 0; p < slots.size(); ++p) {
      std::vector<Run>& runs = runs_[p];
      slots[p].for_each_slot([&](std::int64_t offset, std::uint32_t) {
        if (!runs.empty() && runs.back().last + 1 == offset) {
          runs.back().last = offset;
        } else {
          runs.push_back({offset, offset});
        }
      });
      slots[p] = {};
    }
  }

  // Does a known offset lie strictly between `from` and `to`?
  bool any_between(std::uint32_t partition, std::int64_t from, std::int64_t to) const {
    if (partition >= runs_.size()) return false;
    const std::vector<Run>& runs = runs_[partition];
    // The first run reaching past `from` holds the first known offset after it.
    const auto run = std::upper_bound(runs.begin(), runs.end(), from,
                                      [](std::int64_t wanted, const Run& r) { return wanted < r.last; });
    return run != runs.end() && std::max(run->first, from + 1) < to;
  }

 private:
  struct Run {
    std::int64_t first = 0;
    std::int64_t last = 0;  // every offset from first to last is known
  };
  std::vector<std::vector<Run>> runs_;  // by partition, in offset order
};

// One pair of successive values within an operation: `previous` then `next`.
void judge_pair(const KnownOffsets& known, std::uint32_t partition, std::int64_t previous, std::int64_t next,
                std::uint64_t next_id, Anomaly& skip, Anomaly& nonmonotonic) {
  if (next <= previous) note(nonmonotonic, next_id);
  else if (known.any_between(partition, previous, next)) note(skip, next_id);
}

void internal_poll_anomalies(const history::History& history, const KnownOffsets& known, JepsenAnomalies& out) {
  struct Call {
    std::uint32_t consumer = history::kNoNode;
    std::uint32_t partition = 0;
    std::uint64_t remaining = 0;
    std::int64_t previous = history::kNoOffset;
  } call;
  const Overloaded handlers{
      [&](const history::PollCallRecord& c) {
        call = Call{c.consumer.value(), c.partition.value(), c.record_count, history::kNoOffset};
      },
      [&](const history::PollRecord& p) {
        if (call.remaining == 0 || p.consumer.value() != call.consumer ||
            p.partition.value() != call.partition)
          return;
        --call.remaining;
        if (call.previous != history::kNoOffset) {
          judge_pair(known, p.partition.value(), call.previous, p.offset.value(), p.message_id,
                     out.int_poll_skip, out.int_nonmonotonic_poll);
        }
        call.previous = p.offset.value();
      },
      [](const auto&) {},
  };
  for (const history::Record& r : history.records) history::visit(r, handlers);
}

void internal_send_anomalies(const Facts& facts, const KnownOffsets& known, JepsenAnomalies& out) {
  // (producer, transaction, partition) -> offset of its previous send with a known offset
  std::map<std::tuple<std::uint32_t, std::int32_t, std::uint32_t>, std::int64_t> previous;
  for (std::uint32_t i : facts.send_order) {
    const MessageFacts& m = facts.messages[i];
    if (m.transaction < 0) continue;  // its own operation: nothing internal
    const std::int64_t acked = facts.ack_offset(m);
    const std::int64_t offset = acked >= 0 ? acked : facts.poll_offset_a(m);
    if (offset < 0) continue;
    const auto [it, first] = previous.try_emplace({m.producer, m.transaction, m.partition}, offset);
    if (first) continue;
    judge_pair(known, m.partition, it->second, offset, facts.messages_index.id(i), out.int_send_skip,
               out.int_nonmonotonic_send);
    it->second = offset;
  }
}

}  // namespace

void find_internal_anomalies(const history::History& history, const Facts& facts, JepsenAnomalies& out) {
  const KnownOffsets known(history, facts);
  internal_poll_anomalies(history, known, out);
  internal_send_anomalies(facts, known, out);
}

}  // namespace ksim::check
