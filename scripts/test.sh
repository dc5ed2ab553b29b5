#!/usr/bin/env bash
# README test command: fresh venv in .venv, install with test extras (and Chromium, dashboard assets), run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash scripts/find-python.sh)
"$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# the dashboard's browser tests drive Debian's Chromium (no browser downloads here) ...
command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
# ... and the dashboard serves every front-end asset locally: fill Solara's cache from the npm registry
.venv/bin/python -m dashboards.assets
# two processes (one per core of the CI machine); a test file stays on one process, so its fixtures are built once
.venv/bin/python -m pytest --numprocesses 2 --dist loadfile "$@"
