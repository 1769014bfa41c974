// Cause attribution: a category and a one-line explanation for every lost and every
// duplicated message, built only from the history. Every explanation starts with the
// partition name ("orders-0: ..."). The rules, in the order they are tried:
//
// Lost (judged in the lowest group where it is lost, or on the logs without groups):
//  1. never appended to any replica:
//     acks=0 producer -> network-drop-unacked-send ("dropped on the network with acks=0");
//     otherwise unknown.
//  2. appended but absent from the partition's final log (a write-path loss):
//     a0. a replica that still held it truncated it as divergent when a broker that had lost
//        it in a power failure before was elected leader (the truncation's epoch) ->
//        power-lost-leader-elected: the election, not the power failure, decided the loss,
//        since a surviving copy existed (KIP-966's "last replica standing");
//     a. some replica lost it in a power_failure truncation -> power-loss-unflushed;
//     b. else some replica truncated it to its high watermark -> hw-truncation;
//     c. else a replica truncated it as divergent: the election of the truncation's epoch
//        (same partition) was unclean -> unclean-election, else leader-failover-truncation;
//     d. else (never truncated, the final leader never had it): the final leader's last
//        election was unclean -> unclean-election, clean -> leader-failover-truncation,
//        none on record -> unknown.
//     (any of them: the explanation says when another replica's final log keeps it below the
//     final HW where the final leader holds another: diverged replicas, KIP-101 scenario 2)
//  3. in the final log but never applied by the group (a read-path loss), with O its offset:
//     a. the group never polled it and its first poll of the partition was above O, with no
//        commit before that poll -> reset-latest-skip;
//     b0. the first successful commit by the group on the partition past O came before the
//        message was sent or before a leader last appended it, and a replica of the partition lost its unflushed tail to or below O
//        in a power failure after that commit -> power-loss-unflushed (the offsets were
//        written again after the power failures and the next election, A5);
//     b1. else the group had polled up to O - 1 or further (its position was past O) before
//        a power failure cut a replica to or below O, and the message was sent after it: the
//        log was rewound under the group's position without a new leader epoch (the leader
//        lost power and came back, a ZooKeeper-era controller not noticing), so the consumer
//        read on past the offsets written again (KIP-320 compares epochs) -> power-loss-unflushed;
//     b. else the first successful commit by the group on the partition past O (by the
//        running maximum of committed offsets), by consumer C: the group's commit_strategy
//        "before-processing" -> commit-before-process; "auto" or "async" ->
//        auto-commit-ahead; "transactional" with the message processed in a transaction that
//        aborted -> abort-without-seek; anything else -> unknown. The first crash or power failure of C
//        at or after the commit is quoted;
//     b2. (tried before b, with or without a commit) a new leader wrote O again under the group's
//        position, undetected (no KIP-320) -> undetected-truncation (undetected_truncation.cpp);
//     c. else, with no commit past O: a run whose drain a bound stopped, and the group had not
//        read up to O -> unread-when-stopped (the run is inconclusive: it may be in flight);
//        else unknown.
//     (before a, for a read_committed group that never polled it: a late transactional write
//     at or below O that no marker ever ended holds the last stable offset below O ->
//     hanging-transaction, KIP-890; late_transaction_writes.cpp)
// Duplicated (judged in the lowest group that applied it 2+ times):
//  0. a read_uncommitted group, and an earlier transaction holding a copy of the message
//     aborted (the producer resent it in a later one) -> aborted-read;
//  1. two copies in the log (2+ final-log offsets, or appended as leader at 2+ offsets):
//     the producer's attempts carried two producer epochs -> epoch-bump-duplicate (for a
//     transactional producer whose first transaction committed: a new session resent it); else a
//     retry (attempt >= 1) on record, or the application's resend after a producer restart ->
//     producer-retry-duplicate; else unknown.
//  2. one copy, applied twice: an acknowledged commit by the group past its offset, then a
//     coordinator load before the second application (coordinator_loaded,
//     committed_offset_loaded) that found the group's offset at or below it, or none ->
//     committed-offset-lost; else a partition_assigned of its partition in the group after the
//     first application (at its instant: after a revocation whose processed end is past it)
//     and before the second, or one to the second applier (another member) before its
//     application -> rebalance-redelivery; else a truncation at or below its offset between
//     them (KIP-320) -> leader-failover-truncation; else a crash/power failure/restart of the
//     first applier between them -> rebalance-redelivery; else its polls went back over it
//     after an election (OFFSET_OUT_OF_RANGE) -> undetected-truncation; else unknown.
#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "sim/check/judgement.h"
#include "sim/check/naming.h"
#include "sim/check/stages.h"

