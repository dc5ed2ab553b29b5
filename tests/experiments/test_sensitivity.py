"""The sensitivity pipelines recover the known answer of the Ishigami function first."""

import numpy as np
from SALib.test_functions import Ishigami

from experiments.sensitivity import analyze, sample

PROBLEM = {"num_vars": 4, "names": ["x1", "x2", "x3", "dummy"], "bounds": [[-np.pi, np.pi]] * 3 + [[0.0, 1.0]]}


def _evaluate(X):
    return Ishigami.evaluate(X[:, :3])  # the dummy is ignored, as the model ignores it


def test_sobol_recovers_the_analytical_ishigami_indices():
    """Analytical (a=7, b=0.1): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244. Tolerance 0.05 at N=4096."""
    X = sample("sobol", PROBLEM, 4096, seed=1)
    idx = analyze("sobol", PROBLEM, X, _evaluate(X), seed=1).set_index("parameter")
    np.testing.assert_allclose(idx.loc[["x1", "x2", "x3"], "S1"], [0.314, 0.442, 0.0], atol=0.05)
    np.testing.assert_allclose(idx.loc[["x1", "x2", "x3"], "ST"], [0.558, 0.442, 0.244], atol=0.05)
    assert abs(idx.loc["dummy", "ST"]) < 0.02 and idx["ST"].idxmax() == "x1"


def test_morris_ranks_the_three_factors_above_the_dummy():
    """Ishigami's three inputs all matter (x3 only through its interaction with x1); the dummy has mu* = 0."""
    X = sample("morris", PROBLEM, 100, seed=2, levels=4)
    idx = analyze("morris", PROBLEM, X, _evaluate(X), seed=2, levels=4).set_index("parameter")
    assert idx.loc["dummy", "mu_star"] == 0.0
    assert (idx.loc[["x1", "x2", "x3"], "mu_star"] > 1.0).all()
    assert idx["sigma"].idxmax() in ("x1", "x3")  # the x1-x3 interaction shows as spread of effects


def test_latin_hypercube_covers_every_stratum():
    X = sample("lhs", PROBLEM, 50, seed=3)
    strata = np.floor((X[:, 3] - 0.0) / (1.0 / 50)).astype(int)
    assert sorted(strata) == list(range(50))


def test_samples_stay_within_bounds_that_salib_overshoots_by_rounding():
    """SALib's Morris levels on [0.6, 1.8] reach 1.8000000000000003; the model rejects that value."""
    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0.6, 1.8], [0.0, 1.0]]}
    for kind, n in (("morris", 20), ("sobol", 64), ("lhs", 50)):
        X = sample(kind, problem, n, seed=1)
        assert X[:, 0].max() <= 1.8 and X[:, 0].min() >= 0.6, kind
    assert sample("morris", problem, 20, seed=1)[:, 0].max() == 1.8  # the top level is still sampled


def test_the_sobol_minimum_is_where_a_total_index_is_told_from_none():
    """``spec.SOBOL_MIN_SAMPLES``: on x1 + x2^2 the median bootstrap 95% half-width of ST over 20 seeds is above 0.3
    with half the minimum and at most 0.3 from the minimum on (0.26 measured at 32, 0.36 at 16)."""
    from experiments.spec import SOBOL_MIN_SAMPLES

    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * 3}

    def half_width(n: int) -> float:
        widths = []
        for seed in range(20):
            X = sample("sobol", problem, n, seed=seed)
            widths.append(analyze("sobol", problem, X, X[:, 0] + X[:, 1] ** 2, seed=seed)["ST_conf"].iloc[:2].max())
        return float(np.median(widths))

    assert half_width(SOBOL_MIN_SAMPLES // 2) > 0.3 >= half_width(SOBOL_MIN_SAMPLES)
