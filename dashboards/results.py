"""Results folders under the configured results root, for the experiments page.

The root comes from the environment (``REINTEGRATION_RESULTS_ROOT``, default
``./results``), never from the browser. The page offers the folders found directly under
it; a name from the browser is looked up in that listing, so no typed text becomes a
path. Two kinds are recognised: batch experiments (``manifest.json``, read with
``experiments.store`` and ``experiments.analysis``) and scenario comparisons
(``comparison.json`` beside the tables of ``experiments.compare_folder.save``).

Links are never followed out of the root: a link that leads outside it, or a loop, is not
listed, and a listed folder holding one anywhere inside is refused with one reading error
before anything in it is read (``contained``).
"""

from __future__ import annotations

import errno
import os
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

import pandas as pd

from experiments import analysis, store
from model.api import read_csv
from experiments.spec import DUMMY

ROOT_VARIABLE = "REINTEGRATION_RESULTS_ROOT"
KINDS = {"manifest.json": "experiment", "comparison.json": "compare"}
# what a vanished, damaged or foreign folder raises: OSError; ValueError (store.ResultsError, JSON and pandas
# parser errors); LookupError (a folder gone from the listing, a missing key: KeyError)
READ_ERRORS = (OSError, ValueError, LookupError)
COMPARISON_TABLES = {  # name: (columns of labels, columns of numbers) the page reads
    "summary": (("scenario", "outcome"), ("mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high")),
    "timeseries": (("scenario", "outcome", "date"), ("month", "median", "p10", "p90")),
    "summary_by_group": (("scenario", "outcome", "group_by", "group"), ("mean", "ci_low", "ci_high")),
}
INDICES = {"morris": ("mu_star", "mu_star_conf"), "sobol": ("ST", "ST_conf", "S1")}  # the sensitivity columns shown

T = TypeVar("T")
_compute_locks: defaultdict[Path, threading.Lock] = defaultdict(threading.Lock)
_compute_locks_guard = threading.Lock()


@dataclass(frozen=True)
class Folder:
    name: str
    kind: str  # experiment | compare
    path: Path


@dataclass(frozen=True, eq=False)  # compared by identity (holds tables)
class Opened:
    """A results folder read in one go: plan or metadata, progress (experiments), and the tables saved so far."""

    folder: Folder
    manifest: dict[str, Any]
    status: dict[str, Any]
    tables: dict[str, pd.DataFrame | None]


def root() -> Path:
    """The results root, links resolved (a loop stays as given, and then lists nothing)."""
    return Path(os.path.realpath(os.path.abspath(os.environ.get(ROOT_VARIABLE, "results"))))


def real(path: Path) -> Path | None:
    """Where ``path`` leads, or None for a loop, a dangling link or a path that cannot be read."""
    try:
        resolved = Path(os.path.realpath(path, strict=True))
    except (OSError, ValueError):
        return None
    return resolved


def inside(path: Path | None, base: Path) -> bool:
    return path is not None and (path == base or base in path.parents)


def folders(base: Path | None = None) -> list[Folder]:
    """Result folders directly under the root (links leading outside it, loops and unreadable entries are ignored)."""
    base = real(base or root())
    if base is None or not base.is_dir():
        return []
    found = []
    try:
        children = sorted(base.iterdir())
    except OSError:
        return []
    for child in children:
        if child.name.startswith("."):  # a comparison being written, or one a killed save left: never listed
            continue
        path = real(child)
        if path is None or path.parent != base or not path.is_dir():
            continue
        for marker, kind in KINDS.items():
            target = real(path / marker)
            if inside(target, base) and target.is_file():
                found.append(Folder(child.name, kind, path))
                break
    return found


def contained(folder: Folder, base: Path | None = None) -> None:
    """ResultsError if anything in the folder is a link that leads outside the results root, or a loop.

    Checked before a folder is read, so that neither this module nor ``experiments.store`` reads
    anything outside the root; the error names the link inside the root, never where it leads.
    """
    base = real(base or root()) or Path(os.path.abspath(base or root()))
    pending = [folder.path]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as exc:
            raise store.ResultsError(f"{folder.name}/{Path(current).relative_to(folder.path)}: cannot be read "
                                     f"({os.strerror(exc.errno or errno.EIO)})") from None
        for entry in entries:
            if entry.is_symlink():
                target = real(Path(entry.path))
                if not inside(target, base):
                    shown = Path(entry.path).relative_to(folder.path)
                    why = "a link in a loop" if target is None else "a link that leads outside the results root"
                    raise store.ResultsError(f"{folder.name}/{shown}: {why}; the folder is not read")
            elif entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))


