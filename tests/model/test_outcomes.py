"""Recidivism as studies report it: reconviction within 1 and 2 years of the first release, and per person-time.

The recorded values are recomputed here from the state (first release, first reconviction after
it, reconvictions and months at risk after it), by hand on a few people and over seeded
baseline runs; the state's own bookkeeping is tested in ``tests/model/submodels/test_justice.py``.
"""

import numpy as np
import pytest

from model import api
from model.constants import NONE
from model.model import ReintegrationModel
from model.outcomes import COLUMNS, DENOMINATORS, GROUP_COLUMNS, OUTCOMES, Recorder, group_matrix

ONE, TWO, RATE = "reconvicted_1y_after_release", "reconvicted_2y_after_release", "reconviction_rate_after_release"
SEEDS = tuple(range(6))


def test_the_three_outcomes_are_declared_as_recidivism_is_reported():
    assert (OUTCOMES[ONE].kind, OUTCOMES[ONE].denominator) == ("share", "released_12m")
    assert (OUTCOMES[TWO].kind, OUTCOMES[TWO].denominator) == ("share", "released_24m")
    assert (OUTCOMES[RATE].kind, OUTCOMES[RATE].denominator) == ("rate", "risk_months_after_release")
    assert "per 100 person-years" in OUTCOMES[RATE].label
    assert all(OUTCOMES[o].higher_is_better is False for o in (ONE, TWO, RATE))
    assert {ONE, TWO, RATE} <= set(GROUP_COLUMNS)  # by group too


def _recorded(model, month: int) -> dict[str, float]:
    """What a fresh recorder records for the model's state as it is, at ``month``."""
    recorder = Recorder(model, 1)
    model.month = month
    recorder.collect(model)
    overall, _ = recorder.arrays()
    return {name: overall[0, 0, COLUMNS.index(name)] for name in (ONE, TWO, RATE)}


def test_a_hand_built_case():
    model = api.build("baseline", seed=1, months=12)
    pop = model.pop
    # four people: released in months 10, 10, 18 and never; reconvicted 5, 18 and exactly 12 months after release
    pop.first_release_month[0, :4] = [10, 10, 18, NONE]
    pop.first_reconviction_after_release[0, :4] = [15, 28, 30, NONE]
    pop.reconvictions_after_release[0, :4] = [1, 2, 1, 0]
    pop.risk_months_after_release[0, :4] = [12.5, 20.0, 3.0, 0.0]
    at = _recorded(model, 21)  # nobody's first year is over yet
    assert np.isnan(at[ONE]) and np.isnan(at[TWO])
    at = _recorded(model, 30)  # a year or more for the first three (exactly for the third): two reconvicted within
    assert at[ONE] == 2 / 3 and np.isnan(at[TWO])
    assert at[RATE] == pytest.approx(4 * 1200 / 35.5, rel=1e-12)
    at = _recorded(model, 34)  # two years for the first two: both reconvicted within them
    assert at[ONE] == 2 / 3 and at[TWO] == 1.0
    pop.risk_months_after_release[0, :4] = 0.0  # no time at risk: the rate is undefined
    assert np.isnan(_recorded(model, 34)[RATE])


@pytest.fixture(scope="module")
def batch():
    """Six seeded baseline runs 2014-2030 in one batch: the state at the end, and what was recorded."""
    model = ReintegrationModel(runs=[(api.scenario_with("baseline"), seed) for seed in SEEDS])
    model.run()
    overall, by_group = model.recorder.arrays()
    return model, overall, by_group


def _share_within(pop, months: int, window: int) -> np.ndarray:
    """Each month's share of those first released at least ``window`` months before it who were reconvicted within
    ``window`` months of that release, recomputed from the end state (replicates x groups x months)."""
    first, reconviction = pop.first_release_month, pop.first_reconviction_after_release
    groups = group_matrix(pop)  # replicates x groups x people
    month = np.arange(months)[:, None, None]
    cohort = (first != NONE) & (month - first >= window)  # months x replicates x people
    within = cohort & (reconviction != NONE) & (reconviction - first <= window)
    num = np.einsum("trn,rgn->rgt", within.astype(float), groups)
    den = np.einsum("trn,rgn->rgt", cohort.astype(float), groups)
    with np.errstate(invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _everyone_and_groups(overall, by_group, name: str) -> np.ndarray:
    """An outcome overall and by group: replicates x (everyone, then each group) x months."""
    return np.concatenate([overall[:, None, :, COLUMNS.index(name)], by_group[..., GROUP_COLUMNS.index(name)]], axis=1)


@pytest.mark.parametrize("name, window", [(ONE, 12), (TWO, 24)])
def test_the_window_shares_are_what_the_state_says_overall_and_by_group(batch, name, window):
    model, overall, by_group = batch
    expected = _share_within(model.pop, model.months, window)
    np.testing.assert_array_equal(_everyone_and_groups(overall, by_group, name), expected)
    first = model.pop.first_release_month
    for r in range(model.replicates):  # undefined until someone's window is over, defined from then on
        opens = first[r][first[r] != NONE].min() + window
        series = overall[r, :, COLUMNS.index(name)]
        assert np.isnan(series[:opens]).all() and not np.isnan(series[opens:]).any()
    assert np.nanmax(expected) > 0  # reconvictions after release happen in these runs


def test_the_1_year_share_never_exceeds_the_2_year_share_of_the_same_cohort(batch):
    """A year after month t, the 2-year share is over exactly the people of the 1-year share at t (first released by
    t - 12), and a reconviction within 1 year is one within 2: so 1-year share at t <= 2-year share at t + 12.
    (At the same month the two are over different cohorts, and either may be the larger.)"""
    model, overall, by_group = batch
    one, two = DENOMINATORS.index("released_12m"), DENOMINATORS.index("released_24m")
    np.testing.assert_array_equal(model.recorder.den[:-12, :, one], model.recorder.den[12:, :, two])
    earlier = _everyone_and_groups(overall, by_group, ONE)[:, :, :-12]
    later = _everyone_and_groups(overall, by_group, TWO)[:, :, 12:]
    defined = ~np.isnan(earlier)
    assert np.array_equal(defined, ~np.isnan(later)) and defined.sum() > 1000
    assert (earlier[defined] <= later[defined]).all()
    assert (later[defined] > earlier[defined]).any()  # some reconvictions fall in the second year


def test_the_rate_is_reconvictions_after_release_per_100_person_years_at_risk(batch):
    model, overall, by_group = batch
    pop = model.pop
    groups = group_matrix(pop)  # replicates x groups x people
    reconvictions = np.einsum("rn,rgn->rg", pop.reconvictions_after_release, groups)
    months = np.einsum("rn,rgn->rg", pop.risk_months_after_release, groups)
    expected = np.where(months > 0, reconvictions / np.where(months > 0, months, 1.0) * 1200, np.nan)
    recorded = _everyone_and_groups(overall, by_group, RATE)[:, :, -1]
    np.testing.assert_allclose(recorded, expected, rtol=1e-12, equal_nan=True)
    assert (reconvictions[:, 0] > 0).all() and np.isfinite(recorded[:, 0]).all()
    # the counters agree with the clock: a reconviction after release has a first one; at most a month at risk a month
    first, reconviction = pop.first_release_month, pop.first_reconviction_after_release
    assert np.array_equal(pop.reconvictions_after_release > 0, reconviction != NONE)
    assert (reconviction[reconviction != NONE] > first[reconviction != NONE]).all()
    released = first != NONE
    assert (pop.risk_months_after_release[~released] == 0).all()
    assert (pop.risk_months_after_release[released] <= model.months - first[released] + 1e-9).all()
