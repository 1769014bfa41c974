#!/usr/bin/env bash
# Progress of `ksim check` (issue 20 item 7): one line rewritten in place on a terminal
# (a pseudo-terminal from util-linux's `script`), plain lines in a log, nothing with --json.
# Usage: test_progress.sh KSIM SCENARIO_DIR
set -euo pipefail
ksim=$1
scenarios=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=("$scenarios/a01-acks-0-leader-crash.yaml" "$scenarios/a07-retry-duplicates.yaml")
fail() { echo "FAIL: $*" >&2; exit 1; }

# A log (stderr is a file): plain lines with runs done/total, rate and time left, no \r.
"$ksim" check "${files[@]}" -j 2 >"$work/out.txt" 2>"$work/err.txt" || true
total=$(grep -o '^[0-9]*/[0-9]* runs' "$work/err.txt" | tail -1 | cut -d/ -f2 | cut -d' ' -f1)
[[ -n "$total" ]] || fail "no progress line in a log: $(cat "$work/err.txt")"
grep -q "^$total/$total runs, [0-9.]* runs/s, [0-9]* s left (" "$work/err.txt" || fail "no final line with rate and time left"
grep -q $'\r' "$work/err.txt" && fail "a carriage return in a log"
lines=$(grep -c ' runs/s, ' "$work/err.txt")
((lines >= 2 && lines <= 12)) || fail "$lines progress lines in a log (expected about one per tenth of the runs)"
grep -q '^checking a01-acks-0-leader-crash (' "$work/err.txt" || fail "the scenario being checked is not named"
echo "ok   log: $lines plain lines up to $total/$total runs"

# --json: the document alone on stdout, no progress on stderr.
"$ksim" check "${files[@]}" -j 2 --json >"$work/json.txt" 2>"$work/json-err.txt" || true
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/json.txt" || fail "--json stdout is not one JSON document"
grep -q 'runs' "$work/json-err.txt" && fail "progress on stderr with --json: $(cat "$work/json-err.txt")"
echo "ok   --json: one JSON document, no progress"

# A terminal: one line redrawn with \r, the scenario's name on it, ended by a newline.
if ! command -v script >/dev/null; then
  echo "skipped: no \`script\` (util-linux) for a pseudo-terminal"
  exit 0
fi
script -qec "$ksim check ${files[*]} -j 2 >/dev/null" "$work/tty.txt" >/dev/null || true
grep -q $'\r\\[#*\\.*\\] [0-9]*/'"$total"' runs' "$work/tty.txt" || fail "no rewritten progress line on a terminal"
grep -q $'\r\\[#\\{30\\}\\] '"$total/$total"' runs, [0-9.]* runs/s, [0-9]* s left · a07-retry-duplicates' "$work/tty.txt" ||
  fail "the terminal line does not end at $total/$total with rate, time left and scenario"
grep -q "^$total/$total runs" "$work/tty.txt" && fail "plain log lines on a terminal"
echo "ok   terminal: one rewritten line, $total/$total runs at the end"
