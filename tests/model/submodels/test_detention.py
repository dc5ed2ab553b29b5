"""Detention on hand-built situations."""

import numpy as np
from conftest import slots

from model.state import ELECTRONIC_MONITORING, LIMITED_DETENTION, SENTENCED
from model.submodels import agency_capacity, detention


def _detain(model, s, served=20):
    pop = model.pop
    pop.custody[s] = SENTENCED
    pop.sentence[s] = 120
    pop.months_left[s] = 120 - served
    pop.served[s] = served


def test_a_family_cut_off_from_visits_loses_stability_and_ties(fresh_model):
    m = fresh_model(family_contact=0.0, leave_rate=0.0, limited_detention_rate=0.0)
    s = slots(30)
    _detain(m, s)
    stability = m.pop.family_stability[s].copy()
    fam = m.net["family"]
    mine = np.isin(fam.owner[0], s[1])
    ties = fam.weight[0, mine].copy()
    detention.step(m)
    assert not m.pop.contact[s].any()
    assert np.all(m.pop.family_stability[s] < stability)
    assert np.all(m.net["family"].weight[0, mine] < ties)


def test_visits_sustain_family_stability(fresh_model):
    m = fresh_model(family_contact=1.0, family_centred=1.0, isolation_share=0.0, national_consistency=1.0)
    s = slots(30)
    _detain(m, s)
    m.pop.family_stability[s] = 0.9
    detention.step(m)
    visited = m.pop.contact[s]
    assert visited.sum() >= 20  # visit chance 0.9 each: P(< 20 of 30) < 1e-3
    assert np.all(m.pop.family_stability[s][visited] > 0.9)


def test_wings_hold_the_men_with_the_strongest_extremist_ties_and_never_women(fresh_model):
    m = fresh_model(isolation_share=0.25)
    pop = m.pop
    pop.custody[0, :] = 0  # nobody else in detention
    s = slots(40)
    _detain(m, s)
    pop.woman[s] = False
    pop.woman[slots(10, 30)] = True  # the ten most extreme are women
    pop.extremism[s] = np.linspace(0, 1, 40)
    detention.step(m)
    isolated = pop.isolated[s]
    assert isolated.sum() == round(0.25 * 30) and not isolated[30:].any() and isolated[22:30].all()


def test_overcrowding_lowers_programme_access(fresh_model):
    crowded = fresh_model(prison_density_scale=1.8, staff_absence=0.5)
    roomy = fresh_model(prison_density_scale=0.7, staff_absence=0.0)
    assert np.all(crowded.world.prison_access < roomy.world.prison_access)
    assert np.all(crowded.world.staff_per_detainee < roomy.world.staff_per_detainee)


def test_consistency_removes_the_spread_between_prisons(fresh_model):
    apart = fresh_model(national_consistency=0.0, regime_spread=0.9)
    alike = fresh_model(national_consistency=1.0, regime_spread=0.9)
    assert apart.world.prison_access.std() > 0.01 and alike.world.prison_access.std() < 1e-12


def test_missing_staff_time_is_worked_as_overtime(fresh_model):
    short = fresh_model(prison_staff_fill=0.6, overtime_cover=0.5)
    full = fresh_model(prison_staff_fill=1.0, staff_absence=0.0)
    assert full.world.overtime[0] == 0.0 and short.world.overtime[0] > 0.2


def test_prepared_detainees_serve_part_of_their_sentence_outside_a_closed_cell(fresh_model):
    m = fresh_model(limited_detention_rate=0.5, electronic_monitoring_rate=0.5, modality_window_months=6)
    s = slots(60)
    _detain(m, s, served=36)  # eligibility at 40 months of 120: inside the six-month window
    m.pop.plan[s] = 1.0
    detention.step(m)
    custody = m.pop.custody[s]
    assert (custody == LIMITED_DETENTION).sum() >= 15 and (custody == ELECTRONIC_MONITORING).sum() >= 5
    knocked = fresh_model(limited_detention_rate=0.5, electronic_monitoring_rate=0.5, knockouts=("modalities",))
    _detain(knocked, s, served=36)
    knocked.pop.plan[s] = 1.0
    detention.step(knocked)
    assert (knocked.pop.custody[s] == SENTENCED).all()


def test_no_staff_access_knockout_gives_full_access(fresh_model):
    m = fresh_model(prison_density_scale=1.8, knockouts=("programme_access",))
    agency_capacity.step(m)
    assert np.all(m.world.prison_access == 1.0)
