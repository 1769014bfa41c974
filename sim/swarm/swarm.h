#pragma once
// `ksim swarm`: runs numbered first..last, each a variant of the base drawn from its run
// number, judged exactly as `ksim check` and `ksim shrink` judge a run (the mode's
// guarantee, Kafka's promises: shrink::judge_run). Every failing run is written as a
// standalone scenario file and shrunk. Runs go in parallel across threads, one run per
// thread, and results are kept in run order, so -j never changes what is found.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/core/sim_time.h"
#include "sim/history/probes.h"
#include "sim/shrink/shrink.h"
#include "sim/swarm/ranges.h"

namespace ksim::swarm {

struct SwarmRequest {
  YAML::Node base;   // the base file's tree (--set applied)
  std::string file;  // its path, for names and messages
  Ranges ranges;
  std::uint64_t first_run = 1;
  std::uint64_t last_run = 1;
  // --time: no new runs are started after it (runs go in rounds of 4 x jobs, so the runs
  // done are always first..some run).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  unsigned jobs = 1;
  std::string out_dir = "swarm-failures";
  TimeNs shrink_budget_ns = 60 * kNanosecondsPerSecond;  // wall clock per failure
};

// One run: what was drawn and what broke.
struct RunOutcome {
  std::uint64_t run = 0;
  std::string mode;
  std::vector<std::pair<std::string, std::string>> dimensions;
  std::string invalid;  // not empty: the variant is not a valid scenario (the loader's first error)
  std::vector<shrink::Violation> violations;
  std::string variant_text;  // kept for failing runs only
  std::optional<history::ProbeCounts> probes;  // coverage probes of the run (absent when invalid)
};

// A failing run, written and shrunk.
struct Finding {
  std::uint64_t run = 0;
  std::string mode;
  shrink::Violation violation;
  std::string file;         // the variant as a standalone scenario
  std::string shrunk_file;  // "" when shrinking did not reproduce it
  shrink::Sizes before;
  shrink::Sizes after;
  bool shrink_budget_spent = false;
  std::string replay;  // `ksim run SHRUNK --seed N --mode M`
};

struct SwarmResult {
  std::vector<RunOutcome> runs;  // in run order
  std::vector<Finding> findings;  // in run order
};

// Called after each finding is written and shrunk (for progress on stderr).
using OnFinding = std::function<void(const Finding&)>;

// The variant of one run, judged (no file written). Exposed for tests.
RunOutcome judge_variant(const YAML::Node& base, const std::string& file, const Ranges& ranges, std::uint64_t run);

// The out dir or a file in it could not be written (a bad input, not a bug).
class WriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws WriteError when the out dir or a file in it cannot be written.
SwarmResult run_swarm(const SwarmRequest& request, const OnFinding& on_finding);

// The file a failing run's variant is written to: DIR/<base stem>-run<N>.yaml
std::string variant_path(const SwarmRequest& request, std::uint64_t run);

}  // namespace ksim::swarm
