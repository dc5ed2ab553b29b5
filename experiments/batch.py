"""Run an experiment's plan on any executor, streaming finished batches to Parquet.

Workers build each model themselves from its parameters and send back only the kept
outcomes. The driver builds each batch of runs only when it submits it, keeps a bounded
number in flight, writes each finished batch as one part file and forgets it, so its
memory stays flat however many runs the plan has. Running again on the same folder
resumes: only missing runs are executed.
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import __version__, api
from model.calendar import month_to_date

from . import store
from .runner import as_finished, process_pool
from .spec import Experiment, RunSpec


@dataclass
class BatchReport:
    planned: int
    skipped: int
    ran: int
    failed: int
    wall_time: float
    interrupted: bool = False

    @property
    def peak_memory_mb(self) -> float:
        """The driver's peak resident memory so far (workers not included)."""
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(spec: RunSpec, exp_hash: str, keep: list[str], at: str | list[int], result: api.RunResult | None,
          error: str, wall: float) -> list[dict]:
    base = {"run_id": spec.run_id, "scenario": spec.scenario.name, "point": spec.point, "rep": spec.rep,
            "seed": spec.seed, "model_version": __version__, "experiment_hash": exp_hash,
            "status": "failed" if error else "ok", "error": error, "wall_time": wall, **spec.values}
    if at == "end":
        values = result.final() if result is not None else {}
        return [{**base, **{o: float(values[o]) if result is not None else float("nan") for o in keep}}]
    if result is None:
        return [{**base, "month": -1, "date": "", **{o: float("nan") for o in keep}}]
    ts = result.timeseries
    months = range(len(ts)) if at == "all" else at
    return [{**base, "month": m, "date": month_to_date(m), **{o: float(ts[o].iat[m]) for o in keep}} for m in months]


def run_batch(specs: list[RunSpec], months: int, keep: list[str], at: str | list[int], exp_hash: str) -> pd.DataFrame:
    """Run a batch of planned runs; a run that raises becomes a 'failed' row with its error."""
    rows = []
    for spec in specs:
        start = time.perf_counter()
        try:
            result, error = api.run(spec.scenario, seed=spec.seed, months=months, overrides=spec.values), ""
        except Exception as exc:  # noqa: BLE001 - recorded per run, the experiment goes on
            result, error = None, f"{type(exc).__name__}: {exc}"
        rows += _rows(spec, exp_hash, keep, at, result, error, time.perf_counter() - start)
    return pd.DataFrame(rows)


@contextmanager
def executor_for(workers: int, dask: str | None) -> Iterator[Executor | None]:
    """None for serial runs; a process pool; or a Dask executor (local cluster or a scheduler address)."""
    if dask is None:
        if workers <= 1:
            yield None
            return
        pool = process_pool(workers)
        try:
            yield pool
        finally:
            pool.shutdown(cancel_futures=True)
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise store.ResultsError("--dask needs the optional Dask extra: pip install -e '.[dask]'") from None
    if dask == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(dask, timeout="20s")
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_experiment(exp: Experiment, out: Path, workers: int = 1, dask: str | None = None, batch: int | None = None,
                   retry_failed: bool = False, progress: bool = True) -> BatchReport:
    """Run what is missing from ``out`` (everything on a new folder)."""
    store.prepare(out, exp)
    store.clean_temporary(out)
    done = store.finished_runs(out)
    skip = done["run_id"] if not retry_failed else done.loc[done["status"] == "ok", "run_id"]
    todo = np.setdiff1d(np.arange(exp.n_runs), skip.to_numpy(dtype=np.int64))
    size = batch or max(1, min(50, len(todo) // (max(workers, 1) * 8) or 1))
    batches = (exp.runs(todo[i:i + size]) for i in range(0, len(todo), size))  # built as submitted
    start = time.perf_counter()
    ran = failed = 0
    bar = tqdm(total=exp.n_runs, initial=exp.n_runs - len(todo), desc="experiment", unit="run",
               disable=not progress, dynamic_ncols=True, smoothing=0.1)
    args = (exp.months, exp.keep, exp.at, exp.file_hash)
    try:
        with executor_for(workers, dask) as pool:
            finished = ((run_batch(b, *args) for b in batches) if pool is None
                        else (rows for _, rows in as_finished(pool, run_batch, batches, max(2, 2 * workers), *args)))
            for rows in finished:
                ran, failed = _record(out, rows, ran, failed, bar)
    except KeyboardInterrupt:
        bar.close()
        return BatchReport(exp.n_runs, len(skip), ran, failed, time.perf_counter() - start, interrupted=True)
    bar.close()
    return BatchReport(exp.n_runs, len(skip), ran, failed, time.perf_counter() - start)


def _record(out: Path, rows: pd.DataFrame, ran: int, failed: int, bar: tqdm) -> tuple[int, int]:
    store.write_part(out, rows)
    runs = rows.drop_duplicates("run_id")
    n_failed = int((runs["status"] == "failed").sum())
    bar.update(len(runs))
    if n_failed:
        bar.set_postfix(failed=failed + n_failed)
    return ran + len(runs), failed + n_failed
