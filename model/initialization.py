"""Initialisation: the synthetic cohort, its households, agencies and network, for a batch of replicates.

Composition follows the calendar record (``model/record.toml``): about 140 adults arriving
mostly 2014-2016 (125 by 2018), 12 women on the 2021 and 2022 repatriation flights with 26
children, about 40 children in all. Every draw is keyed by (seed, attribute, returnee id),
so replicate r is the same cohort whatever batch it is built in. Parameters that set the
shape of the state (cohort scale, prisons, municipalities, ties per returnee) are shared
by the batch; all others may differ between replicates (columns, replicates x 1).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import streams
from .agencies import SERVICE_TYPES, TYPE_INDEX, Agencies, build_agencies
from .calendar import ARRIVALS_BY_YEAR, REPATRIATION_FLIGHTS, date_to_month
from .constants import MONTHS_PER_YEAR, START_YEAR
from .network import CASE_TYPES, CHILD, LL_PROFESSIONAL_TYPES, RADICAL_RELATIVE, RELATIVE, Network, TieGroup
from .state import BELGIAN, DUAL, NOT_ARRIVED, RESIDENT, Population

# parameters that set array shapes: equal across a batch
SHAPE = ("cohort_scale", "n_prisons", "n_municipalities", "children_with_early_returnees", "family_members",
         "peers_per_returnee", "extremist_peers_per_returnee", "returnee_ties_per_returnee", "mentors_per_returnee",
         "extremist_pool_share")


class Draws:
    """Initialisation draws of a batch: ``u(name, n)`` and ``z(name, n)`` are replicates x n."""

    def __init__(self, seeds: Sequence[int]):
        self.seeds = list(seeds)

    def u(self, name: str, n: int) -> np.ndarray:
        return streams.uniform(self.seeds, "init:" + name, streams.INIT, n)

    def z(self, name: str, n: int) -> np.ndarray:
        return streams.normal(self.seeds, "init:" + name, streams.INIT, n)


def column(values: Sequence[dict[str, Any]], name: str) -> np.ndarray:
    """One parameter over the replicates, as a column (replicates x 1)."""
    return np.array([v[name] for v in values], dtype=float)[:, None]


def shape_of(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The shape-setting parameters of a batch (ValueError if the replicates disagree)."""
    first = {k: values[0][k] for k in SHAPE}
    for v in values[1:]:
        differ = [k for k in SHAPE if v[k] != first[k]]
        if differ:
            raise ValueError(f"runs of one batch must share {', '.join(differ)}")
    return first


def municipality_weights(n_municipalities: int) -> np.ndarray:
    """Returnees concentrate in a few municipalities (Zipf weights, mean 1)."""
    w = 1.0 / np.arange(1, n_municipalities + 1)
    return w / w.mean()


def _arrivals(d: Draws, scale: float) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int]]]:
    """Arrival month of each adult (replicates x n), who came on a flight, and the flights (month, first, women)."""
    months = []
    for year, count in ARRIVALS_BY_YEAR.items():
        k = int(round(count * scale))
        within = np.sort((d.u(f"arrival_month:{year}", k) * MONTHS_PER_YEAR).astype(np.int64), axis=1)
        months.append((year - START_YEAR) * MONTHS_PER_YEAR + within)
    n_early = sum(m.shape[1] for m in months)
    replicates = len(d.seeds)
    flights, first = [], n_early
    for date, women, kids in REPATRIATION_FLIGHTS:
        w = int(round(women * scale))
        months.append(np.full((replicates, w), date_to_month(date)))
        flights.append((first, w, int(round(kids * scale))))
        first += w
    arrival = np.concatenate(months, axis=1)
    on_flight = np.zeros(arrival.shape, dtype=bool)
    on_flight[:, n_early:] = True
    return arrival, on_flight, flights


def _spread(d: Draws, name: str, count: int, candidates: np.ndarray, n: int) -> np.ndarray:
    """Give ``count`` children to the candidate mothers of each replicate (a bool mask, replicates x n)."""
    replicates = candidates.shape[0]
    out = np.zeros((replicates, n), dtype=np.int64)
    if not count:
        return out
    order = np.argsort(~candidates, axis=1, kind="stable")  # candidates first, in id order
    k = candidates.sum(axis=1, keepdims=True)
    pick = np.take_along_axis(order, (d.u(name, count) * k).astype(np.int64), axis=1)
    np.add.at(out, (np.repeat(np.arange(replicates), count), pick.ravel()), 1)
    return out


