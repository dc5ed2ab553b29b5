import networkx as nx
import numpy as np
import pytest

from model import api
from model.network import LAYERS


def test_ties_strengthen_with_contact_and_decay_without():
    net = api.build("baseline", seed=1).net
    before = net["family"].weight.copy()
    contact = np.zeros(before.shape)
    contact[:, ::2] = 1.0
    net.tend("family", contact, 0.2, 0.1)
    after = net["family"].weight
    assert np.all(after[:, ::2] >= before[:, ::2]) and np.all(after[:, 1::2] <= before[:, 1::2])
    assert np.all((after >= 0) & (after <= 1))


def test_strength_sums_each_returnees_ties():
    net = api.build("baseline", seed=1).net
    g = net["peer"]
    expected = np.zeros(net.n)
    np.add.at(expected, g.owner[0], g.weight[0])
    np.testing.assert_allclose(net.strength("peer")[0], expected)


def test_every_layer_is_present_and_typed_in_networkx():
    graph = api.network_at("baseline", seed=2, month=60)
    assert isinstance(graph, nx.MultiGraph)
    layers = {d["layer"] for _, _, d in graph.edges(data=True)}
    assert layers >= {"family", "community", "case"} and layers <= set(LAYERS)
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert {"returnee", "family_member", "peer", "agency"} <= kinds


def test_returnees_are_tied_to_each_other_mostly_within_a_municipality():
    m = api.build("baseline", seed=3)
    rt = m.net["returnee"]
    owner, other = rt.owner[0], rt.other[0]
    assert (owner != other).all()
    same = m.pop.municipality[0, owner] == m.pop.municipality[0, other]
    assert same.mean() > 0.6


def test_living_lab_adds_linking_and_bridging_ties():
    base = api.network_at("baseline", seed=2, month=120)
    lab = api.network_at("baseline", seed=2, month=120, overrides={"living_lab": True})
    count = lambda g: sum(1 for *_, d in g.edges(data=True) if d["layer"] == "living_lab")  # noqa: E731
    assert count(base) == 0 and count(lab) > 10


def test_ties_of_some_owners_are_the_nonzero_cells_of_their_mask():
    from model.api import scenario_with
    from model.model import ReintegrationModel

    model = ReintegrationModel(runs=[(scenario_with("baseline"), s) for s in (0, 1)], months=1)
    rng = np.random.default_rng(2)
    chosen = rng.random((2, model.pop.n)) < 0.2
    rows, owners = np.nonzero(chosen)
    for group in ("case", "ll_professional"):
        tg = model.net[group]
        expected = np.nonzero(tg.of_owner(chosen))
        got = tg.ties_of(rows, owners)
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])
    with pytest.raises(ValueError, match="per_owner"):
        model.net["family"].ties_of(rows, owners)
