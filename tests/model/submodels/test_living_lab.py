"""Living Lab sessions on hand-built situations: places, refusal, attendance, and effects only through sessions."""

import numpy as np
from conftest import slots

from model.state import FREE
from model.submodels import living_lab


def _everyone_out(model):
    model.pop.custody[0, :] = FREE
    model.pop.municipality[0, :] = 0


def test_invited_returnees_join_unless_they_refuse_and_build_ties_in_sessions(fresh_model):
    m = fresh_model(living_lab=True, ll_outreach=1.0, ll_refusal=0.9, ll_places=60)
    _everyone_out(m)
    trusting, wary = slots(30), slots(30, 30)
    m.pop.trust[trusting] = 1.0
    m.pop.trust[wary] = 0.0
    living_lab.step(m)
    joined = m.pop.ll_member
    assert joined[trusting].all() and joined[wary].sum() <= 8  # refusal 0.9: P(> 8 of 30 join) < 0.02
    mentors = m.net["ll_mentor"]
    attending = m.pop.ll_attended[0] > 0
    weights = mentors.weight[0]
    assert np.all(weights[attending[mentors.owner[0]]] > 0) and np.all(weights[~attending[mentors.owner[0]]] == 0)


def test_places_limit_membership_and_attendance(fresh_model):
    m = fresh_model(living_lab=True, ll_outreach=1.0, ll_refusal=0.0, ll_places=4, ll_attendance=0.5,
                    ll_sessions_per_month=2.0)
    _everyone_out(m)
    living_lab.step(m)
    assert m.pop.ll_member[0].sum() == 4 / 0.5  # a lab takes as many members as fill its places on average
    assert np.isclose(m.pop.ll_attended[0].sum(), 2 * 4)  # two sessions of four places


def test_whoever_refuses_keeps_refusing_until_trust_grows(fresh_model):
    m = fresh_model(living_lab=True, ll_outreach=1.0, ll_refusal=0.8, ll_places=60)
    _everyone_out(m)
    m.pop.trust[0, :] = 0.0
    living_lab.step(m)
    first = m.pop.ll_member[0].copy()
    m.pop.ll_member[0, :] = False
    living_lab.step(m)
    assert np.array_equal(first, m.pop.ll_member[0])  # the same people refused again
    m.pop.ll_member[0, :] = False
    m.pop.trust[0, :] = 1.0
    living_lab.step(m)
    assert m.pop.ll_member[0].sum() == int(np.ceil(60 / m.p.ll_attendance[0, 0])) > first.sum()  # all willing: room


def test_a_living_lab_without_sessions_does_nothing_for_anyone(fresh_model):
    m = fresh_model(living_lab=True, ll_outreach=1.0, ll_refusal=0.0, ll_sessions_per_month=0.0)
    _everyone_out(m)
    trust = m.pop.trust.copy()
    living_lab.step(m)
    assert not m.pop.ll_member.any() and not m.pop.ll_known.any()
    assert m.world.ll_sessions[0] == 0 and not m.world.ll_met.any() and np.array_equal(m.pop.trust, trust)
    assert (m.pop.justice_weight == 0).all() and (m.net["ll_professional"].weight == 0).all()


def test_only_agencies_that_send_professionals_meet_there(fresh_model):
    """Prisons and OCAD/CUTA never sit in a Living Lab; sending agencies of labs in session do."""
    from model.agencies import AGENCY_TYPES
    from model.network import LL_PROFESSIONAL_TYPES

    m = fresh_model(living_lab=True, ll_outreach=1.0, ll_refusal=0.0, ll_professional_participation=1.0)
    _everyone_out(m)
    living_lab.step(m)
    met = {AGENCY_TYPES[t].name for t in m.ag.type[m.world.ll_met[0]]}
    assert met == set(LL_PROFESSIONAL_TYPES)
    assert (m.ag.municipality[m.world.ll_met[0]] == 0).all()
    assert m.world.staff_time[0, m.world.ll_met[0]].min() > 0


def test_no_living_lab_no_participants(fresh_model):
    m = fresh_model(living_lab=False, ll_outreach=1.0)
    _everyone_out(m)
    living_lab.step(m)
    assert not m.pop.ll_member.any() and not m.world.ll_met.any()
