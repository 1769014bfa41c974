#!/usr/bin/env bash
# The ksim program as a user meets it: exit codes (0 held, 1 violated, 2 bad input,
# 4 inconclusive: a run stopped at a bound),
# messages that name file:line:column, the replay command, JSON output fields, and
# sharded sweeps merging into the unsharded result.
set -uo pipefail
ksim=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
expect_exit() {
  local want=$1 name=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL $name: exit $got, wanted $want"; cat "$work/out" "$work/err" | head -20; failures=$((failures + 1))
  else
    echo "ok   $name"; passes=$((passes + 1))
  fi
}
expect_text() {
  local name=$1 file=$2 text=$3
  if ! grep -qF -- "$text" "$file"; then
    echo "FAIL $name: no <$text> in output"; head -20 "$file"; failures=$((failures + 1))
  else
    echo "ok   $name"; passes=$((passes + 1))
  fi
}

expect_exit 0 "run of a safe scenario" "$ksim" run "$root/scenarios/s1-safe-config.yaml"
expect_text "run prints the replayable fingerprint" "$work/out" "fingerprint"
expect_text "run prints the latency table" "$work/out" "end-to-end p99"
expect_text "run prints the throughput" "$work/out" "throughput (acked/s)"
expect_exit 1 "check with a failing expectation" "$ksim" check "$here/failing-expectation.yaml"
expect_text "check names the failing seed and the replay command" "$work/out" "--seed 1 --mode as-configured"
expect_exit 2 "missing file" "$ksim" run "$work/none.yaml"

expect_text "missing file is named" "$work/err" "none.yaml: cannot open the file"
printf 'version: 1\nname: x\ncluster: {brokers: 1}\nproducers: [{messages: 10, config: {acsk: 1}}]\n' >"$work/typo.yaml"
expect_exit 2 "unknown key" "$ksim" validate "$work/typo.yaml"
expect_text "unknown key with position and suggestion" "$work/err" 'typo.yaml:4:37: producers[0].config: unknown key "acsk"; did you mean "acks"?'
printf '\x00\x01\x02' >"$work/binary.yaml"
expect_exit 2 "binary file" "$ksim" validate "$work/binary.yaml"
: >"$work/empty.yaml"
expect_exit 2 "empty file" "$ksim" validate "$work/empty.yaml"
expect_exit 2 "bad flag value" "$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 5..1
expect_exit 2 "unknown mode" "$ksim" run "$root/scenarios/s1-safe-config.yaml" --mode sometimes
expect_exit 2 "bad --set" "$ksim" run "$root/scenarios/s1-safe-config.yaml" --set network.loss=7
expect_text "bad --set names the key" "$work/err" "network.loss"
printf 'version: 1\nname: x\ncluster: {brokers: 1, kafka.version: "2.9"}\nproducers: [{messages: 10}]\n' >"$work/version.yaml"
expect_exit 2 "unknown kafka.version" "$ksim" validate "$work/version.yaml"
expect_text "unknown kafka.version with position and suggestion" "$work/err" 'version.yaml:3:38: cluster.kafka.version: unknown Kafka version "2.9"'
expect_exit 2 "--set of an unknown kafka.version" "$ksim" validate "$root/scenarios/s1-safe-config.yaml" --set cluster.kafka.version=5.0
expect_exit 0 "--set of a known kafka.version" "$ksim" validate "$root/scenarios/s1-safe-config.yaml" --set cluster.kafka.version=3.9
# Issue 19 item 3: the history on disk gives the same results; a folder that cannot take it is refused.
mkdir -p "$work/histories"
"$ksim" compare "$root/scenarios/s1-safe-config.yaml" --json -j 2 >"$work/in_memory.json" 2>/dev/null
expect_exit 0 "compare with --history-dir" "$ksim" compare "$root/scenarios/s1-safe-config.yaml" --json -j 2 --history-dir "$work/histories"
if cmp -s "$work/out" "$work/in_memory.json"; then echo "ok   --history-dir gives the same results"; passes=$((passes + 1))
else echo "FAIL --history-dir changed the results"; failures=$((failures + 1)); fi
if [[ -z "$(ls -A "$work/histories")" ]]; then echo "ok   --history-dir leaves no file behind"; passes=$((passes + 1))
else echo "FAIL --history-dir left files"; ls "$work/histories"; failures=$((failures + 1)); fi
# The streaming checker (--stream) gives the same results, for a transactional scenario too.
expect_exit 0 "compare with --stream" "$ksim" compare "$root/scenarios/s1-safe-config.yaml" --json -j 2 --stream
if cmp -s "$work/out" "$work/in_memory.json"; then echo "ok   --stream gives the same results"; passes=$((passes + 1))
else echo "FAIL --stream changed the results"; failures=$((failures + 1)); fi
"$ksim" sweep "$root/scenarios/s2-exactly-once-transactions.yaml" --seeds 1..6 --json >"$work/batch_sweep.json" 2>/dev/null
# --anomaly-trace: a trace of the lost messages only (A12: commit before processing, then a
# crash), whose send events are those of the lost messages and no other.
expect_exit 0 "run with --anomaly-trace" "$ksim" run "$root/scenarios/a12-commit-before-processing-crash.yaml" --anomaly-trace "$work/anomalies.json" --json
expect_text "--anomaly-trace says what it kept" "$work/err" "lost, duplicated or anomalous messages"
if python3 - "$work/anomalies.json" "$work/out" <<'PY'
import json, sys
trace = json.load(open(sys.argv[1]))
events = trace["traceEvents"] if isinstance(trace, dict) else trace
sends = [e for e in events if e.get("name") == "send"]
lost = json.load(open(sys.argv[2]))["scenarios"][0]["runs"][0]["lost"]
sys.exit(0 if lost > 0 and len(sends) == lost else 1)
PY
then echo "ok   --anomaly-trace holds one send per lost message"; passes=$((passes + 1))
else echo "FAIL --anomaly-trace does not hold one send per lost message"; failures=$((failures + 1)); fi
expect_exit 0 "sweep with --stream" "$ksim" sweep "$root/scenarios/s2-exactly-once-transactions.yaml" --seeds 1..6 --json --stream
if cmp -s "$work/out" "$work/batch_sweep.json"; then echo "ok   sweep --stream gives the same results"; passes=$((passes + 1))
else echo "FAIL sweep --stream changed the results"; failures=$((failures + 1)); fi
expect_exit 2 "--history-dir that does not exist" "$ksim" run "$root/scenarios/s1-safe-config.yaml" --history-dir "$work/none"
expect_exit 2 "--history-dir where no file can be made" "$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..4 -j 2 --history-dir /proc
expect_text "--history-dir failure names the folder" "$work/err" "cannot create the history file in '/proc'"
expect_exit 2 "usage error" "$ksim" run
expect_exit 0 "help on a subcommand" "$ksim" sweep --help
expect_exit 0 "json run" "$ksim" run "$root/scenarios/s1-safe-config.yaml" --json
for field in '"scenario"' '"seed"' '"mode"' '"produced"' '"acknowledged"' '"delivered"' '"lost"' '"duplicated"' \
  '"reordered"' '"events"' '"fingerprint"' '"guarantee_held"' '"schema": "ksim-results"' '"end_to_end"' \
  '"p999_ns"' '"bucket_counts"' '"acknowledged_per_s"'; do
  expect_text "json has $field" "$work/out" "$field"
