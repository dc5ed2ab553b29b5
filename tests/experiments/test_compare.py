"""Paired scenario comparison."""

import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.compare import KEY_OUTCOMES, compare, compare_to_precision, sign_share, summary
from experiments.runner import draw_priors, replicate_seeds, uncertain_parameters
from model import api
from model.scenario import catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def paired():
    return compare(["baseline", "full_sra"], reps=8, seed=3, workers=2, uncertainty="chance", progress=False)


def test_paired_intervals_are_narrower_than_unpaired_ones_on_the_same_runs(paired):
    """Common random numbers: the paired difference varies less than two independent arms.

    Both intervals are 95% t-intervals on the same 8 runs per arm (paired: 7 df; unpaired:
    14 df, which favours the unpaired one). Tolerance: narrower on at least 9 of the 13
    key outcomes and by a median factor below 0.85 (model 0.2: 10 of 13, median 0.66; trust,
    care and the index, which the full SRA moves differently from run to run, gain least).
    """
    final = paired.overall[:, :, -1, :]
    ratios = []
    for name in [o for o in KEY_OUTCOMES if o != "removed"]:
        k = paired.columns.index(name)
        a, b = final[0, :, k], final[1, :, k]
        n = len(a)
        paired_half = stats.t.ppf(0.975, n - 1) * np.std(b - a, ddof=1) / np.sqrt(n)
        unpaired_half = stats.t.ppf(0.975, 2 * n - 2) * np.sqrt(np.var(a, ddof=1) / n + np.var(b, ddof=1) / n)
        ratios.append(paired_half / unpaired_half)
    ratios = np.array(ratios)
    assert (ratios < 1).sum() >= 9 and np.median(ratios) < 0.85, ratios


def test_summary_reports_differences_with_intervals_that_contain_them(paired):
    table = summary(paired)
    assert list(table.columns) == ["scenario", "outcome", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high",
                                   "sign_share", "flip_share", "verdict", "interval"]
    assert (table["interval"] == "chance").all()
    sra = table[table.scenario == "full_sra"].set_index("outcome")
    assert (sra["diff_ci_low"] <= sra["diff"]).all() and (sra["diff"] <= sra["diff_ci_high"]).all()
    assert sra.loc["linking", "diff_ci_low"] > 0  # the SRA builds linking ties: interval clear of zero
    ref = table[table.scenario == "baseline"]
    assert (ref["diff"] == 0).all() and (ref["verdict"] == "").all()
    assert sra.loc["linking", "verdict"] == "better" and sra.loc["cost_eur_cum", "verdict"] == "worse"
    assert (sra.loc[[o for o in sra.index if o not in KEY_OUTCOMES], "verdict"] == "").all()  # judged: key outcomes only


def test_the_sign_share_counts_the_replicates_that_agree_with_the_mean_difference(paired):
    table = summary(paired)
    sra = table[table.scenario == "full_sra"].set_index("outcome")
    final = paired.overall[:, :, -1, :]
    for outcome in ("linking", "stably_housed", "cost_eur_cum"):
        d = final[1, :, paired.columns.index(outcome)] - final[0, :, paired.columns.index(outcome)]
        assert sra.loc[outcome, "sign_share"] == pytest.approx(np.mean(np.sign(d) == np.sign(d.mean())))
    assert table[table.scenario == "baseline"].sign_share.isna().all()
    np.testing.assert_array_equal(sign_share(np.array([[1.0, 0.0], [2.0, 0.0], [-1.0, 0.0]])), [2 / 3, np.nan])
    noisy = np.array([[1.0], [-0.5], [1.0], [-0.5]])  # two draws, each +0.25 on average over its two seeds
    assert sign_share(noisy)[0] == 0.5 and sign_share(noisy, seeds_per_draw=2)[0] == 1.0
    assert sign_share(noisy, seeds_per_draw=2, opposite=True)[0] == 0.0


