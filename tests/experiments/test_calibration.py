"""Calibration: a twin experiment recovers known parameter values; the posterior in use is the shipped ensemble.

Twin experiment: the fitted checks that end by mid-2025 are measured on the model itself at known values
(nationality withdrawals 1.5x and loss of contact 1.5x their defaults; the mean of 16 seeded runs is the
"published" figure), every uncertainty starts from its prior, and ABC-SMC with the project's tolerances must
(a) pick both parameters as informed by the targets, (b) move their medians towards the truth and (c) keep the
truth inside the posterior's 95% range while narrowing it to at most 80% of the prior's.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from experiments import abc, calibration
from experiments.compare import compare
from experiments.runner import Task, execute_batch, replicate_seeds, uncertain_parameters
from experiments.targets import BY_TARGET, months_needed
from model import api
from model.parameters import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
TRUTH = {"nationality_withdrawal_rate": 0.045, "lost_contact_rate": 0.003}
TWIN_TARGETS = {"nationality_stripping": 4.0, "reintegrable": 10.0, "terror_reengagement": 0.0084}


@pytest.fixture(scope="module")
def twin():
    checks = [BY_TARGET[t] for t in TWIN_TARGETS]
    months = months_needed(checks)
    truth = api.scenario_with("baseline", TRUTH)
    outputs = execute_batch([Task(truth, s, months) for s in replicate_seeds(99, 16)])
    observed = calibration.statistics(outputs, checks).mean(axis=0)
    fits = [(c, float(v), TWIN_TARGETS[c.target]) for c, v in zip(checks, observed)]
    priors = calibration.RegistryPriors(uncertain_parameters())
    settings = abc.Settings(particles=150, first=600, budget=1600, chunk=200, generations=4)
    result = abc.run(calibration.simulator(priors, fits, months, None, 1), priors, len(priors.names), priors.real(),
                     settings, seed=11, store=abc.MemoryStore())
    return priors, result


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_a_twin_calibration_recovers_known_values(twin, name):
    priors, result = twin
    j = priors.names.index(name)
    assert j in result.calibrated, [priors.names[k] for k in result.calibrated]
    g = result.final
    post = g.theta[abc.resample(g, 2000, 0), j]
    prior = result.prior_theta[:, j]
    truth, default = TRUTH[name], REGISTRY[name].default
    assert abs(np.median(post) - truth) < abs(np.median(prior) - truth)
    lo, hi = np.quantile(post, [0.025, 0.975])
    plo, phi = np.quantile(prior, [0.025, 0.975])
    assert lo <= truth <= hi and (hi - lo) <= 0.8 * (phi - plo), (name, lo, hi, plo, phi, default)


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
    assert [d["lost_contact_rate"] for d in fallback] == [d["lost_contact_rate"] for d in
                                                           __import__("experiments.runner").runner.draw_priors(5, 7)]


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
    calibration.adopt(out)
    assert len(calibration.ensemble(tmp_path / "shipped")) >= 20
