#!/usr/bin/env python3
"""Drives report.html in headless Chromium through the DevTools protocol (python3-websockets)
and checks the timeline as a person uses it: a real mouse click (Input.dispatchMouseEvent,
hit-tested by the browser) on a lost message's line opens its cause and replay command;
zoom in gives finer readable ticks and moves the marks; a cause filter hides the message;
no console error, exception or CSP refusal. Optionally saves screenshots (overview, zoomed
timeline with the cause open) to look at.

Usage: browser_click.py CHROMIUM REPORT.html [SCREENSHOT_PREFIX]
Exit 0 pass, 1 fail."""
import asyncio, base64, json, os, re, signal, subprocess, sys, tempfile, time, urllib.request

import websockets

CHECK = r"""
(() => {
  const fig = document.querySelector('.timeline-view');
  if (!fig) return {skip: 'no timeline in this report'};
  if (!fig.classList.contains('live')) return {error: 'the timeline script did not run'};
  const g = fig.querySelector('.message.lost') || fig.querySelector('.message');
  g.scrollIntoView({block: 'center'});
  const hit = g.querySelector('polyline.hit'), svg = hit.ownerSVGElement;
  const a = hit.points.getItem(0), b = hit.points.getItem(1);
  const p = svg.createSVGPoint(); p.x = (a.x + b.x) / 2; p.y = (a.y + b.y) / 2;
  const c = p.matrixTransform(hit.getScreenCTM());
  // Lines of several messages may overlap there: the click belongs to the topmost one.
  const top = document.elementFromPoint(c.x, c.y), target = top && top.closest('.message');
  if (!target) return {error: 'no message line under the point to click'};
  return {x: c.x, y: c.y, id: target.dataset.id, cause: target.dataset.cause, replay: target.dataset.replay,
          ticks: [...fig.querySelectorAll('.tl-ticks text')].map(t => t.textContent)};
})()
"""
PANEL = r"""
(() => {
  const fig = document.querySelector('.timeline-view'), panel = fig.querySelector('.tl-detail');
  const g = fig.querySelector('.message.selected');
  return {shown: panel.dataset.shown || '', text: panel.textContent,
          mark: g ? g.querySelector('.ev').getAttribute('transform') : ''};
})()
"""
ZOOMED = r"""
(() => {
  const fig = document.querySelector('.timeline-view'), g = fig.querySelector('.message.selected');
  return {mark: g.querySelector('.ev').getAttribute('transform'), window: fig.querySelector('.tl-window').textContent,
          ticks: [...fig.querySelectorAll('.tl-ticks text')].map(t => t.textContent)};
})()
"""
FILTER = r"""
(() => {
  const fig = document.querySelector('.timeline-view'), g = fig.querySelector('.message.selected');
  const box = [...fig.querySelectorAll('.tl-filters input')].find(b => b.value === g.dataset.cause);
  box.click();
  const hidden = getComputedStyle(g).display === 'none';
  box.click();
  return {hidden: hidden, shown_again: getComputedStyle(g).display !== 'none'};
})()
"""


class Page:
    def __init__(self, ws):
        self.ws, self.next_id, self.events = ws, 0, []

    async def call(self, method, **params):
        self.next_id += 1
        await self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), 60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    async def evaluate(self, expression):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"]["value"]

    async def wait_for(self, method):
        while not any(e.get("method") == method for e in self.events):
            self.events.append(json.loads(await asyncio.wait_for(self.ws.recv(), 60)))

    async def screenshot(self, path, clip=None):
        params = {"format": "png", "captureBeyondViewport": True}
        if clip:
            params["clip"] = dict(clip, scale=1)
        data = await self.call("Page.captureScreenshot", **params)
        with open(path, "wb") as out:
            out.write(base64.b64decode(data["data"]))


def problems_in(events):
    found = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"console: {params['entry']['text']}")
        elif method == "Runtime.consoleAPICalled" and params["type"] == "error":
            found.append(f"console.error: {params['args']}")
    return found


