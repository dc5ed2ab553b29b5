"""Outcomes: what is measured each month, with its denominator, overall and per group.

Person-level outcomes are computed for every group at once as two matrix products
(numerators and denominators) over a fixed group-membership matrix, so breakdowns by
gender and citizenship cost almost nothing. Groups are one-way (never crossed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar import month_to_date
from .state import CITIZENSHIP_NAMES, REMOVED, STABLE
from .submodels.community import admin_clarity


@dataclass(frozen=True)
class Outcome:
    name: str
    label: str
    kind: str  # count | share | mean
    denominator: str  # for shares and means: who is counted
    higher_is_better: bool | None = None
    # the smallest difference worth a verdict, in the outcome's units (experiments.verdicts); assumption: what
    # a policy discussion would act on (2 percentage points or 0.02 of a 0-1 score, half a point of the rare
    # terrorism re-offending, 1 point of any re-offending, one million euros)
    meaningful: float | None = None


# Denominators: community = living in Belgium outside prison; present = in Belgium
# (detained or not); arrived = everyone who has arrived (removals included);
# released = everyone released at least once; housed_after_release = those who
# found stable housing after a release.
PERSON_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("arrived", "Returnees arrived", "count", "-"),
    Outcome("in_detention", "In detention", "count", "-"),
    Outcome("in_community", "In the community", "count", "-"),
    Outcome("removed", "Removed from Belgium", "count", "-"),
    Outcome("stably_housed", "Stably housed", "share", "community", True, 0.02),
    Outcome("family_stability", "Family stability", "mean", "present", True, 0.02),
    Outcome("admin_clarity", "Administrative clarity", "mean", "community", True, 0.02),
    Outcome("psychosocial_continuity", "Psychosocial continuity", "share", "community", True, 0.02),
    Outcome("employed", "Employed", "share", "community", True, 0.02),
    Outcome("trust", "Trust in institutions", "mean", "present", True, 0.02),
    Outcome("bonding", "Bonding capital", "mean", "present", True, 0.02),
    Outcome("bridging", "Bridging capital", "mean", "present", True, 0.02),
    Outcome("linking", "Linking capital", "mean", "present", True, 0.02),
    Outcome("reintegration_index", "Reintegration index", "mean", "present", True, 0.02),
    Outcome("reoffended_terror_cum", "Terrorism re-offending (cumulative)", "share", "arrived", False, 0.005),
    Outcome("reoffended_any_cum", "Any re-offending (cumulative)", "share", "arrived", False, 0.01),
    Outcome("reincarcerated_cum", "Re-incarcerated (cumulative)", "share", "arrived", False, 0.01),
    Outcome("living_lab_participants", "Living Lab participants", "count", "-"),
    Outcome("housed_at_release", "Stably housed on the day of release", "share", "released", True, 0.02),
    Outcome("documented_at_release", "Documented on the day of release", "share", "released", True, 0.02),
    Outcome("care_at_release", "In care on the day of release", "share", "released", True, 0.02),
    Outcome("family_stability_at_release", "Family stability on the day of release", "mean", "released", True, 0.02),
    Outcome("months_to_stable_housing", "Months from release to stable housing", "mean", "housed_after_release", False),
    Outcome("detention_months", "Months in detention per returnee", "mean", "arrived", None),
    Outcome("withdrawn", "Nationality or residence withdrawn", "count", "-"),
    Outcome("youth_protection", "Families with youth protection involved", "count", "-"),
    Outcome("extremist_ties", "Extremist ties", "mean", "present", False),
    Outcome("programme_participation", "In a prison programme", "share", "detention", True),
)
MODEL_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("coordination_meetings", "Coordination meetings held", "count", "-"),
    Outcome("cost_eur", "Public cost this month (EUR)", "count", "-", False),
    Outcome("cost_eur_cum", "Public cost to date (EUR)", "count", "-", False, 1e6),
    Outcome("prison_density", "Prison density (detainees per place)", "mean", "-", False),
    Outcome("staff_per_detainee", "Prison staff present per detainee", "mean", "-", True),
    Outcome("agency_workload", "Community agency workload (demand / capacity)", "mean", "-", False),
    Outcome("public_stigma", "Public stigma", "mean", "-", False),
)
OUTCOMES = {o.name: o for o in PERSON_OUTCOMES + MODEL_OUTCOMES}
# The public column contract of timeseries.csv (issue 2): these come first, in this order.
CONTRACT_COLUMNS = (
    "month", "date", "arrived", "in_detention", "in_community", "removed", "stably_housed", "family_stability",
    "admin_clarity", "psychosocial_continuity", "employed", "trust", "bonding", "bridging", "linking",
    "reintegration_index", "reoffended_terror_cum", "reoffended_any_cum", "reincarcerated_cum",
    "living_lab_participants", "coordination_meetings", "cost_eur",
)
GROUPS: tuple[tuple[str, str], ...] = (
    ("gender", "woman"), ("gender", "man"),
    *(("citizenship", name) for name in CITIZENSHIP_NAMES),
)


def group_matrix(pop) -> np.ndarray:
    """Rows: everyone, then each one-way group; columns: returnees."""
    rows = [np.ones(pop.n, dtype=bool), pop.woman, ~pop.woman]
    rows += [pop.citizenship == c for c in range(len(CITIZENSHIP_NAMES))]
    return np.array(rows, dtype=float)


def reintegration_index(model) -> np.ndarray:
    p, pop = model.p, model.pop
    weights = np.array([p.weight_housing, p.weight_family, p.weight_admin, p.weight_care, p.weight_work, p.weight_trust])
    parts = np.stack([pop.housing == STABLE, pop.family_stability, admin_clarity(pop), pop.in_care, pop.employed, pop.trust])
    return weights @ parts / max(weights.sum(), 1e-12)


class Recorder:
    """Collects every outcome each month into preallocated arrays."""

    def __init__(self, model, months: int):
        self.groups = group_matrix(model.pop)
        k = len(PERSON_OUTCOMES)
        self.num = np.zeros((months, len(self.groups), k))
        self.den = np.zeros((months, len(self.groups), k))
        self.model_values = np.zeros((months, len(MODEL_OUTCOMES)))
        self.months = 0

    def collect(self, model) -> None:
        pop = model.pop
        arrived, present, detained, out = pop.arrived(), pop.present(), pop.detained(), pop.in_community()
        released = pop.release_month >= 0
        one = np.ones(pop.n)
        housed_after = ~np.isnan(pop.months_to_housing)
        denominators = {"-": one, "community": out, "present": present, "arrived": arrived,
                        "released": released, "housed_after_release": housed_after, "detention": detained}
        values = {
            "arrived": arrived, "in_detention": detained, "in_community": out, "removed": pop.custody == REMOVED,
            "stably_housed": pop.housing == STABLE, "family_stability": pop.family_stability,
            "admin_clarity": admin_clarity(pop), "psychosocial_continuity": pop.in_care, "employed": pop.employed,
            "trust": pop.trust, "bonding": pop.bonding, "bridging": pop.bridging, "linking": pop.linking,
            "reintegration_index": reintegration_index(model),
            "reoffended_terror_cum": pop.ever_terror, "reoffended_any_cum": pop.ever_any,
            "reincarcerated_cum": pop.ever_reincarcerated, "living_lab_participants": pop.ll_member,
            "housed_at_release": pop.rel_housed, "documented_at_release": pop.rel_documented,
            "care_at_release": pop.rel_care, "family_stability_at_release": pop.rel_family,
            "months_to_stable_housing": pop.months_to_housing, "detention_months": pop.detention_months,
            "withdrawn": pop.stripped & arrived, "youth_protection": pop.youth_protection & present,
            "extremist_ties": pop.extremism, "programme_participation": pop.in_programme,
        }
        d = np.stack([denominators[o.denominator] for o in PERSON_OUTCOMES]).astype(float)
        v = np.stack([values[o.name] for o in PERSON_OUTCOMES]).astype(float)
        v[d == 0] = 0.0  # undefined values (NaN before a release) sit outside their denominator
        t = self.months
        self.num[t] = ((v * d) @ self.groups.T).T
        self.den[t] = (d @ self.groups.T).T
        self.model_values[t] = (model.meetings, model.cost, model.cost_cum, model.density,
                                model.staff_per_detainee, model.workload, model.public_stigma)
        self.months += 1

    def _person_table(self, group: int) -> dict[str, np.ndarray]:
        t = self.months
        num, den = self.num[:t, group], self.den[:t, group]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = num / den
        return {o.name: (num[:, k] if o.kind == "count" else ratio[:, k]) for k, o in enumerate(PERSON_OUTCOMES)}

    def timeseries(self) -> pd.DataFrame:
        t = self.months
        table = {"month": np.arange(t), "date": [month_to_date(m) for m in range(t)]}
        table.update(self._person_table(0))
        table.update({o.name: self.model_values[:t, k] for k, o in enumerate(MODEL_OUTCOMES)})
        rest = [c for c in table if c not in CONTRACT_COLUMNS]
        return pd.DataFrame(table)[list(CONTRACT_COLUMNS) + rest]

    def timeseries_by_group(self) -> pd.DataFrame:
        t = self.months
        frames = []
        for g, (group_by, group) in enumerate(GROUPS, start=1):
            table = {"month": np.arange(t), "date": [month_to_date(m) for m in range(t)],
                     "group_by": group_by, "group": group}
            table.update(self._person_table(g))
            frames.append(pd.DataFrame(table))
        return pd.concat(frames, ignore_index=True)
