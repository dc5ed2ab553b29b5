"""Experiment files: scenarios x a design over parameters x replications, and the run plan.

An experiment is a TOML file (same conventions and errors as scenario files):

    title = "..."; description = "..."
    scenarios = ["baseline"]          # names or files
    replications = 5                  # per design point
    months = 204
    seed = 1                          # root seed: replicate r uses the same seed at every point
    [outcomes]
    keep = ["reintegration_index"]    # default: the key outcomes
    at = "end"                        # "end", "all" (trajectories) or ["2020-12", "2030-12"]
    [design]
    kind = "morris"                   # grid | lhs | morris | sobol
    parameters = ["assumptions"]      # names, or "assumptions" (every assumption) ...
    samples = 10                      # lhs: points; morris: trajectories; sobol: base N (power of 2)
    levels = 4                        # morris grid levels
    [design.ranges]                   # optional narrower ranges: name = [low, high]
    [design.grid]                     # grid designs: name = [values]

Sensitivity designs (morris, sobol) add a ``dummy`` parameter that no process reads.
With common random numbers an ignored dummy would have an index of exactly zero, so the
dummy instead changes the run's random numbers (its value is mixed into the seed) and
nothing else: its index measures chance alone, the noise floor below which an index
means nothing.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

from model.api import (DEFAULT_MONTHS, KEY_OUTCOMES, OUTCOMES, REGISTRY, ParameterError, Scenario, ScenarioError,
                       check_keys, check_texts, date_to_month, load, name_problem, parse_toml, read_input, show, suggest)

from .runner import replicate_seeds, uncertain_parameters

DUMMY = "dummy"
KINDS = ("grid", "lhs", "morris", "sobol")
_TOP = {"title": str, "description": str, "scenarios": list, "replications": int, "months": int, "seed": int,
        "outcomes": dict, "design": dict}
_OUTCOMES = {"keep": list, "at": (str, list)}
# Sobol base samples at least: on x1 + x2^2 (3 inputs) SALib's bootstrap 95% half-width of ST, median over 20 seeds,
# is 2.07 at 4 base samples, 0.64 at 8, 0.36 at 16, 0.26 at 32 and 0.18 at 64: from 32 an index of 0.5 is told from
# none (tests/experiments/test_sensitivity.py measures it)
SOBOL_MIN_SAMPLES = 32
_DESIGN = {"kind": str, "parameters": list, "samples": int, "levels": int, "ranges": dict, "grid": dict}
# Plans refused before sampling (README, "Plan size"): the design's values (points x parameters, 8 bytes each
# as floats: 80 MB, a few times that while SALib samples) and the runs (one id each while a resume is planned).
MAX_DESIGN_VALUES = 10_000_000
MAX_RUNS = 10_000_000


class ExperimentError(ValueError):
    """An experiment file that cannot be used; one line naming file and field."""


@dataclass(frozen=True)
class RunSpec:
    """One planned run: which scenario, design point and replicate, with what seed and values."""

    run_id: int
    scenario: Scenario
    point: int
    rep: int
    seed: int
    values: dict[str, Any]


@dataclass
class Experiment:
    path: Path
    title: str
    description: str
    scenarios: list[Scenario]
    replications: int
    months: int
    seed: int
    keep: list[str]
    at: str | list[int]  # "end", "all" or month indices
    kind: str
    parameters: list[str]  # varied parameters (dummy included for sensitivity designs)
    bounds: dict[str, tuple[float, float]]
    points: np.ndarray  # design points x parameters (in the order of `parameters`)
    file_hash: str = ""
    samples: int = 0
    levels: int = 4
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_runs(self) -> int:
        return len(self.scenarios) * len(self.points) * self.replications

    def point_values(self, point: int) -> dict[str, Any]:
        """A design point as model parameters (the dummy dropped, integers rounded)."""
        values = {}
        for name, x in zip(self.parameters, self.points[point]):
            if name == DUMMY:
                continue
            p = REGISTRY[name]
            values[name] = int(round(x)) if p.kind == "int" else (x if p.kind in ("bool", "choice") else float(x))
        return values

    def plan(self) -> list[RunSpec]:
        """Every run, in a fixed order: scenario, then design point, then replicate."""
        return self.runs(np.arange(self.n_runs))

    def runs(self, run_ids: np.ndarray) -> list[RunSpec]:
        """The planned runs with these ids, built on demand: a 100,000-run plan never has to sit in memory.

        Run ids follow the plan's order, so ``run_id = (scenario * points + point) * replications + rep``.
        """
        ids = np.asarray(run_ids, dtype=np.int64)
        scenario, rest = np.divmod(ids, len(self.points) * self.replications)
        point, rep = np.divmod(rest, self.replications)
        seeds = self._replicate_seeds[rep].tolist()
        if DUMMY in self.parameters:  # a SeedSequence per run (30 us): cheap for the batch being built
            dummies = self.points[point, self.parameters.index(DUMMY)].astype(float).tolist()
            seeds = [dummy_seed(s, d) for s, d in zip(seeds, dummies, strict=True)]
        values = {p: self.point_values(p) for p in np.unique(point).tolist()}
        columns = zip(ids.tolist(), scenario.tolist(), point.tolist(), rep.tolist(), seeds)
        return [RunSpec(i, self.scenarios[s], p, r, seed, values[p]) for i, s, p, r, seed in columns]

    @cached_property
    def _replicate_seeds(self) -> np.ndarray:
        return np.array(replicate_seeds(self.seed, self.replications), dtype=np.uint64)

    def problem(self) -> dict[str, Any]:
        """The SALib problem definition of a sampled design."""
        return {"num_vars": len(self.parameters), "names": list(self.parameters),
                "bounds": [list(self.bounds[n]) for n in self.parameters]}


def dummy_seed(seed: int, dummy: float) -> int:
    """The replicate's seed mixed with the dummy's value: same value, same luck."""
    child = np.random.SeedSequence([seed, int(round(dummy * 2**32))])
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def _err(where: str, message: str) -> ExperimentError:
    return ExperimentError(f"{where}{message}")


def _parameters(names: list, where: str, sampled: bool) -> list[str]:
    out: list[str] = []
    for k, name in enumerate(names):
        at = f"{where}design.parameters[{k}]"
        if not isinstance(name, str):
            raise _err(at, f": expected a parameter name, got {type(name).__name__} {show(name)}")
        if name in ("assumptions", "uncertainties"):  # every uncertainty of the registry
            extra = [n for n in uncertain_parameters() if n in out]
            if extra:
                raise _err(at, f": 'assumptions' includes {extra[0]}, which is already named")
            out += uncertain_parameters()
            continue
        if name not in REGISTRY:
            raise _err(at, f": unknown parameter {show(name)}{suggest(name, REGISTRY)}")
        if name in out:
            also = " (it is one of the 'assumptions')" if "assumptions" in names[:k] else ""
            raise _err(at, f": {name} is named twice{also}; a design varies each parameter once")
        if sampled and REGISTRY[name].kind not in ("real", "int"):
            raise _err(at, f": {name} is {REGISTRY[name].kind}; sampled designs need real or int parameters (use a grid)")
        out.append(name)
    if not out:
        raise _err(where, "design.parameters: name at least one parameter")
    return out


def _bounds(names: list[str], ranges: dict, where: str) -> dict[str, tuple[float, float]]:
    bounds = {}
    for name, value in ranges.items():
        at = f"{where}design.ranges.{name}"
        if name not in names:
            raise _err(at, f": {name!r} is not a varied parameter{suggest(name, names)}")
        p = REGISTRY[name]
        ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        if not ok or not (p.low <= value[0] < value[1] <= p.high):
            raise _err(at, f": {show(value)} is not allowed; expected [low, high] with {p.low:g} <= low < high <= {p.high:g}")
        bounds[name] = (float(value[0]), float(value[1]))
    for name in names:  # by default an uncertainty spans its prior (what is plausible), a lever its bounds
        if name != DUMMY:
            p = REGISTRY[name]
            span = (p.prior.low, p.prior.high) if p.prior is not None else (p.low, p.high)
            bounds.setdefault(name, (float(span[0]), float(span[1])))
    bounds[DUMMY] = (0.0, 1.0)
    return bounds


def _grid(grid: dict, where: str) -> tuple[list[str], list[list[Any]]]:
    """The grid's parameters and their validated values (the points are their product, built once its size is checked)."""
    if not grid:
        raise _err(where, "design.grid: a grid design needs at least one parameter with a list of values")
    names, axes = [], []
    for name, values in grid.items():
        at = f"{where}design.grid.{name}"
        if name not in REGISTRY:
            raise _err(at, f": unknown parameter{suggest(name, REGISTRY)}")
        if not isinstance(values, list) or not values:
            raise _err(at, ": expected a non-empty list of values")
        try:
            axis = [REGISTRY[name].validate(v) for v in values]
        except ParameterError:
            raise _err(at, f": {show(values)} has a value outside {REGISTRY[name].allowed()}") from None
        repeated = next((v for k, v in enumerate(axis) if v in axis[:k]), None)
        if repeated is not None:
            raise _err(at, f": {show(repeated)} is listed twice; list each value once (replications repeat a point, "
                           "and a repeated point would count as two)")
        axes.append(axis)
        names.append(name)
    return names, axes


