"""Run many model runs in parallel and hand back compact arrays.

A task is (scenario, seed, months, overrides); a worker builds the model itself and
returns only the monthly outcome arrays, so the driver never holds model objects.
Any ``concurrent.futures.Executor`` works (a process pool by default); results are
keyed by task index, so they do not depend on the number of workers or their order.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
from tqdm import tqdm

from model import api
from model.api import REGISTRY, Scenario

from . import pool_server

PRIOR_STREAM = 0x5EED  # mixed into the root seed: prior draws never share numbers with replicate seeds
BATCH_CAP = 256  # runs per batch at most (batch_size)
BATCH_MEMORY = 1e9  # bytes of replicates a batch may hold (batches): 1 GB a worker


@dataclass(frozen=True)
class Task:
    scenario: Scenario
    seed: int
    months: int
    overrides: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Output:
    """Monthly outcomes of one run: overall (months x outcomes) and by group (groups x months x outcomes)."""

    columns: tuple[str, ...]
    overall: np.ndarray
    by_group: np.ndarray
    wall_time: float


def _output(result: api.RunResult) -> Output:
    columns = api.COLUMNS + tuple(f"group:{c}" for c in api.GROUP_COLUMNS)
    return Output(columns, result.overall, result.groups, result.wall_time)


def execute(task: Task) -> Output:
    """Run one task (module-level so that process pools can pickle it)."""
    return execute_batch([task])[0]


def execute_batch(tasks: Sequence[Task], on_month: Callable[[int], None] | None = None) -> list[Output]:
    """Run tasks that share months and population shape in one pass of the model (a batch)."""
    runs = [(api.scenario_with(t.scenario, t.overrides), t.seed) for t in tasks]
    return [_output(r) for r in api.run_batch(runs, months=tasks[0].months, on_month=on_month)]


def batches(tasks: Sequence[Task], size: int) -> list[list[int]]:
    """Task indices grouped into batches of at most ``size`` runs that can share a pass (same months and shape),
    and never more than ``BATCH_MEMORY`` bytes of replicates (a large cohort makes smaller batches)."""
    groups: dict[tuple, list[int]] = {}
    for i, t in enumerate(tasks):
        groups.setdefault((t.months, api.batch_key(t.scenario, t.overrides)), []).append(i)
    out = []
    for (_, key), ids in groups.items():
        k = min(size, memory_cap(api.replicate_bytes(key)))
        out += [ids[j:j + k] for j in range(0, len(ids), k)]
    return out


def memory_cap(replicate_bytes: float) -> int:
    """The most replicates of this size a batch holds within ``BATCH_MEMORY``."""
    return max(1, int(BATCH_MEMORY // replicate_bytes))


def batch_size(runs: int, workers: int, cap: int = BATCH_CAP) -> int:
    """Runs per batch: the runs shared out evenly, one batch per worker, never more than ``cap``.

    A batch's runs cost less the more there are (baseline, full horizon, on this project's machine: 0.17 s a
    run in a batch of 64, 0.12 in one of 256; docs/PERFORMANCE.md), and runs of one shape
    cost the same, so smaller batches would only slow every worker down. ``batches`` also keeps a batch within
    ``BATCH_MEMORY`` (a replicate of the Belgian cohort takes about 3.3 MB, at cohort scale 100 about 45 MB)."""
    return max(1, min(cap, -(-runs // max(workers, 1))))


def replicate_seeds(root_seed: int, reps: int) -> list[int]:
    """Independent 63-bit seeds for replicates 0..reps-1 (numpy SeedSequence.spawn)."""
    children = np.random.SeedSequence(root_seed).spawn(reps)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def uncertain_parameters() -> list[str]:
    """The uncertainties of the registry: what ``--uncertainty prior`` draws, fixed by the registry alone."""
    return [p.name for p in REGISTRY.values() if p.role == "uncertainty" and p.kind in ("real", "int")]


def prior_values(names: Sequence[str], u: np.ndarray) -> np.ndarray:
    """Values of the uncertainties ``names`` for uniforms u (draws x names) by their priors' inverse distribution
    functions, kept within bounds, integers rounded: the one rule for prior draws (compare, experiments, calibration)."""
    out = np.empty(u.shape)
    for j, name in enumerate(names):
        p = REGISTRY[name]
        value = np.clip(p.prior.draw(u[:, j], p.default), p.low, p.high)
        out[:, j] = np.round(value) if p.kind == "int" else value
    return out


def as_values(names: Sequence[str], row: np.ndarray) -> dict[str, Any]:
    """One draw as parameter values (integers as int)."""
    return {n: int(v) if REGISTRY[n].kind == "int" else float(v) for n, v in zip(names, row)}


def draw_priors(root_seed: int, reps: int) -> list[dict[str, Any]]:
    """One draw of every uncertainty per replicate from its prior, the same whichever scenarios are compared."""
    names = uncertain_parameters()
    u = np.random.default_rng(np.random.SeedSequence([root_seed, PRIOR_STREAM])).random((reps, len(names)))
    return [as_values(names, row) for row in prior_values(names, u)]


def _worker_start(nice: int) -> None:
    """Workers leave Ctrl-C to the driver (which stops the pool and reports what was saved)
    and die with their server, so a killed driver leaves no orphans behind; ``nice`` lowers their priority."""
    from .worker_guard import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if nice:
        os.nice(nice)


def process_pool(workers: int, preload: tuple[str, ...] = pool_server.POOL_PRELOAD, nice: int = 0) -> ProcessPoolExecutor:
    """A process pool whose workers fork from a clean server that has imported the model once
    (``pool_server.start``: already running when the command line started it early). Workers with a
    higher ``nice`` yield the cores to other pools' workers (the dashboard's comparisons to its what-ifs)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=pool_server.start(preload), initializer=_worker_start,
                               initargs=(nice,))