namespace ksim::check {

namespace {

struct Explained {
  CauseCategory category;
  std::string text;
};

class Explainer {
 public:
  Explainer(const history::History& history, const Facts& facts)
      : history_(history), facts_(facts), late_writes_(summarize_late_writes(facts)) {
    for (const auto& producer : history.producers) producers_[producer.node.value()] = &producer;
    for (const Fault& fault : facts.faults) faults_[fault.node].push_back(fault);
    // The last election of each partition that named its final leader.
    for (const Election& election : facts.elections) {
      if (election.partition < facts.partition_logs.size() && election.leader == facts.partition_logs[election.partition].final_leader) {
        final_elections_[election.partition] = &election;
      }
    }
  }

  Explained lost(std::uint32_t mi, std::uint32_t group) const {
    const MessageFacts& m = facts_.messages[mi];
    const std::string where = partition_name(history_, m.partition) + ": ";
    const history::ProducerEntry* producer = producer_entry(m.producer);
    const std::string acks = producer == nullptr ? "?" : std::string(history::to_string(producer->acks));
    if (m.append_count == 0) {
      if (producer != nullptr && producer->acks == history::Acks::none) {
        return {CauseCategory::network_drop_unacked_send,
                where + "dropped on the network with acks=0 (never appended to any replica)"};
      }
      return {CauseCategory::unknown, where + "acknowledged but never appended to any replica"};
    }
    if (m.final_count == 0) {
      Explained explained = lost_on_write_path(m, where, acks);
      const RareMessageFacts& rare = facts_.rare(m);
      if (rare.divergent_holder != kNone) {  // the replicas diverged: say where the copy stayed
        explained.text += fmt::format("; {} still holds it at offset {}, below the high watermark, where the final leader "
                                      "{} holds another record: the replicas diverged",
                                      node_name(history_, rare.divergent_holder), rare.divergent_offset,
                                      node_name(history_, facts_.partition_logs[m.partition].final_leader));
      }
      return explained;
    }
    return lost_on_read_path(mi, group, where);
  }

  Explained duplicated(std::uint32_t mi, std::uint32_t group) const {
    const MessageFacts& m = facts_.messages[mi];
    const std::string where = partition_name(history_, m.partition) + ": ";
    const bool read_uncommitted = group < history_.groups.size() && !history_.groups[group].read_committed;
    if (m.aborted_copy && read_uncommitted) {
      return {CauseCategory::aborted_read,
              where + fmt::format("sent in transaction {} of {}, which aborted, and again in transaction {}; group {} reads "
                                  "uncommitted records, so it applied the aborted copy too",
                                  facts_.first_transaction(m), node_name(history_, m.producer), m.transaction, group_name(history_, group))};
    }
    if (m.final_count >= 2 || facts_.rare(m).leader_offset_b >= 0) return appended_twice(m, where);
    return applied_twice(mi, group, where);
  }

