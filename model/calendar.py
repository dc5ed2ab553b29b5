"""Calendar time and the dated record the baseline follows.

One step is one month; month 0 is January 2014. Where the record has a series (prison
density, arrivals, repatriation flights: ``model/record.toml``, each figure with its
source) the model follows it by date and holds the last known value afterwards.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np

from .constants import DEFAULT_END_YEAR, MONTHS_PER_YEAR, START_YEAR

DEFAULT_MONTHS = (DEFAULT_END_YEAR - START_YEAR + 1) * MONTHS_PER_YEAR  # Jan 2014 .. Dec 2030

_DATE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_RECORD = tomllib.loads((Path(__file__).with_name("record.toml")).read_text(encoding="utf-8"))

PRISON_DENSITY_RECORD: dict[int, float] = {int(y): float(v) for y, v in _RECORD["prison_density"].items()}
ARRIVALS_BY_YEAR: dict[int, int] = {int(y): int(v) for y, v in _RECORD["arrivals"].items()}
# (date, women, children) of each repatriation flight
REPATRIATION_FLIGHTS: tuple[tuple[str, int, int], ...] = tuple(
    (f["date"], int(f["women"]), int(f["children"])) for f in _RECORD["flights"])


def month_to_date(month: int) -> str:
    """'YYYY-MM' of a month index."""
    year, m0 = divmod(month, MONTHS_PER_YEAR)
    return f"{START_YEAR + year:04d}-{m0 + 1:02d}"


def date_to_month(date: str) -> int:
    """Month index of a 'YYYY-MM' date (ValueError if malformed)."""
    match = _DATE.match(str(date))
    if not match or not 1 <= int(match["month"]) <= MONTHS_PER_YEAR:
        raise ValueError(f"{date!r} is not a date of the form YYYY-MM")
    return (int(match["year"]) - START_YEAR) * MONTHS_PER_YEAR + int(match["month"]) - 1


def year_of(month: int) -> int:
    return START_YEAR + month // MONTHS_PER_YEAR


def recorded_prison_density(months: int) -> np.ndarray:
    """The recorded density for each month: interpolated between sourced years, held outside."""
    years = sorted(PRISON_DENSITY_RECORD)
    values = [PRISON_DENSITY_RECORD[y] for y in years]
    month_years = np.array([year_of(m) for m in range(months)], dtype=float)
    return np.interp(month_years, years, values)
