"""Every catalogue scenario differs from its parent where and when its title and description say.

``CHANGES`` is read off each scenario's text: the date its measures start and the levers they
move. A scenario whose file drifted from its text (the counterfactual that once equalled the
full SRA byte for byte) fails here, and so does a new scenario nobody described in this table.
"""

import re

import pandas as pd
import pytest

from model import api
from model import scenario as sc
from model.calendar import date_to_month

FULL_SRA = {
    "living_lab", "ll_outreach", "ll_family_participation", "ll_professional_participation",
    "coordination_scope", "coordination_per_year", "info_flow", "prison_staff_fill", "staff_absence",
    "middle_management", "service_staffing", "national_consistency", "isolation_share", "balanced_evaluations",
    "family_contact", "family_centred", "trauma_sensitive", "tailored_access", "post_release_support_months",
    "nationality_withdrawal_rate", "residence_withdrawal_rate", "counter_narrative", "admin_friction",
}
# scenario: (first month it differs from its parent, the levers it moves at some date); a value a file
# sets to what its parent has already (two Living Lab sessions a month) moves nothing
CHANGES = {
    "overcrowding_crisis": ("2023-01", {"prison_density_scale", "staff_absence"}),
    "staffing_recovery": ("2026-01", {"prison_staff_fill", "staff_absence", "middle_management", "service_staffing"}),
    "coordinated_agencies": ("2026-01", {"coordination_scope", "coordination_per_year", "info_flow"}),
    "living_lab": ("2026-01", {"living_lab", "ll_outreach", "ll_family_participation", "ll_professional_participation"}),
    "family_centred": ("2026-01", {"family_contact", "family_centred", "ll_family_participation"}),
    "strict_sanctions": ("2026-01", {"nationality_withdrawal_rate", "residence_withdrawal_rate", "withdrawal_min_sentence",
                                     "removal_execution_rate", "isolation_share", "balanced_evaluations"}),
    "rights_based": ("2026-01", {"nationality_withdrawal_rate", "residence_withdrawal_rate", "post_release_support_months",
                                 "tailored_access", "balanced_evaluations"}),
    "trauma_sensitive": ("2026-01", {"trauma_sensitive"}),
    "supervision_and_monitoring": ("2026-01", {"post_sentence_supervision", "probation_min_months",
                                               "coordination_scope", "coordination_per_year", "monitoring_months",
                                               "electronic_monitoring_rate"}),
    "recruiter_containment": ("2026-01", {"isolation_share", "balanced_evaluations", "leave_rate",
                                          "limited_detention_rate", "electronic_monitoring_rate"}),
    "full_sra": ("2026-01", FULL_SRA),
    "full_sra_since_2016": ("2016-01", FULL_SRA),  # against its parent full_sra: the same measures ten years earlier
}
HORIZON = date_to_month("2030-12") + 1


def test_every_catalogue_scenario_but_the_baseline_is_described_here():
    assert set(sc.catalogue()) - {"baseline"} == set(CHANGES)


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_scenario_differs_from_its_parent_from_the_date_in_its_title(name):
    scenario = sc.load(name)
    parent = sc.load(scenario.parent)
    start, levers = CHANGES[name]
    assert sc.first_difference(parent, scenario, HORIZON) == date_to_month(start)
    assert re.search(rf"\b(from|since) {start[:4]}\b", scenario.title), scenario.title
    a, b = parent.timeline(), scenario.timeline()
    moved = {k for m in range(HORIZON) for k, v in b.values_at(m).items() if a.values_at(m)[k] != v}
    assert moved == levers


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CHANGES))
def test_its_outcomes_equal_the_parents_before_that_date_and_part_after(name):
    scenario = sc.load(name)
    start = date_to_month(CHANGES[name][0])
    mine = api.run(scenario, seed=0).timeseries
    theirs = api.run(scenario.parent, seed=0).timeseries
    pd.testing.assert_frame_equal(mine.iloc[:start], theirs.iloc[:start])  # common random numbers: same past
    after = mine.iloc[start:].drop(columns=["month", "date"]).to_numpy() != theirs.iloc[start:].drop(columns=["month", "date"]).to_numpy()
    assert after.any(axis=1)[:24].any(), f"{name} changes nothing in the two years after {CHANGES[name][0]}"
