#pragma once
// `ksim merge` of `ksim swarm --shard K/N --json` documents: the document of the unsharded
// swarm over the union of their runs (tested byte for byte in tests/cli/test_cli.sh).
#include <vector>

#include <nlohmann/json.hpp>

namespace ksim::swarm {

// Whether `document` is a swarm document (schema "ksim-swarm", version 1).
bool is_swarm_document(const nlohmann::json& document);

// Shards in any order: sorted by their first run, counts summed, failures by kind and the
// values drawn summed, findings in run order, the coverage probes summed.
nlohmann::json merge_swarm_documents(std::vector<nlohmann::json> shards);

}  // namespace ksim::swarm
