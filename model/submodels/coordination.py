"""Coordination: tied agencies meet; what they share decides whether a case file follows a person.

Each tie in scope meets in a month with chance ``coordination_per_year / 12``, and again
where professionals of both agencies met at last month's Living Lab sessions. A meeting
sets the tie's freshness to 1; without one it fades by ``info_decay``. Every meeting takes
``meeting_staff_time`` of each agency's capacity for the next month.

At a transition (arrival, release, arrest) a person's case file travels from the agency
that holds it to the ones that must act on it, along ``ROUTES`` (a move between
municipalities has no tie to follow: the file goes on paper, ``community``): each hop between
two agencies passes with chance ``f + (1 - f) x paper``, where ``f`` is the freshness of the
tie between them (0 without a tie in scope; for files discussed in a Living Lab, the
file's own freshness where both agencies sent professionals) and ``paper`` =
``paper_share`` x ``info_flow`` across governance levels or x ``local_info_flow`` within
one. A component reaches its receiver if any of its routes carries it. Every tie type of
``agencies.COORDINATION_TIES`` lies on a route or carries a monthly exchange
(``COMMUNITY_HOPS``), so each can change a returnee's outcome.
"""

from __future__ import annotations

import numpy as np

from ..agencies import SCOPE_ORDER
from ..arrays import gather, group_sum
from ..constants import MONTHS_PER_YEAR

READS = ("world.tie_freshness", "world.ll_met")
# what computing a hop reads (everyone who calls hop or deliver reads these)
HOP_READS = ("pop.municipality", "pop.prison", "pop.ll_file", "world.tie_freshness", "world.ll_met")
WRITES = ("world.tie_freshness", "world.meetings", "world.staff_time", "world.cost")

# component -> routes, each a path of agency types from the one that holds the file to the one that acts
ROUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "housing": (("prison", "justice_house", "housing_service"), ("prison", "social_welfare", "housing_service")),
    "documents": (("prison", "social_welfare"), ("prison", "justice_house", "social_welfare")),
    "care": (("prison", "psychosocial_service"), ("prison", "justice_house", "psychosocial_service"),
             ("prison", "social_welfare", "psychosocial_service")),
    "risk": (("threat_assessment", "local_cell"), ("prison", "justice_house", "local_cell")),
    "family": (("prison", "justice_house", "youth_protection"), ("prison", "social_welfare", "youth_protection")),
    "work": (("prison", "social_welfare", "employment_service"),),
    "plan": (("prison", "justice_house"),),  # release preparation needs the justice house to hold the file
    "arrest_care": (("psychosocial_service", "prison"),),  # care continues into detention
}
# exchanges while a person lives in the community: the police learn what the local cell holds; the cell's case
# consultation reaches social welfare; the psychosocial service refers clients to a counsellor
COMMUNITY_HOPS = (("local_cell", "police"), ("local_cell", "social_welfare"), ("psychosocial_service", "counsellor"))


def step(model) -> None:
    p, w, ag, ko = model.p, model.world, model.ag, model.knockouts
    active = (ag.tie_scope[None, :] <= p.coordination_scope) & ~model.tie_removed
    met = active & (model.u("meeting", len(ag.tie_a)) < p.coordination_per_year / MONTHS_PER_YEAR)
    if "living_lab_sessions" not in ko:
        met |= active & w.ll_met[:, ag.tie_a] & w.ll_met[:, ag.tie_b]
    w.tie_freshness[:] = np.where(met, 1.0, w.tie_freshness * (1.0 - p.info_decay)) * active
    forget(model)
    w.meetings[:] = met.sum(axis=1)
    w.cost[:, model.cost_index["meetings"]] += w.meetings * p.cost_meeting[:, 0]
    time = met * p.meeting_staff_time
    ends = np.broadcast_to(ag.tie_a, met.shape), np.broadcast_to(ag.tie_b, met.shape)
    w.staff_time[:] = group_sum(ends[0], ag.n, time) + group_sum(ends[1], ag.n, time)  # sessions add theirs later


def hop(model, a_type: str, b_type: str) -> np.ndarray:
    """Chance a person's file passes from their agency of type ``a_type`` to their ``b_type`` (replicates x people).

    Kept for the month in ``model.files`` until ties, municipalities or Living Lab files change (``forget``).
    """
    found = model.files.get((a_type, b_type))
    if found is None:
        found = model.files[(a_type, b_type)] = _hop(model, a_type, b_type)
    return found


def forget(model) -> None:
    """What agencies shared changed (a meeting, a move, a Living Lab session): recompute hops when next asked."""
    model.files.clear()


def _ends(model, a_type: str, b_type: str) -> tuple[np.ndarray, ...]:
    """Each person's agencies of the two types, whether they sit at different governance levels, whether a
    tie joins them and its id: kept from month to month while nobody changes prison or municipality."""
    pop, ag = model.pop, model.ag
    places, known = model.file_ends
    if not all(np.array_equal(then, now) for then, now in zip(places, (pop.prison, pop.municipality))):
        places, known = model.file_ends = (pop.prison.copy(), pop.municipality.copy()), {}
    found = known.get((a_type, b_type))
    if found is None:
        a = ag.of(a_type, pop.prison if a_type == "prison" else pop.municipality)
        b = ag.of(b_type, pop.prison if b_type == "prison" else pop.municipality)
        tie = ag.tie_matrix[a, b]
        found = known[(a_type, b_type)] = (a, b, ag.level[a] != ag.level[b], tie >= 0, np.maximum(tie, 0))
    return found


def _hop(model, a_type: str, b_type: str) -> np.ndarray:
    p, pop, w = model.p, model.pop, model.world
    a, b, across, tied, tie = _ends(model, a_type, b_type)
    if "case_information" in model.knockouts:  # a fixed paper rate: neither ties, meetings nor info_flow matter
        return np.broadcast_to(p.paper_share * p.local_info_flow, a.shape)
    paper = p.paper_share * np.where(across, p.info_flow, p.local_info_flow)
    fresh = np.where(tied, gather(w.tie_freshness, tie), 0.0)
    if "living_lab_sessions" not in model.knockouts:
        shared = gather(w.ll_met, a) & gather(w.ll_met, b)
        fresh = np.maximum(fresh, np.where(shared, pop.ll_file, 0.0))
    return fresh + (1.0 - fresh) * paper


def deliver(model, component: str) -> np.ndarray:
    """Chance a component of each person's case file reaches the agency that must act on it."""
    found = model.files.get(component)
    if found is None:
        missed = 1.0
        for route in ROUTES[component]:
            carried = 1.0
            for pair in zip(route[:-1], route[1:]):
                carried = carried * hop(model, *pair)
            missed = missed * (1.0 - carried)
        found = model.files[component] = 1.0 - missed
    return found


__all__ = ["ROUTES", "COMMUNITY_HOPS", "SCOPE_ORDER", "deliver", "forget", "hop", "step"]
