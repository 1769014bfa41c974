#include "sim/check/outcome.h"

namespace ksim::check {

std::string_view to_string(CauseCategory category) {
  switch (category) {
    case CauseCategory::network_drop_unacked_send: return "network-drop-unacked-send";
    case CauseCategory::leader_failover_truncation: return "leader-failover-truncation";
    case CauseCategory::unclean_election: return "unclean-election";
    case CauseCategory::power_loss_unflushed: return "power-loss-unflushed";
    case CauseCategory::hw_truncation: return "hw-truncation";
    case CauseCategory::producer_retry_duplicate: return "producer-retry-duplicate";
    case CauseCategory::epoch_bump_duplicate: return "epoch-bump-duplicate";
    case CauseCategory::commit_before_process: return "commit-before-process";
    case CauseCategory::auto_commit_ahead: return "auto-commit-ahead";
    case CauseCategory::rebalance_redelivery: return "rebalance-redelivery";
    case CauseCategory::reset_latest_skip: return "reset-latest-skip";
    case CauseCategory::aborted_read: return "aborted-read";
    case CauseCategory::abort_without_seek: return "abort-without-seek";
    case CauseCategory::power_lost_leader_elected: return "power-lost-leader-elected";
    case CauseCategory::hanging_transaction: return "hanging-transaction";
    case CauseCategory::committed_offset_lost: return "committed-offset-lost";
    case CauseCategory::undetected_truncation: return "undetected-truncation";
    case CauseCategory::unread_when_stopped: return "unread-when-stopped";
    case CauseCategory::unknown: return "unknown";
  }
  return "unknown";
}

std::array<NamedAnomaly, 15> named(const JepsenAnomalies& a) {
  return {{{"lost-write", &a.lost_write},
           {"unseen", &a.unseen},
           {"duplicate", &a.duplicate},
           {"inconsistent-offsets", &a.inconsistent_offsets},
           {"poll-skip", &a.poll_skip},
           {"nonmonotonic-poll", &a.nonmonotonic_poll},
           {"nonmonotonic-send", &a.nonmonotonic_send},
           {"G1a", &a.g1a},
           {"int-poll-skip", &a.int_poll_skip},
           {"int-nonmonotonic-poll", &a.int_nonmonotonic_poll},
           {"int-send-skip", &a.int_send_skip},
           {"int-nonmonotonic-send", &a.int_nonmonotonic_send},
           {"G0", &a.g0},
           {"G1c", &a.g1c},
           {"precommitted-read", &a.precommitted_read}}};
}

}  // namespace ksim::check
