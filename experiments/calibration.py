"""Calibration: the registry's priors conditioned on the published Belgian figures (ABC-SMC).

``calibrate`` fits the rows of ``docs/calibration-targets.csv`` marked ``calibration`` (their
checks in ``targets.CHECKS``, their tolerances in the table) by ABC-SMC (``abc``) over every
uncertainty of the registry, on the batched engine, in a results folder it can resume. Its
result is a posterior ensemble: equally weighted parameter sets with their provenance. The
ensemble shipped in ``experiments/posterior/`` (written there by ``calibrate --adopt``) is what
``--uncertainty posterior`` draws from; the registry's defaults never change by themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import api
from model.api import REGISTRY, __version__

from . import abc, store
from .batch import executor_for
from .runner import Task, as_values, draw_priors, prior_values, run_tasks, uncertain_parameters
from .quantiles import band95
from .targets import BY_TARGET, Check, deviation, fitted, measure, months_needed

SHIPPED = Path(__file__).resolve().parent / "posterior"
POSTERIOR_STREAM = 0x9057  # mixed into the root seed: which ensemble member each replicate takes
METHOD = ("ABC-SMC (population Monte Carlo, Beaumont et al. 2009) with quantile tolerances (Del Moral et al. 2012); "
          "distance: the Euclidean norm of the deviations from the targets in units of their stated tolerances")


class RegistryPriors:
    """The priors of the registry's uncertainties as one independent set (``abc.PriorSet``)."""

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.params = [REGISTRY[n] for n in self.names]

    def sample(self, u: np.ndarray) -> np.ndarray:
        return prior_values(self.names, u)

    def density(self, theta: np.ndarray, columns: np.ndarray) -> np.ndarray:
        pdf = np.ones(len(theta))
        for j in columns:
            p = self.params[j]
            pdf *= p.prior.density(theta[:, j], p.default)
        return pdf

    def real(self) -> np.ndarray:
        """Coordinates a Gaussian kernel may move (integers are drawn from their priors)."""
        return np.array([p.kind == "real" for p in self.params])

    def overrides(self, row: np.ndarray) -> dict[str, Any]:
        return as_values(self.names, row)


def fitted_checks() -> list[tuple[Check, float, float]]:
    """(check, published value, tolerance) of every fitted target."""
    return [(BY_TARGET[t["id"]], float(t["value"]), float(t["tolerance"])) for t in fitted()]


def statistics(outputs: Sequence[Any], checks: Sequence[Check]) -> np.ndarray:
    """runs x checks: each check measured on each run's output."""
    overall = np.stack([o.overall for o in outputs])
    by_group = np.stack([o.by_group for o in outputs])
    return np.stack([measure(c, overall, by_group, api.COLUMNS, api.GROUP_COLUMNS) for c in checks], axis=1)


