"""The network picture: every node placed, layers toggled, synthetic ids only, Living Lab capital."""

import re

import pytest

from dashboards import network_chart, theme
from dashboards.i18n import t
from model.network import LAYERS
from model.state import CUSTODY_NAMES


@pytest.fixture(scope="module")
def graphs():
    return network_chart.snapshot("living_lab", 1, 203), network_chart.snapshot("baseline", 1, 203)


def test_every_node_has_a_place_and_returnees_sit_amid_their_own_people(graphs):
    graph, _ = graphs
    pos = network_chart.layout(graph)
    assert set(pos) == set(graph.nodes)
    for node, d in graph.nodes(data=True):
        if d["kind"] not in ("returnee", "agency") and d["owner"] in pos and graph.nodes[d["owner"]]["kind"] == "returnee":
            (x, y), (ox, oy) = pos[node], pos[d["owner"]]
            assert abs(x - ox) < 0.5 and abs(y - oy) < 0.5


def test_layers_are_toggled_and_hover_shows_synthetic_ids_only(graphs):
    graph, _ = graphs
    every = network_chart.figure(graph, LAYERS, "kind", "en")
    some = network_chart.figure(graph, ["family", "living_lab"], "housing", "nl")
    edge_traces = [tr for tr in some.data if tr.mode == "lines"]
    assert len([tr for tr in every.data if tr.mode == "lines"]) == len(LAYERS) and len(edge_traces) == 2
    assert {tr.name.rsplit(" (", 1)[0] for tr in edge_traces} == {"familie (hechtend)", "Living Lab voor re-integratie (RELAB)"}
    hovers = [h for tr in every.data if tr.mode == "markers" for h in tr.hovertext]
    assert len(hovers) == graph.number_of_nodes()
    for text in hovers:
        assert re.search(r"synthetic id \d+", text)
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", text.replace("<br>", " "))}
        assert words <= ALLOWED_WORDS, (text, words - ALLOWED_WORDS)
    with pytest.raises(ValueError):
        network_chart.figure(graph, LAYERS, "name", "en")


def test_a_living_lab_adds_bridging_and_linking_ties_not_bonding(graphs):
    ll, base = (network_chart.capital(g) for g in graphs)
    assert ll["linking"] > 1.5 * base["linking"] and ll["bridging"] > 1.2 * base["bridging"]
    assert ll["bonding"] == pytest.approx(base["bonding"], rel=0.25)


ALLOWED_WORDS = set(
    "synthetic id returnee belongs to family member child friend or neighbour mentor extremist contact agency "
    "prison CUTA house of justice local integrated security cell LISC R police public social welfare centre "
    "housing service employment VDAB Le Forem Actiris psychosocial care Islamic moral counsellor youth protection "
    "no precarious stable not yet arrived pre trial detention sentenced in conditional release free removed from "
    "Belgium trust takes part the Living Lab".lower().split()) | {  # and the words of every custody state's label
    w.lower() for name in CUSTODY_NAMES for w in re.findall(r"[A-Za-z]+", t(f"custody.{name}", "en"))
}  # no names, only types, states and synthetic ids


@pytest.mark.parametrize("colour_by", ["kind", "housing", "custody"])
def test_every_kind_and_state_has_its_own_symbol_not_only_its_colour(graphs, colour_by):
    graph, _ = graphs
    markers = [tr for tr in network_chart.figure(graph, [], colour_by, "en").data if tr.mode == "markers"]
    shown = [tr for tr in markers if colour_by == "kind" or tr.marker.color != "#C8C8C8"]  # not the grey others
    assert len(shown) >= 3
    assert len({tr.marker.symbol for tr in markers}) == len(markers), [(tr.name, tr.marker.symbol) for tr in markers]
    assert {tr.marker.color for tr in shown} <= set(theme.SERIES) | {"#BBBBBB"}  # Okabe-Ito (and grey: not arrived)


def test_every_state_the_model_declares_has_a_style():
    assert set(network_chart.STATE_STYLE["custody"]) == set(CUSTODY_NAMES)
    assert set(network_chart.STATE_STYLE["housing"]) == set(network_chart.HOUSING)
    for family in network_chart.STATE_STYLE.values():
        symbols = [symbol for _, symbol in family.values()]
        assert len(set(symbols)) == len(symbols)
        assert not set(symbols) & {symbol for _, _, symbol in network_chart.KIND_STYLE.values()}
