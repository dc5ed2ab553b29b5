import networkx as nx
import numpy as np

from model import api
from model.network import LAYERS


def test_ties_strengthen_with_contact_and_decay_without():
    net = api.build("baseline", seed=1).net
    idx = net.edges("family")
    before = net.weight[idx].copy()
    contact = np.zeros(len(idx))
    contact[::2] = 1.0
    net.tend("family", contact, 0.2, 0.1)
    after = net.weight[idx]
    assert np.all(after[::2] >= before[::2]) and np.all(after[1::2] <= before[1::2])
    assert np.all((after >= 0) & (after <= 1))


def test_every_layer_is_present_and_typed_in_networkx():
    graph = api.network_at("baseline", seed=2, month=60)
    assert isinstance(graph, nx.MultiGraph)
    layers = {d["layer"] for _, _, d in graph.edges(data=True)}
    assert layers >= {"family", "community", "case", "coordination"} and layers <= set(LAYERS)
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert {"returnee", "family_member", "peer", "agency"} <= kinds


def test_living_lab_adds_linking_and_bridging_ties():
    base = api.network_at("baseline", seed=2, month=120)
    lab = api.network_at("baseline", seed=2, month=120, overrides={"living_lab": True})
    count = lambda g: sum(1 for *_, d in g.edges(data=True) if d["layer"] == "living_lab")
    assert count(base) == 0 and count(lab) > 10
