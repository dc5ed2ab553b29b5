"""Serve and browse the dashboard, then print a JSON report on one line (run by test_offline.py).

Meant to run inside a network namespace with only loopback up (``unshare -n``), after
installation: every page must load and show its charts with no request leaving the
machine and none failing.
"""

from __future__ import annotations

import json
import socket
from urllib.parse import urlparse

from browser_helpers import PAGES, VIEWPORT, dashboard, launch, open_page, run_small_comparison
from playwright.sync_api import sync_playwright

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob") or parsed.hostname in LOCAL_HOSTS


def main() -> None:
    interfaces = sorted(name for _, name in socket.if_nameindex())  # of this network namespace
    report: dict = {"interfaces": interfaces, "pages": {}, "failed": [], "outside": []}
    with dashboard() as url, sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport=VIEWPORT)
        context.on("request", lambda r: None if local(r.url) else report["outside"].append(r.url))
        context.on("requestfailed", lambda r: report["failed"].append(f"{r.failure} {r.url}"))
        context.on("response", lambda r: report["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
        for name in PAGES:
            page, ms = open_page(context, url, name)
            if name == "compare":
                run_small_comparison(page)
            report["pages"][name] = {"ms": ms, "charts": page.locator(".js-plotly-plot").count(),
                                     "note": page.locator(".rr-note").inner_text()}
            page.close()
        browser.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
