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
echo "layers: the tree passes, a wrong-way include is caught"
