#include "sim/check/log_replay.h"

#include <algorithm>

namespace ksim::check {

namespace {
// An append this far beyond a replica's log end is not replayed (it would only allocate
// holes); real histories append at the log end.
constexpr std::int64_t kMaxGap = std::int64_t{1} << 24;
}  // namespace

LogReplay::Log& LogReplay::log(std::uint32_t broker, std::uint32_t partition) {
  if (cached_ != kNone && logs_[cached_].broker == broker && logs_[cached_].partition == partition) {
    return logs_[cached_];
  }
  if (partition >= by_partition_.size()) by_partition_.resize(partition + 1);
  auto& replicas = by_partition_[partition];
  const auto at = std::lower_bound(replicas.begin(), replicas.end(), std::make_pair(broker, std::uint32_t{0}));
  if (at != replicas.end() && at->first == broker) {
    cached_ = at->second;
  } else {
    cached_ = static_cast<std::uint32_t>(logs_.size());
    replicas.insert(at, {broker, cached_});
    Log fresh;
    fresh.broker = broker;
    fresh.partition = partition;
    logs_.push_back(std::move(fresh));
  }
  return logs_[cached_];
}

const LogReplay::Log* LogReplay::find(std::uint32_t broker, std::uint32_t partition) const {
  if (partition >= by_partition_.size()) return nullptr;
  for (const auto& [holder, index] : by_partition_[partition]) {
    if (holder == broker) return &logs_[index];
  }
  return nullptr;
}

void LogReplay::place(Log& replica, std::int64_t offset, std::uint32_t message) {
  const auto size = static_cast<std::int64_t>(replica.entries.size());
  reserve_for(replica.entries, static_cast<std::size_t>(offset) + 1);
  if (offset < size) {  // overwrite: an implicit truncation
    replica.entries.resize(static_cast<std::size_t>(offset));
    replica.committed_upto = std::min(replica.committed_upto, offset);
  }
  replica.entries.resize(static_cast<std::size_t>(offset), kNone);
  replica.entries.push_back(message);
}

void LogReplay::append(const history::AppendRecord& record, std::uint32_t message) {
  if (record.offset.value() < 0) return;
  Log& replica = log(record.broker.value(), record.partition.value());
  if (record.offset.value() > static_cast<std::int64_t>(replica.entries.size()) + kMaxGap) return;
  place(replica, record.offset.value(), message);
  if (record.source == history::AppendSource::leader)
    last_leader_append_broker_[record.partition.value()] = record.broker.value();
}

void LogReplay::append_range(const history::FollowerAppendRangeRecord& record, Facts& facts) {
  const std::int64_t first = record.first_offset.value();
  if (first < 0 || record.source_broker.value() == history::kNoNode ||
      record.source_broker.value() == record.follower.value())
    return;
  Log& replica =
      log(record.follower.value(), record.partition.value());  // may add a log: find the source after it
  if (first > static_cast<std::int64_t>(replica.entries.size()) + kMaxGap) return;
  const Log* source = find(record.source_broker.value(), record.partition.value());
  if (source == nullptr) return;
  // Only what the source holds: a well-formed range never reaches past the source's log end.
  const auto source_size = static_cast<std::int64_t>(source->entries.size());
  const std::int64_t end = first + static_cast<std::int64_t>(std::min<std::uint64_t>(
                                       record.count, static_cast<std::uint64_t>(std::max<std::int64_t>(source_size - first, 0))));
  for (std::int64_t o = first; o < end; ++o) {
    const std::uint32_t message = source->entries[static_cast<std::size_t>(o)];
    place(replica, o, message);
    if (message != kNone) ++facts.messages[message].append_count;
  }
}

void LogReplay::truncate(const history::TruncateRecord& record, std::uint32_t truncation, Facts& facts) {
  Log& replica = log(record.broker.value(), record.partition.value());
  const std::int64_t from = std::max<std::int64_t>(record.offset.value(), 0);
  const auto size = static_cast<std::int64_t>(replica.entries.size());
  for (std::int64_t o = from; o < size; ++o) {
    const std::uint32_t m = replica.entries[static_cast<std::size_t>(o)];
    if (m == kNone) continue;
    MessageFacts& message = facts.messages[m];
    switch (record.reason) {
      case history::TruncationReason::power_failure:
        if (facts.rare(message).trunc_power == kNone) facts.rare_for_update(message).trunc_power = truncation;
        break;
      case history::TruncationReason::high_watermark:
        if (facts.rare(message).trunc_hw == kNone) facts.rare_for_update(message).trunc_hw = truncation;
        break;
      default:
        facts.rare_for_update(message).trunc_divergent = truncation;
        break;
    }
  }
  if (from < size) replica.entries.resize(static_cast<std::size_t>(from));
  replica.committed_upto = std::min(replica.committed_upto, from);
}

void LogReplay::high_watermark(const history::HighWatermarkRecord& record, Facts& facts) {
  Log& replica = log(record.broker.value(), record.partition.value());
  replica.last_hw = record.high_watermark.value();
  last_hw_any_[record.partition.value()] = record.high_watermark.value();
  const std::int64_t hw = std::min<std::int64_t>(record.high_watermark.value(),
                                                 static_cast<std::int64_t>(replica.entries.size()));
  for (std::int64_t o = replica.committed_upto; o < hw; ++o) {
    const std::uint32_t m = replica.entries[static_cast<std::size_t>(o)];
    if (m != kNone) facts.messages[m].committed = true;
  }
  replica.committed_upto = std::max(replica.committed_upto, hw);
}

void LogReplay::finish(Facts& facts) {
  facts.partition_logs.assign(facts.partition_count, PartitionLogFacts{});
  for (const Election& election : facts.elections) {  // history order: the last one wins
    if (election.leader != history::kNoNode && election.partition < facts.partition_count) {
      facts.partition_logs[election.partition].final_leader = election.leader;
    }
  }
  for (std::uint32_t p = 0; p < facts.partition_count; ++p) {
    PartitionLogFacts& out = facts.partition_logs[p];
    if (out.final_leader == history::kNoNode) {
      auto it = last_leader_append_broker_.find(p);
      if (it != last_leader_append_broker_.end()) out.final_leader = it->second;
    }
    const Log* found = out.final_leader == history::kNoNode ? nullptr : find(out.final_leader, p);
    if (found == nullptr) continue;
    // Moved, not copied (issue 19: 4 bytes a message); the replay ends here.
    Log* leader = &logs_[static_cast<std::size_t>(found - logs_.data())];
    out.final_log = std::move(leader->entries);
    const auto end = static_cast<std::int64_t>(out.final_log.size());
    std::int64_t hw = end;
    if (leader->last_hw >= 0) {
      hw = leader->last_hw;
    } else if (auto it = last_hw_any_.find(p); it != last_hw_any_.end()) {
      hw = it->second;
    }
    out.final_high_watermark = std::clamp<std::int64_t>(hw, 0, end);
    for (std::int64_t o = 0; o < end; ++o) {
      const std::uint32_t m = out.final_log[static_cast<std::size_t>(o)];
      if (m == kNone) continue;
      MessageFacts& message = facts.messages[m];
      if (message.final_count == 0) facts.set_offset(message, OffsetField::final_first, o);
      else if (message.final_count == 1) facts.rare_for_update(message).final_offset_b = o;
      ++message.final_count;
    }
    // Divergence below the final HW: slots where another replica holds a different entry.
    std::vector<bool> divergent(static_cast<std::size_t>(out.final_high_watermark), false);
    const auto no_replicas = std::vector<std::pair<std::uint32_t, std::uint32_t>>{};
    for (const auto& [holder, index] : p < by_partition_.size() ? by_partition_[p] : no_replicas) {
      const Log& replica = logs_[index];
      if (&replica == leader) continue;
      const auto limit = std::min<std::int64_t>(out.final_high_watermark, static_cast<std::int64_t>(replica.entries.size()));
      for (std::int64_t o = 0; o < limit; ++o) {
        const auto slot = static_cast<std::size_t>(o);
        if (replica.entries[slot] != kNone && out.final_log[slot] != kNone && replica.entries[slot] != out.final_log[slot]) {
          divergent[slot] = true;
          const MessageFacts& kept = facts.messages[replica.entries[slot]];
          if (kept.final_count == 0 && facts.rare(kept).divergent_holder == kNone) {
            RareMessageFacts& rare = facts.rare_for_update(facts.messages[replica.entries[slot]]);
            rare.divergent_holder = replica.broker;
            rare.divergent_offset = o;
          }
        }
      }
    }
    out.divergent_slots = static_cast<std::uint64_t>(std::count(divergent.begin(), divergent.end(), true));
  }
}

}  // namespace ksim::check
