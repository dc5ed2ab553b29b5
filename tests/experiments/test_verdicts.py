"""One verdict rule: a paired t-test, Holm across the outcomes shown together, a minimum meaningful difference."""

import math

import numpy as np
import pytest

from experiments.verdicts import holm, p_value, verdicts


def test_p_value_of_paired_differences():
    assert p_value(np.zeros(5)) == 1.0  # identical runs: no effect
    assert p_value(np.full(5, 0.3)) == 0.0  # a constant shift
    assert math.isnan(p_value(np.array([0.1, np.nan])))
    d = np.array([0.01, 0.03, -0.01, 0.02])
    from scipy import stats
    assert p_value(d) == pytest.approx(stats.ttest_1samp(d, 0.0).pvalue)


def test_holm_steps_down_and_stops_at_the_first_failure():
    assert holm({"a": 0.01, "b": 0.02, "c": 0.04}) == {"a": True, "b": True, "c": True}  # 0.0167, 0.025, 0.05
    assert holm({"a": 0.01, "b": 0.03, "c": 0.04}) == {"a": True, "b": False, "c": False}
    assert holm({"a": 0.03, "b": 0.5}) == {"a": False, "b": False}  # 0.03 > 0.05 / 2
    assert holm({"a": math.nan, "b": 0.04}) == {"a": False, "b": True}  # an undefined test is not in the family


def test_a_verdict_needs_both_a_corrected_test_and_a_meaningful_difference():
    rng = np.random.default_rng(0)
    big = 0.05 + rng.normal(0, 0.005, 20)  # 5 points, clearly beyond chance
    tiny = 0.005 + rng.normal(0, 0.0005, 20)  # beyond chance but below the 2-point minimum
    out = verdicts({"stably_housed": big, "admin_clarity": tiny, "reoffended_any_cum": big, "removed": big})
    assert out == {"stably_housed": "better", "admin_clarity": None, "reoffended_any_cum": "worse", "removed": None}
    noisy = rng.normal(0.03, 0.2, 4)
    assert verdicts({"stably_housed": noisy})["stably_housed"] is None
    assert verdicts({"cost_eur_cum": np.full(4, -2e6)})["cost_eur_cum"] == "better"
