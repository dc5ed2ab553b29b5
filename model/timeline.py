"""Levers that change over time: base values plus dated phases, and the values of a batch month by month."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Mapping, Sequence

import numpy as np

from .calendar import month_to_date
from .parameters import REGISTRY


@dataclass(frozen=True)
class Phase:
    """Parameter values in force from ``start`` to ``end`` (month indices, end inclusive; None = open), and changes
    to an uncertain status quo: each added to (``shift``) or multiplying (``scale``) the run's base value."""

    start: int
    end: int | None
    values: Mapping[str, Any] = field(default_factory=dict)
    changes: Mapping[str, float] = field(default_factory=dict)

    def covers(self, month: int) -> bool:
        return self.start <= month and (self.end is None or month <= self.end)

    def describe(self) -> dict[str, Any]:
        out = {
            "start": month_to_date(self.start),
            "end": None if self.end is None else month_to_date(self.end),
            "parameters": dict(self.values),
        }
        if self.changes:
            out["changes"] = dict(self.changes)
        return out


def changed(name: str, status_quo: Any, amount: float) -> Any:
    """An uncertain status quo after a scenario's change (``Parameter.change``), kept within the bounds."""
    p = REGISTRY[name]
    value = status_quo + amount if p.change == "shift" else status_quo * amount
    value = min(max(value, p.low), p.high)
    return int(round(value)) if p.kind == "int" else float(value)


class Timeline:
    """Parameter values of one run month by month; later phases win where they overlap."""

    def __init__(self, base: Mapping[str, Any], phases: tuple[Phase, ...] = ()):
        self.base = dict(base)
        self.phases = tuple(phases)

    def key(self, month: int) -> tuple[int, ...]:
        """Which phases are in force: months with the same key have the same values."""
        return tuple(i for i, ph in enumerate(self.phases) if ph.covers(month))

    def values_at(self, month: int) -> dict[str, Any]:
        values = dict(self.base)
        for phase in self.phases:
            if phase.covers(month):
                values.update(phase.values)
                values.update({k: changed(k, self.base[k], a) for k, a in phase.changes.items()})
        return values


def _array(name: str, values: list[Any]) -> np.ndarray:
    """One parameter over the replicates as a column (replicates x 1), or 1 x 1 where every replicate has the same
    value; a choice becomes its index.

    Both broadcast over agents and ties to the same numbers; a 1 x 1 column lets numpy treat a replicates x agents
    operation as one run over contiguous memory instead of one short run per replicate (most parameters are the
    same across a batch, and that is where a batch's operations spend much of their time)."""
    p = REGISTRY[name]
    if p.kind == "choice":
        values = [p.choices.index(v) for v in values]
    dtype = bool if p.kind == "bool" else np.int64 if p.kind in ("int", "choice") else float
    column = np.array(values, dtype=dtype)[:, None]
    bits = column.view(np.uint8)  # compared bit for bit: 0.0 == -0.0, but a replicate keeps its own sign
    return column[:1] if (bits == bits[:1]).all() else column


class BatchTimeline:
    """The parameters of a batch in a month: each a column, replicates x 1 (1 x 1 if the same in every replicate), so
    it broadcasts over agents and ties.

    Values are rebuilt only when some replicate enters or leaves a phase.
    """

    def __init__(self, timelines: Sequence[Timeline]):
        self.timelines = list(timelines)
        self._cache: dict[tuple[tuple[int, ...], ...], SimpleNamespace] = {}

    def at(self, month: int) -> SimpleNamespace:
        key = tuple(t.key(month) for t in self.timelines)
        ns = self._cache.get(key)
        if ns is None:
            per_run = [t.values_at(month) for t in self.timelines]
            ns = self._cache[key] = SimpleNamespace(**{name: _array(name, [v[name] for v in per_run]) for name in REGISTRY})
        return ns

    def values_at(self, month: int) -> list[dict[str, Any]]:
        return [t.values_at(month) for t in self.timelines]
