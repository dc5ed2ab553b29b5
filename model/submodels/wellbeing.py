"""Shared rules for trust, meaning and psychosocial care, used in detention and in the community.

Trust moves only for people who meet institutions: every encounter of the month (a
programme, a service, a supervision meeting, a court hearing, a Living Lab session, a month
in a wing or under police monitoring, a withdrawal) is a procedural-justice experience with
its own value in [0, 1] and weight; at the end of the month trust moves towards their
weighted mean by 1 - (1 - ``trust_adjustment``)^weight. Meaning moves towards what work,
family, sessions, care and counsel give. A care relationship starts when a care worker is
available and breaks more often without trust and support, less often when care is
trauma-sensitive; care lowers trauma load.
"""

from __future__ import annotations

import numpy as np

READS = ("pop.justice_sum", "pop.justice_weight", "pop.trust")
WRITES = ("pop.trust", "pop.justice_sum", "pop.justice_weight")


def experience(model, mask: np.ndarray, justice, weight=1.0) -> None:
    """Record this month's encounters of ``mask`` with their procedural justice (and weight)."""
    pop = model.pop
    w = mask * weight
    pop.justice_sum += w * justice
    pop.justice_weight += w


def settle(model) -> None:
    """End of month: trust moves towards the procedural justice the month's encounters gave."""
    p, pop = model.p, model.pop
    weight = pop.justice_weight
    if "trust" not in model.knockouts:
        met = weight > 0
        felt = np.divide(pop.justice_sum, weight, out=np.zeros_like(weight), where=met)
        rate = 1.0 - (1.0 - p.trust_adjustment) ** weight
        pop.trust[:] = np.where(met, pop.trust + rate * (felt - pop.trust), pop.trust)
    pop.justice_sum[:] = 0.0
    pop.justice_weight[:] = 0.0


def update_meaning(model, mask: np.ndarray, sources: np.ndarray) -> None:
    p, pop = model.p, model.pop
    pop.meaning[:] = np.where(mask, pop.meaning + p.meaning_adjustment * (np.clip(sources, 0.0, 1.0) - pop.meaning),
                              pop.meaning)


def update_care(model, mask: np.ndarray, available: np.ndarray, supported: np.ndarray) -> None:
    """Start, keep or lose an unbroken care relationship; care lowers trauma."""
    p, pop, u = model.p, model.pop, model.u
    sensitive = 0.0 if "trauma_methods" in model.knockouts else p.trauma_sensitive * p.trauma_care_effect
    start = mask & ~pop.in_care & (u("care_start", pop.n) < p.care_uptake * available)
    dropout = p.care_dropout * (1.0 - sensitive) * (1.0 - pop.trust * supported)
    stop = mask & pop.in_care & ((u("care_drop", pop.n) < dropout) | (available <= 0))
    pop.in_care[start] = True
    pop.in_care[stop] = False
    cared = mask & pop.in_care
    pop.trauma[:] = np.where(cared, pop.trauma * (1.0 - p.trauma_recovery * (1.0 + sensitive)), pop.trauma)
    model.world.cost[:, model.cost_index["services"]] += (cared.sum(axis=1, keepdims=True) * p.cost_service_month)[:, 0]
