"""Verdicts on paired differences: better, worse or unclear, never from chance alone.

An outcome gets a verdict only when two things hold: its paired t-test (n - 1 degrees of
freedom) rejects "no difference" at 5% after a Holm correction across every outcome
judged together (the cards on screen, the rows of a headline table), and its mean
difference is at least the outcome's minimum meaningful difference (``MEANINGFUL``).
Everything else is "unclear". One rule serves the
workshop's cards, the dashboard's comparison and the HTML report.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
from scipy.special import stdtr

from model.api import OUTCOMES

ALPHA = 0.05
_PP = 0.02  # two percentage points of a share, or 0.02 of a score from 0 to 1
# The smallest difference worth a verdict, in each outcome's own units. Assumption: what a policy discussion
# would act on: 2 percentage points of a share or 0.02 of a 0-1 score, half a point of the rare terrorism
# measures, one point of the other re-offending measures, one million euros of public cost to date.
MEANINGFUL: dict[str, float] = {
    **{o: _PP for o in ("stably_housed", "family_stability", "admin_clarity", "psychosocial_continuity", "employed",
                        "trust", "bonding", "bridging", "linking", "reintegration_index", "housed_at_release",
                        "documented_at_release", "care_at_release", "family_stability_at_release")},
    **{f"{o}_cohort": _PP for o in ("stably_housed", "family_stability", "admin_clarity", "psychosocial_continuity",
                                    "employed", "trust", "bonding", "bridging", "linking", "reintegration_index")},
    "reoffended_terror_cum": 0.005, "reconvicted_terror_cum": 0.005,
    "reoffended_any_cum": 0.01, "reconvicted_any_cum": 0.01, "reincarcerated_cum": 0.01,
    "reconvicted_1y_after_release": 0.01, "reconvicted_2y_after_release": 0.01,
    "reconviction_rate_after_release": 1.0,  # reconvictions per 100 person-years at liberty
    "cost_eur_cum": 1e6,
}
RULE = ("A difference is called better or worse only when its paired 95% interval excludes zero after a Holm "
        "correction across the outcomes shown together and it is at least the outcome's minimum meaningful "
        "difference; otherwise it is unclear.")


def judged(outcome: str) -> bool:
    """Whether an outcome can get a verdict at all: it has a preferred direction and a meaningful difference."""
    return OUTCOMES[outcome].higher_is_better is not None and outcome in MEANINGFUL


def p_value(diffs: np.ndarray) -> float:
    """Two-sided paired t-test of a zero mean difference (NaN where fewer than two runs are defined)."""
    d = np.asarray(diffs, dtype=float)
    d = d[~np.isnan(d)]
    if len(d) < 2:
        return math.nan
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    if sd == 0.0:
        return 1.0 if mean == 0.0 else 0.0  # identical runs: no effect; a constant shift: certain
    return float(2.0 * stdtr(len(d) - 1, -abs(mean) / (sd / math.sqrt(len(d)))))  # the t survival function


def holm(p: Mapping[str, float], alpha: float = ALPHA) -> dict[str, bool]:
    """Holm's step-down test: which hypotheses are rejected with family-wise error at most ``alpha``."""
    defined = sorted((v, k) for k, v in p.items() if not math.isnan(v))
    rejected = {k: False for k in p}
    for i, (value, key) in enumerate(defined):
        if value > alpha / (len(defined) - i):
            break
        rejected[key] = True
    return rejected


def verdicts(diffs: Mapping[str, np.ndarray], alpha: float = ALPHA) -> dict[str, str | None]:
    """'better', 'worse' or None for each outcome, from its paired differences over replicates.

    The Holm family is every judged outcome in ``diffs``; others get None.
    """
    family = {o: p_value(d) for o, d in diffs.items() if judged(o)}
    rejected = holm(family, alpha)
    out: dict[str, str | None] = {o: None for o in diffs}
    for o, is_rejected in rejected.items():
        if not is_rejected:  # also where an outcome is undefined in every run (its mean would be empty)
            continue
        mean = float(np.nanmean(diffs[o]))
        if abs(mean) >= MEANINGFUL[o]:
            out[o] = "better" if (mean > 0) == OUTCOMES[o].higher_is_better else "worse"
    return out


def of_row(row: Mapping[str, object]) -> str | None:
    """The verdict stored in a row of ``summary.csv`` (None where it has none, or in files older than the column)."""
    value = row.get("verdict", "")
    return value if value in ("better", "worse") else None
