#!/usr/bin/env bash
# `ksim schema` accepts every bundled scenario and refuses a few broken files, checked with
# python3-jsonschema (Draft 2020-12) on YAML read by python3-yaml. Exit 77 (skipped) when
# either module is missing. Usage: test_schema_validates.sh KSIM SCENARIO_DIR
set -euo pipefail
ksim=$1
scenarios=$2
if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "skipped: python3-jsonschema or python3-yaml is not installed"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ksim" schema >"$work/schema.json"

python3 - "$work/schema.json" "$scenarios" <<'PY'
import glob, json, sys
import jsonschema, yaml

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

def errors(document):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]

files = sorted(glob.glob(f"{sys.argv[2]}/**/*.yaml", recursive=True))
assert len(files) >= 20, f"only {len(files)} bundled scenarios found in {sys.argv[2]}"
failed = 0
for path in files:
    problems = errors(yaml.safe_load(open(path)))
    if problems:
        failed += 1
        print(f"FAIL {path}: the schema refuses a bundled scenario:", *problems[:5], sep="\n  ")
print(f"{len(files) - failed} of {len(files)} bundled scenarios validate")

base = yaml.safe_load("""
version: 1
name: t
cluster: {brokers: 3}
producers: [{messages: 10, config: {acks: all}}]
""")
assert not errors(base), errors(base)
import copy
def broken(change):
    document = copy.deepcopy(base)
    change(document)
    return document
invalid = {
    "an unknown top-level key (typo)": broken(lambda d: d.update(durration="10s")),
    "an unknown producer config key": broken(lambda d: d["producers"][0]["config"].update(ack="all")),
    "acks not one of 0, 1, all, -1": broken(lambda d: d["producers"][0]["config"].update(acks=2)),
    "brokers out of 1..100": broken(lambda d: d["cluster"].update(brokers=1000)),
    "brokers not a number": broken(lambda d: d["cluster"].update(brokers="three")),
    "a duration without a unit": broken(lambda d: d.update(duration=10)),
    "the required producers missing": broken(lambda d: d.pop("producers")),
    "a fault of an unknown kind": broken(lambda d: d.update(faults=[{"at": "1s", "kind": "meteor"}])),
    "an expectation bound that is not a bound": broken(lambda d: d.update(expect={"at-least-once": {"lost": "few"}})),
}
for what, document in invalid.items():
    if not errors(document):
        failed += 1
        print(f"FAIL the schema accepts {what}")
    else:
        print(f"ok   refused: {what}: {errors(document)[0]}")
sys.exit(1 if failed else 0)
PY
