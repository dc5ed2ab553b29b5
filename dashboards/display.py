"""How an outcome is shown: scale, unit words, decimals, and whether a change is better or worse."""

from __future__ import annotations

from typing import NamedTuple

from model.api import OUTCOMES

from .i18n import number, t

_SHARE_UNITS = {"community": "unit.share_community", "arrived": "unit.share_arrived", "released": "unit.share_released",
                "detention": "unit.share_detention", "convicted": "unit.share_convicted",
                "released_12m": "unit.share_released_12m", "released_24m": "unit.share_released_24m"}
_EVENT_UNITS = {"coordination_meetings": "unit.meetings", "living_lab_sessions": "unit.sessions"}  # counts that are not people
_SPREADS = ("access_spread_prisons", "housing_spread_municipalities")  # standard deviations of shares between places
_RATIOS = ("prison_density", "staff_per_detainee", "agency_workload")  # means over places of a ratio, not a 0-1 score


class Unit(NamedTuple):
    scale: float
    unit: str  # label key of levels
    diff_unit: str  # label key of differences
    digits: int


def unit(outcome: str) -> Unit:
    """Display scale and units of an outcome."""
    o = OUTCOMES[outcome]
    if outcome.startswith("cost"):
        return Unit(1e-6, "unit.meur", "unit.meur", 2)
    if o.kind == "share":
        return Unit(100.0, _SHARE_UNITS[o.denominator], "unit.pp", 1)
    if outcome == "overtime_share":  # a mean over prisons of a share of staff time
        return Unit(100.0, "unit.share_staff_time", "unit.pp", 1)
    if outcome in _SPREADS:
        return Unit(100.0, "unit.pp", "unit.pp", 1)
    if outcome.startswith("months") or outcome.endswith("_months"):
        return Unit(1.0, "unit.months", "unit.months", 1)
    if outcome in _EVENT_UNITS:
        return Unit(1.0, _EVENT_UNITS[outcome], _EVENT_UNITS[outcome], 1)
    if outcome in _RATIOS:
        return Unit(1.0, "unit.ratio", "unit.ratio", 2)
    if o.kind == "rate":  # events per 100 person-years at risk
        return Unit(1.0, "unit.per_100_person_years", "unit.per_100_person_years", 2)
    if o.kind == "mean":
        return Unit(1.0, "unit.score", "unit.score", 3)
    return Unit(1.0, "unit.people", "unit.people", 1)


def label(outcome: str, lang: str) -> str:
    return t(f"outcome.{outcome}", lang)


def value(outcome: str, raw: float, lang: str, signed: bool = False) -> str:
    """A raw model value in display units, e.g. 0.4231 -> '42.3' for a share."""
    u = unit(outcome)
    return number(raw * u.scale, u.digits, lang, signed)
