#include "reports/results_model_json.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "reports/latency_json.h"
#include "reports/results_doc.h"
#include "sim/check/counter_names.h"
#include "sim/scenario/units.h"

namespace ksim::reports {

namespace {

nlohmann::json optional_json(const auto& value) { return value ? nlohmann::json(*value) : nlohmann::json(nullptr); }

template <class T>
std::optional<T> optional_at(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::nullopt;
  return found->get<T>();
}

std::map<std::string, std::uint64_t> counts_of(const nlohmann::json& run, const char* key) {
  std::map<std::string, std::uint64_t> counts;
  const auto found = run.find(key);
  if (found == run.end() || !found->is_object()) return counts;
  for (const auto& [name, count] : found->items()) counts[name] = count_of(count);
  return counts;
}

// Every counter by the names expectations and aggregates use: a top-level counter, else a
// Jepsen anomaly (run_counter's rule).
std::map<std::string, std::uint64_t> run_counters(const nlohmann::json& run) {
  std::map<std::string, std::uint64_t> counters;
  for (const std::string& name : check::counter_names()) counters[name] = run_counter(run, name);
  for (const std::string& name : run::aggregated_counters()) counters[name] = run_counter(run, name);
  for (const auto& [name, count] : counts_of(run, "jepsen")) counters[name] = run_counter(run, name);
  return counters;
}

run::RunLatency run_latency_from_json(const nlohmann::json& latency) {
  run::RunLatency out;
  for (std::size_t k = 0; k < kLatencyKinds.size(); ++k) {
    if (latency.contains(kLatencyKinds[k])) out.histograms[k] = histogram_from_json(latency.at(kLatencyKinds[k]));
  }
  return out;
}

nlohmann::json run_latency_to_json(const run::RunLatency& latency) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t k = 0; k < kLatencyKinds.size(); ++k) out[kLatencyKinds[k]] = histogram_to_json(latency.histograms[k]);
  return out;
}

run::RunThroughput throughput_from_json(const nlohmann::json& throughput) {
  return {count_at(throughput, "acknowledged_in_workload"), count_at(throughput, "workload_ns")};
}

template <class T>
nlohmann::json spread_to_json(const run::Spread<T>& spread) {
  return {{"min", spread.min}, {"median", spread.median}, {"max", spread.max}};
}

template <class T>
run::Spread<T> spread_from_json(const nlohmann::json& spread) {
  return {spread.at("min").get<T>(), spread.at("median").get<T>(), spread.at("max").get<T>()};
}

}  // namespace

run::RunFigures run_figures_from_json(const nlohmann::json& run) {
  run::RunFigures figures;
  figures.mode = text_at(run, "mode");
  figures.seed = count_at(run, "seed");
  const std::string verdict = run_verdict(run);
  const std::optional<run::RunVerdict> parsed = run::parse_run_verdict(verdict);
  if (!parsed) throw std::runtime_error(fmt::format("run of seed {}: unknown verdict \"{}\"", figures.seed, verdict));
  figures.verdict = *parsed;
  figures.guarantee_held = !has_bool(run, "guarantee_held") || run.at("guarantee_held").get<bool>();
  figures.replay = text_at(run, "replay");
  figures.inconclusive_reason = text_at(run, "inconclusive_reason");
  figures.counters = run_counters(run);
  figures.lost_by_cause = counts_of(run, "lost_by_cause");
  figures.duplicated_by_cause = counts_of(run, "duplicated_by_cause");
  if (const auto latency = run.find("latency"); latency != run.end() && latency->is_object()) {
    figures.latency = run_latency_from_json(*latency);
  }
  if (const auto throughput = run.find("throughput"); throughput != run.end() && throughput->is_object()) {
    figures.throughput = throughput_from_json(*throughput);
  }
  if (const auto vary = run.find("vary_value"); vary != run.end() && vary->is_string()) figures.vary_value = vary->get<std::string>();
  if (const auto topics = run.find("topics"); topics != run.end() && topics->is_object()) {
    for (const auto& [name, counts] : topics->items()) figures.topics[name] = counts_of(*topics, name.c_str());
  }
  if (const auto stages = run.find("pipeline"); stages != run.end() && stages->is_object()) {
    for (const auto& [name, counts] : stages->items()) figures.pipeline[name] = counts_of(*stages, name.c_str());
  }
  return figures;
}

