"""Calibration: a twin experiment recovers known parameter values; the posterior in use is the shipped ensemble.

Twin experiment: three parameters are set to known values away from their defaults (arrivals detained 0.65
instead of 0.85, men's median sentence 75 months instead of 60, loss of contact 0.003 a month instead of 0.002),
the model's own mean over 16 seeded runs at those values is the "published" figure for three checks (detained in
June 2016 and June 2021, present in June 2025), each with its chance standard deviation at the truth as its
tolerance, and ABC-SMC starts from the three priors. It must choose all three as informed by the targets. For the
two that the figures identify, the posterior median must lie closer to the truth than the prior median, the
truth inside the posterior's 95% range, and that range at most 0.8 of the prior's (measured: 0.68 and 0.71).
Loss of contact is only weakly identified by one count of people present (range 0.96 of the prior's): its truth
must lie inside the posterior's 95% range. About a minute on one core.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from experiments import abc, calibration
from experiments.compare import compare
from experiments.runner import Task, draw_priors, execute_batch, replicate_seeds, uncertain_parameters
from experiments.targets import BY_TARGET, Check, months_needed
from model import api

ROOT = Path(__file__).resolve().parents[2]
TRUTH = {"detained_on_arrival": 0.65, "sentence_months_men": 75.0, "lost_contact_rate": 0.003}
IDENTIFIED = ("detained_on_arrival", "sentence_months_men")
CHECKS = (Check("detained_2016", "in_detention", "2016-06", "equals"),
          Check("detained_2021", "in_detention", "2021-06", "equals"), BY_TARGET["reintegrable"])


@pytest.fixture(scope="module")
def twin():
    months = months_needed(list(CHECKS))
    outputs = execute_batch([Task(api.scenario_with("baseline", TRUTH), s, months) for s in replicate_seeds(99, 16)])
    stats = calibration.statistics(outputs, CHECKS)
    fits = [(c, float(v), float(sd)) for c, v, sd in zip(CHECKS, stats.mean(axis=0), stats.std(axis=0, ddof=1))]
    priors = calibration.RegistryPriors(sorted(TRUTH))
    settings = abc.Settings(particles=100, first=500, budget=1500, chunk=250)
    result = abc.run(calibration.simulator(priors, fits, months, None, 1), priors, len(priors.names), priors.real(),
                     settings, seed=11, store=abc.MemoryStore())
    return priors, result


def _ranges(twin, name):
    priors, result = twin
    j = priors.names.index(name)
    g = result.final
    return result.prior_theta[:, j], g.theta[abc.resample(g, 2000, 0), j]


def test_the_twin_chooses_the_parameters_the_figures_inform(twin):
    priors, result = twin
    assert sorted(priors.names[j] for j in result.calibrated) == sorted(TRUTH)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_a_twin_calibration_recovers_known_values(twin, name):
    prior, post = _ranges(twin, name)
    truth = TRUTH[name]
    lo, hi = np.quantile(post, [0.025, 0.975])
    assert lo <= truth <= hi, (name, lo, hi)
    if name in IDENTIFIED:
        plo, phi = np.quantile(prior, [0.025, 0.975])
        assert abs(np.median(post) - truth) < abs(np.median(prior) - truth), (np.median(post), np.median(prior))
        assert hi - lo <= 0.8 * (phi - plo), (name, (hi - lo) / (phi - plo))


def test_the_uncertainty_set_and_the_reference_do_not_depend_on_the_scenarios_compared():
    a = compare(["baseline", "living_lab"], reps=3, seed=4, months=24, progress=False)
    b = compare(["baseline", "strict_sanctions"], reps=3, seed=4, months=24, progress=False)
    assert a.uncertainty == "posterior" and a.draws == b.draws
    assert set(a.draws[0]) == set(uncertain_parameters())
    np.testing.assert_array_equal(a.overall[0], b.overall[0])


def test_posterior_draws_are_ensemble_members_fixed_by_the_seed(tmp_path):
    frame = calibration.ensemble()
    draws = calibration.draw_posterior(5, 7)
    assert draws == calibration.draw_posterior(5, 7) and draws != calibration.draw_posterior(6, 7)
    members = {tuple(round(float(frame.loc[i, n]), 9) for n in frame.columns[1:]) for i in frame.index}
    for d in draws:
        assert tuple(round(float(d[n]), 9) for n in frame.columns[1:]) in members
    lacking = frame.drop(columns=["lost_contact_rate"])
    lacking.to_csv(tmp_path / "posterior.csv", index=False)
    fallback = calibration.draw_posterior(5, 7, tmp_path)
    assert [d["lost_contact_rate"] for d in fallback] == [d["lost_contact_rate"] for d in draw_priors(5, 7)]


def test_the_shipped_posterior_has_provenance_and_every_uncertainty():
    prov = json.loads((calibration.SHIPPED / "provenance.json").read_text())
    assert {"method", "created", "model_version", "seed", "settings", "targets", "simulations", "members",
            "calibrated", "moved"} <= set(prov)
    assert prov["members"] == len(calibration.ensemble()) >= 100
    assert set(calibration.ensemble().columns[1:]) == set(uncertain_parameters())


def _cli(*args, timeout=300):
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def test_the_command_writes_a_resumable_calibration_and_refuses_other_settings(tmp_path, monkeypatch):
    out = tmp_path / "cal"
    args = ["calibrate", "--budget", "100", "--first", "100", "--particles", "20", "--workers", "1", "--out", str(out)]
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    assert "never for assessing real people" in done.stdout and "reintegrable" in done.stdout
    assert {"posterior.csv", "provenance.json", "generations.csv", "calibration.json"} <= {p.name for p in out.iterdir()}
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "chunks").iterdir()}
    again = _cli(*args)
    assert again.returncode == 0 and stamps == {p.name: p.stat().st_mtime_ns for p in (out / "chunks").iterdir()}
    other = _cli(*args[:-2], "--seed", "1", "--out", str(out))
    assert other.returncode == 2 and "holds a calibration with other seed" in other.stderr
    assert "Traceback" not in other.stderr and len(other.stderr.strip().splitlines()) == 1
    bad = _cli("calibrate", "--budget", "100", "--particles", "200", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "--particles 200 exceeds" in bad.stderr and not (tmp_path / "x").exists()
    monkeypatch.setattr(calibration, "SHIPPED", tmp_path / "shipped")
    prov = json.loads((out / "provenance.json").read_text())
    if prov["stopped"] != "tolerance reached":  # 100 prior draws rarely reach the final tolerance: never adopted
        refused = _cli(*args, "--adopt")
        assert refused.returncode == 2 and "stopped before its final tolerance (budget spent)" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1 and not (tmp_path / "shipped").exists()
        (out / "provenance.json").write_text(json.dumps({**prov, "stopped": "tolerance reached"}))  # as if finished
    calibration.adopt(out)
    assert len(calibration.ensemble(tmp_path / "shipped")) >= 20
