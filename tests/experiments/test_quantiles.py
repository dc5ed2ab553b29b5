"""The vectorised quantiles give numpy's numbers (bit for bit but for the sign of a zero), NaN cells included."""

import warnings

import numpy as np
import pytest

from experiments.quantiles import nanquantile

QUANTILES = [0.5, 0.1, 0.9, 0.0, 1.0, 0.25]


@pytest.mark.parametrize("trial", range(40))
def test_nanquantile_equals_numpy_bit_for_bit(trial):
    rng = np.random.default_rng(trial)
    shape = tuple(rng.integers(1, 6, size=rng.integers(0, 3))) + (int(rng.integers(1, 70)),)
    values = rng.normal(size=shape) * rng.choice([1.0, 1e6, 1e-9])
    if trial % 3 == 0:
        values = np.round(values, 1)  # ties
    values[rng.random(shape) < [0.0, 0.1, 0.5, 0.95, 1.0][trial % 5]] = np.nan  # from no NaN to all NaN
    axis = int(rng.integers(0, len(shape)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy warns on all-NaN cells
        expected = np.nanquantile(values, QUANTILES, axis=axis)
    np.testing.assert_array_equal(nanquantile(values, QUANTILES, axis=axis), expected)


def test_a_cell_without_values_is_nan_and_one_value_is_every_quantile():
    values = np.array([[np.nan, 2.0], [np.nan, np.nan]])
    out = nanquantile(values, [0.1, 0.9], axis=0)
    assert np.isnan(out[:, 0]).all() and (out[:, 1] == 2.0).all()
