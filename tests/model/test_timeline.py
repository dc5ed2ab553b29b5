"""A batch's parameter columns: shared values collapse to 1 x 1, and only values equal bit for bit do."""

import numpy as np
import pytest

from model.parameters import REGISTRY
from model.timeline import _array

CHOICE = next(n for n, p in REGISTRY.items() if p.kind == "choice")


@pytest.mark.parametrize(("name", "values", "rows"), [
    ("dual_share", [0.3, 0.3, 0.3], 1),
    ("dual_share", [0.3, 0.3, 0.4], 3),
    ("n_prisons", [5, 5], 1),
    ("n_prisons", [5, 6], 2),
    ("dual_share", [0.0, -0.0], 2),  # equal as numbers, but a replicate must keep its own sign whatever its batch
])
def test_a_column_collapses_only_when_every_replicate_has_the_same_bits(name, values, rows):
    column = _array(name, values)
    assert column.shape == (rows, 1)
    np.testing.assert_array_equal(np.signbit(np.broadcast_to(column, (len(values), 1))[:, 0]), np.signbit(values))
    np.testing.assert_array_equal(np.broadcast_to(column, (len(values), 1))[:, 0], values)


def test_a_choice_becomes_its_index():
    choices = REGISTRY[CHOICE].choices
    column = _array(CHOICE, [choices[-1], choices[0]])
    assert column.dtype == np.int64 and column[:, 0].tolist() == [len(choices) - 1, 0]