def cohort(d: Draws, values: Sequence[dict[str, Any]]) -> Population:
    """The returnees and their households (state on arrival; all start NOT_ARRIVED)."""
    shape = shape_of(values)
    c = lambda name: column(values, name)  # noqa: E731 (a short local alias)
    arrival, on_flight, flights = _arrivals(d, shape["cohort_scale"])
    replicates, n = arrival.shape
    pop = Population.empty(replicates, n)
    pop.arrival[:] = arrival
    pop.custody[:] = NOT_ARRIVED
    pop.on_flight[:] = on_flight
    pop.woman[:] = on_flight | (d.u("woman", n) < c("women_share_early"))

    early_women = pop.woman & ~on_flight
    mothers = np.where(early_women.any(axis=1, keepdims=True), early_women, ~on_flight)
    early_kids = int(round(shape["children_with_early_returnees"] * shape["cohort_scale"]))
    pop.children[:] = _spread(d, "children:early", early_kids, mothers, n)
    for k, (first, women, kids) in enumerate(flights):
        on_this = np.zeros((replicates, n), dtype=bool)
        on_this[:, first:first + women] = True
        pop.children[:] += _spread(d, f"children:flight{k}", kids, on_this, n)

    u = d.u("citizenship", n)
    dual = c("dual_share")
    resident = np.minimum(c("resident_share"), 1.0 - dual)
    pop.citizenship[:] = np.where(u < dual, DUAL, np.where(u < dual + resident, RESIDENT, BELGIAN))
    cdf = np.cumsum(municipality_weights(shape["n_municipalities"]))
    pop.municipality[:] = np.searchsorted(cdf / cdf[-1], d.u("municipality", n), side="right")
    pop.prison[:] = (d.u("prison", n) * shape["n_prisons"]).astype(np.int64)
    pop.age0[:] = np.clip(c("age_mean") + c("age_sd") * d.z("age", n), c("age_min"), c("age_max"))

    median = np.where(pop.woman, c("sentence_months_women"), c("sentence_months_men"))
    pop.sentence[:] = np.maximum(c("min_sentence_months"),
                                 np.round(median * np.exp(c("sentence_dispersion") * d.z("sentence", n))))
    pop.pretrial_left[:] = np.maximum(1, np.ceil(-np.log1p(-d.u("pretrial", n)) * c("pretrial_months")))
    pop.detain_u[:] = d.u("detained", n)
    pop.isolation_u[:] = d.u("isolation", n)
    pop.ll_family_u[:] = d.u("ll_family", n)
    pop.ll_refusal_u[:] = d.u("ll_refusal", n)

    sd = c("state_spread")
    pop.trust[:] = np.clip(c("trust_initial") + sd * d.z("trust", n), 0, 1)
    pop.meaning[:] = np.clip(c("meaning_initial") + sd * d.z("meaning", n), 0, 1)
    pop.trauma[:] = np.clip(c("trauma_initial") + sd * d.z("trauma", n), 0, 1)
    pop.family_stability[:] = np.clip(c("family_stability_initial") + sd * d.z("family_stability", n), 0, 1)
    pop.host_capacity[:] = np.clip(c("host_capacity_mean") + sd * d.z("host_capacity", n), 0, 1)
    half = c("stigma_exposure_spread")  # triangular on [1 - half, 1 + half], mean 1
    pop.stigma_exposure[:] = 1.0 - half + half * (d.u("stigma_exposure:a", n) + d.u("stigma_exposure:b", n))
    pop.legal_status[:] = True
    # children repatriated from the camps come under youth protection on arrival
    pop.youth_protection[:] = on_flight & (pop.children > 0)
    return pop


def agencies(values: Sequence[dict[str, Any]]) -> Agencies:
    """Agency instances; community agencies are sized to their municipality's expected share (its Zipf weight)."""
    shape = shape_of(values)
    capacity = {t: values[0][f"capacity_{t}"] for t in SERVICE_TYPES}
    return build_agencies(shape["n_prisons"], shape["n_municipalities"], shape["cohort_scale"],
                          municipality_weights(shape["n_municipalities"]), capacity)


