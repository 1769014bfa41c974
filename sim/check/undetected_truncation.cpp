// KIP-320's consumer side not in force: what a consumer does when the log under its position
// is truncated and written again, and it learns nothing of it (no leader epoch in its fetches,
// the Java client before 2.3). KIP-320's motivation names both outcomes: a position above the
// new leader's log end gets OFFSET_OUT_OF_RANGE and auto.offset.reset ("earliest" reads the
// log again from its start, "latest" jumps to its end); a position the new log has reached
// again reads on, and "the consumer will just miss whatever data had been written between the
// truncation point and its fetch offset". A consumer resuming from a committed offset above
// the truncation point misses the same records. Derived only from the history:
//
// Lost (rule 3.b2 of causes.cpp), a message at offset O the group never polled, written there
// by a leader of epoch E:
//   a. the group had polled offset O or beyond, or committed past O, before an election of the
//      partition: it read on (or resumed) above O while the log under it changed, or went back
//      and read another record at O (a log that still held it), never this one;
//   b. else its polls jumped over O (from below to above) after the message was written: a
//      reset to the log end;
//   c. else the group read offset O or beyond after the message was written there: from a log
//      that still held another record at O, and it never came back for this one.
// Duplicated (after the rules of causes.cpp found no reassignment, KIP-320 rewind or crash),
// a message applied at t1 and again at t2: the group's polls went back to O or below between
// them, after an election of the partition (also between them): the position was reset below.
#include <algorithm>

#include <fmt/format.h>

#include "sim/check/naming.h"
#include "sim/check/stages.h"

