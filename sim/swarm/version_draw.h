#pragma once
// The Kafka version of a swarm run (`swarm.kafka.version`): the listed versions in an order
// drawn from the run (stream "swarm.kafka.version"), and the first of them under which the
// variant loads. The loader holds every rule between a version and the rest of a file
// (transactions and idempotence from 0.11, cooperative-sticky from 2.4, a knob against its
// version), so a drawn mode, assignor or knob never turns a run invalid while some listed
// version accepts it; when none does, the run is invalid with the last version's error.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/input_error.h"
#include "sim/scenario/scenario.h"
#include "sim/swarm/variant.h"

namespace ksim::swarm {

// `versions` shuffled by the run's own stream (Fisher-Yates on our PRNG).
std::vector<std::string> version_order(const std::vector<std::string>& versions, std::uint64_t run);

// Loads the variant (with a drawn version when `versions` is not empty, recorded in its tree,
// description and dimensions); `text` receives the document that loaded or failed last.
std::optional<scenario::Scenario> load_variant(Variant& variant, const std::string& file,
                                               const std::vector<std::string>& versions, std::string& text,
                                               scenario::InputErrors& errors);

}  // namespace ksim::swarm