async def drive(ws_url, report, shots):
    failures = []
    async with websockets.connect(ws_url, max_size=None) as ws:
        page = Page(ws)
        for domain in ("Page", "Runtime", "Log"):
            await page.call(f"{domain}.enable")
        await page.call("Emulation.setDeviceMetricsOverride", width=1100, height=900, deviceScaleFactor=1, mobile=False)
        await page.call("Page.navigate", url="file://" + os.path.realpath(report))
        await page.wait_for("Page.loadEventFired")
        if shots:
            await page.screenshot(shots + "-overview.png", {"x": 0, "y": 0, "width": 1100, "height": 900})
        start = await page.evaluate(CHECK)
        if "skip" in start:
            print(f"click check: {start['skip']}")
            return problems_in(page.events)
        if "error" in start:
            return [start["error"]] + problems_in(page.events)
        for kind in ("mousePressed", "mouseReleased"):
            await page.call("Input.dispatchMouseEvent", type=kind, x=start["x"], y=start["y"], button="left", clickCount=1)
        panel = await page.evaluate(PANEL)
        print(f"clicked message {start['id']} at ({start['x']:.0f}, {start['y']:.0f}); panel: {panel['text']!r}")
        if panel["shown"] != start["id"]:
            failures.append(f"the click did not open message {start['id']} (panel shows {panel['shown']!r})")
        for needed in (start["cause"], start["replay"]):
            if needed not in panel["text"]:
                failures.append(f"the panel lacks {needed!r}")
        # Five wheel steps up over the message: zoom 1.5^5 = 7.6x around the pointer.
        for _ in range(5):
            await page.call("Input.dispatchMouseEvent", type="mouseWheel", x=start["x"], y=start["y"], deltaX=0, deltaY=-100)
        zoomed = await page.evaluate(ZOOMED)
        print(f"ticks before zoom: {start['ticks']}\nticks after wheel zoom: {zoomed['ticks']} ({zoomed['window']})")
        if zoomed["mark"] == panel["mark"]:
            failures.append("zooming in did not move the marks")
        if zoomed["ticks"] == start["ticks"] or not all(re.fullmatch(r"-?[0-9.]+ (s|ms|µs|ns)", t) for t in zoomed["ticks"]):
            failures.append(f"zoomed ticks are not new readable times: {zoomed['ticks']}")
        if "7.6×" not in zoomed["window"]:
            failures.append(f"five wheel steps should zoom 7.6×: {zoomed['window']!r}")
        filtered = await page.evaluate(FILTER)
        if not (filtered["hidden"] and filtered["shown_again"]):
            failures.append(f"the cause filter does not hide and show the message: {filtered}")
        if shots:
            box = await page.evaluate("(() => { const r = document.querySelector('.timeline-view').getBoundingClientRect();"
                                      " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })()")
            await page.screenshot(shots + "-timeline.png", box)
        failures += problems_in(page.events)
    return failures


def stop_process_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    # The helpers are children of the group, not of this script: give them a moment to exit.
    for _ in range(50):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def main():
    browser, report = sys.argv[1], sys.argv[2]
    shots = sys.argv[3] if len(sys.argv) > 3 else None
    # Chromium's helper processes (renderer, crashpad) may still write into the profile after the
    # main process dies: run them in their own process group, stop the whole group, and never let
    # a late write into a throw-away profile fail the check (CI saw "Directory not empty: 'Default'").
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        process = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                    "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            port = None
            for line in process.stderr:
                match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
                if match:
                    port = match.group(1)
                    break
            if port is None:
                print("FAIL: chromium did not open its DevTools port", file=sys.stderr)
                return 1
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
            page = next(t for t in targets if t["type"] == "page")
            failures = asyncio.run(drive(page["webSocketDebuggerUrl"], report, shots))
        finally:
            stop_process_group(process)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if not failures:
        print(f"PASS: {report}: a click opens a message's cause and replay; zoom and filters work")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