nlohmann::json run_figures_to_json(const run::RunFigures& figures) {
  nlohmann::json run = {{"mode", figures.mode},
                        {"seed", figures.seed},
                        {"verdict", std::string(run::to_string(figures.verdict))},
                        {"guarantee_held", figures.guarantee_held},
                        {"replay", figures.replay},
                        {"inconclusive_reason", figures.inconclusive_reason},
                        {"lost_by_cause", figures.lost_by_cause},
                        {"duplicated_by_cause", figures.duplicated_by_cause}};
  // The checker's and the aggregated counters at the top, any other (a Jepsen anomaly the
  // names do not list) under "jepsen", where run_counters finds it again.
  const std::vector<std::string>& checked = check::counter_names();
  const std::vector<std::string>& aggregated = run::aggregated_counters();
  nlohmann::json jepsen = nlohmann::json::object();
  for (const auto& [name, value] : figures.counters) {
    const bool top = std::find(checked.begin(), checked.end(), name) != checked.end() ||
                     std::find(aggregated.begin(), aggregated.end(), name) != aggregated.end();
    (top ? run[name] : jepsen[name]) = value;
  }
  run["jepsen"] = jepsen;
  if (figures.latency) run["latency"] = run_latency_to_json(*figures.latency);
  if (figures.throughput) {
    run["throughput"] = throughput_to_json(figures.throughput->acknowledged_in_workload, figures.throughput->workload_ns);
  }
  if (figures.vary_value) run["vary_value"] = *figures.vary_value;
  if (!figures.topics.empty()) run["topics"] = figures.topics;
  if (!figures.pipeline.empty()) run["pipeline"] = figures.pipeline;
  return run;
}

nlohmann::json expectation_spec_to_json(const run::ExpectationSpec& spec) {
  return {{"mode", spec.mode},
          {"counter", spec.counter},
          {"bound", spec.bound.to_string()},
          {"quantifier", std::string(check::to_string(spec.quantifier))}};
}

run::ExpectationSpec expectation_spec_from_json(const nlohmann::json& expectation) {
  run::ExpectationSpec spec;
  spec.mode = text_at(expectation, "mode");
  spec.counter = text_at(expectation, "counter");
  const std::string bound = text_at(expectation, "bound");
  const auto parsed = scenario::parse_bound(bound);
  if (!parsed) throw std::runtime_error(fmt::format("expectation {} of {}: {}", spec.counter, spec.mode, parsed.error()));
  spec.bound = parsed.value();
  const std::string quantifier = text_at(expectation, "quantifier", "every-seed");
  if (quantifier != "every-seed" && quantifier != "some-seed") {
    throw std::runtime_error(fmt::format("expectation {} of {}: unknown quantifier \"{}\"", spec.counter, spec.mode, quantifier));
  }
  spec.quantifier = quantifier == "every-seed" ? check::Quantifier::every_seed : check::Quantifier::some_seed;
  return spec;
}

nlohmann::json judged_expectation_to_json(const run::JudgedExpectation& judged) {
  nlohmann::json out = expectation_spec_to_json(judged.spec);
  out["held"] = judged.held();
  out["verdict"] = std::string(run::to_string(judged.verdict));
  out["seeds_checked"] = judged.seeds_checked;
  out["observed"] = judged.observed;
  out["failing_seed"] = optional_json(judged.failing_seed);
  out["witness_seed"] = optional_json(judged.witness_seed);
  out["replay"] = optional_json(judged.replay);
  out["inconclusive_seeds"] = judged.inconclusive_seeds;
  out["inconclusive_seed"] = optional_json(judged.inconclusive_seed);
  out["inconclusive_reason"] = optional_json(judged.inconclusive_reason);
  return out;
}

run::JudgedExpectation judged_expectation_from_json(const nlohmann::json& expectation) {
  run::JudgedExpectation judged;
  judged.spec = expectation_spec_from_json(expectation);
  const std::string verdict = expectation_verdict(expectation);
  const auto parsed = run::parse_expectation_verdict(verdict);
  if (!parsed) throw std::runtime_error(fmt::format("expectation {} of {}: unknown verdict \"{}\"", judged.spec.counter,
                                                    judged.spec.mode, verdict));
  judged.verdict = *parsed;
  judged.seeds_checked = count_at(expectation, "seeds_checked");
  judged.observed = count_at(expectation, "observed");
  judged.failing_seed = optional_at<std::uint64_t>(expectation, "failing_seed");
  judged.witness_seed = optional_at<std::uint64_t>(expectation, "witness_seed");
  judged.replay = optional_at<std::string>(expectation, "replay");
  judged.inconclusive_seeds = count_at(expectation, "inconclusive_seeds");
  judged.inconclusive_seed = optional_at<std::uint64_t>(expectation, "inconclusive_seed");
  judged.inconclusive_reason = optional_at<std::string>(expectation, "inconclusive_reason");
  return judged;
}

