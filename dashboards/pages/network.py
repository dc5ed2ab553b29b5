"""Page 3, network: one run's multi-layer network at a chosen month, layers toggled, nodes coloured
by type or by a returnee outcome, and the social capital a scenario adds next to the baseline."""

from __future__ import annotations

import functools
from concurrent.futures import Executor
from typing import Any

import networkx as nx
import reacton.ipyvuetify as rv
import solara
import solara.lab

from model.api import DEFAULT_MONTHS, LAYERS, catalogue, month_to_date

from .. import charts, compute, network_chart
from ..common import language, set_allowed, set_bounded, text
from ..i18n import t
from ..widgets import Chart, CommitSlider

scenario = solara.reactive("living_lab")
month = solara.reactive(DEFAULT_MONTHS - 1)
seed = solara.reactive(1)
layers = solara.reactive(list(LAYERS))
colour_by = solara.reactive("kind")
MAX_SEED = 20


@functools.lru_cache(maxsize=8)
def graphs(name: str, run_seed: int, at: int) -> tuple[nx.MultiGraph, nx.MultiGraph]:
    """The chosen scenario's network and the baseline's, same seed and month, run on the worker pool
    (two model runs would otherwise hold the server's interpreter lock from every session)."""
    if name not in catalogue() or not (1 <= run_seed <= MAX_SEED and 0 <= at < DEFAULT_MONTHS):
        raise ValueError(f"network of {name!r}, seed {run_seed}, month {at}: not a catalogue scenario, "
                         f"seed 1 to {MAX_SEED} and month 0 to {DEFAULT_MONTHS - 1}")

    def work(pool: Executor) -> tuple[nx.MultiGraph, nx.MultiGraph]:
        chosen, base = (pool.submit(network_chart.snapshot, n, run_seed, at) for n in (name, "baseline"))
        return chosen.result(), base.result()

    return compute.on_pool(work, compute.BACKGROUND)


def set_layer(layer: str, on: Any) -> None:
    """Show or hide a layer; only true or false from the browser (the text "false" is not false)."""
    if isinstance(on, bool):
        layers.set([x for x in LAYERS if (x == layer and on) or (x != layer and x in layers.value)])


@solara.component
def Page():
    lang = language.value
    loaded = solara.lab.use_task(lambda: graphs(scenario.value, seed.value, month.value),
                                 dependencies=[scenario.value, seed.value, month.value], raise_error=False)
    text("h2", t("network.title", lang))
    text("p", t("network.intro", lang))
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        rv.Select(label=t("network.scenario", lang), v_model=scenario.value,
                  on_v_model=lambda v: set_allowed(scenario, v, catalogue()),
                  items=[{"text": charts.scenario_title(n, lang), "value": n} for n in catalogue()],
                  style_="min-width: 420px", class_="rr-network-scenario")
        rv.Select(label=t("network.colour_by", lang), v_model=colour_by.value,
                  on_v_model=lambda v: set_allowed(colour_by, v, network_chart.COLOUR_BY),
                  items=[{"text": t(f"network.colour.{c}", lang), "value": c} for c in network_chart.COLOUR_BY],
                  style_="min-width: 300px", class_="rr-colour-by")
    with solara.Columns([3, 1]):
        CommitSlider(t("network.month", lang, date=month_to_date(month.value)), month.value,
                     lambda v: set_bounded(month, v, 0, DEFAULT_MONTHS - 1), 0, DEFAULT_MONTHS - 1, 1, classes=["rr-month"])
        CommitSlider(t("network.seed", lang), seed.value, lambda v: set_bounded(seed, v, 1, MAX_SEED), 1, MAX_SEED, 1,
                     classes=["rr-seed"])
    text("div", t("network.layers", lang), classes=["rr-small"])
    with solara.Row(style={"flex-wrap": "wrap"}):
        for layer in LAYERS:
            solara.Checkbox(label=t(f"layer.{layer}", lang), value=layer in layers.value,
                            on_value=lambda on, layer=layer: set_layer(layer, on))
    solara.ProgressLinear(loaded.pending)
    if loaded.error:
        solara.Error(t("error", lang, error=loaded.exception))
    elif loaded.latest is None:
        text("p", t("network.loading", lang))
    else:
        Pictures(*loaded.latest, lang)


@solara.component
def Pictures(chosen: nx.MultiGraph, base: nx.MultiGraph, lang: str):
    figure = solara.use_memo(lambda: network_chart.figure(chosen, layers.value, colour_by.value, lang),
                             dependencies=[chosen, tuple(layers.value), colour_by.value, lang])
    Chart(figure)
    title = charts.scenario_title(chosen.graph["scenario"], lang)
    text("h3", t("network.capital", lang, scenario=title))
    Chart(network_chart.capital_figure(network_chart.capital(chosen), network_chart.capital(base), title, lang))
    text("p", t("network.capital_note", lang), classes=["rr-small"])
