"""A picture of one run's multi-layer network: every returnee amid their own circle, agencies around.

The layout is computed from the network's structure (no force simulation): returnees on a
grid, each one's family, children, acquaintances, mentors and extremist contacts on a
small ring around them, agencies on an outer ellipse grouped by type. It is instant and
the same every time. Hover text carries synthetic ids only.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from typing import Any, Iterable, Sequence

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from model import api
from model.api import CUSTODY_NAMES

from . import theme
from .i18n import number, t

HOUSING = ("none", "precarious", "stable")  # index = the model's housing code (NO_HOUSING, PRECARIOUS, STABLE)
KIND_STYLE = {  # colour, size, symbol: every kind its own symbol, so colour is never the only signal
    "returnee": (theme.BLACK, 11, "circle"), "family_member": (theme.ORANGE, 8, "star"), "child": (theme.YELLOW, 6, "diamond"),
    "peer": (theme.SKY, 6, "triangle-down"), "mentor": (theme.PURPLE, 7, "triangle-up"),
    "extremist_peer": (theme.VERMILLION, 7, "x"), "agency": (theme.BLUE, 12, "square"),
}
LAYER_COLOURS = {"family": theme.ORANGE, "community": theme.SKY, "case": theme.GREEN, "coordination": "#555555",
                 "living_lab": theme.PURPLE}
STATE_STYLE = {  # colour, symbol of each returnee state; symbols unlike the kinds' (shown in grey beside them)
    "housing": dict(zip(HOUSING, ((theme.VERMILLION, "cross"), (theme.ORANGE, "hourglass"), (theme.BLUE, "hexagon")),
                        strict=True)),
    # Okabe-Ito colours only (grey: not yet arrived); more states than colours, so a colour marks a group and the
    # symbol the state: orange, vermillion, yellow = detained; sky, purple, blue = in the community (open blue: in
    # Belgium but out of view); black = removed or died; green = left again, transferred or emigrated
    "custody": dict(zip(CUSTODY_NAMES, (
        ("#BBBBBB", "star-diamond"), (theme.ORANGE, "hourglass"), (theme.VERMILLION, "square-x"),
        (theme.YELLOW, "bowtie"), (theme.SKY, "circle-cross"), (theme.PURPLE, "triangle-right"), (theme.BLUE, "hexagon"),
        (theme.BLUE, "circle-open"), (theme.BLACK, "cross"), (theme.BLACK, "x-thin-open"), (theme.GREEN, "arrow-up"),
        (theme.GREEN, "arrow-right"), (theme.GREEN, "arrow-left")), strict=True)),
}
CAPITAL = {"bonding": ("family",), "bridging": ("peer", "ll_mentor", "returnee"), "linking": ("case", "ll_professional")}
COLOUR_BY = ("kind", "housing", "custody", "trust")


def layout(graph: nx.MultiGraph) -> dict[int, tuple[float, float]]:
    """Positions: returnees on a grid, their own people on a ring around them, the rest on an outer ellipse."""
    returnees = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "returnee")
    cols = max(1, math.ceil(math.sqrt(len(returnees) * 1.6)))
    rows = math.ceil(len(returnees) / cols)
    pos = {r: (float(i % cols), float(-(i // cols))) for i, r in enumerate(returnees)}
    circles: dict[int, list[int]] = defaultdict(list)
    outer = []
    for node, d in sorted(graph.nodes(data=True)):
        if d["kind"] == "returnee":
            continue
        (circles[d["owner"]] if d["kind"] != "agency" and d["owner"] in pos else outer).append(node)
    for owner, nodes in circles.items():
        cx, cy = pos[owner]
        for k, node in enumerate(nodes):
            angle = 2 * math.pi * k / len(nodes)
            pos[node] = (cx + 0.36 * math.cos(angle), cy + 0.36 * math.sin(angle))
    outer.sort(key=lambda n: (graph.nodes[n].get("agency_type", ""), n))
    centre_x, centre_y = (cols - 1) / 2, -(rows - 1) / 2
    for k, node in enumerate(outer):
        angle = 2 * math.pi * k / max(len(outer), 1)
        pos[node] = (centre_x + (cols / 2 + 1.2) * math.cos(angle), centre_y + (rows / 2 + 1.2) * math.sin(angle))
    return pos


def label_agencies(graph: nx.MultiGraph, types: Sequence[str]) -> nx.MultiGraph:
    """Put each agency node's type name (from ``model.api.agency_types``) on it."""
    for _, d in graph.nodes(data=True):
        if d["kind"] == "agency":
            d["agency_type"] = types[d["agency"]]
    return graph


def capital(graph: nx.MultiGraph) -> dict[str, float]:
    """Mean summed tie weight per returnee in Belgium, by kind of social capital."""
    present = {n for n, d in graph.nodes(data=True) if d["kind"] == "returnee" and d["present"]}
    totals = dict.fromkeys(CAPITAL, 0.0)
    for a, b, d in graph.edges(data=True):
        for kind, groups in CAPITAL.items():
            if d["group"] in groups and (a in present or b in present):
                totals[kind] += d["weight"]
    return {kind: total / max(len(present), 1) for kind, total in totals.items()}


