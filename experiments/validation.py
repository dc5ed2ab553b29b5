"""Validation: the model under its posterior beside every published figure, and what its numbers can bear.

``validate`` runs the baseline (and the spec's patterns) with each replicate drawing one member of the
posterior ensemble, and reports:

- every target of ``docs/calibration-targets.csv`` with a check: the model's median and 95% interval
  beside the published value and whether it lies within its stated tolerance (inputs are shown as
  inputs: they echo the record, they validate nothing);
- leave-one-out predictive checks of the fitted targets: prior runs accepted on the other targets
  alone (rejection ABC at the calibration's final tolerance) predict the one left out;
- the spec's patterns (section 6) as paired effects with intervals and the share of posterior draws
  in which each keeps its sign;
- a replication analysis at the defaults: how the coefficient of variation of each main outcome
  settles as replications grow (Lorscheid, Heine & Meyer 2012), and the number the project recommends;
- rare events (terrorism offences, about three a run) as counts with exact binomial intervals;
- first-order sensitivity of the main outcomes over the posterior (given-data estimator, SALib's
  ``delta`` method, with a dummy input as the noise floor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import beta

from model import api
from model.api import __version__

from . import abc
from .compare import Comparison, compare, interval, sign_share
from .quantiles import band95
from .report import SYNTHETIC_NOTE, esc, page, write_atomic
from .targets import BY_TARGET, NOT_MODELLED, deviation, inputs, measure, targets, verdict

COMPARED = ("calibration", "validation", "context")  # uses whose figures are compared with the model, never echoed
STEPS = (5, 10, 20, 30, 50, 100, 200, 500, 1000)  # replication counts at which the CV is read
E_CRIT = 0.1  # the CV has settled once it changes by at most 10% from one step to the next (Lorscheid et al. 2012)
PRECISION = 0.05  # the recommendation also puts the mean within 5% of itself at 95%
T_95 = 1.96
COUNTED_APART = ("reconvicted_2y_after_release",)  # about two events a run: no CV criterion, use compare --precision
MAIN_OUTCOMES = ("reintegration_index_cohort", "stably_housed", "employed", "trust", "reconvicted_2y_after_release",
                 "reoffended_any_cum", "cost_eur_cum")
RARE_EVENTS = (("reoffended_terror_cum", "terrorism offences committed by 2030 (model truth)"),
               ("reconvicted_terror_cum", "terrorism reconvictions by 2030"))


@dataclass(frozen=True)
class Pattern:
    """A direction of spec section 6: the lever values that enact it and each outcome's expected sign."""

    name: str
    levers: dict[str, Any]
    expected: dict[str, int]
    scenario: str = "baseline"


PATTERNS = (
    Pattern("More overcrowding and fewer staff", {"prison_density_scale": 1.6, "prison_staff_fill": 0.7},
            {"programme_participation": -1, "care_at_release": -1, "family_stability_at_release": -1}),
    Pattern("More coordination", {"coordination_per_year": 12.0, "coordination_scope": "full"},
            {"housed_at_release": +1, "documented_at_release": +1}),
    Pattern("Living Lab participation", {"living_lab": True},
            {"linking": +1, "bridging": +1, "trust": +1, "admin_clarity": +1, "family_stability": +1}),
    Pattern("Nationality withdrawal (strict sanctions)", {}, {"admin_clarity": -1, "stably_housed": -1, "employed": -1,
                                                              "removed": +1}, scenario="strict_sanctions"),
    Pattern("Family-centred contact in detention", {"family_centred": 1.0},
            {"family_stability_at_release": +1, "reoffended_any_cum": -1}),
)


EFFECT_SCENARIO = "full_sra"  # the brief's whole package of support measures, against the baseline
EFFECT_OUTCOME = "reconvicted_2y_after_release"
EFFECT_TARGET = "reentry_programmes_or"  # Berghuis 2018: OR 0.89 (95% CI 0.74-1.07)
EFFECT_CI = (0.74, 1.07)
BOOTSTRAP = 2000
SOBOL_RESAMPLES = 100  # bootstrap resamples of the given-data first-order indices


