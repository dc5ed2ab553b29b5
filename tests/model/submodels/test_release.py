"""Release on hand-built situations."""

import numpy as np
from conftest import slots

from model.state import CONDITIONAL, FREE, NO_HOUSING, PRECARIOUS, SENTENCED, STABLE
from model.submodels import release


def _sentenced(model, s, months_left=0):
    pop = model.pop
    pop.custody[s] = SENTENCED
    pop.convicted[s] = True
    pop.sentence[s] = 60
    pop.served[s] = 60 - months_left
    pop.months_left[s] = months_left


def test_full_term_release_with_no_plan_and_no_family_leaves_no_housing(fresh_model):
    m = fresh_model(post_sentence_supervision=0.0)
    s = slots(20)
    _sentenced(m, s)
    m.pop.plan[s] = 0.0
    m.pop.host_capacity[s] = 0.0
    release.step(m)
    assert (m.pop.custody[s] == FREE).all()
    assert (m.pop.housing[s] == NO_HOUSING).all()
    assert (m.pop.supervised_left[s] == 0).all() and (m.pop.support_left[s] == 0).all()
    assert (m.pop.rel_housed[s] == 0).all() and (m.pop.release_month[s] == 0).all()


def test_a_full_plan_and_fresh_ties_keep_housing_in_place(fresh_model):
    m = fresh_model(coordination_scope="full", coordination_per_year=24.0, post_sentence_supervision=0.0)
    m.world.tie_freshness[:] = 1.0  # every tie met this month
    s = slots(20)
    _sentenced(m, s)
    m.pop.plan[s] = 1.0
    release.step(m)
    assert (m.pop.housing[s] == STABLE).all()
    assert (m.pop.support_left[s] == 12).all()


def test_housing_at_release_follows_the_housing_plan_through_the_ties(fresh_model):
    """Same plans, same luck: ties that met carry more housing plans than paper alone."""
    housed = {}
    for label, freshness in (("paper", 0.0), ("met", 1.0)):
        m = fresh_model(coordination_scope="full", post_sentence_supervision=0.0)
        m.world.tie_freshness[:] = freshness
        s = slots(100)
        _sentenced(m, s)
        m.pop.plan[s] = 1.0
        release.step(m)
        housed[label] = (m.pop.housing[s] == STABLE).sum()
    assert housed["met"] == 100 and housed["paper"] < 40


def test_a_family_that_can_host_gives_precarious_housing(fresh_model):
    m = fresh_model()
    s = slots(20)
    _sentenced(m, s)
    m.pop.plan[s] = 0.0
    m.pop.host_capacity[s] = 1.0
    m.pop.family_stability[s] = 1.0
    release.step(m)
    assert (m.pop.housing[s] == PRECARIOUS).all()


def test_conditional_release_needs_a_plan_and_a_hearing_and_brings_supervision(fresh_model):
    m = fresh_model(hearing_rate=1.0, cr_grant_at_hearing=1.0, balanced_evaluations=1.0, progress_validity=0.0,
                    probation_min_months=24)
    pop = m.pop
    s = slots(40)
    _sentenced(m, s, months_left=30)
    pop.meaning[s] = pop.family_stability[s] = 1.0
    pop.plan[slots(20)] = 1.0
    pop.plan[slots(20, 20)] = 0.0
    release.step(m)
    granted = pop.custody[s] == CONDITIONAL
    assert granted[:20].all() and not granted[20:].any()
    assert (pop.supervised_left[s][granted] == 30).all()
    assert np.all(pop.justice_weight[s] == 1)  # every eligible person was heard: one encounter each


def test_a_risk_only_hearing_feels_less_fair_than_a_balanced_one(fresh_model):
    felt = {}
    for b in (0.0, 1.0):
        m = fresh_model(hearing_rate=1.0, balanced_evaluations=b)
        s = slots(10)
        _sentenced(m, s, months_left=30)
        release.step(m)
        felt[b] = m.pop.justice_sum[s].mean()
    assert felt[1.0] > felt[0.0]


def test_months_to_stable_housing_count_from_the_latest_release(fresh_model):
    """A second release without housing makes the count pending again; with housing it is 0."""
    m = fresh_model(coordination_scope="full")
    s = slots(20)
    m.pop.months_to_housing[s] = 7.0  # found housing 7 months after an earlier release
    _sentenced(m, s)
    m.pop.plan[s] = 0.0
    m.pop.host_capacity[s] = 0.0
    m.world.tie_freshness[:] = 1.0
    m.pop.plan[slots(10, 10)] = 1.0
    release.step(m)
    first, second = slots(10), slots(10, 10)
    assert (m.pop.housing[first] != STABLE).all() and np.isnan(m.pop.months_to_housing[first]).all()
    assert (m.pop.housing[second] == STABLE).all() and (m.pop.months_to_housing[second] == 0.0).all()
