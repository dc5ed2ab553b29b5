"""Summaries and sensitivity indices of a finished experiment, as CSV and self-contained HTML."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from model.api import OUTCOMES, write_csv

from . import store
from .compare import interval
from .report import PALETTE, SYNTHETIC_NOTE, esc, figure_html, page, write_atomic
from .sensitivity import analyze, undefined
from .spec import DUMMY


class UndefinedOutcomeWarning(UserWarning):
    """An outcome with no value (NaN) at some design points: its sensitivity indices are left empty."""


def _end_rows(out: Path, manifest: dict) -> pd.DataFrame:
    frame = store.read_results(out, manifest=manifest)
    frame = frame[frame["status"] == "ok"]
    if "month" in frame.columns:  # trajectories: summarise the last kept month
        frame = frame[frame["month"] == frame["month"].max()]
    return frame


class IncompleteWarning(UserWarning):
    """A summary of an experiment with runs missing: it covers the finished runs only."""


def _finished(out: Path, manifest: dict) -> tuple[pd.DataFrame, str]:
    """The finished runs' rows at the kept month and the stamp of the parts they came from (taken first)."""
    parts = store.parts_stamp(out)
    return _end_rows(out, manifest), parts


def summarize(out: Path) -> tuple[pd.DataFrame, Path, Path]:
    """Per scenario and design point: mean and 95% interval over replications of each kept outcome.

    An unfinished folder is summarised with a warning that says how many runs are missing; the tables are stamped
    with the parts they read, so that a later resume marks them stale (``store.staleness``)."""
    manifest = store.read_manifest(out)
    frame, parts = _finished(out, manifest)
    if frame.empty:  # every part file gone, or every run failed
        raise store.ResultsError(f"{out}: no finished run to summarise (see `experiment status`, then run the "
                                 "experiment again)")
    finished = int(frame["run_id"].nunique())
    if finished < manifest["n_runs"]:
        warnings.warn(IncompleteWarning(
            f"{out}: {manifest['n_runs'] - finished} of {manifest['n_runs']} runs are missing (not run yet, or failed); "
            f"the summary covers the {finished} finished; resume the experiment, then summarise again"), stacklevel=2)
    varied = [p for p in manifest["parameters"] if p != DUMMY]
    rows = []
    for (scenario, point), runs in frame.groupby(["scenario", "point"], sort=True):
        row = {"scenario": scenario, "point": point, **{p: runs[p].iloc[0] for p in varied}, "runs": len(runs)}
        for outcome in manifest["keep"]:
            mean, lo, hi = interval(runs[outcome].to_numpy(dtype=float)[:, None])
            row.update({f"{outcome}_mean": mean[0], f"{outcome}_ci_low": lo[0], f"{outcome}_ci_high": hi[0]})
        rows.append(row)
    table = pd.DataFrame(rows)
    csv, html = out / "summary.csv", out / "summary.html"
    write_csv(table, csv)
    write_atomic(page(f"Experiment summary: {manifest.get('title', '')}", _summary_body(manifest, table, varied)), html)
    store.stamp_derived(out, "summary", parts, finished, manifest["n_runs"])
    return table, csv, html


def _summary_body(manifest: dict, table: pd.DataFrame, varied: list[str]) -> str:
    parts = [f"<h1>{esc(manifest.get('title', 'Experiment'))}</h1><p class='note'>{esc(SYNTHETIC_NOTE)}</p>",
             f"<p>{esc(manifest.get('description', ''))}</p><p>{len(table)} design points x scenarios, "
             f"{manifest['replications']} replications each; error bars are 95% intervals over replications.</p>"]
    for k, outcome in enumerate(manifest["keep"]):
        fig = make_subplots(rows=1, cols=len(varied), subplot_titles=varied, shared_yaxes=True)
        for s, (scenario, rows) in enumerate(table.groupby("scenario", sort=False)):
            for c, param in enumerate(varied, start=1):
                ordered = rows.sort_values(param)
                x = ordered[param].astype(str) if ordered[param].dtype == object else ordered[param]
                fig.add_trace(go.Scatter(
                    x=x, y=ordered[f"{outcome}_mean"], mode="markers", name=scenario, showlegend=c == 1,
                    marker=dict(color=PALETTE[s % len(PALETTE)], size=9),
                    error_y=dict(type="data", symmetric=False,
                                 array=ordered[f"{outcome}_ci_high"] - ordered[f"{outcome}_mean"],
                                 arrayminus=ordered[f"{outcome}_mean"] - ordered[f"{outcome}_ci_low"])), row=1, col=c)
        fig.update_layout(title=OUTCOMES[outcome].label)
        parts.append(figure_html(fig, f"summary-{k}", 480))
    return "".join(parts)


