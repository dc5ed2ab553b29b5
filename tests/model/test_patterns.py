"""The patterns of spec section 6, each with its knock-out twin (spec section 7).

Each pattern is a direction, tested as a paired difference at the end of the horizon
over seeded replications with common random numbers. With the pathway present the
effect must be in the stated direction with paired t >= T_MIN; with the pathway
knocked out it must vanish: |effect| <= VANISH x |effect with the pathway| (most
knock-outs make the two arms identical, so the residual is exactly zero).

Power: the Belgian cohort has a handful of re-offences per run, so most patterns run a
cohort scaled 2x (280 adults) and the weakest (family contact and re-offending,
about one percentage point) 5x (700 adults). In exploratory runs the smallest
paired t at those sizes was about 5 at 6 replications; at t >= 3 with 4-7 degrees of
freedom the one-sided false-positive rate is below 2%, and a realistic effect of the
observed size is detected with power above 0.9.
"""

from __future__ import annotations

import pytest
from stats import paired_effect

T_MIN = 3.0
VANISH = 0.2
REPS = 5
SCALE = 2.0


def assert_pattern(effect, ko_effect, direction: int) -> None:
    assert effect.mean * direction > 0, f"wrong direction: {effect.mean:+.4f}"
    assert effect.t * direction >= T_MIN, f"effect {effect.mean:+.4f} with t={effect.t:.2f} < {T_MIN}"
    assert abs(ko_effect.mean) <= VANISH * abs(effect.mean), (
        f"knock-out left {ko_effect.mean:+.4f} of {effect.mean:+.4f}"
    )


CROWDED = {"prison_density_scale": 1.5, "staff_absence": 0.3}


@pytest.fixture(scope="module")
def crowding():
    outcomes = ["programme_participation", "care_at_release", "family_stability_at_release"]
    return (paired_effect({}, CROWDED, outcomes, REPS, SCALE),
            paired_effect({}, CROWDED, outcomes, REPS, SCALE, knockouts=("staff_access",)))


@pytest.mark.parametrize("outcome", ["care_at_release", "family_stability_at_release"])
def test_overcrowding_and_staff_shortage_worsen_release(crowding, outcome):
    effect, knocked = crowding
    assert_pattern(effect[outcome], knocked[outcome], direction=-1)


def test_overcrowding_cuts_access_in_detention(crowding):
    effect, knocked = crowding
    # programme participation is a monthly snapshot of a few detainees at the horizon: a
    # weaker threshold (t >= 2) is used, and the knock-out must remove it entirely
    e = effect["programme_participation"]
    assert e.mean < 0 and e.t <= -2.0
    assert knocked["programme_participation"].mean == 0.0


@pytest.fixture(scope="module")
def coordination():
    policy = {"coordination_scope": "full", "coordination_per_year": 12.0}
    outcomes = ["housed_at_release", "documented_at_release"]
    return (paired_effect({}, policy, outcomes, REPS, SCALE),
            paired_effect({}, policy, outcomes, REPS, SCALE, knockouts=("information",)))


@pytest.mark.parametrize("outcome", ["housed_at_release", "documented_at_release"])
def test_coordination_keeps_housing_and_documents_at_release(coordination, outcome):
    effect, knocked = coordination
    assert_pattern(effect[outcome], knocked[outcome], direction=+1)


LAB_OUTCOMES = ["linking", "bridging", "trust", "admin_clarity", "family_stability"]


@pytest.fixture(scope="module")
def living_lab():
    policy = {"living_lab": True}
    return (paired_effect({}, policy, LAB_OUTCOMES, REPS, SCALE),
            paired_effect({}, policy, LAB_OUTCOMES, REPS, SCALE, knockouts=("living_lab_effects",)))


@pytest.mark.parametrize("outcome", LAB_OUTCOMES)
def test_living_lab_builds_capital_trust_and_stability(living_lab, outcome):
    effect, knocked = living_lab
    assert_pattern(effect[outcome], knocked[outcome], direction=+1)


STAY = {"nationality_withdrawal_rate": 0.5, "removal_execution_rate": 0.0}
WITHDRAWAL_OUTCOMES = ["admin_clarity", "stably_housed", "employed"]


