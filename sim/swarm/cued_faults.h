#pragma once
// Faults aimed by role and cued by model events, drawn per swarm run: "crash the leader of
// orders-1 when its ISR shrinks", "cut the group's coordinator off the brokers at the first
// commit". The nemesis fires at random times on random nodes; these fire at the moments a
// narrative cares about, which random timing reaches only by luck.
#include <yaml-cpp/yaml.h>

#include "sim/swarm/ranges.h"
#include "sim/swarm/variant.h"

namespace ksim::swarm {

// Appends `swarm.cued_faults` faults (a count drawn per run) to the tree's `faults`, each
// drawn from its own stream (run, `swarm.cued_fault.<i>`) so the count never moves another
// fault's draws. Reads the tree as drawn so far (brokers, replication factor, producers,
// groups, mode), so every fault it writes can fire and loads without a warning.
void draw_cued_faults(YAML::Node& root, const Ranges& ranges, Variant& variant);

}  // namespace ksim::swarm
