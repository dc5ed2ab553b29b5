"""The model's state, declared in one place and created whole at initialisation.

Everything a month reads or writes is an array here, with a leading replicate axis: a
batch of R runs keeps replicate r in row r of every array (``Population``: R x returnees;
``World``: R x prisons, agencies, ties...; the network's ties in ``model.network``).
A single run is a batch of one. Each submodel declares the fields it reads and writes
(``READS``/``WRITES``), and ``tests/model/test_state.py`` checks the declarations.

Each returnee has one household (family); slot i is both returnee i and that returnee's
family. The Mesa agents of ``model.agents`` are views onto a slot of one replicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from .constants import NONE

# Custody states. Detention counts pre-trial, sentenced and limited detention (as prison
# statistics do); the community counts electronic monitoring, conditional release and free.
# Lost: in Belgium, out of the authorities' view. The rest have left Belgium.
CUSTODY_NAMES = ("not_arrived", "pretrial", "sentenced", "limited_detention", "electronic_monitoring",
                 "conditional_release", "free", "lost_to_contact", "removed", "dead", "departed", "transferred",
                 "emigrated")
(NOT_ARRIVED, PRETRIAL, SENTENCED, LIMITED_DETENTION, ELECTRONIC_MONITORING, CONDITIONAL, FREE, LOST, REMOVED,
 DEAD, DEPARTED, TRANSFERRED, EMIGRATED) = range(len(CUSTODY_NAMES))


def _custody_table(*codes: int) -> np.ndarray:
    """A mask by custody code: one lookup per person instead of a comparison per code."""
    table = np.zeros(len(CUSTODY_NAMES), dtype=bool)
    table[list(codes)] = True
    table.flags.writeable = False
    return table


_CLOSED_CELL = (PRETRIAL, SENTENCED)
_DETAINED = (*_CLOSED_CELL, LIMITED_DETENTION)
_COMMUNITY = (ELECTRONIC_MONITORING, CONDITIONAL, FREE)
_IN_CLOSED_CELL, _IS_DETAINED, _IN_COMMUNITY = (_custody_table(*c) for c in (_CLOSED_CELL, _DETAINED, _COMMUNITY))
_IS_PRESENT = _custody_table(*_DETAINED, *_COMMUNITY)
_IN_BELGIUM = _custody_table(*_DETAINED, *_COMMUNITY, LOST)

EXIT_STATES = (DEAD, DEPARTED, TRANSFERRED, EMIGRATED, LOST)  # each exit type, with removal its own count

# Citizenship groups. A stripped dual national stays in the dual group.
CITIZENSHIP_NAMES = ("belgian", "dual", "resident")
BELGIAN, DUAL, RESIDENT = range(len(CITIZENSHIP_NAMES))

# Housing.
HOUSING_NAMES = ("none", "precarious", "stable")
NO_HOUSING, PRECARIOUS, STABLE = range(len(HOUSING_NAMES))

_BOOL = {
    "woman", "on_flight", "convicted", "isolated", "on_leave", "employed", "documents", "benefits", "legal_status",
    "in_care", "counselled", "in_programme", "policed", "family_file", "youth_protection", "contact", "stripped",
    "removal_order", "ll_member", "ll_known", "case_pending", "case_terror", "ever_terror", "ever_any",
    "reconv_terror", "reconv_any", "ever_reincarcerated", "ever_released",
}
_INT = {"children", "citizenship", "municipality", "prison", "arrival", "custody", "housing", "release_month",
        "first_release_month", "first_reconviction_after_release"}
_NAN = {"months_to_housing", "rel_housed", "rel_documented", "rel_care", "rel_family"}
_NEVER = {"release_month", "first_release_month", "first_reconviction_after_release"}


@dataclass
class Population:
    """Returnee and household state, replicates x returnees. Construct with ``Population.empty(R, n)``."""

    n: int
    # attributes fixed on arrival (municipality changes with moves; sentence and convicted with new cases)
    woman: np.ndarray = field(default=None)
    age0: np.ndarray = field(default=None)  # age on arrival
    children: np.ndarray = field(default=None)
    citizenship: np.ndarray = field(default=None)
    municipality: np.ndarray = field(default=None)
    prison: np.ndarray = field(default=None)
    arrival: np.ndarray = field(default=None)
    on_flight: np.ndarray = field(default=None)
    sentence: np.ndarray = field(default=None)
    convicted: np.ndarray = field(default=None)
    # fixed personal draws reused each month (a stable threshold, not a new draw)
    detain_u: np.ndarray = field(default=None)
    isolation_u: np.ndarray = field(default=None)
    ll_family_u: np.ndarray = field(default=None)
    ll_refusal_u: np.ndarray = field(default=None)  # a participant's reluctance: whoever refuses tends to refuse again
    stigma_exposure: np.ndarray = field(default=None)
    # custody
    custody: np.ndarray = field(default=None)
    pretrial_left: np.ndarray = field(default=None)
    months_left: np.ndarray = field(default=None)
    served: np.ndarray = field(default=None)
    isolated: np.ndarray = field(default=None)
    on_leave: np.ndarray = field(default=None)
    supervised_left: np.ndarray = field(default=None)  # conditional release, electronic monitoring, post-sentence
    support_left: np.ndarray = field(default=None)
    # a new case between detection and judgment (observation model)
    case_pending: np.ndarray = field(default=None)
    case_terror: np.ndarray = field(default=None)
    trial_left: np.ndarray = field(default=None)
    # needs and domains
    housing: np.ndarray = field(default=None)
    employed: np.ndarray = field(default=None)
    documents: np.ndarray = field(default=None)
    benefits: np.ndarray = field(default=None)
    legal_status: np.ndarray = field(default=None)
    in_care: np.ndarray = field(default=None)
    counselled: np.ndarray = field(default=None)
    in_programme: np.ndarray = field(default=None)
    trust: np.ndarray = field(default=None)
    meaning: np.ndarray = field(default=None)
    trauma: np.ndarray = field(default=None)
    stigma: np.ndarray = field(default=None)
    # what agencies hold: risk information (local cell follow-up, police), work file, family file
    cell_left: np.ndarray = field(default=None)
    policed: np.ndarray = field(default=None)
    job_file_left: np.ndarray = field(default=None)
    family_file: np.ndarray = field(default=None)
    # household
    family_stability: np.ndarray = field(default=None)
    host_capacity: np.ndarray = field(default=None)
    family_support_left: np.ndarray = field(default=None)
    youth_protection: np.ndarray = field(default=None)
    contact: np.ndarray = field(default=None)
    # release preparation
    plan: np.ndarray = field(default=None)
    # sanctions
    stripped: np.ndarray = field(default=None)
    removal_order: np.ndarray = field(default=None)
    # Living Lab: membership, being known as a participant, sessions attended this month, freshness of the
    # person's file as discussed there
    ll_member: np.ndarray = field(default=None)
    ll_known: np.ndarray = field(default=None)
    ll_attended: np.ndarray = field(default=None)
    ll_file: np.ndarray = field(default=None)
    # social capital and extremist ties, derived from the network each month
    bonding: np.ndarray = field(default=None)
    bridging: np.ndarray = field(default=None)
    linking: np.ndarray = field(default=None)
    extremism: np.ndarray = field(default=None)
    # procedural justice of this month's encounters with institutions (sum of justice x weight, and weight)
    justice_sum: np.ndarray = field(default=None)
    justice_weight: np.ndarray = field(default=None)
    # histories: offences (model truth), reconvictions (the record), custody and release
    ever_terror: np.ndarray = field(default=None)
    ever_any: np.ndarray = field(default=None)
    reconv_terror: np.ndarray = field(default=None)
    reconv_any: np.ndarray = field(default=None)
    ever_reincarcerated: np.ndarray = field(default=None)
    ever_released: np.ndarray = field(default=None)
    detention_months: np.ndarray = field(default=None)
    outside_cell_months: np.ndarray = field(default=None)
    release_month: np.ndarray = field(default=None)
    months_to_housing: np.ndarray = field(default=None)
    # recidivism as studies count it, from the first release from prison (months -1 until they happen): the
    # month of that release, of the first reconviction judged after it, the number of reconvictions (any offence)
    # judged after it, and the months at risk after it (outside a closed cell in Belgium, as ``offending`` counts)
    first_release_month: np.ndarray = field(default=None)
    first_reconviction_after_release: np.ndarray = field(default=None)
    reconvictions_after_release: np.ndarray = field(default=None)
    risk_months_after_release: np.ndarray = field(default=None)
    # situation on the day of the last release (NaN until released)
    rel_housed: np.ndarray = field(default=None)
    rel_documented: np.ndarray = field(default=None)
    rel_care: np.ndarray = field(default=None)
    rel_family: np.ndarray = field(default=None)
    # person-months and offences at risk, by housing (run-derived figures; never in an output table)
    risk_months_housed: np.ndarray = field(default=None)
    risk_months_unhoused: np.ndarray = field(default=None)
    offences_housed: np.ndarray = field(default=None)
    offences_unhoused: np.ndarray = field(default=None)

    @classmethod
    def empty(cls, replicates: int, n: int) -> "Population":
        pop = cls(n)
        for f in fields(cls):
            if f.name == "n":
                continue
            dtype = bool if f.name in _BOOL else np.int64 if f.name in _INT else float
            value = np.full((replicates, n), np.nan) if f.name in _NAN else np.zeros((replicates, n), dtype=dtype)
            if f.name in _NEVER:
                value[:] = NONE
            setattr(pop, f.name, value)
        return pop

    def arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "n"}

    # masks used by several processes
    def arrived(self) -> np.ndarray:
        return self.custody != NOT_ARRIVED

    def detained(self) -> np.ndarray:
        return _IS_DETAINED[self.custody]

    def closed_cell(self) -> np.ndarray:
        return _IN_CLOSED_CELL[self.custody]

    def in_community(self) -> np.ndarray:
        return _IN_COMMUNITY[self.custody]

    def present(self) -> np.ndarray:
        """In Belgium and in the authorities' view: detained or in the community."""
        return _IS_PRESENT[self.custody]

    def in_belgium(self) -> np.ndarray:
        """Present, or lost to contact (still in Belgium, and still able to offend)."""
        return _IN_BELGIUM[self.custody]

    def supervised(self) -> np.ndarray:
        return self.in_community() & (self.supervised_left > 0)


