"""Release: the cliff edge between prison and community.

From eligibility (``cr_eligible_fraction`` of the sentence) the sentence-implementation
court grants conditional release with monthly chance
``cr_grant_rate x plan x [b x progress + (1 - b) x risk_only_leniency x (1 - extremism)]``,
b = ``balanced_evaluations``, progress = mean(meaning, family stability, 1 - extremism).
Under risk-only evaluations more people serve the full sentence and leave with no
supervision and, unless a plan happens to exist, no support.

On release, housing, documents, benefits and care stay in place only as far as the
plan and the information that reached the receiving agencies allow; otherwise the
family hosts (precarious housing) if it can.
"""

from __future__ import annotations

import numpy as np

from ..state import CONDITIONAL, FREE, NO_HOUSING, PRECARIOUS, SENTENCED, STABLE


def discharge(model, mask: np.ndarray, conditional: bool, from_prison: bool = True) -> None:
    """Move people from prison (or, on arrival, from abroad) into the community.

    Only releases from prison are recorded as releases (the *_at_release outcomes).
    """
    if not mask.any():
        return
    p, pop, u = model.p, model.pop, model.u
    pop.custody[mask] = CONDITIONAL if conditional else FREE
    pop.isolated[mask] = False
    pop.in_programme[mask] = False
    if conditional:
        pop.supervised_left[mask] = np.maximum(pop.months_left[mask], p.probation_min_months)
    else:
        pop.months_left[mask] = 0
    supported = conditional | (u["support"] < pop.plan)
    pop.support_left[mask & supported] = p.post_release_support_months

    plan, info = pop.plan, pop.info_admin
    arranged = u["release_housing"] < plan * info
    hosted = u["release_hosting"] < pop.host_capacity * pop.family_stability
    pop.housing[mask] = np.where(arranged, STABLE, np.where(hosted, PRECARIOUS, NO_HOUSING))[mask]
    legal = pop.legal_status
    pop.documents[mask] = (legal & (pop.documents | (u["release_documents"] < info * (0.5 + 0.5 * plan))))[mask]
    pop.benefits[mask] = (legal & pop.documents & (u["release_benefits"] < info * plan))[mask]
    pop.in_care[mask] = (pop.in_care & (u["release_care"] < pop.info_care))[mask]
    pop.plan[mask] = 0.0

    if not from_prison:
        return
    pop.release_month[mask] = model.month
    pop.rel_housed[mask] = pop.housing[mask] == STABLE
    pop.rel_documented[mask] = pop.documents[mask]
    pop.rel_care[mask] = pop.in_care[mask]
    pop.rel_family[mask] = pop.family_stability[mask]
    # counted from the latest release: 0 if housed on the day, else pending until housing is found
    pop.months_to_housing[mask] = np.where(pop.housing[mask] == STABLE, 0.0, np.nan)


def step(model) -> None:
    p, pop = model.p, model.pop
    sentenced = pop.custody == SENTENCED
    full_term = sentenced & (pop.months_left <= 0)
    discharge(model, full_term, conditional=False)

    eligible = sentenced & ~full_term & (pop.served >= p.cr_eligible_fraction * pop.sentence)
    progress = (pop.meaning + pop.family_stability + 1.0 - pop.extremism) / 3.0
    b = p.balanced_evaluations
    chance = p.cr_grant_rate * pop.plan * (b * progress + (1.0 - b) * p.risk_only_leniency * (1.0 - pop.extremism))
    discharge(model, eligible & (model.u["cr_grant"] < chance), conditional=True)
