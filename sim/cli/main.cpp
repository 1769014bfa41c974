// ksim: the command line. Each subcommand parses its flags, calls the library, and
// prints; no simulation logic lives here.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/bench/checker_bench.h"
#include "sim/bench/history_bench.h"
#include "sim/bench/core_bench.h"
#include "reports/latency_json.h"
#include "sim/bench/e2e_bench.h"
#include "sim/history/spill_file.h"
#include "sim/bench/partitions_bench.h"
#include "sim/cli/demo.h"
#include "sim/cli/scenario_commands.h"
#include "sim/cli/tool_commands.h"
#include "sim/core/assert.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitBug = 3;

void print_core_bench(const ksim::CoreBenchResult& result, bool json) {
  if (json) {
    const nlohmann::json out = {
        {"benchmark", "core"},
        {"pending_events", result.pending_events},
        {"events", result.events},
        {"wall_seconds", result.wall_seconds},
        {"events_per_second", result.events_per_second},
        {"binary_heap_events_per_second", result.baseline_events_per_second},
        {"speed_vs_binary_heap", result.speed_vs_baseline},
        {"repeats", result.repeats},
        {"peak_rss_bytes", result.peak_rss_bytes},
        {"fingerprint", fmt::format("{:016x}", result.fingerprint)},
    };
    fmt::print("{}\n", out.dump());
    return;
  }
  fmt::print("core hold model: {} pending, {} events in {:.3f} s\n", result.pending_events, result.events,
             result.wall_seconds);
  fmt::print("  events/s      {:>14.0f}\n", result.events_per_second);
  fmt::print("  binary heap   {:>14.0f} events/s (plain heap, same events in the same order)\n",
             result.baseline_events_per_second);
  fmt::print("  vs heap       {:>14.2f}x (best of {} runs each, taking turns)\n", result.speed_vs_baseline,
             result.repeats);
  fmt::print("  peak RSS      {:>14} bytes\n", result.peak_rss_bytes);
  fmt::print("  fingerprint   {:016x}\n", result.fingerprint);
}

nlohmann::json partitions_case_json(const ksim::PartitionsBenchCase& each) {
  return {{"file", each.file},
          {"brokers", each.brokers},
          {"partitions", each.partitions},
          {"messages", each.messages},
          {"events", each.events},
          {"wall_seconds", each.wall_seconds},
          {"world_seconds", each.world_seconds},
          {"checker_seconds", each.checker_seconds},
          {"wall_us_per_message", each.wall_us_per_message},
          {"per_message_vs_first", each.per_message_vs_first},
          {"wire_messages", each.wire.messages},
          {"produce_requests", each.wire.produce_requests},
          {"replica_fetches", each.wire.replica_fetches},
          {"consumer_fetches", each.wire.consumer_fetches},
          {"offset_commits", each.wire.offset_commits},
          {"wire_messages_per_message", each.wire_messages_per_message},
          {"work_per_message_vs_first", each.work_per_message_vs_first},
          {"wall_us_per_wire_message", each.wall_us_per_wire_message},
          {"cost_per_work_vs_first", each.cost_per_work_vs_first},
          {"wall_us_per_event", each.wall_us_per_event},
          {"cost_per_event_vs_first", each.cost_per_event_vs_first},
          {"peak_rss_bytes", each.peak_rss_bytes},
          {"fingerprint", fmt::format("{:016x}", each.fingerprint)}};
}