def _check_size(where: str, n_points: int, n_parameters: int, n_runs: int, what: str) -> None:
    """Refuse a plan too large to hold before it is built (README, "Plan size")."""
    values = n_points * n_parameters
    if values > MAX_DESIGN_VALUES:
        raise _err(where, f"design: too large to hold: {what} has {n_points:,} design points x {n_parameters} parameters "
                          f"= {values:,} values (limit {MAX_DESIGN_VALUES:,}); use fewer samples, values or parameters")
    if n_runs > MAX_RUNS:
        raise _err(where, f"replications: too many runs: {n_runs:,} (limit {MAX_RUNS:,}); use fewer replications, "
                          "scenarios or design points")


def _sample(kind: str, problem: dict, samples: int, levels: int, seed: int) -> np.ndarray:
    from .sensitivity import sample

    return sample(kind, problem, samples, seed, levels)


def _at(value: Any, months: int, where: str) -> str | list[int]:
    if value in ("end", "all"):
        return value
    if not isinstance(value, list) or not value:
        raise _err(where, f"outcomes.at: {show(value)} is not allowed; expected \"end\", \"all\" or a list of dates YYYY-MM")
    out = []
    for k, date in enumerate(value):
        if not isinstance(date, str):
            raise _err(where, f"outcomes.at[{k}]: expected a date YYYY-MM, got {type(date).__name__} {show(date)}")
        try:
            month = date_to_month(date)
        except ValueError:
            raise _err(where, f"outcomes.at[{k}]: {show(date)} is not a date YYYY-MM") from None
        if not 0 <= month < months:
            raise _err(where, f"outcomes.at[{k}]: {date} lies outside the horizon (2014-01 plus {months} months)")
        out.append(month)
    return sorted(set(out))


