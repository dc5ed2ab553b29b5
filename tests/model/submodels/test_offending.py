from conftest import prepare, slots

from model.state import CONDITIONAL, FREE, PRETRIAL, SENTENCED
from model.submodels import justice, offending


def test_detention_incapacitates(fresh_model):
    m = fresh_model(any_hazard=0.05, terror_hazard=0.01, need_effect=3.0)
    s = slots(100)
    m.pop.custody[s] = SENTENCED
    offending.step(m)
    assert not m.pop.ever_any[s].any()


def test_unmet_needs_and_no_supervision_raise_offending():
    """1,000 people x 24 months at a high hazard: the ordering is far outside sampling noise."""
    from model import api

    counts = {}
    for label, supervised in (("supervised", 60), ("free", 0)):
        m = api.build("baseline", seed=5, months=30, overrides={"cohort_scale": 10.0, "any_hazard": 0.002,
                                                               "supervision_deterrence": 0.8, "breach_rate": 0.0})
        s = slots(1000)
        m.pop.custody[s] = CONDITIONAL if supervised else FREE
        m.pop.supervised_left[s] = supervised
        for month in range(24):
            offending.step(prepare(m, month))
            m.pop.case_pending[s] = False
            m.pop.custody[s] = CONDITIONAL if supervised else FREE
        counts[label] = m.pop.ever_any[s].sum()
    assert counts["supervised"] < 0.6 * counts["free"]


def test_offences_become_reconvictions_only_through_detection_prosecution_and_judgment(fresh_model):
    m = fresh_model(any_hazard=0.02, terror_hazard=0.0, need_effect=3.0, detection_free=1.0, prosecution_any=1.0,
                    pretrial_on_arrest=1.0, trial_lag_months=1.0, conviction_rate=1.0)
    s = slots(100)
    m.pop.custody[s] = FREE
    offending.step(m)
    offended = m.pop.ever_any[s]
    assert offended.sum() > 10 and (m.pop.custody[s][offended] == PRETRIAL).all()
    assert not m.pop.reconv_any[s].any()  # judged later: the conviction lag
    for month in range(1, 11):  # trial lags are exponential with mean 1: all judged by month 10 (P > 0.995)
        justice.step(prepare(m, month))
    assert m.pop.reconv_any[s][offended].all() and (m.pop.custody[s][offended] == SENTENCED).all()


def test_undetected_offences_are_never_reconvictions(fresh_model):
    m = fresh_model(any_hazard=0.02, need_effect=3.0, detection_free=0.0, detection_supervised=0.0,
                    monitoring_detection=0.0)
    s = slots(100)
    m.pop.custody[s] = FREE
    for month in range(6):
        offending.step(prepare(m, month))
        justice.step(m)
    assert m.pop.ever_any[s].sum() > 10 and not m.pop.reconv_any[s].any() and not m.pop.case_pending[s].any()


def test_an_acquittal_releases_a_suspect_held_before_trial(fresh_model):
    m = fresh_model(conviction_rate=0.0)
    s = slots(20)
    m.pop.custody[s] = PRETRIAL
    m.pop.case_pending[s] = True
    m.pop.trial_left[s] = 1
    justice.step(m)
    assert (m.pop.custody[s] == FREE).all() and not m.pop.reconv_any[s].any() and m.pop.ever_released[s].all()