done
# --vary over a key with a unit (a saturation curve: offered against acknowledged).
expect_exit 0 "vary a rate with its unit" "$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..1 \
  --vary 'producers[0].rate=500..1500:500/s' --json
expect_text "vary points carry offered" "$work/out" '"offered"'
expect_text "vary points carry the numeric value" "$work/out" '"value": 1500.0'
expect_exit 2 "vary with a unit START does not share" "$ksim" sweep "$root/scenarios/s1-safe-config.yaml" \
  --seeds 1..1 --vary 'producers[0].rate=500ms..1500:500/s'
expect_text "vary unit mismatch is explained" "$work/err" "must have STEP's unit"
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..7 --json >"$work/full.json"
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..7 --shard 1/2 --json >"$work/a.json"
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..7 --shard 2/2 --json >"$work/b.json"
"$ksim" merge "$work/b.json" "$work/a.json" --json >"$work/merged.json"
if cmp -s "$work/full.json" "$work/merged.json"; then echo "ok   merge(shards) == unsharded"; passes=$((passes + 1)); else
  echo "FAIL merge(shards) differs from the unsharded sweep"; failures=$((failures + 1)); fi
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..6 -j 2 --json >"$work/parallel.json"
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..6 -j 1 --json >"$work/sequential.json"
if cmp -s "$work/parallel.json" "$work/sequential.json"; then echo "ok   -j 2 == -j 1"; passes=$((passes + 1)); else
  echo "FAIL -j 2 differs from -j 1"; failures=$((failures + 1)); fi

# A run stopped at a bound proves nothing: inconclusive everywhere, exit 4, with the reason.
bound="$here/stopped-at-a-bound.yaml"
expect_exit 4 "run stopped by limits.max_events is inconclusive" "$ksim" run "$bound"
expect_text "run names the bound and the simulated time" "$work/out" "INCONCLUSIVE at-least-once seed 1: stopped at the event limit (limits.max_events = 500) at "
expect_text "the guarantee row says inconclusive, not held" "$work/out" "INCONCLUSIVE (1 seed)"
expect_exit 4 "run stopped by limits.max_time is inconclusive" "$ksim" run "$bound" --set limits.max_events=50000000 --set limits.max_time=300ms
expect_text "time limit named" "$work/out" "stopped at the time limit (limits.max_time = 0.300 s) at "
expect_exit 4 "run stopped by the drain bound is inconclusive" "$ksim" run "$bound" --set limits.max_events=50000000 --set duration=200ms --set drain=1ms
expect_text "drain bound named with what it waited for" "$work/out" "before the drain completed; the drain was waiting for: app-0 has "
expect_exit 4 "check of an expectation on inconclusive runs" "$ksim" check "$bound" --report-dir "$work/bound-reports"
expect_text "check says inconclusive with the reason" "$work/out" "INCONCLUSIVE stopped-at-a-bound [at-least-once] lost == 0 (every-seed, 0 seeds): 2 runs did not complete; seed 1 stopped at the event limit"
expect_text "junit.xml fails it as inconclusive" "$work/bound-reports/junit.xml" 'type="Inconclusive"'
expect_text "summary.md lists the inconclusive runs" "$work/bound-reports/summary.md" "**Inconclusive runs**"
expect_text "report.html shows them" "$work/bound-reports/report.html" "Inconclusive runs"
expect_text "results.json carries the verdict" "$work/bound-reports/results.json" '"verdict": "inconclusive"'
expect_text "results.json carries the reason" "$work/bound-reports/results.json" '"inconclusive_reason": "stopped at the event limit'
expect_exit 4 "sweep counts inconclusive seeds" "$ksim" sweep "$bound" --seeds 1..3 --json
expect_text "sweep aggregate of inconclusive runs" "$work/out" '"inconclusive_runs": 3'
expect_exit 0 "the same scenario completes and holds with the limit raised" "$ksim" check "$bound" --set limits.max_events=50000000
expect_text "a complete run is judged as before" "$work/out" "PASS stopped-at-a-bound [at-least-once] lost == 0 (every-seed, 2 seeds)"
expect_exit 1 "a failure wins over inconclusive" "$ksim" check "$here/failing-expectation.yaml" "$bound"