 private:
  // Rule 1 of duplicated: two copies in the log.
  Explained appended_twice(const MessageFacts& m, const std::string& where) const {
    const RareMessageFacts& rare = facts_.rare(m);
    const bool final_pair = m.final_count >= 2;
    const std::string twice = fmt::format("appended twice (offsets {} and {})", final_pair ? facts_.final_offset_a(m) : facts_.leader_offset_a(m),
                                          final_pair ? rare.final_offset_b : rare.leader_offset_b);
    if (m.epoch_bumped && m.transaction >= 0 && facts_.first_transaction(m) != m.transaction && !m.aborted_copy) {
      // A transactional producer's new session resent what its old session had committed.
      return {CauseCategory::epoch_bump_duplicate,
              where + fmt::format("{}: sent in transaction {}, which committed although {} never learned it; resent "
                                  "at {} in transaction {} under producer epoch {}",
                                  twice, facts_.first_transaction(m), node_name(history_, m.producer), seconds_text(rare.bump_time),
                                  m.transaction, rare.bumped_epoch)};
    }
    if (m.epoch_bumped) {
      return {CauseCategory::epoch_bump_duplicate,
              where + fmt::format("{}: resent at {} under producer epoch {} (was {})", twice, seconds_text(rare.bump_time),
                                  rare.bumped_epoch, m.first_producer_epoch)};
    }
    if (rare.max_attempt >= 1) {
      return {CauseCategory::producer_retry_duplicate,
              where + fmt::format("{}: retried at {} (attempt 1), idempotence {}", twice, seconds_text(rare.first_retry_time),
                                  producer_idempotent(m.producer) ? "on" : "off")};
    }
    if (rare.resend_time >= 0) {
      // The application's own resend after a restart: a new producer session that neither
      // idempotence nor the broker can tell from a new message.
      return {CauseCategory::producer_retry_duplicate,
              where + fmt::format("{}: resent by the application at {} after {} restarted without an answer",
                                  twice, seconds_text(rare.resend_time), node_name(history_, m.producer))};
    }
    return {CauseCategory::unknown, where + twice + " without a retry on record"};
  }

  // Rule 2 of duplicated: one copy in the log, applied twice.
  Explained applied_twice(std::uint32_t mi, std::uint32_t group, const std::string& where) const {
    const MessageFacts& m = facts_.messages[mi];
    const GroupMessageFacts gm = facts_.in_group(mi, group);
    const std::string first = fmt::format("applied by {} at {}", node_name(history_, gm.first_consumer), seconds_text(gm.first_time));
    const std::string again = fmt::format("applied again by {} at {}", node_name(history_, gm.second_consumer), seconds_text(gm.second_time));
    if (auto lost = lost_commit(group, m, gm.second_time)) {
      return {CauseCategory::committed_offset_lost, where + fmt::format("{}; {}; {}", first, *lost, again)};
    }
    if (auto gp = facts_.group_partitions.find({group, m.partition}); gp != facts_.group_partitions.end()) {
      // The first assignment after the first application: later in time, or at the same
      // instant after a revocation whose processed end shows the application came first.
      const auto& assignments = gp->second.assignments;
      auto it = std::partition_point(assignments.begin(), assignments.end(),
                                     [&](const Assignment& a) { return a.time_ns < gm.first_time; });
      while (it != assignments.end() && it->time_ns == gm.first_time && it->revoked_processed_end <= facts_.offset(m)) ++it;
      if (it != assignments.end() && it->time_ns <= gm.second_time) {
        return {CauseCategory::rebalance_redelivery,
                where + fmt::format("{}; reassigned to {} at {}; {}", first, node_name(history_, it->consumer),
                                    seconds_text(it->time_ns), again)};
      }
    }
    // Two members at once: the second had been given the partition (in the same rebalance
    // or just before) while the first still processed what it had polled.
    if (gm.second_consumer != gm.first_consumer) {
      if (auto gp = facts_.group_partitions.find({group, m.partition}); gp != facts_.group_partitions.end()) {
        const Assignment* last = nullptr;
        for (const Assignment& a : gp->second.assignments) {
          if (a.time_ns <= gm.second_time && a.consumer == gm.second_consumer) last = &a;
        }
        if (last != nullptr) {
          return {CauseCategory::rebalance_redelivery,
                  where + fmt::format("{}; assigned to {} at {} while {} still held it; {}", first,
                                      node_name(history_, last->consumer), seconds_text(last->time_ns),
                                      node_name(history_, gm.first_consumer), again)};
        }
      }
    }
    // KIP-320: the log was truncated below the consumer's position between the two
    // applications; the consumer went back to the divergence point and read it again.
    const std::int64_t offset = facts_.offset(m);
    for (const Truncation& t : facts_.truncations) {
      if (t.partition == m.partition && t.time_ns >= gm.first_time && t.time_ns <= gm.second_time && t.offset <= offset) {
        return {CauseCategory::leader_failover_truncation,
                where + fmt::format("{}; {} truncated the log to offset {} at {} (epoch {}), below the consumer's position, "
                                    "which went back there (KIP-320); {}",
                                    first, node_name(history_, t.broker), t.offset, seconds_text(t.time_ns), t.epoch, again)};
      }
    }
    if (const Fault* fault = first_fault(gm.first_consumer, gm.first_time, true);
        fault != nullptr && fault->time_ns <= gm.second_time) {
      return {CauseCategory::rebalance_redelivery,
              where + fmt::format("{}; {} {} at {}; {}", first, node_name(history_, fault->node), fault_verb(fault->kind),
                                  seconds_text(fault->time_ns), again)};
    }
    if (auto reread = undetected_truncation_reread(history_, facts_, mi, group, gm.first_time, gm.second_time)) {
      return {CauseCategory::undetected_truncation, where + first + "; " + *reread + "; " + again};
    }
    return {CauseCategory::unknown, where + first + "; " + again + " from one copy in the log"};
  }

