import numpy as np

from model.state import CONDITIONAL, FREE, SENTENCED
from model.submodels import offending


def test_detention_incapacitates(fresh_model):
    m = fresh_model(any_hazard=0.05, terror_hazard=0.01, need_effect=3.0)
    slots = np.arange(100)
    m.pop.custody[slots] = SENTENCED
    offending.step(m)
    assert not m.pop.ever_any[slots].any()


def test_unmet_needs_and_no_supervision_raise_offending():
    """1,000 people x 24 months at a high hazard: the ordering is far outside sampling noise."""
    from model import api
    from conftest import prepare

    counts = {}
    for label, supervised in (("supervised", 60), ("free", 0)):
        m = api.build("baseline", seed=5, months=30, overrides={"cohort_scale": 10.0, "any_hazard": 0.02,
                                                               "supervision_deterrence": 0.8})
        slots = np.arange(1000)
        m.pop.custody[slots] = CONDITIONAL if supervised else FREE
        m.pop.supervised_left[slots] = supervised
        for month in range(24):
            prepare(m, month)
            offending.step(m)
        counts[label] = m.pop.ever_any[slots].sum()
    assert counts["supervised"] < 0.6 * counts["free"]
