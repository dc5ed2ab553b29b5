"""Sanctions: withdrawal of nationality (dual nationals) or of residence (non-citizens).

A convicted dual national with a sentence of at least ``withdrawal_min_sentence``
is stripped with yearly chance ``nationality_withdrawal_rate``; a convicted
non-citizen loses residence with yearly chance ``residence_withdrawal_rate``.
Withdrawal means administrative limbo: no legal status, so no right to work or
benefits, documents lost with chance ``limbo_document_loss``, and a removal
order. A removal is executed for someone outside prison with monthly chance
``removal_execution_rate``; the person then leaves the Belgian count (displacement,
not rehabilitation: what happens abroad is unobserved).
"""

from __future__ import annotations

from ..state import DUAL, PRETRIAL, REMOVED, RESIDENT


def _monthly(yearly: float) -> float:
    return 1.0 - (1.0 - yearly) ** (1.0 / 12.0)


def step(model) -> None:
    p, pop, u = model.p, model.pop, model.u
    present = pop.present() & pop.convicted & ~pop.stripped & (pop.custody != PRETRIAL)  # sentence imposed
    chance = (
        (pop.citizenship == DUAL) * (pop.sentence >= p.withdrawal_min_sentence) * _monthly(p.nationality_withdrawal_rate)
        + (pop.citizenship == RESIDENT) * _monthly(p.residence_withdrawal_rate)
    )
    withdrawn = present & (u["withdrawal"] < chance)
    if withdrawn.any():
        pop.stripped[withdrawn] = True
        pop.removal_order[withdrawn] = True
        if "limbo" not in model.knockouts:
            pop.legal_status[withdrawn] = False
            pop.benefits[withdrawn] = False
            pop.employed[withdrawn] = False
            pop.documents[withdrawn & (u["document_loss"] < p.limbo_document_loss)] = False

    if "removal" in model.knockouts:
        return
    removed = pop.removal_order & pop.in_community() & (u["removal"] < p.removal_execution_rate)
    pop.custody[removed] = REMOVED
    pop.ll_member[removed] = False