  // Rule 2.0: the group's acknowledged commit past the message, then a coordinator load
  // before the second application that found an offset at or below it, or none: the
  // offsets partition had lost the commit (ZooKeeper-era bounced leader, power loss), so
  // the group read again from below it. "" when there is no such load.
  std::optional<std::string> lost_commit(std::uint32_t group, const MessageFacts& m, TimeNs second_time) const {
    const auto gp = facts_.group_partitions.find({group, m.partition});
    if (gp == facts_.group_partitions.end()) return std::nullopt;
    const std::int64_t offset = facts_.offset(m);
    const auto& acknowledged = gp->second.acknowledged_commits;
    for (const OffsetLoad& load : gp->second.loads) {
      if (load.time_ns > second_time) break;
      if (load.offset > offset) continue;
      // The first acknowledged commit past the message, if it came before this load.
      const auto commit = std::partition_point(acknowledged.begin(), acknowledged.end(),
                                               [&](const Commit& c) { return c.prefix_max_offset <= offset; });
      if (commit == acknowledged.end() || commit->time_ns >= load.time_ns) continue;
      const std::string found = load.offset == history::kNoOffset ? std::string("no committed offset")
                                                                  : fmt::format("committed offset {}", load.offset);
      return fmt::format("{} committed offset {} at {} (acknowledged); {} loaded the group's offsets as coordinator at {} "
                         "(offsets partition epoch {}) and found {}: the offsets partition had lost the commit",
                         node_name(history_, commit->consumer), commit->offset, seconds_text(commit->time_ns),
                         node_name(history_, load.broker), seconds_text(load.time_ns), load.leader_epoch, found);
    }
    return std::nullopt;
  }

