"""Calendar time and the dated record the baseline follows.

One step is one month; month 0 is January 2014. Where the record has a series
(prison density, arrivals, repatriation flights) the model follows it by date and
holds the last known value afterwards.
"""

from __future__ import annotations

import re

import numpy as np

START_YEAR = 2014
DEFAULT_END_YEAR = 2030
DEFAULT_MONTHS = (DEFAULT_END_YEAR - START_YEAR + 1) * 12  # Jan 2014 .. Dec 2030

_DATE = re.compile(r"^(\d{4})-(\d{2})$")

# Prison density (detainees per place) by year. Sources: targets.csv ids in comments.
# 2016-2022 are linear interpolations between the sourced 2015 and 2023 figures;
# 2025 divides inmates_2025 (13,613) by the 10,743 places of overcrowding_2024.
PRISON_DENSITY_RECORD: dict[int, float] = {
    2015: 1.27,  # prison_density_2015
    2023: 1.15,  # prison_density_2023
    2024: 1.146,  # overcrowding_2024
    2025: round(13613 / 10743, 3),  # inmates_2025 / places in overcrowding_2024
}

# Adult arrivals per year at cohort scale 1. 125 had returned by 2018 (returned_2018;
# returns of 2013 are counted in 2014, the model's first year) and 140 by 2022
# (returned_2022), 12 of them women on the 2021 and 2022 flights (repatriated_women).
# The split of the 125 over 2014-2018 follows "most returns 2013-2016" (assumption).
ARRIVALS_BY_YEAR: dict[int, int] = {2014: 45, 2015: 40, 2016: 20, 2017: 12, 2018: 8, 2019: 2, 2020: 1}

# Repatriation flights from the Roj and al-Hol camps: (date, women, children).
REPATRIATION_FLIGHTS: tuple[tuple[str, int, int], ...] = (("2021-07", 6, 10), ("2022-06", 6, 16))


def month_to_date(month: int) -> str:
    """'YYYY-MM' of a month index."""
    year, m0 = divmod(month, 12)
    return f"{START_YEAR + year:04d}-{m0 + 1:02d}"


def date_to_month(date: str) -> int:
    """Month index of a 'YYYY-MM' date (ValueError if malformed)."""
    match = _DATE.match(str(date))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{date!r} is not a date of the form YYYY-MM")
    return (int(match.group(1)) - START_YEAR) * 12 + int(match.group(2)) - 1


def year_of(month: int) -> int:
    return START_YEAR + month // 12


def recorded_prison_density(months: int) -> np.ndarray:
    """The recorded density for each month: interpolated between sourced years, held outside."""
    years = sorted(PRISON_DENSITY_RECORD)
    values = [PRISON_DENSITY_RECORD[y] for y in years]
    month_years = np.array([year_of(m) for m in range(months)], dtype=float)
    return np.interp(month_years, years, values)