void print_partitions_case(const ksim::PartitionsBenchCase& each) {
  const auto per_message = [&](std::uint64_t count) {
    return each.messages > 0 ? static_cast<double>(count) / static_cast<double>(each.messages) : 0.0;
  };
  const ksim::kafka::WireTally& wire = each.wire;
  fmt::print("  {}: {} brokers, {} partitions, {} messages, {} events\n", each.file, each.brokers,
             each.partitions, each.messages, each.events);
  fmt::print("    {:.3f} s (world {:.3f} s, checker {:.3f} s), {:.2f} us/message ({:.2f}x the first's)\n",
             each.wall_seconds, each.world_seconds, each.checker_seconds, each.wall_us_per_message,
             each.per_message_vs_first);
  fmt::print("    work: {:.2f} protocol messages per message ({:.2f}x); per message: produce requests\n"
             "      {:.3f}, replica fetches {:.3f}, consumer fetches {:.3f}, offset commits {:.3f}\n",
             each.wire_messages_per_message, each.work_per_message_vs_first,
             per_message(wire.produce_requests), per_message(wire.replica_fetches),
             per_message(wire.consumer_fetches), per_message(wire.offset_commits));
  fmt::print("    cost: {:.3f} us per protocol message ({:.2f}x), {:.3f} us per event ({:.2f}x)\n",
             each.wall_us_per_wire_message, each.cost_per_work_vs_first, each.wall_us_per_event,
             each.cost_per_event_vs_first);
  fmt::print("    peak RSS so far {} bytes\n", each.peak_rss_bytes);
}

// Exit 2 on a bad folder or file (named, with file:line:column), like every scenario command.
int print_partitions_bench(const std::string& folder, std::uint32_t repeats, bool json) {
  ksim::scenario::InputErrors errors;
  const std::vector<ksim::PartitionsBenchCase> cases = ksim::run_partitions_bench(folder, repeats, errors);
  if (!errors.empty()) {
    fmt::print(stderr, "{}\n", errors.to_string());
    return kExitUsage;
  }
  nlohmann::json out = nlohmann::json::array();
  if (!json) {
    fmt::print("partitions: wall time (world and checker) per message, best of {} runs each; the\n"
               "ratio to the first file's is the protocol's work per message (messages on the wire)\n"
               "times ksim's cost per protocol message\n",
               repeats);
  }
  for (const ksim::PartitionsBenchCase& each : cases) {
    out.push_back(partitions_case_json(each));
    if (!json) print_partitions_case(each);
  }
  if (json) fmt::print("{}\n", nlohmann::json{{"benchmark", "partitions"}, {"repeats", repeats}, {"cases", out}}.dump());
  return 0;
}

// The percentiles of a latency, without its buckets (a bench result is not merged).
nlohmann::json percentiles_json(const ksim::check::LatencyHistogram& histogram) {
  nlohmann::json out = {{"count", histogram.count()}};
  for (const ksim::reports::Percentile& p : ksim::reports::kPercentiles) out[p.name] = histogram.percentile_ns(p.per_mille);
  return out;
}

std::string percentiles_text(const ksim::check::LatencyHistogram& histogram) {
  if (histogram.count() == 0) return "  - (nothing measured: no consumer group applied a message)";
  std::string out;
  for (const ksim::reports::Percentile& p : ksim::reports::kPercentiles) {
    out += fmt::format("  {} {}", p.label, ksim::reports::format_duration_ns(histogram.percentile_ns(p.per_mille)));
  }
  return out;
}

double acknowledged_per_simulated_second(const ksim::check::Latencies& latency) {
  return latency.workload_ns <= 0 ? 0.0 : static_cast<double>(latency.acknowledged_in_workload) * 1e9 /
                                              static_cast<double>(latency.workload_ns);
}