def network(d: Draws, values: Sequence[dict[str, Any]], pop: Population, ag: Agencies) -> Network:
    """The returnees' ties on arrival; Living Lab ties are dormant (weight 0) until sessions build them."""
    shape = shape_of(values)
    c = lambda name: column(values, name)  # noqa: E731
    replicates, n = pop.woman.shape
    ids = np.arange(n)
    groups: dict[str, TieGroup] = {}

    # family (bonding): adult relatives, some radicalised, then children
    fm = shape["family_members"]
    weight = np.clip(c("family_tie_initial") + c("family_tie_stability_gain") * pop.family_stability, 0, 1)
    adults = np.repeat(ids, fm)
    radical = d.u("family_radical", n * fm) < c("family_extremist_share")
    kids_owner = np.stack([np.repeat(ids, row) for row in pop.children])  # the same total children in every replicate
    owner = np.concatenate([np.broadcast_to(adults, (replicates, len(adults))), kids_owner], axis=1)
    attr = np.concatenate([np.where(radical, RADICAL_RELATIVE, RELATIVE),
                           np.full(kids_owner.shape, CHILD)], axis=1)
    groups["family"] = TieGroup(np.take_along_axis(weight, owner, axis=1), owner,
                                np.broadcast_to(np.arange(owner.shape[1]), owner.shape), attr)

    k = shape["peers_per_returnee"]
    peers = np.repeat(ids, k)
    groups["peer"] = TieGroup(np.broadcast_to(c("peer_tie_initial"), (replicates, len(peers))).copy(), peers,
                              np.broadcast_to(np.arange(len(peers)), (replicates, len(peers))))

    # extremist peers: a national pool shared between returnees
    e_k = shape["extremist_peers_per_returnee"]
    tie = np.clip(c("extremist_ties_initial") * np.exp(c("extremist_ties_dispersion") * d.z("extremist_tie", n)), 0, 1)
    pool = max(1, int(round(n * e_k * shape["extremist_pool_share"])))
    ext_owner = np.repeat(ids, e_k)
    groups["extremist"] = TieGroup(np.repeat(tie, e_k, axis=1), ext_owner,
                                   (d.u("extremist_peer", n * e_k) * pool).astype(np.int64))

    # other returnees: mostly of the same municipality
    groups["returnee"] = _returnee_ties(d, c, pop.municipality, shape["returnee_ties_per_returnee"])

    # case ties (linking): to the returnee's prison and municipality's agencies; Living Lab ties, dormant
    for name, types, number in (("case", CASE_TYPES, None), ("ll_professional", LL_PROFESSIONAL_TYPES, None)):
        kinds = np.tile(np.array([TYPE_INDEX[t] for t in types]), n)
        owner = np.repeat(ids, len(types))
        other = np.empty((replicates, len(owner)), dtype=np.int64)
        for j, t in enumerate(types):
            where = pop.prison if t == "prison" else pop.municipality
            other[:, j::len(types)] = ag.of(t, where)
        groups[name] = TieGroup(np.zeros((replicates, len(owner))), owner, other,
                                np.broadcast_to(kinds, (replicates, len(owner))), per_owner=len(types))
    mentors = np.repeat(ids, shape["mentors_per_returnee"])
    groups["ll_mentor"] = TieGroup(np.zeros((replicates, len(mentors))), mentors,
                                   np.broadcast_to(np.arange(len(mentors)), (replicates, len(mentors))))
    return Network(n, groups, ag, {"extremist_peer": pool})


def _returnee_ties(d: Draws, c, municipality: np.ndarray, k: int) -> TieGroup:
    """Each returnee's ties to ``k`` other returnees: of the same municipality with chance ``returnee_tie_local``."""
    replicates, n = municipality.shape
    owner = np.repeat(np.arange(n), k)
    if n <= 1 or k == 0:
        return TieGroup(np.zeros((replicates, len(owner))), owner, np.zeros((replicates, len(owner)), dtype=np.int64))
    m = np.repeat(municipality, k, axis=1)
    order = np.argsort(municipality, axis=1, kind="stable")  # returnees sorted by municipality
    sorted_m = np.take_along_axis(municipality, order, axis=1)
    start = np.stack([np.searchsorted(row, mrow, side="left") for row, mrow in zip(sorted_m, m)])
    size = np.stack([np.searchsorted(row, mrow, side="right") for row, mrow in zip(sorted_m, m)]) - start
    u_local, u_any = d.u("returnee_tie_local", n * k), d.u("returnee_tie_pick", n * k)
    position = np.argsort(order, axis=1)  # where each returnee sits in the sorted order
    own_pos = np.take_along_axis(position, np.broadcast_to(owner, (replicates, len(owner))), axis=1)
    local_pick = start + (u_any * (size - 1)).astype(np.int64)
    local_pick = local_pick + (local_pick >= own_pos)  # skip oneself
    local_other = np.take_along_axis(order, np.minimum(local_pick, n - 1), axis=1)
    any_other = (u_any * (n - 1)).astype(np.int64)
    any_other = any_other + (any_other >= owner)
    local = (u_local < c("returnee_tie_local")) & (size > 1)
    other = np.where(local, local_other, any_other)
    return TieGroup(np.broadcast_to(c("returnee_tie_initial"), (replicates, len(owner))).copy(), owner, other)


def age(pop: Population, month: int) -> np.ndarray:
    """Age in years this month (age on arrival plus the time since)."""
    return pop.age0 + np.maximum(month - pop.arrival, 0) / MONTHS_PER_YEAR