def odds_ratio(policy: np.ndarray, reference: np.ndarray, seed: int) -> tuple[float, float, float]:
    """Odds ratio of the pooled shares (policy over reference) with a paired bootstrap 95% interval over replicates."""
    def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        pa, pb = np.nanmean(a, axis=-1), np.nanmean(b, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (pa / (1 - pa)) / (pb / (1 - pb))

    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x0D]))
    picks = rng.integers(0, len(policy), size=(BOOTSTRAP, len(policy)))
    boot = ratio(policy[picks], reference[picks])
    lo, hi = np.nanquantile(boot, [0.025, 0.975])
    return float(ratio(policy, reference)), float(lo), float(hi)


@dataclass
class Report:
    uncertainty: str
    reps: int
    seed: int
    targets: pd.DataFrame
    loo: pd.DataFrame
    patterns: pd.DataFrame
    effect: pd.DataFrame
    replication: pd.DataFrame
    recommended_reps: int
    rare: pd.DataFrame
    sensitivity: pd.DataFrame
    runs: int
    meta: dict[str, Any] = field(default_factory=dict)


def _measured(c: Comparison, s: int, check) -> np.ndarray:
    return measure(check, c.overall[s], c.by_group[s], c.columns, c.group_columns)


def target_table(c: Comparison) -> pd.DataFrame:
    """Every published figure: how it meets the model, and for checks the model's median and 95% interval."""
    used = inputs()
    rows = []
    for t in targets():
        row = {"id": t["id"], "quantity": t["quantity"], "published": float(t["value"]), "unit": t["unit"],
               "use": t["use"], "tolerance": float(t["tolerance"]) if t["tolerance"] else np.nan, "source": t["source"]}
        check = BY_TARGET.get(t["id"])
        if check is None:
            row |= {"verdict": "input" if t["id"] in used else "not modelled", "note": NOT_MODELLED.get(t["id"], "")}
        else:
            med, lo, hi = band95(_measured(c, 0, check))
            tol = None if np.isnan(row["tolerance"]) else row["tolerance"]
            compared = t["use"] in COMPARED or t["id"] not in used  # a fitted figure may also be a parameter's source
            judged = verdict(check.relation, row["published"], tol, med) if compared else "input"
            inside = lo <= row["published"] <= hi if check.relation == "equals" else lo <= row["published"]
            row |= {"relation": check.relation, "model_median": med, "model_p2.5": lo, "model_p97.5": hi,
                    "in_95_interval": bool(inside), "verdict": judged, "note": check.note}
        rows.append(row)
    return pd.DataFrame(rows)


def leave_one_out(prior: Comparison, epsilon: float = 1.0) -> pd.DataFrame:
    """Each fitted target predicted by prior runs accepted on the other fitted targets only (rejection ABC)."""
    fits = [t for t in targets() if t["use"] == "calibration"]
    stats = np.stack([_measured(prior, 0, BY_TARGET[t["id"]]) for t in fits], axis=1)
    dev = np.stack([deviation(BY_TARGET[t["id"]].relation, stats[:, k], float(t["value"]), float(t["tolerance"]))
                    for k, t in enumerate(fits)], axis=1)
    rows = []
    for k, t in enumerate(fits):
        others = np.delete(dev, k, axis=1)
        kept = abc.distance(others) <= epsilon
        med, lo, hi = band95(stats[kept, k])
        pmed, plo, phi = band95(stats[:, k])
        tol = float(t["tolerance"])
        rows.append({"id": t["id"], "published": float(t["value"]), "tolerance": tol, "accepted": int(kept.sum()),
                     "of": len(kept), "predicted_median": med, "predicted_p2.5": lo, "predicted_p97.5": hi,
                     "prior_median": pmed, "prior_p2.5": plo, "prior_p97.5": phi,
                     "in_95_interval": bool(lo <= float(t["value"]) <= hi) if kept.any() else False,
                     "verdict": verdict(BY_TARGET[t["id"]].relation, float(t["value"]), tol, med)
                     if kept.any() else "no run accepted"})
    return pd.DataFrame(rows)