nlohmann::json mode_aggregate_to_json(const run::ModeAggregate& aggregate) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [counter, values] : aggregate.counters) {
    out[counter] = {{"min", values.min}, {"median", values.median}, {"max", values.max}, {"sum", values.sum},
                    {"violating_seeds", values.violating_seeds}};
  }
  out["guarantee_violations"] = aggregate.guarantee_violations;
  out["inconclusive_runs"] = aggregate.inconclusive_runs;
  out["latency"] = run_latency_to_json(aggregate.latency);
  out["throughput"] = throughput_to_json(aggregate.throughput.acknowledged_in_workload, aggregate.throughput.workload_ns);
  return out;
}

run::ModeAggregate mode_aggregate_from_json(const std::string& mode, const nlohmann::json& aggregate) {
  run::ModeAggregate out;
  out.mode = mode;
  for (const std::string& counter : run::aggregated_counters()) {
    const nlohmann::json values = aggregate.value(counter, nlohmann::json::object());
    out.counters.emplace_back(counter, run::CounterAggregate{count_at(values, "min"), count_at(values, "median"),
                                                             count_at(values, "max"), count_at(values, "sum"),
                                                             count_at(values, "violating_seeds")});
  }
  out.guarantee_violations = count_at(aggregate, "guarantee_violations");
  out.inconclusive_runs = count_at(aggregate, "inconclusive_runs");
  if (const auto latency = aggregate.find("latency"); latency != aggregate.end()) out.latency = run_latency_from_json(*latency);
  if (const auto throughput = aggregate.find("throughput"); throughput != aggregate.end()) {
    out.throughput = throughput_from_json(*throughput);
  }
  return out;
}

nlohmann::json worst_seed_to_json(const run::WorstSeed& worst) {
  return {{"mode", worst.mode},
          {"seed", worst.seed},
          {"lost", worst.lost},
          {"duplicated", worst.duplicated},
          {"reordered_within_key", worst.reordered_within_key},
          {"verdict", std::string(run::to_string(worst.verdict))},
          {"replay", worst.replay}};
}

run::WorstSeed worst_seed_from_json(const nlohmann::json& worst) {
  const std::optional<run::RunVerdict> verdict = run::parse_run_verdict(text_at(worst, "verdict", "held"));
  if (!verdict) throw std::runtime_error(fmt::format("worst seed {}: unknown verdict", count_at(worst, "seed")));
  return {text_at(worst, "mode"),       count_at(worst, "seed"),
          count_at(worst, "lost"),      count_at(worst, "duplicated"),
          count_at(worst, "reordered_within_key"), *verdict, text_at(worst, "replay")};
}

nlohmann::json vary_point_to_json(const run::VaryPoint& point) {
  nlohmann::json out = {{"value", point.value}, {"mode", point.mode}};
  for (std::size_t c = 0; c < run::kVaryCounters.size(); ++c) out[run::kVaryCounters[c]] = spread_to_json(point.counters[c]);
  if (point.acknowledged_per_s) out["acknowledged_per_s"] = spread_to_json(*point.acknowledged_per_s);
  if (point.produce_p99_ns) out["produce_p99_ns"] = spread_to_json(*point.produce_p99_ns);
  if (point.end_to_end_p99_ns) out["end_to_end_p99_ns"] = spread_to_json(*point.end_to_end_p99_ns);
  return out;
}

run::VaryPoint vary_point_from_json(const nlohmann::json& point) {
  run::VaryPoint out;
  out.value = point.at("value").get<double>();
  out.mode = text_at(point, "mode");
  // A counter a document predates (`offered` came with issue 13) reads as zero, as every
  // other optional field of an older results document does.
  for (std::size_t c = 0; c < run::kVaryCounters.size(); ++c) {
    if (point.contains(run::kVaryCounters[c])) {
      out.counters[c] = spread_from_json<std::uint64_t>(point.at(run::kVaryCounters[c]));
    }
  }
  const auto figure = [&](const char* name) -> std::optional<run::Spread<double>> {
    if (!point.contains(name)) return std::nullopt;
    return spread_from_json<double>(point.at(name));
  };
  out.acknowledged_per_s = figure("acknowledged_per_s");
  out.produce_p99_ns = figure("produce_p99_ns");
  out.end_to_end_p99_ns = figure("end_to_end_p99_ns");
  return out;
}

}  // namespace ksim::reports