def _scenarios(refs: list, where: str) -> list[Scenario]:
    if not refs:
        raise _err(where, "scenarios: name at least one scenario (or leave the key out for the baseline)")
    scenarios = []
    for k, ref in enumerate(refs):
        if not isinstance(ref, str):
            raise _err(where, f"scenarios[{k}]: expected a scenario name or file, got {type(ref).__name__} {show(ref)}")
        try:
            scenario = load(ref)
        except ScenarioError as exc:
            raise _err(where, f"scenarios: {exc}") from None
        if scenario.name in [s.name for s in scenarios]:
            raise _err(where, f"scenarios[{k}]: {scenario.name} is named twice (results are told apart by scenario name)")
        scenarios.append(scenario)
    return scenarios


def _keep(keep: list, where: str) -> list[str]:
    if not keep:
        raise _err(where, "outcomes.keep: name at least one outcome (or leave the key out for the key outcomes)")
    for k, name in enumerate(keep):
        if not isinstance(name, str):
            raise _err(where, f"outcomes.keep[{k}]: expected an outcome name, got {type(name).__name__} {show(name)}")
        if name not in OUTCOMES:
            raise _err(where, f"outcomes.keep[{k}]: unknown outcome {show(name)}{suggest(name, OUTCOMES)}")
        if name in keep[:k]:
            raise _err(where, f"outcomes.keep[{k}]: {name} is named twice")
    return list(keep)


