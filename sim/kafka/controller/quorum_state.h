#pragma once
// One voter's view of the KRaft controller quorum (KIP-595): its epoch, its vote, its role,
// its log's end and high watermark, and, as leader, what each follower holds.
#include <cstdint>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/kafka/config/config.h"

namespace ksim::kafka {

enum class QuorumRole : std::uint8_t { follower, candidate, leader };

struct QuorumState {
  static constexpr std::uint32_t kNoVoter = ~std::uint32_t{0};

  std::uint32_t index = 0;   // this voter, 0 .. voters - 1
  std::uint32_t voters = 1;
  ControllerQuorumConfig config;
  // Durable (KRaft's quorum-state file and metadata log): kept across a crash.
  std::int32_t epoch = 1;
  std::uint32_t voted_for = kNoVoter;
  std::uint64_t log_end_offset = 0;
  std::int32_t log_end_epoch = 1;
  // In memory.
  QuorumRole role = QuorumRole::leader;
  bool active = true;  // leader, and its first entry of its epoch committed
  std::uint32_t leader = 0;  // the voter believed leader, or kNoVoter
  std::uint64_t commit_offset = 0;  // the quorum's high watermark as this voter knows it
  std::uint64_t epoch_start_offset = 0;  // the leader's first entry of its epoch
  std::uint32_t votes = 0;
  std::uint64_t election = 0;  // numbers election timers: a later election retires older ones
  TimeNs leader_contact_ns = 0;  // a follower's last word from the leader
  TimeNs leader_since_ns = 0;
  std::vector<std::uint64_t> match_offset;  // leader: each voter's log end as acknowledged
  std::vector<TimeNs> acked_ns;             // leader: each voter's last acknowledgement
};

}  // namespace ksim::kafka
