"""The golden baseline: every catalogue scenario, seeds 0-2, every timeseries.csv column at a few months.

``tests/golden/baseline.csv`` holds it in long form (one value per line), so any change to
results shows line by line in a diff of that file. Regenerate it on purpose, and say why in
the commit: ``python tests/golden/update.py``.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from model import api
from model.calendar import date_to_month
from model.scenario import catalogue

PATH = Path(__file__).with_name("baseline.csv")
SEEDS = (0, 1, 2)
DATES = ("2015-12", "2018-12", "2021-12", "2025-12", "2030-12")
FORMAT = "%.12g"


def _rows(job: tuple[str, int]) -> pd.DataFrame:
    scenario, seed = job
    ts = api.run(scenario, seed=seed).timeseries
    picked = ts[ts["month"].isin([date_to_month(d) for d in DATES])].drop(columns=["month"])
    long = picked.melt(id_vars="date", var_name="column", value_name="value")
    long.insert(0, "seed", seed)
    long.insert(0, "scenario", scenario)
    return long


def compute(workers: int = 2) -> pd.DataFrame:
    """The golden table as the code computes it now."""
    jobs = [(name, seed) for name in catalogue() for seed in SEEDS]
    with ProcessPoolExecutor(workers) as pool:
        frames = list(pool.map(_rows, jobs))
    return pd.concat(frames, ignore_index=True)


def write(frame: pd.DataFrame) -> None:
    frame.to_csv(PATH, index=False, float_format=FORMAT, lineterminator="\n")


def read() -> pd.DataFrame:
    return pd.read_csv(PATH)
