#pragma once
// A producer whose requests fail for a while with a retriable error, for the retry tests.
#include <string>

namespace ksim::testing {

// Idempotence off, one partition on two brokers with min.insync.replicas=2 and 1 ms a hop:
// from 1 s the follower pauses for `pause` and leaves the ISR (replica.lag.time.max.ms
// 500), so every produce request meanwhile fails with NotEnoughReplicas and its batch is
// retried. `producer` holds the producer's further keys, indented as they are (each line
// ending in a newline); `config` the inner text of its config map.
inline std::string not_enough_replicas_scenario(const std::string& producer, const std::string& config,
                                                const std::string& pause) {
  return R"(version: 1
name: retrying
duration: 3s
drain: 60s
cluster:
  brokers: 2
  config: {min.insync.replicas: 2, replica.lag.time.max.ms: 500, replica.fetch.wait.max.ms: 100}
  topics:
    - {name: orders, partitions: 1, replication.factor: 2, replica.assignment: "1:2"}
producers:
  - name: p
    messages: 3000
    rate: 1000/s
)" + producer + "    config: {acks: all, enable.idempotence: false, " +
         config + R"(}
network:
  latency: {distribution: constant, mean: 1ms}
faults:
  - {at: 1s, kind: pause, targets: [broker-2], duration: )" +
         pause + R"(}
modes: [as-configured]
)";
}

}  // namespace ksim::testing
