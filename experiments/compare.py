"""Paired scenario comparison with honest uncertainty.

Replicate r of every scenario runs with the same seed (common random numbers), so
scenario differences are paired. With ``uncertainty="prior"`` each replicate
also draws every uncertainty of the registry from its prior, once, shared by all scenarios;
scenario files never set an uncertainty (they change an uncertain status quo on top of the
draw), so the set drawn, and the reference's interval, never depend on the scenarios compared.
Intervals are 95% t-intervals over replicates; trajectories show the median and the
10-90% band across replicates.
"""

from __future__ import annotations

import shlex
import time
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from model.api import (GROUPS, KEY_OUTCOMES, OUTCOMES, SCENARIO_DIR, Scenario, __version__, first_difference,
                       month_to_date, scenario_with)

from .quantiles import nanquantile
from .runner import Task, draw_priors, replicate_seeds, run_tasks
from .verdicts import verdicts

INTERVALS = {
    "posterior": "95% intervals over replications include what is still not known after calibration: each replicate "
                 "takes one parameter set of the posterior ensemble (the priors conditioned on the published Belgian "
                 "figures), the same set for every scenario compared",
    "chance": "95% intervals over replications measure random variation only (every uncertainty at its default)",
    "prior": "95% intervals over replications include what is not known: every uncertainty of the parameter registry "
             "drawn from its prior once per replicate, the same draw for every scenario compared",
}
ALIASES = {"parameters": "prior"}  # the flag's old word


@dataclass
class Comparison:
    scenarios: list[Scenario]
    seeds: list[int]
    months: int
    uncertainty: str
    columns: tuple[str, ...]
    group_columns: tuple[str, ...]
    overall: np.ndarray  # scenarios x reps x months x outcomes
    by_group: np.ndarray  # scenarios x reps x groups x months x group outcomes
    draws: list[dict[str, Any]]
    wall_time: float
    workers: int
    warnings: list[str] = field(default_factory=list)
    seeds_per_draw: int = 1  # replicates r of one parameter draw: r // seeds_per_draw
    root_seed: int = 0

    def command(self) -> str:
        """The shell command that reproduces this comparison, every word quoted for a POSIX shell: catalogue
        scenarios by name, any other scenario by its file's path."""
        refs = [s.name if s.path is None or s.path.resolve().parent == SCENARIO_DIR.resolve() else str(s.path)
                for s in self.scenarios]
        words = ["python", "run.py", "compare", *refs, "--reps", str(self.reps), "--seed", str(self.root_seed),
                 "--months", str(self.months), "--uncertainty", self.uncertainty]
        if self.seeds_per_draw > 1:
            words += ["--seeds-per-draw", str(self.seeds_per_draw)]
        return shlex.join(words)

    @property
    def reps(self) -> int:
        return len(self.seeds)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def metadata(self) -> dict[str, Any]:
        ref = self.scenarios[0].base
        return {
            "model_version": __version__, "reps": self.reps, "months": self.months, "root_seed": self.root_seed,
            "command": self.command(), "seeds": self.seeds,
            "uncertainty": self.uncertainty, "interval": INTERVALS[self.uncertainty], "workers": self.workers,
            "wall_time_s": round(self.wall_time, 2), "reference": self.names[0],
            "scenarios": [{**s.describe(), "differs_from_reference": differences(s, ref)} for s in self.scenarios],
            "warnings": self.warnings, "seeds_per_draw": self.seeds_per_draw, "parameter_draws": self.draws,
        }


def differences(scenario: Scenario, reference: dict[str, Any]) -> dict[str, Any]:
    """What a scenario sets differently from the reference (base values and dated phases)."""
    out: dict[str, Any] = {k: v for k, v in scenario.base.items() if reference.get(k) != v}
    for ph in scenario.phases:
        d = ph.describe()
        for k, v in d["parameters"].items():
            out[f"{k} from {d['start']}" + (f" to {d['end']}" if d["end"] else "")] = v
    return out


