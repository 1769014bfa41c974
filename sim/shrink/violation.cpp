#include "sim/shrink/violation.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/results_doc.h"
#include "reports/results_json.h"
#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"

namespace ksim::shrink {

namespace {

// Lost and duplicated messages carry causes; other counters name none.
void add_causes(const nlohmann::json& run, Violation& violation) {
  const char* key = violation.counter == "lost"         ? "lost_by_cause"
                    : violation.counter == "duplicated" ? "duplicated_by_cause"
                                                        : nullptr;
  if (key == nullptr || !run.contains(key)) return;
  std::uint64_t most = 0;
  // A JSON object iterates its keys in name order, so ties go to the first name.
  for (const auto& [cause, count] : run.at(key).items()) {
    if (reports::count_of(count) == 0) continue;
    violation.causes.push_back(cause);
    if (reports::count_of(count) > most) {
      most = reports::count_of(count);
      violation.cause = cause;
    }
  }
}

Violation violation_of(Source source, const std::string& counter, const std::string& bound, const nlohmann::json& run) {
  Violation violation{source, counter, bound, reports::run_counter(run, counter), "", {}};
  add_causes(run, violation);
  return violation;
}

// The counters a broken guarantee is about: the promise's counters that are above zero.
std::vector<std::string> guarantee_counters(const scenario::ModeChoice& mode, const nlohmann::json& run) {
  std::vector<std::string> counters;
  if (!mode.mode) return counters;
  const kafka::Guarantee promised = kafka::promised_guarantee(*mode.mode);
  if (promised != kafka::Guarantee::no_duplicates && reports::run_counter(run, "lost") > 0) counters.push_back("lost");
  if (promised != kafka::Guarantee::no_loss && reports::run_counter(run, "duplicated") > 0) {
    counters.push_back("duplicated");
  }
  return counters;
}

std::vector<Violation> violations_in(const nlohmann::json& judged, const scenario::ModeChoice& mode) {
  std::vector<Violation> found;
  const nlohmann::json& run = judged.at("runs").at(0);
  for (const nlohmann::json& expectation : judged.at("expectations")) {
    // A some-seed bound speaks of a seed range (some seed shows the anomaly), not of one run.
    if (expectation.at("quantifier") != "every-seed" || reports::expectation_verdict(expectation) != "failed") continue;
    found.push_back(violation_of(Source::expectation, expectation.at("counter").get<std::string>(),
                                 expectation.at("bound").get<std::string>(), run));
  }
  if (reports::run_verdict(run) == "broken") {
    for (const std::string& counter : guarantee_counters(mode, run)) {
      found.push_back(violation_of(Source::guarantee, counter, "== 0", run));
    }
  }
  if (reports::run_counter(run, "kafka_promises_broken") > 0) {
    found.push_back(violation_of(Source::kafka_promise, "kafka_promises_broken", "== 0", run));
  }
  return found;
}

}  // namespace

std::string_view to_string(Source source) {
  switch (source) {
    case Source::expectation:
      return "expectation";
    case Source::guarantee:
      return "guarantee";
    case Source::kafka_promise:
      return "kafka-promise";
  }
  return "expectation";
}

std::string Violation::describe() const {
  const std::string what = source == Source::expectation ? fmt::format("expectation `{} {}`", counter, bound)
                           : source == Source::guarantee ? fmt::format("the mode's guarantee ({} {})", counter, bound)
                                                         : fmt::format("Kafka's promises ({} {})", counter, bound);
  return fmt::format("{} broken: {} {}{}", what, counter, observed,
                     cause.empty() ? "" : fmt::format(", cause {}", cause));
}

Judged judge_run(const scenario::Scenario& scenario, const scenario::ModeChoice& mode, std::uint64_t seed) {
  Judged judged;
  scenario::InputErrors errors;
  const kafka::WorldConfig config = scenario::build_world_config(scenario, mode, seed, errors);
  if (!errors.empty()) return judged;
  judged.loaded = true;
  const run::RunReport report = run::run_once(config, scenario.name, mode.mode);
  const nlohmann::json object = reports::scenario_to_json(scenario, {mode}, {report}, {}, seed, seed);
  judged.violations = violations_in(object, mode);
  judged.events = report.run.events_executed;
  judged.faults = config.faults.size();
  judged.fingerprint = object.at("runs").at(0).at("fingerprint").get<std::string>();
  judged.probes = report.probes;
  return judged;
}

std::optional<Violation> pick_violation(const std::vector<Violation>& found, const std::string& counter) {
  for (const Violation& violation : found) {
    if (counter.empty() || violation.counter == counter) return violation;
  }
  return std::nullopt;
}

namespace {

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The target's cause is still there, and no cause the original run did not have came in
// (a shrink that drops `auto.offset.reset: earliest` must not pass off a reset-latest
// skip as the leader failover it set out to explain).
bool same_causes(const Violation& target, const Violation& candidate) {
  if (target.cause.empty()) return true;
  if (!has(candidate.causes, target.cause)) return false;
  return std::all_of(candidate.causes.begin(), candidate.causes.end(),
                     [&](const std::string& cause) { return has(target.causes, cause); });
}

}  // namespace

bool same_violation(const Violation& target, const std::vector<Violation>& found) {
  return std::any_of(found.begin(), found.end(), [&](const Violation& v) {
    return v.source == target.source && v.counter == target.counter && v.bound == target.bound &&
           same_causes(target, v);
  });
}

}  // namespace ksim::shrink
