"""How the baseline meets the published Belgian figures of ``docs/calibration-targets.csv``.

Every target either enters the model (a parameter's ``source``, or the calendar record), is
compared with an outcome of the baseline over seeded replications (``CHECKS``), or is
stated to lie outside the model (``NOT_MODELLED``); a test fails on a target that is none
of these. A comparison reports the model's median and 10-90% band, and a verdict:
``consistent`` when the target lies in the band (or within ``TOLERANCE`` of the median),
for an upper bound when the median stays at or below it; ``context`` figures describe
other populations and are shown beside the model, never judged.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.calendar import DEFAULT_MONTHS, date_to_month, month_to_date
from model.outcomes import GROUPS
from model.parameters import REGISTRY

from .compare import compare

TARGETS = Path(__file__).resolve().parents[1] / "docs" / "calibration-targets.csv"
END = month_to_date(DEFAULT_MONTHS - 1)
TOLERANCE = 0.05  # relative distance of the median from a target still counted as consistent
RELATIONS = ("equals", "at_most", "context")
# targets that set the calendar record (model/calendar.py) rather than a parameter
RECORD = ("returned_2018", "returned_2022", "repatriated_women", "prison_density_2015", "prison_density_2023",
          "overcrowding_2024", "inmates_2025")
NOT_MODELLED = {
    "departed": "departures are before the model starts; only returnees are modelled",
    "fighters_per_million": "a European comparison, context for the brief",
    "drad_ex_places": "wing placement is a share of sentenced men (isolation_share), not a capacity in places",
    "reentry_programmes_or": "programmes act through meaning and motivation; the implied odds ratio is not measured yet",
    "cost_detainee_day_2010": "context for the staff share of a detainee-day (staff_share_2010); the model uses 2017's cost",
}


@dataclass(frozen=True)
class Check:
    """A target compared with a baseline outcome (or a sum: ``a+b``) at a date, or its change since ``since``."""

    target: str
    outcome: str
    date: str
    relation: str
    since: str | None = None
    group: str | None = None
    note: str = ""


CHECKS: tuple[Check, ...] = (
    Check("returned_2018", "arrived", "2018-12", "equals", note="adults arrived by the end of 2018"),
    Check("returned_2022", "arrived", "2022-06", "equals", note="adults arrived by the second repatriation flight"),
    Check("repatriated_women", "arrived", "2022-06", "equals", since="2021-06", group="woman",
          note="women arriving from July 2021 to June 2022 (the two flights)"),
    Check("prison_density_2015", "prison_density", "2015-06", "equals"),
    Check("prison_density_2023", "prison_density", "2023-01", "equals"),
    Check("overcrowding_2024", "prison_density", "2024-03", "equals"),
    Check("reintegrable", "in_community+in_detention", "2025-06", "equals",
          note="model: returnees present in Belgium and in view (detained or in the community); removed, dead, "
               "departed, transferred, emigrated and lost to contact excluded; source: an estimate of how many "
               "could be reintegrated"),
    Check("terror_reconviction", "reconvicted_terror_convicted", END, "equals",
          note="like for like in what is counted: reconvictions for a new terrorism offence, over those ever "
               "convicted. Stated differences: returnees only (source: all 557 Belgian terrorism convicts), and the "
               "window runs to 2030, not 2020, because most returnees were still in prison in 2020 while the "
               "source's convicts had years at liberty; by 2020 the model's share is far lower"),
    Check("terror_reengagement", "reoffended_terror_cum", "2020-12", "at_most",
          note="an upper bound that also counts re-engagement without conviction: compared with terrorism "
               "offences committed (model truth) up to 2020, over all arrived returnees"),
    Check("nationality_stripping", "withdrawn", "2022-12", "at_most",
          note="model: nationality and residence withdrawals of returnees; source: all nationality withdrawals"),
    Check("general_reincarceration", "reincarcerated_cum", END, "context",
          note="all Belgian releasees 2003-2005: not the returnee rate"),
    Check("general_reconviction", "reconvicted_any_cum", END, "context",
          note="reconvictions of all Belgian releasees of 1995 (followed to 2013): not the returnee rate"),
)


def targets(path: Path = TARGETS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def inputs() -> dict[str, list[str]]:
    """Target id -> the parameters (or the calendar record) it initialises."""
    used: dict[str, list[str]] = {}
    for p in REGISTRY.values():
        used.setdefault(p.source, []).append(p.name)
    for target in RECORD:
        used.setdefault(target, []).append("calendar record")
    return used


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


def verdict(relation: str, target: float, median: float, p10: float, p90: float) -> str:
    if relation == "context":
        return "context"
    if relation == "at_most":
        return "consistent" if median <= target else "model higher"
    if p10 <= target <= p90 or abs(median - target) <= TOLERANCE * abs(target):
        return "consistent"
    return "model higher" if median > target else "model lower"


def run(reps: int = 20, seed: int = 0, workers: int = 1, progress: bool = True) -> pd.DataFrame:
    """One row per target: how it enters or meets the model, and for checks the baseline's median and band."""
    c = compare(["baseline"], reps=reps, seed=seed, months=DEFAULT_MONTHS, workers=workers, progress=progress)
    checks = {check.target: check for check in CHECKS}
    used = inputs()
    rows = []
    for t in targets():
        row = {"id": t["id"], "quantity": t["quantity"], "target": float(t["value"]), "unit": t["unit"],
               "use": t["use"], "source": t["source"], "initialises": ", ".join(used.get(t["id"], []))}
        check = checks.get(t["id"])
        if check is not None:
            values = measure(check, c.overall[0], c.by_group[0], c.columns, c.group_columns)
            p10, median, p90 = np.percentile(values, [10, 50, 90])
            row |= {"compared_with": _describe(check), "relation": check.relation, "model_median": median,
                    "model_p10": p10, "model_p90": p90,
                    "verdict": verdict(check.relation, row["target"], median, p10, p90), "note": check.note}
        else:
            row |= {"compared_with": "", "relation": "", "verdict": "input" if row["initialises"] else "not modelled",
                    "note": NOT_MODELLED.get(t["id"], "")}
        rows.append(row)
    return pd.DataFrame(rows)


def _describe(check: Check) -> str:
    who = f" ({check.group})" if check.group else ""
    return f"{check.outcome}{who} " + (f"from {check.since} to {check.date}" if check.since else f"at {check.date}")


def format_table(frame: pd.DataFrame) -> str:
    """The compared targets for a terminal: target, model median [10-90%], verdict."""
    shown = frame[frame["compared_with"] != ""]
    lines = [f"{'target':<26}{'published':>11}{'model median [10-90%]':>32}  verdict", "-" * 84]
    for _, r in shown.iterrows():
        band = f"{r.model_median:.3g} [{r.model_p10:.3g}, {r.model_p90:.3g}]"
        lines.append(f"{r.id:<26}{r.target:>11.4g}{band:>32}  {r.verdict}")
    n_inputs = int((frame["verdict"] == "input").sum())
    lines.append(f"{len(shown)} targets compared with the baseline; {n_inputs} more enter the model as inputs only "
                 f"(see calibration.csv).")
    return "\n".join(lines)
