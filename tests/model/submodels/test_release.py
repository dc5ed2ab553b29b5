"""Release on hand-built situations."""

import numpy as np

from model.state import CONDITIONAL, FREE, NO_HOUSING, PRECARIOUS, SENTENCED, STABLE
from model.submodels import release


def _sentenced(model, slots, months_left=0):
    pop = model.pop
    pop.custody[slots] = SENTENCED
    pop.convicted[slots] = True
    pop.sentence[slots] = 60
    pop.served[slots] = 60 - months_left
    pop.months_left[slots] = months_left


def test_full_term_release_with_no_plan_and_no_family_leaves_no_housing(fresh_model):
    m = fresh_model()
    slots = np.arange(20)
    _sentenced(m, slots)
    m.pop.plan[slots] = 0.0
    m.pop.host_capacity[slots] = 0.0
    release.step(m)
    assert (m.pop.custody[slots] == FREE).all()
    assert (m.pop.housing[slots] == NO_HOUSING).all()
    assert (m.pop.supervised_left[slots] == 0).all() and (m.pop.support_left[slots] == 0).all()
    assert (m.pop.rel_housed[slots] == 0).all() and (m.pop.release_month[slots] == 0).all()


def test_a_full_plan_and_full_information_keep_housing_in_place(fresh_model):
    m = fresh_model()
    slots = np.arange(20)
    _sentenced(m, slots)
    m.pop.plan[slots] = 1.0
    m.pop.info_admin[slots] = 1.0
    release.step(m)
    assert (m.pop.housing[slots] == STABLE).all()
    assert (m.pop.support_left[slots] == m.p.post_release_support_months).all()


def test_a_family_that_can_host_gives_precarious_housing(fresh_model):
    m = fresh_model()
    slots = np.arange(20)
    _sentenced(m, slots)
    m.pop.plan[slots] = 0.0
    m.pop.host_capacity[slots] = 1.0
    m.pop.family_stability[slots] = 1.0
    release.step(m)
    assert (m.pop.housing[slots] == PRECARIOUS).all()


def test_conditional_release_needs_a_plan_and_brings_supervision(fresh_model):
    m = fresh_model(cr_grant_rate=0.6, balanced_evaluations=1.0)
    pop = m.pop
    slots = np.arange(40)
    _sentenced(m, slots, months_left=30)
    pop.meaning[slots] = pop.family_stability[slots] = 1.0
    pop.plan[slots[:20]] = 1.0
    pop.plan[slots[20:]] = 0.0
    release.step(m)
    granted = pop.custody[slots] == CONDITIONAL
    assert granted[:20].sum() >= 5 and granted[20:].sum() == 0  # P(>=5 of 20 at p=0.6) > 0.999
    assert (pop.supervised_left[slots][granted] >= 30).all()


def test_months_to_stable_housing_count_from_the_latest_release(fresh_model):
    """A second release without housing makes the count pending again; with housing it is 0."""
    m = fresh_model()
    slots = np.arange(20)
    m.pop.months_to_housing[slots] = 7.0  # found housing 7 months after an earlier release
    _sentenced(m, slots)
    m.pop.plan[slots] = 0.0
    m.pop.host_capacity[slots] = 0.0
    m.pop.housing[slots[10:]] = STABLE
    m.pop.plan[slots[10:]] = m.pop.info_admin[slots[10:]] = 1.0
    release.step(m)
    assert (m.pop.housing[slots[:10]] != STABLE).all() and np.isnan(m.pop.months_to_housing[slots[:10]]).all()
    housed = slots[10:][m.pop.housing[slots[10:]] == STABLE]
    assert len(housed) > 0 and (m.pop.months_to_housing[housed] == 0.0).all()