namespace ksim::check {

namespace {

std::string elected_text(const history::History& history, const Election& election) {
  return fmt::format("{} was elected leader (epoch {}) at {}{}", node_name(history, election.leader), election.epoch,
                     seconds_text(election.time_ns), election.unclean ? " in an unclean election" : "");
}

// How far the group was past `offset` before `before_ns`: its polls or a commit. Empty: not past.
std::string passed_text(const GroupPartitionFacts& gp, std::int64_t offset, TimeNs before_ns) {
  std::int64_t polled_up_to = -1;
  TimeNs polled_at = 0;
  for (const GroupPartitionFacts::FrontierRun& run : gp.poll_frontier) {
    if (run.time_ns >= before_ns) break;
    polled_up_to = run.last_offset;
    polled_at = run.time_ns;
  }
  if (polled_up_to >= offset) return fmt::format("had read up to offset {} by {}", polled_up_to, seconds_text(polled_at));
  for (const Commit& commit : gp.commits) {
    if (commit.time_ns >= before_ns) break;
    if (commit.offset > offset) return fmt::format("had committed offset {} at {}", commit.offset, seconds_text(commit.time_ns));
  }
  return {};
}

}  // namespace

std::optional<std::string> undetected_truncation_skip(const history::History& history, const Facts& facts,
                                                      std::uint32_t message, std::uint32_t group) {
  const MessageFacts& m = facts.messages[message];
  const auto gp_it = facts.group_partitions.find({group, m.partition});
  if (facts.stored_in_group(message, group).polled || gp_it == facts.group_partitions.end() || m.last_leader_append_ns < 0) {
    return std::nullopt;
  }
  const GroupPartitionFacts& gp = gp_it->second;
  const std::int64_t offset = facts.offset(m);
  const std::string written = fmt::format("offset {}: written there at {} (leader epoch {})", offset,
                                          seconds_text(m.last_leader_append_ns), m.last_leader_epoch);
  // a. The latest election of the partition that the group had passed O before.
  for (auto e = facts.elections.rbegin(); e != facts.elections.rend(); ++e) {
    if (e->partition != m.partition) continue;
    const std::string passed = passed_text(gp, offset, e->time_ns);
    if (passed.empty()) continue;
    const GroupPartitionFacts::PollJump* back = nullptr;
    for (const GroupPartitionFacts::PollJump& jump : gp.poll_jumps) {
      if (back == nullptr && jump.time_ns >= e->time_ns && jump.to_offset <= offset) back = &jump;
    }
    const std::string after =
        back == nullptr
            ? fmt::format("none of its polls went back to offset {} or below: its consumer read on above it", offset)
            : fmt::format("its polls went back to offset {} at {}, but read offset {} where the log still held "
                          "another record, never this one",
                          back->to_offset, seconds_text(back->time_ns), offset);
    return fmt::format("{}; group {} {}, before {}, and {}: the log's rewrite went undetected (no leader epoch in "
                       "its fetches or resumed position: KIP-320, Java client 2.3)",
                       written, group_name(history, group), passed, elected_text(history, *e), after);
  }
  // b. A jump over O after the message was written, under a leader elected before it.
  const auto e = facts.election_by_epoch.find({m.partition, m.last_leader_epoch});
  if (e == facts.election_by_epoch.end()) return std::nullopt;
  for (const GroupPartitionFacts::PollJump& jump : gp.poll_jumps) {
    if (jump.time_ns >= m.last_leader_append_ns && jump.from_offset < offset && jump.to_offset > offset) {
      return fmt::format("{} after {}; group {}'s polls jumped from offset {} to {} at {}, over it: its position, "
                         "past the truncated log's end, got OFFSET_OUT_OF_RANGE and auto.offset.reset moved it "
                         "(KIP-320's detection would have gone back to the divergence point)",
                         written, elected_text(history, facts.elections[e->second]), group_name(history, group),
                         jump.from_offset, jump.to_offset, seconds_text(jump.time_ns));
    }
  }
  // c. The group read offset O or beyond after this message was written there: from a replica
  // whose log still held another record at O (a leader not yet fenced), never this one.
  for (const GroupPartitionFacts::FrontierRun& run : gp.poll_frontier) {
    if (run.time_ns < m.last_leader_append_ns || run.last_offset < offset) continue;
    // The first offset at or past `offset` the group polled then (the run holds each one).
    const std::int64_t polled = std::max(run.first_offset, offset);
    const TimeNs time_ns = run.time_ns;
    return fmt::format("{} after {}; group {} read up to offset {} by {} from a log that held another record at offset "
                       "{}, and never went back for this one: the divergence went undetected (no leader epoch in its "
                       "fetches: KIP-320, Java client 2.3)",
                       written, elected_text(history, facts.elections[e->second]), group_name(history, group), polled,
                       seconds_text(time_ns), offset);
  }
  return std::nullopt;
}

std::optional<std::string> undetected_truncation_reread(const history::History& history, const Facts& facts,
                                                        std::uint32_t message, std::uint32_t group, TimeNs first_ns,
                                                        TimeNs second_ns) {
  const MessageFacts& m = facts.messages[message];
  const auto gp_it = facts.group_partitions.find({group, m.partition});
  if (gp_it == facts.group_partitions.end()) return std::nullopt;
  const std::int64_t offset = facts.offset(m);
  for (const GroupPartitionFacts::PollJump& jump : gp_it->second.poll_jumps) {
    if (jump.time_ns <= first_ns || jump.time_ns > second_ns || jump.to_offset > offset) continue;
    for (const Election& election : facts.elections) {
      if (election.partition != m.partition || election.time_ns <= first_ns || election.time_ns > jump.time_ns) continue;
      return fmt::format("{}, truncating the log under the group's position; at {} group {}'s polls went back from "
                         "offset {} to {}: a consumer without KIP-320's detection learns of it only by "
                         "OFFSET_OUT_OF_RANGE, and auto.offset.reset reads the log again",
                         elected_text(history, election), seconds_text(jump.time_ns), group_name(history, group),
                         jump.from_offset, jump.to_offset);
    }
  }
  return std::nullopt;
}

}  // namespace ksim::check
