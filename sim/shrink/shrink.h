#pragma once
// `ksim shrink`: a run that violates an expectation of its scenario, its mode's guarantee
// or one of Kafka's promises, reduced while the same violation remains. The steps, their
// order and what "the same violation" means are in scenarios/README.md ("Shrinking a
// failing run"); the CLI only parses flags and prints.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/scenario/input_error.h"
#include "sim/shrink/search.h"
#include "sim/shrink/violation.h"

namespace ksim::shrink {

struct ShrinkRequest {
  YAML::Node root;                // the file's tree, with any --set already applied
  std::string file;               // where it came from (messages, the header)
  std::vector<std::string> sets;  // the --set overrides, for the header only
  std::uint64_t seed = 1;
  std::string mode;     // "": the first of the file's modes whose run violates something
  std::string counter;  // "": the run's first violation
  Budget budget;
};

// How big a scenario's run is.
struct Sizes {
  std::uint64_t faults = 0;    // faults applied (the file's, plus those its nemesis drew)
  std::uint64_t messages = 0;  // messages produced in all (producers x messages)
  std::uint64_t nodes = 0;     // brokers, producers and consumer members
  std::uint64_t events = 0;    // events the run executed
};

// The sizes of (loaded, mode, seed) whose run executed `events` events.
Sizes sizes_of(const scenario::Scenario& loaded, const scenario::ModeChoice& mode, std::uint64_t seed,
               std::uint64_t events);
// "3 faults, 1200 messages, 5 nodes, 81234 events"
std::string sizes_text(const Sizes& sizes);

struct ShrinkResult {
  bool failing = false;  // false: the run violates nothing (nothing to shrink, nothing written)
  std::string mode;
  std::optional<Violation> violation;        // as the original run shows it
  std::optional<Violation> shrunk_violation; // as the shrunk scenario's run shows it
  Sizes before;
  Sizes after;
  std::size_t nemesis_faults = 0;  // faults the nemesis drew and the shrink made explicit
  std::size_t client_power_failures = 0;  // of them, client power failures written as crashes
  bool nemesis_kept = false;  // the explicit faults did not fail the same way: the nemesis stays
  YAML::Node tree;                 // the smallest scenario found
  std::vector<std::string> steps;  // the accepted reductions, in order
  std::uint64_t candidates = 0;    // candidate runs tried
  bool budget_spent = false;       // the search stopped at its budget, not at a fixpoint
};

// Shrinks the run. Bad input (an invalid file, an unknown mode or counter) goes to
// `errors` and gives nullopt.
std::optional<ShrinkResult> shrink_run(const ShrinkRequest& request, scenario::InputErrors& errors);

// The shrunk scenario as the text of a file at `out_path`, with its header comments.
std::string shrunk_file_text(const ShrinkRequest& request, const ShrinkResult& result, const std::string& out_path);

// `ksim run OUT --seed N --mode M`
std::string replay_command(const std::string& out_path, std::uint64_t seed, const std::string& mode);

}  // namespace ksim::shrink
