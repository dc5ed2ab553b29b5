"""Plotly figures and the differences table of a scenario comparison, in the chosen language.

Inputs are the long tables of ``experiments.compare`` (``timeseries``, ``summary``,
``summary_by_group``), whether fresh from a run or read back from a results folder.
"""

from __future__ import annotations

import html
import textwrap
from typing import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from experiments import verdicts
from experiments.spec import DUMMY
from model.api import GROUPS, REGISTRY

from . import display, theme
from .i18n import t
from .labels import LABELS
from .levers import BY_NAME


def scenario_title(name: str, lang: str) -> str:
    """A catalogue scenario's translated title; a scenario from another file keeps its name."""
    return t(f"scenario.{name}", lang) if f"scenario.{name}" in LABELS else name


def parameter_title(name: str, lang: str) -> str:
    """A varied parameter as the room reads it: a workshop lever's label, the dummy's, or else its id and unit
    (the id as in docs/ODD.md, where researchers look it up)."""
    if name == DUMMY:
        return t("experiments.dummy", lang)
    if name in BY_NAME:
        return t(BY_NAME[name].label, lang)
    return f"{name} ({t(f'parameter_unit.{REGISTRY[name].unit}', lang)})" if name in REGISTRY else name


def wrapped(title: str, width: int) -> str:
    """A long title on several lines (plotly breaks lines only at <br>)."""
    return "<br>".join(textwrap.wrap(title, width))


def trajectories(ts: pd.DataFrame, names: Sequence[str], outcome: str, lang: str) -> go.Figure:
    """Median line and 10-90% band over replications, per scenario, over time."""
    u, fig = display.unit(outcome), go.Figure()
    for s, name in enumerate(names):
        d = ts[(ts.scenario == name) & (ts.outcome == outcome)].sort_values("month")
        colour, title = theme.SERIES[s % len(theme.SERIES)], scenario_title(name, lang)
        fig.add_scatter(x=d.date, y=d.p90 * u.scale, mode="lines", line_width=0, legendgroup=name, showlegend=False,
                        hoverinfo="skip")
        fig.add_scatter(x=d.date, y=d.p10 * u.scale, mode="lines", line_width=0, fill="tonexty",
                        fillcolor=theme.translucent(colour), legendgroup=name, showlegend=False, hoverinfo="skip")
        fig.add_scatter(x=d.date, y=d["median"] * u.scale, mode="lines", name=title, legendgroup=name,
                        line=dict(color=colour, width=4, dash="solid" if s == 0 else ("dash", "dot", "dashdot")[(s - 1) % 3]))
    fig.update_xaxes(type="date")
    fig.update_yaxes(title_text=t(u.unit, lang))
    return theme.style(fig, display.label(outcome, lang), hovermode="x unified")


def groups(by_group: pd.DataFrame, names: Sequence[str], outcome: str, lang: str) -> go.Figure:
    """End-of-horizon mean with 95% interval per group (gender, citizenship) and scenario."""
    u = display.unit(outcome)
    dims = list(dict.fromkeys(by for by, _ in GROUPS))
    titles = [t(f"compare.by_{dim}", lang) for dim in dims]
    fig = make_subplots(rows=1, cols=len(dims), shared_yaxes=True, horizontal_spacing=0.06, subplot_titles=titles)
    for j, dim in enumerate(dims):
        for s, name in enumerate(names):
            d = by_group[(by_group.outcome == outcome) & (by_group.group_by == dim) & (by_group.scenario == name)]
            fig.add_bar(x=[t(f"group.{g}", lang) for g in d.group], y=d["mean"] * u.scale, name=scenario_title(name, lang),
                        legendgroup=name, showlegend=j == 0, marker_color=theme.SERIES[s % len(theme.SERIES)],
                        marker_pattern_shape=("", "/", ".", "x")[s % 4],
                        error_y=dict(type="data", symmetric=False, array=(d.ci_high - d["mean"]) * u.scale,
                                     arrayminus=(d["mean"] - d.ci_low) * u.scale, color="#333333", thickness=2),
                        row=1, col=j + 1)
    fig.update_yaxes(title_text=t(u.unit, lang), col=1)
    fig.update_annotations(font_size=18)
    theme.style(fig, display.label(outcome, lang), height=560, barmode="group")
    return fig.update_layout(margin=dict(b=190), legend=dict(y=-0.42))