void print_e2e_bench(const ksim::E2eBenchResult& result, bool json) {
  if (json) {
    const nlohmann::json out = {
        {"benchmark", "e2e"},
        {"messages", result.messages},
        {"consumers", result.consumers},
        {"seed", result.seed},
        {"checker", result.checker == ksim::run::CheckerKind::stream ? "stream" : "batch"},
        {"records_kept", result.records_kept},
        {"kept_bytes", result.kept_bytes},
        {"wall_seconds", result.wall_seconds},
        {"messages_per_second", result.messages_per_second},
        {"events", result.events},
        {"events_per_second", result.events_per_second},
        {"simulated_seconds", result.simulated_seconds},
        {"drain_completed", result.drain_completed},
        {"peak_rss_bytes", result.peak_rss_bytes},
        {"rss_before_bytes", result.rss_before_bytes},
        {"bytes_per_message", result.bytes_per_message},
        {"history_records", result.history_records},
        {"records_per_message", result.records_per_message},
        {"checker_seconds", result.checker_seconds},
        {"checker_seconds_per_message", result.checker_seconds_per_message},
        {"process_peak_rss_bytes", result.process_peak_rss_bytes},
        {"process_peak_rss_per_message", result.process_peak_rss_per_message},
        {"history_bytes", result.history_bytes},
        {"history_resident_bytes", result.history_resident_bytes},
        {"rss_before_checker_bytes", result.rss_before_checker_bytes},
        {"checker_peak_rss_bytes", result.checker_peak_rss_bytes},
        {"offered", result.offered},
        {"not_sent", result.not_sent},
        {"acknowledged", result.acknowledged},
        {"acknowledged_per_simulated_second", result.acknowledged_per_simulated_second},
        {"lost", result.lost},
        {"duplicated", result.duplicated},
        {"fingerprint", fmt::format("{:016x}", result.fingerprint)},
        {"produce_latency", percentiles_json(result.latency.produce_ns)},
        {"end_to_end_latency", percentiles_json(result.latency.end_to_end_ns)},
        {"acknowledged_per_simulated_s", acknowledged_per_simulated_second(result.latency)},
    };
    fmt::print("{}\n", out.dump());
    return;
  }
  fmt::print("e2e: {} messages, {} consumers, seed {}: simulated {:.3f} s in {:.3f} s wall{}\n", result.messages,
             result.consumers, result.seed, result.simulated_seconds, result.wall_seconds,
             result.drain_completed ? "" : " (drain INCOMPLETE)");
  if (result.checker == ksim::run::CheckerKind::stream) {
    fmt::print("  checker: streaming (judged as the records were written; no history kept, {} records kept for "
               "rereading, {:.1f} bytes/message)\n",
               result.records_kept, static_cast<double>(result.kept_bytes) / std::max<double>(1, static_cast<double>(result.messages)));
  }
  fmt::print("  messages/s    {:>14.0f}\n", result.messages_per_second);
  fmt::print("  events        {:>14}\n", result.events);
  fmt::print("  events/s      {:>14.0f}\n", result.events_per_second);
  fmt::print("  peak RSS      {:>14} bytes\n", result.peak_rss_bytes);
  fmt::print("  bytes/message {:>14.1f}   (peak RSS after the run - RSS before the world)\n",
             result.bytes_per_message);
  fmt::print("  records/msg   {:>14.2f}   ({} history records)\n", result.records_per_message,
             result.history_records);
  fmt::print("  checker       {:>14.3f} s   ({:.3f} us/message)\n", result.checker_seconds,
             result.checker_seconds_per_message * 1e6);
  fmt::print("  process peak  {:>14} bytes ({:.1f} bytes/message: world, history and checker together)\n",
             result.process_peak_rss_bytes, result.process_peak_rss_per_message);
  const double per_message = static_cast<double>(std::max<std::uint64_t>(result.messages, 1));
  fmt::print("  of which      history {:.1f} ({:.1f} in memory), resident before the checker {:.1f}, checker peak "
             "{:.1f} bytes/message\n",
             static_cast<double>(result.history_bytes) / per_message,
             static_cast<double>(result.history_resident_bytes) / per_message,
             static_cast<double>(result.rss_before_checker_bytes) / per_message,
             static_cast<double>(result.checker_peak_rss_bytes) / per_message);
  fmt::print("  offered {} not_sent {} acknowledged {} ({:.0f} per simulated second of the workload)\n",
             result.offered, result.not_sent, result.acknowledged, result.acknowledged_per_simulated_second);
  fmt::print("  lost {} duplicated {} (sanity: both 0)\n", result.lost, result.duplicated);
  fmt::print("  fingerprint   {:016x}\n", result.fingerprint);
  fmt::print("  simulated time: produce latency{}\n", percentiles_text(result.latency.produce_ns));
  fmt::print("                  end-to-end     {}\n", percentiles_text(result.latency.end_to_end_ns));
  fmt::print("                  acked/s {:.0f} in the workload phase\n", acknowledged_per_simulated_second(result.latency));
}

