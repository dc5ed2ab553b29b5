"""Results folders under the configured results root, for the experiments page.

The root comes from the environment (``REINTEGRATION_RESULTS_ROOT``, default
``./results``), never from the browser. The page offers the folders found directly under
it; a name from the browser is looked up in that listing, so no typed text becomes a
path. Two kinds are recognised: batch experiments (``manifest.json``, read with
``experiments.store`` and ``experiments.analysis``) and scenario comparisons
(``comparison.json`` beside the tables of ``experiments.compare.save``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import analysis, store

ROOT_VARIABLE = "REINTEGRATION_RESULTS_ROOT"
KINDS = {"manifest.json": "experiment", "comparison.json": "compare"}


@dataclass(frozen=True)
class Folder:
    name: str
    kind: str  # experiment | compare
    path: Path


def root() -> Path:
    return Path(os.environ.get(ROOT_VARIABLE, "results")).resolve()


def folders(base: Path | None = None) -> list[Folder]:
    """Result folders directly under the root (links leading outside it are ignored)."""
    base = base or root()
    if not base.is_dir():
        return []
    found = []
    for child in sorted(base.iterdir()):
        path = child.resolve()
        if not child.is_dir() or path.parent != base:
            continue
        for marker, kind in KINDS.items():
            if (path / marker).is_file():
                found.append(Folder(child.name, kind, path))
                break
    return found


def find(name: str, base: Path | None = None) -> Folder:
    """The listed folder called ``name`` (LookupError if the listing has none)."""
    for folder in folders(base):
        if folder.name == name:
            return folder
    raise LookupError(f"{name!r}: no such results folder under the results root")


def table(folder: Folder, name: str) -> pd.DataFrame | None:
    """A CSV table written in the folder (summary.csv, sensitivity.csv...), or None if absent."""
    path = folder.path / name
    return pd.read_csv(path) if path.is_file() else None


def status(folder: Folder) -> dict[str, Any]:
    """An experiment's progress (planned, finished, failed, remaining runs)."""
    return store.status(folder.path)


def manifest(folder: Folder) -> dict[str, Any]:
    """The plan of an experiment, or the metadata of a comparison."""
    if folder.kind == "experiment":
        return store.read_manifest(folder.path)
    return json.loads((folder.path / "comparison.json").read_text(encoding="utf-8"))


def compute(folder: Folder, what: str) -> pd.DataFrame:
    """Summarise an experiment or compute its sensitivity indices, saving them in the folder as the CLI does."""
    if folder.kind != "experiment" or what not in ("summary", "sensitivity"):
        raise ValueError(f"cannot compute {what!r} for a {folder.kind} folder")
    frame, _, _ = analysis.summarize(folder.path) if what == "summary" else analysis.sensitivity(folder.path)
    return frame
