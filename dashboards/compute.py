"""Fast what-if runs for the workshop: a few paired replications on persistent process pools.

Every setting runs with the same seeds as the baseline (common random numbers), so a
card's difference from the baseline is paired. Before the policy starts a setting's run
is the baseline's, so each run resumes a baseline checkpoint taken at the start
(``model.api.checkpoint``/``resume``: the same numbers as a full run, a third of the
work from 2026). Results are cached by setting: they are deterministic, so sharing them
between sessions shares no one's state. A card says "better" or "worse" only by the rule
of ``experiments.verdicts`` (Holm across the six cards, and a minimum meaningful difference).
"""

from __future__ import annotations

import functools
import threading
import time
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeVar

import numpy as np
from solara.util import CancelledError

from experiments import verdicts
from experiments.runner import process_pool
from experiments.spec import dummy_seed
from model import api
from model.api import DEFAULT_MONTHS, Scenario, date_to_month, month_to_date

SEEDS = tuple(range(1, 21))  # 20 paired replications per what-if, so an interval can carry a verdict
CARD_OUTCOMES = ("stably_housed", "family_stability", "admin_clarity", "psychosocial_continuity",
                 "reoffended_any_cum", "cost_eur_cum")
STARTS = {"2026": "2026-01", "2016": "2016-01"}
END_DATE = month_to_date(DEFAULT_MONTHS - 1)
WORKERS = 2

WHAT_IF, BACKGROUND = "what-if", "background"
# what-ifs run on their own workers; comparisons and network snapshots on workers at a lower priority, so that
# a what-if takes the cores from them at once instead of waiting for their batches to end (Linux gives a nice-10
# process about a tenth of the share of a nice-0 one on a busy core)
NICE = {WHAT_IF: 0, BACKGROUND: 10}

T = TypeVar("T")
_pools: dict[str, Executor] = {}
_pool_lock = threading.Lock()


@dataclass(frozen=True, eq=False)  # compared by identity (holds arrays)
class Cards:
    """Card outcomes at the horizon for each seed: the setting and the baseline (seeds x outcomes)."""

    values: np.ndarray
    baseline: np.ndarray
    seconds: float

    def column(self, outcome: str) -> tuple[np.ndarray, np.ndarray]:
        """(values, paired differences from the baseline) of one outcome over the seeds."""
        k = CARD_OUTCOMES.index(outcome)
        return self.values[:, k], self.values[:, k] - self.baseline[:, k]

    def verdicts(self) -> dict[str, str | None]:
        """'better', 'worse' or None (unclear) for each card, judged together."""
        return verdicts.verdicts({o: self.column(o)[1] for o in CARD_OUTCOMES})


def final_values(state: bytes, scenario: Scenario, runs: int, reseeds: tuple[int, ...] | None = None) -> np.ndarray:
    """Card outcomes at the horizon of a checkpoint of ``runs`` runs resumed under ``scenario``: runs x cards
    (module level: pools pickle it)."""
    results = api.resume_batch(state, [scenario] * runs, None if reseeds is None else list(reseeds))
    return np.array([[float(r.final()[o]) for o in CARD_OUTCOMES] for r in results])


def pool(kind: str = WHAT_IF) -> Executor:
    """A worker pool of the dashboard (``experiments.runner.process_pool``): what-ifs, or background work.
    Started on first use; all fork from one server.

    ``dashboards.server`` starts the first from the main thread, so every worker dies with the
    dashboard even if that is killed.
    """
    with _pool_lock:
        if kind not in _pools:
            _pools[kind] = process_pool(WORKERS, preload=("dashboards.compute", "experiments.runner"), nice=NICE[kind])
        return _pools[kind]


class Stopping(CancelledError):
    """The dashboard is shutting down (Ctrl-C, SIGTERM) while a session's work runs: the work ends quietly (Solara
    reports no cancelled task), instead of a traceback about a pool that is already gone."""


stopping = threading.Event()  # set by the server when it begins to shut down


def on_pool(work: Callable[[Executor], T], kind: str = WHAT_IF) -> T:
    """``work(pool(kind))``, done again once on a fresh pool if a worker died (killed, out of memory).

    New workers fork from the same guarded server, so they still die with the dashboard. Once the server
    stops, whatever the pool raises ends the work as ``Stopping``.
    """
    try:
        current = pool(kind)
        try:
            return work(current)
        except BrokenProcessPool:
            if stopping.is_set():
                raise
            _replace(current, kind)
            return work(pool(kind))
    except (BrokenProcessPool, RuntimeError) as exc:  # RuntimeError: "cannot schedule new futures after shutdown"
        if stopping.is_set() or "after shutdown" in str(exc):
            raise Stopping() from None
        raise


def _replace(broken: Executor, kind: str) -> None:
    """Drop a broken pool, once, however many sessions saw it break."""
    with _pool_lock:
        if _pools.get(kind) is broken:
            broken.shutdown(wait=False)
            del _pools[kind]


def _chunks(seeds: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The seeds split into one batch per worker (each batch runs in one pass)."""
    size = -(-len(seeds) // WORKERS)
    return [seeds[i:i + size] for i in range(0, len(seeds), size)]


def _on_chunks(fn: Callable[..., Any], *args_per_chunk: tuple[Any, ...]) -> list[Any]:
    """``fn`` once per chunk of seeds on the pool (arguments zipped over the chunks)."""
    def work(executor: Executor) -> list[Any]:
        futures = [executor.submit(fn, *args) for args in zip(*args_per_chunk, strict=True)]
        return [f.result() for f in futures]

    return on_pool(work)


@functools.lru_cache(maxsize=2 * len(STARTS))
def _checkpoints(start: str, seeds: tuple[int, ...]) -> tuple[bytes, ...]:
    """Baseline checkpoints at the policy start: one batch per chunk of seeds."""
    month = date_to_month(STARTS[start])
    chunks = _chunks(seeds)
    return tuple(_on_chunks(api.checkpoint, ("baseline",) * len(chunks), chunks, (month,) * len(chunks)))


@functools.lru_cache(maxsize=512)
def _runs(key: tuple[tuple[str, Any], ...], start: str, seeds: tuple[int, ...], dummy: float | None) -> np.ndarray:
    scenario = api.scenario_from("baseline", dict(key), STARTS[start]) if key else api.scenario_with("baseline")
    chunks = _chunks(seeds)
    reseeds = tuple(None if dummy is None else tuple(dummy_seed(seed, dummy) for seed in chunk) for chunk in chunks)
    values = _on_chunks(final_values, _checkpoints(start, seeds), (scenario,) * len(chunks),
                        tuple(len(c) for c in chunks), reseeds)
    return np.concatenate(values)


def what_if(overrides: Mapping[str, Any], start: str, seeds: tuple[int, ...] = SEEDS,
            dummy: float | None = None) -> Cards:
    """Card outcomes for validated ``overrides`` in force from ``start`` ('2026' or '2016').

    ``dummy`` (the sensitivity dummy, in [0, 1]) changes only the random numbers from the start
    on: a what-if that can differ from the baseline by chance alone, for testing verdicts.
    """
    if start not in STARTS:
        raise ValueError(f"start {start!r}; allowed: {', '.join(STARTS)}")
    began = time.perf_counter()
    seeds = tuple(seeds)
    base = _runs((), "2026", seeds, None)
    key = tuple(sorted(overrides.items()))
    values = _runs(key, start, seeds, dummy) if key or dummy is not None else base
    return Cards(values, base, time.perf_counter() - began)
