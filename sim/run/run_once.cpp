#include "sim/run/run_once.h"

#include "sim/check/checker.h"
#include "sim/check/streaming_checker.h"
#include "sim/kafka/world.h"
#include "sim/run/run_completeness.h"

namespace ksim::run {

bool guarantee_held(kafka::Guarantee guarantee, const check::Outcome& outcome) {
  switch (guarantee) {
    case kafka::Guarantee::no_duplicates:
      return outcome.counters.duplicated == 0;
    case kafka::Guarantee::no_loss:
      return outcome.counters.lost == 0;
    case kafka::Guarantee::no_loss_no_duplicates:
      return outcome.counters.lost == 0 && outcome.counters.duplicated == 0;
  }
  return false;
}

std::string RunReport::verdict() const {
  if (!conclusive()) return "inconclusive";
  return guarantee_held ? "held" : "broken";
}

std::string topology_dot(const kafka::WorldConfig& config) {
  const kafka::World world(config);
  return world.topology_dot();
}

RunReport run_once(const kafka::WorldConfig& config, const std::string& scenario,
                   std::optional<kafka::DeliveryMode> mode, bool keep_history, CheckerKind checker) {
  kafka::RunOutput output;
  std::optional<check::StreamingChecker> streaming;
  {
    // Gone before the batch checker runs: a long run's world and checker need not coexist (issue 19).
    kafka::World world(config);
    if (checker == CheckerKind::stream) world.stream_history_to(streaming.emplace(world.history_header(), check::CheckOptions{}, kafka::offered_messages(config)), keep_history);
    output = world.run();
  }
  RunReport report;
  report.scenario = scenario;
  report.mode = mode ? std::string(kafka::to_string(*mode)) : "as-configured";
  report.seed = config.seed;
  report.history_records = output.history.records.size();
  if (streaming) {
    check::StreamOutcome streamed = streaming->finish(output.history);
    report.outcome = std::move(streamed.outcome);
    report.history_records = streamed.records;
  } else {
    report.outcome = check::check(output.history);
  }
  report.run = output.run;
  report.drain_completed = output.drain_completed;
  report.drain_blocker = output.drain_blocker;
  report.inconclusive_reason = inconclusive_reason(config, output.run, output.drain_completed, output.drain_blocker);
  report.probes = output.probes;
  if (keep_history) report.history = std::move(output.history);
  if (mode) {
    const kafka::Guarantee promised = kafka::promised_guarantee(*mode);
    report.guarantee = std::string(kafka::describe(promised));
    report.guarantee_held = guarantee_held(promised, report.outcome);
  } else {
    report.guarantee = "none stated";
    report.guarantee_held = true;
  }
  // A partial history shows neither that the promise held nor that it broke.
  if (!report.conclusive()) report.guarantee_held = false;
  return report;
}

}  // namespace ksim::run
