#pragma once
// The per-message judgements that counters and causes share.
//
// Lost: with consumer groups, a message is lost in group g when it was acknowledged, g reads
// its partition (ConsumerGroupEntry::partitions, empty = all) and no member of g applied it
// by the end (effect_applied). The run's `lost` counts distinct messages lost in at least
// one group (the union; per-group figures are in Outcome::groups). Without any group, a
// message is lost when it was acknowledged and is absent from its partition's final log
// below the final high watermark (see log_replay.h).
// Duplicated: applied 2+ times within one group; the run counts distinct messages
// duplicated in at least one group.
#include <cstdint>

#include "sim/check/facts.h"

namespace ksim::check {

// Whether the application's final error for a send says the write did not happen (Jepsen's
// `:fail`); the others leave it indeterminate (`:info`). See jepsen.cpp's G1a.
bool definite_failure(history::ErrorCode error);

bool lost_in_group(const Facts& facts, std::uint32_t message, std::uint32_t group);
bool lost_in_logs(const Facts& facts, std::uint32_t message);

inline constexpr std::uint32_t kJudgedOnLogs = 0xfffffffeU;

// The lowest group in which the message is lost, kJudgedOnLogs if judged lost on the logs
// (no groups), kNone if not lost.
std::uint32_t lost_group(const Facts& facts, std::uint32_t message);
// The lowest group that applied the message 2+ times, kNone if none did.
std::uint32_t duplicated_group(const Facts& facts, std::uint32_t message);

}  // namespace ksim::check