def simulator(priors: RegistryPriors, fits: Sequence[tuple[Check, float, float]], months: int,
              pool: Executor | None, workers: int, base: Any = None) -> abc.Simulator:
    """The baseline (or ``base``) run at each parameter set and seed, measured against the fitted targets."""
    base = api.scenario_with(base)

    def simulate(theta: np.ndarray, seeds: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        tasks = [Task(base.with_values(priors.overrides(row)), seed, months) for row, seed in zip(theta, seeds)]
        outputs: dict[int, Any] = dict(run_tasks(tasks, workers=workers, executor=pool, progress=False))
        stats = statistics([outputs[i] for i in range(len(tasks))], [c for c, _, _ in fits])
        dev = np.stack([deviation(c.relation, stats[:, k], value, tol) for k, (c, value, tol) in enumerate(fits)], axis=1)
        return dev, stats

    return simulate


def identity(settings: abc.Settings, seed: int, priors: RegistryPriors, fits) -> dict[str, Any]:
    """What defines a calibration: resuming with any of it changed is refused."""
    defining = {k: v for k, v in settings.__dict__.items() if k != "budget"}  # a larger budget resumes and goes on
    return {
        "model_version": __version__, "seed": seed, "settings": defining,
        "targets": [{"id": c.target, "value": v, "tolerance": tol} for c, v, tol in fits],
        "priors": prior_fingerprint(priors.names),
    }


def prior_fingerprint(names: Sequence[str]) -> str:
    """The priors as distributions (range, shape, mode and default; not the wording of their basis)."""
    text = json.dumps([[n, REGISTRY[n].default, REGISTRY[n].kind, REGISTRY[n].low, REGISTRY[n].high, p.low, p.high,
                        p.shape, p.mode] for n in names for p in [REGISTRY[n].prior]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _claim(out: Path, ident: dict[str, Any]) -> None:
    path = out / "calibration.json"
    if path.is_file():
        try:
            held = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise store.ResultsError(f"{path}: not a readable calibration record ({exc}); use another --out") from None
        changed = [k for k in ident if held.get(k) != ident[k]]
        if changed:
            raise store.ResultsError(f"{out}: holds a calibration with other {', '.join(changed)}; resume it with the "
                                     "same settings, or use another --out")
    else:
        api.write_json(ident, path)


def calibrate(out: Path, settings: abc.Settings = abc.Settings(), seed: int = 0, workers: int = 1,
              dask: str | None = None, progress: bool = True, log: Callable[[str], None] = print) -> dict[str, Path]:
    """Fit the priors to the published targets in ``out`` (resumable); write the posterior ensemble there."""
    priors = RegistryPriors(uncertain_parameters())
    fits = fitted_checks()
    months = months_needed([c for c, _, _ in fits])
    out.mkdir(parents=True, exist_ok=True)
    (out / "chunks").mkdir(exist_ok=True)
    with store.writer(out):
        ident = identity(settings, seed, priors, fits)
        _claim(out, ident)
        bar = tqdm(total=settings.budget, desc="calibrate", unit="run", disable=not progress, dynamic_ncols=True)
        with executor_for(workers, dask) as pool:
            result = abc.run(simulator(priors, fits, months, pool, workers), priors, len(priors.names), priors.real(),
                             settings, seed, abc.FolderStore(out / "chunks"), log=lambda m: bar.write(m) if progress
                             else log(m), on_chunk=bar.update)
        bar.close()
        log("calibrated (moved by the kernel): " + (", ".join(priors.names[j] for j in result.calibrated) or "none"))
        return write_result(out, result, priors, fits, ident, settings.budget)


def write_result(out: Path, result: abc.Result, priors: RegistryPriors, fits, ident: dict[str, Any],
                 budget: int) -> dict[str, Path]:
    """posterior.csv (the equally weighted ensemble), generations.csv, and provenance.json."""
    g = result.final
    rows = abc.resample(g, ident["settings"]["particles"], ident["seed"])
    ensemble = pd.DataFrame(g.theta[rows], columns=priors.names)
    for p in priors.params:
        if p.kind == "int":
            ensemble[p.name] = ensemble[p.name].round().astype(int)
    ensemble.insert(0, "member", np.arange(len(ensemble)))
    paths = {"posterior.csv": out / "posterior.csv", "generations.csv": out / "generations.csv",
             "provenance.json": out / "provenance.json"}
    api.write_csv(ensemble, paths["posterior.csv"])
    api.write_csv(pd.DataFrame([{"generation": x.t, "tolerance": x.epsilon, "simulations": x.simulations,
                                 "acceptance": x.acceptance, "ess": x.ess} for x in result.generations]),
                  paths["generations.csv"])
    calibrated = [priors.names[j] for j in result.calibrated]
    moved = movement(priors, result.prior_theta, g.theta[rows], calibrated)
    api.write_json({
        "method": METHOD, "created": dt.date.today().isoformat(), **ident, "budget": budget,
        "simulations": result.simulations, "stopped": result.stopped, "final_tolerance": g.epsilon,
        "generations": len(result.generations), "members": len(ensemble),
        "pooled_generations": [x.t for x in result.generations if x.epsilon == g.epsilon],
        "calibrated": calibrated, "effective_sample_size": g.ess,
        "targets_in_ensemble": {c.target: _quantiles(g.stats[rows, k]) for k, (c, _, _) in enumerate(fits)},
        "moved": moved,
    }, paths["provenance.json"])
    return paths


def _quantiles(x: np.ndarray) -> dict[str, float]:
    med, lo, hi = band95(x)
    return {"p2.5": lo, "median": med, "p97.5": hi}


def movement(priors: RegistryPriors, prior_theta: np.ndarray, posterior_theta: np.ndarray,
             calibrated: Sequence[str]) -> list[dict[str, Any]]:
    """Each parameter's prior and posterior median and 95% range: the calibrated ones first, largest narrowing first
    (the others move by sampling noise only)."""
    rows = []
    for j, name in enumerate(priors.names):
        a, b = _quantiles(prior_theta[:, j]), _quantiles(posterior_theta[:, j])
        width = a["p97.5"] - a["p2.5"]
        rows.append({"parameter": name, "prior": a, "posterior": b,
                     "width_ratio": (b["p97.5"] - b["p2.5"]) / width if width > 0 else 1.0,
                     "median_shift": (b["median"] - a["median"]) / width if width > 0 else 0.0})
    return sorted(rows, key=lambda r: (r["parameter"] not in calibrated, r["width_ratio"] - abs(r["median_shift"])))


def adopt(out: Path) -> Path:
    """Make a finished calibration the shipped posterior (what ``--uncertainty posterior`` draws); one that stopped
    before its final tolerance (budget spent, acceptance too low) is refused."""
    for name in ("posterior.csv", "provenance.json"):
        if not (out / name).is_file():
            raise store.ResultsError(f"{out}: has no {name}; run the calibration to its end first")
    stopped = json.loads((out / "provenance.json").read_text(encoding="utf-8")).get("stopped")
    if stopped != "tolerance reached":
        raise store.ResultsError(f"{out}: the calibration stopped before its final tolerance ({stopped}); resume it "
                                 "with a larger --budget before adopting it")
    SHIPPED.mkdir(exist_ok=True)
    for name in ("posterior.csv", "provenance.json", "generations.csv"):
        shutil.copyfile(out / name, SHIPPED / name)
    return SHIPPED


def ensemble(folder: Path = SHIPPED) -> pd.DataFrame:
    """The posterior ensemble, one row per member (ResultsError in one line when missing or unreadable)."""
    path = folder / "posterior.csv"
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise store.ResultsError(f"{path}: no readable posterior ensemble ({exc}); run `python run.py calibrate "
                                 "--adopt`") from None
    unknown = [c for c in frame.columns if c != "member" and c not in REGISTRY]
    if unknown or frame.empty:
        raise store.ResultsError(f"{path}: {'names unknown parameters: ' + unknown[0] if unknown else 'is empty'}; "
                                 "recalibrate")
    return frame


def staleness(folder: Path = SHIPPED) -> list[str]:
    """What changed since the shipped posterior was made (the priors or the model version), as warnings."""
    try:
        prov = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [f"{folder}: the posterior has no readable provenance.json"]
    out = []
    if prov.get("priors") != prior_fingerprint(uncertain_parameters()):
        out.append("the registry's priors changed since the posterior was calibrated; recalibrate (run.py calibrate "
                   "--adopt)")
    if prov.get("model_version") != __version__:
        out.append(f"the posterior was calibrated on model {prov.get('model_version')}, this is {__version__}; "
                   "recalibrate (run.py calibrate --adopt)")
    return out


def draw_posterior(root_seed: int, reps: int, folder: Path = SHIPPED) -> list[dict[str, Any]]:
    """One ensemble member per replicate (a seeded permutation, cycled), the same whichever scenarios are compared.
    An uncertainty the ensemble lacks (declared after the calibration) is drawn from its prior."""
    frame = ensemble(folder)
    order = np.random.default_rng(np.random.SeedSequence([root_seed, POSTERIOR_STREAM])).permutation(len(frame))
    fallback = draw_priors(root_seed, reps)
    draws = []
    for r in range(reps):
        row = frame.iloc[order[r % len(frame)]]
        draw = dict(fallback[r])
        for name in uncertain_parameters():
            if name in row.index:
                p = REGISTRY[name]
                value = min(max(float(row[name]), p.low), p.high)
                draw[name] = int(round(value)) if p.kind == "int" else value
        draws.append(draw)
    return draws


def format_provenance(out: Path) -> str:
    """The fit for a terminal: targets in the ensemble beside the record, and the parameters the data moved most."""
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    lines = [f"{prov['method']}.", f"{prov['simulations']} simulations, {prov['generations']} generations "
             f"({prov['stopped']}), final tolerance {prov['final_tolerance']:.3g}; {prov['members']} members "
             f"(effective sample size {prov['effective_sample_size']:.0f})",
             f"{'target':<24}{'published':>11}{'tolerance':>11}   posterior median [95%]"]
    for t in prov["targets"]:
        q = prov["targets_in_ensemble"][t["id"]]
        lines.append(f"{t['id']:<24}{t['value']:>11.4g}{t['tolerance']:>11.3g}   {q['median']:.4g} "
                     f"[{q['p2.5']:.4g}, {q['p97.5']:.4g}]")
    lines.append(f"{'parameter (calibrated first)':<32}{'prior median [95%]':>30}{'posterior median [95%]':>30}  width")
    for m in prov["moved"][:10]:
        a, b = m["prior"], m["posterior"]
        lines.append(f"{m['parameter']:<32}{_band(a):>30}{_band(b):>30}  {m['width_ratio']:.2f}")
    return "\n".join(lines)


def _band(q: dict[str, float]) -> str:
    return f"{q['median']:.3g} [{q['p2.5']:.3g}, {q['p97.5']:.3g}]"
