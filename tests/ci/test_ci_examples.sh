#!/usr/bin/env bash
# The CI workflow files of examples/ci (issue 20 item 6) parse as YAML (python3-yaml), and
# every ksim command in them exists: its subcommand in `ksim --help`, each of its flags in
# `ksim <subcommand> --help`. Exit 77 (skipped) without python3-yaml.
# Usage: test_ci_examples.sh KSIM EXAMPLES_DIR
set -euo pipefail
ksim=$1
examples=$2
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import yaml' 2>/dev/null; then python=$candidate; break; fi
done
[[ -n "$python" ]] || { echo "skipped: python3-yaml is not installed"; exit 77; }

"$python" - "$ksim" "$examples" <<'PY'
import glob, re, subprocess, sys
import yaml

ksim, examples = sys.argv[1], sys.argv[2]
def help_of(*args):
    return subprocess.run([ksim, *args, "--help"], capture_output=True, text=True, check=True).stdout

top = help_of()
subcommands = set(re.findall(r"^  ([a-z][a-z-]*)\s", re.split(r"(?i)subcommands:", top)[-1], re.M))
assert {"check", "sweep", "merge", "schema"} <= subcommands, subcommands

SHELL_KEYS = {"run", "script", "before_script", "after_script"}  # GitHub Actions steps, GitLab CI jobs

def shell_lines(node, shell=False):
    """The shell commands of a workflow: strings under a run/script key, at any depth."""
    if isinstance(node, str):
        if shell:
            yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from shell_lines(value, shell or key in SHELL_KEYS)
    elif isinstance(node, list):
        for value in node:
            yield from shell_lines(value, shell)

def check(path):
    failures, seen = [], 0
    document = yaml.safe_load(open(path))
    assert isinstance(document, dict) and document, f"{path}: not a YAML map"
    for text in shell_lines(document):
        # The words after `ksim` up to a redirection, pipe or command separator.
        for match in re.finditer(r"(?:^|[\s;&|(])ksim\s+([^\n;&|>]*)", text):
            words = [w.strip("\"')") for w in match.group(1).split()]
            if not words:
                continue
            seen += 1
            command, flags = words[0], [w.split("=")[0] for w in words[1:] if w.startswith("-")]
            if command.startswith("-"):
                if command not in top:
                    failures.append(f"{path}: ksim {command}: no such option")
                continue
            if command not in subcommands:
                failures.append(f"{path}: ksim {command}: no such command")
                continue
            sub_help = help_of(command)
            for flag in flags:
                if not re.search(rf"(^|[\s,]){re.escape(flag)}[\s,]", sub_help):
                    failures.append(f"{path}: ksim {command} {flag}: no such flag")
    return failures, seen

# The checker itself catches a misspelt command and an unknown flag.
import os, tempfile
with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as bad:
    bad.write("jobs:\n  a:\n    steps:\n      - run: ksim chekc scenarios\n      - run: ksim check s --no-such-flag\n")
bad_failures, _ = check(bad.name)
os.unlink(bad.name)
assert len(bad_failures) == 2, f"the checker missed a broken command: {bad_failures}"

failures, seen = [], 0
files = sorted(glob.glob(f"{examples}/*.yml"))
assert len(files) >= 2, f"workflow files in {examples}: {files}"
for path in files:
    file_failures, file_seen = check(path)
    failures += file_failures
    seen += file_seen
    print(f"ok   {path}: parses; {file_seen} ksim command lines")
for failure in failures:
    print("FAIL", failure)
assert seen >= 6, "too few ksim commands found: the pattern is broken"
sys.exit(1 if failures else 0)
PY
