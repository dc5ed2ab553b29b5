import numpy as np

from model.state import FREE
from model.submodels import living_lab


def test_participants_join_through_motivation_and_build_ties(fresh_model):
    m = fresh_model(living_lab=True, ll_outreach=1.0)
    slots = np.arange(60)
    m.pop.custody[slots] = FREE
    m.pop.meaning[slots] = m.pop.trust[slots] = 0.0
    m.pop.meaning[slots[:30]] = m.pop.trust[slots[:30]] = 1.0
    living_lab.step(m)
    assert m.pop.ll_member[slots[:30]].all() and not m.pop.ll_member[slots[30:]].any()
    mentors = m.net.weight[m.net.edges("ll_mentor")]
    owners = m.net.owners("ll_mentor")
    assert np.all(mentors[np.isin(owners, slots[:30])] > 0) and np.all(mentors[np.isin(owners, slots[30:])] == 0)


def test_no_living_lab_no_participants(fresh_model):
    m = fresh_model(living_lab=False, ll_outreach=1.0)
    m.pop.custody[:] = FREE
    living_lab.step(m)
    assert not m.pop.ll_member.any() and m.ll_agencies is None


def test_the_coordination_boost_reaches_only_agencies_returnees_meet_in_the_living_lab(fresh_model):
    """Prisons and OCAD/CUTA have no Living Lab ties, so they get no boost, even when they 'send'."""
    from model.agencies import AGENCY_TYPES
    from model.network import LL_PROFESSIONAL_TYPES

    m = fresh_model(living_lab=True, ll_outreach=1.0, ll_professional_participation=1.0)
    m.pop.custody[:] = FREE
    m.pop.meaning[:] = m.pop.trust[:] = 1.0
    living_lab.step(m)
    boosted = {AGENCY_TYPES[t].name for t in m.ag.type[m.ll_agencies]}
    assert boosted and boosted <= set(LL_PROFESSIONAL_TYPES)
    labs = np.unique(m.pop.municipality[m.pop.ll_member])
    assert np.isin(m.ag.municipality[m.ll_agencies], labs).all()
