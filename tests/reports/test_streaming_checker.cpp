// The streaming checker (issue 19 item 3): every bundled scenario, each of its modes on the
// file's own seed, run once judged by the batch checker from its history and once judged
// as the records are written, with no history kept. The stream must conclude what the batch
// checker does: the whole run as results.json writes it (counters, Jepsen's anomalies and
// their cases, pipeline, verdicts, causes), every lost and duplicated message with its
// cause, and the latency histograms; and keep fewer records than the history has.
#define BOOST_TEST_MODULE streaming checker
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "reports/results_json.h"
#include "sim/check/streaming_checker.h"
#include "sim/kafka/world.h"
#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/run/bundled_seeds.h"

using namespace ksim;

namespace {

check::StreamOutcome run_streamed(const kafka::WorldConfig& config, std::uint64_t& fingerprint,
                                  std::size_t& kept) {
  kafka::World world(config);
  check::StreamingChecker checker(world.history_header());
  world.stream_history_to(checker, false);
  const kafka::RunOutput output = world.run();
  fingerprint = output.run.fingerprint;
  kept = output.history.records.size();
  return checker.finish(output.history);
}

bool same_explained(const std::vector<check::ExplainedMessage>& a,
                    const std::vector<check::ExplainedMessage>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].message_id != b[i].message_id || a[i].category != b[i].category || a[i].group != b[i].group ||
        a[i].explanation != b[i].explanation)
      return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_bundled_scenario_is_judged_the_same_as_a_stream) {
  std::size_t runs = 0, runs_with_anomalies = 0;
  std::uint64_t kept_records = 0, all_records = 0;
  const std::size_t files = testing::for_each_bundled_mode(
      [&](const std::string& what, const scenario::ModeChoice& mode, const kafka::WorldConfig& config) {
        const run::RunReport batch = run::run_once(config, what, mode.mode, true);
        std::uint64_t fingerprint = 0;
        std::size_t kept = 0;
        check::StreamOutcome streamed = run_streamed(config, fingerprint, kept);
        ++runs;
        BOOST_TEST(fingerprint == batch.run.fingerprint, what);
        BOOST_TEST(kept == 0U, what);
        BOOST_TEST(streamed.records == batch.history->records.size(), what);
        BOOST_TEST(streamed.records_kept < streamed.records, what);
        kept_records += streamed.records_kept;
        all_records += streamed.records;
        BOOST_TEST(!streamed.sample_records.empty(), what);
        if (batch.outcome.counters.lost + batch.outcome.counters.duplicated > 0) ++runs_with_anomalies;
        // The run's own parts (events, probes) from the batch run; every judgement the stream's.
        run::RunReport stream_report = batch;
        stream_report.outcome = streamed.outcome;
        if (mode.mode && batch.conclusive()) {
          stream_report.guarantee_held =
              run::guarantee_held(kafka::promised_guarantee(*mode.mode), stream_report.outcome);
        }
        BOOST_TEST(reports::run_to_json(batch, "").dump() == reports::run_to_json(stream_report, "").dump(),
                   what);
        BOOST_TEST(same_explained(batch.outcome.lost, streamed.outcome.lost), what);
        BOOST_TEST(same_explained(batch.outcome.duplicated, streamed.outcome.duplicated), what);
    BOOST_TEST(batch.outcome.reordered == streamed.outcome.reordered, what);
        BOOST_TEST((batch.outcome.latency.produce_ns == streamed.outcome.latency.produce_ns), what);
        BOOST_TEST((batch.outcome.latency.end_to_end_ns == streamed.outcome.latency.end_to_end_ns), what);
        BOOST_TEST((batch.outcome.latency.blocked_ns == streamed.outcome.latency.blocked_ns), what);
      });
  BOOST_TEST(files >= 30u);
  BOOST_TEST_MESSAGE("the streams kept " << kept_records << " of " << all_records << " records");
  BOOST_TEST_MESSAGE(runs_with_anomalies << " of " << runs << " runs lost or duplicated messages");
  BOOST_TEST(runs_with_anomalies * 3 >= runs);  // their causes were compared too
}
