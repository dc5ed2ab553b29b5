import numpy as np
from conftest import prepare

from model import api
from model.state import NOT_ARRIVED
from model.submodels import exogenous_events


def test_arrivals_follow_the_schedule_and_most_are_detained():
    m = api.build("baseline", seed=2)
    m.run()
    pop = m.pop
    assert not (pop.custody == NOT_ARRIVED).any()
    assert 0.7 < pop.convicted.mean() <= 1.0


def test_counter_narrative_damps_media_shocks_and_may_backfire(fresh_model):
    loud = fresh_model(month=23, media_shock_rate=0.5, counter_narrative=0.0)
    quiet = fresh_model(month=23, media_shock_rate=0.5, counter_narrative=1.0, narrative_efficacy=1.0,
                        narrative_backfire=0.1)
    for month in range(24):
        for m in (loud, quiet):
            exogenous_events.step(prepare(m, month))
    assert quiet.world.shock[0] == 0.0 and loud.world.shock[0] > 0
    assert np.isclose(quiet.world.public_stigma[0], quiet.p.stigma_base[0, 0] + 0.1 + 0.2 * 0.02)
