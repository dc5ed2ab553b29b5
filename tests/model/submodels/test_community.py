"""Community needs on hand-built situations."""

import numpy as np
from conftest import prepare, slots

from model.state import FREE, NO_HOUSING, STABLE
from model.submodels import community


def _released(model, s):
    pop = model.pop
    pop.custody[s] = FREE
    pop.release_month[s] = 0
    pop.housing[s] = NO_HOUSING


def test_without_legal_status_nobody_finds_work_or_regularises_documents(fresh_model):
    m = fresh_model(work_rate=0.5, admin_rate=1.0, service_staffing=1.3, background_load=0.3)
    s = slots(50)
    _released(m, s)
    m.pop.legal_status[s] = False
    m.pop.documents[s] = False
    for month in range(1, 12):
        community.step(prepare(m, month))
    assert not m.pop.employed[s].any() and not m.pop.documents[s].any()


def test_full_access_finds_housing_over_time_and_records_the_wait(fresh_model):
    m = fresh_model(housing_rate=0.5, service_staffing=1.3, background_load=0.3, stigma_barrier=0.0)
    s = slots(50)
    _released(m, s)
    m.pop.documents[s] = m.pop.benefits[s] = True
    for month in range(1, 12):
        community.step(prepare(m, month))
    assert (m.pop.housing[s] == STABLE).mean() > 0.8
    waited = m.pop.months_to_housing[s]
    assert np.nanmin(waited) >= 1 and np.nanmax(waited) <= 11


def test_police_monitoring_raises_stigma_and_is_an_encounter_of_security(fresh_model):
    m = fresh_model(monitoring_stigma=0.4, security_justice=0.0)
    s = slots(40)
    _released(m, s)
    watched = slots(20)
    m.pop.cell_left[s] = 12
    m.pop.policed[watched] = True
    community.step(m)
    pop = m.pop
    public = m.world.public_stigma[0] * pop.stigma_exposure
    np.testing.assert_allclose(pop.stigma[watched], np.minimum(public[watched] + 0.4, 1.0))
    np.testing.assert_allclose(pop.stigma[slots(20, 20)], np.minimum(public[slots(20, 20)], 1.0))
    assert np.all(pop.justice_weight[watched] >= 1) and np.all(pop.justice_sum[watched] <= pop.justice_sum[slots(20, 20)])


def test_a_fresh_living_lab_file_cuts_administrative_friction(fresh_model):
    """All of one group's attempts are lost to friction; a file discussed in the Living Lab removes it all."""
    m = fresh_model(admin_friction=1.0, ll_admin_friction_cut=1.0, admin_rate=1.0, service_staffing=1.3,
                    background_load=0.3)
    s = slots(60)
    _released(m, s)
    m.pop.documents[s] = False
    m.pop.ll_file[slots(30)] = 1.0
    community.step(m)
    assert not m.pop.documents[slots(30, 30)].any() and m.pop.documents[slots(30)].sum() >= 20