@dataclass
class World:
    """Everything else a month reads and writes, per replicate: prisons, agencies, coordination, stigma, cost."""

    prison_density: np.ndarray  # replicates x prisons
    staff_per_detainee: np.ndarray  # replicates x prisons
    prison_access: np.ndarray  # replicates x prisons: programme and care access in an ordinary regime
    contact_regime: np.ndarray  # replicates x prisons: share of visits the regime allows
    overtime: np.ndarray  # replicates: share of prison staff time worked as overtime
    staff_time: np.ndarray  # replicates x agencies: capacity taken by meetings and Living Lab sessions
    service: np.ndarray  # replicates x service types x municipalities: chance a client is served this month
    workload: np.ndarray  # replicates: mean demand over capacity of community agencies
    tie_freshness: np.ndarray  # replicates x coordination ties
    meetings: np.ndarray  # replicates: coordination meetings held this month
    ll_met: np.ndarray  # replicates x agencies: sent professionals to a Living Lab session this month
    ll_sessions: np.ndarray  # replicates: sessions held this month (all municipalities)
    shock: np.ndarray  # replicates: media-shock stigma
    public_stigma: np.ndarray  # replicates
    cost: np.ndarray  # replicates x cost items (outcomes.COST_ITEMS): this month
    cost_cum: np.ndarray  # replicates: to date

    def arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
