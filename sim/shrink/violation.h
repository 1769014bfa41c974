#pragma once
// What a shrink must keep: one violation of a run, judged exactly as `ksim check` and
// `ksim run` judge it (reports::scenario_to_json: the scenario's expectations, the mode's
// guarantee, Kafka's own promises). A candidate reproduces the violation when its run
// shows a violation of the same source and counter (and bound), and, where the original
// named a cause for its lost or duplicated messages, at least one message of that cause
// and none of a cause the original run did not have.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/history/probes.h"
#include "sim/scenario/scenario.h"

namespace ksim::shrink {

enum class Source : std::uint8_t {
  expectation,    // an every-seed bound of the file's `expect` block failed
  guarantee,      // the delivery mode's promise (no loss, no duplicates) broke
  kafka_promise,  // kafka_promises_broken > 0: one of Kafka's safety invariants broke
};

struct Violation {
  Source source = Source::expectation;
  std::string counter;   // e.g. "lost", "kafka_promises_broken"
  std::string bound;     // the bound it broke, e.g. "== 0"
  std::uint64_t observed = 0;
  std::string cause;                // the cause most of its messages have ("" when none is named)
  std::vector<std::string> causes;  // every cause with a message, by name

  std::string describe() const;
};

// One judged run of a candidate.
struct Judged {
  bool loaded = false;  // false: the candidate's configuration did not build for this mode
  std::vector<Violation> violations;  // in order: expectations (file order), guarantee, Kafka's promises
  std::uint64_t events = 0;
  std::uint64_t faults = 0;  // faults the run had (explicit ones plus those its nemesis drew)
  std::string fingerprint;
  std::optional<history::ProbeCounts> probes;  // coverage statistics of the run (never judged)
};

// Runs (scenario, mode, seed) once and judges it.
Judged judge_run(const scenario::Scenario& scenario, const scenario::ModeChoice& mode, std::uint64_t seed);

// The violation a shrink keeps: the first one on `counter` (any counter when empty).
std::optional<Violation> pick_violation(const std::vector<Violation>& found, const std::string& counter);

// Whether `found` holds the same violation as `target` (see the top of this file).
bool same_violation(const Violation& target, const std::vector<Violation>& found);

std::string_view to_string(Source source);

}  // namespace ksim::shrink
