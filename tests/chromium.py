"""A minimal Chrome DevTools client for the browser tests: headless Debian Chromium driven over
--remote-debugging-pipe (fds 3 and 4, NUL-terminated JSON): no websocket library, no driver download."""

from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import time
from pathlib import Path

VIEWPORT = (1280, 900)
TIMEOUT_S = 30


# ---------------------------------------------------------------------------
# A minimal DevTools client over the pipe
# ---------------------------------------------------------------------------
class Chromium:
    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds_3_and_4() -> None:  # the protocol's fixed descriptors: 3 = commands in, 4 = replies out
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-extensions",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
            ],
            pass_fds=(3, 4),
            preexec_fn=fds_3_and_4,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf, self._next_id, self.events = b"", 0, []

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError(f"chromium closed the pipe (exit {self.proc.poll()})")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


PROBE = """JSON.stringify({
  height: Math.ceil(document.documentElement.scrollHeight),
  images: Array.from(document.images).map(i => {
    const r = i.getBoundingClientRect();
    return {id: i.closest('figure') ? i.closest('figure').id : '', complete: i.complete,
            naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
            x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
  }),
  external: Array.from(document.querySelectorAll('[src],[href]'))
    .map(e => e.getAttribute('src') || e.getAttribute('href')).filter(u => !u.startsWith('data:') && !u.startsWith('#'))
})"""


def open_page(
    browser: Chromium, url: str, viewport: tuple[int, int] = VIEWPORT, probe_js: str = PROBE
) -> tuple[dict, bytes, list[str]]:
    """Load url in a new tab `viewport` wide: (probe_js's result, full-page PNG screenshot, console errors)."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        browser.send(f"{domain}.enable", session=session)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": viewport[0], "height": viewport[1], "deviceScaleFactor": 1, "mobile": False},
        session,
    )
    browser.events.clear()
    browser.send("Page.navigate", {"url": url}, session)
    browser.wait_for("Page.loadEventFired")
    probe = json.loads(
        browser.send("Runtime.evaluate", {"expression": probe_js, "returnByValue": True}, session)["result"]["value"]
    )
    shot = browser.send(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": viewport[0], "height": probe["height"], "scale": 1},
        },
        session,
    )
    errors = []
    for event in browser.events:
        p = event.get("params", {})
        if event.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif event.get("method") == "Runtime.exceptionThrown":
            errors.append(
                p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"]["text"]
            )
        elif event.get("method") == "Log.entryAdded" and p["entry"]["level"] == "error":
            errors.append(p["entry"]["text"])
    browser.send("Target.closeTarget", {"targetId": target})
    return probe, base64.b64decode(shot["data"]), errors