  Explained lost_on_write_path(const MessageFacts& m, const std::string& where, const std::string& acks) const {
    const RareMessageFacts& rare = facts_.rare(m);
    std::string text = where;
    if (m.last_leader_broker != history::kNoNode) {
      text += fmt::format("acknowledged by leader {} at offset {} (epoch {}) with acks={}", node_name(history_, m.last_leader_broker),
                          facts_.last_leader_offset(m), m.last_leader_epoch, acks);
    } else {
      text += fmt::format("acknowledged with acks={}, appended only as follower", acks);
    }
    if (auto elected = power_lost_leader_elected(m)) {
      return {CauseCategory::power_lost_leader_elected, text + *elected};
    }
    if (rare.trunc_power != kNone) {
      const Truncation& t = facts_.truncations[rare.trunc_power];
      return {CauseCategory::power_loss_unflushed,
              text + fmt::format("; unflushed tail lost in {}'s power failure (truncated at {})", node_name(history_, t.broker),
                                 seconds_text(t.time_ns))};
    }
    if (rare.trunc_hw != kNone) {
      const Truncation& t = facts_.truncations[rare.trunc_hw];
      return {CauseCategory::hw_truncation,
              text + fmt::format("; {} truncated to its high watermark (offset {}) at {}{}", node_name(history_, t.broker), t.offset,
                                 seconds_text(t.time_ns), final_leader_text(m.partition))};
    }
    if (rare.trunc_divergent != kNone) {
      const Truncation& t = facts_.truncations[rare.trunc_divergent];
      auto e = facts_.election_by_epoch.find({t.partition, t.epoch});
      if (e == facts_.election_by_epoch.end()) {
        return {CauseCategory::leader_failover_truncation,
                text + fmt::format("; truncated at {} by {} (epoch {})", seconds_text(t.time_ns), node_name(history_, t.broker), t.epoch)};
      }
      const Election& election = facts_.elections[e->second];
      return {election.unclean ? CauseCategory::unclean_election : CauseCategory::leader_failover_truncation,
              text + fmt::format("; truncated at {} when {} became leader (epoch {}){}", seconds_text(t.time_ns),
                                 node_name(history_, election.leader), election.epoch, election.unclean ? " in an unclean election" : "")};
    }
    const Election* last = last_election(m.partition);
    if (last == nullptr) return {CauseCategory::unknown, text + "; absent from the final log, no election on record"};
    return {last->unclean ? CauseCategory::unclean_election : CauseCategory::leader_failover_truncation,
            text + fmt::format("; never replicated to {}, which became leader (epoch {}) at {}{}", node_name(history_, last->leader),
                               last->epoch, seconds_text(last->time_ns), last->unclean ? " in an unclean election" : "")};
  }

  Explained lost_on_read_path(std::uint32_t mi, std::uint32_t group, const std::string& where) const {
    const MessageFacts& m = facts_.messages[mi];
    const std::int64_t offset = facts_.offset(m);
    if (group == kJudgedOnLogs) {
      return {CauseCategory::unknown, where + fmt::format("offset {} is at or above the final high watermark", offset)};
    }
    const std::string group_text = group_name(history_, group);
    auto gp_it = facts_.group_partitions.find({group, m.partition});
    if (gp_it == facts_.group_partitions.end()) {
      return {CauseCategory::unknown, where + fmt::format("offset {}: group {} never read the partition", offset, group_text)};
    }
    const GroupPartitionFacts& gp = gp_it->second;
    const bool polled = facts_.stored_in_group(mi, group).polled;
    const std::int64_t hanging = m.partition < late_writes_.hanging_from_offset.size()
                                     ? late_writes_.hanging_from_offset[m.partition] : -1;
    const bool read_committed = group < history_.groups.size() && history_.groups[group].read_committed;
    if (!polled && read_committed && hanging >= 0 && hanging <= offset) {
      return {CauseCategory::hanging_transaction,
              where + fmt::format("offset {} lies past offset {}, a record of an ended transaction appended after its "
                                  "marker (KIP-890): no marker ends the transaction it opened, so the last stable "
                                  "offset stays below it and read_committed group {} reads no further",
                                  offset, hanging, group_text)};
    }
    const std::string strategy = group < history_.groups.size() ? history_.groups[group].commit_strategy : "";
    if (!polled && gp.first_poll_offset > offset && (gp.commits.empty() || gp.commits.front().time_ns > gp.first_poll_time)) {
      return {CauseCategory::reset_latest_skip,
              where + fmt::format("written at offset {}, but group {} first read the partition at offset {} ({}): "
                                  "auto.offset.reset=latest started past it",
                                  offset, group_text, gp.first_poll_offset, seconds_text(gp.first_poll_time))};
    }
    auto commit = std::partition_point(gp.commits.begin(), gp.commits.end(),
                                       [&](const Commit& c) { return c.prefix_max_offset <= offset; });
    const GroupMessageFacts gm = facts_.in_group(mi, group);
    if (strategy == "transactional" && gm.aborted_effects > 0) {
      const std::string committed_past =
          commit == gp.commits.end()
              ? std::string("no later transaction committed past it, but the position stayed beyond it")
              : fmt::format("{} committed offset {} in a later transaction at {}", node_name(history_, commit->consumer),
                            commit->offset, seconds_text(commit->time_ns));
      return {CauseCategory::abort_without_seek,
              where + fmt::format("offset {} processed at {} in a transaction that aborted; the consumer kept its position "
                                  "(no seek back), and {}",
                                  offset, seconds_text(gm.aborted_effect_time), committed_past)};
    }
    if (auto rewritten = rewritten_under_group(gp, mi, group, commit == gp.commits.end() ? nullptr : &*commit, group_text)) {
      return {rewritten->category, where + rewritten->text};
    }
    if (commit == gp.commits.end()) return without_commit_past(gp, offset, group_text, where);
    const Fault* crash = first_fault(commit->consumer, commit->time_ns, false);
    const std::string crashed = crash == nullptr ? "" : fmt::format(", {} at {}", fault_verb(crash->kind), seconds_text(crash->time_ns));
    const std::string consumer = node_name(history_, commit->consumer);
    if (strategy == "before-processing") {
      return {CauseCategory::commit_before_process,
              where + fmt::format("offset {} skipped: {} committed offset {} before processing{}", offset, consumer, commit->offset, crashed)};
    }
    if (strategy == "auto" || strategy == "async") {
      return {CauseCategory::auto_commit_ahead,
              where + fmt::format("offset {} skipped: {} {}committed offset {} at {} before processing it{}", offset, consumer,
                                  strategy == "auto" ? "auto-" : "asynchronously ", commit->offset, seconds_text(commit->time_ns), crashed)};
    }
    return {CauseCategory::unknown,
            where + fmt::format("offset {} never applied by group {} although {} committed offset {} at {}{}", offset, group_text, consumer,
                                commit->offset, seconds_text(commit->time_ns), crashed)};
  }

