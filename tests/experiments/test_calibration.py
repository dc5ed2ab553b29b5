"""The calibration table: every published figure is accounted for, and the baseline meets the record."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import calibration
from experiments.calibration import CHECKS, NOT_MODELLED, RELATIONS, Check, inputs, measure, targets, verdict
from model.calendar import DEFAULT_MONTHS, date_to_month
from model.outcomes import GROUPS, OUTCOMES

ROOT = Path(__file__).resolve().parents[2]


def test_every_published_figure_is_an_input_a_check_or_declared_outside_the_model():
    """A new row in the targets table fails here until someone says how it meets the model."""
    checked, used = {c.target for c in CHECKS}, inputs()
    for row in targets():
        assert row["id"] in checked or row["id"] in used or row["id"] in NOT_MODELLED, row["id"]
    assert not set(NOT_MODELLED) & (checked | set(used)), "a figure is both used and declared outside the model"
    assert {c.target for c in CHECKS} <= {row["id"] for row in targets()}


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


@pytest.mark.parametrize("relation, target, median, p10, p90, expected", [
    ("equals", 10, 12, 9, 14, "consistent"), ("equals", 10, 10.4, 10.2, 10.6, "consistent"),
    ("equals", 10, 13, 12, 14, "model higher"), ("equals", 10, 7, 6, 8, "model lower"),
    ("at_most", 0.05, 0.02, 0.0, 0.07, "consistent"), ("at_most", 0.05, 0.06, 0.04, 0.08, "model higher"),
    ("context", 0.44, 0.3, 0.2, 0.4, "context"),
])
def test_verdicts(relation, target, median, p10, p90, expected):
    assert verdict(relation, target, median, p10, p90) == expected


def test_the_baseline_follows_the_record_and_meets_the_terrorism_reconviction_figure():
    """Six seeded replications; the record checks are exact, terrorism reconviction (2.3%) must lie in the
    model's 10-90% band or within 5% of its median (calibration.TOLERANCE)."""
    table = calibration.run(reps=6, seed=3, workers=1, progress=False).set_index("id")
    record = [c.target for c in CHECKS if c.target in calibration.RECORD]
    assert len(record) >= 5
    assert (table.loc[record, "verdict"] == "consistent").all(), table.loc[record, ["target", "model_median"]]
    assert table.loc["terror_reconviction", "verdict"] == "consistent"
    assert set(table["verdict"]) <= {"consistent", "model higher", "model lower", "context", "input", "not modelled"}


def test_the_command_writes_the_table_and_rejects_bad_replications(tmp_path):
    run = [sys.executable, str(ROOT / "run.py"), "calibrate"]
    done = subprocess.run([*run, "--reps", "2", "--workers", "1", "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "never for assessing real people" in done.stdout and "terror_reconviction" in done.stdout
    table = pd.read_csv(tmp_path / "calibration.csv")
    assert len(table) == len(targets()) and {"model_median", "model_p10", "model_p90", "verdict"} <= set(table.columns)
    bad = subprocess.run([*run, "--reps", "1"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert bad.returncode == 2 and "--reps 1 is out of range; allowed 2 to 100000" in bad.stderr
    assert "Traceback" not in bad.stderr
