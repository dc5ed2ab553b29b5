"""The validation report's numbers come from runs: recomputed here from an independent comparison with the same
seeds and draws, and different for another root seed."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from experiments import validation
from experiments.compare import compare
from experiments.targets import BY_TARGET, measure

ROOT = Path(__file__).resolve().parents[2]
REPS, SEED = 10, 2


@pytest.fixture(scope="module")
def report():
    return validation.validate(reps=REPS, seed=SEED, uncertainty="posterior", prior_runs=40, progress=False)


@pytest.fixture(scope="module")
def baseline():
    return compare(["baseline"], reps=REPS, seed=SEED, uncertainty="posterior", progress=False)


def test_target_values_are_quantiles_of_the_runs(report, baseline):
    table = report.targets.set_index("id")
    for target in ("reintegrable", "terror_reconviction", "nationality_stripping"):
        values = measure(BY_TARGET[target], baseline.overall[0], baseline.by_group[0], baseline.columns,
                         baseline.group_columns)
        assert table.loc[target, "model_median"] == pytest.approx(np.median(values))
        assert table.loc[target, "model_p2.5"] == pytest.approx(np.quantile(values, 0.025))
        assert table.loc[target, "verdict"] in ("consistent", "model higher", "model lower")
    assert table.loc["returned_2022", "verdict"] == "input"  # an echo of the record validates nothing


def test_rare_events_are_counted_from_the_runs_with_exact_intervals(report, baseline):
    row = report.rare.set_index("outcome").loc["reoffended_terror_cum"]
    final = baseline.overall[0, :, -1]
    counts = np.round(final[:, baseline.columns.index("reoffended_terror_cum")] *
                      final[:, baseline.columns.index("arrived")])
    assert row.events == counts.sum() and row.runs == REPS
    assert row["rate_p2.5"] <= row.rate <= row["rate_p97.5"] and row["rate_p97.5"] < 1


def test_the_replication_analysis_is_the_cv_of_the_chance_runs():
    chance = compare(["baseline"], reps=REPS, seed=SEED, uncertainty="chance", progress=False)
    table, recommended = validation.replication_table(chance, steps=(5, 10))
    x = chance.overall[0, :, -1, chance.columns.index("stably_housed")]
    row = table.set_index("outcome").loc["stably_housed"]
    assert row.cv_5 == pytest.approx(np.std(x[:5], ddof=1) / np.mean(x[:5]))
    cv = np.std(x, ddof=1) / np.mean(x)
    assert row.cv_10 == pytest.approx(cv) and row.for_mean_within_5pct == np.ceil((1.96 * cv / 0.05) ** 2)
    changed = abs(row.cv_10 - row.cv_5) / row.cv_10 > validation.E_CRIT
    assert row.settles_at == (10 if changed else 5)
    common = table[~table.rare]
    assert recommended % 10 == 0 and recommended >= max(common.settles_at.max(), common.for_mean_within_5pct.max())


def test_patterns_loo_and_effect_size_are_consistent_with_their_intervals(report):
    for row in report.patterns.to_dict("records"):
        sign = 1 if row["expected"] == "+" else -1
        assert row["holds"] == (row["effect"] * sign > 0 and (row["ci_low"] > 0 or row["ci_high"] < 0))
        assert 0 <= row["keeps_sign"] <= 1
    assert (report.loo.accepted <= report.loo["of"]).all() and set(report.loo.id) == {
        "terror_reconviction", "terror_reengagement", "reintegrable", "nationality_stripping"}
    effect = report.effect.iloc[0]
    assert effect["model_p2.5"] <= effect.model_or <= effect["model_p97.5"]


def test_another_seed_gives_other_numbers(report):
    other = validation.validate(reps=REPS, seed=SEED + 1, uncertainty="posterior", prior_runs=40, progress=False)
    assert not np.allclose(report.targets.model_median.dropna(), other.targets.model_median.dropna())


def test_the_command_prints_the_table_and_writes_a_page(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", "--reps", "10", "--loo-runs", "20",
                           "--workers", "1", "--out", str(tmp_path)], capture_output=True, text=True, timeout=600,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "never for assessing real people" in done.stdout and "leave-one-out" in done.stdout
    page = (tmp_path / "validation.html").read_text()
    assert "Synthetic population" in page and "reintegrable" in page and "<script" not in page
    bad = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", "--reps", "3"], capture_output=True,
                         text=True, timeout=60, cwd=ROOT)
    assert bad.returncode == 2 and "--reps 3 is out of range" in bad.stderr and "Traceback" not in bad.stderr
