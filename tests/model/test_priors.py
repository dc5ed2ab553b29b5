"""Priors, not bounds: every parameter is a lever, an uncertainty or a constant; every uncertainty has a prior.

Bounds say what the model accepts; a prior says what is plausible, centred on the default
(its mode), with a basis (a row of docs/calibration-targets.csv, a named study, or an
assumption with its reasoning). Support and security effects' priors include none.
"""

import numpy as np
import pytest

from model import scenario as sc
from model.parameters import REGISTRY, ROLES, Prior
from model.scenario import ScenarioError

PROTECTIVE = ("supervision_deterrence", "monitoring_deterrence", "isolation_containment", "monitoring_support",
              "monitoring_contact_cut", "supervision_help", "support_help", "ll_tie_gain", "ll_case_gain",
              "ll_admin_friction_cut", "family_day_effect", "family_support_hosting", "trauma_care_effect",
              "programme_disengagement", "narrative_efficacy", "job_file_gain", "network_access_gain")


def test_every_parameter_has_a_role_and_every_uncertainty_a_prior_with_a_basis():
    for p in REGISTRY.values():
        assert p.role in ROLES, p.name
        if p.role == "uncertainty":
            assert p.prior is not None and p.prior.basis.strip(), p.name
            assert p.low <= p.prior.low <= p.default <= p.prior.high <= p.high, p.name
            assert p.prior.mode is None or p.prior.low <= p.prior.mode <= p.prior.high, p.name
        else:
            assert p.prior is None and p.change is None, p.name


def test_priors_are_centred_on_the_default_where_no_source_says_otherwise():
    """The default is the mode; where the range is not cut by a bound or a stated basis, it is the midpoint."""
    centred = [p for p in REGISTRY.values() if p.role == "uncertainty" and p.prior.shape == "triangular"
               and p.prior.basis.startswith("assumption: no source")]
    assert len(centred) > 30
    for p in centred:
        if p.prior.low > p.low and p.prior.high < p.high:
            assert np.isclose(p.default, (p.prior.low + p.prior.high) / 2), p.name


@pytest.mark.parametrize("name", PROTECTIVE)
def test_support_and_security_effects_may_be_absent(name):
    assert REGISTRY[name].prior.low <= 0.0


def test_a_prior_draws_within_its_range_around_its_mode():
    prior = Prior(0.1, 0.5, "test")
    x = prior.draw(np.linspace(0, 1, 10001), 0.2)
    assert x.min() == pytest.approx(0.1) and x.max() == pytest.approx(0.5)
    assert np.median(x) < 0.3 and (x < 0.2).mean() == pytest.approx((0.2 - 0.1) / 0.4, abs=1e-3)
    log = Prior(0.5, 2.0, "test", "log-triangular").draw(np.linspace(0, 1, 10001), 1.0)
    assert np.median(log) == pytest.approx(1.0, rel=1e-3)


def test_a_scenario_never_sets_an_uncertainty(tmp_path):
    path = tmp_path / "sets.toml"
    path.write_text('title = "t"\ndescription = "d"\n[[phases]]\nstart = "2026-01"\n[phases.parameters]\ninfo_flow = 0.6\n')
    with pytest.raises(ScenarioError, match="info_flow: an uncertainty.*change its status quo in \\[phases.changes\\]"):
        sc.load(path)


def test_a_scenario_changes_an_uncertain_status_quo_on_top_of_the_runs_value(tmp_path):
    path = tmp_path / "changes.toml"
    path.write_text('title = "t"\ndescription = "d"\n[[phases]]\nstart = "2026-01"\n[phases.changes]\n'
                    'info_flow = 0.3\nadmin_friction = 0.5\n')
    scenario = sc.load(path)
    t = scenario.timeline()
    assert t.values_at(150)["info_flow"] == pytest.approx(0.6) and t.values_at(150)["admin_friction"] == pytest.approx(0.25)
    drawn = scenario.with_values({"info_flow": 0.1, "admin_friction": 0.8}).timeline()  # a prior draw
    assert drawn.values_at(0)["info_flow"] == 0.1 and drawn.values_at(150)["info_flow"] == pytest.approx(0.4)
    assert drawn.values_at(150)["admin_friction"] == pytest.approx(0.4)
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "t"\ndescription = "d"\n[[phases]]\nstart = "2026-01"\n[phases.changes]\ninfo_flow = 3.0\n')
    with pytest.raises(ScenarioError, match="info_flow: 3.0 is not allowed; expected a shift in"):
        sc.load(bad)


def test_no_catalogue_scenario_sets_an_uncertainty():
    for name in sc.catalogue():
        for phase in sc.load(name).phases:
            assert all(REGISTRY[k].role != "uncertainty" for k in phase.values), name
