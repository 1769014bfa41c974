#pragma once
// Coverage probes (issue 17): named counters at rare paths of the model, counted per run,
// so a sweep, a check of the library or a swarm can say which of those paths ever ran
// (FoundationDB's TEST() probes are the model). They are coverage statistics, never
// verdicts: no counter, cause or verdict of the checker reads them.
//
// Why a coverage table returned beside the history (kafka::RunOutput::probes) and not
// history records the checker would count: (1) a record is observable behaviour; adding
// one would change what every run writes (`history_records`, `--history-out` files, the
// memory of a run), while probes must leave every existing output byte-identical; (2)
// several probes mark internal decisions no record shows (an OutOfOrderSequence answer a
// retry then hides, an epoch bump, an ISR reaching one member inside the controller);
// deriving them from records would need new records anyway. The checker's rule (verdicts
// from the history only) is kept because nothing judges with these counts.
//
// The list is fixed and documented here, in one place; names are the JSON keys. Append new
// probes at the end (kProbeNames must follow the enum) and document them in
// scenarios/README.md ("Coverage probes").
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ksim::history {

enum class Probe : std::uint8_t {
  unclean_election,                 // a leader elected from outside the ISR (unclean.leader.election.enable)
  elr_election,                     // KIP-966: a leader elected from the ELR (or the last known leader)
  isr_shrunk_to_one,                // a partition's ISR went from several members to one
  truncation_below_high_watermark,  // a replica truncated below its own high watermark
  divergence_truncation,            // KIP-101/KIP-279: truncation to the leader's epoch end offset
  high_watermark_truncation,        // pre-KIP-101: a new follower truncated to its high watermark
  power_failure_truncation,         // the unflushed tail of a log lost with the machine's power
  not_enough_replicas,              // a produce refused: ISR below min.insync.replicas
  not_enough_replicas_after_append, // written, then the ISR fell below min.insync.replicas
  out_of_order_sequence,            // a broker answered OutOfOrderSequence
  producer_fenced,                  // a producer (or transactional member) learned it was fenced
  producer_epoch_bump,              // KIP-360: an idempotent producer bumped its epoch, or a
                                    // transactional one asked for a new epoch after an abort
  transaction_aborted_by_timeout,   // the coordinator aborted a transaction at transaction.timeout.ms
  rebalance_during_transaction,     // a member's open transaction aborted because its input moved
  coordinator_failover,             // a group coordinator loaded on a later leader of __consumer_offsets
  consumer_rewind_after_truncation, // KIP-320: a consumer moved back to the divergence point
  controlled_shutdown,              // a broker stopped at the end of a controlled shutdown
  leader_log_end_truncation,        // a follower ahead of its leader truncated to the leader's
                                    // log end (OFFSET_OUT_OF_RANGE, ZooKeeper-era bounced leader)
  consumer_offset_out_of_range,     // a consumer's position lay past the leader's log end:
                                    // auto.offset.reset applied (no KIP-320 detection)
  transaction_coordinator_failover, // a new leader of a __transaction_state partition loaded it
                                    // and wrote the markers of a prepared transaction
  coordinator_load_in_progress,     // a group or transaction coordinator still loading its
                                    // partition answered COORDINATOR_LOAD_IN_PROGRESS
};

inline constexpr std::array<std::string_view, 21> kProbeNames{
    "unclean_election",
    "elr_election",
    "isr_shrunk_to_one",
    "truncation_below_high_watermark",
    "divergence_truncation",
    "high_watermark_truncation",
    "power_failure_truncation",
    "not_enough_replicas",
    "not_enough_replicas_after_append",
    "out_of_order_sequence",
    "producer_fenced",
    "producer_epoch_bump",
    "transaction_aborted_by_timeout",
    "rebalance_during_transaction",
    "coordinator_failover",
    "consumer_rewind_after_truncation",
    "controlled_shutdown",
    "leader_log_end_truncation",
    "consumer_offset_out_of_range",
    "transaction_coordinator_failover",
    "coordinator_load_in_progress",
};
inline constexpr std::size_t kProbeCount = kProbeNames.size();
static_assert(static_cast<std::size_t>(Probe::coordinator_load_in_progress) + 1 == kProbeCount,
              "kProbeNames must name every Probe, in enum order");

inline constexpr std::string_view to_string(Probe probe) { return kProbeNames[static_cast<std::size_t>(probe)]; }

// One run's probe counts, indexed by Probe.
struct ProbeCounts {
  std::array<std::uint64_t, kProbeCount> hits{};

  void hit(Probe probe) { ++hits[static_cast<std::size_t>(probe)]; }
  std::uint64_t operator[](Probe probe) const { return hits[static_cast<std::size_t>(probe)]; }
};

}  // namespace ksim::history
