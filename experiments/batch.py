"""Run an experiment's plan on any executor, streaming finished batches to Parquet.

Workers build each model themselves from its parameters and send back only the kept
outcomes. The driver builds each batch of runs only when it submits it, keeps a bounded
number in flight, writes each finished batch as one part file and forgets it, so its
memory stays flat however many runs the plan has. Running again on the same folder
resumes: only missing runs are executed.
"""

from __future__ import annotations

import logging
import os
import re
import resource
import socket
import time
from concurrent.futures import BrokenExecutor, CancelledError, Executor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import api
from model.api import OutputError, __version__, month_to_date, show

from . import store
from .runner import as_finished, batch_size, memory_cap, process_pool
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


DASK_CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler and hear from it, before any folder is made
_DASK_ADDRESS = re.compile(r"tcp://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):(?P<port>[0-9]{1,5})")


def _rows(spec: RunSpec, stamp: tuple[str, str], keep: list[str], at: str | list[int], result: api.RunResult | None,
          error: str, wall: float) -> list[dict]:
    base = {"run_id": spec.run_id, "scenario": spec.scenario.name, "point": spec.point, "rep": spec.rep,
            "seed": spec.seed, "model_version": __version__, "experiment_hash": stamp[0], "fingerprint": stamp[1],
            "status": "failed" if error else "ok", "error": error, "wall_time": wall, **spec.values}
    if at == "end":
        values = result.outcomes_at(-1) if result is not None else {}
        return [{**base, **{o: float(values[o]) if result is not None else float("nan") for o in keep}}]
    if result is None:
        return [{**base, "month": -1, "date": "", **{o: float("nan") for o in keep}}]
    months = range(len(result.overall)) if at == "all" else at
    rows = []
    for m in months:
        values = result.outcomes_at(m)
        rows.append({**base, "month": m, "date": month_to_date(m), **{o: values[o] for o in keep}})
    return rows


def run_batch(specs: list[RunSpec], months: int, keep: list[str], at: str | list[int],
              stamp: tuple[str, str] | str) -> pd.DataFrame:
    """Run a batch of planned runs; a run that raises becomes a 'failed' row with its error.

    ``stamp`` is (experiment file hash, folder fingerprint), written into every row.
    """
    stamp = (stamp, "") if isinstance(stamp, str) else stamp
    rows = []
    groups: dict[tuple, list[RunSpec]] = {}
    for spec in specs:  # runs that share the population's shape share one pass of the model
        groups.setdefault(api.batch_key(spec.scenario, spec.values), []).append(spec)
    for group in groups.values():
        start = time.perf_counter()
        try:
            results = api.run_batch([(api.scenario_with(s.scenario, s.values), s.seed) for s in group], months=months)
        except Exception:  # noqa: BLE001 - run them one by one, so that each failure is recorded with its run
            results = None
        wall = (time.perf_counter() - start) / len(group)
        for k, spec in enumerate(group):
            if results is not None:
                rows += _rows(spec, stamp, keep, at, results[k], "", wall)
                continue
            start = time.perf_counter()
            try:
                result, error = api.run(spec.scenario, seed=spec.seed, months=months, overrides=spec.values), ""
            except Exception as exc:  # noqa: BLE001 - recorded per run, the experiment goes on
                result, error = None, f"{type(exc).__name__}: {exc}"
            rows += _rows(spec, stamp, keep, at, result, error, time.perf_counter() - start)
    rows.sort(key=lambda row: (row["run_id"], row.get("month", 0)))
    return pd.DataFrame(rows)


def dask_address(dask: str) -> tuple[str, int] | None:
    """``--dask``: None for a local cluster, else the scheduler's (host, port); ResultsError if malformed."""
    if dask == "local":
        return None
    match = _DASK_ADDRESS.fullmatch(dask)
    if not match or not 1 <= int(match["port"]) <= 65535:
        raise store.ResultsError(f"--dask {show(dask)}: expected local or tcp://HOST:PORT (the address of a Dask "
                                 "scheduler you trust)")
    return match["host"].strip("[]"), int(match["port"])


def _connect(dask: str, host: str, port: int):
    """A client of the scheduler at ``dask``, or ResultsError within about DASK_CONNECT_TIMEOUT seconds.

    The scheduler must answer an identity request in time first: a port that accepts
    connections and never speaks would otherwise hold the client (and this process) forever.
    """
    import asyncio

    async def identity() -> object:
        comm = await connect(dask, timeout=f"{DASK_CONNECT_TIMEOUT}s")
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    try:
        socket.create_connection((host, port), timeout=DASK_CONNECT_TIMEOUT).close()
    except OSError as exc:
        reason = "unknown host" if isinstance(exc, socket.gaierror) else (
            "timed out" if isinstance(exc, TimeoutError) else exc.strerror or type(exc).__name__)
        raise store.ResultsError(f"--dask {dask}: cannot reach a scheduler there ({reason}); nothing was started") from None
    from distributed import Client
    from distributed.comm import connect

    try:
        reply = asyncio.run(asyncio.wait_for(identity(), DASK_CONNECT_TIMEOUT))
    except (OSError, TimeoutError, ValueError, TypeError) as exc:  # CommClosedError is an OSError
        reply = exc
    except MemoryError:  # a peer that announces a frame larger than memory (numpy's allocation fails at once)
        reply = MemoryError("it announced a message larger than this machine's memory")
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        why = (str(reply) if isinstance(reply, MemoryError) else type(reply).__name__) if isinstance(reply, Exception) else ""
        raise store.ResultsError(f"--dask {dask}: no Dask scheduler answered there within {DASK_CONNECT_TIMEOUT:g} s"
                                 f"{f' ({why})' if why else ''}; nothing was started")
    try:
        return Client(dask, timeout=f"{DASK_CONNECT_TIMEOUT}s")
    except (OSError, TimeoutError, ValueError, MemoryError) as exc:
        raise store.ResultsError(f"--dask {dask}: the scheduler answered but a client could not connect "
                                 f"({type(exc).__name__}); nothing was started") from None


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
    address = dask_address(dask)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise store.ResultsError("--dask needs the optional Dask extra: pip install -e '.[dask]'") from None
    if address is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, _connect(dask, *address)
    handlers = logging.getLogger("distributed").handlers  # distributed logs through its own stderr handler
    levels = [h.level for h in handlers]
    if cluster is None:  # a lost scheduler is reported in one line, not in the client's reconnection tracebacks
        for handler in handlers:
            handler.setLevel(logging.CRITICAL)
    try:
        yield client.get_executor(pure=False)
    finally:
        try:
            client.close(timeout=DASK_CONNECT_TIMEOUT)
        except (OSError, TimeoutError):  # a scheduler already gone
            pass
        if cluster is not None:
            cluster.close()
        for handler, level in zip(handlers, levels):
            handler.setLevel(level)


