"""Scenario comparison for the dashboard: ``experiments.compare`` on the dashboard's pool.

The comparison is the one ``run.py compare`` makes (same paired seeds, chance intervals
only), and its files are written by ``experiments.compare_folder.save``.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from experiments import compare as cmp
from experiments import compare_folder
from model.api import DEFAULT_MONTHS, catalogue

from . import compute

DOWNLOADS = ("summary.csv", "summary_by_group.csv", "timeseries.csv", "report.html")
MAX_SCENARIOS = 4
MIN_REPS, MAX_REPS = 2, 50
BATCH = 6  # runs per task on the background pool: what-ifs have their own workers, so a batch can be long enough
# to pay off (a 30-rep comparison of two scenarios took 7.9-10.7 s at 6, 20.6-24.6 s at 2) and still short for progress


@dataclass(frozen=True, eq=False)  # compared by identity (holds arrays)
class Result:
    """A finished comparison and its tables; the download files are written on first request."""

    comparison: cmp.Comparison
    summary: pd.DataFrame
    summary_by_group: pd.DataFrame
    timeseries: pd.DataFrame
    seconds: float  # from start to tables ready
    _files: dict[str, bytes] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def file(self, name: str) -> bytes:
        """A file of ``run.py compare`` (see DOWNLOADS), written by ``experiments.compare_folder.save`` once."""
        if name not in DOWNLOADS:
            raise ValueError(f"{name}: not a download; allowed: {', '.join(DOWNLOADS)}")
        with self._lock:
            if not self._files:
                with tempfile.TemporaryDirectory(prefix="dashboard-compare-") as tmp:
                    paths = compare_folder.save(self.comparison, Path(tmp))
                    self._files.update({n: paths[n].read_bytes() for n in DOWNLOADS})
            return self._files[name]


def run(names: Sequence[str], reps: int, on_progress: Callable[[int, int], None] = lambda done, total: None,
        months: int = DEFAULT_MONTHS) -> Result:
    """Compare catalogue scenarios (the first is the reference), reporting runs done.

    Runs go to the dashboard's background pool a few at a time, so comparisons from several sessions take
    turns; a workshop's what-if does not wait for them (its own workers have the cores first).
    """
    check(names, reps)
    began = time.perf_counter()
    on_progress(0, len(names) * reps)
    comparison = compute.on_pool(lambda pool: cmp.compare(
        list(names), reps=reps, months=months, progress=False, workers=compute.WORKERS, executor=pool,
        window=compute.WORKERS, batch=BATCH, on_progress=on_progress), compute.BACKGROUND)
    tables = cmp.summary(comparison), cmp.summary_by_group(comparison), cmp.timeseries(comparison)
    return Result(comparison, *tables, seconds=time.perf_counter() - began)


def check(names: Sequence[str], reps: int) -> None:
    """Only catalogue scenarios, two to four of them, and a bounded number of replications."""
    unknown = [n for n in names if n not in catalogue()]
    if unknown:
        raise ValueError(f"unknown scenario {unknown[0]!r}; allowed: {', '.join(catalogue())}")
    if not 2 <= len(names) <= MAX_SCENARIOS or len(set(names)) < len(names):
        raise ValueError(f"compare two to {MAX_SCENARIOS} different scenarios, not {list(names)}")
    if not isinstance(reps, int) or not MIN_REPS <= reps <= MAX_REPS:
        raise ValueError(f"replications {reps!r}; allowed {MIN_REPS} to {MAX_REPS}")
