#!/usr/bin/env bash
# Installs ksim to a temporary prefix, as a user would (`cmake --install`), and runs the
# installed ksim from there on its installed scenario library; builds the .deb with CPack
# and checks what it holds. KSIM_INSTALL_TEST_ALL=1 checks the whole library (minutes);
# by default a fast subset, including a scenario that reads .properties files next to it.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
prefix="$work/prefix"

cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }
for file in bin/ksim share/ksim/ksim-scenario.schema.json share/doc/ksim/README.md share/doc/ksim/scenarios.md \
  share/ksim/scenarios/README.md share/ksim/scenarios/properties/server.properties \
  share/ksim/scenarios/history/kip101-scenario1-before.yaml; do
  [[ -e "$prefix/$file" ]] || fail "not installed: $file"
done
installed=$(find "$prefix/share/ksim/scenarios" -name '*.yaml' | wc -l)
bundled=$(find "$source/scenarios" -name '*.yaml' | wc -l)
((installed == bundled)) || fail "$installed scenarios installed, $bundled bundled"
echo "ok   installed: bin/ksim, $installed scenarios, the schema, the docs"

cd "$work"  # nowhere near the checkout
ksim="$prefix/bin/ksim"
"$ksim" schema | cmp -s - "$prefix/share/ksim/ksim-scenario.schema.json" || fail "the installed schema is not \`ksim schema\`'s"
library=$("$ksim" scenarios --path)
[[ "$library" == "$prefix/share/ksim/scenarios" ]] || fail "ksim scenarios --path says $library"
"$ksim" scenarios | grep -q "^$installed bundled scenarios in $prefix/share/ksim/scenarios" || fail "ksim scenarios listing"
echo "ok   the installed ksim finds its library: $library"

if [[ "${KSIM_INSTALL_TEST_ALL:-0}" == 1 ]]; then
  targets=("$library")
else
  targets=("$library/kafka-properties-files.yaml" "$library/a01-acks-0-leader-crash.yaml" "$library/a07-retry-duplicates.yaml"
           "$library/s1-safe-config.yaml")
fi
"$ksim" check "${targets[@]}" -j 2 --report-dir "$work/reports" >"$work/check.txt" 2>"$work/check-err.txt" ||
  { tail -20 "$work/check.txt"; fail "ksim check on the installed scenarios"; }
[[ -s "$work/reports/report.html" ]] || fail "no report.html"
echo "ok   installed ksim check: $(grep -c '^  PASS' "$work/check.txt") expectations held (${#targets[@]} target(s))"

if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  (cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log") ||
    { cat "$work/cpack.log"; fail "cpack"; }
  deb=$(find "$work/deb" -maxdepth 1 -name '*.deb' | head -1)
  [[ -n "$deb" ]] || fail "cpack made no .deb"
  contents=$(dpkg-deb -c "$deb")
  for path in ./usr/bin/ksim ./usr/share/ksim/ksim-scenario.schema.json ./usr/share/ksim/scenarios/s1-safe-config.yaml \
    ./usr/share/doc/ksim/README.md; do
    grep -q " $path\$" <<<"$contents" || fail "$(basename "$deb") lacks $path"
  done
  dpkg-deb -f "$deb" Depends | grep -q libyaml-cpp0.7 || fail "the .deb does not depend on libyaml-cpp0.7"
  echo "ok   $(basename "$deb"): $(grep -c '' <<<"$contents") entries, Depends: $(dpkg-deb -f "$deb" Depends)"
fi
