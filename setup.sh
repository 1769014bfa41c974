#!/usr/bin/env bash
# The one set-up script. On a fresh Debian 12 machine, as root:
#   bash setup.sh        install what is missing, build in Release, run the main job
#   bash setup.sh test   the same set-up, then every test (Release, ASan+UBSan, and the
#                        cross-compiler fingerprint check)
set -euo pipefail
cd "$(dirname "$0")"

action=${1:-run}
case "$action" in
  run | test) ;;
  *)
    echo "usage: bash setup.sh [run|test]" >&2
    exit 2
    ;;
esac

# Debian packages, each for a reason given in README.md ("Dependencies").
packages=(
  build-essential cmake ninja-build g++ clang libclang-rt-14-dev
  libboost-test-dev libboost-graph-dev libfmt-dev libyaml-cpp-dev libcli11-dev
  nlohmann-json3-dev librapidcheck-dev
)
# Only the tests need these: xmllint checks junit.xml against its XSD, headless chromium
# opens report.html and python3-websockets drives a click in it (report_in_browser),
# python3-jsonschema and python3-yaml validate the
# bundled scenarios against `ksim schema`. The main job does without them.
test_packages=(libxml2-utils chromium python3-websockets python3-jsonschema python3-yaml)
if [[ "$action" == test ]]; then
  packages+=("${test_packages[@]}")
fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
build() {
  local preset=$1
  shift
  echo "== building preset $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs" "$@"
}

build release

if [[ "$action" == run ]]; then
  # The main job: every bundled scenario, its modes side by side, its expectations judged.
  ./build/release/ksim check scenarios/ -j "$jobs" --report-dir build/reports
  exit $?
fi

echo "== tests (Release)"
ctest --test-dir build/release --output-on-failure -j "$jobs"

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
build asan
ctest --test-dir build/asan --output-on-failure -j "$jobs" -L unit

echo "== the same run on g++ Release, g++ Debug+sanitizers and clang++ Release gives one fingerprint"
build clang-release --target ksim
bash .ci/compare-fingerprints build/release/ksim build/asan/ksim build/clang-release/ksim

echo "== the bundled scenario library: every expectation must hold"
./build/release/ksim check scenarios/ -j "$jobs" --report-dir build/reports

echo "== fuzzing the scenario loader (libFuzzer, ASan + UBSan, bounded time)"
bash .ci/fuzz "${KSIM_FUZZ_SECONDS:-60}"