def test_replicates_of_one_draw_share_its_parameters_and_not_their_seeds():
    c = compare(["baseline", "living_lab"], reps=4, seed=2, months=12, progress=False, seeds_per_draw=2)
    assert c.draws[0] == c.draws[1] != c.draws[2] == c.draws[3] and len(set(c.seeds)) == 4
    assert c.draws[2] == compare(["baseline"], reps=2, seed=2, months=12, progress=False).draws[1]


def test_precision_doubles_replications_until_the_paired_interval_is_narrow_enough():
    lab = api.scenario_with("baseline", {"living_lab": True})  # from the first month
    rounds = []
    c = compare_to_precision(["baseline", lab], "linking", 1e9, reps=2, months=30, progress=False,
                             on_round=lambda n, w: rounds.append((n, w)))
    assert [n for n, _ in rounds] == [2] and c.reps == 2 and not c.warnings  # met at once: a huge target
    assert rounds[0][1] > 0
    rounds.clear()
    c = compare_to_precision(["baseline", lab], "linking", 1e-12, reps=2, max_reps=8, months=30,
                             uncertainty="chance", progress=False, on_round=lambda n, w: rounds.append(n))
    assert rounds == [2, 4, 8] and c.reps == 8 and "still" in c.warnings[-1]
    small = compare(["baseline", lab], reps=4, months=30, uncertainty="chance", progress=False)
    np.testing.assert_array_equal(c.overall[:, :4], small.overall)  # the larger comparison contains the smaller


def test_precision_on_an_outcome_undefined_in_every_run_stops_with_a_warning():
    rounds = []
    c = compare_to_precision(["baseline", "living_lab"], "reconvicted_2y_after_release", 0.01, reps=2, max_reps=64,
                             months=12, uncertainty="chance", progress=False, on_round=lambda n, w: rounds.append(n))
    assert rounds == [2] and "undefined in every run" in c.warnings[-1]


@pytest.mark.parametrize("args, message", [
    (["--precision", "linking=0.01", "--reps", "8", "--max-reps", "4"], "--max-reps 4 is below --reps 8"),
    (["--precision", "nope=0.01"], "unknown outcome 'nope'"),
    (["--precision", "linking=-1"], "the half-width must be a positive number"),
    (["--seeds-per-draw", "4", "--reps", "6"], "--reps 6 is not a multiple of --seeds-per-draw 4"),
])
def test_bad_precision_and_draw_options_are_refused_in_one_line_before_any_run(tmp_path, args, message):
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "baseline", "living_lab", *args, "--out",
                           str(tmp_path / "x")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_results_do_not_depend_on_the_number_of_workers():
    one = compare(["baseline", "living_lab"], reps=3, seed=8, months=48, workers=1, progress=False)
    two = compare(["baseline", "living_lab"], reps=3, seed=8, months=48, workers=2, progress=False)
    np.testing.assert_array_equal(one.overall, two.overall)
    np.testing.assert_array_equal(one.by_group, two.by_group)


def test_replicate_seeds_are_reproducible_and_distinct():
    assert replicate_seeds(1, 5) == replicate_seeds(1, 5)
    assert len(set(replicate_seeds(1, 50))) == 50 and replicate_seeds(1, 5) != replicate_seeds(2, 5)
    assert all(0 <= s < 2**63 for s in replicate_seeds(7, 20))


def test_prior_draws_cover_every_uncertainty_and_are_shared_by_every_scenario():
    c = compare(["baseline", "living_lab"], reps=3, seed=2, months=24, workers=1, uncertainty="parameters",
                progress=False)
    assert c.uncertainty == "prior"  # the old word is an alias
    assert set(c.draws[0]) == set(uncertain_parameters()) and "ll_outreach" in c.draws[0]  # never left out
    draws = draw_priors(2, 3)
    assert draws == c.draws and draws[0] != draws[1]