def differences_table(summary: pd.DataFrame, names: Sequence[str], outcomes: Sequence[str], lang: str) -> str:
    """HTML table: the reference's mean [95%] and each scenario's paired difference [95%] per outcome."""
    head = [t("compare.col_outcome", lang), t("compare.col_reference", lang, name=scenario_title(names[0], lang))]
    head += [t("compare.col_diff", lang, name=scenario_title(n, lang)) for n in names[1:]]
    rows = []
    for outcome in outcomes:
        found = summary[summary.outcome == outcome].set_index("scenario")
        u = display.unit(outcome)
        ref = found.loc[names[0]]
        cells = [f"<td>{html.escape(display.label(outcome, lang))}<br><span class='rr-small'>"
                 f"{html.escape(t(u.unit, lang))}</span></td>",
                 f"<td class='num'>{_interval(outcome, ref['mean'], ref.ci_low, ref.ci_high, lang)}</td>"]
        for name in names[1:]:
            r = found.loc[name]
            mark = verdicts.of_row(r)
            word = f"<br>{'▲' if mark == 'better' else '▼'} {t(f'compare.{mark}', lang)}" if mark else ""
            if not pd.isna(r.get("sign_share", float("nan"))):
                share, flip = (f"{display.number(float(r.get(c, float('nan'))) * 100, 0, lang)}%"
                               for c in ("sign_share", "flip_share"))
                word += (f"<br><span class='rr-small'>{html.escape(t('compare.keeps_sign', lang, share=share, flip=flip))}"
                         "</span>")
            cells.append(f"<td class='num {mark or ''}'>"
                         f"{_interval(outcome, r['diff'], r.diff_ci_low, r.diff_ci_high, lang, True)}{word}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return f"<table class='rr-table'><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _interval(outcome: str, mean: float, low: float, high: float, lang: str, signed: bool = False) -> str:
    parts = [display.value(outcome, v, lang, signed) for v in (mean, low, high)]
    return html.escape(f"{parts[0]} [{parts[1]}; {parts[2]}]")


def design_points(summary: pd.DataFrame, varied: Sequence[str], outcome: str, lang: str) -> go.Figure:
    """An experiment's summary: mean and 95% interval of one outcome against each varied parameter.

    Scenarios differ by symbol as well as colour; a lever's values are shown as its slider shows them (% for
    shares); the hover gives the parameter's id and model value.
    """
    u, columns = display.unit(outcome), max(len(varied), 1)
    titles = [wrapped(parameter_title(p, lang), max(20, 80 // columns)) for p in varied]
    fig = make_subplots(rows=1, cols=columns, shared_yaxes=True, subplot_titles=titles, horizontal_spacing=0.05)
    for s, (scenario, rows) in enumerate(summary.groupby("scenario", sort=False)):
        for c, param in enumerate(varied, start=1):
            ordered = rows.sort_values(param)
            mean, raw = ordered[f"{outcome}_mean"] * u.scale, ordered[param]
            fig.add_scatter(x=BY_NAME[param].shown(raw) if param in BY_NAME else raw, y=mean, mode="markers",
                            name=scenario_title(str(scenario), lang), legendgroup=str(scenario), showlegend=c == 1,
                            customdata=raw, hovertemplate=f"{param} = %{{customdata}}<br>%{{y}}",
                            marker=dict(color=theme.SERIES[s % len(theme.SERIES)], size=11,
                                        symbol=theme.SYMBOLS[s % len(theme.SYMBOLS)]),
                            error_y=dict(type="data", symmetric=False, array=ordered[f"{outcome}_ci_high"] * u.scale - mean,
                                         arrayminus=mean - ordered[f"{outcome}_ci_low"] * u.scale), row=1, col=c)
    fig.update_yaxes(title_text=t(u.unit, lang), col=1)
    theme.style(fig, display.label(outcome, lang), height=480)
    return fig.update_layout(margin_t=70 + 24 * max((title.count("<br>") + 1 for title in titles), default=0))


def sensitivity_bars(indices: pd.DataFrame, scenario: str, outcome: str, lang: str, top: int = 20) -> go.Figure:
    """Morris mu* or Sobol ST per parameter for one scenario and outcome (largest first); the dummy in vermillion.

    Bars carry the parameters' titles; the hover adds each id and, for Sobol, the first-order index.
    """
    value, conf, *extra = ("mu_star", "mu_star_conf") if "mu_star" in indices.columns else ("ST", "ST_conf", "S1")
    rows = indices[(indices["outcome"] == outcome) & (indices["scenario"] == scenario)].sort_values(value).tail(top)
    colours = [theme.VERMILLION if p == DUMMY else theme.BLUE for p in rows["parameter"]]
    shown = [f"{t(f'experiments.index.{value}', lang)}: %{{x:.3g}}"]
    shown += [f"{t(f'experiments.index.{c}', lang)}: %{{customdata[{k}]:.3g}}" for k, c in enumerate(extra, start=1)]
    titles = [wrapped(parameter_title(p, lang), 45) for p in rows["parameter"]]
    fig = go.Figure(go.Bar(x=rows[value], y=titles, orientation="h",
                           marker_color=colours, error_x=dict(type="data", array=rows[conf], color="#333333"),
                           customdata=rows[["parameter", *extra]].to_numpy(),
                           hovertemplate="<br>".join(["%{customdata[0]}", *shown]) + "<extra></extra>"))
    fig.update_xaxes(title_text=t(f"experiments.index.{value}", lang))
    fig.update_yaxes(automargin=True)
    return theme.style(fig, f"{display.label(outcome, lang)}: {scenario_title(scenario, lang)}",
                       height=160 + 30 * sum(title.count("<br>") + 1 for title in titles))
