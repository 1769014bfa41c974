#include "reports/scenario_result_json.h"

#include <stdexcept>

#include "reports/probe_coverage.h"
#include "reports/results_doc.h"
#include "reports/results_json.h"
#include "reports/results_model_json.h"

namespace ksim::reports {

namespace {

// The --vary values of a document: each distinct "vary_value" of its runs, in order of
// first appearance, with the number of the points it has (the points are by value, then
// mode, in the order the values were run).
std::vector<run::VaryValue> vary_values_from_json(const std::vector<run::RunFigures>& runs,
                                                  const std::vector<run::VaryPoint>& points, std::size_t mode_count) {
  std::vector<run::VaryValue> values;
  for (const run::RunFigures& run : runs) {
    if (!run.vary_value) continue;
    const bool seen = std::any_of(values.begin(), values.end(), [&](const run::VaryValue& v) { return v.text == *run.vary_value; });
    if (!seen) values.push_back({*run.vary_value, 0});
  }
  if (values.empty()) return values;
  if (mode_count == 0 || points.size() != values.size() * mode_count) {
    throw std::runtime_error("a --vary result whose points do not match the values of its runs");
  }
  for (std::size_t v = 0; v < values.size(); ++v) values[v].number = points[v * mode_count].value;
  return values;
}

void read_summary(const nlohmann::json& scenario, run::ScenarioResult& result) {
  for (const std::string& mode : result.modes) {
    const auto aggregates = scenario.find("aggregates");
    if (aggregates == scenario.end() || !aggregates->contains(mode)) continue;
    result.aggregates.push_back(mode_aggregate_from_json(mode, aggregates->at(mode)));
  }
  for (const nlohmann::json& worst : array_at(scenario, "worst_seeds")) result.worst.push_back(worst_seed_from_json(worst));
  for (const nlohmann::json& expectation : array_at(scenario, "expectations")) {
    result.expectations.push_back(expectation_spec_from_json(expectation));
    if (expectation.contains("verdict") || expectation.contains("held")) {
      result.judged.push_back(judged_expectation_from_json(expectation));
    }
  }
}

}  // namespace

run::ScenarioResult scenario_result_from_json(const nlohmann::json& scenario) {
  run::ScenarioResult result;
  result.name = text_at(scenario, "name");
  result.file = text_at(scenario, "file");
  result.description = text_at(scenario, "description");
  if (const auto seeds = scenario.find("seeds"); seeds != scenario.end() && seeds->is_object()) {
    result.first_seed = count_at(*seeds, "first");
    result.last_seed = count_at(*seeds, "last");
  }
  for (const nlohmann::json& mode : array_at(scenario, "modes")) result.modes.push_back(mode.get<std::string>());
  for (const nlohmann::json& run : array_at(scenario, "runs")) result.runs.push_back(run_figures_from_json(run));
  if (const auto shard = scenario.find("shard"); shard != scenario.end() && shard->is_object()) {
    result.shard = run::Shard{count_at(*shard, "index"), count_at(*shard, "count")};
  }
  read_summary(scenario, result);
  if (const auto vary = scenario.find("vary"); vary != scenario.end() && vary->is_object()) {
    result.vary_key = text_at(*vary, "key");
    for (const nlohmann::json& point : array_at(*vary, "points")) result.vary_points.push_back(vary_point_from_json(point));
    result.vary_values = vary_values_from_json(result.runs, result.vary_points, result.modes.size());
  }
  return result;
}

std::vector<run::ScenarioResult> results_from_json(const nlohmann::json& results) {
  std::vector<run::ScenarioResult> scenarios;
  for (const nlohmann::json& scenario : array_at(results, "scenarios")) scenarios.push_back(scenario_result_from_json(scenario));
  return scenarios;
}

void write_summary(const run::ScenarioResult& result, nlohmann::json& scenario) {
  nlohmann::json aggregates = nlohmann::json::object();
  for (const run::ModeAggregate& aggregate : result.aggregates) aggregates[aggregate.mode] = mode_aggregate_to_json(aggregate);
  scenario["aggregates"] = aggregates;
  nlohmann::json worst = nlohmann::json::array();
  for (const run::WorstSeed& seed : result.worst) worst.push_back(worst_seed_to_json(seed));
  scenario["worst_seeds"] = worst;
  nlohmann::json expectations = nlohmann::json::array();
  for (const run::JudgedExpectation& judged : result.judged) expectations.push_back(judged_expectation_to_json(judged));
  scenario["expectations"] = expectations;
  Coverage coverage;
  add_runs(coverage, scenario.at("runs"));
  scenario["probes"] = coverage_to_json(coverage);
  if (!result.vary_key) return;
  nlohmann::json points = nlohmann::json::array();
  for (const run::VaryPoint& point : result.vary_points) points.push_back(vary_point_to_json(point));
  scenario["vary"] = {{"key", *result.vary_key}, {"points", points}};
}

void summarize_scenario(nlohmann::json& scenario) {
  run::ScenarioResult result = scenario_result_from_json(scenario);
  run::summarize(result);
  write_summary(result, scenario);
}

nlohmann::json merge_documents(const std::vector<nlohmann::json>& documents) {
  std::vector<const nlohmann::json*> objects;
  std::vector<run::ScenarioResult> parts;
  std::vector<std::pair<std::string, std::string>> identities;
  for (const nlohmann::json& document : documents) {
    for (const nlohmann::json& scenario : document.at("scenarios")) {
      objects.push_back(&scenario);
      parts.push_back(scenario_result_from_json(scenario));
      identities.emplace_back(parts.back().name, parts.back().file);
    }
  }
  nlohmann::json merged = nlohmann::json::array();
  for (const std::vector<std::size_t>& group : run::group_by_identity(identities)) {
    std::vector<run::ScenarioResult> group_parts;
    std::vector<nlohmann::json> runs;   // the whole run objects, in the same order as the figures
    std::vector<run::RunFigures> figures;
    for (const std::size_t i : group) {
      group_parts.push_back(parts[i]);
      for (const nlohmann::json& run : objects[i]->at("runs")) runs.push_back(run);
      figures.insert(figures.end(), parts[i].runs.begin(), parts[i].runs.end());
    }
    const run::ScenarioResult result = run::merge_parts(group_parts);
    nlohmann::json object = *objects[group.front()];
    object["runs"] = nlohmann::json::array();
    for (const std::size_t i : run::unsharded_order(result.modes, result.vary_values, figures)) object["runs"].push_back(std::move(runs[i]));
    object.erase("shard");
    write_summary(result, object);
    merged.push_back(std::move(object));
  }
  return results_document(documents.empty() ? "sweep" : documents.front().value("command", "sweep"), std::move(merged));
}

void mark_shard(nlohmann::json& scenario, run::Shard shard, std::uint64_t first_seed, std::uint64_t last_seed) {
  scenario["seeds"] = {{"first", first_seed}, {"last", last_seed}};
  scenario["shard"] = {{"index", shard.index}, {"count", shard.count}};
}

}  // namespace ksim::reports
