"""Agencies: their types, instances (several prisons, one national OCAD, one set per municipality) and ties.

Capacity is real: each community agency serves a number of clients a month (a registry
parameter per type, ``capacity_<type>``, scaled by the cohort and its municipality's
share of returnees) and carries a background caseload of other clients, so shortages
bind through the queue every client shares, not through a multiplier on returnees.
Coordination ties are typed by the pair of agency types they join; each type carries
part of a returnee's case file (``submodels.coordination.ROUTES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .constants import NONE

LEVEL_NAMES = ("federal", "regional", "local")
FEDERAL, REGIONAL, LOCAL = range(len(LEVEL_NAMES))


@dataclass(frozen=True)
class AgencyType:
    name: str
    label: str
    level: int
    per: str  # "prison", "national" or "municipality"
    serves: bool  # has clients in a queue (a capacity_<name> parameter)


AGENCY_TYPES: tuple[AgencyType, ...] = (
    AgencyType("prison", "prison", FEDERAL, "prison", False),
    AgencyType("threat_assessment", "OCAD/CUTA threat assessment", FEDERAL, "national", False),
    AgencyType("justice_house", "justice house (probation)", REGIONAL, "municipality", True),
    AgencyType("local_cell", "local integrated security cell (LIVC-R/CSIL-R)", LOCAL, "municipality", True),
    AgencyType("police", "local police", LOCAL, "municipality", False),
    AgencyType("social_welfare", "public social welfare (OCMW/CPAS)", LOCAL, "municipality", True),
    AgencyType("housing_service", "housing service", LOCAL, "municipality", True),
    AgencyType("employment_service", "employment service (VDAB/Forem/Actiris)", REGIONAL, "municipality", True),
    AgencyType("psychosocial_service", "psychosocial service", REGIONAL, "municipality", True),
    AgencyType("counsellor", "religious or moral counsellor (imam/chaplain)", REGIONAL, "municipality", True),
    AgencyType("youth_protection", "youth protection", REGIONAL, "municipality", True),
)
TYPE_INDEX = {t.name: i for i, t in enumerate(AGENCY_TYPES)}
SERVICE_TYPES = tuple(t.name for t in AGENCY_TYPES if t.serves)
SERVICE_INDEX = {name: i for i, name in enumerate(SERVICE_TYPES)}
PRIORITY_TYPES = ("housing_service", "employment_service", "social_welfare")  # where tailored access gives priority

# Coordination ties by scope; each scope includes the ones before it. A pair of a per-prison or
# national type with a municipal type ties every prison (or OCAD) to every municipality's agency.
COORDINATION_TIES: dict[str, tuple[tuple[str, str], ...]] = {
    "local": (
        ("local_cell", "police"),
        ("local_cell", "social_welfare"),
        ("social_welfare", "housing_service"),
    ),
    "chain": (
        ("prison", "justice_house"),
        ("justice_house", "social_welfare"),
        ("justice_house", "local_cell"),
        ("threat_assessment", "local_cell"),
    ),
    "full": (
        ("prison", "psychosocial_service"),
        ("prison", "social_welfare"),
        ("psychosocial_service", "social_welfare"),
        ("psychosocial_service", "justice_house"),
        ("youth_protection", "social_welfare"),
        ("youth_protection", "justice_house"),
        ("employment_service", "social_welfare"),
        ("housing_service", "justice_house"),
        ("counsellor", "psychosocial_service"),
    ),
}
SCOPE_ORDER = ("local", "chain", "full")
TIE_TYPES = tuple(pair for scope in SCOPE_ORDER for pair in COORDINATION_TIES[scope])


def tie_name(pair: tuple[str, str]) -> str:
    return f"{pair[0]}-{pair[1]}"


@dataclass
class Agencies:
    """Agency instances and coordination ties, as arrays (the same in every replicate of a batch)."""

    type: np.ndarray  # index into AGENCY_TYPES
    municipality: np.ndarray  # NONE for prisons and national agencies
    level: np.ndarray
    capacity: np.ndarray  # clients it can serve per month at full staffing (0 where it has no queue)
    tables: dict[str, np.ndarray]  # type name -> agency id by prison/municipality number
    tie_a: np.ndarray
    tie_b: np.ndarray
    tie_type: np.ndarray  # index into TIE_TYPES
    tie_scope: np.ndarray  # position of the tie's scope in SCOPE_ORDER
    tie_matrix: np.ndarray  # agency x agency -> tie id or NONE
    _ends: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # ends_by_place's tables

    @property
    def n(self) -> int:
        return len(self.type)

    @cached_property
    def _local(self) -> np.ndarray:
        """Agency id by type index and municipality (national agencies in every column; prisons NONE)."""
        n_m = max(len(self.tables[t.name]) for t in AGENCY_TYPES if t.per == "municipality")
        out = np.full((len(AGENCY_TYPES), n_m), NONE, dtype=np.int64)
        for t in AGENCY_TYPES:
            if t.per != "prison":
                out[TYPE_INDEX[t.name]] = self.of(t.name, np.arange(n_m))
        return out

    def in_municipality(self, type_index: np.ndarray, municipality: np.ndarray) -> np.ndarray:
        """Agency ids of mixed types (indices into AGENCY_TYPES, none a prison) for municipality numbers."""
        return self._local[type_index, municipality]

    def ends_by_place(self, a_type: str, b_type: str) -> tuple[np.ndarray, ...]:
        """For every place (prison x municipalities + municipality): the agencies of the two types, whether they
        sit at different governance levels, whether a tie joins them and its id (0 without one). Worked out once."""
        found = self._ends.get((a_type, b_type))
        if found is None:
            n_m = self._local.shape[1]
            prison, municipality = np.divmod(np.arange(len(self.tables["prison"]) * n_m), n_m)
            a = self.of(a_type, prison if a_type == "prison" else municipality)
            b = self.of(b_type, prison if b_type == "prison" else municipality)
            tie = self.tie_matrix[a, b]
            found = self._ends[(a_type, b_type)] = (a, b, self.level[a] != self.level[b], tie >= 0, np.maximum(tie, 0))
        return found

    def of(self, type_name: str, number: np.ndarray) -> np.ndarray:
        """Agency id(s) of one type for prison or municipality number(s); the national agency ignores them."""
        table = self.tables[type_name]
        if AGENCY_TYPES[TYPE_INDEX[type_name]].per == "national":
            return np.broadcast_to(table[0], np.shape(number)).copy()
        return table[number]


def build_agencies(n_prisons: int, n_municipalities: int, scale: float, weights: np.ndarray,
                   capacity: dict[str, float]) -> Agencies:
    """Every agency instance and every potential coordination tie; ``capacity`` by type (``capacity_<type>``)."""
    types, munis, index, count_of = [], [], {}, {}
    for t, spec in enumerate(AGENCY_TYPES):
        count = {"prison": n_prisons, "national": 1, "municipality": n_municipalities}[spec.per]
        count_of[spec.name] = count
        for k in range(count):
            index[(spec.name, k)] = len(types)
            types.append(t)
            munis.append(k if spec.per == "municipality" else NONE)
    type_arr, muni_arr = np.array(types), np.array(munis)
    cap = np.array([capacity.get(AGENCY_TYPES[t].name, 0.0) for t in types]) * scale
    local = muni_arr >= 0
    cap[local] *= weights[muni_arr[local]]  # sized to the municipality's expected share of returnees

    tables = {name: np.array([index[(name, k)] for k in range(count_of[name])]) for name in count_of}
    tie_a, tie_b, tie_kind, tie_scope = [], [], [], []
    for s, scope in enumerate(SCOPE_ORDER):
        for a_name, b_name in COORDINATION_TIES[scope]:
            ids_a, ids_b = tables[a_name], tables[b_name]
            both_local = AGENCY_TYPES[TYPE_INDEX[a_name]].per == AGENCY_TYPES[TYPE_INDEX[b_name]].per == "municipality"
            if both_local:  # the two agencies of one municipality
                pairs_a, pairs_b = ids_a, ids_b
            else:  # every prison (or the national agency) with every municipality's agency
                pairs_a, pairs_b = (x.ravel() for x in np.meshgrid(ids_a, ids_b, indexing="ij"))
            tie_a.extend(pairs_a.tolist())
            tie_b.extend(pairs_b.tolist())
            tie_kind.extend([TIE_TYPES.index((a_name, b_name))] * len(pairs_a))
            tie_scope.extend([s] * len(pairs_a))
    n = len(types)
    matrix = np.full((n, n), NONE)
    tie_a_arr, tie_b_arr = np.array(tie_a), np.array(tie_b)
    matrix[tie_a_arr, tie_b_arr] = np.arange(len(tie_a))
    matrix[tie_b_arr, tie_a_arr] = np.arange(len(tie_a))
    return Agencies(
        type=type_arr, municipality=muni_arr,
        level=np.array([AGENCY_TYPES[t].level for t in types]), capacity=cap, tables=tables,
        tie_a=tie_a_arr, tie_b=tie_b_arr, tie_type=np.array(tie_kind), tie_scope=np.array(tie_scope), tie_matrix=matrix,
    )
