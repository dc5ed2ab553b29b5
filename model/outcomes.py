"""Outcomes: what is measured each month, with its denominator, overall and per group, for every replicate.

Person-level outcomes are computed for every group at once as two products (numerators
and denominators) over a fixed group-membership matrix, so breakdowns by gender and
citizenship cost almost nothing. Groups are one-way (never crossed). Present-based shares
count the people in Belgium and in view (or those in the community); ``*_cohort`` columns
count the same numerators over the whole arrived cohort, where detention, removal, the
other exits and loss of contact are competing states of their own, so no exit from a
denominator can raise them. Offences (``reoffended_*``) are model truth; reconvictions
(``reconvicted_*``) are what the record counts. ``*_after_release`` columns count reconvictions
as recidivism studies do: from the first release from prison, within a fixed window
(1 or 2 years, over those released at least that long ago) or per 100 person-years at risk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import kernels
from .arrays import group_sum, ratio
from .calendar import month_to_date
from .constants import FOLLOW_UP_1Y_MONTHS, FOLLOW_UP_2Y_MONTHS, MONTHS_PER_YEAR, NONE, RATE_PERSON_YEARS
from .state import (CITIZENSHIP_NAMES, DEAD, DEPARTED, ELECTRONIC_MONITORING, EMIGRATED, LIMITED_DETENTION, LOST,
                    REMOVED, STABLE, TRANSFERRED)
from .submodels.community import admin_clarity


@dataclass(frozen=True)
class Outcome:
    name: str
    label: str
    kind: str  # count | share | mean | rate (events per 100 person-years)
    denominator: str  # for shares, means and rates: who is counted (for a rate: their months at risk)
    higher_is_better: bool | None = None


# Denominators: community = in Belgium outside prison; present = in Belgium and in view (detained or not);
# arrived = everyone who has arrived (the fixed cohort: exits included); released = everyone released at least
# once; housed_after_release = those who found stable housing after a release; detention = detainees;
# convicted = everyone convicted at least once; released_12m / released_24m = first released from prison at least
# 12 / 24 months before this month; risk_months_after_release = months at risk since the first release (a weight,
# not a head count: a rate's value per person is its events x 1200 / its months, so the ratio of the sums is
# events per 100 person-years).
PERSON_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("arrived", "Returnees arrived", "count", "-"),
    Outcome("in_detention", "In detention (incl. limited detention)", "count", "-"),
    Outcome("in_community", "In the community (incl. electronic monitoring)", "count", "-"),
    Outcome("removed", "Removed from Belgium", "count", "-"),
    Outcome("stably_housed", "Stably housed (of those in the community)", "share", "community", True),
    Outcome("family_stability", "Family stability (of those present)", "mean", "present", True),
    Outcome("admin_clarity", "Administrative clarity (of those in the community)", "mean", "community", True),
    Outcome("psychosocial_continuity", "Psychosocial continuity (of those in the community)", "share", "community", True),
    Outcome("employed", "Employed (of those in the community)", "share", "community", True),
    Outcome("trust", "Trust in institutions (of those present)", "mean", "present", True),
    Outcome("bonding", "Bonding capital", "mean", "present", True),
    Outcome("bridging", "Bridging capital", "mean", "present", True),
    Outcome("linking", "Linking capital", "mean", "present", True),
    Outcome("reintegration_index", "Reintegration index (of those present)", "mean", "present", True),
    Outcome("reoffended_terror_cum", "Terrorism offences committed (cumulative, model truth)", "share", "arrived", False),
    Outcome("reoffended_any_cum", "Any offence committed (cumulative, model truth)", "share", "arrived", False),
    Outcome("reincarcerated_cum", "Re-incarcerated (cumulative)", "share", "arrived", False),
    Outcome("living_lab_participants", "Living Lab participants", "count", "-"),
    Outcome("housed_at_release", "Stably housed on the day of release", "share", "released", True),
    Outcome("documented_at_release", "Documented on the day of release", "share", "released", True),
    Outcome("care_at_release", "In care on the day of release", "share", "released", True),
    Outcome("family_stability_at_release", "Family stability on the day of release", "mean", "released", True),
    Outcome("months_to_stable_housing", "Months from release to stable housing", "mean", "housed_after_release", False),
    Outcome("detention_months", "Months in detention per returnee", "mean", "arrived", None),
    Outcome("withdrawn", "Nationality or residence withdrawn", "count", "-"),
    Outcome("youth_protection", "Families with youth protection involved", "count", "-"),
    Outcome("extremist_ties", "Extremist ties", "mean", "present", False),
    Outcome("programme_participation", "In a prison programme", "share", "detention", True),
    # model 0.2: exits, custody modalities, reconvictions, the fixed cohort
    Outcome("dead", "Died", "count", "-"),
    Outcome("departed", "Left again for a conflict zone", "count", "-"),
    Outcome("transferred", "Transferred or extradited abroad", "count", "-"),
    Outcome("emigrated", "Emigrated", "count", "-"),
    Outcome("lost_to_contact", "Lost to contact (in Belgium, out of view)", "count", "-"),
    Outcome("on_electronic_monitoring", "On electronic monitoring", "count", "-"),
    Outcome("in_limited_detention", "In limited detention", "count", "-"),
    Outcome("on_penitentiary_leave", "On penitentiary leave this month", "count", "-"),
    Outcome("supervised", "Supervised in the community", "count", "-"),
    Outcome("followed_by_local_cell", "Followed by a local integrated security cell", "count", "-"),
    Outcome("outside_cell_months", "Months of sentence served outside a closed cell per returnee", "mean", "arrived", None),
    Outcome("reconvicted_terror_cum", "Reconvicted of a terrorism offence (cumulative)", "share", "arrived", False),
    Outcome("reconvicted_any_cum", "Reconvicted of any offence (cumulative)", "share", "arrived", False),
    Outcome("reconvicted_terror_convicted", "Reconvicted of terrorism, of those ever convicted", "share", "convicted", False),
    Outcome("stably_housed_cohort", "Stably housed in the community (of the arrived cohort)", "share", "arrived", True),
    Outcome("family_stability_cohort", "Family stability (over the arrived cohort; 0 for those gone)", "mean", "arrived", True),
    Outcome("admin_clarity_cohort", "Administrative clarity in the community (over the arrived cohort)", "mean", "arrived", True),
    Outcome("psychosocial_continuity_cohort", "In care in the community (of the arrived cohort)", "share", "arrived", True),
    Outcome("employed_cohort", "Employed in the community (of the arrived cohort)", "share", "arrived", True),
    Outcome("trust_cohort", "Trust (over the arrived cohort; 0 for those gone)", "mean", "arrived", True),
    Outcome("bonding_cohort", "Bonding capital (over the arrived cohort)", "mean", "arrived", True),
    Outcome("bridging_cohort", "Bridging capital (over the arrived cohort)", "mean", "arrived", True),
    Outcome("linking_cohort", "Linking capital (over the arrived cohort)", "mean", "arrived", True),
    Outcome("reintegration_index_cohort", "Reintegration index (over the arrived cohort; 0 for those gone)", "mean", "arrived", True),
    Outcome("share_detained_cohort", "In detention (of the arrived cohort)", "share", "arrived", None),
    Outcome("share_community_cohort", "In the community (of the arrived cohort)", "share", "arrived", None),
    Outcome("share_removed_cohort", "Removed (of the arrived cohort)", "share", "arrived", None),
    Outcome("share_exited_cohort", "Died, left, transferred or emigrated (of the arrived cohort)", "share", "arrived", None),
    Outcome("share_lost_cohort", "Lost to contact (of the arrived cohort)", "share", "arrived", None),
    # recidivism as studies report it: from the first release from prison, in a fixed window or per person-time
    Outcome("reconvicted_1y_after_release",
            "Reconvicted within 1 year of first release (of those released at least 1 year ago)", "share",
            "released_12m", False),
    Outcome("reconvicted_2y_after_release",
            "Reconvicted within 2 years of first release (of those released at least 2 years ago)", "share",
            "released_24m", False),
    Outcome("reconviction_rate_after_release", "Reconvictions after first release (per 100 person-years at risk)",
            "rate", "risk_months_after_release", False),
)
COST_ITEMS = ("detention", "electronic_monitoring", "supervision", "services", "monitoring", "living_lab", "meetings")
MODEL_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("coordination_meetings", "Coordination meetings held", "count", "-"),
    Outcome("cost_eur", "Public cost this month (EUR)", "count", "-", False),
    Outcome("cost_eur_cum", "Public cost to date (EUR)", "count", "-", False),
    Outcome("prison_density", "Prison density (detainees per place)", "mean", "-", False),
    Outcome("staff_per_detainee", "Prison staff present per detainee (overtime included)", "mean", "-", True),
    Outcome("agency_workload", "Community agency workload (demand / capacity)", "mean", "-", False),
    Outcome("public_stigma", "Public stigma", "mean", "-", False),
    Outcome("overtime_share", "Share of prison staff time worked as overtime", "mean", "-", False),
    Outcome("access_spread_prisons", "Spread of programme access between prisons (sd, weighted by returnee detainees)",
            "mean", "-", False),
    Outcome("housing_spread_municipalities", "Spread of stable housing between municipalities (sd, weighted)",
            "mean", "-", False),
    Outcome("living_lab_sessions", "Living Lab sessions held", "count", "-"),
    *(Outcome(f"cost_{item}", f"Public cost this month: {item.replace('_', ' ')} (EUR)", "count", "-", False)
      for item in COST_ITEMS),
)
OUTCOMES = {o.name: o for o in PERSON_OUTCOMES + MODEL_OUTCOMES}
# The public column contract of timeseries.csv (issue 2): these come first, in this order.
CONTRACT_COLUMNS = (
    "month", "date", "arrived", "in_detention", "in_community", "removed", "stably_housed", "family_stability",
    "admin_clarity", "psychosocial_continuity", "employed", "trust", "bonding", "bridging", "linking",
    "reintegration_index", "reoffended_terror_cum", "reoffended_any_cum", "reincarcerated_cum",
    "living_lab_participants", "coordination_meetings", "cost_eur",
)
# The headline outcomes of a comparison (terminal table, report, dashboard, an experiment's default to keep).
KEY_OUTCOMES = (
    "stably_housed", "family_stability", "admin_clarity", "psychosocial_continuity", "employed", "trust",
    "linking", "reintegration_index_cohort", "reoffended_terror_cum", "reconvicted_2y_after_release",
    "reoffended_any_cum", "reincarcerated_cum",
    "housed_at_release", "removed", "cost_eur_cum",
)
GROUPS: tuple[tuple[str, str], ...] = (
    ("gender", "woman"), ("gender", "man"),
    *(("citizenship", name) for name in CITIZENSHIP_NAMES),
)


DENOMINATORS = ("-", "community", "present", "arrived", "released", "housed_after_release", "detention", "convicted",
                "released_12m", "released_24m", "risk_months_after_release")
_PER_RATE_MONTHS = RATE_PERSON_YEARS * MONTHS_PER_YEAR  # events per month at risk -> per 100 person-years
_DENOMINATOR_OF = np.array([DENOMINATORS.index(o.denominator) for o in PERSON_OUTCOMES], dtype=np.int64)
_IS_COUNT = np.array([o.kind == "count" for o in PERSON_OUTCOMES])
_EVERYONE = DENOMINATORS.index("-")
GROUP_COLUMNS = tuple(o.name for o in PERSON_OUTCOMES)  # the outcomes of timeseries_by_group.csv, in order
_RECORDED = GROUP_COLUMNS + tuple(o.name for o in MODEL_OUTCOMES)
# the outcomes of timeseries.csv, in order: the contract's first, then the rest as declared
COLUMNS = tuple(c for c in CONTRACT_COLUMNS if c not in ("month", "date")) + tuple(c for c in _RECORDED if c not in CONTRACT_COLUMNS)
_COLUMN_ORDER = np.array([_RECORDED.index(c) for c in COLUMNS])


def group_matrix(pop) -> np.ndarray:
    """replicates x (everyone, then each one-way group) x returnees."""
    rows = [np.ones(pop.woman.shape, dtype=bool), pop.woman, ~pop.woman]
    rows += [pop.citizenship == c for c in range(len(CITIZENSHIP_NAMES))]
    return np.stack(rows, axis=1).astype(float)


def reintegration_index(model) -> np.ndarray:
    p, pop = model.p, model.pop
    weights = [p.weight_housing, p.weight_family, p.weight_admin, p.weight_care, p.weight_work, p.weight_trust]
    parts = [pop.housing == STABLE, pop.family_stability, admin_clarity(pop), pop.in_care, pop.employed, pop.trust]
    total = sum(weights)
    return ratio(sum(wt * part for wt, part in zip(weights, parts)), total, empty=0.0)


def _spread(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted standard deviation across the columns of each replicate (NaN where no weight)."""
    total = weights.sum(axis=1, keepdims=True)
    mean = ratio((weights * values).sum(axis=1, keepdims=True), total, empty=np.nan)
    var = ratio((weights * np.square(values - mean)).sum(axis=1, keepdims=True), total, empty=np.nan)
    return np.sqrt(var)[:, 0]


