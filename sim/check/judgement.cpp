#include "sim/check/judgement.h"

namespace ksim::check {

bool definite_failure(history::ErrorCode error) {
  switch (error) {
    case history::ErrorCode::request_timeout:
    case history::ErrorCode::delivery_timeout:
    case history::ErrorCode::network_exception:
    case history::ErrorCode::not_leader_or_follower:
    case history::ErrorCode::not_enough_replicas_after_append:
    case history::ErrorCode::max_block_timeout:  // a resend's: its first send may have been written
    case history::ErrorCode::none:
      return false;
    default:
      return true;
  }
}

bool lost_in_group(const Facts& facts, std::uint32_t message, std::uint32_t group) {
  const MessageFacts& m = facts.messages[message];
  return m.sent && m.acknowledged && group_reads(facts, group, m.partition) && facts.stored_in_group(message, group).applied == 0;
}

bool lost_in_logs(const Facts& facts, std::uint32_t message) {
  const MessageFacts& m = facts.messages[message];
  if (!m.sent || !m.acknowledged) return false;
  if (m.partition >= facts.partition_logs.size()) return true;
  const PartitionLogFacts& log = facts.partition_logs[m.partition];
  const std::int64_t final_offset = facts.final_offset_a(m);
  const bool committed_copy =
      (final_offset >= 0 && final_offset < log.final_high_watermark) ||
      (facts.rare(m).final_offset_b >= 0 && facts.rare(m).final_offset_b < log.final_high_watermark);
  return !committed_copy;
}

std::uint32_t lost_group(const Facts& facts, std::uint32_t message) {
  if (facts.group_count == 0) return lost_in_logs(facts, message) ? kJudgedOnLogs : kNone;
  for (std::uint32_t g = 0; g < facts.group_count; ++g) {
    if (lost_in_group(facts, message, g)) return g;
  }
  return kNone;
}

std::uint32_t duplicated_group(const Facts& facts, std::uint32_t message) {
  for (std::uint32_t g = 0; g < facts.group_count; ++g) {
    if (facts.stored_in_group(message, g).applied >= 2) return g;
  }
  return kNone;
}

}  // namespace ksim::check
