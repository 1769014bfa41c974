#pragma once
// The scenario subcommands of ksim: run, compare, sweep, check, validate. Each parses its
// flags into an options struct; the functions here load scenarios (bad input: every
// error, exit 2), run batches, render results and return the exit code.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/history/history.h"
#include "sim/scenario/input_error.h"

namespace ksim::cli {

inline constexpr int kExitHeld = 0;
inline constexpr int kExitViolated = 1;
inline constexpr int kExitBadInput = 2;
// 3 is an internal error (sim/cli/main.cpp). 4: nothing failed, but a run stopped at a
// bound (event or time limit, the drain's bound, the event queue's bound) before its
// drain completed, so it proves nothing: Jepsen's `:valid? :unknown` and Maelstrom's
// "unknown" result are told apart from a pass and from a failure the same way.
inline constexpr int kExitInconclusive = 4;

struct ScenarioOptions {
  std::vector<std::string> paths;   // files (run, compare, sweep) or files and folders (check, validate)
  std::optional<std::uint64_t> seed;
  std::string seeds;                // "A..B"
  std::string mode;                 // run: one mode only
  std::vector<std::string> sets;    // --set key=value
  std::string vary;                 // --vary key=START..END:STEP
  std::string shard;                // --shard K/N
  unsigned jobs = 1;
  bool json = false;
  std::string report_dir;
  bool stream = false;  // run, compare, sweep: judge with the streaming checker (no history kept)
  std::string history_dir;  // run, compare, sweep: where each run's history records go (issue 19 item 3)
  std::string trace_path;
  std::string anomaly_trace_path;  // run: a trace of the first mode's anomalous messages only (any run size)
  std::string topology_path;
  std::string history_out;  // run: the client history of the first mode (ksim-client-history)
  std::string history_format;  // check-history, convert-history: "jsonl" or "edn" (default: by extension)
  std::string counter;      // shrink: the violated counter to keep
  std::string time_budget;  // shrink: a duration, e.g. 60s
  std::string out_path;     // shrink: where the shrunk scenario goes
  std::optional<std::uint64_t> runs;  // swarm: runs 1..N
  std::string swarm_time;             // swarm: a duration; start no run after it
  std::string out_dir;                // swarm: where failing variants go
  std::string shrink_budget;          // swarm: a duration per failure
};

// A scenario file's YAML tree with the --set overrides applied (not validated yet).
std::optional<YAML::Node> load_tree_with_sets(const std::string& path, const std::vector<std::string>& sets,
                                              scenario::InputErrors& errors);

int command_run(const ScenarioOptions& options);
int command_compare(const ScenarioOptions& options);
int command_sweep(const ScenarioOptions& options);
int command_check(const ScenarioOptions& options);
int command_validate(const ScenarioOptions& options);
int command_merge(const ScenarioOptions& options);
int command_report(const ScenarioOptions& options);
int command_shrink(const ScenarioOptions& options);
int command_swarm(const ScenarioOptions& options);
int command_check_history(const ScenarioOptions& options);  // history_commands.cpp
int command_convert_history(const ScenarioOptions& options);  // history_commands.cpp

// The files `run` writes from the first mode's history: --trace and --history-out
// (history_commands.cpp). Throws std::runtime_error when a file cannot be written.
void write_history_files(const ScenarioOptions& options, const std::string& mode, std::uint64_t seed,
                         const history::History& history);

}  // namespace ksim::cli