class Recorder:
    """Collects every outcome each month into preallocated arrays (months x replicates x ...)."""

    def __init__(self, model, months: int):
        self.groups = np.ascontiguousarray(np.swapaxes(group_matrix(model.pop), 1, -1))  # replicates x n x groups
        replicates, n, n_groups = self.groups.shape
        k = len(PERSON_OUTCOMES)
        self.num = np.zeros((months, replicates, k, n_groups))
        self.den = np.zeros((months, replicates, len(DENOMINATORS), n_groups))
        # this month's values and denominators, written in place; outcome first, so each is one contiguous block
        self._values = np.zeros((k, replicates, n))
        self._dens = np.zeros((len(DENOMINATORS), replicates, n))
        self._undefined = np.zeros((replicates, n), dtype=bool)
        self.model_values = np.zeros((months, replicates, len(MODEL_OUTCOMES)))
        self.months = 0

    def collect(self, model) -> None:
        pop, w = model.pop, model.world
        arrived, present, detained, out = pop.arrived(), pop.present(), pop.detained(), pop.in_community()
        custody = pop.custody
        released = pop.ever_released
        index = reintegration_index(model)
        clarity = admin_clarity(pop)
        housed = pop.housing == STABLE
        gone = (custody == DEAD) | (custody == DEPARTED) | (custody == TRANSFERRED) | (custody == EMIGRATED)
        first_release, first_reconviction = pop.first_release_month, pop.first_reconviction_after_release
        since_release = np.where(first_release != NONE, model.month - first_release, NONE)
        to_reconviction = np.where(first_reconviction != NONE, first_reconviction - first_release, NONE)
        risk_months = pop.risk_months_after_release
        denominators = {"-": np.ones(custody.shape), "community": out, "present": present, "arrived": arrived,
                        "released": released, "housed_after_release": ~np.isnan(pop.months_to_housing),
                        "detention": detained, "convicted": pop.convicted & arrived,
                        "released_12m": since_release >= FOLLOW_UP_1Y_MONTHS,
                        "released_24m": since_release >= FOLLOW_UP_2Y_MONTHS,
                        "risk_months_after_release": risk_months}
        values = {
            "arrived": arrived, "in_detention": detained, "in_community": out, "removed": custody == REMOVED,
            "stably_housed": housed, "family_stability": pop.family_stability, "admin_clarity": clarity,
            "psychosocial_continuity": pop.in_care, "employed": pop.employed, "trust": pop.trust,
            "bonding": pop.bonding, "bridging": pop.bridging, "linking": pop.linking, "reintegration_index": index,
            "reoffended_terror_cum": pop.ever_terror, "reoffended_any_cum": pop.ever_any,
            "reincarcerated_cum": pop.ever_reincarcerated, "living_lab_participants": pop.ll_member,
            "housed_at_release": pop.rel_housed, "documented_at_release": pop.rel_documented,
            "care_at_release": pop.rel_care, "family_stability_at_release": pop.rel_family,
            "months_to_stable_housing": pop.months_to_housing, "detention_months": pop.detention_months,
            "withdrawn": pop.stripped & arrived, "youth_protection": pop.youth_protection & present,
            "extremist_ties": pop.extremism, "programme_participation": pop.in_programme,
            "dead": custody == DEAD, "departed": custody == DEPARTED, "transferred": custody == TRANSFERRED,
            "emigrated": custody == EMIGRATED, "lost_to_contact": custody == LOST,
            "on_electronic_monitoring": custody == ELECTRONIC_MONITORING,
            "in_limited_detention": custody == LIMITED_DETENTION, "on_penitentiary_leave": pop.on_leave,
            "supervised": out & (pop.supervised_left > 0), "followed_by_local_cell": out & (pop.cell_left > 0),
            "outside_cell_months": pop.outside_cell_months,
            "reconvicted_terror_cum": pop.reconv_terror, "reconvicted_any_cum": pop.reconv_any,
            "reconvicted_terror_convicted": pop.reconv_terror,
            "stably_housed_cohort": out & housed, "family_stability_cohort": present * pop.family_stability,
            "admin_clarity_cohort": out * clarity, "psychosocial_continuity_cohort": out & pop.in_care,
            "employed_cohort": out & pop.employed, "trust_cohort": present * pop.trust,
            "bonding_cohort": present * pop.bonding, "bridging_cohort": present * pop.bridging,
            "linking_cohort": present * pop.linking, "reintegration_index_cohort": present * index,
            "share_detained_cohort": detained, "share_community_cohort": out, "share_removed_cohort": custody == REMOVED,
            "share_exited_cohort": gone, "share_lost_cohort": custody == LOST,
            # months from the first release to the first reconviction after it (NONE: none yet); over those whose
            # window is over (the denominator), so a later reconviction cannot enter an earlier window
            "reconvicted_1y_after_release": (to_reconviction != NONE) & (to_reconviction <= FOLLOW_UP_1Y_MONTHS),
            "reconvicted_2y_after_release": (to_reconviction != NONE) & (to_reconviction <= FOLLOW_UP_2Y_MONTHS),
            # x months at risk (the denominator) = reconvictions x 1200; undefined (outside) with no time at risk
            "reconviction_rate_after_release": ratio(pop.reconvictions_after_release * _PER_RATE_MONTHS, risk_months,
                                                     empty=np.nan),
        }
        d, v, undefined = self._dens, self._values, self._undefined
        for j, name in enumerate(DENOMINATORS):
            d[j] = denominators[name]
        for k, o in enumerate(PERSON_OUTCOMES):  # each value times its denominator, written in place
            value = values[o.name]
            vk = v[k]
            if _DENOMINATOR_OF[k] == _EVERYONE:  # x 1: the value as it is (a copy reads one array, not two)
                np.copyto(vk, value)
            else:
                np.multiply(value, d[_DENOMINATOR_OF[k]], out=vk)
            # undefined values (NaN before a release) sit outside their denominator (one test; most are defined)
            if value.dtype.kind == "f" and np.isnan(vk, out=undefined).any():
                np.copyto(vk, 0.0, where=undefined)
        t = self.months
        np.matmul(np.swapaxes(v, 0, 1), self.groups, out=self.num[t])
        np.matmul(np.swapaxes(d, 0, 1), self.groups, out=self.den[t])

        n_m = model.structure["n_municipalities"]
        in_prison = group_sum(pop.prison, w.prison_access.shape[1], detained)
        community = group_sum(pop.municipality, n_m, out)
        housed_share = ratio(group_sum(pop.municipality, n_m, out & housed), community, empty=0.0)
        cost = w.cost.sum(axis=1)
        measured = {
            "coordination_meetings": w.meetings, "cost_eur": cost, "cost_eur_cum": w.cost_cum,
            "prison_density": w.prison_density.mean(axis=1), "staff_per_detainee": w.staff_per_detainee.mean(axis=1),
            "agency_workload": w.workload, "public_stigma": w.public_stigma, "overtime_share": w.overtime,
            "access_spread_prisons": _spread(w.prison_access, in_prison),
            "housing_spread_municipalities": _spread(housed_share, community),
            "living_lab_sessions": w.ll_sessions,
            **{f"cost_{item}": w.cost[:, k] for k, item in enumerate(COST_ITEMS)},
        }
        self.model_values[t] = np.stack([measured[o.name] for o in MODEL_OUTCOMES], axis=1)
        self.months += 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Every replicate's outcomes so far, without pandas: overall (replicates x months x ``COLUMNS``) and by
        group (replicates x ``GROUPS`` x months x ``GROUP_COLUMNS``); shares are NaN where their denominator is
        empty."""
        t = self.months
        person = kernels.shares(self.num[:t], self.den[:t], _DENOMINATOR_OF, _IS_COUNT)  # replicates x groups x months x k
        overall = np.concatenate([person[:, 0], np.einsum("trk->rtk", self.model_values[:t])], axis=-1)
        overall = overall[..., _COLUMN_ORDER]
        return overall, person[:, 1:]


def _dates(months: int) -> list[str]:
    return [month_to_date(m) for m in range(months)]


def timeseries_frame(overall: np.ndarray) -> pd.DataFrame:
    """One replicate's months x ``COLUMNS`` as the table of timeseries.csv (month and date first)."""
    frame = pd.DataFrame(overall, columns=list(COLUMNS))
    frame.insert(0, "date", _dates(len(frame)))
    frame.insert(0, "month", np.arange(len(frame)))
    return frame


def by_group_frame(groups: np.ndarray) -> pd.DataFrame:
    """One replicate's ``GROUPS`` x months x ``GROUP_COLUMNS`` as the long table of timeseries_by_group.csv."""
    n_groups, months, _ = groups.shape
    frame = pd.DataFrame(groups.reshape(n_groups * months, -1), columns=list(GROUP_COLUMNS))
    frame.insert(0, "group", np.repeat([group for _, group in GROUPS], months))
    frame.insert(0, "group_by", np.repeat([by for by, _ in GROUPS], months))
    frame.insert(0, "date", _dates(months) * n_groups)
    frame.insert(0, "month", np.tile(np.arange(months), n_groups))
    return frame
