"""Exits: each a competing monthly hazard with its own count; loss of contact keeps people in Belgium."""

import numpy as np
from conftest import slots

from model.state import CONDITIONAL, DEAD, EMIGRATED, FREE, LOST, SENTENCED, TRANSFERRED
from model.submodels import exits


def test_each_exit_type_has_its_own_hazard(fresh_model):
    m = fresh_model(death_rate=0.0, transfer_rate=0.0, redeparture_rate=0.0, emigration_rate=0.5, lost_contact_rate=0.0)
    s = slots(100)
    m.pop.custody[s] = FREE
    exits.step(m)
    custody = m.pop.custody[s]
    assert set(np.unique(custody)) <= {FREE, EMIGRATED} and 30 <= (custody == EMIGRATED).sum() <= 70


def test_detained_people_cannot_emigrate_or_drop_out_of_view(fresh_model):
    m = fresh_model(death_rate=0.0, transfer_rate=0.2, emigration_rate=1.0, lost_contact_rate=1.0)
    s = slots(100)
    m.pop.custody[s] = SENTENCED
    exits.step(m)
    assert set(np.unique(m.pop.custody[s])) <= {SENTENCED, TRANSFERRED}


def test_people_in_view_of_an_agency_are_not_lost(fresh_model):
    m = fresh_model(death_rate=0.0, transfer_rate=0.0, redeparture_rate=0.0, emigration_rate=0.0, lost_contact_rate=1.0)
    supervised, free = slots(50), slots(50, 50)
    m.pop.custody[supervised] = CONDITIONAL
    m.pop.supervised_left[supervised] = 12
    m.pop.custody[free] = FREE
    exits.step(m)
    assert (m.pop.custody[supervised] == CONDITIONAL).all() and (m.pop.custody[free] == LOST).all()
    assert m.pop.in_belgium()[free].all() and not m.pop.present()[free].any()


def test_death_can_reach_anyone_in_belgium(fresh_model):
    m = fresh_model(death_rate=1.0)
    s = slots(30)
    m.pop.custody[s] = SENTENCED
    exits.step(m)
    assert (m.pop.custody[s] == DEAD).all()