  // Rule 3.c: no commit past the offset.
  Explained without_commit_past(const GroupPartitionFacts& gp, std::int64_t offset, const std::string& group_text,
                                const std::string& where) const {
    if (!history_.drain_completed && gp.max_polled_offset < offset) {
      // A bound stopped the run (it is inconclusive) before the group read this far.
      return {CauseCategory::unread_when_stopped,
              where + fmt::format("offset {} not read yet by group {} (read up to offset {}) when a bound stopped the run "
                                  "at {}, before the drain completed",
                                  offset, group_text, gp.max_polled_offset, seconds_text(history_.end_ns))};
    }
    return {CauseCategory::unknown, where + fmt::format("offset {} never applied by group {}; no commit past it", offset, group_text)};
  }

  // Rules 3.b0 and 3.b1 (with a commit past the offset), then 3.b2: the log rewritten under the group.
  std::optional<Explained> rewritten_under_group(const GroupPartitionFacts& gp, std::uint32_t mi, std::uint32_t group,
                                                 const Commit* commit, const std::string& group_text) const {
    const MessageFacts& m = facts_.messages[mi];
    const std::int64_t offset = facts_.offset(m);
    if (commit != nullptr) {
      // Written where it is after the group had committed past that offset: sent after the
      // commit, or sent before it and (re)appended by a leader only after it (a retry after
      // the log was rewound).
      if (commit->time_ns < std::max(m.send_time, m.last_leader_append_ns)) {
        if (auto rewound = rewound_by_power(history_, facts_, m.partition, offset, commit->time_ns, group_text)) {
          return Explained{CauseCategory::power_loss_unflushed, *rewound};
        }
      }
      if (auto rewound = rewound_under_position(history_, facts_, gp, m, offset, group_text)) {
        return Explained{CauseCategory::power_loss_unflushed, *rewound};
      }
    }
    if (auto skipped = undetected_truncation_skip(history_, facts_, mi, group)) {
      return Explained{CauseCategory::undetected_truncation, *skipped};
    }
    return std::nullopt;
  }

