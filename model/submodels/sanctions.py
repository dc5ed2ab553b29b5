"""Sanctions: withdrawal of nationality (dual nationals) or of residence (non-citizens), and removals.

A convicted dual national with a sentence of at least ``withdrawal_min_sentence`` is
stripped with yearly chance ``nationality_withdrawal_rate``; a convicted non-citizen loses
residence with yearly chance ``residence_withdrawal_rate``. Withdrawal means
administrative limbo: no legal status, so no right to work or benefits, documents lost
with chance ``limbo_document_loss``, a removal order, and an encounter of pure security.
A removal is executed for someone outside prison with monthly chance
``removal_execution_rate``; the person then leaves the Belgian count (displacement, not
rehabilitation: what happens abroad is unobserved).
"""

from __future__ import annotations

from ..constants import MONTHS_PER_YEAR
from ..state import DUAL, PRETRIAL, REMOVED, RESIDENT
from . import wellbeing

READS = ("pop.custody", "pop.convicted", "pop.stripped", "pop.citizenship", "pop.sentence", "pop.removal_order")
WRITES = ("pop.stripped", "pop.removal_order", "pop.legal_status", "pop.benefits", "pop.employed", "pop.documents",
          "pop.custody", "pop.ll_member", "pop.justice_sum", "pop.justice_weight")


def _monthly(yearly):
    return 1.0 - (1.0 - yearly) ** (1.0 / MONTHS_PER_YEAR)


def step(model) -> None:
    p, pop, ko = model.p, model.pop, model.knockouts
    n = pop.n
    eligible = pop.present() & pop.convicted & ~pop.stripped & (pop.custody != PRETRIAL)  # sentence imposed
    chance = ((pop.citizenship == DUAL) * (pop.sentence >= p.withdrawal_min_sentence) * _monthly(p.nationality_withdrawal_rate)
              + (pop.citizenship == RESIDENT) * _monthly(p.residence_withdrawal_rate))
    withdrawn = eligible & (model.u("withdrawal", n) < chance)
    if withdrawn.any():
        pop.stripped[withdrawn] = True
        pop.removal_order[withdrawn] = True
        if "limbo" not in ko:
            pop.legal_status[withdrawn] = False
            pop.benefits[withdrawn] = False
            pop.employed[withdrawn] = False
            pop.documents[withdrawn & (model.u("document_loss", n) < p.limbo_document_loss)] = False
            wellbeing.experience(model, withdrawn, p.security_justice)

    if "removal" in ko:
        return
    removed = pop.removal_order & pop.in_community() & (model.u("removal", n) < p.removal_execution_rate)
    pop.custody[removed] = REMOVED
    pop.ll_member[removed] = False