void print_checker_bench(const ksim::CheckerBenchResult& result, bool json) {
  if (json) {
    const nlohmann::json out = {
        {"benchmark", "checker"},
        {"messages", result.messages},
        {"records", result.records},
        {"build_seconds", result.build_seconds},
        {"check_seconds", result.check_seconds},
        {"messages_per_second", result.messages_per_second},
        {"peak_rss_bytes", result.peak_rss_bytes},
        {"delivered", result.delivered},
        {"lost", result.lost},
    };
    fmt::print("{}\n", out.dump());
    return;
  }
  fmt::print("checker: synthetic history of {} messages ({} records), checked in {:.3f} s\n", result.messages,
             result.records, result.check_seconds);
  fmt::print("  messages/s    {:>14.0f}\n", result.messages_per_second);
  fmt::print("  peak RSS      {:>14} bytes\n", result.peak_rss_bytes);
  fmt::print("  delivered {} lost {} (sanity: all, 0)\n", result.delivered, result.lost);
}

void print_history_bench(const ksim::HistoryBenchResult& result, bool json) {
  if (json) {
    fmt::print("{}\n", nlohmann::json{{"benchmark", "history"}, {"operations", result.operations},
                                      {"messages", result.messages}, {"file_bytes", result.file_bytes},
                                      {"write_seconds", result.write_seconds}, {"read_seconds", result.read_seconds},
                                      {"check_seconds", result.check_seconds}, {"cpu_seconds", result.cpu_seconds},
                                      {"operations_per_second", result.operations_per_second},
                                      {"peak_rss_bytes", result.peak_rss_bytes}, {"delivered", result.delivered},
                                      {"lost", result.lost}}
                           .dump());
    return;
  }
  fmt::print("check-history: synthetic client history of {} operations ({} messages, {} bytes)\n", result.operations,
             result.messages, result.file_bytes);
  fmt::print("  read          {:>14.3f} s\n  check         {:>14.3f} s\n", result.read_seconds, result.check_seconds);
  fmt::print("  CPU           {:>14.3f} s   (read + check)\n", result.cpu_seconds);
  fmt::print("  operations/s  {:>14.0f}   (read + check, wall clock)\n", result.operations_per_second);
  fmt::print("  peak RSS      {:>14} bytes   (read + check)\n", result.peak_rss_bytes);
  fmt::print("  delivered {} lost {} (sanity: all, 0)\n", result.delivered, result.lost);
}

void print_demo(const ksim::DemoResult& result, bool json) {
  if (json) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& node : result.nodes) {
      nodes.push_back({{"name", node.name},
                       {"sent", node.sent},
                       {"delivered", node.delivered},
                       {"lost", node.lost},
                       {"partitioned", node.partitioned}});
    }
    const nlohmann::json out = {
        {"seed", result.seed},
        {"events", result.run.events_executed},
        {"end_time_ns", result.run.end_time_ns},
        {"stop_reason", std::string(ksim::to_string(result.run.stop_reason))},
        {"messages_sent", result.messages_sent},
        {"messages_delivered", result.messages_delivered},
        {"messages_lost", result.messages_lost},
        {"messages_partitioned", result.messages_partitioned},
        {"messages_duplicated", result.messages_duplicated},
        {"nodes", nodes},
        {"fingerprint", fmt::format("{:016x}", result.run.fingerprint)},
    };
    fmt::print("{}\n", out.dump());
    return;
  }
  fmt::print("demo (seed {}): {} events, {} sent, {} delivered, ended at {:.6f} s ({})\n", result.seed,
             result.run.events_executed, result.messages_sent, result.messages_delivered,
             ksim::to_seconds(result.run.end_time_ns), ksim::to_string(result.run.stop_reason));
  fmt::print("  {} lost, {} dropped at the partition, {} duplicated\n", result.messages_lost,
             result.messages_partitioned, result.messages_duplicated);
  for (const auto& node : result.nodes) {
    fmt::print("  {:<8} sent {:>5}  delivered {:>5}  lost {:>4}  partitioned {:>4}\n", node.name, node.sent,
               node.delivered, node.lost, node.partitioned);
  }
  fmt::print("fingerprint {:016x}; replay with: ksim demo --seed {}\n", result.run.fingerprint, result.seed);
}

