#include "reports/terminal_table.h"

#include <algorithm>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "reports/anomaly_table.h"
#include "reports/latency_table.h"
#include "reports/topic_table.h"
#include "reports/probe_coverage.h"
#include "reports/results_doc.h"

namespace ksim::reports {

namespace {

const std::vector<std::string> kRows{"offered", "not_sent", "produced",       "acknowledged",  "failed",      "indeterminate",
                                     "delivered",      "lost",          "duplicated",  "redelivered_absorbed",
                                     "log_duplicates", "reordered_within_key", "failed_but_delivered",
                                     "kafka_promises_broken"};

// Kafka's safety invariants (sim/check/invariants.h): listed under the table when seen,
// including those a configuration or fault excused (kafka_promises_broken counts the rest).
const std::vector<std::string> kInvariants{"acked_below_min_insync",          "unclean_election_when_disabled",
                                           "isr_joined_before_caught_up",     "hw_above_isr_member_log",
                                           "replicas_diverged_below_both_hw", "committed_lost_after_clean_election",
                                           "read_above_hw_or_lso"};

// "name n, name n" of the invariants a mode's runs violated, empty if none.
std::string invariants_seen(const nlohmann::json& aggregates) {
  std::string out;
  for (const std::string& name : kInvariants) {
    if (aggregates.at(name).is_null()) continue;  // unavailable (a client history)
    const auto sum = aggregates.at(name).at("sum").get<std::uint64_t>();
    if (sum > 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", name, sum);
  }
  return out;
}

std::string cell(const nlohmann::json& aggregate, bool many_seeds) {
  if (aggregate.is_null()) return "n/a";  // unavailable: a client history has no broker internals
  const auto sum = aggregate.at("sum").get<std::uint64_t>();
  if (!many_seeds) return std::to_string(sum);
  const auto seeds = aggregate.at("violating_seeds").get<std::uint64_t>();
  return seeds == 0 ? std::to_string(sum) : fmt::format("{} ({} seeds)", sum, seeds);
}

// "name n, name n" of the largest causes over all runs of a mode.
std::string top_causes(const nlohmann::json& scenario, const std::string& mode, const char* field) {
  std::map<std::string, std::uint64_t> totals;
  for (const nlohmann::json& run : scenario.at("runs")) {
    if (run.at("mode") != mode) continue;
    for (const auto& [cause, count] : run.at(field).items()) totals[cause] += count.get<std::uint64_t>();
  }
  std::vector<std::pair<std::string, std::uint64_t>> sorted(totals.begin(), totals.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (std::size_t i = 0; i < sorted.size() && i < 3; ++i) {
    out += fmt::format("{}{} {}", i == 0 ? "" : ", ", sorted[i].first, sorted[i].second);
  }
  return out;
}

// Per mode: the largest causes of loss and duplication, and any safety invariant violated.
void render_mode_notes(std::string& out, const nlohmann::json& scenario, const std::string& mode) {
  const std::string lost = top_causes(scenario, mode, "lost_by_cause");
  const std::string duplicated = top_causes(scenario, mode, "duplicated_by_cause");
  if (!lost.empty()) out += fmt::format("  {} lost because: {}\n", mode, lost);
  if (!duplicated.empty()) out += fmt::format("  {} duplicated because: {}\n", mode, duplicated);
  const nlohmann::json& aggregates = scenario.at("aggregates").at(mode);
  if (const std::string seen = invariants_seen(aggregates); !seen.empty()) {
    out += fmt::format("  {} safety invariants violated: {} ({} where Kafka promised them)\n", mode, seen,
                       aggregates.at("kafka_promises_broken").at("sum").get<std::uint64_t>());
  }
}

std::string seeds_text(std::uint64_t seeds) { return fmt::format("{} seed{}", seeds, seeds == 1 ? "" : "s"); }

// "held", "BROKEN (2 seeds)", "INCONCLUSIVE (1 seed)" or both: a run that did not
// complete is neither held nor broken.
std::string guarantee_text(const nlohmann::json& aggregate) {
  const auto broken = aggregate.at("guarantee_violations").get<std::uint64_t>();
  const auto inconclusive = aggregate.value("inconclusive_runs", std::uint64_t{0});
  std::string text;
  if (broken > 0) text = fmt::format("BROKEN ({})", seeds_text(broken));
  if (inconclusive > 0) text += fmt::format("{}INCONCLUSIVE ({})", text.empty() ? "" : ", ", seeds_text(inconclusive));
  return text.empty() ? "held" : text;
}

// Top causes per mode, the runs that stopped at a bound, an explained example and the
// worst seeds to replay.
void render_findings(std::string& out, const nlohmann::json& scenario, const std::vector<std::string>& modes,
                     bool many_seeds) {
  for (const std::string& mode : modes) render_mode_notes(out, scenario, mode);
  for (const nlohmann::json& run : scenario.at("runs")) {
    if (run_verdict(run) == "inconclusive") {
      out += fmt::format("  INCONCLUSIVE {} seed {}: {}; counts may include messages still in flight\n",
                         run.at("mode").get<std::string>(), run.at("seed").get<std::uint64_t>(),
                         text_at(run, "inconclusive_reason"));
    }
  }
  for (const nlohmann::json& run : scenario.at("runs")) {
    for (const char* field : {"lost_examples", "duplicated_examples"}) {
      if (!run.at(field).empty()) {
        out += fmt::format("  example ({} seed {}): {}\n", run.at("mode").get<std::string>(),
                           run.at("seed").get<std::uint64_t>(), run.at(field).front().at("explanation").get<std::string>());
        break;
      }
    }
    if (const auto cases = run.find("jepsen_cases"); cases != run.end() && cases->is_object()) {
      for (const auto& [name, written_out] : cases->items()) {
        out += fmt::format("  {} ({} seed {}): {}\n", name, run.at("mode").get<std::string>(),
                           run.at("seed").get<std::uint64_t>(), written_out.front().get<std::string>());
      }
    }
    if (!many_seeds) continue;
    break;  // one example is enough for a sweep
  }
  if (!scenario.at("worst_seeds").empty()) {
    out += "  replay the worst seeds:\n";
    for (const nlohmann::json& worst : scenario.at("worst_seeds")) {
      out += fmt::format("    {}  (lost {}, duplicated {}{})\n", worst.at("replay").get<std::string>(),
                         worst.at("lost").get<std::uint64_t>(), worst.at("duplicated").get<std::uint64_t>(),
                         text_at(worst, "verdict") == "inconclusive" ? "; inconclusive" : "");
    }
  }
}

void render_scenario(std::string& out, const nlohmann::json& scenario) {
  const auto first = scenario.at("seeds").at("first").get<std::uint64_t>();
  const auto last = scenario.at("seeds").at("last").get<std::uint64_t>();
  const bool many_seeds = last > first;
  out += fmt::format("\n{} ({}), seed{} {}\n", scenario.at("name").get<std::string>(),
                     scenario.at("file").get<std::string>(), many_seeds ? "s" : "",
                     many_seeds ? fmt::format("{}..{}", first, last) : std::to_string(first));
  std::vector<std::string> modes;
  for (const nlohmann::json& mode : scenario.at("modes")) modes.push_back(mode.get<std::string>());
  const nlohmann::json& aggregates = scenario.at("aggregates");
  // Each mode's column is 22 wide, or wider when a name or cell needs it (always with a
  // two-space gap), so long mode names and promises never run together.
  std::vector<std::string> guarantees, promises;
  for (const std::string& mode : modes) {
    std::string promise;
    for (const nlohmann::json& run : scenario.at("runs")) {
      if (run.at("mode") == mode) promise = run.at("guarantee").get<std::string>();
    }
    guarantees.push_back(guarantee_text(aggregates.at(mode)));
    promises.push_back(promise);
  }
  std::vector<std::size_t> widths;
  for (std::size_t m = 0; m < modes.size(); ++m) {
    std::size_t widest = std::max({modes[m].size(), guarantees[m].size(), promises[m].size()});
    for (const std::string& row : kRows) widest = std::max(widest, cell(aggregates.at(modes[m]).at(row), many_seeds).size());
    widths.push_back(std::max<std::size_t>(22, widest + 2));
  }
  const auto line = [&](const std::string& label, auto&& value_of) {
    out += fmt::format("  {:<24}", label);
    for (std::size_t m = 0; m < modes.size(); ++m) out += fmt::format("{:>{}}", value_of(m), widths[m]);
    out += "\n";
  };
  line(many_seeds ? "counter (sum over seeds)" : "counter", [&](std::size_t m) { return modes[m]; });
  for (const std::string& row : kRows) {
    line(row, [&](std::size_t m) { return cell(aggregates.at(modes[m]).at(row), many_seeds); });
  }
  line("guarantee", [&](std::size_t m) { return guarantees[m]; });
  out += fmt::format("  {:<24}", "promise");
  for (std::size_t m = 0; m < modes.size(); ++m) out += fmt::format("{:>{}}", promises[m], widths[m]);
  out += "\n";
  const std::vector<LatencyRow> latency = latency_rows(scenario, modes, LatencyDetail::compact);
  if (!latency.empty()) out += "  latency (simulated time)\n";
  for (const LatencyRow& row : latency) line(row.label, [&](std::size_t m) { return row.cells[m]; });
  const std::vector<TopicRow> topics = topic_rows(scenario, modes);
  if (!topics.empty()) out += many_seeds ? "  per topic (sum over seeds)\n" : "  per topic\n";
  for (const TopicRow& row : topics) line(row.label, [&](std::size_t m) { return row.cells[m]; });
  const std::vector<TopicRow> stages = pipeline_rows(scenario, modes);
  if (!stages.empty()) out += many_seeds ? "  pipeline (sum over seeds)\n" : "  pipeline\n";
  for (const TopicRow& row : stages) line(row.label, [&](std::size_t m) { return row.cells[m]; });
  const std::vector<LatencyRow> anomalies = anomaly_rows(scenario, modes);
  if (!anomalies.empty()) out += many_seeds ? "  Jepsen anomalies (sum over seeds)\n" : "  Jepsen anomalies\n";
  for (const LatencyRow& row : anomalies) line(row.label, [&](std::size_t m) { return row.cells[m]; });
  render_findings(out, scenario, modes, many_seeds);
  if (!many_seeds) {
    for (const nlohmann::json& run : scenario.at("runs")) {
      out += fmt::format("  {}: {} events, fingerprint {}\n", run.at("mode").get<std::string>(),
                         run.at("events").get<std::uint64_t>(), run.at("fingerprint").get<std::string>());
    }
  }
}

// A FAIL line per mode whose runs broke one of Kafka's own promises: these fail `check`
// whatever the file expects (reports/results_json.h).
std::string render_broken_promises(const nlohmann::json& scenario) {
  std::string out;
  for (const nlohmann::json& mode : scenario.at("modes")) {
    for (const nlohmann::json& run : scenario.at("runs")) {
      const auto broken = count_at(run, "kafka_promises_broken");
      if (run.at("mode") != mode || broken == 0) continue;
      out += fmt::format("  FAIL {} [{}] Kafka's safety promises: kafka_promises_broken {} on seed {}; replay: {}\n",
                         scenario.at("name").get<std::string>(), mode.get<std::string>(), broken,
                         run.at("seed").get<std::uint64_t>(), run.at("replay").get<std::string>());
      break;
    }
  }
  return out;
}

}  // namespace

std::string render_terminal_table(const nlohmann::json& results) {
  std::string out;
  for (const nlohmann::json& scenario : results.at("scenarios")) render_scenario(out, scenario);
  const std::vector<std::string> coverage = coverage_lines(results.value("probes", nlohmann::json()));
  if (!coverage.empty()) out += "\n";
  for (const std::string& line : coverage) out += line + "\n";
  const std::string checks = render_check_lines(results);
  if (!checks.empty()) out += "\nexpectations:\n" + checks;
  return out;
}

std::string render_check_lines(const nlohmann::json& results) {
  std::string out;
  for (const nlohmann::json& scenario : results.at("scenarios")) {
    for (const nlohmann::json& e : scenario.at("expectations")) {
      const bool held = e.at("held").get<bool>();
      const bool inconclusive = expectation_verdict(e) == "inconclusive";
      out += fmt::format("  {} {} [{}] {} {} ({}, {} seeds)", held ? "PASS" : inconclusive ? "INCONCLUSIVE" : "FAIL",
                         scenario.at("name").get<std::string>(), e.at("mode").get<std::string>(),
                         e.at("counter").get<std::string>(), e.at("bound").get<std::string>(),
                         e.at("quantifier").get<std::string>(), e.at("seeds_checked").get<std::uint64_t>());
      if (inconclusive) {
        out += fmt::format(": {} run{} did not complete; seed {} {}; replay: {}", e.at("inconclusive_seeds").get<std::uint64_t>(),
                           e.at("inconclusive_seeds").get<std::uint64_t>() == 1 ? "" : "s",
                           e.at("inconclusive_seed").get<std::uint64_t>(), e.at("inconclusive_reason").get<std::string>(),
                           e.at("replay").get<std::string>());
      } else if (!held && !e.at("failing_seed").is_null()) {
        out += fmt::format(": seed {} gave {}; replay: {}", e.at("failing_seed").get<std::uint64_t>(),
                           e.at("observed").get<std::uint64_t>(), e.at("replay").get<std::string>());
      } else if (!held) {
        out += fmt::format(": not seen in any seed (largest value {})", e.at("observed").get<std::uint64_t>());
      }
      out += "\n";
    }
    out += render_broken_promises(scenario);
  }
  return out;
}

}  // namespace ksim::reports
