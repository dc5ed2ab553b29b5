"""Detention on hand-built situations."""

import numpy as np

from model.state import SENTENCED
from model.submodels import detention


def _detain(model, slots):
    pop = model.pop
    pop.custody[slots] = SENTENCED
    pop.sentence[slots] = 120
    pop.months_left[slots] = 100
    pop.served[slots] = 20


def test_a_family_cut_off_from_visits_loses_stability_and_ties(fresh_model):
    m = fresh_model(family_contact=0.0)
    slots = np.arange(30)
    _detain(m, slots)
    stability = m.pop.family_stability[slots].copy()
    fam = m.net.edges("family")
    mine = np.isin(m.net.owners("family"), slots)
    ties = m.net.weight[fam][mine].copy()
    detention.step(m)
    assert not m.pop.contact[slots].any()
    assert np.all(m.pop.family_stability[slots] < stability)
    assert np.all(m.net.weight[fam][mine] < ties)


def test_visits_sustain_family_stability(fresh_model):
    m = fresh_model(family_contact=1.0, family_centred=1.0, isolation_share=0.0)
    slots = np.arange(30)
    _detain(m, slots)
    m.pop.family_stability[slots] = 0.9
    detention.step(m)
    visited = m.pop.contact[slots].astype(bool)
    assert visited.sum() >= 20  # visit chance 0.9 each: P(< 20 of 30) < 1e-3
    assert np.all(m.pop.family_stability[slots][visited] > 0.9)


def test_isolation_goes_to_the_strongest_extremist_ties_and_contains_their_influence(fresh_model):
    m = fresh_model(isolation_share=0.25, national_consistency=1.0)
    slots = np.arange(40)
    _detain(m, slots)
    m.pop.prison[slots] = 0
    m.pop.extremism[slots] = np.linspace(0, 1, 40)
    detention.step(m)
    isolated = m.pop.isolated[slots]
    assert isolated.sum() == 10 and isolated[-10:].all()


def test_overcrowding_lowers_programme_access(fresh_model):
    crowded = fresh_model(prison_density_scale=1.8, staff_absence=0.5)
    roomy = fresh_model(prison_density_scale=0.7, staff_absence=0.0)
    assert np.all(crowded.prison_access < roomy.prison_access)
    assert crowded.staff_per_detainee < roomy.staff_per_detainee
