// libFuzzer target for the model (issue 17 item 4): the bytes choose a small scenario
// STRUCTURE (a tree of documented keys, never YAML text to parse) within the bounds below,
// which the scenario loader validates as it would a user's file, and the world runs it
// through the checker. A finding is
//   - a broken simulator invariant (KSIM_ASSERT aborts) or a sanitizer error;
//   - a run that breaks one of Kafka's own promises (`kafka_promises_broken`, the checker's
//     safety invariants, sim/check/invariants.cpp): every configuration and fault drawn here
//     is one the checker judges, so a broken promise is a model or checker bug;
//   - two runs of the same configuration and seed with different fingerprints (checked on
//     one input in eight).
// Bounds (so one input runs in well under a second): 1..4 brokers, 1..3 partitions,
// replication 1..brokers, min.insync.replicas 1..replication, 1 producer of 20..200
// messages at 100..800/s with 0..3 keys, 1..2 consumer members, a 1..3 s workload, a 30 s
// drain, 0..4 faults (crash, power failure, restart, pause, partition, controlled shutdown)
// on brokers or clients at 0..duration for 50 ms..2 s, a delivery mode or as-configured
// with acks, idempotence, transactions, unclean election, ELR (KIP-966) and, with
// as-configured, a pre-0.11 cluster (high-watermark truncation) drawn.
// A drawn structure the loader refuses is skipped (return -1); KSIM_FUZZ_STRICT=1 aborts
// instead, to catch a generator that leaves its documented bounds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "sim/check/counter_names.h"
#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"

