"""Start ``run.py dashboard`` and drive it with Debian's Chromium through Playwright.

Shared by the end-to-end tests and by ``offline_probe.py``, which runs inside a network
namespace with only loopback up. Browser downloads (``playwright install``) are not used:
Playwright drives the system's /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1500, "height": 1000}
# what shows that a page is ready (its main content, charts where it has them without a click)
PAGES = {
    "compare": ("/", ".rr-run"),
    "workshop": ("/workshop", ".rr-card-family_stability .rr-card-value"),
    "network": ("/network", ".js-plotly-plot .main-svg"),
    "experiments": ("/experiments", ".js-plotly-plot .main-svg"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dashboard(env: dict[str, str] | None = None, timeout: float = 90.0) -> Iterator[str]:
    """``python run.py dashboard`` on a free local port; yields its address; stops it and its workers after."""
    with dashboard_process(env, timeout) as served:
        yield served.url


@dataclass
class Served:
    proc: subprocess.Popen
    url: str
    log: IO[str]  # the server's stderr

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read()


@contextlib.contextmanager
def dashboard_process(env: dict[str, str] | None = None, timeout: float = 90.0) -> Iterator[Served]:
    """As ``dashboard``, yielding the server's process and its stderr too."""
    port = free_port()
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "dashboard", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=log, text=True,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        first = proc.stdout.readline()
        if f"Dashboard at {url}/" not in first:
            proc.wait(timeout=30)
            log.seek(0)
            raise RuntimeError(f"the dashboard did not start: {first!r}\n{log.read()[-3000:]}")
        end = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.2)
        yield Served(proc, url, log)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the server and the worker processes it started
        proc.wait(timeout=30)
        log.close()


def launch(playwright):
    """Headless Debian Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_page(context, url: str, name: str, timeout_ms: float = 90_000):
    """Open a dashboard page and wait until it shows.

    Returns (page, {"frame": ms, "content": ms}) measured by the browser's clock from the start of
    navigation: until the page frame with the synthetic-population note shows, and until the
    page's main content (its charts, or the workshop's cards) shows.
    """
    path, ready = PAGES[name]
    page = context.new_page()
    page.goto(url + path, timeout=timeout_ms)
    frame = page.wait_for_function("() => document.querySelector('.rr-note') && performance.now()",
                                   timeout=timeout_ms).json_value()
    content = page.wait_for_function("(sel) => document.querySelector(sel) && performance.now()", arg=ready,
                                     timeout=timeout_ms).json_value()
    return page, {"frame": round(frame), "content": round(content)}


def run_small_comparison(page, timeout_ms: float = 180_000, reps: int = 5) -> None:
    """On the compare page: replications down to ``reps`` (from the minimum, 2), run, wait for both charts and
    the differences table. Five paired runs are about the fewest that can carry a verdict after Holm's correction."""
    page.locator(".rr-reps [role=slider]").focus()
    page.keyboard.press("Home")
    for _ in range(reps - 2):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => document.querySelector('.rr-reps [role=slider]').getAttribute('aria-valuenow') === '{reps}'")
    page.locator(".rr-run").click()
    page.wait_for_selector(".rr-diffs table", timeout=timeout_ms)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=30_000)
