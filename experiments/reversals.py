"""Every effect can come out either way: for each lever, a setting of its pathway parameters that reverses it.

For each scenario lever, ``LEVERS`` names its main outcome, the two ends it is compared at,
and the uncertain parameters of its pathways that protect and that harm. ``find`` measures
the lever's paired effect at the registry's defaults, then moves from the defaults towards
each corner of those parameters (protective ones at their upper bound and harmful ones at
their lower bound, and the reverse) until the
effect is clearly beneficial, and clearly harmful (paired t of at least ``T_MIN`` each way); the
mildest such settings are stored
in ``docs/reversals.toml`` (``python scripts/find_reversals.py``) and re-checked by
``tests/experiments/test_reversals.py``. A lever whose effect no setting within the bounds can
reverse is listed in ``NOT_REVERSIBLE`` with the evidence for why that is plausible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from model import api
from model.api import OUTCOMES, REGISTRY

MONTHS = 120  # to December 2023: the levers act over the whole horizon, from 2014
REPS = 20
T_MIN = 3.0
CHECK_REPS, CHECK_T = 10, 2.0  # the tests re-check the first ten seeds: a stored setting must be clear on them too
STEPS = (0.25, 0.5, 0.75, 1.0)  # fractions of the way from the defaults to the corner


@dataclass(frozen=True)
class LeverCheck:
    """A lever compared between two settings on its main outcome, and the parameters of its pathways."""

    outcome: str
    low: Any
    high: Any
    protects: tuple[str, ...]  # uncertain parameters whose rise makes the lever's effect more beneficial
    harms: tuple[str, ...]  # ... more harmful
    context: Mapping[str, Any] = field(default_factory=dict)


# supervision: deterrence may turn into provocation (negative deterrence) and encounters into distrust; breaches are
# left out, since on offences committed they act both ways (incapacitation, lost housing)
_SUPERVISION = dict(outcome="reoffended_any_cum", protects=("supervision_deterrence", "supervision_justice"), harms=())
_LAB = dict(outcome="trust", protects=("ll_session_justice", "ll_tie_gain"), harms=("ll_labelling", "ll_staff_time"))
_WITHDRAWAL = dict(outcome="reoffended_any_cum", protects=("limbo_emigration",),
                   harms=("limbo_document_loss", "trust_effect", "need_effect"))
_FEWER_WITHDRAWALS = dict(outcome="reoffended_any_cum", protects=_WITHDRAWAL["harms"], harms=_WITHDRAWAL["protects"])
_MONITORING = dict(protects=("monitoring_deterrence", "monitoring_contact_cut", "monitoring_support", "security_justice"),
                   harms=("monitoring_stigma", "stigma_loss_effect", "meeting_staff_time"))
_MODALITY = dict(outcome="reoffended_any_cum", protects=("leave_plan_gain", "supervision_deterrence"),
                 harms=("leave_days_share", "limited_detention_days_share", "em_breach_effect", "em_stigma"))
LEVERS: dict[str, LeverCheck] = {
    "isolation_share": LeverCheck("extremist_ties", 0.0, 0.6, protects=("isolation_containment",),
                                  harms=("wing_contagion", "isolation_contact_cut", "isolation_programme_cut")),
    "national_consistency": LeverCheck("family_stability_at_release", 0.0, 1.0, protects=(), harms=("guideline_regime",)),
    "balanced_evaluations": LeverCheck("reoffended_any_cum", 0.0, 1.0, protects=("progress_validity", "supervision_deterrence"),
                                       harms=(), context={"cohort_scale": 3.0}),
    "probation_min_months": LeverCheck(low=0, high=60, **_SUPERVISION),
    "post_sentence_supervision": LeverCheck(low=0.0, high=1.0, **_SUPERVISION),
    "post_sentence_months": LeverCheck(low=12, high=180, context={"post_sentence_supervision": 1.0}, **_SUPERVISION),
    "leave_rate": LeverCheck(low=0.0, high=1.0, **_MODALITY),
    "limited_detention_rate": LeverCheck(low=0.0, high=1.0, **_MODALITY),
    "electronic_monitoring_rate": LeverCheck(low=0.0, high=1.0, **_MODALITY),
    "family_contact": LeverCheck("reoffended_any_cum", 0.0, 1.0, protects=("contact_stability_gain", "prosocial_effect"),
                                 harms=("family_extremist_share",)),
    "family_centred": LeverCheck("family_stability", 0.0, 1.0, protects=("family_day_effect", "family_support_hosting"),
                                 harms=("family_work_referral", "youth_protection_strain")),
    "coordination_per_year": LeverCheck("reoffended_any_cum", 0.0, 24.0, **_MONITORING),
    "coordination_scope": LeverCheck("reoffended_any_cum", "local", "full", context={"coordination_per_year": 12.0},
                                     **_MONITORING),
    "info_flow": LeverCheck("reoffended_any_cum", 0.0, 1.0, protects=("need_effect", *_MONITORING["protects"]),
                            harms=_MONITORING["harms"]),
    "monitoring_months": LeverCheck("reoffended_any_cum", 0, 120, **_MONITORING),
    "living_lab": LeverCheck(low=False, high=True, **_LAB),
    "ll_sessions_per_month": LeverCheck(low=0.0, high=8.0, context={"living_lab": True}, **_LAB),
    "ll_outreach": LeverCheck(low=0.0, high=1.0, context={"living_lab": True}, **_LAB),
    "ll_places": LeverCheck(low=1, high=60, context={"living_lab": True}, **_LAB),
    "ll_professional_participation": LeverCheck("trust", 0.0, 1.0, context={"living_lab": True},
                                                protects=("ll_session_justice", "ll_tie_gain", "security_justice"),
                                                harms=("ll_staff_time", "monitoring_stigma")),
    "nationality_withdrawal_rate": LeverCheck(low=0.0, high=1.0, **_WITHDRAWAL),
    "residence_withdrawal_rate": LeverCheck(low=0.0, high=1.0, context={"cohort_scale": 3.0}, **_WITHDRAWAL),
    "withdrawal_min_sentence": LeverCheck(low=0.0, high=240.0, context={"nationality_withdrawal_rate": 0.5},
                                          **_FEWER_WITHDRAWALS),
    "tailored_access": LeverCheck("stably_housed", 0.0, 1.0, protects=("network_access_gain",),
                                  harms=("priority_backlash", "stigma_barrier", "stigma_loss_effect")),
    "trauma_sensitive": LeverCheck("psychosocial_continuity", 0.0, 1.0, protects=("trauma_care_effect",),
                                   harms=("trauma_care_time",)),
    "counter_narrative": LeverCheck("public_stigma", 0.0, 1.0, protects=("narrative_efficacy",),
                                    harms=("narrative_backfire",)),
}
NOT_REVERSIBLE: dict[str, str] = {
    "prison_density_scale": "care at release: crowding only takes staff time and places from detainees; no study "
                            "finds that more crowding improves access or release (Council of Europe SPACE; the brief)",
    "prison_staff_fill": "care at release: staff present can only add access; overtime covers part of a shortage "
                         "(overtime_cover), so the effect can shrink towards zero but not change sign",
    "staff_absence": "as prison_staff_fill",
    "middle_management": "housed at release: organisation only speeds release preparation and cuts absence",
    "service_staffing": "stably housed: capacity only shortens queues; no evidence that more social-service staff harms",
    "post_release_support_months": "stably housed: support only adds help in queues; longer support is not known to "
                                   "harm (the brief: long-term support), so only its size is uncertain",
    "admin_friction": "administrative clarity: friction only loses attempts",
    "ll_family_participation": "bonding: relatives who take part only add contact and family ties in sessions; no "
                               "source gives a way family participation would weaken them",
    "removal_execution_rate": "offences counted in Belgium: a removal takes a person out of the Belgian count, so it "
                              "can only lower them (displacement, not rehabilitation); over the fixed cohort it "
                              "lowers the reintegration index instead",
}


def _arms(name: str, check: LeverCheck, setting: Mapping[str, Any], seeds: range, months: int) -> np.ndarray:
    """Paired differences high minus low of the main outcome, one per seed."""
    values = {**check.context, **setting}
    arms = [api.scenario_with("baseline", {**values, name: end}) for end in (check.low, check.high)]
    runs = api.run_batch([(arm, s) for arm in arms for s in seeds], months=months)
    k = len(seeds)
    return np.array([float(b.final()[check.outcome]) - float(a.final()[check.outcome])
                     for a, b in zip(runs[:k], runs[k:])])


def t_value(d: np.ndarray) -> float:
    sd = d.std(ddof=1)
    return float(d.mean() / (sd / np.sqrt(len(d)))) if sd > 0 else (0.0 if d.mean() == 0 else np.inf * np.sign(d.mean()))


def corner(check: LeverCheck, beneficial: bool) -> dict[str, float]:
    """The pathway parameters at the bounds that make the lever most beneficial (or most harmful)."""
    high, low = (check.protects, check.harms) if beneficial else (check.harms, check.protects)
    return {**{p: REGISTRY[p].high for p in high}, **{p: REGISTRY[p].low for p in low}}


def towards(target: Mapping[str, float], fraction: float) -> dict[str, Any]:
    """The setting ``fraction`` of the way from the defaults to ``target`` (integers rounded)."""
    out = {}
    for name, value in target.items():
        p = REGISTRY[name]
        x = min(max(p.default + fraction * (value - p.default), p.low), p.high)  # no rounding past a bound
        out[name] = int(round(x)) if p.kind == "int" else float(x)
    return out


def benefit(check: LeverCheck, d: np.ndarray) -> np.ndarray:
    """Paired differences signed so that positive is better for returnees or the public (the outcome's direction)."""
    better_up = OUTCOMES[check.outcome].higher_is_better
    return d if better_up is not False else -d


def clear(d: np.ndarray, wanted: float) -> bool:
    """Clearly in the wanted direction: over all replications and over the first ``CHECK_REPS`` the tests re-run."""
    return (np.sign(d.mean()) == wanted and abs(t_value(d)) >= T_MIN
            and np.sign(d[:CHECK_REPS].mean()) == wanted and abs(t_value(d[:CHECK_REPS])) >= CHECK_T)


def find(name: str, reps: int = REPS, months: int = MONTHS) -> dict[str, Any]:
    """The lever's effect at the defaults, and the mildest settings (towards the corners of its pathway parameters)
    under which it is clearly beneficial and clearly harmful; it can come out either way when both exist."""
    check = LEVERS[name]
    seeds = range(reps)
    base = benefit(check, _arms(name, check, {}, seeds, months))
    record: dict[str, Any] = {"outcome": check.outcome, "low": check.low, "high": check.high,
                              "context": dict(check.context), "default_benefit": float(base.mean()),
                              "default_t": t_value(base)}
    for kind, wanted in (("beneficial", 1.0), ("harmful", -1.0)):
        if clear(base, wanted):
            record[kind] = {"setting": {}, "benefit": float(base.mean()), "t": t_value(base)}
            continue
        target = corner(check, beneficial=wanted > 0)
        record[kind] = {"setting": "none", "benefit": float("nan"), "t": float("nan")}
        for fraction in STEPS:
            setting = towards(target, fraction)
            d = benefit(check, _arms(name, check, setting, seeds, months))
            record[kind] = {"setting": setting, "benefit": float(d.mean()), "t": t_value(d)}
            if clear(d, wanted):
                break
        else:
            record[kind]["setting"] = "none"  # even the corner does not make it so
    return record