def pattern_table(c: Comparison) -> pd.DataFrame:
    """Each pattern's paired effect at the horizon: mean [95% CI], share of draws keeping its sign, as expected?"""
    rows = []
    for s, pattern in enumerate(PATTERNS, start=1):
        for outcome, sign in pattern.expected.items():
            k = c.columns.index(outcome)
            d = c.overall[s, :, -1, k] - c.overall[0, :, -1, k]
            mean, lo, hi = (float(v) for v in interval(d))
            keeps = float(sign_share(d, c.seeds_per_draw))
            flips = float(sign_share(d, c.seeds_per_draw, opposite=True))
            rows.append({"pattern": pattern.name, "outcome": outcome, "expected": "+" if sign > 0 else "-",
                         "effect": mean, "ci_low": lo, "ci_high": hi, "keeps_sign": keeps, "opposite_sign": flips,
                         "holds": bool(mean * sign > 0 and (lo > 0 or hi < 0))})
    return pd.DataFrame(rows)


def effect_size_table(c: Comparison, seed: int) -> pd.DataFrame:
    """The whole support package's implied odds ratio of reconviction within two years of release, beside the
    meta-analysed effect of reentry programmes (compared, never fitted)."""
    k = c.columns.index(EFFECT_OUTCOME)
    s = len(PATTERNS) + 1
    ratio, lo, hi = odds_ratio(c.overall[s, :, -1, k], c.overall[0, :, -1, k], seed)
    inside = EFFECT_CI[0] <= ratio <= EFFECT_CI[1]  # the model's odds ratio within the meta-analysis' interval
    return pd.DataFrame([{"id": EFFECT_TARGET, "scenario": EFFECT_SCENARIO, "outcome": EFFECT_OUTCOME,
                          "model_or": ratio, "model_p2.5": lo, "model_p97.5": hi, "published_or": 0.89,
                          "published_p2.5": EFFECT_CI[0], "published_p97.5": EFFECT_CI[1],
                          "verdict": "consistent" if inside else ("model stronger" if ratio < EFFECT_CI[0]
                                                                  else "model weaker")}])


def replication_table(c: Comparison, steps: tuple[int, ...] = STEPS) -> tuple[pd.DataFrame, int]:
    """How the coefficient of variation of each main outcome settles as replications grow (Lorscheid, Heine & Meyer
    2012: settled from the first step after which it never changes by more than ``E_CRIT`` from one step to the
    next), and the replications that put the mean within ``PRECISION`` of itself at 95% (from the CV at the most
    replications). The recommendation is the larger of the two over the main outcomes that are not rare."""
    final = c.overall[0, :, -1, :]
    grid = [n for n in steps if n <= c.reps] or [c.reps]
    rows = []
    for outcome in MAIN_OUTCOMES:
        x = final[:, c.columns.index(outcome)]
        cv = np.array([np.nanstd(x[:n], ddof=1) / abs(np.nanmean(x[:n])) for n in grid])
        change = np.abs(np.diff(cv)) / np.abs(cv[1:])
        late = np.flatnonzero(change > E_CRIT)
        settles = np.nan if len(late) and late[-1] == len(change) - 1 else (grid[int(late[-1]) + 1] if len(late)
                                                                              else grid[0])
        precise = int(np.ceil((T_95 * cv[-1] / PRECISION) ** 2))
        rows.append({"outcome": outcome, "uncertainty": c.uncertainty, "rare": outcome in COUNTED_APART,
                     **{f"cv_{n}": float(v) for n, v in zip(grid, cv)}, "settles_at": settles,
                     "for_mean_within_5pct": precise})
    table = pd.DataFrame(rows)
    common = table[~table.rare]
    settled = common.settles_at.fillna(2 * c.reps)  # not settled within the replications made: at least twice them
    need = int(max(settled.max(), common.for_mean_within_5pct.max()))
    return table, int(10 * np.ceil(need / 10))


