"""Agencies: their types, instances (several prisons, one set per municipality) and ties.

Capacity is real: each agency has staff and a caseload limit per member of staff,
and carries a background caseload of other clients, so shortages bind through the
queue every client shares, not through a multiplier on returnees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEDERAL, REGIONAL, LOCAL = range(3)
LEVEL_NAMES = ("federal", "regional", "local")


@dataclass(frozen=True)
class AgencyType:
    name: str
    label: str
    level: int
    per: str  # "prison", "national" or "municipality"
    fte: float  # staff per instance at cohort scale 1 (community agencies)
    caseload_per_fte: float
    security_orientation: float


# Staff and caseloads of community agencies are the returnee-serving teams, not the
# whole organisation (assumption); prison capacity is staff per detainee, see agency_capacity.
AGENCY_TYPES: tuple[AgencyType, ...] = (
    AgencyType("prison", "prison", FEDERAL, "prison", 0.0, 0.0, 0.9),
    AgencyType("threat_assessment", "OCAD/CUTA threat assessment", FEDERAL, "national", 2.0, 30.0, 0.9),
    AgencyType("justice_house", "justice house (probation)", REGIONAL, "municipality", 2.0, 20.0, 0.5),
    AgencyType("local_cell", "local integrated security cell (LIVC-R/CSIL-R)", LOCAL, "municipality", 1.0, 30.0, 0.6),
    AgencyType("police", "local police", LOCAL, "municipality", 1.0, 40.0, 0.8),
    AgencyType("social_welfare", "public social welfare (OCMW/CPAS)", LOCAL, "municipality", 2.0, 25.0, 0.1),
    AgencyType("housing_service", "housing service", LOCAL, "municipality", 1.0, 25.0, 0.1),
    AgencyType("employment_service", "employment service (VDAB/Forem/Actiris)", REGIONAL, "municipality", 1.0, 30.0, 0.1),
    AgencyType("psychosocial_service", "psychosocial service", REGIONAL, "municipality", 1.5, 15.0, 0.2),
    AgencyType("counsellor", "religious or moral counsellor (imam/chaplain)", REGIONAL, "municipality", 0.5, 30.0, 0.1),
    AgencyType("youth_protection", "youth protection", REGIONAL, "municipality", 1.0, 15.0, 0.3),
)
TYPE_INDEX = {t.name: i for i, t in enumerate(AGENCY_TYPES)}

# Coordination ties by scope; each scope includes the ones before it.
# (type a, type b) pairs; "prison" pairs tie every prison to every municipality's agency.
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


@dataclass
class Agencies:
    """Agency instances and coordination ties, as arrays."""

    type: np.ndarray  # index into AGENCY_TYPES
    municipality: np.ndarray  # -1 for prisons and national agencies
    number: np.ndarray  # instance number within its type (prison number, municipality)
    level: np.ndarray
    capacity: np.ndarray  # clients it can serve per month at full staffing
    background: np.ndarray  # other clients' demand per month at background_load 1
    tables: dict[str, np.ndarray]  # type name -> agency id by prison/municipality number
    tie_a: np.ndarray
    tie_b: np.ndarray
    tie_scope: np.ndarray  # position of the tie's scope in SCOPE_ORDER
    tie_matrix: np.ndarray  # agency x agency -> tie id or -1
    prison_regime: np.ndarray  # per prison: standard-normal regime deviation (fixed)
    ll_participates: np.ndarray | None = None  # per agency: fixed draw, sends professionals if below the share

    @property
    def n(self) -> int:
        return len(self.type)

    def of(self, type_name: str, number: np.ndarray | int) -> np.ndarray:
        """Agency id(s) of one type for prison or municipality number(s); national agencies ignore it."""
        table = self.tables[type_name]
        if len(table) == 1:
            return np.broadcast_to(table[0], np.shape(number)).copy()
        return table[number]


def build_agencies(n_prisons: int, n_municipalities: int, scale: float, regime_z: np.ndarray) -> Agencies:
    """Create every agency instance and every potential coordination tie."""
    types, munis, numbers, index, count_of = [], [], [], {}, {}
    for t, spec in enumerate(AGENCY_TYPES):
        count = {"prison": n_prisons, "national": 1, "municipality": n_municipalities}[spec.per]
        count_of[spec.name] = count
        for k in range(count):
            index[(spec.name, k)] = len(types)
            types.append(t)
            numbers.append(k)
            munis.append(k if spec.per == "municipality" else -1)
    type_arr = np.array(types)
    fte = np.array([AGENCY_TYPES[t].fte for t in types]) * scale
    caseload = np.array([AGENCY_TYPES[t].caseload_per_fte for t in types])
    capacity = fte * caseload

    tables = {name: np.array([index[(name, k)] for k in range(count_of[name])]) for name in count_of}
    tie_a, tie_b, tie_scope = [], [], []
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
            tie_scope.extend([s] * len(pairs_a))
    n = len(types)
    matrix = np.full((n, n), -1)
    tie_a_arr, tie_b_arr = np.array(tie_a), np.array(tie_b)
    matrix[tie_a_arr, tie_b_arr] = np.arange(len(tie_a))
    matrix[tie_b_arr, tie_a_arr] = np.arange(len(tie_a))
    return Agencies(
        type=type_arr, municipality=np.array(munis), number=np.array(numbers),
        level=np.array([AGENCY_TYPES[t].level for t in types]), capacity=capacity, background=capacity.copy(),
        tables=tables, tie_a=tie_a_arr, tie_b=tie_b_arr, tie_scope=np.array(tie_scope), tie_matrix=matrix,
        prison_regime=regime_z,
    )
