#pragma once
// Event-triggered faults (`when:`): an observer of the model's events. The model's events
// that a condition names are all history records the World writes through one funnel
// (World::record): an acknowledged send, an ISR change, a leader election, a transaction
// coordinator's decision to commit (its PrepareCommit), a consumer's offset commit. So the
// model needs no hook of its own: the World hands each record, as it is written, to
// observe(), which says which faults' conditions it made true. A condition is tested at
// each record that can make it true, in the order records are written, and a fault fires
// once: at the first such record. Nothing here draws randomness.
#include <cstdint>
#include <vector>

#include "sim/history/history.h"
#include "sim/kafka/config/world_config.h"

namespace ksim::kafka {

class FaultTriggers {
 public:
  FaultTriggers() = default;
  // `replication_factor`: every user partition's ISR starts full at that size.
  FaultTriggers(const std::vector<FaultSpec>& faults, std::uint32_t partitions, std::uint32_t replication_factor);
  // Several topics: `replication_factors` by user partition (each its topic's).
  FaultTriggers(const std::vector<FaultSpec>& faults, std::vector<std::uint32_t> replication_factors);

  bool any() const { return !watches_.empty(); }
  // Appends to `fired` the faults whose condition `record` made true, in fault order.
  void observe(const history::Record& record, std::vector<std::uint32_t>& fired);

 private:
  struct Watch {
    std::uint32_t fault = 0;
    FaultTrigger trigger;
    bool fired = false;
  };
  bool holds(const FaultTrigger& trigger, const history::Record& record, std::uint32_t isr_size_before) const;

  std::vector<Watch> watches_;
  std::uint64_t acknowledged_sends_ = 0;
  std::vector<std::uint32_t> isr_size_;  // by user partition: the size its last isr_changed record gave
};

}  // namespace ksim::kafka
