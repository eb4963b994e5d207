"""Headless Chromium for the tests: find it (or install Debian's package), and drive it over the
Chrome DevTools Protocol on a pipe (``--remote-debugging-pipe``: JSON messages ending in NUL on file
descriptors 3 and 4), so no websocket client, no port and no driver binary are needed.

    with Browser.launch() as browser:
        page = browser.new_page()
        page.goto(path)                      # waits for the load event
        for url, page in browser.visit(urls): ...   # several tabs at a time
        page.evaluate("document.title")      # JSON-serialisable result
        page.errors                          # console errors, uncaught exceptions, failed loads, CSP violations
        page.screenshot(png, full_page=True)
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from minusma_corpus.explore.chromium import find_chromium

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--disable-extensions", "--mute-audio"]
APT_PACKAGES = ["chromium"]  # Debian's; chromium-driver is not needed (CDP over a pipe)


class BrowserUnavailable(RuntimeError):
    pass


def ensure_chromium() -> str:
    """The Chromium binary; installs Debian's package when missing and this process may (root, apt-get)."""
    found = find_chromium()
    if found:
        return found
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BrowserUnavailable("chromium is not installed (as root: apt-get install -y chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *APT_PACKAGES]):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise BrowserUnavailable(f"{' '.join(cmd)} failed: {result.stderr.strip()[-800:]}")
    found = find_chromium()
    if not found:
        raise BrowserUnavailable("apt-get installed chromium but no chromium binary was found")
    return found


class CDPError(RuntimeError):
    pass


class Browser:
    def __init__(self, process: subprocess.Popen, to_browser: int, from_browser: int, profile: str):
        self.process = process
        self._out = to_browser
        self._in = from_browser
        self._profile = profile
        self._buffer = b""
        self._next_id = 0
        self._events: dict[str | None, list[dict]] = {}
        self._tabs: list[Page] = []

    @classmethod
    def launch(cls, binary: str | None = None, *, width: int = 1280, height: int = 900) -> Browser:
        binary = binary or ensure_chromium()
        profile = tempfile.mkdtemp(prefix="minusma-chromium-")
        to_r, to_w = os.pipe()  # we write, the browser reads on fd 3
        from_r, from_w = os.pipe()  # the browser writes on fd 4, we read

        def child_fds():  # dup first: a pipe end may already be numbered 3 or 4
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [binary, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                "--remote-debugging-pipe", "about:blank"]
        process = subprocess.Popen(args, preexec_fn=child_fds, close_fds=False, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        browser = cls(process, to_w, from_r, profile)
        try:
            browser.call("Browser.getVersion", timeout=60)
        except BaseException:
            browser.close()
            raise
        return browser

    # ---- protocol ----

    def _send(self, method: str, params: dict | None, session: str | None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self._out, data):]
        return self._next_id

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise CDPError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise CDPError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._events.setdefault(message.get("sessionId"), []).append(message)

    def wait_for(self, session: str | None, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self._events.get(session, [])):
                if event["method"] == method:
                    return self._events[session].pop(i)
            message = self._receive(deadline)
            if "method" in message:
                self._events.setdefault(message.get("sessionId"), []).append(message)

    def take_events(self, session: str | None) -> list[dict]:
        return self._events.pop(session, [])

    # ---- pages ----

    def new_page(self) -> Page:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=session)
        return Page(self, session)

    def visit(self, urls: list[str | Path], tabs: int = 4):
        """Load ``urls`` a few tabs at a time (a navigation costs some 60 ms however small the page);
        yields ``(url, page)`` once each has loaded, its errors in ``page.errors``."""
        while len(self._tabs) < tabs:
            self._tabs.append(self.new_page())
        for i in range(0, len(urls), tabs):
            batch = list(zip(self._tabs, urls[i:i + tabs]))
            started = [page.start(url) for page, url in batch]
            for (page, url), ok in zip(batch, started):
                if ok:
                    page.finish()
                yield url, page

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                try:
                    self._send("Browser.close", None, None)
                    self.process.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    self.process.kill()
                    self.process.wait(timeout=10)
        finally:
            for fd in (self._out, self._in):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    def __init__(self, browser: Browser, session: str):
        self.browser = browser
        self.session = session
        self.errors: list[str] = []

    def _collect(self) -> None:
        for event in self.browser.take_events(self.session):
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                self.errors.append("console: " + " ".join(str(a.get("value", a.get("description", "")))
                                                          for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                self.errors.append("exception: " + str(details.get("exception", {}).get("description") or details.get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                self.errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())

    def goto(self, url: str | Path, timeout: float = 30) -> None:
        """Load ``url`` (a path is loaded as file://) and wait for its load event; errors go to ``errors``."""
        if self.start(url):
            self.finish(timeout)

    def start(self, url: str | Path) -> bool:
        """Start loading ``url``; ``errors`` then holds only this page's errors."""
        if isinstance(url, Path):
            url = url.resolve().as_uri()
        self.browser.take_events(self.session)
        self.errors = []
        result = self.browser.call("Page.navigate", {"url": url}, self.session)
        if result.get("errorText"):
            self.errors.append(f"navigation: {result['errorText']} {url}")
            return False
        return True

    def finish(self, timeout: float = 30) -> None:
        self.browser.wait_for(self.session, "Page.loadEventFired", timeout)
        self.evaluate("0")  # let events queued before the load event arrive
        self._collect()

    def evaluate(self, expression: str, timeout: float = 30):
        result = self.browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                        "awaitPromise": True}, self.session, timeout)
        if "exceptionDetails" in result:
            raise CDPError(f"evaluate: {result['exceptionDetails'].get('exception', {}).get('description')}")
        value = result.get("result", {})
        self._collect()
        return value.get("value")

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            size = self.browser.call("Page.getLayoutMetrics", session=self.session)["cssContentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        data = self.browser.call("Page.captureScreenshot", params, self.session, timeout=60)["data"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path