@pytest.fixture(scope="module")
def withdrawal():
    return (paired_effect({}, STAY, WITHDRAWAL_OUTCOMES, REPS, SCALE, group="dual"),
            paired_effect({}, STAY, WITHDRAWAL_OUTCOMES, REPS, SCALE, group="dual", knockouts=("limbo",)))


@pytest.mark.parametrize("outcome", WITHDRAWAL_OUTCOMES)
def test_nationality_withdrawal_leaves_those_who_stay_in_limbo(withdrawal, outcome):
    """Dual nationals (the group that can be stripped), with removals never executed."""
    effect, knocked = withdrawal
    assert_pattern(effect[outcome], knocked[outcome], direction=-1)


@pytest.fixture(scope="module")
def removal():
    executed = {**STAY, "removal_execution_rate": 0.1}
    outcomes = ["reoffended_any_cum", "removed", "withdrawn"]
    return (paired_effect(STAY, executed, outcomes, REPS, SCALE),
            paired_effect(STAY, executed, outcomes, REPS, SCALE, knockouts=("removal",)))


def test_executed_removals_show_as_displacement_not_rehabilitation(removal):
    """Fewer re-offences counted in Belgium, and the outputs say where the people went."""
    effect, knocked = removal
    assert_pattern(effect["reoffended_any_cum"], knocked["reoffended_any_cum"], direction=-1)
    assert effect["removed"].mean > 0 and knocked["removed"].mean == 0
    # the same people were stripped in both arms: what changed is only who left the count
    assert effect["withdrawn"].mean == 0


@pytest.fixture(scope="module")
def family_contact():
    outcomes = ["reoffended_any_cum", "family_stability_at_release"]
    none, full = {"family_contact": 0.0}, {"family_contact": 1.0}
    return (paired_effect(none, full, outcomes, 8, 5.0),
            paired_effect(none, full, outcomes, 8, 5.0, knockouts=("family_contact",)))


def test_family_contact_in_detention_lowers_reoffending(family_contact):
    effect, knocked = family_contact
    assert_pattern(effect["reoffended_any_cum"], knocked["reoffended_any_cum"], direction=-1)
    assert_pattern(effect["family_stability_at_release"], knocked["family_stability_at_release"], direction=+1)


def test_terrorism_reoffending_stays_single_digit_under_baseline():
    """Renard (2020): 2.3% reconvicted, under 5% with re-engagement (targets.csv).

    Mean over 10 seeds of the Belgian cohort; tolerance: the mean lies in (0.2%, 9.9%)
    and no single run exceeds 10%.
    """
    from model import api

    values = [float(api.run("baseline", seed=s).final()["reoffended_terror_cum"]) for s in range(10)]
    mean = sum(values) / len(values)
    assert 0.002 < mean < 0.099, values
    assert max(values) < 0.10, values


@pytest.fixture(scope="module")
def isolation():
    """Security measures protect too (spec section 4): isolating recruiters limits the spread
    of extremist ties among detainees. Measured in January 2019 (month 60), when most
    returnees were detained; with containment switched off the benefit must vanish."""
    strict, none = {"isolation_share": 0.6}, {"isolation_share": 0.0}
    contained = paired_effect(none, strict, ["extremist_ties"], REPS, SCALE, months=61)
    leaky = paired_effect({**none, "isolation_containment": 0.0}, {**strict, "isolation_containment": 0.0},
                          ["extremist_ties"], REPS, SCALE, months=61)
    return contained["extremist_ties"], leaky["extremist_ties"]


def test_isolating_recruiters_limits_extremist_ties(isolation):
    contained, leaky = isolation
    assert contained.mean < 0 and contained.t <= -T_MIN, (contained.mean, contained.t)
    # without containment, isolation only cuts family contact and programmes: no protective effect
    assert leaky.mean >= VANISH * contained.mean


def test_supervision_deters_offending_while_it_lasts():
    """Protective effect of supervision: with full deterrence instead of none, fewer re-offences (paired)."""
    effect = paired_effect({"supervision_deterrence": 0.0}, {"supervision_deterrence": 0.9},
                           ["reoffended_any_cum"], REPS, SCALE)["reoffended_any_cum"]
    assert effect.mean < 0 and effect.t <= -T_MIN, (effect.mean, effect.t)