# Only the modes that ran: `run --mode M` shows and carries M alone, not the file's other
# modes as columns of zeros, nor their expectations.
expect_exit 0 "run of one mode" "$ksim" run "$root/scenarios/example-my-service.yaml" --mode at-least-once --json
tr -d ' \n' <"$work/out" >"$work/flat"
expect_text "its JSON lists that mode alone" "$work/flat" '"modes":["at-least-once"]'
if grep -q '"at-most-once"' "$work/out"; then
  echo "FAIL: run --mode at-least-once carries another mode"; failures=$((failures + 1))
else
  passes=$((passes + 1))
fi

# ksim shrink: a failing run shrinks to a file that fails the same way under `check`, the
# same bytes twice (the file names its own path, so both are written as shrunk.yaml);
# a run that does not fail writes nothing and exits 0; bad flags exit 2 before any search.
failing="$root/tests/shrink/acks-1-leader-crash.yaml"
mkdir -p "$work/s1" "$work/s2"
ksim_path=$(cd "$(dirname "$ksim")" && pwd)/$(basename "$ksim")
expect_exit 0 "shrink a failing run" bash -c "cd '$work/s1' && '$ksim_path' shrink '$failing' --seed 1 --out shrunk.yaml"
expect_text "shrink prints the sizes" "$work/out" "before: 4 faults, 1100 messages, 8 nodes"
expect_text "shrink prints the replay command" "$work/out" "replay: ksim run shrunk.yaml --seed 1 --mode as-configured"
expect_text "the file says what it reproduces" "$work/s1/shrunk.yaml" "# Reproduces, mode as-configured seed 1: expectation \`lost == 0\` broken"
expect_exit 1 "the shrunk file fails check the same way" "$ksim" check "$work/s1/shrunk.yaml"
expect_text "on the same counter" "$work/out" "lost == 0 (every-seed"
expect_exit 0 "shrink again" bash -c "cd '$work/s2' && '$ksim_path' shrink '$failing' --seed 1 --out shrunk.yaml"
if cmp -s "$work/s1/shrunk.yaml" "$work/s2/shrunk.yaml"; then
  echo "ok   two shrinks write the same bytes"; passes=$((passes + 1))
else
  echo "FAIL two shrinks differ"; diff "$work/s1/shrunk.yaml" "$work/s2/shrunk.yaml" | head; failures=$((failures + 1))
fi
# A budget spent before the first candidate (the original run alone takes longer than 1 ms)
# still writes a valid failing scenario, and says the search was cut.
expect_exit 0 "shrink with a tiny time budget" "$ksim" shrink "$failing" --seed 1 --time-budget 1ms --out "$work/cut.yaml"
expect_text "the cut is said" "$work/out" "stopped at the time budget"
expect_text "and written in the file" "$work/cut.yaml" "# The search stopped at its budget"
expect_exit 1 "the cut file still fails" "$ksim" check "$work/cut.yaml"
expect_exit 0 "shrink of a run that does not fail" "$ksim" shrink "$root/scenarios/s1-safe-config.yaml" --seed 1 --out "$work/none-shrunk.yaml"
expect_text "it says there is nothing to shrink" "$work/out" "nothing to shrink, no file written"
if [[ -e "$work/none-shrunk.yaml" ]]; then
  echo "FAIL shrink wrote a file for a run that does not fail"; failures=$((failures + 1))
else
  passes=$((passes + 1))
fi
expect_exit 2 "shrink with an unknown mode" "$ksim" shrink "$failing" --seed 1 --mode sometimes --out "$work/x.yaml"
expect_exit 2 "shrink with an unknown counter" "$ksim" shrink "$failing" --seed 1 --counter lots --out "$work/x.yaml"
expect_text "the unknown counter is named" "$work/err" 'unknown counter "lots"'
expect_exit 2 "shrink with a bad seed" "$ksim" shrink "$failing" --seed abc --out "$work/x.yaml"
expect_exit 2 "shrink without a seed" "$ksim" shrink "$failing" --out "$work/x.yaml"
expect_exit 2 "shrink to an unwritable place" "$ksim" shrink "$failing" --seed 1 --out "$work/no/such/folder/x.yaml"
expect_text "the unwritable --out is named" "$work/err" "--out: cannot write: folder"
expect_exit 2 "shrink with a bad time budget" "$ksim" shrink "$failing" --seed 1 --time-budget soon --out "$work/x.yaml"
# Kafka .properties files (config_file): keys ksim does not model are warnings on stderr
# (the run goes on), misspelt ones and bad values errors at the file's own line and column.
expect_exit 0 "a scenario with .properties files validates" "$ksim" validate "$root/scenarios/kafka-properties-files.yaml"
expect_text "validate counts the warnings" "$work/out" "kafka-properties-files.yaml: valid (4 warnings)"
expect_text "a warning names the key and its file:line" "$work/err" \
  'scenarios/properties/server.properties:4:1: warning: cluster.config: ksim does not model "node.id"; ignored'
mkdir -p "$work/props"
printf 'version: 1\nname: p\ncluster: {brokers: 1}\nproducers:\n  - messages: 10\n    config_file: p.properties\n' >"$work/props/s.yaml"
printf '# mine\nacks=all\n  lingr.ms = 5\n' >"$work/props/p.properties"
expect_exit 2 "a misspelt key in a properties file" "$ksim" validate "$work/props/s.yaml"
expect_text "it is named at the file's line and column" "$work/err" \
  'props/p.properties:3:3: producers[0].config: unknown key "lingr.ms"; did you mean "linger.ms"?'
