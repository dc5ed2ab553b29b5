"""Shared fixtures: a model prepared for calling one submodel on a hand-built situation."""

from __future__ import annotations

import pytest

from model import api
from model.submodels import agency_capacity, coordination


def prepare(model, month: int = 0):
    """Set the per-month context (parameters, draws, capacity, information) without stepping."""
    model.month = month
    model.p = model.timeline.at(month)
    model.u = model.streams.month(month, model.pop.n, width=len(model.ag.tie_a))
    model.cost = 0.0
    agency_capacity.step(model)
    coordination.step(model)
    return model


@pytest.fixture
def fresh_model():
    """Factory: a baseline model (scale 1) with overrides, ready for a single submodel call."""

    def make(seed: int = 1, month: int = 0, **overrides):
        return prepare(api.build("baseline", seed=seed, months=max(month + 1, 12), overrides=overrides), month)

    return make
