"""Levers that change over time: a base set of values plus dated phases."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Mapping

from .calendar import month_to_date


@dataclass(frozen=True)
class Phase:
    """Parameter values in force from ``start`` to ``end`` (month indices, end inclusive; None = open)."""

    start: int
    end: int | None
    values: Mapping[str, Any] = field(default_factory=dict)

    def covers(self, month: int) -> bool:
        return self.start <= month and (self.end is None or month <= self.end)

    def describe(self) -> dict[str, Any]:
        return {
            "start": month_to_date(self.start),
            "end": None if self.end is None else month_to_date(self.end),
            "parameters": dict(self.values),
        }


class Timeline:
    """Parameter values month by month. Months without a change share one namespace."""

    def __init__(self, base: Mapping[str, Any], phases: tuple[Phase, ...] = ()):
        self.base = dict(base)
        self.phases = tuple(phases)
        self._cache: dict[tuple[int, ...], SimpleNamespace] = {}

    def values_at(self, month: int) -> dict[str, Any]:
        values = dict(self.base)
        for phase in self.phases:
            if phase.covers(month):
                values.update(phase.values)
        return values

    def at(self, month: int) -> SimpleNamespace:
        """The parameters in force in ``month`` (attribute access, cached per set of phases)."""
        key = tuple(i for i, ph in enumerate(self.phases) if ph.covers(month))
        ns = self._cache.get(key)
        if ns is None:
            ns = self._cache[key] = SimpleNamespace(**self.values_at(month))
        return ns