namespace {

// The input as a stream of small choices; an exhausted input reads as zeros.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint32_t below(std::uint32_t n) {
    const std::uint32_t byte = position_ < size_ ? data_[position_++] : 0;
    return n == 0 ? 0 : byte % n;
  }
  bool flag() { return below(2) == 1; }
  template <std::size_t N>
  const char* pick(const char* const (&values)[N]) {
    return values[below(N)];
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

constexpr const char* kModes[] = {"as-configured", "at-most-once", "at-least-once", "exactly-once",
                                  "exactly-once-transactions"};
constexpr const char* kFaultKinds[] = {"crash", "power-failure", "restart", "pause", "partition",
                                       "controlled-shutdown"};

struct Drawn {
  YAML::Node tree;
  std::string mode;
  std::uint32_t brokers = 0;
  std::uint32_t consumers = 0;
};

void draw_cluster(Choices& in, Drawn& drawn, bool old_cluster) {
  YAML::Node cluster = drawn.tree["cluster"];
  drawn.brokers = 1 + in.below(4);
  const std::uint32_t replication = 1 + in.below(drawn.brokers);
  cluster["brokers"] = drawn.brokers;
  if (old_cluster) cluster["kafka.version"] = "0.10.2";
  YAML::Node config = cluster["config"];
  config["min.insync.replicas"] = 1 + in.below(replication);
  config["unclean.leader.election.enable"] = in.flag();
  config["replica.socket.timeout.ms"] = 1000;
  config["replica.fetch.wait.max.ms"] = 100;
  config["replica.lag.time.max.ms"] = in.flag() ? 300 : 30000;
  if (!old_cluster && in.flag()) config["eligible.leader.replicas.version"] = 1;
  YAML::Node topic;
  topic["name"] = "t";
  topic["partitions"] = 1 + in.below(3);
  topic["replication.factor"] = replication;
  cluster["topics"].push_back(topic);
}

void draw_clients(Choices& in, Drawn& drawn, bool old_cluster) {
  YAML::Node producer;
  producer["name"] = "p";
  producer["messages"] = 20 + 20 * in.below(10);
  producer["rate"] = fmt::format("{}/s", 100 * (1 + in.below(8)));
  producer["keys"] = in.below(4);
  YAML::Node config = producer["config"];
  constexpr std::uint32_t kRequestTimeoutsMs[] = {30, 200, 1000};
  const std::uint32_t request_timeout_ms = kRequestTimeoutsMs[in.below(3)];
  config["request.timeout.ms"] = request_timeout_ms;
  config["retry.backoff.ms"] = 20;
  // delivery.timeout.ms must cover linger.ms + request.timeout.ms (Kafka's rule).
  config["delivery.timeout.ms"] = request_timeout_ms * (2 + in.below(100));
  if (drawn.mode == "as-configured") {
    const bool idempotent = !old_cluster && in.flag();
    config["enable.idempotence"] = idempotent;
    config["acks"] = idempotent ? "all" : in.pick({"0", "1", "all"});
    if (idempotent && in.flag()) {
      config["transactional.id"] = "tx";
      config["transaction.timeout.ms"] = in.flag() ? 100 : 60000;
    }
  }
  drawn.tree["producers"].push_back(producer);
  YAML::Node group;
  group["name"] = "c";
  drawn.consumers = 1 + in.below(2);
  group["members"] = drawn.consumers;
  group["config"]["auto.offset.reset"] = "earliest";
  drawn.tree["consumers"].push_back(group);
}

std::string target(Choices& in, const Drawn& drawn, bool brokers_only) {
  const std::uint32_t clients = brokers_only ? 0 : 1 + drawn.consumers;
  const std::uint32_t pick = in.below(drawn.brokers + clients);
  if (pick < drawn.brokers) return fmt::format("broker-{}", pick + 1);
  return pick == drawn.brokers ? "p-0" : fmt::format("c-{}", pick - drawn.brokers - 1);
}

void draw_faults(Choices& in, Drawn& drawn, std::uint32_t duration_ms) {
  drawn.tree["faults"] = YAML::Node(YAML::NodeType::Sequence);
  const std::uint32_t count = in.below(5);
  for (std::uint32_t f = 0; f < count; ++f) {
    YAML::Node fault;
    const std::string kind = in.pick(kFaultKinds);
    fault["at"] = fmt::format("{}ms", in.below(duration_ms / 10) * 10);
    fault["kind"] = kind;
    const bool brokers_only = kind == "power-failure" || kind == "controlled-shutdown";
    if (kind == "partition") {
      fault["groups"].push_back(std::vector<std::string>{target(in, drawn, false)});
    } else {
      fault["targets"].push_back(target(in, drawn, brokers_only));
    }
    if (kind != "restart") fault["duration"] = fmt::format("{}ms", 50 * (1 + in.below(40)));
    drawn.tree["faults"].push_back(fault);
  }
}

Drawn draw(Choices& in) {
  Drawn drawn;
  drawn.mode = in.pick(kModes);
  // Before 0.11 there is no idempotence: only the modes without it run on such a cluster.
  const bool old_cluster = (drawn.mode == "as-configured" || drawn.mode == "at-most-once" ||
                            drawn.mode == "at-least-once") && in.below(4) == 0;
  const std::uint32_t duration_ms = 1000 * (1 + in.below(3));
  drawn.tree["version"] = 1;
  drawn.tree["name"] = "fuzz-model";
  drawn.tree["duration"] = fmt::format("{}ms", duration_ms);
  drawn.tree["drain"] = "30s";
  draw_cluster(in, drawn, old_cluster);
  draw_clients(in, drawn, old_cluster);
  draw_faults(in, drawn, duration_ms);
  drawn.tree["modes"].push_back(drawn.mode);
  return drawn;
}

[[noreturn]] void finding(const std::string& what, const Drawn& drawn, std::uint64_t seed) {
  YAML::Emitter out;
  out << drawn.tree;
  std::fprintf(stderr, "fuzz_model finding: %s\nseed %llu, mode %s, scenario:\n%s\n", what.c_str(),
               static_cast<unsigned long long>(seed), drawn.mode.c_str(), out.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Choices in(data, size);
  const std::uint64_t seed = 1 + in.below(256);
  const Drawn drawn = draw(in);
  ksim::scenario::InputErrors errors;
  const auto scenario = ksim::scenario::load_scenario_node(drawn.tree, "fuzz-model.yaml", errors);
  ksim::kafka::WorldConfig config;
  if (scenario) config = ksim::scenario::build_world_config(*scenario, scenario->modes.front(), seed, errors);
  if (!scenario || !errors.empty()) {
    if (std::getenv("KSIM_FUZZ_STRICT") != nullptr) finding("the loader refused: " + errors.to_string(), drawn, seed);
    return -1;
  }
  const auto mode = scenario->modes.front().mode;
  const ksim::run::RunReport first = ksim::run::run_once(config, scenario->name, mode);
  const std::uint64_t broken = ksim::check::counter_value(first.outcome, "kafka_promises_broken").value_or(0);
  if (broken > 0 && first.conclusive()) finding(fmt::format("kafka_promises_broken = {}", broken), drawn, seed);
  // Determinism, on one input in eight (a second run halves the rate of new inputs).
  if (seed % 8 != 0) return 0;
  const ksim::run::RunReport second = ksim::run::run_once(config, scenario->name, mode);
  if (second.run.fingerprint != first.run.fingerprint) finding("two runs of one seed differ", drawn, seed);
  return 0;
}
