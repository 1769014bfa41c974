#include "reports/results_doc.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace ksim::reports {

void require_results_schema(const nlohmann::json& results) {
  if (!results.is_object() || text_at(results, "schema") != "ksim-results") {
    throw std::runtime_error("not a ksim results document: expected \"schema\": \"ksim-results\"");
  }
  const auto version = results.find("version");
  if (version == results.end() || !version->is_number_integer() || version->get<std::int64_t>() != 1) {
    throw std::runtime_error("unsupported ksim-results version: this build reads version 1");
  }
}

const nlohmann::json& array_at(const nlohmann::json& object, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!object.is_object()) return empty;
  const auto found = object.find(key);
  return (found != object.end() && found->is_array()) ? *found : empty;
}

std::string text_at(const nlohmann::json& object, const char* key, const std::string& fallback) {
  if (!object.is_object()) return fallback;
  const auto found = object.find(key);
  if (found == object.end()) return fallback;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number() || found->is_boolean()) return found->dump();
  return fallback;
}

std::uint64_t count_of(const nlohmann::json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) return static_cast<std::uint64_t>(std::max<std::int64_t>(0, value.get<std::int64_t>()));
  if (value.is_number_float()) {
    const double number = value.get<double>();
    return (std::isfinite(number) && number > 0) ? static_cast<std::uint64_t>(std::llround(number)) : 0;
  }
  return 0;
}

std::uint64_t count_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto found = object.find(key);
  return found == object.end() ? 0 : count_of(*found);
}

bool has_bool(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return false;
  const auto found = object.find(key);
  return found != object.end() && found->is_boolean();
}

std::uint64_t run_counter(const nlohmann::json& run, const std::string& name) {
  if (run.is_object() && run.contains(name)) return count_at(run, name.c_str());
  return run.is_object() && run.contains("jepsen") ? count_at(run["jepsen"], name.c_str()) : 0;
}

std::string run_verdict(const nlohmann::json& run) {
  if (const std::string verdict = text_at(run, "verdict"); !verdict.empty()) return verdict;
  return has_bool(run, "guarantee_held") && !run["guarantee_held"].get<bool>() ? "broken" : "held";
}

std::string expectation_verdict(const nlohmann::json& expectation) {
  if (const std::string verdict = text_at(expectation, "verdict"); !verdict.empty()) return verdict;
  return has_bool(expectation, "held") && !expectation["held"].get<bool>() ? "failed" : "held";
}

std::vector<std::string> scenario_modes(const nlohmann::json& scenario) {
  std::vector<std::string> modes;
  const auto add = [&modes](const std::string& mode) {
    if (!mode.empty() && std::find(modes.begin(), modes.end(), mode) == modes.end()) modes.push_back(mode);
  };
  for (const auto& mode : array_at(scenario, "modes")) {
    if (mode.is_string()) add(mode.get<std::string>());
  }
  for (const auto& run : array_at(scenario, "runs")) add(text_at(run, "mode"));
  return modes;
}

std::vector<const nlohmann::json*> mode_runs(const nlohmann::json& scenario, const std::string& mode) {
  std::vector<const nlohmann::json*> runs;
  for (const auto& run : array_at(scenario, "runs")) {
    if (text_at(run, "mode") == mode) runs.push_back(&run);
  }
  return runs;
}

namespace {

// The aggregate object of (mode, counter), or nullptr when the document has none.
const nlohmann::json* aggregate(const nlohmann::json& scenario, const std::string& mode, const std::string& counter) {
  const auto aggregates = scenario.find("aggregates");
  if (aggregates == scenario.end() || !aggregates->is_object()) return nullptr;
  const auto per_mode = aggregates->find(mode);
  if (per_mode == aggregates->end() || !per_mode->is_object()) return nullptr;
  const auto stats = per_mode->find(counter);
  return (stats != per_mode->end() && stats->is_object()) ? &*stats : nullptr;
}

}  // namespace

std::uint64_t counter_sum(const nlohmann::json& scenario, const std::string& mode, const std::string& counter) {
  if (const nlohmann::json* stats = aggregate(scenario, mode, counter); stats && stats->contains("sum")) {
    return count_at(*stats, "sum");
  }
  std::uint64_t sum = 0;
  for (const nlohmann::json* run : mode_runs(scenario, mode)) sum += count_at(*run, counter.c_str());
  return sum;
}

std::uint64_t violating_seeds(const nlohmann::json& scenario, const std::string& mode, const std::string& counter) {
  if (const nlohmann::json* stats = aggregate(scenario, mode, counter); stats && stats->contains("violating_seeds")) {
    return count_at(*stats, "violating_seeds");
  }
  std::uint64_t seeds = 0;
  for (const nlohmann::json* run : mode_runs(scenario, mode)) seeds += count_at(*run, counter.c_str()) > 0 ? 1 : 0;
  return seeds;
}

std::vector<CauseCount> cause_totals(const nlohmann::json& scenario, const std::string& mode, const char* map_key) {
  std::map<std::string, std::uint64_t> totals;  // ordered: ties fall back to name order
  for (const auto& run : array_at(scenario, "runs")) {
    if (!mode.empty() && text_at(run, "mode") != mode) continue;
    const auto causes = run.find(map_key);
    if (causes == run.end() || !causes->is_object()) continue;
    for (const auto& [cause, count] : causes->items()) totals[cause] += count_of(count);
  }
  std::vector<CauseCount> out;
  for (const auto& [cause, count] : totals) {
    if (count > 0) out.push_back({cause, count});
  }
  std::stable_sort(out.begin(), out.end(), [](const CauseCount& a, const CauseCount& b) { return a.count > b.count; });
  return out;
}

std::string mode_guarantee(const nlohmann::json& scenario, const std::string& mode) {
  for (const nlohmann::json* run : mode_runs(scenario, mode)) {
    if (const std::string guarantee = text_at(*run, "guarantee"); !guarantee.empty()) return guarantee;
  }
  return "";
}

std::uint64_t guarantee_broken_runs(const nlohmann::json& scenario, const std::string& mode) {
  std::uint64_t broken = 0;
  for (const nlohmann::json* run : mode_runs(scenario, mode)) broken += run_verdict(*run) == "broken" ? 1 : 0;
  return broken;
}

std::uint64_t inconclusive_runs(const nlohmann::json& scenario, const std::string& mode) {
  std::uint64_t inconclusive = 0;
  for (const nlohmann::json* run : mode_runs(scenario, mode)) inconclusive += run_verdict(*run) == "inconclusive" ? 1 : 0;
  return inconclusive;
}

std::vector<const nlohmann::json*> all_inconclusive_runs(const nlohmann::json& results) {
  std::vector<const nlohmann::json*> runs;
  for (const auto& scenario : array_at(results, "scenarios")) {
    for (const auto& run : array_at(scenario, "runs")) {
      if (run_verdict(run) == "inconclusive") runs.push_back(&run);
    }
  }
  return runs;
}

namespace {

std::uint64_t expectations_with_verdict(const nlohmann::json& results, const std::string& verdict) {
  std::uint64_t count = 0;
  for (const auto& scenario : array_at(results, "scenarios")) {
    for (const auto& expectation : array_at(scenario, "expectations")) {
      count += expectation_verdict(expectation) == verdict ? 1 : 0;
    }
  }
  return count;
}

}  // namespace

std::uint64_t failed_expectation_count(const nlohmann::json& results) {
  return expectations_with_verdict(results, "failed");
}

std::uint64_t inconclusive_expectation_count(const nlohmann::json& results) {
  return expectations_with_verdict(results, "inconclusive");
}

}  // namespace ksim::reports
