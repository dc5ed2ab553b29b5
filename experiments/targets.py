"""The published Belgian figures of ``docs/calibration-targets.csv`` and how each meets the model.

Every target either enters the model (a parameter's ``source``, or the calendar record), is
compared with an outcome of a run (``CHECKS``), or is stated to lie outside the model
(``NOT_MODELLED``); a test fails on a target that is none of these. A row's ``use`` says what
calibration may do with it: ``calibration`` rows are fitted (``run.py calibrate``),
``validation`` rows only compared, ``context`` rows describe other populations and are shown
beside the model, never judged. A fitted or validated row states its ``tolerance``: how far the
model may lie from it and still be counted as meeting it (its basis is in the row's note).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.api import DEFAULT_MONTHS, GROUPS, REGISTRY, date_to_month, month_to_date

TARGETS = Path(__file__).resolve().parents[1] / "docs" / "calibration-targets.csv"
END = month_to_date(DEFAULT_MONTHS - 1)
RELATIONS = ("equals", "at_most", "context")
# targets that set the calendar record (model/calendar.py) rather than a parameter
RECORD = ("returned_2018", "returned_2022", "repatriated_women", "prison_density_2015", "prison_density_2023",
          "overcrowding_2024", "inmates_2025")
NOT_MODELLED = {
    "departed": "departures are before the model starts; only returnees are modelled",
    "fighters_per_million": "a European comparison, context for the brief",
    "drad_ex_places": "wing placement is a share of sentenced men (isolation_share), not a capacity in places",
    "reentry_programmes_or": "an effect size: it sets the priors of the support effects (model/parameters.py) and is "
                             "compared, never fitted, with the full SRA's implied odds ratio (run.py validate)",
    "cost_detainee_day_2010": "context for the staff share of a detainee-day (staff_share_2010); the model uses 2017's cost",
}


@dataclass(frozen=True)
class Check:
    """A target compared with an outcome (or a sum: ``a+b``) at a date, or its change since ``since``."""

    target: str
    outcome: str
    date: str
    relation: str
    since: str | None = None
    group: str | None = None
    note: str = ""


CHECKS: tuple[Check, ...] = (
    Check("returned_2018", "arrived", "2018-12", "equals", note="an input: adults arrived by the end of 2018"),
    Check("returned_2022", "arrived", "2022-06", "equals", note="an input: adults arrived by the second flight"),
    Check("repatriated_women", "arrived", "2022-06", "equals", since="2021-06", group="woman",
          note="an input: women arriving from July 2021 to June 2022 (the two flights)"),
    Check("prison_density_2015", "prison_density", "2015-06", "equals", note="an input (the calendar record)"),
    Check("prison_density_2023", "prison_density", "2023-01", "equals", note="an input (the calendar record)"),
    Check("overcrowding_2024", "prison_density", "2024-03", "equals", note="an input (the calendar record)"),
    Check("reintegrable", "in_community+in_detention", "2025-06", "equals",
          note="like for like: returnees present in Belgium and in view (detained or in the community); removed, "
               "dead, departed, transferred, emigrated and lost to contact excluded; source: an estimate of how many "
               "could be reintegrated"),
    Check("terror_reconviction", "reconvicted_terror_convicted", END, "equals",
          note="like for like in what is counted: reconvictions for a new terrorism offence, over those ever "
               "convicted. Stated differences: returnees only (source: all 557 Belgian terrorism convicts), and the "
               "window runs to 2030, not 2020, because most returnees were still in prison in 2020 while the "
               "source's convicts had years at liberty"),
    Check("terror_reengagement", "reoffended_terror_cum", "2020-12", "at_most",
          note="an upper bound that also counts re-engagement without conviction: compared with terrorism "
               "offences committed (model truth) up to 2020, over all arrived returnees"),
    Check("nationality_stripping", "withdrawn", "2022-12", "at_most",
          note="an upper bound: nationality and residence withdrawals of returnees; source: all nationality "
               "withdrawals for terrorism"),
    Check("general_reincarceration", "reincarcerated_cum", END, "context",
          note="all Belgian releasees 2003-2005: not the returnee rate"),
    Check("general_reconviction", "reconvicted_2y_after_release", END, "context",
          note="reconvictions of all Belgian releasees of 1995 (followed to 2013); the model's is within two years "
               "of a first release: not the returnee rate"),
)
BY_TARGET = {c.target: c for c in CHECKS}


def targets(path: Path = TARGETS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fitted(path: Path = TARGETS) -> list[dict[str, str]]:
    """The rows calibration fits: ``use`` calibration, each with its check and tolerance."""
    return [t for t in targets(path) if t["use"] == "calibration"]


def inputs() -> dict[str, list[str]]:
    """Target id -> the parameters (or the calendar record) it initialises."""
    used: dict[str, list[str]] = {}
    for p in REGISTRY.values():
        used.setdefault(p.source.split(";")[0], []).append(p.name)
    for target in RECORD:
        used.setdefault(target, []).append("calendar record")
    return used


def months_needed(checks: list[Check]) -> int:
    """Months a run must last for every check to be measured."""
    return 1 + max(date_to_month(c.date) for c in checks)


def measure(check: Check, overall: np.ndarray, by_group: np.ndarray, columns: tuple[str, ...],
            group_columns: tuple[str, ...]) -> np.ndarray:
    """The checked quantity in every replicate (overall: reps x months x outcomes; by_group: reps x groups x ...)."""
    names = check.outcome.split("+")
    if check.group is None:
        series = overall[:, :, [columns.index(n) for n in names]].sum(axis=-1)
    else:
        g = [name for _, name in GROUPS].index(check.group)
        series = by_group[:, g][..., [group_columns.index(n) for n in names]].sum(axis=-1)
    value = series[:, date_to_month(check.date)]
    return value - series[:, date_to_month(check.since)] if check.since else value


def deviation(relation: str, value: np.ndarray, target: float, tolerance: float) -> np.ndarray:
    """How far the model lies from a target in units of its tolerance (0 below an upper bound; NaN if undefined)."""
    gap = (np.asarray(value, float) - target) / tolerance
    return np.maximum(gap, 0.0) if relation == "at_most" else gap


def verdict(relation: str, target: float, tolerance: float | None, median: float) -> str:
    """Whether the model meets a figure within its stated tolerance: the median within it of the target, or for an
    upper bound at most the bound plus the tolerance. Context figures, and figures without a tolerance, are not
    judged. (Whether the target lies inside the model's interval is reported apart: a wide interval is no match.)"""
    if relation == "context" or tolerance is None:
        return "context"
    if relation == "at_most":
        return "consistent" if median <= target + tolerance else "model higher"
    if abs(median - target) <= tolerance:
        return "consistent"
    return "model higher" if median > target else "model lower"