printf 'acks=\\\n  most\n' >"$work/props/p.properties"
expect_exit 2 "a bad value in a properties file" "$ksim" run "$work/props/s.yaml"
expect_text "it is named at the value's line and column" "$work/err" \
  'props/p.properties:2:3: producers[0].config.acks: expected one of 0, 1, all, -1, got "most"'
printf 'acks=all\n\x00' >"$work/props/p.properties"
expect_exit 2 "a binary properties file" "$ksim" validate "$work/props/s.yaml"
expect_text "its bad byte is placed" "$work/err" "props/p.properties:2:1: not a text file (NUL byte or invalid UTF-8)"
rm "$work/props/p.properties"
expect_exit 2 "a missing properties file" "$ksim" validate "$work/props/s.yaml"
expect_text "it is named where the scenario names it" "$work/err" \
  'props/s.yaml:6:18: producers[0].config_file: cannot read "'
head -c 1100000 /dev/zero | tr '\0' 'a' >"$work/props/p.properties"
expect_exit 2 "a huge properties file" "$ksim" validate "$work/props/s.yaml"
expect_text "its size is refused" "$work/err" "properties files are limited to 1 MiB"

# --set on keys the file does not have: dotted names outside config, missing maps.
s1="$root/scenarios/s1-safe-config.yaml"
expect_exit 0 "--set creates a dotted key in a list element" "$ksim" validate "$s1" --set consumers[0].processing.time=2ms
expect_exit 0 "--set creates a missing map" "$ksim" validate "$s1" --set limits.max_events=2000
expect_exit 0 "--set creates a Kafka name in config" "$ksim" validate "$s1" --set producers[0].config.linger.ms=5
expect_exit 4 "a created limit takes effect" "$ksim" run "$s1" --set limits.max_events=2000
expect_exit 2 "a created key is validated" "$ksim" validate "$s1" --set consumers[0].processing.time=soon
expect_text "its error names the key" "$work/err" 'consumers[0].processing.time: expected a duration such as 250ms, got "soon"'
expect_exit 2 "a created unknown key is refused" "$ksim" validate "$s1" --set limits.max_event=5
expect_text "with a did-you-mean" "$work/err" 'limits: unknown key "max_event"; did you mean "max_events"?'

# ksim swarm: a weak configuration in range is found, written and shrunk (exit 1), the
# written variant fails `ksim run` on its own; the same runs give the same JSON at -j 1
# and -j 2, and shards together run exactly the unsharded runs; bad swarm: sections and
# flags exit 2, naming file:line:column.
weak="$root/tests/swarm/weak-acks.yaml"
expect_exit 1 "swarm finds the weak configuration" "$ksim" swarm "$weak" --runs 30 --shard 6/6 --out-dir "$work/sw"
expect_exit 1 "swarm over runs 1..30" "$ksim" swarm "$weak" --runs 30 --out-dir "$work/sw"
expect_text "swarm counts the failure by kind" "$work/out" "guarantee lost"
expect_text "swarm prints the replay command" "$work/out" "replay:  ksim run $work/sw/weak-acks-run27-shrunk.yaml --seed 27 --mode at-least-once"
expect_exit 1 "the written variant fails on its own" "$ksim" run "$work/sw/weak-acks-run27.yaml"
expect_exit 1 "swarm --json at -j 1" "$ksim" swarm "$weak" --runs 30 --out-dir "$work/sw" --json -j 1
sed "s#$work/sw##g" "$work/out" >"$work/j1.json"
expect_exit 1 "swarm --json at -j 2" "$ksim" swarm "$weak" --runs 30 --out-dir "$work/sw" --json -j 2
sed "s#$work/sw##g" "$work/out" >"$work/j2.json"
if cmp -s "$work/j1.json" "$work/j2.json"; then
  echo "ok   swarm finds the same at -j 1 and -j 2"; passes=$((passes + 1))
else
  echo "FAIL swarm differs between -j 1 and -j 2"; diff "$work/j1.json" "$work/j2.json" | head; failures=$((failures + 1))
