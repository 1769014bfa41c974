#pragma once
// The steps of a shrink, in the order `shrink_run` applies them, each a fixed sequence of
// candidate scenario documents (see scenarios/README.md, "Shrinking a failing run").
// Each returns whether it made the scenario smaller.
#include "sim/shrink/search.h"

namespace ksim::shrink {

// How many faults the current tree lists (0 without a `faults` sequence).
std::size_t fault_count(const Search& search);

// Delta debugging (Zeller's ddmin) over the `faults` list: ends 1-minimal, so removing
// any single remaining fault no longer reproduces the violation.
bool remove_faults(Search& search);
// For each fault in order of its start, the time just before it cut out of the schedule:
// it and every later start earlier, faults running across it and the workload shorter.
// Faults that must stay together move as one, not a millisecond at a time each.
bool cut_time_slices(Search& search);
// Each fault's `duration` towards 1 ms, then each fault's `at` towards 0.
bool shorten_fault_durations(Search& search);
bool move_fault_times(Search& search);
// Each `when:` cue's `count` towards 1 and `delay` towards 0; each network fault's
// impairments dropped one by one, then members of its `from` and `to` sets.
bool simplify_fault_shapes(Search& search);

// Messages per producer towards 1, the workload `duration` towards 1 ms.
bool reduce_workload(Search& search);
// Producer groups and consumer groups (whole entries), producers per group, members per
// group, brokers (replication factor, min.insync.replicas and racks follow) and partitions.
bool reduce_nodes(Search& search);
// Drops each key of the `config` maps (broker, producers, consumers), the topic's
// min.insync.replicas and the `network` section, so the value goes back to Kafka's (or
// the simulator's) default.
bool reset_config(Search& search);

}  // namespace ksim::shrink