// The values of the bench and demo flags; they outlive parsing (the callbacks read them).
struct BenchOptions {
  std::uint64_t pending = 1000;
  std::uint32_t core_repeats = 3;
  std::string partitions_folder = "bench";
  std::uint32_t partitions_repeats = 3;
  bool partitions_json = false;
  int exit_code = 0;
  std::uint64_t events = 10'000'000;
  std::uint64_t seed = 1;
  bool json = false;
  std::uint64_t e2e_messages = 1'000'000;
  std::uint32_t e2e_consumers = 0;
  std::uint64_t e2e_seed = 1;
  bool e2e_json = false;
  std::string e2e_history_directory;
  bool e2e_stream = false;
  std::uint64_t checker_messages = 1'000'000;
  bool checker_json = false;
  std::uint64_t history_ops = 1'000'000;
  bool history_json = false;
  std::uint64_t demo_seed = 1;
  bool demo_json = false;
};

void add_bench_and_demo(CLI::App& app, BenchOptions& o) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks that print measured figures");
  bench->require_subcommand(1);
  CLI::App* bench_core = bench->add_subcommand("core", "Hold model on the event core alone");
  bench_core->add_option("--pending", o.pending, "Events kept pending (N)")->check(CLI::Range(1ULL, 10'000'000ULL));
  bench_core->add_option("--events", o.events, "Events to execute (M)")->check(CLI::Range(1ULL, 10'000'000'000ULL));
  bench_core->add_option("--seed", o.seed, "Seed of the increments");
  bench_core->add_option("--repeat", o.core_repeats, "Runs of the core and of the plain heap each (best kept)")
      ->check(CLI::Range(1U, 100U));
  bench_core->add_flag("--json", o.json, "Print one JSON object");
  bench_core->callback(
      [&o] { print_core_bench(ksim::run_core_bench(o.pending, o.events, o.seed, o.core_repeats), o.json); });

  CLI::App* bench_e2e = bench->add_subcommand("e2e", "The Kafka model end to end: world, then checker");
  bench_e2e->add_option("--messages", o.e2e_messages, "Messages produced, split over 3 producers")
      ->check(CLI::Range(1ULL, 1'000'000'000ULL));
  bench_e2e->add_option("--consumers", o.e2e_consumers, "Members of the consumer group (0: no group)")
      ->check(CLI::Range(0U, 12U));
  bench_e2e->add_option("--seed", o.e2e_seed, "Root seed");
  bench_e2e->add_option("--history-dir", o.e2e_history_directory,
                        "Write the history's records to a file in this directory as the run goes (default: memory)")
      ->check(CLI::ExistingDirectory);
  bench_e2e
      ->add_flag("--stream", o.e2e_stream,
                 "Judge with the streaming checker as the records are written, keeping no history")
      ->excludes("--history-dir");
  bench_e2e->add_flag("--json", o.e2e_json, "Print one JSON object");
  bench_e2e->callback([&o] {
    const ksim::run::CheckerKind checker = o.e2e_stream ? ksim::run::CheckerKind::stream : ksim::run::CheckerKind::batch;
    print_e2e_bench(
        ksim::run_e2e_bench(o.e2e_messages, o.e2e_consumers, o.e2e_seed, o.e2e_history_directory, checker),
        o.e2e_json);
  });

  CLI::App* bench_checker = bench->add_subcommand("checker", "The delivery checker on a synthetic healthy history");
  bench_checker->add_option("--messages", o.checker_messages, "Messages in the synthetic history")
      ->check(CLI::Range(1ULL, 1'000'000'000ULL));
  bench_checker->add_flag("--json", o.checker_json, "Print one JSON object");
  bench_checker->callback(
      [&o] { print_checker_bench(ksim::run_checker_bench(o.checker_messages), o.checker_json); });
  CLI::App* bench_partitions =
      bench->add_subcommand("partitions", "Wall time per message as partitions and brokers grow (issue 19)");
  bench_partitions->add_option("--inputs", o.partitions_folder, "Folder of scenario files, run in name order");
  bench_partitions->add_option("--repeat", o.partitions_repeats, "Runs of each file (best kept)")
      ->check(CLI::Range(1U, 100U));
  bench_partitions->add_flag("--json", o.partitions_json, "Print one JSON object");
  bench_partitions->callback([&o] {
    o.exit_code = print_partitions_bench(o.partitions_folder, o.partitions_repeats, o.partitions_json);
  });

  CLI::App* bench_history = bench->add_subcommand("history", "check-history on a synthetic client history file");
  bench_history->add_option("--ops", o.history_ops, "Operation lines in the synthetic history")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  bench_history->add_flag("--json", o.history_json, "Print one JSON object");
  bench_history->callback([&o] { print_history_bench(ksim::run_history_bench(o.history_ops), o.history_json); });

  CLI::App* demo = app.add_subcommand("demo", "Run the bundled deterministic demo and print its fingerprint");
  demo->add_option("--seed", o.demo_seed, "Root seed");
  demo->add_flag("--json", o.demo_json, "Print one JSON object");
  demo->callback([&o] { print_demo(ksim::run_demo(o.demo_seed), o.demo_json); });
}

void add_set(CLI::App* command, ksim::cli::ScenarioOptions& options) {
  command->add_option("--set", options.sets,
                      "Set a scenario value, present in the file or not: KEY=VALUE (e.g. network.loss=5%, "
                      "consumers[0].processing.time=2ms, producers[0].config.linger.ms=5)")
      ->type_name("KEY=VALUE");
}

void add_common_output(CLI::App* command, ksim::cli::ScenarioOptions& options) {
  command->add_flag("--json", options.json, "Print one JSON document (schema ksim-results, see scenarios/README.md)");
  command->add_option("--report-dir", options.report_dir,
                      "Write results.json, summary.md, junit.xml and report.html into this folder");
  add_set(command, options);
}

// Runs beyond memory (issue 19 item 3): the same runs and results, the history on disk or not kept.
void add_memory_options(CLI::App* command, ksim::cli::ScenarioOptions& options) {
  command->add_option("--history-dir", options.history_dir,
                      "Write each run's history records to a file in this folder as the run goes, instead of "
                      "keeping them in memory (the file is deleted when the run ends)")
      ->check(CLI::ExistingDirectory);
  command->add_flag("--stream", options.stream,
                    "Judge each run as it writes its records (the streaming checker: same results, no history kept)");
}

void add_jobs(CLI::App* command, ksim::cli::ScenarioOptions& options) {
  command->add_option("-j,--jobs", options.jobs, "Runs in parallel (one run per thread; same results as -j 1)")
      ->check(CLI::Range(1U, 256U));
}

void add_run_and_compare(CLI::App& app, ksim::cli::ScenarioOptions& options, int& exit_code) {
  CLI::App* run = app.add_subcommand("run", "Run a scenario once per mode and print counters, verdicts and causes");
  run->add_option("file", options.paths, "Scenario file")->required()->expected(1);
  run->add_option("--seed", options.seed, "Seed (default: the file's seed)");
  run->add_option("--mode", options.mode, "Only this mode (at-most-once, at-least-once, exactly-once, exactly-once-transactions, as-configured)");
  run->add_option("--trace", options.trace_path,
                  "Write the run's events as a Chrome trace (Perfetto, chrome://tracing) for the first mode");
  run->add_option("--anomaly-trace", options.anomaly_trace_path,
                  "Write a Chrome trace of the first mode's lost, duplicated and Jepsen-anomalous messages and the "
                  "records that name no message (faults, elections, commits), from a replay that keeps only those: any run size");
  run->add_option("--topology", options.topology_path, "Write the network topology as Graphviz DOT");
  run->add_option("--history-out", options.history_out,
                  "Write the first mode's client-visible history (JSON Lines, ksim-client-history v2)");
  add_common_output(run, options);
  add_memory_options(run, options);
  run->callback([&] { exit_code = ksim::cli::command_run(options); });

  CLI::App* check_history = app.add_subcommand(
      "check-history", "Judge a client-operation history (ksim-client-history, or Jepsen's history.edn; e.g. from a real cluster)");
  check_history->add_option("file", options.paths, "History file (JSON Lines, or Jepsen's history.edn)")
      ->required()
      ->expected(1);
  check_history->add_option("--format", options.history_format, "jsonl or edn (default: edn for a .edn file)")
      ->check(CLI::IsMember({"jsonl", "edn"}));
  check_history->add_flag("--json", options.json, "Print one JSON document (schema ksim-results)");
  check_history->add_option("--report-dir", options.report_dir,
                            "Write results.json, summary.md, junit.xml and report.html into this folder");
  check_history->callback([&] { exit_code = ksim::cli::command_check_history(options); });

  CLI::App* convert_history = app.add_subcommand(
      "convert-history", "Convert Jepsen's Kafka history.edn into a ksim-client-history (v2) file");
  convert_history->add_option("file", options.paths, "Jepsen history.edn")->required()->expected(1);
  convert_history->add_option("--out", options.out_path, "Write here (default: standard output)");
  convert_history->callback([&] { exit_code = ksim::cli::command_convert_history(options); });

  CLI::App* compare = app.add_subcommand("compare", "Run every mode on the same seeds (same faults) side by side");
  compare->add_option("file", options.paths, "Scenario file")->required()->expected(1);
  compare->add_option("--seeds", options.seeds, "Seeds A..B (default: the file's seeds)");
  add_common_output(compare, options);
  add_memory_options(compare, options);
  add_jobs(compare, options);
  compare->callback([&] { exit_code = ksim::cli::command_compare(options); });
}

void add_sweep_and_check(CLI::App& app, ksim::cli::ScenarioOptions& options, int& exit_code) {
  CLI::App* sweep = app.add_subcommand("sweep", "Run many seeds and aggregate the counters per mode");
  sweep->add_option("file", options.paths, "Scenario file")->required()->expected(1);
  sweep->add_option("--seeds", options.seeds, "Seeds A..B")->required();
  sweep->add_option("--vary", options.vary, "Sweep a parameter too: KEY=START..END:STEP (e.g. network.loss=0..0.05:0.01)");
  sweep->add_option("--shard", options.shard, "Run only the K-th of N slices of the seed range: K/N");
  add_common_output(sweep, options);
  add_memory_options(sweep, options);
  add_jobs(sweep, options);
  sweep->callback([&] { exit_code = ksim::cli::command_sweep(options); });

  CLI::App* check = app.add_subcommand("check", "Judge every scenario's expect block; exit 1 if one fails");
  check->add_option("paths", options.paths, "Scenario files or folders")->required();
  check->add_option("--seeds", options.seeds, "Seeds A..B instead of each file's seeds");
  add_common_output(check, options);
  add_jobs(check, options);
  check->callback([&] { exit_code = ksim::cli::command_check(options); });
}

void add_results_commands(CLI::App& app, ksim::cli::ScenarioOptions& options, int& exit_code) {
  CLI::App* merge = app.add_subcommand("merge", "Merge results.json files of sweep shards into one result");
  merge->add_option("results", options.paths, "results.json files")->required();
  merge->add_flag("--json", options.json, "Print the merged results document");
  merge->add_option("--report-dir", options.report_dir, "Write the merged reports into this folder");
  merge->callback([&] { exit_code = ksim::cli::command_merge(options); });

  CLI::App* report = app.add_subcommand("report", "Render the reports again from a saved results.json");
  report->add_option("results", options.paths, "results.json")->required()->expected(1);
  report->add_option("--report-dir", options.report_dir, "Write the reports into this folder");
  report->callback([&] { exit_code = ksim::cli::command_report(options); });

  CLI::App* validate = app.add_subcommand("validate", "Check scenario files without running them");
  validate->add_option("paths", options.paths, "Scenario files or folders")->required();
  add_set(validate, options);
  validate->callback([&] { exit_code = ksim::cli::command_validate(options); });
}

void add_shrink(CLI::App& app, ksim::cli::ScenarioOptions& options, int& exit_code) {
  CLI::App* shrink = app.add_subcommand("shrink", "Reduce a failing run to a small scenario that fails the same way");
  shrink->add_option("file", options.paths, "Scenario file")->required()->expected(1);
  shrink->add_option("--seed", options.seed, "Seed of the failing run")->required();
  shrink->add_option("--mode", options.mode, "Mode of the failing run (default: the file's first mode that fails)");
  shrink->add_option("--counter", options.counter, "Keep the violation on this counter (default: the run's first)");
  shrink->add_option("--time-budget", options.time_budget, "Stop searching after this long, e.g. 60s (default 300s)");
  shrink->add_option("--out", options.out_path, "Write the shrunk scenario here (default FILE-seedN-shrunk.yaml)");
  shrink->add_option("--set", options.sets, "Override a scenario value: KEY=VALUE (e.g. producers[0].config.acks=1)")
      ->type_name("KEY=VALUE");
  shrink->callback([&] { exit_code = ksim::cli::command_shrink(options); });
}

void add_swarm(CLI::App& app, ksim::cli::ScenarioOptions& options, int& exit_code) {
  CLI::App* swarm = app.add_subcommand("swarm", "Run variants of a base scenario drawn from each run's seed; shrink failures");
  swarm->add_option("file", options.paths, "Base scenario file (an optional swarm: section sets the ranges)")
      ->required()
      ->expected(1);
  CLI::Option* runs = swarm->add_option("--runs", options.runs, "Runs 1..N");
  swarm->add_option("--time", options.swarm_time, "Start runs 1, 2, ... until this much time has passed, e.g. 10m")
      ->excludes(runs);
  swarm->add_option("--shard", options.shard, "Run only the K-th of N slices of the runs: K/N (with --runs)");
  swarm->add_option("--out-dir", options.out_dir, "Write failing variants and their shrunk files here (swarm-failures)");
  swarm->add_option("--shrink-budget", options.shrink_budget, "Shrink each failure for at most this long (60s)");
  swarm->add_flag("--json", options.json, "Print one JSON document (schema ksim-swarm)");
  swarm->add_option("--set", options.sets, "Override a value of the base: KEY=VALUE")->type_name("KEY=VALUE");
  add_jobs(swarm, options);
  swarm->callback([&] { exit_code = ksim::cli::command_swarm(options); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ksim: a deterministic simulator of Kafka's delivery guarantees"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ksim 0.1.0");
  BenchOptions bench_options;
  add_bench_and_demo(app, bench_options);
  ksim::cli::ScenarioOptions options;
  int exit_code = 0;
  add_run_and_compare(app, options, exit_code);
  add_sweep_and_check(app, options, exit_code);
  add_results_commands(app, options, exit_code);
  add_shrink(app, options, exit_code);
  add_swarm(app, options, exit_code);
  ksim::cli::add_tool_commands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitUsage;
  } catch (const ksim::InvariantViolation& bug) {
    fmt::print(stderr, "ksim: internal error (a bug in ksim, please report it): {}\n", bug.what());
    return kExitBug;
  } catch (const ksim::history::SpillError& error) {
    // The directory the user named for the history cannot take it (missing, read-only, full).
    fmt::print(stderr, "ksim: {}\n", error.what());
    return kExitUsage;
  } catch (const std::exception& error) {
    // Anything else escaping is a bug too: say so instead of aborting.
    fmt::print(stderr, "ksim: internal error (a bug in ksim, please report it): {}\n", error.what());
    return kExitBug;
  }
  return bench_options.exit_code != 0 ? bench_options.exit_code : exit_code;
}
