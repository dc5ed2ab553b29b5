"""Colours, fonts and chart layout readable by the whole room on a projector.

Okabe-Ito palette (safe for the common kinds of colour blindness); black marks the
reference, blue "better", vermillion "worse", and each also carries a symbol or a word so
that colour is never the only signal.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
SERIES = (BLACK, ORANGE, SKY, GREEN, PURPLE, BLUE, VERMILLION, YELLOW)  # scenarios, reference first
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "cross")  # beside SERIES, for points
BETTER, WORSE = BLUE, VERMILLION
FONT_FAMILY = "Roboto, Arial, Helvetica, sans-serif"
CHART_FONT = dict(family=FONT_FAMILY, size=18, color="#1a1a1a")

CSS = f"""
.v-application {{ font-family: {FONT_FAMILY}; font-size: 18px; }}
.rr-note {{ border: 3px solid {ORANGE}; background: #FFF4E0; padding: 10px 16px; font-size: 1.1rem;
           font-weight: 600; margin: 8px 0 16px 0; }}
.rr-nav .v-btn {{ font-size: 1.05rem; text-transform: none; }}
.rr-card-value {{ font-size: 2.6rem; font-weight: 700; line-height: 1.1; color: #111111; }}
.rr-card-title {{ font-size: 1.25rem; font-weight: 600; color: #111111; }}
.rr-small {{ font-size: 1rem; color: #333333; }}
.rr-better {{ color: {BETTER}; font-weight: 700; }}
.rr-worse {{ color: {WORSE}; font-weight: 700; }}
.rr-lever .v-label {{ font-size: 1.15rem; color: #1a1a1a; white-space: normal; }}
.rr-lever .v-slider__thumb {{ width: 22px; height: 22px; left: -11px; }}
.rr-lever .v-slider__thumb:before {{ left: -8px; top: -8px; }}
table.rr-table {{ border-collapse: collapse; font-size: 1.05rem; margin: 8px 0; }}
table.rr-table th, table.rr-table td {{ border: 1px solid #bbbbbb; padding: 6px 10px; text-align: left; }}
table.rr-table td.num {{ text-align: right; white-space: nowrap; }}
table.rr-table td.better {{ background: {BETTER}; color: #ffffff; }}
table.rr-table td.worse {{ background: {WORSE}; color: #ffffff; }}
"""


def translucent(colour: str, alpha: float = 0.2) -> str:
    """A '#RRGGBB' colour as rgba with the given opacity (for bands)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def style(fig: go.Figure, title: str, height: int = 460, **layout: Any) -> go.Figure:
    """Large fonts, white background, a legend below the plot, and the colour-blind-safe series for any trace
    without a colour of its own."""
    fig.update_layout(title=dict(text=title, font=dict(size=22)), font=CHART_FONT, height=height, autosize=True,
                      template="plotly_white", colorway=list(SERIES),
                      margin=dict(l=80, r=30, t=70, b=110), legend=dict(orientation="h", y=-0.1, yanchor="top", x=0),
                      hoverlabel=dict(font_size=16), **layout)
    return fig
