#include "sim/swarm/merge.h"

#include <algorithm>

#include "reports/probe_coverage.h"
#include "reports/results_doc.h"

namespace ksim::swarm {

namespace {

using reports::count_at;

// Adds each count of `from` (an object of counts) into `into`.
void add_counts(nlohmann::json& into, const nlohmann::json& from) {
  for (const auto& [key, value] : from.items()) into[key] = count_at(into, key.c_str()) + reports::count_of(value);
}

// Dimensions keep the order of their first appearance, as an unsharded swarm draws them.
void add_dimensions(nlohmann::json& into, const nlohmann::json& from) {
  for (const nlohmann::json& dimension : reports::array_at(from, "dimensions")) {
    auto same = std::find_if(into.begin(), into.end(),
                             [&](const nlohmann::json& d) { return d.at("name") == dimension.at("name"); });
    if (same == into.end()) {
      into.push_back(dimension);
    } else {
      add_counts(same->at("drawn"), dimension.at("drawn"));
    }
  }
}

void add_coverage(reports::Coverage& coverage, const nlohmann::json& probes) {
  if (!probes.is_object()) return;
  coverage.runs += count_at(probes, "runs");
  const nlohmann::json& each = probes.value("probes", nlohmann::json::object());
  for (std::size_t p = 0; p < history::kProbeCount; ++p) {
    const std::string name(history::kProbeNames[p]);
    if (!each.contains(name)) continue;
    coverage.sum[p] += count_at(each.at(name), "sum");
    coverage.runs_hit[p] += count_at(each.at(name), "runs");
  }
}

}  // namespace

bool is_swarm_document(const nlohmann::json& document) {
  return document.is_object() && document.value("schema", "") == "ksim-swarm" && document.value("version", 0) == 1;
}

nlohmann::json merge_swarm_documents(std::vector<nlohmann::json> shards) {
  const auto first_run = [](const nlohmann::json& d) { return count_at(d.value("runs", nlohmann::json::object()), "first"); };
  std::stable_sort(shards.begin(), shards.end(),
                   [&](const nlohmann::json& a, const nlohmann::json& b) { return first_run(a) < first_run(b); });
  std::uint64_t done = 0, failing = 0, invalid = 0;
  std::string first_invalid;
  nlohmann::json failures = nlohmann::json::object();
  nlohmann::json dimensions = nlohmann::json::array();
  nlohmann::json findings = nlohmann::json::array();
  reports::Coverage coverage;
  for (const nlohmann::json& shard : shards) {
    done += count_at(shard.at("runs"), "done");
    failing += count_at(shard, "failing_runs");
    invalid += count_at(shard, "invalid_runs");
    if (first_invalid.empty()) first_invalid = reports::text_at(shard, "first_invalid");
    add_counts(failures, shard.value("failures_by_kind", nlohmann::json::object()));
    add_dimensions(dimensions, shard);
    for (const nlohmann::json& finding : reports::array_at(shard, "findings")) findings.push_back(finding);
    add_coverage(coverage, shard.value("probes", nlohmann::json()));
  }
  return {{"schema", "ksim-swarm"},
          {"version", 1},
          {"base", shards.empty() ? "" : reports::text_at(shards.front(), "base")},
          {"runs", {{"first", shards.empty() ? 1 : first_run(shards.front())}, {"done", done}}},
          {"failing_runs", failing},
          {"invalid_runs", invalid},
          {"first_invalid", first_invalid},
          {"failures_by_kind", failures},
          {"dimensions", dimensions},
          {"findings", findings},
          {"probes", reports::coverage_to_json(coverage)}};
}

}  // namespace ksim::swarm
