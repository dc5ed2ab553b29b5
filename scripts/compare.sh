#!/usr/bin/env bash
# README main command: fresh venv in .venv, install, compare baseline with the full SRA.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash scripts/find-python.sh)
"$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/python run.py compare "$@"
