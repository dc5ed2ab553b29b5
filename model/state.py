"""State variables of returnees and their households, held as arrays (one slot per returnee).

Each returnee has one household (family); array slot i is both returnee i and that
returnee's family. Processes update these arrays in place, vectorised over agents;
the Mesa agents in ``agents.py`` are views onto a slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

# Custody states.
NOT_ARRIVED, PRETRIAL, SENTENCED, CONDITIONAL, FREE, REMOVED = range(6)
CUSTODY_NAMES = ("not_arrived", "pretrial", "sentenced", "conditional_release", "free", "removed")

# Citizenship groups. A stripped dual national stays in the dual group.
BELGIAN, DUAL, RESIDENT = range(3)
CITIZENSHIP_NAMES = ("belgian", "dual", "resident")

# Housing.
NO_HOUSING, PRECARIOUS, STABLE = range(3)


def _f(n: int = 0) -> np.ndarray:
    return np.zeros(n)


@dataclass
class Population:
    """Returnee and household state. Construct with ``Population.empty(n)``."""

    n: int
    # attributes fixed at initialisation (sentence and convicted change with new cases)
    woman: np.ndarray = field(default_factory=_f)
    age: np.ndarray = field(default_factory=_f)
    children: np.ndarray = field(default_factory=_f)
    citizenship: np.ndarray = field(default_factory=_f)
    municipality: np.ndarray = field(default_factory=_f)
    prison: np.ndarray = field(default_factory=_f)
    arrival: np.ndarray = field(default_factory=_f)
    on_flight: np.ndarray = field(default_factory=_f)
    sentence: np.ndarray = field(default_factory=_f)
    convicted: np.ndarray = field(default_factory=_f)
    # fixed personal draws reused each month (a stable 'threshold', not a new draw)
    detain_u: np.ndarray = field(default_factory=_f)
    isolation_u: np.ndarray = field(default_factory=_f)
    ll_family_u: np.ndarray = field(default_factory=_f)
    # custody
    custody: np.ndarray = field(default_factory=_f)
    pretrial_left: np.ndarray = field(default_factory=_f)
    months_left: np.ndarray = field(default_factory=_f)
    served: np.ndarray = field(default_factory=_f)
    isolated: np.ndarray = field(default_factory=_f)
    supervised_left: np.ndarray = field(default_factory=_f)
    support_left: np.ndarray = field(default_factory=_f)
    # needs and domains
    housing: np.ndarray = field(default_factory=_f)
    employed: np.ndarray = field(default_factory=_f)
    documents: np.ndarray = field(default_factory=_f)
    benefits: np.ndarray = field(default_factory=_f)
    legal_status: np.ndarray = field(default_factory=_f)
    in_care: np.ndarray = field(default_factory=_f)
    in_programme: np.ndarray = field(default_factory=_f)
    trust: np.ndarray = field(default_factory=_f)
    meaning: np.ndarray = field(default_factory=_f)
    trauma: np.ndarray = field(default_factory=_f)
    stigma: np.ndarray = field(default_factory=_f)
    stigma_exposure: np.ndarray = field(default_factory=_f)
    # household
    family_stability: np.ndarray = field(default_factory=_f)
    host_capacity: np.ndarray = field(default_factory=_f)
    youth_protection: np.ndarray = field(default_factory=_f)
    contact: np.ndarray = field(default_factory=_f)
    # information and release preparation
    info_admin: np.ndarray = field(default_factory=_f)
    info_care: np.ndarray = field(default_factory=_f)
    plan: np.ndarray = field(default_factory=_f)
    # sanctions
    stripped: np.ndarray = field(default_factory=_f)
    removal_order: np.ndarray = field(default_factory=_f)
    # Living Lab
    ll_member: np.ndarray = field(default_factory=_f)
    ll_months: np.ndarray = field(default_factory=_f)
    # social capital, derived from the network each month
    bonding: np.ndarray = field(default_factory=_f)
    bridging: np.ndarray = field(default_factory=_f)
    linking: np.ndarray = field(default_factory=_f)
    extremism: np.ndarray = field(default_factory=_f)
    # histories
    ever_terror: np.ndarray = field(default_factory=_f)
    ever_any: np.ndarray = field(default_factory=_f)
    ever_reincarcerated: np.ndarray = field(default_factory=_f)
    detention_months: np.ndarray = field(default_factory=_f)
    release_month: np.ndarray = field(default_factory=_f)
    months_to_housing: np.ndarray = field(default_factory=_f)
    # situation on the day of the last release (NaN until released)
    rel_housed: np.ndarray = field(default_factory=_f)
    rel_documented: np.ndarray = field(default_factory=_f)
    rel_care: np.ndarray = field(default_factory=_f)
    rel_family: np.ndarray = field(default_factory=_f)

    _BOOL = {
        "woman", "on_flight", "convicted", "isolated", "employed", "documents", "benefits", "legal_status", "in_care",
        "in_programme", "youth_protection", "stripped", "removal_order", "ll_member", "ever_terror",
        "ever_any", "ever_reincarcerated",
    }
    _INT = {
        "children", "citizenship", "municipality", "prison", "arrival", "custody", "housing",
        "release_month", "ll_months", "detention_months",
    }

    @classmethod
    def empty(cls, n: int) -> "Population":
        pop = cls(n)
        for f in fields(cls):
            if f.name == "n":
                continue
            dtype = bool if f.name in cls._BOOL else np.int64 if f.name in cls._INT else float
            setattr(pop, f.name, np.zeros(n, dtype=dtype))
        pop.release_month[:] = -1
        for name in ("months_to_housing", "rel_housed", "rel_documented", "rel_care", "rel_family"):
            getattr(pop, name)[:] = np.nan
        return pop

    # masks used by several processes
    def arrived(self) -> np.ndarray:
        return self.custody != NOT_ARRIVED

    def detained(self) -> np.ndarray:
        return (self.custody == PRETRIAL) | (self.custody == SENTENCED)

    def in_community(self) -> np.ndarray:
        return (self.custody == CONDITIONAL) | (self.custody == FREE)

    def present(self) -> np.ndarray:
        return (self.custody != NOT_ARRIVED) & (self.custody != REMOVED)
