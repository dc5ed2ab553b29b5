"""The targets table: every published figure is accounted for, fitted ones state a tolerance, checks are well formed."""

import numpy as np
import pytest

from experiments.targets import (BY_TARGET, CHECKS, NOT_MODELLED, RELATIONS, Check, deviation, fitted, inputs, measure,
                                 months_needed, targets, verdict)
from model.calendar import DEFAULT_MONTHS, date_to_month
from model.outcomes import GROUPS, OUTCOMES


def test_every_published_figure_is_an_input_a_check_or_declared_outside_the_model():
    """A new row in the targets table fails here until someone says how it meets the model."""
    checked, used = {c.target for c in CHECKS}, inputs()
    for row in targets():
        assert row["id"] in checked or row["id"] in used or row["id"] in NOT_MODELLED, row["id"]
    assert not set(NOT_MODELLED) & (checked | set(used)), "a figure is both used and declared outside the model"
    assert {c.target for c in CHECKS} <= {row["id"] for row in targets()}


def test_fitted_and_validation_figures_have_a_check_and_a_positive_tolerance_with_its_basis():
    rows = [t for t in targets() if t["use"] in ("calibration", "validation")]
    assert {t["id"] for t in fitted()} >= {"terror_reconviction", "terror_reengagement", "reintegrable",
                                           "nationality_stripping"}
    for t in rows:
        assert t["id"] in BY_TARGET, t["id"]
        assert float(t["tolerance"]) > 0 and "tolerance:" in t["note"], t["id"]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.target)
def test_each_check_names_outcomes_dates_and_groups_the_model_has(check):
    assert check.relation in RELATIONS
    assert all(name in OUTCOMES for name in check.outcome.split("+"))
    for date in filter(None, (check.date, check.since)):
        assert 0 <= date_to_month(date) < DEFAULT_MONTHS
    assert check.group is None or check.group in [g for _, g in GROUPS]


def test_measure_sums_outcomes_and_takes_a_group_change_between_dates():
    reps, months = 3, DEFAULT_MONTHS
    columns, group_columns = ("a", "b"), ("a",)
    overall = np.zeros((reps, months, 2))
    overall[:, :, 0], overall[:, :, 1] = 1.0, np.arange(months)
    by_group = np.zeros((reps, len(GROUPS), months, 1))
    by_group[:, 1, :, 0] = np.arange(months) * 2.0
    at = date_to_month("2020-01")
    np.testing.assert_array_equal(measure(Check("x", "a+b", "2020-01", "equals"), overall, by_group, columns,
                                          group_columns), [1.0 + at] * reps)
    changed = measure(Check("x", "a", "2020-01", "equals", since="2019-01", group=GROUPS[1][1]), overall, by_group,
                      columns, group_columns)
    np.testing.assert_array_equal(changed, [24.0] * reps)
    assert months_needed([Check("x", "a", "2020-01", "equals"), Check("y", "a", "2014-03", "equals")]) == at + 1


def test_deviation_counts_tolerances_and_an_upper_bound_only_above_it():
    np.testing.assert_allclose(deviation("equals", np.array([8.0, 12.0]), 10.0, 2.0), [-1.0, 1.0])
    np.testing.assert_allclose(deviation("at_most", np.array([8.0, 12.0]), 10.0, 2.0), [0.0, 1.0])
    assert np.isnan(deviation("equals", np.array([np.nan]), 1.0, 1.0)[0])


@pytest.mark.parametrize("relation, target, tolerance, median, expected", [
    ("equals", 10, 1, 10.8, "consistent"), ("equals", 10, 1, 12, "model higher"), ("equals", 10, 1, 7, "model lower"),
    ("at_most", 0.05, 0.01, 0.055, "consistent"), ("at_most", 0.05, 0.01, 0.07, "model higher"),
    ("at_most", 17, 4, 2, "consistent"), ("context", 0.44, None, 0.3, "context"), ("equals", 0.44, None, 0.3, "context"),
])
def test_verdicts_judge_the_median_against_the_stated_tolerance(relation, target, tolerance, median, expected):
    assert verdict(relation, target, tolerance, median) == expected
