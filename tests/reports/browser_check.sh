#!/usr/bin/env bash
# Opens a report.html in headless chromium and checks what a reader would see:
#   - the DOM chromium builds has at least as many <svg> charts with child elements as
#     the report announces in <meta name="ksim-chart-count">;
#   - chromium logged no console error, uncaught exception or CSP violation (the one
#     script is the timeline's, allowed by its hash: anything else means something was
#     injected or mis-escaped), and that script ran (its timelines are marked "live");
#   - a person's use of the timeline, through the DevTools protocol (browser_click.py,
#     python3-websockets): a real click on a lost message's line opens its cause and
#     replay command, the wheel zooms with readable ticks, a cause filter hides it.
#     KSIM_SCREENSHOTS=PREFIX also saves PREFIX-overview.png and PREFIX-timeline.png.
# Exit 0 pass, 1 fail, 77 skipped (chromium not installed; ctest SKIP_RETURN_CODE).
# Usage: bash tests/reports/browser_check.sh REPORT.html
set -euo pipefail

report=${1:?usage: browser_check.sh REPORT.html}
[[ -f "$report" ]] || { echo "FAIL: no such report: $report" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
  echo "SKIPPED: chromium not installed (bash setup.sh test installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
url="file://$(realpath "$report")"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" \
  --enable-logging=stderr --v=0 --dump-dom "$url" >"$work/dom.html" 2>"$work/stderr.txt" || {
  echo "FAIL: chromium exited with an error" >&2
  cat "$work/stderr.txt" >&2
  exit 1
}

expected=$(grep -o '<meta name="ksim-chart-count" content="[0-9]*"' "$report" | grep -o '[0-9]*"$' | tr -d '"')
expected=${expected:-1}
# An <svg ...> immediately followed by a child element: a chart that rendered content.
drawn=$(grep -o '<svg[^>]*><[a-z]' "$work/dom.html" | wc -l)
echo "charts in the DOM: $drawn (expected at least $expected)"
status=0
if ((drawn < expected)); then
  echo "FAIL: fewer charts in the DOM than the report announces" >&2
  status=1
fi
scripts=$(grep -o '<script' "$work/dom.html" | wc -l)
if ((scripts != 1)); then
  echo "FAIL: the DOM has $scripts <script> elements, not the timeline's one" >&2
  status=1
fi
timelines=$(grep -o 'class="timeline-view' "$report" | wc -l)
live=$(grep -o 'class="timeline-view live"' "$work/dom.html" | wc -l)
if ((live != timelines)); then
  echo "FAIL: the timeline script ran on $live of $timelines timelines (refused by the policy?)" >&2
  status=1
fi
# Console messages reach stderr as "CONSOLE(line)] ..." lines; CSP refusals and uncaught
# exceptions are reported the same way.
if grep -E 'CONSOLE|Uncaught|Refused to' "$work/stderr.txt" >"$work/errors.txt"; then
  echo "FAIL: console errors while loading the report:" >&2
  cat "$work/errors.txt" >&2
  status=1
fi
# The click, zoom and filters: Debian's python3 with python3-websockets (setup.sh test).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import websockets' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [[ -z "$python" ]]; then
  echo "FAIL: python3-websockets is not installed (bash setup.sh test installs it); the click check cannot run" >&2
  status=1
elif ! timeout 180 "$python" "$(dirname "$0")/browser_click.py" "$browser" "$report" ${KSIM_SCREENSHOTS:+"$KSIM_SCREENSHOTS"}; then
  status=1
fi
((status == 0)) && echo "PASS: $report renders in chromium"
exit $status
