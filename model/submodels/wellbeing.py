"""Shared rules for trust, meaning and psychosocial care, used in detention and community.

Trust moves towards the procedural justice a person experiences: a neutral 0.5,
up with support and transparent, balanced decisions (``support_trust``), down with
purely security measures (``security_distrust``). Meaning moves towards what
activity, family and counsel give. A care relationship starts when a care worker is
available and breaks more often without trust and support, less often when care is
trauma-sensitive; care lowers trauma load.
"""

from __future__ import annotations

import numpy as np


def update_trust(model, mask: np.ndarray, support: np.ndarray, security: np.ndarray) -> None:
    p, pop = model.p, model.pop
    justice = np.clip(0.5 + p.support_trust * support - p.security_distrust * security, 0.0, 1.0)
    pop.trust[mask] += p.trust_adjustment * (justice[mask] - pop.trust[mask])


def update_meaning(model, mask: np.ndarray, sources: np.ndarray) -> None:
    p, pop = model.p, model.pop
    pop.meaning[mask] += p.meaning_adjustment * (np.clip(sources[mask], 0.0, 1.0) - pop.meaning[mask])


def update_care(model, mask: np.ndarray, available: np.ndarray, supported: np.ndarray) -> None:
    """Start, keep or lose an unbroken care relationship; care lowers trauma."""
    p, pop, u = model.p, model.pop, model.u
    sensitive = p.trauma_sensitive * p.trauma_care_effect
    start = mask & ~pop.in_care & (u["care_start"] < p.care_uptake * available)
    dropout = p.care_dropout * (1.0 - sensitive) * (1.0 - pop.trust * supported)
    stop = mask & pop.in_care & ((u["care_drop"] < dropout) | (available <= 0))
    pop.in_care[start] = True
    pop.in_care[stop] = False
    cared = mask & pop.in_care
    pop.trauma[cared] *= 1.0 - p.trauma_recovery * (1.0 + sensitive)
    model.cost += cared.sum() * p.cost_service_month