def rare_events(c: Comparison) -> pd.DataFrame:
    """Rare events as counts: per run (mean and the central 95% of runs: what one run may show, under ``c``'s
    uncertainty) and pooled over runs as a rate per person with an exact (Clopper-Pearson) 95% interval. The exact
    interval treats every person of every run as one trial with one chance: the Monte Carlo precision of the pooled
    rate, valid as such under chance only; under prior or posterior uncertainty the chance itself varies between
    draws, and the per-run range says how much."""
    arrived = c.overall[0, :, -1, c.columns.index("arrived")]
    rows = []
    for outcome, what in RARE_EVENTS:
        share = c.overall[0, :, -1, c.columns.index(outcome)]
        counts = np.round(share * arrived)
        events, people = int(counts.sum()), int(arrived.sum())
        lo = beta.ppf(0.025, events, people - events + 1) if events else 0.0
        hi = beta.ppf(0.975, events + 1, people - events)
        low_runs, high_runs = np.quantile(counts, [0.025, 0.975])
        rows.append({"outcome": outcome, "what": what, "uncertainty": c.uncertainty, "runs": len(counts),
                     "events": events, "people": people, "mean_per_run": float(counts.mean()),
                     "runs_p2.5": float(low_runs), "runs_p97.5": float(high_runs),
                     "runs_with_none": int((counts == 0).sum()), "pooled_rate": events / people,
                     "pooled_rate_p2.5": float(lo), "pooled_rate_p97.5": float(hi)})
    return pd.DataFrame(rows)


def sensitivity_table(c: Comparison, seed: int, top: int = 5) -> pd.DataFrame:
    """First-order indices of the main outcomes over the posterior draws (SALib delta, given data), top ``top``."""
    from SALib.analyze import delta

    names = [n for n in c.draws[0] if np.ptp([d[n] for d in c.draws]) > 0]
    x = np.array([[d[n] for n in names] for d in c.draws], dtype=float)
    dummy = np.random.default_rng(np.random.SeedSequence([seed, 0xD0])).random(len(x))
    x = np.column_stack([x, dummy])
    labels = [*names, "dummy"]
    problem = {"num_vars": x.shape[1], "names": [f"x{j}" for j in range(x.shape[1])],  # SALib refuses some suffixes
               "bounds": [[float(col.min()), float(col.max())] for col in x.T]}
    rows = []
    for outcome in MAIN_OUTCOMES:
        y = c.overall[0, :, -1, c.columns.index(outcome)]
        ok = np.isfinite(y)
        found = delta.analyze(problem, x[ok], y[ok], num_resamples=SOBOL_RESAMPLES, seed=seed, method="sobol")
        s1 = np.asarray(found["S1"])
        floor = float(s1[-1])
        for j in np.argsort(-s1)[:top]:
            rows.append({"outcome": outcome, "parameter": labels[j], "S1": float(s1[j]),
                         "S1_conf": float(found["S1_conf"][j]), "dummy_S1": floor})
    return pd.DataFrame(rows)


def validate(reps: int = 200, seed: int = 0, workers: int = 1, uncertainty: str = "posterior", prior_runs: int = 1000,
             progress: bool = True) -> Report:
    """Every number of the report comes from runs made here."""
    scenarios = ([api.scenario_with("baseline")] + [api.scenario_with(p.scenario, p.levers) for p in PATTERNS]
                 + [api.scenario_with(EFFECT_SCENARIO)])
    main = compare(scenarios, reps=reps, seed=seed, workers=workers, uncertainty=uncertainty, progress=progress)
    chance = compare(["baseline"], reps=reps, seed=seed, workers=workers, uncertainty="chance", progress=progress)
    prior = compare(["baseline"], reps=prior_runs, seed=seed, workers=workers, uncertainty="prior", progress=progress)
    by_chance, at_chance = replication_table(chance)
    by_draw, at_draw = replication_table(main)  # the default uncertainty varies more
    replication, recommended = pd.concat([by_chance, by_draw], ignore_index=True), max(at_chance, at_draw)
    return Report(uncertainty, reps, seed, target_table(main), leave_one_out(prior), pattern_table(main),
                  effect_size_table(main, seed), replication, recommended,
                  pd.concat([rare_events(chance), rare_events(main)], ignore_index=True),
                  sensitivity_table(main, seed) if uncertainty != "chance" else pd.DataFrame(),
                  runs=reps * (len(scenarios) + 1) + prior_runs,
                  meta={"model_version": __version__, "wall_time_s": round(main.wall_time + chance.wall_time
                                                                           + prior.wall_time, 1)})