def load_experiment(path: str | Path, reps: int | None = None, months: int | None = None) -> Experiment:
    """Read, validate and expand an experiment file; ``reps``/``months`` override it for trial runs."""
    path = Path(path)
    problem = name_problem(path)
    if problem:
        raise ExperimentError(f"{path}: {problem}")
    if not path.exists():  # a folder, FIFO or device exists: read_input names what it is
        raise ExperimentError(f"{path}: no such experiment file")
    raw = read_input(path, ExperimentError)
    data = parse_toml(path, raw, ExperimentError)
    where = f"{path}: "
    check_keys(data, _TOP, where, ExperimentError)
    for key in ("title", "description", "design"):
        if key not in data:
            raise _err(where, f"{key}: missing")
    check_texts(data, where, ExperimentError)
    scenarios = _scenarios(data.get("scenarios", ["baseline"]), where)
    replications = reps if reps is not None else data.get("replications", 1)
    months = months if months is not None else data.get("months", DEFAULT_MONTHS)
    if not 1 <= replications <= 100_000:
        raise _err(where, f"replications: {show(replications)} is out of range; allowed 1 to 100000")
    if not 1 <= months <= 1200:
        raise _err(where, f"months: {show(months)} is out of range; allowed 1 to 1200")
    seed = data.get("seed", 0)
    if not 0 <= seed < 2**63:
        raise _err(where, f"seed: {show(seed)} is out of range; allowed 0 to 2**63-1")

    outcomes = data.get("outcomes", {})
    check_keys(outcomes, _OUTCOMES, where + "outcomes.", ExperimentError)
    keep = _keep(outcomes.get("keep", list(KEY_OUTCOMES)), where)
    at = _at(outcomes.get("at", "end"), months, where)

    design = data["design"]
    check_keys(design, _DESIGN, where + "design.", ExperimentError)
    kind = design.get("kind")
    if kind not in KINDS:
        raise _err(where, f"design.kind: {kind!r} is not allowed; expected one of {', '.join(KINDS)}")
    samples, levels = design.get("samples", 0), design.get("levels", 4)
    if kind == "grid":
        names, axes = _grid(design.get("grid", {}), where)
        n_points = math.prod(len(axis) for axis in axes)
        _check_size(where, n_points, len(names), len(scenarios) * n_points * replications, "this grid")
        points = np.array(list(product(*axes)), dtype=object)
        bounds = {}
    else:
        if "grid" in design:
            raise _err(where, f"design.grid: only for grid designs, not {kind}")
        names = _parameters(design.get("parameters", []), where, sampled=True)
        if kind in ("morris", "sobol"):
            names = names + [DUMMY]
        if not 2 <= samples <= 100_000:
            raise _err(where, f"design.samples: {show(samples)} is out of range; allowed 2 to 100000")
        if kind == "sobol" and samples & (samples - 1):
            raise _err(where, f"design.samples: {samples} is not a power of 2 (Sobol sequences need one)")
        if kind == "sobol" and samples < SOBOL_MIN_SAMPLES:
            raise _err(where, f"design.samples: {samples} is too few for Sobol indices; at least {SOBOL_MIN_SAMPLES} "
                              f"(then {2 * SOBOL_MIN_SAMPLES}, {4 * SOBOL_MIN_SAMPLES}, ...): with fewer, the bootstrap "
                              "interval of a total index spans most of [0, 1]")
        if not 2 <= levels <= 20:
            raise _err(where, f"design.levels: {show(levels)} is out of range; allowed 2 to 20")
        if kind == "morris" and levels % 2:  # an odd grid makes Morris's jumps uneven (SALib only warns)
            raise _err(where, f"design.levels: {levels} is odd; a Morris design needs an even number of levels "
                              "(2, 4, 6, ... 20)")
        bounds = _bounds(names, design.get("ranges", {}), where)
        n_points = {"lhs": samples, "morris": samples * (len(names) + 1), "sobol": samples * (len(names) + 2)}[kind]
        _check_size(where, n_points, len(names), len(scenarios) * n_points * replications, f"this {kind} sample")
        exp = Experiment(path, "", "", [], 0, 0, seed, [], "end", kind, names, bounds, np.zeros((0, 0)))
        points = _sample(kind, exp.problem(), samples, levels, seed)
    clash = set(names) & set(OUTCOMES)
    if clash:
        raise _err(where, f"design: parameter names clash with outcomes: {sorted(clash)}")
    return Experiment(path, data["title"], data["description"].strip(), scenarios, replications, months, seed, keep,
                      at, kind, names, bounds, points, hashlib.sha256(raw).hexdigest()[:16], samples, levels)
