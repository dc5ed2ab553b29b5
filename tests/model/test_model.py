import numpy as np
import pandas as pd
import pytest

from model import api
from model.outcomes import OUTCOMES, PERSON_OUTCOMES, by_group_frame
from model.parameters import ParameterError
from model.state import DUAL, REMOVED

REQUIRED = ["month", "date", "arrived", "in_detention", "in_community", "removed", "stably_housed", "family_stability",
            "admin_clarity", "psychosocial_continuity", "employed", "trust", "bonding", "bridging", "linking",
            "reintegration_index", "reoffended_terror_cum", "reoffended_any_cum", "reincarcerated_cum",
            "living_lab_participants", "coordination_meetings", "cost_eur"]


@pytest.fixture(scope="module")
def baseline():
    return api.run("baseline", seed=11)


def test_output_has_every_required_column_and_the_full_horizon(baseline):
    ts = baseline.timeseries
    assert list(ts.columns[: len(REQUIRED)]) == REQUIRED
    assert len(ts) == 204 and ts["date"].iloc[-1] == "2030-12"
    groups = baseline.by_group
    assert set(groups["group"]) == {"woman", "man", "belgian", "dual", "resident"}
    assert len(groups) == 204 * 5


def test_shares_lie_in_the_unit_interval_and_cumulatives_never_fall(baseline):
    ts = baseline.timeseries
    for o in PERSON_OUTCOMES:
        if o.kind in ("share", "mean") and o.name not in ("months_to_stable_housing", "detention_months",
                                                          "outside_cell_months"):
            values = ts[o.name].dropna()
            assert ((values >= 0) & (values <= 1)).all(), o.name
    # cumulative shares are over everyone arrived so far: the counts behind them never fall
    for name in ("reoffended_terror_cum", "reoffended_any_cum", "reincarcerated_cum", "reconvicted_terror_cum",
                 "reconvicted_any_cum"):
        count = (ts[name].fillna(0) * ts["arrived"]).round(6)
        assert (count.diff().dropna() >= 0).all(), name
    for name in ("arrived", "cost_eur_cum"):
        assert (ts[name].diff().dropna() >= 0).all(), name


STATES = ("in_detention", "in_community", "removed", "dead", "departed", "transferred", "emigrated", "lost_to_contact")


def test_counts_add_up_and_every_state_is_reached(baseline):
    ts = baseline.timeseries
    assert (sum(ts[s] for s in STATES) == ts["arrived"]).all()
    assert ts[list(STATES)].iloc[-1].gt(0).sum() >= 6
    shares = [f"share_{s}_cohort" for s in ("detained", "community", "removed", "exited", "lost")]
    np.testing.assert_allclose(ts[shares].sum(axis=1).iloc[24:], 1.0)  # competing states of the cohort
    g = baseline.by_group
    for by in ("gender", "citizenship"):
        total = g[g["group_by"] == by].groupby("month")["arrived"].sum()
        assert np.array_equal(total.to_numpy(), ts["arrived"].to_numpy())


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b, c = (api.run("baseline", seed=s, months=60).timeseries for s in (3, 3, 4))
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_scenarios_with_the_same_seed_share_luck_until_a_phase_starts(tmp_path):
    scenario = tmp_path / "lab_from_2020.toml"
    scenario.write_text('title = "t"\ndescription = "d"\n[[phases]]\nstart = "2020-01"\n[phases.parameters]\nliving_lab = true\n')
    a = api.run("baseline", seed=9, months=120).timeseries
    b = api.run(scenario, seed=9, months=120).timeseries
    before, after = a["month"] < 72, a["month"] >= 73
    pd.testing.assert_frame_equal(a[before], b[before])
    assert not a[after].equals(b[after])


def test_a_stripped_dual_national_stays_in_the_dual_group():
    overrides = {"nationality_withdrawal_rate": 1.0, "removal_execution_rate": 0.0, "residence_withdrawal_rate": 0.0}
    m = api.build("baseline", seed=2, overrides=overrides)
    m.run()
    stripped = m.pop.stripped
    assert stripped.any() and (m.pop.citizenship[stripped] == DUAL).all()
    dual = by_group_frame(m.recorder.arrays()[1][0]).query("group == 'dual'").iloc[-1]
    assert dual["arrived"] == (m.pop.citizenship == DUAL).sum() and dual["withdrawn"] == stripped.sum()
    assert not (m.pop.custody == REMOVED).any()


def test_reconvictions_never_exceed_offences(baseline):
    ts = baseline.timeseries.fillna(0.0)
    assert (ts["reconvicted_any_cum"] <= ts["reoffended_any_cum"] + 1e-12).all()
    assert (ts["reconvicted_terror_cum"] <= ts["reoffended_terror_cum"] + 1e-12).all()


def test_the_cohort_index_never_exceeds_the_present_based_one(baseline):
    ts = baseline.timeseries.dropna(subset=["reintegration_index"])
    assert (ts["reintegration_index_cohort"] <= ts["reintegration_index"] + 1e-12).all()


def test_unknown_knockout_and_bad_horizon_are_rejected():
    with pytest.raises(ParameterError, match="unknown knock-out"):
        api.build("baseline", knockouts=("everything",))
    with pytest.raises(ParameterError, match="months"):
        api.build("baseline", months=0)


def test_every_outcome_is_labelled():
    assert all(o.label for o in OUTCOMES.values())


def test_mesa_agents_view_live_state():
    m = api.build("baseline", seed=1, months=24)
    m.run()
    from model.agents import Agency, Returnee

    returnees = m.agents_by_type[Returnee]
    assert len(returnees) == m.pop.n and len(m.agents_by_type[Agency]) == m.ag.n
    custody = returnees.groupby("custody").count()
    assert sum(custody.values()) == m.pop.n