PROSE = ("note", "quantity", "what")  # text columns given room to read on one page width
TABLES = ("targets", "loo", "patterns", "effect", "replication", "rare", "sensitivity")


def save(report: Report, out: Path) -> dict[str, Path]:
    """validation_*.csv tables and a self-contained validation.html."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in TABLES:
        paths[f"validation_{name}.csv"] = out / f"validation_{name}.csv"
        api.write_csv(getattr(report, name), paths[f"validation_{name}.csv"])
    paths["validation.html"] = out / "validation.html"
    write_atomic(render(report), paths["validation.html"])
    return paths


def _cell(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return "" if np.isnan(v) else f"{v:.4g}"
    return esc(v)


def _html_table(frame: pd.DataFrame, columns: list[str] | None = None) -> str:
    frame = frame if columns is None else frame[[c for c in columns if c in frame.columns]]
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    def cell(column: str, v: Any) -> str:
        if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
            return f"<td class='num'>{_cell(v)}</td>"
        return f"<td style='min-width:22rem'>{_cell(v)}</td>" if column in PROSE else f"<td>{_cell(v)}</td>"

    body = "".join("<tr>" + "".join(cell(c, v) for c, v in zip(frame.columns, row)) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(r: Report) -> str:
    checked = r.targets[r.targets.verdict.isin(["consistent", "model higher", "model lower", "context"])]
    body = (
        "<h1>Validation: the model beside the published Belgian figures</h1>"
        f"<div class='note' role='note'>{esc(SYNTHETIC_NOTE)}</div>"
        f"<p>{r.reps} replications of the baseline, each drawing its parameters from the {esc(r.uncertainty)}; "
        f"{r.runs} runs in all, model {esc(r.meta.get('model_version'))}, root seed {r.seed}.</p>"
        "<h2>Targets</h2><p class='small'>Median and 95% interval over replications; consistent = the median lies "
        "within the stated tolerance of the published value (for an upper bound: at most the bound plus its "
        "tolerance); whether the published value lies inside the model's 95% interval is shown apart (a wide "
        "interval is no match). Inputs echo the record and validate nothing.</p>"
        + _html_table(checked, ["id", "use", "published", "tolerance", "model_median", "model_p2.5", "model_p97.5",
                                "in_95_interval", "verdict", "note"])
        + "<h3>Inputs and figures outside the model</h3>"
        + _html_table(r.targets[~r.targets.index.isin(checked.index)], ["id", "quantity", "published", "use",
                                                                        "verdict", "note"])
        + "<h2>Leave-one-out predictive checks</h2><p class='small'>Prior runs accepted on the other fitted targets "
          "alone predict the one left out: does the published value lie in that prediction?</p>"
        + _html_table(r.loo)
        + "<h2>Patterns (spec section 6)</h2><p class='small'>Paired effect at the end of 2030 with its 95% interval "
          "and the share of posterior draws in which it keeps its sign; holds = the expected direction with an "
          "interval that excludes zero.</p>" + _html_table(r.patterns)
        + "<h2>Effect size against the literature</h2><p class='small'>The full SRA's odds ratio of reconviction "
          "within two years of a first release, against the baseline (paired bootstrap interval over replicates), "
          "beside the meta-analysed odds ratio of rearrest for reentry programmes (Berghuis 2018). Compared, never "
          "fitted.</p>" + _html_table(r.effect)
        + f"<h2>Replications</h2><p class='small'>Coefficient of variation of each main outcome over the first n "
          f"replications, at the defaults (chance) and under the posterior. It has settled from the step after which it "
          f"never changes by more than {E_CRIT:.0%} from one step to the next (Lorscheid, Heine & Meyer 2012); the "
          f"last column is the replications that put the mean within {PRECISION:.0%} of itself at 95%. Rare "
          f"outcomes are counted below instead, and compared with <code>compare --precision</code>. Recommended: "
          f"<b>{r.recommended_reps}</b> replications.</p>"
        + _html_table(r.replication)
        + "<h2>Rare events</h2><p class='small'>Counts, not shares: events per run with the central 95% of runs, and "
          "the pooled rate per person with an exact (Clopper-Pearson) 95% interval, which treats every person of every "
          "run as one trial with one chance: the Monte Carlo precision of the pooled rate, valid as such under chance "
          "only; under the posterior the chance varies between draws, and the range of runs says how much.</p>"
        + _html_table(r.rare)
        + "<h2>Sensitivity over the posterior</h2><p class='small'>First-order indices only (given-data estimator, "
          "SALib delta, 100 bootstrap resamples), top five per outcome; a dummy input that the model never reads gives "
          "the noise floor. Calibration makes a few inputs dependent, which first-order indices do not separate.</p>"
        + (_html_table(r.sensitivity) if not r.sensitivity.empty else "<p>Not computed under chance only.</p>"))
    return page("Validation", body, plotly=False)


def format_table(r: Report) -> str:
    """The terminal summary: targets, leave-one-out, patterns held, replications, rare events."""
    lines = [f"{r.reps} replications under the {r.uncertainty}; {r.runs} runs",
             f"{'target':<26}{'use':<13}{'published':>11}{'model median [95%]':>34}  verdict", "-" * 96]
    judged = r.targets[r.targets.verdict.isin(["consistent", "model higher", "model lower", "context"])]
    for x in judged.to_dict("records"):
        band = f"{x['model_median']:.4g} [{x['model_p2.5']:.4g}, {x['model_p97.5']:.4g}]"
        lines.append(f"{x['id']:<26}{x['use']:<13}{x['published']:>11.4g}{band:>34}  {x['verdict']}")
    lines.append("leave-one-out (each fitted target predicted from runs accepted on the others):")
    for x in r.loo.to_dict("records"):
        lines.append(f"  {x['id']:<24}{x['published']:>11.4g}  predicted {x['predicted_median']:.4g} "
                     f"[{x['predicted_p2.5']:.4g}, {x['predicted_p97.5']:.4g}] from {x['accepted']} of {x['of']} "
                     f"prior runs: {x['verdict']}")
    lines.append(f"patterns: {int(r.patterns.holds.sum())} of {len(r.patterns)} expected directions hold (95% interval "
                 "excludes zero)")
    for x in r.patterns[~r.patterns.holds].to_dict("records"):
        lines.append(f"  not held: {x['pattern']} / {x['outcome']}: {x['effect']:+.3g} [{x['ci_low']:+.3g}, "
                     f"{x['ci_high']:+.3g}], same sign in {x['keeps_sign']:.0%} of draws, opposite in {x['opposite_sign']:.0%}")
    for x in r.effect.to_dict("records"):
        lines.append(f"effect size: {x['scenario']} vs baseline, odds ratio of {x['outcome']} {x['model_or']:.3g} "
                     f"[{x['model_p2.5']:.3g}, {x['model_p97.5']:.3g}]; Berghuis 2018 {x['published_or']:.2f} "
                     f"[{x['published_p2.5']:.2f}, {x['published_p97.5']:.2f}]: {x['verdict']}")
    common = r.replication[~r.replication.rare]
    unsettled = common[common.settles_at.isna()]
    lines.append("replications: the CV of " + (f"{', '.join(unsettled.outcome + ' (' + unsettled.uncertainty + ')')} "
                 f"has not settled within {r.reps}; of the others settles by " if len(unsettled) else
                 "every main outcome that is not rare settles by ")
                 + f"{common.settles_at.max():.0f}; means within 5% by {int(common.for_mean_within_5pct.max())}; "
                 f"recommended {r.recommended_reps}")
    for x in r.rare.to_dict("records"):
        lines.append(f"{x['what']} ({x['uncertainty']}): {x['mean_per_run']:.2f} a run, 95% of runs "
                     f"{x['runs_p2.5']:.0f}-{x['runs_p97.5']:.0f} ({x['events']} in {x['runs']} runs); pooled "
                     f"{x['pooled_rate']:.4f} [{x['pooled_rate_p2.5']:.4f}, {x['pooled_rate_p97.5']:.4f}] per person "
                     "(exact binomial)")
    return "\n".join(lines)
