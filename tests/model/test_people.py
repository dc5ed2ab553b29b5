"""A transition's few people (``people.Some``) get exactly the numbers the whole batch would give them."""

import numpy as np

from model import api
from model.people import Some
from model.streams import Streams
from model.submodels import coordination


def _mask(shape, share, seed=0):
    return np.random.default_rng(seed).random(shape) < share


def test_draws_at_some_cells_equal_the_whole_batch_draws_there_whether_or_not_drawn_in_full():
    streams = Streams([11, 12, 13])
    mask = _mask((3, 50), 0.2)
    rows, cols = np.nonzero(mask)
    alone = streams.month(7).at(("release_housing", "release_care"), 50, rows, cols)  # never drawn in full
    month = streams.month(7)
    full = month("release_housing", 50), month("release_care", 50)
    for k in range(2):
        np.testing.assert_array_equal(alone[k], full[k][rows, cols])
    mixed = month.at(("release_care", "release_work"), 50, rows, cols)  # one drawn in full, one not
    np.testing.assert_array_equal(mixed[0], full[1][rows, cols])
    np.testing.assert_array_equal(mixed[1], streams.month(7)("release_work", 50)[rows, cols])
    assert not np.array_equal(streams.month(8).at(("release_housing",), 50, rows, cols)[0], alone[0])


def test_values_and_writes_at_some_cells():
    mask = _mask((4, 9), 0.3, seed=2)
    at = Some(mask)
    person = np.arange(36.0).reshape(4, 9)
    column = np.arange(4.0)[:, None]
    np.testing.assert_array_equal(at.of(person), person[mask])
    np.testing.assert_array_equal(at.of(column), np.broadcast_to(column, mask.shape)[mask])
    assert at.of(2.5) == 2.5
    target = np.zeros((4, 9))
    chosen = at.of(person) > 15
    at.put(target, at.of(person), where=chosen)
    expected = np.where(mask & (person > 15), person, 0.0)
    np.testing.assert_array_equal(target, expected)


def test_case_file_hops_for_some_people_equal_the_whole_batch_hops_there():
    model = api.build("baseline", seed=4, months=40, overrides={"living_lab": True, "coordination_scope": "full",
                                                               "coordination_per_year": 6.0})
    for _ in range(30):
        model.step()
    mask = _mask(model.pop.custody.shape, 0.25, seed=5)
    at = Some(mask)
    for component in coordination.ROUTES:
        full = coordination.deliver(model, component)
        np.testing.assert_array_equal(coordination.deliver(model, component, at), full[mask], err_msg=component)
    np.testing.assert_array_equal(coordination.hop(model, "local_cell", "police", at),
                                  coordination.hop(model, "local_cell", "police")[mask])
