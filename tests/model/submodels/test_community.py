"""Community needs on hand-built situations."""

import numpy as np

from model.state import FREE, NO_HOUSING, STABLE
from model.submodels import community


def _released(model, slots):
    pop = model.pop
    pop.custody[slots] = FREE
    pop.release_month[slots] = 0
    pop.housing[slots] = NO_HOUSING


def test_without_legal_status_nobody_finds_work_or_regularises_documents(fresh_model):
    m = fresh_model(work_rate=0.5, admin_rate=1.0, service_staffing=1.3, background_load=0.3)
    slots = np.arange(50)
    _released(m, slots)
    m.pop.legal_status[slots] = False
    m.pop.documents[slots] = False
    for month in range(1, 12):
        community.step(m)
    assert not m.pop.employed[slots].any() and not m.pop.documents[slots].any()


def test_full_access_finds_housing_over_time_and_records_the_wait(fresh_model):
    m = fresh_model(housing_rate=0.5, service_staffing=1.3, background_load=0.3, stigma_barrier=0.0)
    slots = np.arange(50)
    _released(m, slots)
    m.pop.documents[slots] = m.pop.benefits[slots] = True
    from conftest import prepare

    for month in range(1, 12):
        prepare(m, month)
        community.step(m)
    assert (m.pop.housing[slots] == STABLE).mean() > 0.8
    waited = m.pop.months_to_housing[slots]
    assert np.nanmin(waited) >= 1 and np.nanmax(waited) <= 11
