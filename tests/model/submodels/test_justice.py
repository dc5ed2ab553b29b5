"""Justice, release and offending keep recidivism's clock: from the first release from prison, on hand-built cases."""

import numpy as np
from conftest import prepare, slots

from model.constants import NONE
from model.state import FREE, LIMITED_DETENTION, SENTENCED
from model.submodels import justice, offending, release


def _release_at_full_term(model, s):
    model.pop.custody[s] = SENTENCED
    model.pop.months_left[s] = 0
    release.step(model)
    assert (model.pop.custody[s] == FREE).all()


def _judge_a_conviction(model, s):
    model.pop.case_pending[s] = True
    model.pop.case_terror[s] = False
    model.pop.trial_left[s] = 1
    justice.step(model)


def test_reconvictions_count_from_the_first_release_and_the_first_release_stays(fresh_model):
    m = fresh_model(month=3, post_sentence_supervision=0.0, conviction_rate=1.0)
    released, never = slots(10), slots(10, first=10)
    pop = m.pop
    assert (pop.first_release_month == NONE).all() and (pop.first_reconviction_after_release == NONE).all()
    _release_at_full_term(m, released)
    assert (pop.first_release_month[released] == 3).all() and (pop.first_release_month[never] == NONE).all()

    m.pop.custody[never] = FREE  # in the community without a release from prison (arrived without detention)
    _judge_a_conviction(prepare(m, 5), released)
    _judge_a_conviction(m, never)
    assert pop.reconv_any[released].all() and pop.reconv_any[never].all()
    assert (pop.first_reconviction_after_release[released] == 5).all()
    assert (pop.reconvictions_after_release[released] == 1).all()
    assert (pop.first_reconviction_after_release[never] == NONE).all()
    assert (pop.reconvictions_after_release[never] == 0).all()

    _release_at_full_term(prepare(m, 9), released)  # a second release: the clock keeps the first
    assert (pop.release_month[released] == 9).all() and (pop.first_release_month[released] == 3).all()
    _judge_a_conviction(prepare(m, 11), released)
    assert (pop.first_reconviction_after_release[released] == 5).all()
    assert (pop.reconvictions_after_release[released] == 2).all()


def test_months_at_risk_after_release_are_offendings_exposure_for_the_released_only(fresh_model):
    m = fresh_model(month=2, post_sentence_supervision=0.0, any_hazard=0.0, terror_hazard=0.0, breach_rate=0.0)
    released, never = slots(10), slots(10, first=10)
    _release_at_full_term(m, released)
    pop = m.pop
    pop.custody[never] = FREE
    offending.step(prepare(m, 3))
    assert (pop.risk_months_after_release[released] == 1.0).all()
    assert (pop.risk_months_after_release[never] == 0.0).all()
    pop.custody[released] = LIMITED_DETENTION  # back inside, part of the month outside
    offending.step(prepare(m, 4))
    np.testing.assert_array_equal(pop.risk_months_after_release[released], 1.0 + m.p.limited_detention_days_share[0, 0])
    pop.custody[released] = SENTENCED  # a closed cell: no time at risk
    offending.step(prepare(m, 5))
    np.testing.assert_array_equal(pop.risk_months_after_release[released], 1.0 + m.p.limited_detention_days_share[0, 0])
