"""Results match the stored golden baseline (Starsim's test_baselines pattern).

Any change to what the model computes fails here until ``python tests/golden/update.py``
regenerates ``tests/golden/baseline.csv`` on purpose; the diff of that file then shows
every value that moved. The stored columns are also the public contract of
``timeseries.csv``: a column may be added, never renamed or dropped.
"""

import numpy as np
import pytest
from golden.baseline import DATES, SEEDS, compute, read

from model.outcomes import CONTRACT_COLUMNS, GROUPS
from model.scenario import catalogue

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tables():
    return read(), compute()


def test_every_catalogue_scenario_seed_and_date_is_stored(tables):
    stored, _ = tables
    assert set(stored["scenario"]) == set(catalogue()), "a catalogue scenario is missing from the golden baseline"
    assert set(stored["seed"]) == set(SEEDS) and set(stored["date"]) == set(DATES)


def test_no_stored_column_is_renamed_or_dropped(tables):
    stored, now = tables
    missing = sorted(set(stored["column"]) - set(now["column"]))
    assert not missing, f"timeseries.csv lost contract columns: {missing}"
    assert set(CONTRACT_COLUMNS) - {"month", "date"} <= set(stored["column"])


def test_results_equal_the_golden_baseline(tables):
    stored, now = tables
    keys = ["scenario", "seed", "date", "column"]
    both = stored.merge(now, on=keys, how="left", suffixes=("_stored", "_now"))
    same = np.isclose(both["value_stored"], both["value_now"], rtol=1e-9, atol=1e-12, equal_nan=True)
    changed = both[~same]
    assert changed.empty, (f"{len(changed)} of {len(both)} golden values changed (first: "
                           f"{changed.head(5).to_dict('records')}); if intended, run python tests/golden/update.py "
                           "and explain the diff")


def test_group_breakdowns_keep_their_names():
    from model import api

    by_group = api.run("baseline", months=2).by_group
    assert list(dict.fromkeys(zip(by_group["group_by"], by_group["group"]))) == list(GROUPS)