  // Rule 2.a0: the message's last divergent truncation removed a copy that had survived,
  // because the election of that truncation's epoch made leader the broker whose power
  // failure (before the election) had cut the message from its log. Had the controller
  // chosen a replica that still held it (KIP-966's eligible leader replicas), nothing was
  // lost: the election decided the loss.
  std::optional<std::string> power_lost_leader_elected(const MessageFacts& m) const {
    const RareMessageFacts& rare = facts_.rare(m);
    if (rare.trunc_power == kNone || rare.trunc_divergent == kNone) return std::nullopt;
    const Truncation& power = facts_.truncations[rare.trunc_power];
    const Truncation& survivor = facts_.truncations[rare.trunc_divergent];
    auto e = facts_.election_by_epoch.find({survivor.partition, survivor.epoch});
    if (e == facts_.election_by_epoch.end()) return std::nullopt;
    const Election& election = facts_.elections[e->second];
    if (election.leader != power.broker || power.time_ns > election.time_ns || survivor.broker == power.broker) {
      return std::nullopt;
    }
    return fmt::format("; {} lost it in a power failure at {}, then was elected leader (epoch {}) at {}{}, and {}, which "
                       "still held it, truncated it away at {} to follow that leader",
                       node_name(history_, power.broker), seconds_text(power.time_ns), election.epoch,
                       seconds_text(election.time_ns), election.unclean ? " in an unclean election" : "",
                       node_name(history_, survivor.broker), seconds_text(survivor.time_ns));
  }

  std::string final_leader_text(std::uint32_t partition) const {
    const Election* last = last_election(partition);
    if (last == nullptr) return "";
    return fmt::format(", then {} became leader (epoch {}) at {}", node_name(history_, last->leader), last->epoch, seconds_text(last->time_ns));
  }

  const Election* last_election(std::uint32_t partition) const {
    auto it = final_elections_.find(partition);
    return it == final_elections_.end() ? nullptr : it->second;
  }

  // The first crash or power failure (or restart, if `restarts`) of `node` at or after `time`.
  const Fault* first_fault(std::uint32_t node, TimeNs time, bool restarts) const {
    auto it = faults_.find(node);
    if (it == faults_.end()) return nullptr;
    for (auto f = std::partition_point(it->second.begin(), it->second.end(), [&](const Fault& x) { return x.time_ns < time; });
         f != it->second.end(); ++f) {
      if (f->kind == history::FaultKind::crash || f->kind == history::FaultKind::power_failure ||
          f->kind == history::FaultKind::shutdown || (restarts && f->kind == history::FaultKind::restart)) {
        return &*f;
      }
    }
    return nullptr;
  }

  static const char* fault_verb(history::FaultKind kind) {
    switch (kind) {
      case history::FaultKind::power_failure: return "lost power";
      case history::FaultKind::restart: return "restarted";
      case history::FaultKind::shutdown: return "was shut down (controlled)";
      default: return "crashed";
    }
  }

  const history::ProducerEntry* producer_entry(std::uint32_t node) const {
    auto it = producers_.find(node);
    return it == producers_.end() ? nullptr : it->second;
  }
  bool producer_idempotent(std::uint32_t node) const {
    auto it = producers_.find(node);
    return it != producers_.end() && it->second->idempotence;
  }

  const history::History& history_;
  const Facts& facts_;
  LateWriteSummary late_writes_;
  std::map<std::uint32_t, const history::ProducerEntry*> producers_;
  std::map<std::uint32_t, std::vector<Fault>> faults_;  // by node, in history order
  std::map<std::uint32_t, const Election*> final_elections_;  // by partition
};

}  // namespace

void attribute_causes(const history::History& history, const Facts& facts, Outcome& outcome) {
  const Explainer explainer(history, facts);
  for (std::uint32_t i = 0; i < facts.messages.size(); ++i) {  // dense indices are in id order
    const std::uint64_t id = facts.messages_index.id(i);
    if (const std::uint32_t group = lost_group(facts, i); group != kNone) {
      Explained e = explainer.lost(i, group);
      ++outcome.lost_by_cause[static_cast<std::size_t>(e.category)];
      outcome.lost.push_back({id, e.category, group == kJudgedOnLogs ? kNoGroup : group, std::move(e.text)});
    }
    if (const std::uint32_t group = duplicated_group(facts, i); group != kNone) {
      Explained e = explainer.duplicated(i, group);
      ++outcome.duplicated_by_cause[static_cast<std::size_t>(e.category)];
      outcome.duplicated.push_back({id, e.category, group, std::move(e.text)});
    }
  }
}

}  // namespace ksim::check
