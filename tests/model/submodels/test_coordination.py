import numpy as np


def test_full_frequent_coordination_carries_more_information_than_none(fresh_model):
    none = fresh_model(coordination_per_year=0.0, coordination_scope="local", month=0)
    full = fresh_model(coordination_per_year=24.0, coordination_scope="full", month=0)
    assert none.meetings == 0 and full.meetings > 0
    assert np.allclose(none.pop.info_admin, none.p.info_flow ** 2)
    assert np.all(full.pop.info_admin >= none.pop.info_admin) and full.pop.info_admin.mean() > 0.9


def test_information_knockout_fixes_information_at_the_no_tie_level(fresh_model):
    m = fresh_model(coordination_per_year=24.0, coordination_scope="full")
    from model.submodels import coordination

    m.knockouts = frozenset({"information"})
    coordination.step(m)
    assert np.all(m.pop.info_admin == m.p.info_flow) and np.all(m.pop.info_care == m.p.info_flow)