fi
expect_exit 1 "swarm shard 2/2" "$ksim" swarm "$weak" --runs 30 --shard 2/2 --out-dir "$work/sw"
expect_text "shard 2/2 runs the second half" "$work/out" "15 runs (16..30)"
expect_exit 0 "swarm shard 1/2 finds nothing there" "$ksim" swarm "$weak" --runs 30 --shard 1/2 --out-dir "$work/sw"
expect_text "shard 1/2 runs the first half" "$work/out" "15 runs (1..15)"
general="$root/tests/swarm/general-base.yaml"
expect_exit 0 "swarm over the general base holds" "$ksim" swarm "$general" --runs 20 -j 2 --out-dir "$work/sw-general"
expect_exit 0 "swarm for a time" "$ksim" swarm "$general" --time 1s --out-dir "$work/sw-general"
sed '/^swarm:/,$d' "$weak" >"$work/bad-swarm.yaml"
printf 'swarm:\n  brokers: 2..4\n  replication.factor: 5..5\n' >>"$work/bad-swarm.yaml"
expect_exit 2 "swarm with a replication factor above the brokers" "$ksim" swarm "$work/bad-swarm.yaml" --runs 3
line=$(grep -n "replication.factor: 5" "$work/bad-swarm.yaml" | cut -d: -f1)
expect_text "it is named by file:line:column" "$work/err" "bad-swarm.yaml:$line:23: swarm.replication.factor: its minimum 5 is above"
sed -i 's/  brokers: 2..4/  brokers: 4..2/' "$work/bad-swarm.yaml"
expect_exit 2 "swarm with an empty range" "$ksim" swarm "$work/bad-swarm.yaml" --runs 3
expect_text "the empty range is named" "$work/err" "swarm.brokers: empty range"
expect_exit 2 "swarm without --runs or --time" "$ksim" swarm "$weak"
expect_exit 2 "swarm with --runs and --time" "$ksim" swarm "$weak" --runs 3 --time 1s
expect_exit 2 "swarm with --time and --shard" "$ksim" swarm "$weak" --time 1s --shard 1/2
expect_exit 2 "swarm with a bad shard" "$ksim" swarm "$weak" --runs 3 --shard 3/2
expect_exit 2 "swarm with a bad shrink budget" "$ksim" swarm "$weak" --runs 3 --shrink-budget soon
expect_exit 2 "swarm into a file" "$ksim" swarm "$weak" --runs 3 --out-dir "$weak"
expect_exit 0 "a base with a swarm: section is a scenario too" "$ksim" validate "$weak"
# Client histories: exported by run, judged by check-history; a cut one refused at its line.
expect_exit 0 "run writes its client history" "$ksim" run "$root/scenarios/a10-failed-but-delivered.yaml" --mode at-least-once --history-out "$work/h.jsonl"
expect_text "run says where the client history went" "$work/err" "client history of at-least-once seed 1 written to"
expect_exit 0 "check-history judges it" "$ksim" check-history "$work/h.jsonl"
expect_text "check-history marks broker-side counters unavailable" "$work/out" "log_duplicates                                     n/a"
expect_exit 0 "check-history --json" "$ksim" check-history "$work/h.jsonl" --json
expect_text "check-history --json has null for what it cannot know" "$work/out" '"kafka_promises_broken": null'
head -c 3000 "$work/h.jsonl" >"$work/cut.jsonl"
expect_exit 2 "a cut history is refused" "$ksim" check-history "$work/cut.jsonl"
expect_text "the refusal names file and line" "$work/err" "cut.jsonl:"
expect_text "and says it was not judged" "$work/err" "the history was not judged"

# Typed results model (sim/run): a merge of --vary shards equals the unsharded --vary sweep,
# curves included (each shard's curves cover only its seeds; the merge recomputes them).
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..3 --vary 'network.loss=0..0.02:0.02' --json >"$work/vfull.json"
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..3 --vary 'network.loss=0..0.02:0.02' --shard 2/2 --json >"$work/vb.json"
"$ksim" sweep "$root/scenarios/s1-safe-config.yaml" --seeds 1..3 --vary 'network.loss=0..0.02:0.02' --shard 1/2 --json >"$work/va.json"
"$ksim" merge "$work/vb.json" "$work/va.json" --json >"$work/vmerged.json"
if cmp -s "$work/vfull.json" "$work/vmerged.json"; then echo "ok   merge(vary shards) == unsharded vary sweep"; passes=$((passes + 1)); else
  echo "FAIL merge(vary shards) differs from the unsharded vary sweep"; failures=$((failures + 1)); fi
python3 - "$work/vb.json" "$work/vbad.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1])); doc["scenarios"][0]["expectations"].append({"mode": "at-least-once", "counter": "lost", "bound": "about 3", "quantifier": "every-seed"})
json.dump(doc, open(sys.argv[2], "w"))
PY
expect_exit 2 "merge refuses a bound it cannot parse" "$ksim" merge "$work/vbad.json"
expect_text "and names the bound" "$work/err" "about 3"
# Issue 14 (helper zk): the cause names of the narratives, and the 0.10.2 drain that never
# completed (a follower ahead of a leader that lost its tail retried OFFSET_OUT_OF_RANGE).
expect_exit 0 "KIP-966 before: the election is named" "$ksim" run "$root/scenarios/history/kip966-last-replica-standing-before.yaml"
expect_text "cause power-lost-leader-elected" "$work/out" "lost because: power-lost-leader-elected"
expect_text "the explanation names the election and the survivors' truncation" "$work/out" "which still held it, truncated it away"
expect_exit 0 "Jepsen 2013 before" "$ksim" run "$root/scenarios/history/jepsen-2013-isr-shrink-before.yaml"
expect_text "cause unclean-election" "$work/out" "lost because: unclean-election"
expect_exit 0 "KIP-98 zombie before" "$ksim" run "$root/scenarios/history/kip98-zombie-producer-before.yaml"
expect_text "cause producer-retry-duplicate" "$work/out" "duplicated because: producer-retry-duplicate"
sed '/^expect:/,$d' "$root/scenarios/example-my-service.yaml" >"$work/zk-0102.yaml"
echo 'modes: [at-most-once]' >>"$work/zk-0102.yaml"
# Exit 0: the follower ahead of its leader still truncates to the leader's log end twice
# (probe leader_log_end_truncation); the commits once lost with the offsets partition, which
# broke at-most-once's promise (exit 1), survive since each machine writes back on its own
# clock (broker-2 before its power failure at 2.945 s). What matters here is that the run is
# no longer inconclusive (exit 4) and no cause unknown.
expect_exit 0 "0.10.2 nemesis seed 20 completes its drain" "$ksim" run "$work/zk-0102.yaml" --seed 20 \
  --set nemesis.targets=all --set nemesis.crash=20/min --set nemesis.power-failure=10/min --set nemesis.pause=20/min \
  --set nemesis.partition=10/min --set nemesis.duration=500ms --set cluster.kafka.version=0.10.2
if grep -qE "INCONCLUSIVE|unknown [0-9]" "$work/out"; then
  echo "FAIL 0.10.2 seed 20 is still inconclusive"; failures=$((failures + 1))
else
  passes=$((passes + 1))