def figure(graph: nx.MultiGraph, layers: Iterable[str], colour_by: str, lang: str) -> go.Figure:
    """The network with the chosen layers' edges and nodes coloured by type or by a returnee outcome."""
    pos = layout(graph)
    fig = go.Figure()
    shown = set(layers)
    for layer in graph.graph["layers"]:
        if layer in shown:
            _edges(fig, graph, pos, layer, lang)
    for trace in _nodes(graph, pos, colour_by, lang):
        fig.add_trace(trace)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    theme.style(fig, t("network.title", lang), height=860, hovermode="closest")
    return fig.update_layout(legend=dict(orientation="v", x=1.01, y=1, yanchor="top"), margin=dict(r=20, b=20))


def _edges(fig: go.Figure, graph: nx.MultiGraph, pos: dict, layer: str, lang: str) -> None:
    ends = [(pos[a], pos[b]) for a, b, d in graph.edges(data=True) if d["layer"] == layer]
    xy = np.full((len(ends), 3, 2), np.nan)  # a, b, gap: one polyline with breaks (arrays: fast in plotly)
    if ends:
        xy[:, :2] = np.array(ends)
    fig.add_scatter(x=xy[:, :, 0].ravel(), y=xy[:, :, 1].ravel(), mode="lines", hoverinfo="skip", opacity=0.45,
                    line=dict(color=LAYER_COLOURS[layer], width=1.2),
                    name=f"{t(f'layer.{layer}', lang)} ({len(ends)} {t('network.ties', lang)})")


def _describe(node: int, d: dict, lang: str) -> str:
    parts = [t(f"agency.{d['agency_type']}", lang) if d["kind"] == "agency" else t(f"kind.{d['kind']}", lang),
             t("network.hover_id", lang, id=node)]
    if d["kind"] == "returnee":
        parts += [t(f"housing.{HOUSING[d['housing']]}", lang), t(f"custody.{CUSTODY_NAMES[d['custody']]}", lang),
                  t("network.trust", lang, value=number(d["trust"], 2, lang))]
        if d["ll_member"]:
            parts.append(t("network.ll_member", lang))
    elif d["kind"] != "agency" and d["owner"] >= 0:
        parts.append(t("network.hover_of", lang, owner=d["owner"]))
    return "<br>".join(parts)


def _nodes(graph: nx.MultiGraph, pos: dict, colour_by: str, lang: str) -> list[go.Scatter]:
    """One trace per legend entry: node kinds, or returnee states with everyone else in grey."""
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by {colour_by!r}; allowed: {', '.join(COLOUR_BY)}")
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for node, d in graph.nodes(data=True):
        if colour_by == "kind" or d["kind"] != "returnee":
            buckets[("kind", d["kind"])].append(node)
        elif colour_by == "housing":
            buckets[("housing", HOUSING[d["housing"]])].append(node)
        elif colour_by == "custody":
            buckets[("custody", CUSTODY_NAMES[d["custody"]])].append(node)
        else:
            buckets[("trust", "returnee")].append(node)
    traces = []
    for (family, value), nodes in sorted(buckets.items(), key=lambda kv: (kv[0][0] != "kind", kv[0][1])):
        if family in ("kind", "trust"):
            colour, size, symbol = KIND_STYLE[value]
        else:
            (colour, symbol), size = STATE_STYLE[family][value], 12
        if colour_by != "kind" and family == "kind":
            colour, size = "#C8C8C8", size * 0.8
        marker: dict[str, Any] = dict(color=colour, size=size, symbol=symbol, line=dict(width=0.5, color="#333333"))
        if family == "trust":
            marker.update(color=np.array([graph.nodes[n]["trust"] for n in nodes]), colorscale="Cividis", cmin=0, cmax=1,
                          size=12, colorbar=dict(title=t("network.colour.trust", lang), thickness=18))
        name = t(f"kind.{value}", lang) if family in ("kind", "trust") else t(f"{family}.{value}", lang)
        traces.append(go.Scatter(
            x=np.array([pos[n][0] for n in nodes]), y=np.array([pos[n][1] for n in nodes]), mode="markers", marker=marker, name=name,
            hovertext=[_describe(n, graph.nodes[n], lang) for n in nodes], hoverinfo="text"))
    return traces


@functools.lru_cache(maxsize=12)
def snapshot(scenario: str, seed: int, month: int) -> nx.MultiGraph:
    """The network after ``month`` (cached: the same inputs give the same graph; figures never change it)."""
    return label_agencies(api.network_at(scenario, seed=seed, month=month), api.agency_types(scenario, seed=seed))


def capital_figure(chosen: dict[str, float], base: dict[str, float], title: str, lang: str) -> go.Figure:
    """Mean tie weight per returnee by kind of capital: the chosen scenario beside the baseline."""
    fig = go.Figure()
    names = [t(f"capital.{kind}", lang) for kind in CAPITAL]
    fig.add_bar(x=names, y=[base[k] for k in CAPITAL], name=t("baseline", lang), marker_color=theme.BLACK)
    fig.add_bar(x=names, y=[chosen[k] for k in CAPITAL], name=title, marker_color=theme.PURPLE, marker_pattern_shape="/")
    return theme.style(fig, "", height=420, barmode="group")
