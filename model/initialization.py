"""Initialisation: the synthetic cohort, its households, agencies and network.

Composition follows ``shared/calibration/targets.csv``: about 140 adults arriving
mostly 2014-2016 (125 by 2018), 12 women on the 2021 and 2022 repatriation flights
with 26 children, about 40 children in all. Every draw is keyed by
(seed, attribute, returnee id), so population parameters alone decide who is who.
"""

from __future__ import annotations

import numpy as np

from . import streams
from .agencies import Agencies, build_agencies
from .calendar import ARRIVALS_BY_YEAR, REPATRIATION_FLIGHTS, START_YEAR, date_to_month
from .network import Network, build_network
from .state import BELGIAN, DUAL, NOT_ARRIVED, RESIDENT, Population

INIT = -1  # the 'month' key of initialisation draws


def _u(seed: int, name: str, n: int) -> np.ndarray:
    return streams.uniform(seed, "init:" + name, INIT, n)


def _z(seed: int, name: str, n: int) -> np.ndarray:
    return streams.normal(seed, "init:" + name, INIT, n)


def _assign(seed: int, name: str, n_items: int, candidates: np.ndarray, n: int) -> np.ndarray:
    """Spread n_items (children) over candidate returnees; returns a count per returnee."""
    counts = np.zeros(n, dtype=np.int64)
    if n_items and len(candidates):
        pick = candidates[(_u(seed, name, n_items) * len(candidates)).astype(np.int64)]
        np.add.at(counts, pick, 1)
    return counts


def municipality_weights(n_municipalities: int) -> np.ndarray:
    """Returnees concentrate in a few municipalities (Zipf weights, mean 1)."""
    w = 1.0 / np.arange(1, n_municipalities + 1)
    return w / w.mean()


def cohort(seed: int, p: dict) -> Population:
    """The returnees and their households (state on arrival; all start NOT_ARRIVED)."""
    scale = p["cohort_scale"]
    arrival_months: list[np.ndarray] = []
    for year, count in ARRIVALS_BY_YEAR.items():
        k = int(round(count * scale))
        within = (_u(seed, f"arrival_month:{year}", k) * 12).astype(np.int64)
        arrival_months.append((year - START_YEAR) * 12 + np.sort(within))
    n_early = sum(len(a) for a in arrival_months)
    flights = [(date_to_month(d), int(round(w * scale)), int(round(c * scale))) for d, w, c in REPATRIATION_FLIGHTS]
    for month, women, _ in flights:
        arrival_months.append(np.full(women, month))
    n = sum(len(a) for a in arrival_months)

    pop = Population.empty(n)
    pop.arrival[:] = np.concatenate(arrival_months)
    pop.custody[:] = NOT_ARRIVED
    pop.on_flight[n_early:] = True
    pop.woman[:] = pop.on_flight | (_u(seed, "woman", n) < p["women_share_early"])

    early_women = np.flatnonzero(pop.woman & ~pop.on_flight)
    mothers = early_women if len(early_women) else np.arange(n_early)
    pop.children[:] = _assign(seed, "children:early", int(round(p["children_with_early_returnees"] * scale)), mothers, n)
    start = n_early
    for k, (_, women, kids) in enumerate(flights):
        pop.children[:] += _assign(seed, f"children:flight{k}", kids, np.arange(start, start + women), n)
        start += women

    u = _u(seed, "citizenship", n)
    dual = p["dual_share"]
    resident = min(p["resident_share"], 1.0 - dual)
    pop.citizenship[:] = np.where(u < dual, DUAL, np.where(u < dual + resident, RESIDENT, BELGIAN))
    cdf = np.cumsum(municipality_weights(p["n_municipalities"]))
    pop.municipality[:] = np.searchsorted(cdf / cdf[-1], _u(seed, "municipality", n), side="right")
    pop.prison[:] = (_u(seed, "prison", n) * p["n_prisons"]).astype(np.int64)
    pop.age[:] = np.clip(28 + 6 * _z(seed, "age", n), 18, 65)

    median = np.where(pop.woman, p["sentence_months_women"], p["sentence_months_men"])
    pop.sentence[:] = np.maximum(6, np.round(median * np.exp(p["sentence_dispersion"] * _z(seed, "sentence", n))))
    pop.pretrial_left[:] = np.maximum(1, np.ceil(-np.log1p(-_u(seed, "pretrial", n)) * p["pretrial_months"]))
    pop.detain_u[:] = _u(seed, "detained", n)
    pop.isolation_u[:] = _u(seed, "isolation", n)
    pop.ll_family_u[:] = _u(seed, "ll_family", n)

    pop.trust[:] = np.clip(0.3 + 0.15 * _z(seed, "trust", n), 0, 1)
    pop.meaning[:] = np.clip(0.35 + 0.15 * _z(seed, "meaning", n), 0, 1)
    pop.trauma[:] = np.clip(p["trauma_initial"] + 0.2 * _z(seed, "trauma", n), 0, 1)
    pop.stigma_exposure[:] = 0.5 + _u(seed, "stigma_exposure", n)
    pop.family_stability[:] = np.clip(0.5 + 0.2 * _z(seed, "family_stability", n), 0.05, 1)
    pop.host_capacity[:] = np.clip(p["host_capacity_mean"] + 0.25 * _z(seed, "host_capacity", n), 0, 1)
    pop.legal_status[:] = True
    # children repatriated from the camps come under youth protection on arrival
    pop.youth_protection[:] = pop.on_flight & (pop.children > 0)
    return pop


def agencies(seed: int, p: dict, n_returnees_weight: np.ndarray) -> Agencies:
    """Agency instances; community agencies are sized to their municipality's expected share (its Zipf weight)."""
    n_prisons = p["n_prisons"]
    regime = _z(seed, "prison_regime", n_prisons)
    ag = build_agencies(n_prisons, p["n_municipalities"], p["cohort_scale"], regime)
    local = ag.municipality >= 0
    ag.capacity[local] *= n_returnees_weight[ag.municipality[local]]
    ag.background[:] = ag.capacity
    ag.ll_participates = _u(seed, "ll_professional", ag.n)
    return ag


def network(seed: int, p: dict, pop: Population, ag: Agencies) -> Network:
    family_tie = 0.3 + 0.5 * pop.family_stability
    extremist_tie = np.clip(p["extremist_ties_initial"] * np.exp(0.6 * _z(seed, "extremist_tie", pop.n)), 0, 1)
    return build_network(seed, p, pop.municipality, pop.children, pop.prison, family_tie, extremist_tie, ag)
