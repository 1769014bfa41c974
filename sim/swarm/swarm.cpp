#include "sim/swarm/swarm.h"

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "reports/atomic_write.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/shrink/scenario_tree.h"
#include "sim/swarm/variant.h"
#include "sim/swarm/version_draw.h"

namespace ksim::swarm {

namespace {

std::optional<scenario::ModeChoice> mode_of(const std::string& name) {
  if (const auto mode = kafka::parse_delivery_mode(name)) return scenario::ModeChoice{*mode};
  return std::nullopt;
}

// Runs `runs` on `jobs` threads, one run per thread at a time. Each thread reads the base
// from its own copy of the text: yaml-cpp trees are not safe to share between threads.
std::vector<RunOutcome> judge_all(const std::string& base_text, const SwarmRequest& request,
                                  const std::vector<std::uint64_t>& runs) {
  std::vector<RunOutcome> outcomes(runs.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    const YAML::Node base = YAML::Load(base_text);
    for (std::size_t i = next++; i < runs.size(); i = next++) {
      outcomes[i] = judge_variant(base, request.file, request.ranges, runs[i]);
    }
  };
  std::vector<std::thread> threads;
  const unsigned jobs = std::max(1U, std::min<unsigned>(request.jobs, static_cast<unsigned>(runs.size())));
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
  return outcomes;
}

// Only the writing is wrapped: any other exception of the shrink is a bug, not bad input.
void write(const std::string& path, const std::string& text) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error) throw WriteError(fmt::format("cannot create the folder of {}: {}", path, error.message()));
  try {
    reports::write_file_atomically(path, text);
  } catch (const std::runtime_error& failure) {
    throw WriteError(failure.what());
  }
}

std::string shrunk_path(const std::string& path) {
  return (std::filesystem::path(path).parent_path() / (std::filesystem::path(path).stem().string() + "-shrunk.yaml"))
      .string();
}

// Writes the failing variant and shrinks it; the shrunk file replays the same violation.
Finding write_and_shrink(const SwarmRequest& request, const RunOutcome& outcome) {
  Finding finding{outcome.run, outcome.mode, outcome.violations.front(), variant_path(request, outcome.run), "", {}, {},
                  false, ""};
  write(finding.file, outcome.variant_text);
  shrink::ShrinkRequest shrink_request{YAML::Load(outcome.variant_text), finding.file, {}, outcome.run, outcome.mode,
                                      finding.violation.counter, {}};
  shrink_request.budget.deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(request.shrink_budget_ns);
  scenario::InputErrors errors;
  const std::optional<shrink::ShrinkResult> shrunk = shrink::shrink_run(shrink_request, errors);
  finding.replay = shrink::replay_command(finding.file, outcome.run, outcome.mode);
  if (!shrunk || !shrunk->failing) return finding;
  finding.shrunk_file = shrunk_path(finding.file);
  write(finding.shrunk_file, shrink::shrunk_file_text(shrink_request, *shrunk, finding.shrunk_file));
  finding.before = shrunk->before;
  finding.after = shrunk->after;
  finding.shrink_budget_spent = shrunk->budget_spent;
  finding.replay = shrink::replay_command(finding.shrunk_file, outcome.run, outcome.mode);
  return finding;
}

}  // namespace

std::string variant_path(const SwarmRequest& request, std::uint64_t run) {
  const std::string name = fmt::format("{}-run{}.yaml", std::filesystem::path(request.file).stem().string(), run);
  return (std::filesystem::path(request.out_dir) / name).string();
}

RunOutcome judge_variant(const YAML::Node& base, const std::string& file, const Ranges& ranges, std::uint64_t run) {
  Variant variant = draw_variant(base, file, ranges, run);
  std::string text;
  scenario::InputErrors errors;
  const std::optional<scenario::Scenario> loaded = load_variant(variant, file, ranges.kafka_version, text, errors);
  RunOutcome outcome{run, variant.mode, variant.dimensions, "", {}, "", std::nullopt};
  if (!loaded) {
    outcome.invalid = errors.empty() ? "does not load" : errors.all().front().to_string();
    return outcome;
  }
  shrink::Judged judged = shrink::judge_run(*loaded, *mode_of(variant.mode), run);
  outcome.violations = std::move(judged.violations);
  outcome.probes = judged.probes;
  if (!outcome.violations.empty()) outcome.variant_text = text;
  return outcome;
}

SwarmResult run_swarm(const SwarmRequest& request, const OnFinding& on_finding) {
  const std::string base_text = shrink::emit_yaml(request.base);
  SwarmResult result;
  // With a deadline, rounds of a few runs per thread keep the time check frequent.
  const std::uint64_t round = request.deadline ? 4ULL * std::max(1U, request.jobs) : UINT64_MAX;
  for (std::uint64_t first = request.first_run; first <= request.last_run;) {
    if (request.deadline && std::chrono::steady_clock::now() >= *request.deadline) break;
    const std::uint64_t last = std::min(request.last_run, first + std::min(round, request.last_run - first + 1) - 1);
    std::vector<std::uint64_t> runs;
    for (std::uint64_t run = first; run <= last; ++run) runs.push_back(run);
    for (RunOutcome& outcome : judge_all(base_text, request, runs)) {
      if (!outcome.violations.empty()) {
        result.findings.push_back(write_and_shrink(request, outcome));
        if (on_finding) on_finding(result.findings.back());
      }
      outcome.variant_text.clear();
      result.runs.push_back(std::move(outcome));
    }
    if (last == request.last_run) break;
    first = last + 1;
  }
  return result;
}

}  // namespace ksim::swarm