def sensitivity(out: Path) -> tuple[pd.DataFrame, Path, Path]:
    """Morris or Sobol indices per scenario and outcome (outcome = mean over replications per point)."""
    manifest = store.read_manifest(out)
    kind = manifest["kind"]
    if kind not in ("morris", "sobol"):
        raise store.ResultsError(f"{out}: a {kind} design has no sensitivity indices; use a morris or sobol design")
    frame, parts = _finished(out, manifest)
    X = store.read_design(out, manifest).to_pandas().to_numpy(dtype=float)
    n_points = len(X)
    problem = {"num_vars": len(manifest["parameters"]), "names": manifest["parameters"],
               "bounds": [manifest["bounds"][p] for p in manifest["parameters"]]}
    tables = []
    for scenario in manifest["scenarios"]:  # the design's, so a scenario without a single finished run is refused too
        runs = frame[frame["scenario"] == scenario]
        finished = runs.groupby("point").size().reindex(range(n_points), fill_value=0)
        missing = int((finished == 0).sum())
        if missing:
            raise store.ResultsError(f"{out}: {missing} of {n_points} design points of {scenario} have no finished run; "
                                     "sensitivity needs them all (see `experiment status`, then run the experiment again)")
        means = runs.groupby("point")[manifest["keep"]].mean().reindex(range(n_points))
        for outcome in manifest["keep"]:
            y = means[outcome].to_numpy(dtype=float)
            if np.isnan(y).any():  # e.g. an outcome at release before anybody is released
                warnings.warn(UndefinedOutcomeWarning(
                    f"{scenario} / {outcome}: no value (NaN) at {int(np.isnan(y).sum())} of {n_points} design points at "
                    "this horizon; its indices are left empty"), stacklevel=2)
                indices = undefined(kind, problem)
            else:
                indices = analyze(kind, problem, X, y, seed=manifest["seed"], levels=manifest["levels"])
            indices.insert(0, "outcome", outcome)
            indices.insert(0, "scenario", scenario)
            tables.append(indices)
    table = pd.concat(tables, ignore_index=True)
    csv, html = out / "sensitivity.csv", out / "sensitivity.html"
    write_csv(table, csv)
    write_atomic(page(f"Sensitivity: {manifest.get('title', '')}", _sensitivity_body(manifest, table, kind)), html)
    store.stamp_derived(out, "sensitivity", parts, int(frame["run_id"].nunique()), manifest["n_runs"])
    return table, csv, html


def _sensitivity_body(manifest: dict, table: pd.DataFrame, kind: str) -> str:
    value, conf = ("mu_star", "mu_star_conf") if kind == "morris" else ("ST", "ST_conf")
    parts = [f"<h1>{esc(manifest.get('title', 'Sensitivity'))}</h1><p class='note'>{esc(SYNTHETIC_NOTE)}</p>",
             f"<p>{'Morris screening: mu* (mean absolute elementary effect) with its 95% confidence' if kind == 'morris' else 'Sobol total-order indices ST with 95% confidence'}. "
             f"The parameter <b>{DUMMY}</b> is read by no process: indices at or below its value mean nothing.</p>"]
    for k, ((scenario, outcome), rows) in enumerate(table.groupby(["scenario", "outcome"], sort=False)):
        rows = rows.sort_values(value, ascending=True).tail(20)
        colours = ["#D55E00" if p == DUMMY else "#0072B2" for p in rows["parameter"]]
        fig = go.Figure(go.Bar(x=rows[value], y=rows["parameter"], orientation="h", marker_color=colours,
                               error_x=dict(type="data", array=rows[conf])))
        fig.update_layout(title=f"{OUTCOMES[outcome].label} ({scenario}): top {len(rows)}", xaxis_title=value)
        parts.append(figure_html(fig, f"sens-{k}", 140 + 28 * len(rows)))
    return "".join(parts)