fi
# Coverage probes (issue 17 item 3): counted per run, summed, never-hit listed, in every output.
expect_exit 0 "run shows the coverage probes" "$ksim" run "$root/scenarios/a03-unclean-election.yaml"
expect_text "a03 hits the unclean election once" "$work/out" "unclean_election 1/1"
expect_text "and lists the probes never hit" "$work/out" "never hit: elr_election"
expect_exit 0 "run --json carries them" "$ksim" run "$root/scenarios/a03-unclean-election.yaml" --json
expect_text "per run" "$work/out" '"unclean_election": 1'
expect_text "and as a coverage table" "$work/out" '"never_hit": ['
expect_exit 0 "swarm --json carries the coverage of its runs" "$ksim" swarm "$general" --runs 2 --json --out-dir "$work/sw-probes"
expect_text "the coverage table of all 21 probes" "$work/out" '"of": 21'

# Swarm shards merged (issue 17): byte for byte the unsharded swarm's document, probes included.
expect_exit 0 "swarm of 40 runs" "$ksim" swarm "$general" --runs 40 --json --out-dir "$work/sw-merge"
cp "$work/out" "$work/swarm-full.json"
expect_exit 0 "its first shard" "$ksim" swarm "$general" --runs 40 --shard 1/2 --json --out-dir "$work/sw-merge"
cp "$work/out" "$work/swarm-1.json"
expect_exit 0 "its second shard" "$ksim" swarm "$general" --runs 40 --shard 2/2 --json --out-dir "$work/sw-merge"
cp "$work/out" "$work/swarm-2.json"
expect_exit 0 "merge of the swarm shards, in any order" "$ksim" merge "$work/swarm-2.json" "$work/swarm-1.json"
if cmp -s "$work/out" "$work/swarm-full.json"; then
  echo "ok   merged swarm shards are the unsharded swarm, byte for byte"; passes=$((passes + 1))
else
  echo "FAIL merged swarm shards differ from the unsharded swarm"; failures=$((failures + 1))
fi
expect_exit 2 "a swarm shard merged with a results file" "$ksim" merge "$work/swarm-1.json" "$root/scenarios/a03-unclean-election.yaml"
expect_text "the other file is named" "$work/err" "not a ksim swarm document"
# Issue 19 (perf): bench partitions over a folder, the core bench against its plain binary heap.
mkdir -p "$work/bench-small"
cp "$root/bench/1-partitions-12.yaml" "$work/bench-small/"
expect_exit 0 "bench partitions over a folder" "$ksim" bench partitions --inputs "$work/bench-small" --repeat 1
expect_text "bench partitions names brokers, partitions and messages" "$work/out" "12 brokers, 12 partitions, 40000 messages"
expect_text "bench partitions splits the work from its cost" "$work/out" "protocol messages per message (1.00x)"
expect_exit 2 "bench partitions without its folder" "$ksim" bench partitions --inputs "$work/no-such-folder"
expect_text "the missing folder is named" "$work/err" "no-such-folder: no such folder of bench scenarios"
printf 'version: 1\nname: x\nbrokers: 3\n' >"$work/bench-small/2-bad.yaml"
expect_exit 2 "bench partitions with a bad file" "$ksim" bench partitions --inputs "$work/bench-small" --repeat 1
expect_text "the bad file is named" "$work/err" "2-bad.yaml:"
expect_exit 0 "bench core with its baseline" "$ksim" bench core --pending 1000 --events 20000 --repeat 1
expect_text "bench core compares with the plain heap" "$work/out" "vs heap"
# Issue 15 items 1-4: pinned replica assignment, faults by role, by event, on link sets.
pinned="$root/scenarios/leader-crash-on-cue.yaml"
expect_exit 0 "a pinned assignment, a role target and an event trigger validate" "$ksim" validate "$pinned"
expect_exit 0 "the role-targeted, event-triggered scenario runs" "$ksim" run "$pinned" --mode at-least-once --seed 1 --report-dir "$work/roles"
expect_text "the timeline names the role a crash resolved" "$work/roles/report.html" "crash on broker-1 (leader of orders-0)"
expect_text "and draws the network fault" "$work/roles/report.html" "network cut on all nodes"
for bad in "1:2:4,2:3:1,3:1:2|names broker 4, which does not exist" "1:2:2,2:3:1,3:1:2|lists broker 2 twice" \
           "1:2:3,2:3,3:1:2|has 2 replicas but partition 0 has 3" "1:x:3|is not a broker id"; do
  sed "s/replica.assignment: .*/replica.assignment: \"${bad%%|*}\"/" "$pinned" >"$work/bad-assignment.yaml"
  expect_exit 2 "replica.assignment ${bad%%|*} is refused" "$ksim" validate "$work/bad-assignment.yaml"
  line=$(grep -n "replica\.assignment:" "$work/bad-assignment.yaml" | cut -d: -f1)
  expect_text "it is named at its line ($line)" "$work/err" "bad-assignment.yaml:$line:"
  expect_text "with the reason" "$work/err" "${bad##*|}"
done
sed 's/replica.assignment: .*/replica.assignment: "1:2:3,2:3:1,3:1:2"\n      partitions: 2/' "$pinned" >"$work/bad-count.yaml"
expect_exit 2 "partitions unequal to the pinned lists" "$ksim" validate "$work/bad-count.yaml"
expect_text "the count is named" "$work/err" "partitions: is 2 but replica.assignment lists 3 partitions"
sed 's/leader-of: orders-0/leader-of: orders-7/' "$pinned" >"$work/bad-role.yaml"
expect_exit 2 "a role naming no such partition" "$ksim" validate "$work/bad-role.yaml"
expect_text "the partition is named with the valid ones" "$work/err" 'no partition "orders-7"; the topic'"'"'s partitions are orders-0..orders-2'
sed 's/coordinator-of-group: billing/coordinator-of-group: payroll/' "$pinned" >"$work/bad-group.yaml"
expect_exit 2 "a role naming no such group" "$ksim" validate "$work/bad-group.yaml"
expect_text "the group is named" "$work/err" 'no consumer group "payroll"'
sed 's/target: {leader-of: orders-0}/target: controller/' "$pinned" >"$work/controller-role.yaml"
expect_exit 0 "crashing the active controller by role (issue 18: controllers fail)" "$ksim" validate "$work/controller-role.yaml"
sed 's/count: 1000/count: 999999/' "$pinned" >"$work/never.yaml"
expect_exit 0 "a when that can never fire still validates" "$ksim" validate "$work/never.yaml"
grep -q "never fires: the producers send 3000 messages" "$work/out" "$work/err" \
  && { echo "ok   a when that can never fire is warned about"; passes=$((passes + 1)); } \
  || { echo "FAIL no warning for a when that can never fire"; failures=$((failures + 1)); }
