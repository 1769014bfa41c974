#pragma once
// --shard K/N for sweep and swarm: the flag parsed into a run::Shard (sim/run/shard_slice.h
// holds the slices and the merge).
#include <optional>
#include <string>

#include "sim/run/shard_slice.h"
#include "sim/scenario/input_error.h"

namespace ksim::cli {

using run::Shard;
using run::shard_span;

std::optional<Shard> parse_shard(const std::string& text, scenario::InputErrors& errors);

}  // namespace ksim::cli
