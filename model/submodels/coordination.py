"""Coordination: tied agencies meet; meetings keep case information fresh.

Each active tie (by ``coordination_scope``) meets in a month with chance
``coordination_per_year / 12``, plus ``ll_coordination_boost`` when professionals
of both agencies meet in a Living Lab. A meeting sets the tie's freshness to 1;
without one it fades by ``info_decay``. Information about a returnee crosses a
governance level along a tie with chance ``info_flow + (1 - info_flow) x freshness``
and with chance ``info_flow`` where there is no tie. What reaches the receiving
agencies at release (``info_admin``: prison -> justice house -> social welfare;
``info_care``: prison -> psychosocial service) decides what stays in place.
"""

from __future__ import annotations

import numpy as np

from ..agencies import SCOPE_ORDER


def step(model) -> None:
    p, ag, pop = model.p, model.ag, model.pop
    active = ag.tie_scope <= SCOPE_ORDER.index(p.coordination_scope)
    chance = np.full(len(ag.tie_a), p.coordination_per_year / 12.0)
    if model.ll_agencies is not None:
        chance += p.ll_coordination_boost * (model.ll_agencies[ag.tie_a] & model.ll_agencies[ag.tie_b])
    met = active & (model.u.row("meeting", len(chance)) < chance)
    fresh = np.where(met, 1.0, model.tie_freshness * (1.0 - p.info_decay))
    fresh[~active] = 0.0
    model.tie_freshness = fresh
    model.meetings = int(met.sum())
    model.cost += model.meetings * p.cost_meeting
    model.net.weight[model.net.edges("coordination")] = fresh

    if "information" in model.knockouts:
        pop.info_admin[:] = p.info_flow
        pop.info_care[:] = p.info_flow
        return
    m = pop.municipality
    prison = ag.tables["prison"][pop.prison]
    justice = ag.tables["justice_house"][m]
    welfare = ag.tables["social_welfare"][m]
    care = ag.tables["psychosocial_service"][m]
    pop.info_admin[:] = _link(model, prison, justice) * _link(model, justice, welfare)
    pop.info_care[:] = _link(model, prison, care)


def _link(model, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    tie = model.ag.tie_matrix[a, b]
    fresh = np.where(tie >= 0, model.tie_freshness[np.maximum(tie, 0)], 0.0)
    return model.p.info_flow + (1.0 - model.p.info_flow) * fresh