def find(name: str, base: Path | None = None) -> Folder:
    """The listed folder called ``name`` (LookupError if the listing has none)."""
    for folder in folders(base):
        if folder.name == name:
            return folder
    raise LookupError(f"{name!r}: no such results folder under the results root")


def attempt(read: Callable[[], T]) -> T | Exception:
    """``read()``, or the reading error it raised: the page shows that as one line, not as a traceback."""
    try:
        return read()
    except READ_ERRORS as exc:
        return exc


def table(folder: Folder, name: str, labels: Sequence[str] = (), numbers: Sequence[str] = ()) -> pd.DataFrame | None:
    """A CSV table written in the folder (summary.csv, sensitivity.csv...), or None if absent.

    ResultsError if it lacks a column the page reads or holds text where numbers belong, so that
    a damaged file is named on the page instead of failing deep inside a chart.
    """
    path = folder.path / name
    if not path.exists():
        return None
    frame = read_csv(store.regular(path))
    missing = [c for c in (*labels, *numbers) if c not in frame.columns]
    text = [c for c in numbers if c in frame.columns and not pd.api.types.is_numeric_dtype(frame[c])]
    if missing or text:
        raise store.ResultsError(f"{path}: damaged table (missing columns: {', '.join(missing) or 'none'}; "
                                 f"text instead of numbers: {', '.join(text) or 'none'})")
    return frame


def status(folder: Folder) -> dict[str, Any]:
    """An experiment's progress (planned, finished, failed, remaining runs)."""
    return store.status(folder.path)


def manifest(folder: Folder) -> dict[str, Any]:
    """The plan of an experiment, or the metadata of a comparison."""
    if folder.kind == "experiment":
        return store.read_manifest(folder.path)
    path = folder.path / "comparison.json"
    meta = store.read_json(path, "damaged comparison metadata")
    if not isinstance(meta, dict) or not {"scenarios", "months"} <= set(meta):
        raise store.ResultsError(f"{path}: damaged comparison metadata (no scenarios or months)")
    return meta


def open_folder(name: str, base: Path | None = None) -> Opened:
    """The listed folder called ``name`` with everything the page shows of it (never through a link out of the root)."""
    folder = find(name, base)
    contained(folder, base)
    meta = manifest(folder)
    if folder.kind == "compare":
        return Opened(folder, meta, {}, {n: table(folder, f"{n}.csv", *cols) for n, cols in COMPARISON_TABLES.items()})
    varied = [p for p in meta["parameters"] if p != DUMMY]
    stats = [f"{o}_{s}" for o in meta["keep"] for s in ("mean", "ci_low", "ci_high")]
    progress = status(folder)
    columns = {"summary": (["scenario", *varied], stats),
               "sensitivity": (["scenario", "outcome", "parameter"], INDICES.get(meta["kind"], ()))}
    tables = {what: None if what in progress["stale"] else table(folder, f"{what}.csv", *columns[what])
              for what in store.DERIVED if what == "summary" or meta["kind"] in INDICES}  # a stale table is not shown
    return Opened(folder, meta, progress, tables)


def compute(folder: Folder, what: str) -> pd.DataFrame:
    """Summarise an experiment or compute its sensitivity indices, saving them in the folder as the CLI does.

    One computation per folder at a time, whichever session asks: two would write the same files.
    """
    if folder.kind != "experiment" or what not in ("summary", "sensitivity"):
        raise ValueError(f"cannot compute {what!r} for a {folder.kind} folder")
    with _compute_locks_guard:
        lock = _compute_locks[folder.path]
    with lock:
        frame, _, _ = analysis.summarize(folder.path) if what == "summary" else analysis.sensitivity(folder.path)
    return frame
