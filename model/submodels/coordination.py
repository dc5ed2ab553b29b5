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

from typing import Sequence

import numpy as np

from ..agencies import SCOPE_ORDER
from ..arrays import group_sum
from ..constants import MONTHS_PER_YEAR
from ..people import EVERYONE

FORGET_READS = ("pop.prison", "pop.municipality")  # forget checks whether anybody moved
READS = ("world.tie_freshness", "world.ll_met") + FORGET_READS
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


def hop(model, a_type: str, b_type: str, at=EVERYONE) -> np.ndarray:
    """Chance a person's file passes from their agency of type ``a_type`` to their ``b_type`` (replicates x people,
    or at the cells of ``at``, a ``people.Some``)."""
    return hops(model, ((a_type, b_type),), at)[0]


def hops(model, pairs: Sequence[tuple[str, str]], at=EVERYONE) -> list[np.ndarray]:
    """``hop`` for several pairs of agency types, those not yet known worked out together.

    Kept for the month in ``model.files`` until ties, municipalities or Living Lab files change (``forget``); a
    transition's few people keep theirs in ``at.files`` for the transition.
    """
    files = model.files if at is EVERYONE else at.files
    todo = [pair for pair in dict.fromkeys(pairs) if pair not in files]
    if todo:
        files.update(zip(todo, _hop(model, todo, at)))
    return [files[pair] for pair in pairs]


def pairs_of(components: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Every hop on the routes of ``components``."""
    return tuple(dict.fromkeys(pair for c in components for route in ROUTES[c] for pair in zip(route[:-1], route[1:])))


def forget(model) -> None:
    """What agencies shared changed (a meeting, a move, a Living Lab session): recompute hops when next asked, and
    look each person's agencies up again if anybody changed prison or municipality."""
    model.files.clear()
    places, _ = model.file_ends
    if not all(np.array_equal(then, now) for then, now in zip(places, (model.pop.prison, model.pop.municipality))):
        model.file_ends = (model.pop.prison.copy(), model.pop.municipality.copy()), {}


def _ends(model, pairs: Sequence[tuple[str, str]], at) -> list[np.ndarray]:
    """For each pair, each person's agencies of the two types, whether they sit at different governance levels,
    whether a tie joins them and its id (five arrays, pairs x the cells of ``at``). Looked up by place (prison and
    municipality, ``Agencies.ends_by_place``); for everyone, kept from month to month while nobody moves (``forget``
    checks)."""
    pop, ag, n_m = model.pop, model.ag, model.structure["n_municipalities"]
    if at is not EVERYONE:
        place = at.of(pop.prison) * n_m + at.of(pop.municipality)
        return [np.stack(ends)[:, place] for ends in zip(*(ag.ends_by_place(*pair) for pair in pairs))]
    _, known = model.file_ends
    missing = [pair for pair in pairs if pair not in known]
    if missing:
        place = pop.prison * n_m + pop.municipality
        known.update({pair: [x[place] for x in ag.ends_by_place(*pair)] for pair in missing})
    return [np.stack(ends) if len(pairs) > 1 else ends[0][None] for ends in zip(*(known[pair] for pair in pairs))]


def _hop(model, pairs: Sequence[tuple[str, str]], at) -> np.ndarray:
    """The hops of ``pairs`` (pairs x the cells of ``at``)."""
    p, pop, w = model.p, model.pop, model.world
    a, b, across, tied, tie = _ends(model, pairs, at)
    if "case_information" in model.knockouts:  # a fixed paper rate: neither ties, meetings nor info_flow matter
        return np.broadcast_to(at.of(p.paper_share * p.local_info_flow), a.shape)
    paper = at.of(p.paper_share) * np.where(across, at.of(p.info_flow), at.of(p.local_info_flow))
    fresh = np.where(tied, at.table(w.tie_freshness, tie), 0.0)
    if "living_lab_sessions" not in model.knockouts:
        shared = at.table(w.ll_met, a) & at.table(w.ll_met, b)
        fresh = np.maximum(fresh, np.where(shared, at.of(pop.ll_file), 0.0))
    return fresh + (1.0 - fresh) * paper


def deliver(model, component: str, at=EVERYONE) -> np.ndarray:
    """Chance a component of each person's case file reaches the agency that must act on it (at the cells of
    ``at``, a ``people.Some``, for a transition's few people)."""
    found = model.files.get(component) if at is EVERYONE else None
    if found is None:
        missed = 1.0
        for route in ROUTES[component]:
            carried = 1.0
            for pair in zip(route[:-1], route[1:]):
                carried = carried * hop(model, *pair, at=at)
            missed = missed * (1.0 - carried)
        found = 1.0 - missed
        if at is EVERYONE:
            model.files[component] = found
    return found


__all__ = ["ROUTES", "COMMUNITY_HOPS", "SCOPE_ORDER", "deliver", "forget", "hop", "hops", "pairs_of", "step"]