def horizon_warnings(scenarios: Sequence[Scenario], months: int) -> list[str]:
    """Comparisons that cannot show anything: dated measures after the horizon, or a copy of the reference."""
    end = month_to_date(months - 1)
    out = []
    for s in scenarios:
        first = s.first_phase()
        if first is not None and first >= months:
            out.append(f"{s.name}: its dated measures start in {month_to_date(first)}, after the horizon ends ({end}); "
                       "they do not act in this comparison")
    reference = scenarios[0]
    for s in scenarios[1:]:
        if first_difference(reference, s, months) is None:
            out.append(f"{s.name}: sets the same values as the reference {reference.name} in every month to {end}; "
                       "every difference from it is zero by construction")
    return out


def compare(scenarios: Sequence[str | Path | Scenario], reps: int = 30, seed: int = 0, months: int = 204,
            workers: int = 1, uncertainty: str = "posterior", progress: bool = True,
            executor: Executor | None = None, window: int | None = None, batch: int | None = None,
            on_progress: Callable[[int, int], None] | None = None, seeds_per_draw: int = 1) -> Comparison:
    """Run every scenario reps times with paired seeds; the first scenario is the reference.

    Runs go to ``executor`` when given (a pool shared by a server, which then gets at most
    ``window`` of them at a time), else to ``workers`` processes. ``on_progress(done, total)``
    follows the runs (a server's progress bar).
    """
    uncertainty = ALIASES.get(uncertainty, uncertainty)
    if uncertainty not in INTERVALS:
        raise ValueError(f"uncertainty {uncertainty!r}; allowed: {', '.join((*INTERVALS, *ALIASES))}")
    resolved = [scenario_with(s) for s in scenarios]
    seeds = replicate_seeds(seed, reps)
    k = seeds_per_draw if uncertainty != "chance" else 1
    n_draws = -(-reps // k)
    found: list[dict[str, Any]] = [{}] * n_draws
    notes: list[str] = []
    if uncertainty == "prior":  # scenario files never set an uncertainty, so no scenario overwrites a draw
        found = draw_priors(seed, n_draws)
    elif uncertainty == "posterior":
        from .calibration import draw_posterior, staleness

        found, notes = draw_posterior(seed, n_draws), staleness()
    draws = [found[r // k] for r in range(reps)]
    tasks = [Task(scenario_with(s, draws[r]), seeds[r], months) for s in resolved for r in range(reps)]
    start = time.perf_counter()
    outputs = {}
    for i, output in run_tasks(tasks, workers=workers, executor=executor, progress=progress, label="compare", window=window,
                               batch=batch):
        outputs[i] = output
        if on_progress is not None:
            on_progress(len(outputs), len(tasks))
    first = outputs[0]
    n_person = first.by_group.shape[-1]
    overall = np.stack([outputs[i].overall for i in range(len(tasks))]).reshape(len(resolved), reps, months, -1)
    groups = np.stack([outputs[i].by_group for i in range(len(tasks))]).reshape(len(resolved), reps, len(GROUPS), months, n_person)
    columns = first.columns[: overall.shape[-1]]
    group_columns = tuple(c.split(":", 1)[1] for c in first.columns[overall.shape[-1]:])
    return Comparison(resolved, seeds, months, uncertainty, columns, group_columns, overall, groups, draws,
                      time.perf_counter() - start, workers, notes + horizon_warnings(resolved, months), k, seed)


def half_width(c: Comparison, outcome: str) -> float:
    """The widest half-width of the paired 95% interval of ``outcome`` at the horizon over the compared scenarios."""
    k = c.columns.index(outcome)
    final = c.overall[:, :, -1, k]
    widths = [(hi - lo) / 2 for _, lo, hi in (interval(final[s] - final[0]) for s in range(1, len(c.scenarios)))]
    defined = [w for w in widths if not np.isnan(w)]
    return float(max(defined)) if defined else float("nan")


def compare_to_precision(scenarios: Sequence[str | Path | Scenario], outcome: str, target: float, reps: int = 30,
                         max_reps: int = 1000, on_round: Callable[[int, float], None] = lambda n, w: None,
                         **kw: Any) -> Comparison:
    """``compare`` with replications doubled (up to ``max_reps``) until the paired interval of ``outcome`` is at most
    ``target`` wide on either side. Replicate seeds and draws depend only on the replicate's index, so the first
    replications of a larger comparison are those of the smaller one."""
    n = reps
    while True:
        c = compare(scenarios, reps=n, **kw)
        width = half_width(c, outcome)
        on_round(n, width)
        if np.isnan(width):
            c.warnings.append(f"--precision {outcome}={target:g}: {outcome} is undefined in every run at this horizon; "
                              f"stopped at {n} replications")
            return c
        if width <= target or n >= max_reps:
            if width > target:
                c.warnings.append(f"--precision {outcome}={target:g}: the paired interval's half-width is still "
                                  f"{width:.3g} at {n} replications (--max-reps)")
            return c
        n = min(2 * n, max_reps)


def interval(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and 95% t-interval over ``axis`` (NaN-aware: runs where an outcome is undefined drop out)."""
    n = np.sum(~np.isnan(values), axis=axis)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=axis)
        sd = np.nanstd(values, axis=axis, ddof=1)
        half = stdtrit(np.maximum(n - 1, 1), 0.975) * sd / np.sqrt(n)  # the t quantile
    half = np.where(n > 1, half, np.nan)
    return mean, mean - half, mean + half


def sign_share(diffs: np.ndarray, seeds_per_draw: int = 1, opposite: bool = False) -> np.ndarray:
    """Share of parameter draws whose paired difference (over the first axis: replicates, ``seeds_per_draw`` of each
    draw in a row, averaged per draw) has the sign of the mean difference (``opposite``: the other sign; the rest are
    exactly zero): how robust a conclusion is to what is not known. With one seed per draw, chance noise is part of
    each draw's difference, so small effects look less robust than they are. NaN where undefined or where the mean
    difference is zero."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_draw = np.stack([np.nanmean(diffs[i:i + seeds_per_draw], axis=0)
                             for i in range(0, len(diffs), seeds_per_draw)])
        sign = np.sign(np.nanmean(diffs, axis=0))
        same = np.sum(np.sign(per_draw) == (-sign if opposite else sign), axis=0)
        n = np.sum(~np.isnan(per_draw), axis=0)
    return np.where((n > 0) & (sign != 0), same / np.maximum(n, 1), np.nan)


def _summary_rows(final: np.ndarray, columns: Sequence[str], names: Sequence[str], extra: dict[str, Any],
                  seeds_per_draw: int = 1) -> list[dict]:
    """final: scenarios x reps x outcomes at the horizon."""
    rows = []
    for s, name in enumerate(names):
        mean, lo, hi = interval(final[s])
        dmean, dlo, dhi = interval(final[s] - final[0])
        keeps = sign_share(final[s] - final[0], seeds_per_draw)
        flips = sign_share(final[s] - final[0], seeds_per_draw, opposite=True)
        for k, outcome in enumerate(columns):
            rows.append({"scenario": name, **extra, "outcome": outcome, "mean": mean[k], "ci_low": lo[k], "ci_high": hi[k],
                         "diff": dmean[k] if s else 0.0, "diff_ci_low": dlo[k] if s else 0.0, "diff_ci_high": dhi[k] if s else 0.0,
                         "sign_share": keeps[k] if s else np.nan, "flip_share": flips[k] if s else np.nan})
    return rows


def summary(c: Comparison) -> pd.DataFrame:
    """End-of-horizon mean and 95% interval per scenario and outcome, the paired difference from the reference,
    and its verdict (``experiments.verdicts``: Holm across the key outcomes of each scenario, empty otherwise)."""
    final = c.overall[:, :, -1, :]
    table = pd.DataFrame(_summary_rows(final, c.columns, c.names, {}, c.seeds_per_draw))
    table["verdict"] = ""
    keys = [k for k, name in enumerate(c.columns) if name in KEY_OUTCOMES]
    for s, name in enumerate(c.names[1:], start=1):
        found = verdicts({c.columns[k]: final[s, :, k] - final[0, :, k] for k in keys})
        for outcome, verdict in found.items():
            table.loc[(table.scenario == name) & (table.outcome == outcome), "verdict"] = verdict or ""
    table["interval"] = c.uncertainty  # chance, or chance and parameter uncertainty (see INTERVALS)
    return table


def summary_by_group(c: Comparison) -> pd.DataFrame:
    rows = []
    for g, (by, group) in enumerate(GROUPS):
        rows += _summary_rows(c.by_group[:, :, g, -1, :], c.group_columns, c.names, {"group_by": by, "group": group},
                              c.seeds_per_draw)
    table = pd.DataFrame(rows)
    table["interval"] = c.uncertainty
    return table


def _band_rows(values: np.ndarray, columns: Sequence[str], names: Sequence[str], extra: dict[str, Any]) -> pd.DataFrame:
    """values: scenarios x reps x months x outcomes -> long table of mean, median and 10-90% band."""
    s_n, _, months, k_n = values.shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN months (no one released yet)
        mean = np.nanmean(values, axis=1)
        q = nanquantile(values, [0.5, 0.1, 0.9], axis=1)
    idx = pd.MultiIndex.from_product([names, range(months), columns], names=["scenario", "month", "outcome"])
    frame = pd.DataFrame({"mean": mean.reshape(-1), "median": q[0].reshape(-1), "p10": q[1].reshape(-1),
                          "p90": q[2].reshape(-1)}, index=idx).reset_index()
    frame.insert(2, "date", np.array([month_to_date(m) for m in range(months)], dtype=object)[frame["month"].to_numpy()])
    for i, (key, value) in enumerate(extra.items()):
        frame.insert(1 + i, key, value)
    return frame


def timeseries(c: Comparison) -> pd.DataFrame:
    return _band_rows(c.overall, c.columns, c.names, {})


def timeseries_by_group(c: Comparison) -> pd.DataFrame:
    frames = [_band_rows(c.by_group[:, :, g], c.group_columns, c.names, {"group_by": by, "group": group})
              for g, (by, group) in enumerate(GROUPS)]
    return pd.concat(frames, ignore_index=True)


def format_table(c: Comparison, frame: pd.DataFrame | None = None) -> str:
    """The terminal summary: key outcomes, each scenario's mean [95% CI] and difference from the reference."""
    frame = summary(c) if frame is None else frame
    lines = [f"WARNING: {w}" for w in c.warnings]
    lines += [f"{c.reps} paired replications (replicate r of every scenario shares its seed); {INTERVALS[c.uncertainty]}.",
             f"reference: {c.names[0]}"]
    labels = {o: OUTCOMES[o].label.replace(" (EUR)", "") + " (M EUR)" if o.startswith("cost") else OUTCOMES[o].label
              for o in KEY_OUTCOMES}
    width = max(len("outcome"), *map(len, labels.values())) + 2  # labels in full: they carry the denominator
    head = f"{'outcome':<{width}}" + "".join(f"{n[:36]:>40}" for n in c.names)
    lines += [head, "-" * len(head)]
    for outcome in KEY_OUTCOMES:
        cells = []
        for s, name in enumerate(c.names):
            row = frame[(frame.scenario == name) & (frame.outcome == outcome)].iloc[0]
            scale = 1e6 if outcome.startswith("cost") else 1.0
            if s == 0:
                cells.append(f"{row['mean'] / scale:.3f} [{row.ci_low / scale:.3f}, {row.ci_high / scale:.3f}]")
            else:
                keeps = "" if np.isnan(row.sign_share) else f" {row.sign_share:4.0%}/{row.flip_share:.0%}"
                cells.append(f"{row['diff'] / scale:+.3f} [{row.diff_ci_low / scale:+.3f}, {row.diff_ci_high / scale:+.3f}]"
                             f"{keeps}")
        lines.append(f"{labels[outcome]:<{width}}" + "".join(f"{cell:>40}" for cell in cells))
    per = ("replications" if c.uncertainty == "chance" else
           f"parameter draws ({c.seeds_per_draw} seed{'s' if c.seeds_per_draw > 1 else ''} each)")
    lines.append("first column: mean [95% CI]; others: paired difference from the reference [95% CI], then the shares "
                 f"of {per} in which it keeps its sign / has the opposite sign (the rest: no difference)")
    return "\n".join(lines)
