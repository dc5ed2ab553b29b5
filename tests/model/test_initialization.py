import numpy as np

from model import api
from model.calendar import date_to_month
from model.state import NOT_ARRIVED


def test_belgian_cohort_matches_the_published_counts():
    pop = api.build("baseline", seed=3).pop
    assert pop.n == 140  # returned_2022: 140 adults
    assert (pop.arrival <= date_to_month("2018-12")).sum() == 125  # returned_2018
    assert pop.on_flight.sum() == 12 and pop.woman[pop.on_flight].all()  # repatriated_women
    assert pop.children[pop.on_flight].sum() == 26 and pop.children.sum() == 40
    assert (pop.custody == NOT_ARRIVED).all()


def test_scaling_multiplies_the_cohort_and_the_network_grows_linearly():
    small, large = api.build("baseline", seed=1), api.build("baseline", seed=1, overrides={"cohort_scale": 10.0})
    assert large.pop.n == 1400
    ties = lambda m: sum(g.weight.shape[1] for g in m.net.groups.values())  # noqa: E731
    assert 9.5 < ties(large) / ties(small) < 10.5  # ties per returnee stay constant (no all-pairs structure)


def test_composition_depends_only_on_population_parameters():
    a = api.build("baseline", seed=4).pop
    b = api.build("baseline", seed=4, overrides={"living_lab": True, "family_contact": 1.0}).pop
    for name in ("woman", "citizenship", "municipality", "prison", "sentence", "arrival", "children", "age0"):
        assert np.array_equal(getattr(a, name), getattr(b, name))


def test_a_batch_builds_each_replicate_as_it_is_built_alone():
    from model.model import ReintegrationModel
    from model.scenario import load

    base = load("baseline")
    batch = ReintegrationModel(runs=[(base, 5), (base, 8)]).pop
    alone = ReintegrationModel(base, seed=8).pop
    for name, values in alone.arrays().items():
        np.testing.assert_array_equal(batch.arrays()[name][1], values[0], err_msg=name)