def test_the_references_prior_interval_is_the_same_whichever_scenarios_it_is_compared_with():
    """The set drawn is fixed by the registry: the baseline runs the same in a two- and a four-scenario comparison."""
    two = compare(["baseline", "living_lab"], reps=4, seed=5, months=48, workers=1, uncertainty="prior", progress=False)
    four = compare(["baseline", "full_sra", "strict_sanctions", "supervision_and_monitoring"], reps=4, seed=5, months=48,
                   workers=1, uncertainty="prior", progress=False)
    np.testing.assert_array_equal(two.overall[0], four.overall[0])
    base_two, base_four = (summary(c).query("scenario == 'baseline'").reset_index(drop=True) for c in (two, four))
    pd.testing.assert_frame_equal(base_two, base_four)


@pytest.mark.parametrize("name", catalogue())
def test_every_catalogue_scenario_runs(name):
    result = api.run(name, seed=1)
    final = result.final()
    assert final["arrived"] == 140 and 0 <= final["reintegration_index"] <= 1


def test_compare_command_writes_every_file_and_prints_the_table(tmp_path):
    out = tmp_path / "cmp"
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "baseline", "coordinated_agencies",
                           "--reps", "2", "--months", "36", "--workers", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for name in ("summary.csv", "summary_by_group.csv", "timeseries.csv", "timeseries_by_group.csv", "report.html", "comparison.json"):
        assert (out / name).stat().st_size > 0, name
    ts = pd.read_csv(out / "timeseries.csv")
    assert list(ts.columns) == ["scenario", "month", "date", "outcome", "mean", "median", "p10", "p90"]
    meta = json.loads((out / "comparison.json").read_text())
    assert meta["reps"] == 2 and len(meta["seeds"]) == 2 and meta["uncertainty"] == "posterior"
    assert len(meta["parameter_draws"]) == 2 and meta["parameter_draws"][0] != meta["parameter_draws"][1]
    assert "Reintegration index" in done.stdout and "paired difference" in done.stdout
    assert len(meta["warnings"]) == 2  # coordinated_agencies acts from 2026, after these 36 months


def test_compare_warns_when_the_policy_starts_after_the_horizon(tmp_path):
    """full_sra starts in 2026: over 60 months from 2014 it equals the baseline, and every row would read +0.000."""
    out = tmp_path / "early"
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "baseline", "full_sra", "--reps", "2",
                           "--months", "60", "--workers", "1", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(lines) == 2 and "start in 2026-01, after the horizon ends (2018-12)" in lines[0], done.stderr
    assert "same values as the reference baseline in every month to 2018-12" in lines[1]
    meta = json.loads((out / "comparison.json").read_text())
    assert [f"warning: {w}" for w in meta["warnings"]] == lines
    assert "after the horizon ends" in (out / "report.html").read_text(encoding="utf-8")
    assert "WARNING: full_sra" in done.stdout


def test_compare_rejects_a_bad_scenario_before_running(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "baseline", "nope", "--out", str(tmp_path / "x")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "unknown scenario 'nope'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()


def test_the_terminal_table_shows_every_outcome_label_in_full_in_aligned_columns():
    from experiments.compare import format_table
    from model.outcomes import OUTCOMES

    table = format_table(compare(["baseline", "full_sra"], reps=2, months=24, workers=1, progress=False))
    lines = table.splitlines()
    rows = [line for line in lines if any(line.startswith(OUTCOMES[o].label.replace(" (EUR)", "")) for o in KEY_OUTCOMES)]
    assert len(rows) == len(KEY_OUTCOMES)
    header = next(line for line in lines if line.startswith("outcome"))
    assert {len(r) for r in rows} == {len(header)}  # every row as wide as the header: columns line up


def test_the_reproduce_command_is_shell_quoted_and_names_a_file_scenario_by_its_path(tmp_path):
    odd = tmp_path / "my living lab $(touch pwned); `id`.toml"
    odd.write_text('title = "t"\ndescription = "d"\nparent = "living_lab"\n')
    c = compare(["baseline", str(odd)], reps=2, seed=7, months=12, uncertainty="chance", progress=False)
    words = shlex.split(c.command())
    assert words[3:5] == ["baseline", str(odd)]
    assert words[words.index("--seed") + 1] == "7" and words[words.index("--uncertainty") + 1] == "chance"
    assert c.metadata()["command"] == c.command() and c.metadata()["root_seed"] == 7
