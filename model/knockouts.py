"""Knock-outs: each cuts one named intermediate state, so a test can show an effect vanish without it.

A lever acts only through intermediate states; ``PATHWAYS`` names the ones each lever acts
through. Knocking all of a lever's pathways out makes its effect on every returnee outcome
exactly zero (``tests/model/test_pathways.py``); what remains is the lever's own accounting
(meetings held, sessions run, withdrawals made, their cost). Knock-outs are switches for
tests and analysis, never scenario parameters: ``Model(knockouts=...)`` takes them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from .agencies import TIE_TYPES, tie_name

TIE_KNOCKOUTS: Mapping[str, tuple[str, str]] = MappingProxyType({f"tie:{tie_name(t)}": t for t in TIE_TYPES})
KNOCKOUTS: Mapping[str, str] = MappingProxyType({
    "programme_access": "programme and care access in detention no longer depends on staff per detainee, middle "
                        "management or a prison's regime (full access everywhere)",
    "prison_regime": "prisons' regimes no longer differ (no regime deviation, whatever the consistency)",
    "isolation": "a place in a D-Rad:Ex wing changes nothing: no contact or programme cut, no containment or "
                 "contagion, no distrust",
    "case_information": "case files pass between agencies at one fixed paper rate: no tie, meeting, Living Lab file or "
                        "information flow between levels helps them along",
    "staff_time": "coordination meetings and Living Lab sessions take no capacity from agencies",
    "service_queue": "community agencies serve everyone who needs them (no queue, no priority)",
    "living_lab_sessions": "attending Living Lab sessions builds no ties, shares no files, is no encounter and labels "
                           "no one",
    "family_contact": "family contact (visits, family days, contact in the community) changes no ties, stability or "
                      "exposure",
    "family_support": "family-centred work after release changes no hosting capacity and refers no family",
    "trust": "encounters with institutions no longer move trust",
    "evaluations": "the court's decisions and hearings no longer depend on how balanced evaluations are",
    "modalities": "no penitentiary leave, limited detention or electronic monitoring is granted",
    "supervision": "supervision no longer deters, detects, helps, is an encounter, keeps people in view or brings "
                   "breaches",
    "support": "post-release support gives no extra help",
    "monitoring": "risk information at a local cell or the police changes nothing: no support, deterrence, detection, "
                  "contact cut or stigma",
    "extremist_ties": "extremist ties no longer change (no exposure, pull, disengagement or contact cut)",
    "stigma": "stigma no longer bars housing, work or peer contact",
    "friction": "administrative attempts are never lost to friction between fragmented services",
    "trauma_methods": "trauma-sensitive methods change neither care dropout, trauma recovery nor care time",
    "limbo": "a withdrawal changes nothing for the person: legal status, documents, benefits, work, trust and "
             "emigration stay",
    "removal": "removal orders are never executed",
    "incapacitation": "detention no longer prevents offending (offences inside count too)",
    # one per coordination tie type: that tie does not exist (no meetings; files pass between the two on paper,
    # or as a Living Lab file where both agencies sent professionals)
    **{name: f"no coordination tie between {a} and {b}" for name, (a, b) in TIE_KNOCKOUTS.items()},
})

# lever -> the intermediate states it acts through (scenario levers of the registry)
PATHWAYS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "prison_density_scale": ("programme_access",),
    "prison_staff_fill": ("programme_access",),
    "staff_absence": ("programme_access",),
    "middle_management": ("programme_access",),
    "isolation_share": ("isolation",),
    "national_consistency": ("prison_regime",),
    "balanced_evaluations": ("evaluations",),
    "probation_min_months": ("supervision",),
    "post_sentence_supervision": ("supervision",),
    "post_sentence_months": ("supervision",),
    "leave_rate": ("modalities",),
    "limited_detention_rate": ("modalities",),
    "electronic_monitoring_rate": ("modalities",),
    "family_contact": ("family_contact",),
    "family_centred": ("family_contact", "family_support"),
    "coordination_per_year": ("case_information", "staff_time"),
    "coordination_scope": ("case_information", "staff_time"),
    "info_flow": ("case_information",),
    "monitoring_months": ("monitoring",),
    "living_lab": ("living_lab_sessions", "staff_time"),
    "ll_sessions_per_month": ("living_lab_sessions", "staff_time"),
    "ll_places": ("living_lab_sessions", "staff_time"),
    "ll_outreach": ("living_lab_sessions", "staff_time"),
    "ll_family_participation": ("living_lab_sessions",),
    "ll_professional_participation": ("living_lab_sessions", "staff_time"),
    "nationality_withdrawal_rate": ("limbo", "removal"),
    "withdrawal_min_sentence": ("limbo", "removal"),
    "residence_withdrawal_rate": ("limbo", "removal"),
    "removal_execution_rate": ("removal",),
    "service_staffing": ("service_queue",),
    "tailored_access": ("service_queue", "stigma"),
    "post_release_support_months": ("support",),
    "trauma_sensitive": ("trauma_methods",),
    "admin_friction": ("friction",),
    "counter_narrative": ("stigma",),
})