def as_finished(pool: Executor, fn: Callable[..., Any], items: Iterable[Any], window: int,
                *args: Any) -> Iterator[tuple[int, Any]]:
    """Yield (item index, ``fn(item, *args)``) as they finish, with at most ``window`` on ``pool`` at once.

    A bounded window keeps the driver's memory flat on long designs and lets a pool shared by
    a server take other callers' work between ours (it runs submissions in order).
    """
    queue = enumerate(items)
    pending: dict[Future, int] = {}
    for i, item in queue:
        pending[pool.submit(fn, item, *args)] = i
        if len(pending) >= window:
            break
    try:
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            # results first, failures last: a batch that finished is never lost to another one's error
            for future in sorted(finished, key=lambda f: f.cancelled() or f.exception() is not None):
                i = pending.pop(future)
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(fn, nxt[1], *args)] = nxt[0]
                yield i, future.result()
    finally:
        for future in pending:
            future.cancel()


def _runs_done(bar: tqdm, runs: int, months: int) -> Callable[[int], None]:
    """A batch's progress on ``bar`` in whole runs: runs x months done / months (a batch's runs end together)."""
    shown = 0

    def advance(month: int) -> None:
        nonlocal shown
        done = runs * month // max(months, 1)
        bar.update(done - shown)
        shown = done

    return advance


def run_tasks(tasks: Sequence[Task], workers: int = 1, executor: Executor | None = None,
              progress: bool = True, label: str = "runs", window: int | None = None,
              batch: int | None = None) -> Iterator[tuple[int, Output]]:
    """Yield (task index, output) as runs finish, serially or on an executor, in batches of runs that share a pass
    (``batch`` runs each, automatic by default; at most ``window`` batches queued). The progress bar counts runs."""
    groups = batches(tasks, batch or batch_size(len(tasks), workers if executor is None else workers))
    bar = tqdm(total=len(tasks), desc=label, unit="run", disable=not progress, smoothing=0.1, dynamic_ncols=True)
    try:
        if executor is None and workers <= 1:
            for ids in groups:
                advance = _runs_done(bar, len(ids), tasks[ids[0]].months)
                for i, output in zip(ids, execute_batch([tasks[i] for i in ids], on_month=advance)):
                    yield i, output
                advance(tasks[ids[0]].months)
            return
        own = executor is None
        pool = executor or process_pool(workers)
        try:
            chunks = [[tasks[i] for i in ids] for ids in groups]
            for k, outputs in as_finished(pool, execute_batch, chunks, window or len(chunks)):
                for i, output in zip(groups[k], outputs):
                    yield i, output
                bar.update(len(groups[k]))
        finally:
            if own:
                pool.shutdown(cancel_futures=True)
    finally:
        bar.close()
