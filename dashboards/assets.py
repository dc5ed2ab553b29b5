"""Fill Solara's front-end asset cache from the npm registry, so the dashboard works with no internet.

Solara's browser assets (the Vuetify app, RequireJS, Font Awesome, KaTeX and Mermaid for
Markdown) are kept under ``{sys.prefix}/share/solara/cdn/NAME@VERSION/``, which the page
loads from ``/_solara/cdn/``. The installed plotly's widget code is put there too. Machines in
government networks often have no internet, and a browser then waits forever. This module
packs each package from the npm registry (``npm pack``, at install or test time, where the
registry is reachable) and unpacks it into that cache. The dashboard serves the cache
read-only (``lookup``, used by ``dashboards.server``) instead of Solara's own handler, which
fetches unknown paths from the public CDN into the cache and deletes a folder asked for.

    python -m dashboards.assets          # fill what is missing
    python -m dashboards.assets --check  # exit status 1 if anything is missing
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import plotly

# The packages, at the versions Solara's page template, Markdown component and settings
# name (tests/dashboards/test_assets.py checks this list against the installed Solara).
PACKAGES: tuple[tuple[str, str], ...] = (
    ("@widgetti/solara-vuetify-app", "10.1.1"),
    ("requirejs", "2.3.6"),
    ("font-awesome", "4.5.0"),
    ("katex", "0.16.9"),
    ("mermaid", "10.8.0"),
)

# Files the CDN minifies on the fly that a package does not ship: served as copies of the original.
ALIASES: dict[str, str] = {"requirejs@2.3.6/require.min.js": "requirejs@2.3.6/require.js"}
# plotly's widget code (5 MB) from the installed plotly: served once, cached by the browser, instead of
# being sent through the websocket with every chart (see common.ResponsiveFigure).
PLOTLY_BUNDLE = f"plotly-widget@{plotly.__version__}/widgetbundle.js"
LOCAL_FILES: dict[str, Path] = {PLOTLY_BUNDLE: Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"}


def cache_dir() -> Path:
    """Where Solara's server looks for CDN assets (SOLARA_ASSETS_PROXY_CACHE_DIR or its default)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def served_folders() -> tuple[str, ...]:
    """The ``<package>@<version>`` folders of the cache that the dashboard serves (packed, aliased or copied)."""
    copied = sorted({name.rsplit("/", 1)[0] for name in (*ALIASES, *LOCAL_FILES)})
    packed = [f"{name}@{version}" for name, version in PACKAGES]
    return tuple(packed + [folder for folder in copied if folder not in packed])


def lookup(path: str, cache: Path | None = None) -> Path | None:
    """The cached file that ``/_solara/cdn/<path>`` names, or None.

    Only a regular file inside one of ``served_folders()``, reached without leaving that folder
    (no ``..``, no link out of it); never a folder. Nothing is fetched, written or deleted.
    """
    cache = cache or cache_dir()
    parts = path.split("/")
    if "\\" in path or "\0" in path or any(part in ("", ".", "..") for part in parts):
        return None
    for folder in served_folders():
        depth = folder.count("/") + 1
        if len(parts) > depth and "/".join(parts[:depth]) == folder:
            break
    else:
        return None
    base = os.path.realpath(cache / folder)
    full = os.path.realpath(cache / path)
    if os.path.commonpath([base, full]) != base:
        return None
    try:
        mode = os.stat(full).st_mode
    except (OSError, ValueError):
        return None
    return Path(full) if stat.S_ISREG(mode) else None


def missing(cache: Path | None = None) -> list[str]:
    """'name@version' of every package not yet unpacked in the cache, then every missing alias."""
    cache = cache or cache_dir()
    gaps = [f"{name}@{version}" for name, version in PACKAGES
            if not (cache / f"{name}@{version}" / "package.json").is_file()]
    return gaps + [name for name in (*ALIASES, *LOCAL_FILES) if not (cache / name).is_file()]


def unpack(tarball: Path, target: Path) -> None:
    """Unpack an npm tarball's ``package/`` folder as ``target``: into a temporary folder beside it, then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        (staging / "package").rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def fill(cache: Path | None = None, npm: str = "npm") -> list[str]:
    """Pack every missing package from the npm registry into the cache, then copy local files; returns what was added."""
    cache = cache or cache_dir()
    added = []
    for spec in missing(cache):
        if spec in ALIASES or spec in LOCAL_FILES:
            continue  # copied below
        with tempfile.TemporaryDirectory(prefix="solara-assets-") as tmp:
            done = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp], check=True,
                                  capture_output=True, text=True)
            unpack(Path(tmp) / done.stdout.strip().splitlines()[-1], cache / spec)
        added.append(spec)
    copies = {**{alias: cache / original for alias, original in ALIASES.items()}, **LOCAL_FILES}
    for name, source in copies.items():
        if not (cache / name).is_file():
            (cache / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, cache / name)
            added.append(name)
    return added


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dashboards.assets", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only report; exit status 1 if anything is missing")
    args = ap.parse_args(argv)
    cache = cache_dir()
    if args.check:
        gaps = missing(cache)
        print(f"{cache}: " + (f"missing {', '.join(gaps)}" if gaps else "every asset present"))
        return 1 if gaps else 0
    try:
        added = fill(cache)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        print(f"error: could not pack from the npm registry: {detail.strip()}", file=sys.stderr)
        return 1
    print(f"{cache}: added {', '.join(added)}" if added else f"{cache}: every asset already present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
