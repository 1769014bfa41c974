// Round trip (issue 16 item 4): every bundled scenario, each of its modes on the file's own
// seed, run with its history kept; the client history exported from it and read back gives
// the checker the same client-visible counters and the same Jepsen anomalies as the run's
// own judgement, except where listed below with the reason.
#define BOOST_TEST_MODULE client history round trip
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "reports/client_history_reader.h"
#include "reports/client_history_writer.h"
#include "sim/check/checker.h"
#include "sim/check/counter_names.h"
#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/run/bundled_seeds.h"

namespace {

using namespace ksim;

// (scenario, mode, counter or anomaly) that may differ, each for a reason a client history
// cannot help: it records what clients were told and read, not the replica logs.
struct Exception {
  const char* scenario;
  const char* mode;
  const char* name;
  const char* reason;
};
constexpr Exception kExceptions[] = {
    {"a05-overlapping-power-failures", "at-most-once", "lost-write",
     "acks=0: the producer is told no offset, and lost-write needs the message's offset (the run takes it from the "
     "leader's log)"},
    {"a05-power-failure-nemesis", "at-most-once", "lost-write", "as above: acks=0 sends have no offset"},
    {"rolling-restart", "at-most-once", "lost-write", "as above: acks=0 sends have no offset"},
    {"a05-overlapping-power-failures", "exactly-once-transactions", "poll-skip",
     "a power loss truncated acknowledged records and their offsets were reused by markers and aborted records: "
     "the consumer's pass over them looks like a skip to a client, the run's replica logs show it is none"},
    {"a05-power-failure-nemesis", "exactly-once-transactions", "poll-skip", "as above"},
    {"two-topics", "exactly-once-transactions", "poll-skip",
     "as a05-overlapping-power-failures: clicks' only replica loses power under transactions"},
    {"tx-read-committed", "as-configured", "poll-skip",
     "the skipped offsets held records no client acknowledged or read (aborted): only the leader's log shows them"},
    {"tx-read-committed", "as-configured", "duplicate",
     "the run's duplicate also counts messages at two offsets of the final log that were read once"},
};

bool excused(const std::string& scenario, const std::string& mode, const std::string& name) {
  return std::any_of(std::begin(kExceptions), std::end(kExceptions), [&](const Exception& e) {
    return scenario == e.scenario && mode == e.mode && name == e.name;
  });
}

constexpr const char* kClientCounters[] = {"produced", "acknowledged", "failed",     "indeterminate",
                                           "delivered", "lost",        "duplicated", "reordered_within_key"};

void compare(const std::string& scenario, const std::string& mode, const check::Outcome& run,
             const check::Outcome& imported) {
  for (const char* counter : kClientCounters) {
    if (excused(scenario, mode, counter)) continue;
    BOOST_TEST(check::counter_value(run, counter).value() == check::counter_value(imported, counter).value(),
               scenario << " " << mode << " " << counter);
  }
  const auto run_anomalies = check::named(run.jepsen);
  const auto imported_anomalies = check::named(imported.jepsen);
  for (std::size_t i = 0; i < run_anomalies.size(); ++i) {
    const std::string name(run_anomalies[i].name);
    if (excused(scenario, mode, name)) continue;
    BOOST_TEST(run_anomalies[i].anomaly->count == imported_anomalies[i].anomaly->count,
               scenario << " " << mode << " " << name << ": run " << run_anomalies[i].anomaly->count << ", imported "
                        << imported_anomalies[i].anomaly->count);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_bundled_scenario_round_trips) {
  const std::vector<std::filesystem::path> files = testing::bundled_scenario_files();
  BOOST_REQUIRE(files.size() >= 30);
  for (const std::filesystem::path& file : files) {
    scenario::InputErrors errors;
    const auto loaded = scenario::load_scenario_file(file.string(), errors);
    BOOST_REQUIRE_MESSAGE(loaded, file.string());
    for (const scenario::ModeChoice& mode : loaded->modes) {
      const kafka::WorldConfig config = scenario::build_world_config(*loaded, mode, loaded->seed, errors);
      const run::RunReport report = run::run_once(config, loaded->name, mode.mode, true);
      std::istringstream exported(reports::render_client_history(*report.history));
      const reports::ClientHistoryRead read = reports::read_client_history(exported);
      BOOST_REQUIRE_MESSAGE(read.history, file.string() << ": " << (read.error ? read.error->to_string("export") : ""));
      compare(file.stem().string(), mode.name(), report.outcome, check::check(*read.history));
    }
  }
}
