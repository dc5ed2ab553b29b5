import numpy as np

from model import api
from model.state import NOT_ARRIVED, PRETRIAL
from model.submodels import exogenous_events


def test_arrivals_follow_the_schedule_and_most_are_detained():
    m = api.build("baseline", seed=2)
    m.run()
    pop = m.pop
    assert not (pop.custody == NOT_ARRIVED).any()
    assert 0.7 < pop.convicted.mean() <= 1.0


def test_counter_narrative_damps_media_shocks(fresh_model):
    loud = fresh_model(month=23, media_shock_rate=0.5, counter_narrative=0.0)
    quiet = fresh_model(month=23, media_shock_rate=0.5, counter_narrative=1.0)
    from conftest import prepare

    for month in range(24):
        for m in (loud, quiet):
            exogenous_events.step(prepare(m, month))
    assert quiet.public_stigma == quiet.p.stigma_base and loud.public_stigma > quiet.public_stigma
