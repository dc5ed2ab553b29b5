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
    loud = fresh_model(media_shock_rate=0.5, counter_narrative=0.0)
    quiet = fresh_model(media_shock_rate=0.5, counter_narrative=1.0)
    for month in range(24):
        for m in (loud, quiet):
            m.month = month
            m.p = m.timeline.at(month)
            exogenous_events.step(m)
    assert quiet.public_stigma == quiet.p.stigma_base and loud.public_stigma > quiet.public_stigma
