#pragma once
// One run: build the world from a validated config, run it, judge its history with the
// checker, and say whether the delivery mode kept its promise. Pure data out; printing
// and report writing happen elsewhere.
#include <cstdint>
#include <optional>
#include <string>

#include "sim/check/outcome.h"
#include "sim/core/simulator.h"
#include "sim/history/history.h"
#include "sim/history/probes.h"
#include "sim/kafka/config/delivery_mode.h"
#include "sim/kafka/config/world_config.h"

namespace ksim::run {

struct RunReport {
  std::string scenario;
  std::string mode;  // a delivery mode name, or "as-configured"
  std::uint64_t seed = 0;
  check::Outcome outcome;
  RunResult run;
  bool drain_completed = false;
  std::string drain_blocker;
  // Empty when the run completed its drain; else why it is inconclusive (which bound
  // stopped it, when, what the drain waited for): see sim/run/run_completeness.h.
  std::string inconclusive_reason;
  std::string guarantee;        // what the mode promises, e.g. "no loss"
  bool guarantee_held = true;   // judged by the checker from the history; false when inconclusive
  std::uint64_t history_records = 0;
  std::optional<history::History> history;  // kept only when asked for (traces, timelines)
  // Coverage probes of the model (sim/history/probes.h); absent for a history judged without
  // a model run (`ksim check-history`). Statistics only: no verdict reads them.
  std::optional<history::ProbeCounts> probes;

  bool conclusive() const { return inconclusive_reason.empty(); }
  // "held", "broken" (the checker found the promise broken on a complete run) or
  // "inconclusive" (the run did not complete: no verdict either way).
  std::string verdict() const;
};

// Which checker judges a run: the batch checker once the run ended, from its history (in
// memory, or on disk with WorldConfig::history_spill_directory), or the streaming checker
// as the run writes its records (sim/check/streaming_checker.h: the same outcome, no history
// kept unless asked for).
enum class CheckerKind : std::uint8_t { batch, stream };

// Runs `config` (already carrying the mode's preset and the scenario's settings).
RunReport run_once(const kafka::WorldConfig& config, const std::string& scenario,
                   std::optional<kafka::DeliveryMode> mode, bool keep_history = false,
                   CheckerKind checker = CheckerKind::batch);

// The network topology a world built from `config` has, as Graphviz DOT.
std::string topology_dot(const kafka::WorldConfig& config);

// Whether an outcome keeps a guarantee.
bool guarantee_held(kafka::Guarantee guarantee, const check::Outcome& outcome);

}  // namespace ksim::run
