"""Serve the dashboard: Solara's Starlette app on uvicorn, front-end assets from the local cache only.

Solara reads its settings from the environment when it is imported, so ``serve`` sets
them first: the app module, production mode (no update check, no calls home), no
telemetry. Nothing here reaches the internet.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings

SETTINGS = {
    "SOLARA_APP": "dashboards.app",
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_VARIANT": "light",
}
NOTE = "Synthetic population: a tool for exploring policy, never for assessing real people."


def configure() -> None:
    """Solara's settings, before Solara is imported."""
    os.environ.update(SETTINGS)


def warm_up() -> None:
    """Compute what the workshop and network pages show first, so they open fast."""
    from . import compute
    from .pages import network

    compute.what_if({}, "2026")
    network.graphs(network.scenario.value, network.seed.value, network.month.value)


def serve(host: str = "127.0.0.1", port: int = 8765) -> None:
    """Start the dashboard and print its address; blocks until interrupted."""
    configure()
    import uvicorn

    from . import assets, compute

    gaps = assets.missing()
    if gaps:
        print(f"warning: front-end assets missing from {assets.cache_dir()}: {', '.join(gaps)}; without internet the "
              "page will not load. Fill the cache once with: python -m dashboards.assets", file=sys.stderr)
    compute.pool()  # from the main thread: worker processes die with the dashboard
    threading.Thread(target=warm_up, daemon=True).start()
    shown = f"[{host}]" if ":" in host else host
    print(f"Dashboard at http://{shown}:{port}/", flush=True)
    print(NOTE, flush=True)
    # Solara warns on every page load over plain http to a name other than localhost (cookies fall back to lax)
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
