// Read-path rules of causes.cpp where a power failure rewound a partition's log under a
// group (3.b0, 3.b1): the offsets written again after it, which the group had already passed.
// Moved out of causes.cpp (issue 14's KIP-320 work) to keep that file under 500 lines.
#include <fmt/format.h>

#include "sim/check/naming.h"
#include "sim/check/stages.h"

namespace ksim::check {

// Rule 3.b1: a power failure cut the log to or below O while the group's position was
// past O (it had polled up to P >= O - 1 before the cut: its position was at least P + 1,
// more when transaction markers followed), and this message was sent after the cut and
// written at O again: the group read on from its position and never saw it.
std::optional<std::string> rewound_under_position(const history::History& history, const Facts& facts,
                                                  const GroupPartitionFacts& gp, const MessageFacts& m, std::int64_t offset,
                                                  const std::string& group_text) {
  for (const Truncation& t : facts.truncations) {
    if (t.partition != m.partition || t.reason != history::TruncationReason::power_failure || t.offset > offset ||
        t.time_ns > m.send_time) {
      continue;
    }
    std::int64_t polled_up_to = -1;
    TimeNs polled_at = 0;
    for (const GroupPartitionFacts::FrontierRun& run : gp.poll_frontier) {
      if (run.time_ns > t.time_ns) break;
      polled_up_to = run.last_offset;
      polled_at = run.time_ns;
    }
    if (polled_up_to < 0 || polled_up_to + 1 < offset || polled_up_to < t.offset) continue;
    return fmt::format("offset {}: group {} had read up to offset {} by {}; {} lost power at {} (log cut to offset {}) "
                       "and this message, sent at {}, was written at offset {} again, below the group's position, so "
                       "it never read it",
                       offset, group_text, polled_up_to, seconds_text(polled_at), node_name(history, t.broker),
                       seconds_text(t.time_ns), t.offset, seconds_text(m.send_time), offset);
  }
  return std::nullopt;
}

// Rule 3.b0: the group had committed past offset O before the message was even sent, so
// the message can only sit at O because the log was rewound below O afterwards. With
// Kafka's flush defaults a power failure loses a replica's unflushed tail; when
// min.insync.replicas or more replicas of the partition lose power in overlapping
// windows, the next leader starts again from a shorter log and reuses offsets the group
// had already committed past, so the group never reads what is written there (A5).
// The text names every such power failure of the partition's replicas and the first
// election after them that gave the partition a leader.
std::optional<std::string> rewound_by_power(const history::History& history, const Facts& facts, std::uint32_t partition,
                                            std::int64_t offset, TimeNs committed_ns, const std::string& group_text) {
  constexpr std::size_t kNamedFailures = 4;  // a nemesis can cause dozens; the first few tell the story
  std::string failures;
  std::size_t count = 0;
  TimeNs first_ns = -1;
  for (const Truncation& t : facts.truncations) {
    if (t.partition != partition || t.reason != history::TruncationReason::power_failure || t.offset > offset ||
        t.time_ns < committed_ns) {
      continue;
    }
    if (first_ns < 0) first_ns = t.time_ns;
    if (count++ < kNamedFailures) {
      failures += fmt::format("{}{} lost power at {} (log cut to offset {})", failures.empty() ? "" : ", ",
                              node_name(history, t.broker), seconds_text(t.time_ns), t.offset);
    }
  }
  if (first_ns < 0) return std::nullopt;
  if (count > kNamedFailures) failures += fmt::format(" and {} more", count - kNamedFailures);
  std::string election = "no election on record after them";
  for (const Election& e : facts.elections) {
    if (e.partition == partition && e.time_ns >= first_ns && e.leader != history::kNoNode) {
      election = fmt::format("{} became leader (epoch {}) at {}{}", node_name(history, e.leader), e.epoch,
                             seconds_text(e.time_ns), e.unclean ? " in an unclean election" : "");
      break;
    }
  }
  return fmt::format("offset {} written again after power failures lost the replicas' unflushed tails ({}); {}; "
                     "group {} had committed past offset {} at {}, before this message was written there, so it never read it",
                     offset, failures, election, group_text, offset, seconds_text(committed_ns));
}

}  // namespace ksim::check
