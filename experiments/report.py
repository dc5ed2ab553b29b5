"""One self-contained HTML report of a scenario comparison, for policy analysts.

The page opens offline: plotly's JavaScript is inlined once in the head and every
figure is a div drawn by it. All text is escaped. The population is SYNTHETIC: the
report explores policy options and never assesses real people.
"""

from __future__ import annotations

import html
import math
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from model.api import GROUPS, OUTCOMES, RECOMMENDATIONS, REGISTRY, __version__, atomic_write, month_to_date

from .compare import INTERVALS, KEY_OUTCOMES, Comparison, differences
from .verdicts import RULE
from .verdicts import of_row as verdict

# Okabe-Ito, reference in black; blue and vermillion come late as they mark better / worse.
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442")
VERDICT_COLOURS = {"better": "#0072B2", "worse": "#D55E00", None: "#666666"}
VERDICT_MARKS = {"better": "▲ better", "worse": "▼ worse", None: ""}
FONT = dict(family="Arial, Helvetica, sans-serif", size=16, color="#222222")
SYNTHETIC_NOTE = ("Synthetic population. Everyone in this model is an invented agent; no real person's data is used. "
                  "This report is a tool for exploring policy options. It must never be used to assess, "
                  "predict or rank real people.")
DENOMINATORS = {"community": "returnees in the community", "arrived": "returnees arrived",
                "released": "returnees released", "present": "returnees in Belgium", "detention": "detainees",
                "released_12m": "returnees first released at least a year ago",
                "released_24m": "returnees first released at least two years ago",
                "convicted": "returnees ever convicted"}
CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#222;max-width:1200px;margin:0 auto;padding:1.5rem;line-height:1.45}
h1{font-size:2rem;margin-bottom:.3rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}
.note{border:3px solid #E69F00;background:#FFF4E0;padding:1rem 1.2rem;font-size:1.15rem;font-weight:bold;margin:1rem 0}
.warning{border-color:#D55E00;background:#FDE8DC}
table{border-collapse:collapse;margin:.8rem 0;font-size:.95rem}
th,td{border:1px solid #ccc;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;white-space:nowrap}td.better{background:#0072B2;color:#fff}
td.worse{background:#D55E00;color:#fff}dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.meta dt{font-weight:bold}dl.meta dd{margin:0}code{background:#f2f2f2;padding:.1rem .3rem;word-break:break-all}
.small{font-size:.9rem;color:#444}footer{margin-top:3rem;border-top:2px solid #ddd;padding-top:1rem}
"""


class Unit(NamedTuple):
    scale: float
    unit: str  # of levels
    diff_unit: str  # of differences
    digits: int


def esc(value: Any) -> str:
    """Any value as escaped HTML text."""
    return html.escape(str(value))


def unit(outcome: str) -> Unit:
    """How an outcome is shown: scale, units in words and decimals."""
    o = OUTCOMES[outcome]
    if outcome.startswith("cost"):
        return Unit(1e-6, "million EUR", "million EUR", 2)
    if o.kind == "share":
        return Unit(100.0, f"% of {DENOMINATORS.get(o.denominator, o.denominator)}", "percentage points", 1)
    if o.kind == "rate":
        return Unit(1.0, "per 100 person-years at liberty", "per 100 person-years", 2)
    if o.kind == "mean":
        return Unit(1.0, "average score, 0 to 1", "score points", 3)
    return Unit(1.0, "people", "people", 1)


def label(outcome: str) -> str:
    """Plain label of an outcome (units are added separately)."""
    return OUTCOMES[outcome].label.removesuffix(" (EUR)")


def number(value: float, digits: int, signed: bool = False) -> str:
    """A rounded number, 'n/a' when undefined."""
    if math.isnan(value):
        return "n/a"
    return f"{round(value, digits) + 0.0:{'+' if signed else ''},.{digits}f}"  # + 0.0: no '-0.0'


def interval_text(mean: float, low: float, high: float, u: Unit, signed: bool = False) -> str:
    """'mean [low, high]' in display units."""
    parts = [number(v * u.scale, u.digits, signed) for v in (mean, low, high)]
    return f"{parts[0]} [{parts[1]}, {parts[2]}]"


def translucent(colour: str, alpha: float = 0.18) -> str:
    """A '#RRGGBB' colour as rgba with the given opacity (for bands)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


@cache
def _template() -> dict:
    return pio.templates["plotly_white"].to_plotly_json()


def figure_html(fig: go.Figure | dict, div_id: str, height: int) -> str:
    """A figure (or a plain figure spec: ``data`` and ``layout``) as a div (no JavaScript library), styled for a
    projector.

    The template goes into the figure's JSON once it is built: setting it on the figure copies and validates
    the whole template, about 0.2 s a chart. Plain specs skip plotly's validation (the report's charts, which
    tests/experiments/test_report.py renders)."""
    style = dict(font=FONT, height=height, margin=dict(l=70, r=30, t=110, b=60),
                 legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, font=dict(size=16)))
    if isinstance(fig, go.Figure):
        fig.update_layout(title_font_size=20, **style)
        spec = fig.to_plotly_json()
    else:
        layout = fig["layout"]
        spec = {"data": fig["data"], "layout": {**layout, **style,
                                                "title": {**layout.get("title", {}), "font": dict(size=20)}}}
    spec["layout"]["template"] = _template()
    return pio.to_html(spec, full_html=False, include_plotlyjs=False, div_id=div_id, validate=False,
                       config={"displaylogo": False, "responsive": True})


def grid_layout(titles: list[str], rows: int, cols: int, shared_y: bool = False, vertical_spacing: float = 0.3,
                horizontal_spacing: float = 0.2) -> dict:
    """A plain layout with a grid of panels titled ``titles`` (row by row from the top); panel k's traces use
    ``axes(k)``. The axes and title positions are plotly's ``make_subplots`` ones, worked out here with its
    arithmetic: building a subplot figure once loads plotly's validators, 0.6-0.9 s of a comparison
    (tests/experiments/test_report.py checks the two agree)."""
    width = (1.0 - horizontal_spacing * (cols - 1)) / cols
    height = (1.0 - vertical_spacing * (rows - 1)) / rows
    layout: dict = {}
    notes = []
    for k in range(rows * cols):
        row, col = divmod(k, cols)
        from_bottom = rows - 1 - row
        x0 = sum([width] * col) + col * horizontal_spacing
        y0 = sum([height] * from_bottom) + from_bottom * vertical_spacing
        x, y = [x0, x0 + width], [y0, y0 + height]
        xname, yname = axes(k)["xaxis"], axes(k)["yaxis"]
        layout["xaxis" + xname[1:]] = {"anchor": yname, "domain": x}
        layout["yaxis" + yname[1:]] = {"anchor": xname, "domain": y}
        if shared_y and col > 0:
            layout["yaxis" + yname[1:]].update(matches=axes(k - col)["yaxis"], showticklabels=False)
        if k < len(titles):
            notes.append({"font": {"size": 16}, "showarrow": False, "text": titles[k], "x": sum(x) / 2.0,
                          "xanchor": "center", "xref": "paper", "y": y[1], "yanchor": "bottom", "yref": "paper"})
    layout["annotations"] = notes
    return layout


def axes(k: int) -> dict:
    """The axis names of panel k of a grid (``xaxis``/``yaxis`` for the first, ``x2``/``y2`` for the second...)."""
    suffix = "" if k == 0 else str(k + 1)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def rows_for(frame: pd.DataFrame, outcome: str) -> dict[str, pd.Series]:
    """Rows of a summary table for one outcome, keyed by scenario."""
    return {r.scenario: r for _, r in frame[frame.outcome == outcome].iterrows()}


def compact_seeds(seeds: list[int]) -> str:
    """Seeds listed in full when few, otherwise first, second and last."""
    if len(seeds) <= 3:
        return ", ".join(map(str, seeds))
    return f"{seeds[0]}, {seeds[1]}, …, {seeds[-1]} ({len(seeds)} seeds, all listed in comparison.json)"


def header(c: Comparison) -> str:
    """Title, the synthetic-population note and what was run."""
    wall = f"{c.wall_time:.0f} s" if c.wall_time < 120 else f"{c.wall_time / 60:.1f} min"
    meta = {
        "Scenarios (reference first)": ", ".join(f"{s.title} ({s.name})" for s in c.scenarios),
        "Replications": f"{c.reps} per scenario, paired: replication r of every scenario uses the same random seed",
        "Horizon": f"{c.months} months, {month_to_date(0)} to {month_to_date(c.months - 1)}",
        "Uncertainty shown": INTERVALS[c.uncertainty],
        "Model version": __version__,
        "Replicate seeds": compact_seeds(c.seeds),
        "Computing time": f"{wall} on {c.workers} worker process{'es' if c.workers > 1 else ''}",
    }
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta.items())
    warnings = "".join(f"<div class='note warning' role='alert'>Warning: {esc(w)}</div>" for w in c.warnings)
    return (f"<h1>Reintegration of returnees in Belgium: comparing policy scenarios</h1>"
            f"<p class='small'>Agent-based policy simulation, reference scenario: {esc(c.scenarios[0].title)}</p>"
            f"<div class='note' role='note'>{esc(SYNTHETIC_NOTE)}</div>{warnings}<dl class='meta'>{items}</dl>")


def headline(c: Comparison, summary: pd.DataFrame) -> str:
    """Key outcomes at the horizon: reference level and each scenario's paired difference."""
    head = (f"<th>Outcome (unit)</th><th>{esc(c.names[0])}: mean [95% CI]</th>"
            + "".join(f"<th>{esc(n)} minus {esc(c.names[0])} [95% CI]</th>" for n in c.names[1:]))
    body = []
    for outcome in KEY_OUTCOMES:
        u, rows = unit(outcome), rows_for(summary, outcome)
        ref = rows[c.names[0]]
        cells = [f"<td>{esc(label(outcome))} <span class='small'>({esc(u.unit)})</span></td>",
                 f"<td class='num'>{esc(interval_text(ref['mean'], ref.ci_low, ref.ci_high, u))}</td>"]
        for name in c.names[1:]:
            r = rows[name]
            v = verdict(r)
            keeps = ("" if pd.isna(r.get("sign_share")) else
                     f"; same sign in {r.sign_share:.0%} of draws, opposite in {r.get('flip_share', float('nan')):.0%}")
            text = f"{interval_text(r['diff'], r.diff_ci_low, r.diff_ci_high, u, signed=True)} {VERDICT_MARKS[v]}{keeps}"
            cells.append(f"<td class='num {v or ''}'>{esc(text.strip())}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f"<h2>Headline results at the end of the horizon ({esc(month_to_date(c.months - 1))})</h2>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            "<p class='small'>Differences are paired (same seeds) and given in the outcome's unit; for percentages "
            f"they are percentage points. {esc(RULE)} Blue ▲ = better, vermillion ▼ = worse for returnees or the "
            "public purse. Uncoloured cells show no clear difference at this number of replications, or an outcome "
            "without a preferred direction.</p>")


def trajectories(c: Comparison, ts: pd.DataFrame) -> str:
    """One chart per key outcome: median line and 10-90% band per scenario over time."""
    charts = []
    ts = ts[ts.outcome.isin(KEY_OUTCOMES)].sort_values("month")
    parts = dict(tuple(ts.groupby(["outcome", "scenario"], sort=False)))
    for outcome in KEY_OUTCOMES:
        u, data = unit(outcome), []
        for s, name in enumerate(c.names):
            d = parts[(outcome, name)]
            colour = PALETTE[s % len(PALETTE)]
            x = d.date.tolist()
            data += [
                dict(type="scatter", x=x, y=(d.p90 * u.scale).tolist(), mode="lines", line=dict(width=0),
                     legendgroup=name, showlegend=False, hoverinfo="skip"),
                dict(type="scatter", x=x, y=(d.p10 * u.scale).tolist(), mode="lines", line=dict(width=0),
                     fill="tonexty", fillcolor=translucent(colour), legendgroup=name, showlegend=False,
                     hoverinfo="skip"),
                dict(type="scatter", x=x, y=(d["median"] * u.scale).tolist(), mode="lines", name=esc(name),
                     legendgroup=name, line=dict(color=colour, width=3)),
            ]
        layout = dict(title=dict(text=esc(f"{label(outcome)} ({u.unit})")), hovermode="x unified",
                      xaxis=dict(title=dict(text="Date"), type="date"), yaxis=dict(title=dict(text=esc(u.unit))))
        charts.append(figure_html(dict(data=data, layout=layout), f"trajectory-{outcome}", 460))
    return ("<h2>Trajectories over time</h2><p>Lines: median over the replications of each scenario. Shaded: the "
            "band in which the middle 80% of replications fall (10th to 90th percentile). The band shows how much "
            "single runs vary; it is not the interval of the mean.</p>" + "".join(charts))


def forest(c: Comparison, summary: pd.DataFrame) -> str:
    """Paired differences from the reference with 95% intervals, one panel per key outcome."""
    cols, n = 2, len(KEY_OUTCOMES)
    rows = math.ceil(n / cols)
    titles = [esc(f"{label(o)} ({unit(o).diff_unit})") for o in KEY_OUTCOMES]
    layout = grid_layout(titles, rows, cols, vertical_spacing=0.6 / rows, horizontal_spacing=0.18)
    data, lines = [], []
    for k, outcome in enumerate(KEY_OUTCOMES):
        u, found, on = unit(outcome), rows_for(summary, outcome), axes(k)
        for name in c.names[1:]:
            r = found[name]
            colour = VERDICT_COLOURS[verdict(r)]
            data.append(dict(type="scatter", x=[r["diff"] * u.scale], y=[esc(name)], mode="markers", showlegend=False,
                             marker=dict(color=colour, size=13, symbol="diamond"),
                             error_x=dict(type="data", symmetric=False, color=colour, thickness=3, width=8,
                                          array=[(r.diff_ci_high - r["diff"]) * u.scale],
                                          arrayminus=[(r["diff"] - r.diff_ci_low) * u.scale]), **on))
        lines.append(dict(type="line", x0=0, x1=0, y0=0, y1=1, xref=on["xaxis"], yref=f"{on['yaxis']} domain",
                          line=dict(color="#444444", width=2, dash="dot")))
    for key in [k for k in layout if k.startswith("yaxis")]:
        layout[key]["autorange"] = "reversed"
    end = month_to_date(c.months - 1)
    layout.update(shapes=lines, title=dict(text=esc(f"Paired difference from {c.names[0]} at {end}, with 95% interval")))
    height = 140 + rows * (70 + 45 * (len(c.names) - 1))
    return ("<h2>Paired differences from the reference</h2><p>Each point is a scenario's average difference from "
            f"{esc(c.names[0])}; the bar is its 95% interval; the dotted line is no difference. Blue = better, "
            f"vermillion = worse, grey = unclear or no preferred direction. {esc(RULE)}"
            "</p>" + figure_html(dict(data=data, layout=layout), "forest", height))


def groups(c: Comparison, by_group: pd.DataFrame) -> str:
    """End-of-horizon means by gender and by citizenship per scenario, with 95% intervals."""
    charts = []
    dims = list(dict.fromkeys(by for by, _ in GROUPS))
    parts = dict(tuple(by_group.groupby(["outcome", "group_by", "scenario"], sort=False)))
    for outcome in (o for o in KEY_OUTCOMES if o in c.group_columns):
        u, data = unit(outcome), []
        layout = grid_layout([esc(f"By {d}") for d in dims], 1, len(dims), shared_y=True, horizontal_spacing=0.05)
        for j, dim in enumerate(dims):
            for s, name in enumerate(c.names):
                d = parts[(outcome, dim, name)]
                data.append(dict(type="bar", x=[esc(g.capitalize()) for g in d.group], y=(d["mean"] * u.scale).tolist(),
                                 name=esc(name), legendgroup=name, showlegend=j == 0,
                                 marker=dict(color=PALETTE[s % len(PALETTE)]),
                                 error_y=dict(type="data", symmetric=False,
                                              array=((d.ci_high - d["mean"]) * u.scale).tolist(),
                                              arrayminus=((d["mean"] - d.ci_low) * u.scale).tolist(), color="#333333"),
                                 **axes(j)))
        layout.update(title=dict(text=esc(f"{label(outcome)} ({u.unit})")), barmode="group")
        layout["yaxis"]["title"] = dict(text=esc(u.unit))
        charts.append(figure_html(dict(data=data, layout=layout), f"groups-{outcome}", 440))
    return ("<h2>Breakdown by gender and by citizenship</h2><p>Average at the end of the horizon per group, with "
            "95% intervals over replications. Groups are one-way: each panel splits all returnees by one "
            "characteristic only; groups are never crossed (there is no 'Belgian women' group). Small groups have "
            "wide intervals.</p>" + "".join(charts))


def parameter_table(changes: dict[str, Any]) -> str:
    """A scenario's settings that differ from the reference, with unit and meaning."""
    if not changes:
        return "<p class='small'>No parameter differs from the reference.</p>"
    rows = []
    for key, value in changes.items():
        p = REGISTRY.get(key.split(" ", 1)[0])
        shown = str(value).lower() if isinstance(value, bool) else value
        rows.append(f"<tr><td><code>{esc(key)}</code></td><td class='num'>{esc(shown)}</td>"
                    f"<td>{esc(p.unit if p else '')}</td><td>{esc(p.help if p else '')}</td></tr>")
    return ("<table><thead><tr><th>Setting (and period)</th><th>Value</th><th>Unit</th><th>Meaning</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def scenarios(c: Comparison) -> str:
    """Each scenario's text, the recommendations it enacts and how it differs from the reference."""
    ref, parts = c.scenarios[0], ["<h2>The scenarios</h2>"]
    for s in c.scenarios:
        role = "reference scenario" if s is ref else f"compared with {ref.name}"
        text = "".join(f"<p>{esc(p.strip())}</p>" for p in s.description.split("\n\n") if p.strip())
        recs = "".join(f"<li><b>{esc(r)}</b> {esc(RECOMMENDATIONS.get(r, ''))}</li>" for r in s.recommendations)
        parts.append(f"<h3>{esc(s.title)} <span class='small'>({esc(s.name)}, {esc(role)})</span></h3>{text}")
        parts.append(f"<p>Recommendations of the brief it enacts:</p><ul>{recs}</ul>" if recs
                     else "<p class='small'>Enacts no recommendation of the brief.</p>")
        if s is not ref:
            parts.append("<p>Parameters that differ from the reference:</p>"
                         + parameter_table(differences(s, ref.base)))
    return "".join(parts)


def footer(c: Comparison, files: list[str]) -> str:
    """How to reproduce the comparison and where the tables are."""
    return (f"<footer><h2>Reproduce</h2><p><code>{esc(c.command())}</code></p><p>A faithful re-run gives "
            f"{c.reps} replications whose first replicate seed is {c.seeds[0]}; all replicate seeds are listed in "
            "comparison.json. Results do not depend on the "
            "number of worker processes.</p><p>The tables behind this report sit beside it in the same folder: "
            f"{esc(', '.join(files + ['comparison.json']))}.</p><p class='small'>{esc(SYNTHETIC_NOTE)}</p></footer>")


def page(title: str, body: str, plotly: bool = True) -> str:
    """The complete HTML document, plotly's JavaScript inlined once in the head (if the page has charts)."""
    script = f"<script type='text/javascript'>{get_plotlyjs()}</script>" if plotly else ""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{esc(title)}</title>"
            f"<style>{CSS}</style>{script}</head>"
            f"<body>{body}</body></html>\n")


def write_atomic(text: str, path: Path) -> None:
    """Write an HTML page atomically (never half-written)."""
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def render(c: Comparison, tables: dict[str, pd.DataFrame], path: Path) -> None:
    """Write the comparison report as one self-contained HTML file."""
    summary = tables["summary.csv"]
    body = (header(c) + headline(c, summary) + trajectories(c, tables["timeseries.csv"]) + forest(c, summary)
            + groups(c, tables["summary_by_group.csv"]) + scenarios(c) + footer(c, list(tables)))
    write_atomic(page(f"Policy scenario comparison: {' vs '.join(c.names)} (synthetic population)", body), Path(path))
