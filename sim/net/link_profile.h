#pragma once
// Everything that describes one directed link: delay, loss, duplication, ordering and
// bandwidth. A plain struct of options; the dynamic state of a link lives in LinkState.
#include <cstdint>
#include <string>

#include "sim/core/config_issue.h"
#include "sim/net/latency.h"
#include "sim/net/loss.h"

namespace ksim::net {

struct LinkProfile {
  LatencyDistribution latency;
  LossModel loss;
  double duplicate_probability = 0;  // a copy delivered after its own independent delay
  bool fifo = true;  // true: TCP-like, per-link delivery order = send order; false: may reorder (datagrams)
  std::uint64_t bandwidth_bytes_per_second = 0;  // 0 = unlimited; else size/bandwidth serialization, queued
  // Retransmission, as TCP does it: a lost message is sent again after the
  // retransmission timeout, doubling on each further loss, and only dropped after
  // max_retransmissions attempts (Linux's tcp_retries2 is 15). 0: a lost message is
  // dropped at once (datagrams, or an RPC layer that gives up).
  std::uint32_t max_retransmissions = 0;
  TimeNs retransmission_timeout_ns = 200'000'000;  // Linux's minimum RTO, 200 ms
};

// Issues are keyed "<key_path>.latency.<field>", "<key_path>.loss.<field>", ...
ConfigIssues validate(const LinkProfile& profile, const std::string& key_path);

}  // namespace ksim::net