sed 's/event: acknowledged-sends, count: 1000/event: isr-shrink, partition: orders-0, size: 3/' "$pinned" >"$work/never-isr.yaml"
expect_exit 0 "an ISR shrink to the replication factor validates" "$ksim" validate "$work/never-isr.yaml"
grep -q "never fires: an ISR of replication.factor" "$work/out" "$work/err" \
  && { echo "ok   an impossible ISR shrink is warned about"; passes=$((passes + 1)); } \
  || { echo "FAIL no warning for an impossible ISR shrink"; failures=$((failures + 1)); }
cut="$root/scenarios/brokers-cut-from-each-other.yaml"
expect_exit 0 "network faults on link sets run" "$ksim" run "$cut" --mode at-least-once --seed 1
sed '0,/    cut: true/s//    cut: false/' "$cut" >"$work/no-effect.yaml"
expect_exit 2 "a network fault without an effect" "$ksim" validate "$work/no-effect.yaml"
expect_text "is refused" "$work/err" "a network fault needs an effect"
sed '0,/to: \[brokers\]/{s/to: \[brokers\]/to: [brokerz]/}' "$cut" >"$work/bad-set.yaml"
expect_exit 2 "an unknown node in a link set" "$ksim" validate "$work/bad-set.yaml"
expect_text "is named" "$work/err" 'unknown node or set "brokerz"'

# Several topics (issue 15 item 5): per-topic counters in the table and JSON; a client
# naming a topic the cluster does not list is exit 2 naming the place.
topics="$root/scenarios/two-topics.yaml"
# Exit 1: clicks (replication factor 1) loses acknowledged records, at-least-once is broken.
expect_exit 1 "a run with two topics" "$ksim" run "$topics" --mode at-least-once --seed 1
expect_text "shows the per-topic table" "$work/out" "clicks lost"
expect_exit 1 "a run with two topics as JSON" "$ksim" run "$topics" --mode at-least-once --seed 1 --json
expect_text "has per-topic counters in JSON" "$work/out" '"topics"'
sed 's/    clicks.duplicated: 0/    clicks.lost: 0/' "$topics" >"$work/topic-bound.yaml"
expect_exit 1 "a per-topic bound that does not hold" "$ksim" check "$work/topic-bound.yaml"
expect_text "fails naming the topic's counter" "$work/out" "clicks.lost == 0"
sed 's/    topic: clicks/    topic: clickz/' "$topics" >"$work/bad-topic.yaml"
expect_exit 2 "a client naming an unknown topic" "$ksim" validate "$work/bad-topic.yaml"
expect_text "is named with its place" "$work/err" 'bad-topic.yaml:42:12: producers[1].topic: unknown topic "clickz"'
# Issue 16 items 2-3 (jep): Jepsen's history.edn judged directly and converted; a bad one refused at its line.
golden="$root/tests/golden/jepsen-kafka"
expect_exit 0 "check-history reads Jepsen's history.edn" "$ksim" check-history "$golden/g1c-pure-wr.edn"
expect_text "a G1c cycle is written out" "$work/out" "G1c (as-configured seed 0): T1 = p0 transaction 0"
expect_exit 0 "convert-history writes a client history" "$ksim" convert-history "$golden/recorded-shape.edn" --out "$work/converted.jsonl"
expect_exit 0 "check-history --format jsonl judges the conversion" "$ksim" check-history "$work/converted.jsonl" --format jsonl --json
expect_text "the conversion keeps the anomalies" "$work/out" '"G1a": 1'
cp "$golden/recorded-shape.edn" "$work/history-edn.txt"
expect_exit 0 "--format edn reads any file name" "$ksim" check-history "$work/history-edn.txt" --format edn
printf '{:type :invoke, :f :send, :process 0, :value [[:send 1 2]]}\n{:type :ok, :f :send, :process 0, :value [[:send 1 [0 2]]\n' >"$work/bad.edn"
expect_exit 2 "a bad history.edn is refused" "$ksim" check-history "$work/bad.edn"
expect_text "at its line" "$work/err" "bad.edn:2: not EDN (column"
expect_exit 2 "convert-history refuses it too" "$ksim" convert-history "$work/bad.edn"
# Issue 14 (helper ver): `ksim check FOLDER` and `ksim scenarios` read sub-folders (the
# documented narratives are in scenarios/history/), in path order.
mkdir -p "$work/walk/history" "$work/walk/empty"
cp "$root/scenarios/a01-acks-0-leader-crash.yaml" "$work/walk/"
sed 's/^name: .*/name: walk-nested/' "$root/scenarios/a07-retry-duplicates.yaml" >"$work/walk/history/nested.yaml"
expect_exit 0 "check reads a folder's sub-folders" "$ksim" check "$work/walk" --seeds 1 -j 2
expect_text "the nested scenario is checked" "$work/out" "walk-nested"
expect_text "the top-level one too" "$work/out" "a01-acks-0-leader-crash"
expect_exit 2 "a folder without scenarios at any depth" "$ksim" check "$work/walk/empty"
expect_text "is named" "$work/err" "folder holds no .yaml or .yml scenario files"
expect_exit 0 "ksim scenarios lists the history folder" "$ksim" scenarios
expect_text "with its relative path" "$work/out" "  history/kip279-fast-leader-changes-before.yaml"
# KIP-279 per version: the knob against the version.
k279="$root/scenarios/history/kip279-fast-leader-changes-before.yaml"
expect_exit 2 "leader-epoch (KIP-279) on 1.1" "$ksim" validate "$k279" --set cluster.config.log.truncation=leader-epoch
expect_text "names KIP-279 and the version" "$work/err" "KIP-279, KAFKA-6361"
expect_exit 2 "leader-epoch-kip101 on 0.10.2" "$ksim" validate "$k279" --set cluster.kafka.version=0.10.2 \
  --set cluster.config.log.truncation=leader-epoch-kip101
