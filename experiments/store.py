"""The results folder of an experiment: a manifest, and Parquet part files as the journal.

    DIR/manifest.json        the plan (written once, atomically)
    DIR/parts/part-*.parquet finished runs, one batch per file, each written atomically

A run is finished when a part file holds its row(s); nothing else records progress, so a
killed process (even ``kill -9``) loses only runs not yet written, leaves no partial file
(temporary files are ignored and cleaned up), and resuming runs exactly what is missing.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model import __version__
from model.api import write_json

from .spec import Experiment

ID_COLUMNS = ["run_id", "scenario", "point", "rep", "seed", "model_version", "experiment_hash", "status", "error",
              "wall_time"]


class ResultsError(ValueError):
    """A results folder that cannot be read or does not match the experiment; one line."""


def manifest_of(exp: Experiment) -> dict[str, Any]:
    return {
        "experiment": str(exp.path), "title": exp.title, "description": exp.description, "experiment_hash": exp.file_hash,
        "kind": exp.kind, "parameters": exp.parameters, "bounds": {k: list(v) for k, v in exp.bounds.items()},
        "points": [[_plain(x) for x in row] for row in exp.points], "samples": exp.samples, "levels": exp.levels,
        "scenarios": [s.name for s in exp.scenarios], "replications": exp.replications, "months": exp.months,
        "seed": exp.seed, "keep": exp.keep, "at": exp.at, "n_runs": exp.n_runs, "model_version": __version__,
    }


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def prepare(out: Path, exp: Experiment) -> dict[str, Any]:
    """Create DIR with its manifest, or check that DIR holds this same experiment."""
    manifest = manifest_of(exp)
    path = out / "manifest.json"
    if path.exists():
        existing = read_manifest(out)
        for key in ("experiment_hash", "replications", "months", "n_runs", "model_version"):
            if existing.get(key) != manifest[key]:
                raise ResultsError(f"{out}: holds a different plan ({key} = {existing.get(key)!r}, this run {manifest[key]!r}); "
                                   "use another --out or the same file and options")
        return existing
    (out / "parts").mkdir(parents=True, exist_ok=True)
    write_json(manifest, path)
    return manifest


def read_manifest(out: Path) -> dict[str, Any]:
    path = out / "manifest.json"
    if not path.is_file():
        raise ResultsError(f"{out}: not an experiment results folder (no manifest.json)")
    try:
        manifest = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: corrupted manifest ({exc}); the plan cannot be read") from None
    if not isinstance(manifest, dict):
        raise ResultsError(f"{path}: corrupted manifest (a JSON {type(manifest).__name__}, not an object)")
    missing = [k for k in ("n_runs", "kind", "parameters", "points", "keep", "at") if k not in manifest]
    if missing:
        raise ResultsError(f"{path}: corrupted manifest (missing {', '.join(missing)})")
    return manifest


def write_part(out: Path, rows: pd.DataFrame) -> Path:
    """Write one batch of finished runs atomically (temporary file, then rename)."""
    parts = out / "parts"
    final = parts / f"part-{uuid.uuid4().hex[:12]}.parquet"
    tmp = parts / f".{final.name}.tmp"
    table = pa.Table.from_pandas(rows, preserve_index=False)
    pq.write_table(table, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    return final


def clean_temporary(out: Path) -> int:
    """Remove temporary files a killed writer left behind; returns how many."""
    stale = list((out / "parts").glob(".*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def part_files(out: Path) -> list[Path]:
    return sorted((out / "parts").glob("part-*.parquet"))


def read_results(out: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Every finished row, sorted by run (and month); a corrupted part is named in the error."""
    frames = []
    for path in part_files(out):
        try:
            frames.append(pq.read_table(path, columns=columns).to_pandas())
        except (pa.ArrowException, OSError) as exc:
            raise ResultsError(f"{path}: unreadable Parquet part ({exc}); delete it and run the experiment again to redo its runs") from None
    if not frames:
        return pd.DataFrame(columns=columns or ID_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    order = ["run_id", "month"] if "month" in frame.columns else ["run_id"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def finished_runs(out: Path) -> pd.DataFrame:
    """One row per finished run: run_id, seed, status, error."""
    frame = read_results(out, columns=["run_id", "seed", "status", "error"])
    return frame.drop_duplicates("run_id").reset_index(drop=True)


def status(out: Path) -> dict[str, Any]:
    manifest = read_manifest(out)
    done = finished_runs(out)
    failed = done[done["status"] == "failed"]
    return {"planned": manifest["n_runs"], "finished": int((done["status"] == "ok").sum()), "failed": len(failed),
            "remaining": manifest["n_runs"] - len(done), "parts": len(part_files(out)),
            "failures": failed[["run_id", "seed", "error"]].to_dict("records")}
