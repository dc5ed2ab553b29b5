"""Nationality withdrawal on hand-built situations."""

from conftest import slots

from model.state import DUAL, FREE, REMOVED, STABLE
from model.submodels import sanctions


def _free_dual_nationals(model, s):
    pop = model.pop
    pop.custody[s] = FREE
    pop.citizenship[s] = DUAL
    pop.convicted[s] = True
    pop.sentence[s] = 72
    pop.legal_status[s] = pop.documents[s] = pop.benefits[s] = pop.employed[s] = True
    pop.housing[s] = STABLE


def test_a_stripped_dual_national_falls_into_administrative_limbo(fresh_model):
    m = fresh_model(nationality_withdrawal_rate=1.0, removal_execution_rate=0.0)
    s = slots(10)
    _free_dual_nationals(m, s)
    sanctions.step(m)
    pop = m.pop
    assert pop.stripped[s].all() and pop.removal_order[s].all()
    assert not pop.legal_status[s].any() and not pop.benefits[s].any() and not pop.employed[s].any()
    assert (pop.citizenship[s] == DUAL).all()  # a stripped dual national stays in the dual group
    assert (pop.custody[s] == FREE).all()  # the removal order was not executed
    assert (pop.justice_weight[s] == 1).all()  # the withdrawal is an encounter


def test_short_sentences_are_not_eligible(fresh_model):
    m = fresh_model(nationality_withdrawal_rate=1.0)
    s = slots(10)
    _free_dual_nationals(m, s)
    m.pop.sentence[s] = 24
    sanctions.step(m)
    assert not m.pop.stripped[s].any()


def test_limbo_knockout_keeps_status_and_executed_removal_leaves_the_count(fresh_model):
    m = fresh_model(nationality_withdrawal_rate=1.0, removal_execution_rate=0.5, knockouts=("limbo",))
    s = slots(40)
    _free_dual_nationals(m, s)
    sanctions.step(m)
    assert m.pop.stripped[s].all() and m.pop.legal_status[s].all() and (m.pop.justice_weight[s] == 0).all()
    removed = (m.pop.custody[s] == REMOVED).sum()
    assert 8 <= removed <= 32  # Binomial(40, 0.5): outside [8, 32] has probability < 1e-4
