"""ABC-SMC against a case with a known answer: a normal mean observed with noise, plus a parameter nothing informs.

With a flat prior on the mean, noise sd 0.5 and acceptance within 0.1 of the observation, the posterior of the
mean is close to normal(observation, 0.5); the uninformed coordinate keeps its uniform prior. Tolerances are
stated per check: 400 particles give a standard error of 0.025 on the mean and about 0.02 on the sd.
"""

import numpy as np
import pytest

from experiments import abc

OBSERVED, NOISE, TOLERANCE = 1.0, 0.5, 0.1


class Flat:
    """theta 0 uniform on [-5, 5], theta 1 uniform on [0, 1]."""

    low, high = np.array([-5.0, 0.0]), np.array([5.0, 1.0])

    def sample(self, u):
        return self.low + u * (self.high - self.low)

    def density(self, theta, columns):
        inside = np.all((theta[:, columns] >= self.low[columns]) & (theta[:, columns] <= self.high[columns]), axis=1)
        return inside / np.prod(self.high[columns] - self.low[columns])


def simulate(theta, seeds):
    noise = np.array([np.random.default_rng(s).normal(0, NOISE) for s in seeds])
    stats = theta[:, :1] + noise[:, None]
    return (stats - OBSERVED) / TOLERANCE, stats


@pytest.fixture(scope="module")
def result():
    settings = abc.Settings(particles=400, first=1000, budget=40000, chunk=500, generations=12)
    return abc.run(simulate, Flat(), 2, np.array([True, True]), settings, seed=3, store=abc.MemoryStore())


def test_it_recovers_the_known_posterior_of_an_informed_parameter(result):
    g = result.final
    assert result.stopped == "tolerance reached" and g.epsilon <= 1.0
    mean = np.sum(g.weights * g.theta[:, 0])
    sd = np.sqrt(np.sum(g.weights * (g.theta[:, 0] - mean) ** 2))
    assert mean == pytest.approx(OBSERVED, abs=0.1)  # 4 standard errors
    assert sd == pytest.approx(np.hypot(NOISE, TOLERANCE / np.sqrt(3)), abs=0.08)


def test_only_the_informed_coordinate_is_calibrated_and_the_other_keeps_its_prior(result):
    assert result.calibrated.tolist() == [0]
    g = result.final
    assert np.sum(g.weights * g.theta[:, 1]) == pytest.approx(0.5, abs=0.05)  # uniform: mean 0.5, se 0.014
    assert g.ess > 200  # fresh prior draws cannot make the weights degenerate


def test_tolerances_fall_and_the_run_is_resumable_with_the_same_answer(tmp_path):
    settings = abc.Settings(particles=100, first=300, budget=3000, chunk=100, generations=4)
    first = abc.run(simulate, Flat(), 2, np.array([True, True]), settings, 5, abc.FolderStore(tmp_path))
    assert all(a.epsilon > b.epsilon for a, b in zip(first.generations, first.generations[1:]))
    chunks = sorted(p.name for p in tmp_path.glob("*.npz"))
    (tmp_path / chunks[-1]).unlink()  # a chunk lost to a kill: recomputed on resume
    calls = []
    again = abc.run(lambda th, s: calls.append(len(s)) or simulate(th, s), Flat(), 2, np.array([True, True]),
                    settings, 5, abc.FolderStore(tmp_path))
    assert calls == [100]
    np.testing.assert_array_equal(first.last.theta, again.last.theta)
    np.testing.assert_array_equal(first.last.weights, again.last.weights)


def test_resampling_keeps_the_weights_proportions():
    g = abc.Generation(1, 1.0, np.arange(4.0)[:, None], np.array([0.1, 0.2, 0.3, 0.4]), np.zeros(4), np.zeros((4, 1)), 4)
    counts = np.bincount(abc.resample(g, 1000, 0), minlength=4)
    np.testing.assert_allclose(counts / 1000, g.weights, atol=0.002)


def test_generations_at_the_final_tolerance_are_pooled_by_their_effective_sizes():
    a = abc.Generation(2, 1.0, np.zeros((2, 1)), np.array([0.5, 0.5]), np.zeros(2), np.zeros((2, 1)), 10)
    b = abc.Generation(3, 1.0, np.ones((4, 1)), np.array([0.7, 0.1, 0.1, 0.1]), np.zeros(4), np.zeros((4, 1)), 20)
    early = abc.Generation(1, 2.0, np.full((2, 1), 9.0), np.array([0.5, 0.5]), np.zeros(2), np.zeros((2, 1)), 5)
    g = abc.pooled([early, a, b])
    assert len(g.weights) == 6 and g.weights.sum() == pytest.approx(1.0) and g.simulations == 30
    share_a = a.ess / (a.ess + b.ess)
    assert g.weights[:2].sum() == pytest.approx(share_a) and 9.0 not in g.theta


def test_undefined_distances_are_never_accepted_and_too_few_defined_ones_are_refused():
    def undefined_half(theta, seeds):
        dev, stats = simulate(theta, seeds)
        dev[::2] = np.nan  # every other run gives no value for the target
        return dev, stats

    settings = abc.Settings(particles=50, first=200, budget=1000, chunk=100, generations=3)
    r = abc.run(undefined_half, Flat(), 2, np.array([True, True]), settings, 1, abc.MemoryStore())
    assert all(np.isfinite(g.distances).all() for g in r.generations)
    with pytest.raises(ValueError, match="only 100 of 200 prior draws give every target a value; need at least 150"):
        abc.run(undefined_half, Flat(), 2, np.array([True, True]), abc.Settings(particles=150, first=200, budget=1000,
                                                                                chunk=100), 1, abc.MemoryStore())


def test_proposals_stay_inside_the_prior_support_near_its_edge():
    edge = abc.Generation(0, 1.0, np.array([[4.99, 0.5], [4.98, 0.5], [-4.99, 0.5]]), np.full(3, 1 / 3), np.zeros(3),
                          np.zeros((3, 1)), 3)
    columns = np.array([0])
    cov = np.array([[4.0]])  # a kernel far wider than the distance to the edge
    out = abc.propose(edge, columns, Flat(), cov, np.random.default_rng(0), 500)
    assert (np.abs(out[:, 0]) <= 5.0).all() and ((out[:, 1] >= 0) & (out[:, 1] <= 1)).all()
    assert len(np.unique(out[:, 1])) == 500  # the uncalibrated coordinate is drawn afresh from its prior
