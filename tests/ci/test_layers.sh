#!/usr/bin/env bash
# The layer check (.ci/check-layers) passes on the source tree and fails on a tree with an
# include that goes the wrong way (the checker including the model), naming file and line.
set -euo pipefail
source_root=$1
check="$source_root/.ci/check-layers"
bash "$check" "$source_root"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/sim/core" "$scratch/sim/history" "$scratch/sim/kafka" "$scratch/sim/check" "$scratch/reports"
echo 'ksim_layer(core)' >"$scratch/sim/core/CMakeLists.txt"
echo 'ksim_layer(history DEPENDS core)' >"$scratch/sim/history/CMakeLists.txt"
echo 'ksim_layer(kafka DEPENDS core history)' >"$scratch/sim/kafka/CMakeLists.txt"
echo 'ksim_layer(check DEPENDS core history)' >"$scratch/sim/check/CMakeLists.txt"
echo 'ksim_layer(reports DEPENDS core history check LIBRARIES nlohmann_json::nlohmann_json)' >"$scratch/reports/CMakeLists.txt"
printf '#include "sim/core/assert.h"\n#include "sim/history/history.h"\n' >"$scratch/sim/check/fine.cpp"
printf '#include "sim/check/fine.h"\n#include "reports/other.h"\n' >"$scratch/reports/fine.cpp"
bash "$check" "$scratch"  # the right way round passes

printf '#include <vector>\n\n#include "sim/kafka/world.h"\n' >"$scratch/sim/check/wrong.cpp"
if output=$(bash "$check" "$scratch"); then
  echo "FAIL: the checker including the model was not caught" >&2
  exit 1
fi
grep -q "sim/check/wrong.cpp:3: layer 'check' includes sim/kafka/world.h of layer 'kafka'" <<<"$output" || {
  echo "FAIL: unexpected report: $output" >&2
  exit 1
}
rm "$scratch/sim/check/wrong.cpp"

# Rooms inside a layer: a broker may include the log below it, never a client above it.
mkdir -p "$scratch/sim/kafka/log" "$scratch/sim/kafka/broker" "$scratch/sim/kafka/client"
printf 'ksim_layer(kafka DEPENDS core history\n           ROOMS log broker client)\n' >"$scratch/sim/kafka/CMakeLists.txt"
printf '#include "sim/kafka/log/replica_log.h"\n' >"$scratch/sim/kafka/broker/broker.cpp"
printf '#include "sim/kafka/broker/broker.h"\n#include "sim/kafka/log/replica_log.h"\n' >"$scratch/sim/kafka/client/producer.cpp"
printf '#include "sim/kafka/client/producer.h"\n' >"$scratch/sim/kafka/world.cpp"
bash "$check" "$scratch"  # downward includes and the top including every room pass
printf '#include "sim/kafka/client/producer.h"\n' >>"$scratch/sim/kafka/broker/broker.cpp"
if output=$(bash "$check" "$scratch"); then
  echo "FAIL: a broker including a client was not caught" >&2
  exit 1
fi
grep -q "sim/kafka/broker/broker.cpp:2: room 'broker' includes sim/kafka/client/producer.h of room 'client'" <<<"$output" || {
  echo "FAIL: unexpected report: $output" >&2
  exit 1
}
printf '#include "sim/kafka/world.h"\n' >"$scratch/sim/kafka/broker/broker.cpp"
if bash "$check" "$scratch" >/dev/null; then
  echo "FAIL: a room including its layer's top (the World) was not caught" >&2
  exit 1
fi
mkdir -p "$scratch/sim/kafka/stray" && printf '#include "sim/kafka/log/replica_log.h"\n' >"$scratch/sim/kafka/stray/x.cpp"
rm "$scratch/sim/kafka/broker/broker.cpp"
if bash "$check" "$scratch" >/dev/null; then
  echo "FAIL: a folder not declared in ROOMS was not caught" >&2
  exit 1
fi
echo "layers: the tree passes, a wrong-way include and a wrong-way room include are caught"
