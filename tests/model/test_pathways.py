"""Every lever acts only through its named intermediate states (``model.knockouts.PATHWAYS``).

For each scenario lever: set at the two ends of its range (over the whole horizon, in the
context it needs, say a Living Lab for its sessions), its effect on returnee outcomes is
non-zero; with its pathways knocked out it is exactly zero on every returnee outcome: what
may still move is the lever's own accounting (meetings held, sessions, participants,
withdrawals, cost) and model-level states such as public stigma.
"""

import numpy as np
import pytest

from model import api
from model.knockouts import KNOCKOUTS, PATHWAYS
from model.outcomes import PERSON_OUTCOMES
from model.parameters import REGISTRY

pytestmark = pytest.mark.slow

MONTHS = 120
SEEDS = (0, 1)
# a lever's own doing, not an effect on returnees: people in the measure it sets
ACCOUNTING = {"living_lab_participants", "withdrawn", "supervised", "followed_by_local_cell"}
CONTEXT = {  # what a lever needs around it to act at all
    "ll_sessions_per_month": {"living_lab": True}, "ll_places": {"living_lab": True}, "ll_outreach": {"living_lab": True},
    "ll_family_participation": {"living_lab": True}, "ll_professional_participation": {"living_lab": True},
    "removal_execution_rate": {"nationality_withdrawal_rate": 0.5}, "withdrawal_min_sentence": {"nationality_withdrawal_rate": 0.5},
    "post_sentence_months": {"post_sentence_supervision": 1.0},
    "coordination_scope": {"coordination_per_year": 12.0},
}
RETURNEE_OUTCOMES = [o.name for o in PERSON_OUTCOMES if o.name not in ACCOUNTING]


def _ends(name):
    p = REGISTRY[name]
    if p.kind == "bool":
        return False, True
    if p.kind == "choice":
        return p.choices[0], p.choices[-1]
    return p.low, p.high


def _effect(name, knockouts):
    arms = [api.scenario_with("baseline", {**CONTEXT.get(name, {}), name: end}) for end in _ends(name)]
    runs = api.run_batch([(arm, seed) for arm in arms for seed in SEEDS], months=MONTHS, knockouts=knockouts)
    low, high = runs[:len(SEEDS)], runs[len(SEEDS):]
    return np.array([(h.timeseries[RETURNEE_OUTCOMES] - l.timeseries[RETURNEE_OUTCOMES]).abs().to_numpy(na_value=0.0).max()
                     for l, h in zip(low, high)]).max()


def test_every_scenario_lever_names_its_pathways():
    levers = {p.name for p in REGISTRY.values() if p.role == "lever"}
    structural = {"probation_min_months"} - set(PATHWAYS)
    assert levers - set(PATHWAYS) - structural == set(), sorted(levers - set(PATHWAYS))
    assert all(k in KNOCKOUTS for ways in PATHWAYS.values() for k in ways)


@pytest.mark.parametrize("name", sorted(PATHWAYS))
def test_a_lever_acts_and_its_effect_is_exactly_zero_without_its_pathways(name):
    assert _effect(name, ()) > 0, f"{name} changes no returnee outcome at all"
    assert _effect(name, PATHWAYS[name]) == 0.0, f"{name} acts outside its pathways {PATHWAYS[name]}"
