"""Nationality withdrawal on hand-built situations."""

import numpy as np

from model.state import DUAL, FREE, REMOVED, STABLE
from model.submodels import sanctions


def _free_dual_nationals(model, slots):
    pop = model.pop
    pop.custody[slots] = FREE
    pop.citizenship[slots] = DUAL
    pop.convicted[slots] = True
    pop.sentence[slots] = 72
    pop.legal_status[slots] = pop.documents[slots] = pop.benefits[slots] = pop.employed[slots] = True
    pop.housing[slots] = STABLE


def test_a_stripped_dual_national_falls_into_administrative_limbo(fresh_model):
    m = fresh_model(nationality_withdrawal_rate=1.0, removal_execution_rate=0.0)
    slots = np.arange(10)
    _free_dual_nationals(m, slots)
    sanctions.step(m)
    pop = m.pop
    assert pop.stripped[slots].all() and pop.removal_order[slots].all()
    assert not pop.legal_status[slots].any() and not pop.benefits[slots].any() and not pop.employed[slots].any()
    assert (pop.citizenship[slots] == DUAL).all()  # a stripped dual national stays in the dual group
    assert (pop.custody[slots] == FREE).all()  # the removal order was not executed


def test_short_sentences_are_not_eligible(fresh_model):
    m = fresh_model(nationality_withdrawal_rate=1.0)
    slots = np.arange(10)
    _free_dual_nationals(m, slots)
    m.pop.sentence[slots] = 24
    sanctions.step(m)
    assert not m.pop.stripped[slots].any()


def test_limbo_knockout_keeps_status_and_executed_removal_leaves_the_count(fresh_model):
    m = fresh_model(nationality_withdrawal_rate=1.0, removal_execution_rate=0.5)
    m.knockouts = frozenset({"limbo"})
    slots = np.arange(40)
    _free_dual_nationals(m, slots)
    sanctions.step(m)
    assert m.pop.stripped[slots].all() and m.pop.legal_status[slots].all()
    removed = (m.pop.custody[slots] == REMOVED).sum()
    assert 8 <= removed <= 32  # Binomial(40, 0.5): outside [8, 32] has probability < 1e-4
