"""The validation report's numbers come from runs: recomputed here from an independent comparison with the same
seeds and draws, and different for another root seed."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from experiments import validation
from experiments.compare import compare
from experiments.targets import BY_TARGET, fitted, measure, targets
from model import api

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
    row = report.rare.set_index(["outcome", "uncertainty"]).loc[("reoffended_terror_cum", "posterior")]
    final = baseline.overall[0, :, -1]
    counts = np.round(final[:, baseline.columns.index("reoffended_terror_cum")] *
                      final[:, baseline.columns.index("arrived")])
    people = int(final[:, baseline.columns.index("arrived")].sum())
    assert row.events == counts.sum() and row.runs == REPS and row.people == people
    assert row["runs_p97.5"] == np.quantile(counts, 0.975) and row.runs_with_none == (counts == 0).sum()
    # Clopper-Pearson: the exact binomial tail at each end of the interval is 2.5%
    from scipy.stats import binom
    assert binom.sf(row.events - 1, people, row["pooled_rate_p2.5"]) == pytest.approx(0.025, rel=1e-6)
    assert binom.cdf(row.events, people, row["pooled_rate_p97.5"]) == pytest.approx(0.025, rel=1e-6)


def test_the_replication_analysis_is_the_cv_of_the_chance_runs():
    chance = compare(["baseline"], reps=REPS, seed=SEED, uncertainty="chance", progress=False)
    table, recommended = validation.replication_table(chance, steps=(5, 10))
    x = chance.overall[0, :, -1, chance.columns.index("stably_housed")]
    row = table.set_index("outcome").loc["stably_housed"]
    assert row.cv_5 == pytest.approx(np.std(x[:5], ddof=1) / np.mean(x[:5]))
    cv = np.std(x, ddof=1) / np.mean(x)
    assert row.cv_10 == pytest.approx(cv) and row.for_mean_within_5pct == np.ceil((1.96 * cv / 0.05) ** 2)
    changed = abs(row.cv_10 - row.cv_5) / row.cv_10 > validation.E_CRIT
    assert np.isnan(row.settles_at) if changed else row.settles_at == 5  # a change at the last step: not settled
    common = table[~table.rare]
    assert recommended % 10 == 0 and recommended >= max(common.settles_at.max(), common.for_mean_within_5pct.max())


def test_patterns_and_the_effect_size_are_paired_differences_of_the_runs(report):
    lab = validation.PATTERNS[2]
    assert lab.name.startswith("Living Lab")
    both = compare(["baseline", api.scenario_with("baseline", lab.levers)], reps=REPS, seed=SEED, progress=False)
    k = both.columns.index("linking")
    d = both.overall[1, :, -1, k] - both.overall[0, :, -1, k]
    row = report.patterns.set_index(["pattern", "outcome"]).loc[(lab.name, "linking")]
    assert row.effect == pytest.approx(d.mean()) and row.keeps_sign == pytest.approx(np.mean(d > 0))
    sra = compare(["baseline", validation.EFFECT_SCENARIO], reps=REPS, seed=SEED, progress=False)
    k = sra.columns.index(validation.EFFECT_OUTCOME)
    p1, p0 = np.nanmean(sra.overall[1, :, -1, k]), np.nanmean(sra.overall[0, :, -1, k])
    assert report.effect.iloc[0].model_or == pytest.approx((p1 / (1 - p1)) / (p0 / (1 - p0)))


def test_the_effect_size_it_compares_with_is_the_table_s(report):
    row = next(t for t in targets() if t["id"] == validation.EFFECT_TARGET)
    assert float(row["value"]) == report.effect.iloc[0].published_or
    assert "95% CI {:.2f}-{:.2f}".format(*validation.EFFECT_CI) in row["note"]


def test_leave_one_out_accepts_prior_runs_on_the_other_targets_only(report):
    loo = report.loo.set_index("id")
    assert set(loo.index) == {t["id"] for t in fitted()}
    assert (loo.accepted < loo["of"]).all() and (loo.accepted > 0).all()  # some, never all, runs accepted
    widths = loo["predicted_p97.5"] - loo["predicted_p2.5"]
    assert (widths <= loo["prior_p97.5"] - loo["prior_p2.5"] + 1e-12).any()


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
