"""The model's public API: what dashboards, experiments and the CLI call.

Nothing outside ``model/`` reaches into agents or state arrays; it asks for a run
and gets tables back.
"""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from . import __version__, diagnostics, memory
from .agencies import AGENCY_TYPES
from .calendar import DEFAULT_MONTHS, date_to_month, month_to_date
from .constants import MAX_MANIFEST_BYTES, REPLICATE_BYTES_FIXED, REPLICATE_BYTES_PER_SCALE, SECONDS_DIGITS
from .files import (CSV_FLOAT_FORMAT, OutputError, atomic_write, name_problem, output_error, read_csv, read_input,
                    special_kind, write_csv, write_json)
from .knockouts import KNOCKOUTS, PATHWAYS
from .model import ReintegrationModel
from .network import LAYERS
from .outcomes import COLUMNS, GROUP_COLUMNS, GROUPS, KEY_OUTCOMES, OUTCOMES, by_group_frame, timeseries_frame
from .parameters import REGISTRY, Parameter, ParameterError, control_character, markdown_table, show, suggest
from .scenario import (RECOMMENDATIONS, SCENARIO_DIR, Scenario, ScenarioError, catalogue, check_keys, check_texts,
                       first_difference, load, parse_toml)
from .state import CUSTODY_NAMES
from .timeline import BatchTimeline

SOURCES = Path(__file__).resolve().parent  # the model's code (hashed into experiment fingerprints)

memory.keep_freed_memory()  # before any batch: its month's temporaries are reused, not mapped anew

__all__ = [
    # runs
    "RunResult", "scenario_with", "scenario_from", "build", "run", "run_batch", "network_at", "batch_key", "checkpoint",
    "resume", "resume_batch", "agency_types", "housing_hazard_ratio", "save", "KNOCKOUTS", "PATHWAYS",
    # vocabulary: outcomes, groups, layers, parameters, scenarios, dates, states
    "COLUMNS", "GROUP_COLUMNS", "GROUPS", "OUTCOMES", "KEY_OUTCOMES", "LAYERS", "CUSTODY_NAMES", "REGISTRY", "Parameter",
    "ParameterError", "show", "suggest", "control_character", "markdown_table", "Scenario", "ScenarioError", "load",
    "catalogue", "first_difference", "check_keys", "check_texts", "parse_toml", "RECOMMENDATIONS", "SCENARIO_DIR",
    "DEFAULT_MONTHS", "date_to_month", "month_to_date", "__version__", "SOURCES",
    # files
    "write_csv", "read_csv", "write_json", "atomic_write", "OutputError", "CSV_FLOAT_FORMAT", "read_input",
    "special_kind", "name_problem", "MAX_MANIFEST_BYTES",
]


@dataclass
class RunResult:
    """One run: monthly outcomes overall and by group, and what produced them.

    ``overall`` (months x ``outcomes.COLUMNS``) and ``groups`` (``outcomes.GROUPS`` x months x
    ``outcomes.GROUP_COLUMNS``) are the arrays; ``timeseries`` and ``by_group`` are the same numbers as the
    tables of the CSV files, built on first use (batch workers hand back the arrays and never need them).
    """

    scenario: Scenario
    seed: int
    months: int
    overall: np.ndarray
    groups: np.ndarray
    wall_time: float
    knockouts: tuple[str, ...] = ()
    overrides: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        return timeseries_frame(self.overall)

    @cached_property
    def by_group(self) -> pd.DataFrame:
        return by_group_frame(self.groups)

    def outcomes_at(self, month: int) -> dict[str, float]:
        """Every outcome of timeseries.csv in one month (-1: the last), without building the table."""
        return dict(zip(COLUMNS, self.overall[month].tolist()))

    def final(self) -> pd.Series:
        """The last month's row of timeseries.csv."""
        last = len(self.overall) - 1
        return pd.Series({"month": last, "date": month_to_date(last), **self.outcomes_at(last)})

    def metadata(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.describe(),
            "overrides": dict(self.overrides),
            "seed": self.seed,
            "months": self.months,
            "knockouts": list(self.knockouts),
            "model_version": __version__,
            "wall_time_s": round(self.wall_time, SECONDS_DIGITS),
        }