expect_text "names KIP-101" "$work/err" "KIP-101"
expect_exit 0 "leader-epoch-kip101 on 2.0 (an older inter.broker.protocol.version)" "$ksim" validate "$k279" \
  --set cluster.kafka.version=2.0 --set cluster.config.log.truncation=leader-epoch-kip101
# KIP-320 per consumer version: log.truncation.detection takes true or false, and true only
# where the client (2.3+) and the brokers (2.1+) had it; false on a newer client keeps an
# older consumer's behaviour. Errors name the file's line and column.
k320="$root/scenarios/history/kip320-consumer-detects-truncation-before.yaml"
expect_exit 0 "detection off on the default version" "$ksim" validate "$k320"
expect_exit 2 "a detection value that does not exist" "$ksim" validate "$k320" \
  --set consumers[0].config.log.truncation.detection=maybe
expect_text "is refused at the key" "$work/err" "consumers[0].config.log.truncation.detection"
sed 's/      log.truncation.detection: false/      log.truncation.detection: true/; s/^  - name: billing$/  - name: billing\n    client.version: "2.2"/' \
  "$k320" >"$work/k320-on-2.2.yaml"
expect_exit 2 "detection on a 2.2 client" "$ksim" validate "$work/k320-on-2.2.yaml"
expect_text "names the file, line and column, KIP-320 and 2.3" "$work/err" \
  'k320-on-2.2.yaml:55:33: consumers[0].config.log.truncation.detection: consumer truncation detection came with KIP-320, KAFKA-7440 and KAFKA-7747 in Kafka 2.3'
expect_exit 2 "detection on against 2.0 brokers" "$ksim" validate "$k320" --set cluster.kafka.version=2.0 \
  --set consumers[0].client.version=3.9 --set consumers[0].config.log.truncation.detection=true
expect_text "names KIP-320's broker side" "$work/err" "KAFKA-7395 in Kafka 2.1"
expect_exit 0 "detection off on a 3.9 client" "$ksim" validate "$k320" --set consumers[0].client.version=3.9
# Issue 18 items 1 and 4: the KRaft controller quorum's bad input and faults on controllers.
quorum="$root/scenarios/kraft-controller-failover.yaml"
expect_exit 0 "a quorum of three validates" "$ksim" validate "$quorum"
sed 's/controllers: 3/controllers: 0/' "$quorum" >"$work/no-controllers.yaml"
expect_exit 2 "zero controllers" "$ksim" validate "$work/no-controllers.yaml"
expect_text "are refused with the bound" "$work/err" 'must be between 1 and 9, got "0"'
expect_text "with the key's path" "$work/err" "cluster.controllers"
grep -qE 'no-controllers.yaml:[0-9]+:[0-9]+' "$work/err" \
  && { echo "ok   zero controllers named with file:line:column"; passes=$((passes + 1)); } \
  || { echo "FAIL zero controllers without file:line:column"; cat "$work/err"; failures=$((failures + 1)); }
sed 's/controllers: 3/controllers: 10/' "$quorum" >"$work/many-controllers.yaml"
expect_exit 2 "ten controllers (the bound is 9)" "$ksim" validate "$work/many-controllers.yaml"
sed 's/controllers: 3/controllers: three/' "$quorum" >"$work/word-controllers.yaml"
expect_exit 2 "controllers that is no number" "$ksim" validate "$work/word-controllers.yaml"
sed 's/controllers: 3/controllers: 4/' "$quorum" >"$work/even-controllers.yaml"
expect_exit 0 "an even quorum is accepted, as Kafka accepts it" "$ksim" validate "$work/even-controllers.yaml"
grep -q "a majority is 3, so the quorum survives 1 failure" "$work/out" "$work/err" \
  && { echo "ok   an even quorum is warned about"; passes=$((passes + 1)); } \
  || { echo "FAIL no warning for an even quorum"; cat "$work/err"; failures=$((failures + 1)); }
sed 's/    target: controller/    targets: [controller-4]/' "$quorum" >"$work/no-such-controller.yaml"
expect_exit 2 "a controller that does not exist" "$ksim" validate "$work/no-such-controller.yaml"
expect_text "is named" "$work/err" 'unknown node "controller-4"'
sed 's/    target: controller/    targets: [controller-2]/' "$quorum" >"$work/named-controller.yaml"
expect_exit 0 "a controller crashed by name" "$ksim" validate "$work/named-controller.yaml"
sed '0,/kind: crash/s//kind: controlled-shutdown/' "$quorum" >"$work/shutdown-controller.yaml"
expect_exit 2 "a controlled shutdown of the controller" "$ksim" validate "$work/shutdown-controller.yaml"
expect_text "is refused with the reason" "$work/err" "applies to brokers, not the controller"
expect_exit 0 "a controller failover runs" "$ksim" run "$quorum" --mode exactly-once --seed 1

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
