"""Shared fixtures: a model prepared for calling one submodel on a hand-built situation; the orphan check."""

from __future__ import annotations

import numpy as np
import pytest

from model import api, kernels
from model.submodels import agency_capacity, coordination

pytest_plugins = ["orphans", "pytester"]  # no process of the project outlives the session; inner sessions

_unchecked_gather = kernels.gather


def _checked_gather(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The compiled gather does not check its keys (it would cost as much again); every test run does."""
    width = table.shape[1]
    if keys.size and (keys.max() >= width or keys.min() < 0):  # a negative key would wrap within its replicate
        raise IndexError(f"gather: keys {keys.min()}..{keys.max()} outside a table {width} wide")
    return _unchecked_gather(table, keys)


_unchecked_owner_sums = kernels.owner_sums


def _checked_owner_sums(weight: np.ndarray, factor: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Owner and group keys are not checked by the kernel either (group sums, tie strengths)."""
    if owner.size and (owner.max() >= n or owner.min() < 0):
        raise IndexError(f"owner_sums: keys {owner.min()}..{owner.max()} outside 0..{n - 1}")
    return _unchecked_owner_sums(weight, factor, owner, n)


kernels.gather = _checked_gather
kernels.owner_sums = _checked_owner_sums


def prepare(model, month: int = 0):
    """Set the per-month context (parameters, draws, capacity, information) without stepping."""
    model.month = month
    model.p = model.timeline.at(month)
    model.u = model.streams.month(month)
    model.files = {}
    model.world.cost[:] = 0.0
    agency_capacity.step(model)
    coordination.step(model)
    return model


def slots(n: int, first: int = 0) -> tuple[int, np.ndarray]:
    """Index of returnees first..first+n-1 in replicate 0 of a batch of one."""
    return (0, np.arange(first, first + n))


@pytest.fixture
def fresh_model():
    """Factory: a baseline model (scale 1) with overrides, ready for a single submodel call."""

    def make(seed: int = 1, month: int = 0, knockouts=(), **overrides):
        model = api.build("baseline", seed=seed, months=max(month + 1, 12), overrides=overrides, knockouts=knockouts)
        return prepare(model, month)

    return make