def scenario_with(scenario: str | Path | Scenario | None, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """A scenario by name, path or object, with validated overrides over the whole horizon (``Scenario.with_values``)."""
    if scenario is None:
        scenario = "baseline"
    sc = scenario if isinstance(scenario, Scenario) else load(scenario)
    return sc.with_values(overrides or {})


def scenario_from(scenario: str | Path | Scenario | None, overrides: Mapping[str, Any], start: str) -> Scenario:
    """A scenario with validated overrides in force from ``start`` (YYYY-MM) to the end (``Scenario.with_phase``).

    The overrides form a last phase, so they win over the scenario's own phases from ``start`` on.
    """
    return scenario_with(scenario).with_phase(date_to_month(start), overrides)


def build(scenario: str | Path | Scenario | None = "baseline", seed: int = 0, months: int = DEFAULT_MONTHS,
          overrides: Mapping[str, Any] | None = None, knockouts: Iterable[str] = ()) -> ReintegrationModel:
    """A model ready to step (for step-by-step views such as the network page)."""
    return ReintegrationModel(scenario_with(scenario, overrides), seed=seed, months=months, knockouts=knockouts)


def _results(model: ReintegrationModel, wall: float, overrides: Mapping[str, Any] | None = None) -> list[RunResult]:
    each = wall / model.replicates
    overall, groups = model.recorder.arrays()
    return [RunResult(scenario=model.specs[r], seed=model.seeds[r], months=model.months, overall=overall[r],
                      groups=groups[r], wall_time=each, knockouts=tuple(sorted(model.knockouts)), overrides=dict(overrides or {}))
            for r in range(model.replicates)]


def run(scenario: str | Path | Scenario | None = "baseline", seed: int = 0, months: int = DEFAULT_MONTHS,
        overrides: Mapping[str, Any] | None = None, knockouts: Iterable[str] = ()) -> RunResult:
    """Run one scenario with one seed over ``months`` months (a batch of one)."""
    start = time.perf_counter()
    model = build(scenario, seed, months, overrides, knockouts)
    model.run()
    return _results(model, time.perf_counter() - start, overrides)[0]


def run_batch(runs: Iterable[tuple[str | Path | Scenario, int]], months: int = DEFAULT_MONTHS,
              knockouts: Iterable[str] = (), on_month: Callable[[int], None] | None = None) -> list[RunResult]:
    """Run many (scenario, seed) pairs in one pass; each result equals what the same run gives alone.

    The runs must share the parameters that set the population's shape (cohort scale, prisons,
    municipalities, ties per returnee: ``model.initialization.SHAPE``); anything else may differ.
    ``on_month(months done)`` is called after every month of the pass (a progress bar).
    """
    start = time.perf_counter()
    model = ReintegrationModel(runs=[(scenario_with(s), seed) for s, seed in runs], months=months, knockouts=knockouts)
    model.run(on_month)
    return _results(model, time.perf_counter() - start)


def batch_key(scenario: str | Path | Scenario | None, overrides: Mapping[str, Any] | None = None) -> tuple:
    """What runs of one batch must share: the parameters that set the population's shape."""
    from .initialization import SHAPE

    start = scenario_with(scenario, overrides).timeline().values_at(0)
    return tuple(start[k] for k in SHAPE)


def replicate_bytes(key: tuple) -> float:
    """About the memory one replicate of a batch with this ``batch_key`` takes (it grows with the cohort)."""
    from .initialization import SHAPE

    return REPLICATE_BYTES_FIXED + REPLICATE_BYTES_PER_SCALE * float(key[SHAPE.index("cohort_scale")])


def network_at(scenario: str | Path | Scenario | None = "baseline", seed: int = 0, month: int = DEFAULT_MONTHS - 1,
               overrides: Mapping[str, Any] | None = None) -> nx.MultiGraph:
    """The multi-layer network after ``month`` (synthetic ids only), with returnee outcomes on nodes."""
    model = build(scenario, seed, month + 1, overrides)
    model.run()
    pop = model.pop
    attrs = {"custody": pop.custody, "woman": pop.woman, "citizenship": pop.citizenship, "housing": pop.housing,
             "trust": pop.trust, "ll_member": pop.ll_member, "present": pop.present()}
    graph = model.net.to_networkx(0, model.world.tie_freshness, attrs)
    graph.graph.update({"layers": LAYERS, "month": month, "scenario": model.spec.name})
    return graph


def checkpoint(scenario: str | Path | Scenario | None = "baseline", seed: int | Sequence[int] = 0, month: int = 0,
               months: int = DEFAULT_MONTHS) -> bytes:
    """A model of a ``months``-long run (or a batch, one per seed) stepped through its first ``month`` months,
    as opaque bytes for ``resume``."""
    seeds = [seed] if isinstance(seed, int) else list(seed)
    spec = scenario_with(scenario)
    model = ReintegrationModel(runs=[(spec, s) for s in seeds], months=months)
    while model.month < month:
        model.step()
    return pickle.dumps(model)


def resume_batch(state: bytes, scenarios: Sequence[str | Path | Scenario | None],
                 reseeds: Sequence[int] | None = None) -> list[RunResult]:
    """Continue a checkpoint to its horizon, run r under ``scenarios[r]``: the same as full runs of them.

    Each scenario must have the checkpoint's parameter values in every month before the checkpoint
    (for example ``scenario_from`` with a start at or after it), else ValueError. ``reseeds`` draws
    chance afresh from the checkpoint on (the sensitivity dummy: a change of random numbers and
    nothing else), so a what-if's verdicts can be tested against chance.
    """
    start = time.perf_counter()
    model = pickle.loads(state)
    specs = [scenario_with(s) for s in scenarios]
    if len(specs) != model.replicates:
        raise ValueError(f"the checkpoint holds {model.replicates} runs, not {len(specs)}")
    timelines = [s.timeline() for s in specs]
    before = model.timeline.timelines
    for spec, timeline, old in zip(specs, timelines, before):
        for m in range(model.month):
            if timeline.values_at(m) != old.values_at(m):
                raise ValueError(f"{spec.name}: differs from the checkpoint's scenario before month {model.month}")
    model.specs, model.timeline = specs, BatchTimeline(timelines)
    if reseeds is not None:
        model.reseed(reseeds)
    model.run()
    return _results(model, time.perf_counter() - start)


def resume(state: bytes, scenario: str | Path | Scenario | None, reseed: int | None = None) -> RunResult:
    """``resume_batch`` of a checkpoint of one run."""
    return resume_batch(state, [scenario], None if reseed is None else [reseed])[0]


def housing_hazard_ratio(scenario: str | Path | Scenario | None, seeds: Sequence[int],
                         months: int = DEFAULT_MONTHS) -> float:
    """Run-derived: any offence per month at risk without stable housing over with it (``model.diagnostics``)."""
    model = ReintegrationModel(runs=[(scenario_with(scenario), s) for s in seeds], months=months)
    model.run()
    return diagnostics.housing_hazard_ratio([model])


def agency_types(scenario: str | Path | Scenario | None = "baseline", seed: int = 0,
                 overrides: Mapping[str, Any] | None = None) -> list[str]:
    """The type name of every agency id (the ``agency`` attribute of agency nodes in ``network_at``)."""
    model = build(scenario, seed, 1, overrides)
    return [AGENCY_TYPES[k].name for k in model.ag.type]


def save(result: RunResult, out: Path) -> list[Path]:
    """Write timeseries.csv, timeseries_by_group.csv and run.json into ``out`` (OutputError if it cannot)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(out, exc) from None
    series, groups, meta = paths = [out / "timeseries.csv", out / "timeseries_by_group.csv", out / "run.json"]
    write_csv(result.timeseries, series)
    write_csv(result.by_group, groups)
    write_json(result.metadata(), meta)
    return paths
