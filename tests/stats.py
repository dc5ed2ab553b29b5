"""Paired comparisons over seeded replications (common random numbers).

Replicate r of both arms uses seed r, so the arms face the same individual luck and
their difference measures the policy alone; its standard error comes from the spread
of the paired differences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import api


@dataclass
class Effect:
    mean: float
    se: float
    diffs: np.ndarray

    @property
    def t(self) -> float:
        return self.mean / self.se if self.se > 0 else (0.0 if self.mean == 0 else np.inf * np.sign(self.mean))


def final_value(result: api.RunResult, outcome: str, group: str | None = None) -> float:
    if group is None:
        return float(result.final()[outcome])
    rows = result.by_group[result.by_group["group"] == group]
    return float(rows.iloc[-1][outcome])


def paired_effect(reference: dict, policy: dict, outcomes: list[str], reps: int, scale: float,
                  knockouts: tuple[str, ...] = (), group: str | None = None, months: int | None = None) -> dict[str, Effect]:
    """End-of-horizon effect of ``policy`` against ``reference`` on each outcome (one batch of 2 x reps runs)."""
    kw = {} if months is None else {"months": months}
    arms = [api.scenario_with("baseline", {"cohort_scale": scale, **values}) for values in (reference, policy)]
    results = api.run_batch([(arm, seed) for arm in arms for seed in range(reps)], knockouts=knockouts, **kw)
    a, b = results[:reps], results[reps:]
    out = {}
    for o in outcomes:
        d = np.array([final_value(y, o, group) - final_value(x, o, group) for x, y in zip(a, b)])
        out[o] = Effect(float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d))), d)
    return out