def run_experiment(exp: Experiment, out: Path, workers: int = 1, dask: str | None = None, batch: int | None = None,
                   retry_failed: bool = False, progress: bool = True) -> BatchReport:
    """Run what is missing from ``out`` (everything on a new folder).

    Before anything is created: the folder must be writable, the Dask address well formed
    and its scheduler reachable. Then the folder is locked (one writer at a time), its
    manifest checked against this experiment (or written), and the missing runs made. A
    fault while running (no space left, a dead worker, a lost scheduler) ends it with a
    ResultsError saying how many finished runs are saved and how to resume.
    """
    store.check_out(out, experiment=True)
    if dask is not None:
        dask_address(dask)
    with ExitStack() as stack:
        if out.is_dir():  # lock first: a second writer is refused before it starts a pool or a cluster
            stack.enter_context(store.writer(out))
        pool = stack.enter_context(executor_for(workers, dask))
        if not out.is_dir():
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(exc.errno, f"{out}: cannot create: {exc.strerror}") from None
            stack.enter_context(store.writer(out))
        return _run(exp, out, pool, workers, batch, retry_failed, progress)


def _memory_cap(exp: Experiment) -> int:
    """Runs a batch of this experiment may hold within ``BATCH_MEMORY``, at its largest cohort."""
    scales = {}
    if "cohort_scale" in exp.parameters:
        scales = {"cohort_scale": float(exp.points[:, exp.parameters.index("cohort_scale")].max())}
    return min(memory_cap(api.replicate_bytes(api.batch_key(s, scales))) for s in exp.scenarios)


def _run(exp: Experiment, out: Path, pool: Executor | None, workers: int, batch: int | None, retry_failed: bool,
         progress: bool) -> BatchReport:
    manifest = store.prepare(out, exp)
    store.clean_temporary(out)
    done = store.finished_runs(out, manifest)
    skip = done["run_id"] if not retry_failed else done.loc[done["status"] == "ok", "run_id"]
    todo = np.setdiff1d(np.arange(exp.n_runs), skip.to_numpy(dtype=np.int64))
    size = batch or min(batch_size(len(todo), workers), _memory_cap(exp))  # as compare: one batch per worker
    batches = (exp.runs(todo[i:i + size]) for i in range(0, len(todo), size))  # built as submitted
    start = time.perf_counter()
    ran = failed = 0
    bar = tqdm(total=exp.n_runs, initial=exp.n_runs - len(todo), desc="experiment", unit="run",
               disable=not progress, dynamic_ncols=True, smoothing=0.1)
    args = (exp.months, exp.keep, exp.at, (exp.file_hash, store.stamp(manifest)))

    def stopped(what: str) -> store.ResultsError:
        bar.close()
        saved = len(done) + ran
        return store.ResultsError(f"{what}; {saved} finished runs are saved in {out}; {'' if 'space' not in what else 'free space and '}"
                                  "run the same command to resume")

    try:
        finished = ((run_batch(b, *args) for b in batches) if pool is None
                    else (rows for _, rows in as_finished(pool, run_batch, batches, max(2, 2 * workers), *args)))
        for rows in finished:
            try:
                ran, failed = _record(out, rows, ran, failed, bar)
            except OSError as exc:  # OutputError: a full disk, a file-size limit, a folder gone read-only
                reason = exc.reason if isinstance(exc, OutputError) else os.strerror(exc.errno or 0)
                raise stopped(f"cannot write a part file ({reason})") from None
    except KeyboardInterrupt:
        bar.close()
        return BatchReport(exp.n_runs, len(skip), ran, failed, time.perf_counter() - start, interrupted=True)
    except BrokenExecutor as exc:
        raise stopped(f"a worker process died ({type(exc).__name__}: killed, or out of memory)") from None
    except CancelledError:
        raise stopped("the Dask scheduler was lost (it cancelled the runs in flight)") from None
    except Exception as exc:  # noqa: BLE001 - distributed's own (KilledWorker, CommClosedError...), never a run's
        if type(exc).__module__.split(".")[0] != "distributed":
            raise
        raise stopped(f"Dask stopped the runs ({type(exc).__name__})") from None
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
