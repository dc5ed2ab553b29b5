"""The results folder of an experiment: a manifest, its design, and Parquet part files as the journal.

    DIR/design.parquet       the design points, one column per parameter (written once, atomically)
    DIR/manifest.json        the plan's metadata and the design's hash (written once, after the design)
    DIR/parts/part-*.parquet finished runs, one batch per file, each written atomically

The design is kept out of the manifest so that a 100,000-run study has a manifest of a few
kilobytes that status and the dashboard read at once. Folders written before the design
file existed hold the points in the manifest ("points"); they are read and resumed as before.

A run is finished when a part file holds its row(s); nothing else records progress, so a
killed process (even ``kill -9``) loses only runs not yet written, leaves no partial file
(temporary files are ignored and cleaned up), and resuming runs exactly what is missing.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model import __version__
from model.api import atomic_write, write_json

from .spec import Experiment

ID_COLUMNS = ["run_id", "scenario", "point", "rep", "seed", "model_version", "experiment_hash", "status", "error",
              "wall_time"]


class ResultsError(ValueError):
    """A results folder that cannot be read or does not match the experiment; one line."""


DESIGN = "design.parquet"
PLAN_KEYS = ("experiment_hash", "replications", "months", "n_runs", "model_version", "design_hash")  # equal to resume


def manifest_of(exp: Experiment, digest: str) -> dict[str, Any]:
    """The plan's metadata; ``digest`` is the hash of its design (``design_hash``)."""
    return {
        "experiment": str(exp.path), "title": exp.title, "description": exp.description, "experiment_hash": exp.file_hash,
        "kind": exp.kind, "parameters": exp.parameters, "bounds": {k: list(v) for k, v in exp.bounds.items()},
        "design": DESIGN, "n_points": len(exp.points), "design_hash": digest, "samples": exp.samples,
        "levels": exp.levels, "scenarios": [s.name for s in exp.scenarios], "replications": exp.replications,
        "months": exp.months, "seed": exp.seed, "keep": exp.keep, "at": exp.at, "n_runs": exp.n_runs,
        "model_version": __version__,
    }


def design_table(parameters: list[str], points: np.ndarray) -> pa.Table:
    """Design points as a table, one column per parameter (a grid's column holds its parameter's kind of value)."""
    return pa.table({name: pa.array(np.ascontiguousarray(points[:, j])) for j, name in enumerate(parameters)})


def design_hash(table: pa.Table) -> str:
    """A digest of the design's values, not of the file's bytes, which change with the Parquet writer's version."""
    digest = hashlib.sha256()
    for name, column in zip(table.column_names, table.columns):
        values = column.to_numpy()
        digest.update(f"{name}:{column.type}:".encode())
        digest.update(json.dumps(values.tolist()).encode() if values.dtype == object else values.tobytes())
    return digest.hexdigest()[:16]


def prepare(out: Path, exp: Experiment) -> dict[str, Any]:
    """Create DIR with its design and manifest, or check that DIR holds this same experiment."""
    table = design_table(exp.parameters, exp.points)
    manifest = manifest_of(exp, design_hash(table))
    path = out / "manifest.json"
    if path.exists():
        existing = read_manifest(out)
        stored = {**existing, "design_hash": design_hash(read_design(out, existing))}  # old folders: from their points
        for key in PLAN_KEYS:
            if (held := stored.get(key)) != manifest[key]:
                raise ResultsError(f"{out}: holds a different plan ({key} = {held!r}, this run {manifest[key]!r}); "
                                   "use another --out or the same file and options")
        return existing
    (out / "parts").mkdir(parents=True, exist_ok=True)
    atomic_write(out / DESIGN, lambda tmp: pq.write_table(table, tmp))
    write_json(manifest, path)  # last: a folder with a manifest has its design
    return manifest


def read_manifest(out: Path) -> dict[str, Any]:
    """The plan's metadata (small; the design points are read by ``read_design``)."""
    path = out / "manifest.json"
    if not path.is_file():
        raise ResultsError(f"{out}: not an experiment results folder (no manifest.json)")
    try:
        manifest = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: corrupted manifest ({exc}); the plan cannot be read") from None
    if not isinstance(manifest, dict):
        raise ResultsError(f"{path}: corrupted manifest (a JSON {type(manifest).__name__}, not an object)")
    design = "points" if "points" in manifest else "design_hash"
    missing = [k for k in ("n_runs", "kind", "parameters", design, "keep", "at") if k not in manifest]
    if missing:
        raise ResultsError(f"{path}: corrupted manifest (missing {', '.join(missing)})")
    return manifest


def read_design(out: Path, manifest: dict[str, Any]) -> pa.Table:
    """The design points, one column per parameter, checked against the manifest's hash.

    Folders written before design.parquet existed hold the points in the manifest instead.
    """
    if "points" in manifest:
        return design_table(manifest["parameters"], np.array(manifest["points"], dtype=object))
    path = out / DESIGN
    if not path.is_file():
        raise ResultsError(f"{path}: missing; the design points of this experiment cannot be read")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise ResultsError(f"{path}: corrupted design ({exc}); the design points cannot be read") from None
    if table.column_names != manifest["parameters"] or design_hash(table) != manifest["design_hash"]:
        raise ResultsError(f"{path}: corrupted design (its points do not match the hash in manifest.json)")
    return table


def write_part(out: Path, rows: pd.DataFrame) -> Path:
    """Write one batch of finished runs atomically (a hidden ``.tmp`` file, then rename)."""
    final = out / "parts" / f"part-{uuid.uuid4().hex[:12]}.parquet"
    table = pa.Table.from_pandas(rows, preserve_index=False)
    atomic_write(final, lambda tmp: pq.write_table(table, tmp))
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
    """Every finished row, sorted by run (and month); a corrupted part is named in the error.

    Parts are joined as Arrow tables and converted to pandas once: converting each of a large
    study's thousands of small parts on its own took most of the time of a status or a resume.
    """
    tables = []
    for path in part_files(out):
        try:
            with pq.ParquetFile(path) as part:
                tables.append(part.read(columns=columns))
        except (pa.ArrowException, OSError) as exc:
            raise ResultsError(f"{path}: unreadable Parquet part ({exc}); delete it and run the experiment again to redo its runs") from None
    if not tables:
        return pd.DataFrame(columns=columns or ID_COLUMNS)
    frame = pa.concat_tables(tables, promote_options="default").to_pandas()
    order = ["run_id", "month"] if "month" in frame.columns else ["run_id"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def finished_runs(out: Path) -> pd.DataFrame:
    """One row per finished run: run_id, seed, status, error; a failed run retried successfully counts as ok."""
    frame = read_results(out, columns=["run_id", "seed", "status", "error"])
    ok_first = frame.sort_values(["run_id", "status"], ascending=[True, False], kind="stable")  # "ok" > "failed"
    return ok_first.drop_duplicates("run_id").reset_index(drop=True)


def status(out: Path) -> dict[str, Any]:
    manifest = read_manifest(out)
    done = finished_runs(out)
    failed = done[done["status"] == "failed"]
    return {"planned": manifest["n_runs"], "finished": int((done["status"] == "ok").sum()), "failed": len(failed),
            "remaining": manifest["n_runs"] - len(done), "parts": len(part_files(out)),
            "failures": failed[["run_id", "seed", "error"]].to_dict("records")}
