"""The parameter registry: every lever and coefficient of the model, declared once.

Validation, scenario files, sweeps, sensitivity ranges, dashboard sliders and the
ODD parameter table all read from ``REGISTRY``. A parameter's ``source`` is an id
from ``shared/calibration/targets.csv``, a pointer into the policy brief
(``brief:<section>``), or the word ``assumption``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterable, Mapping

ASSUMPTION = "assumption"


class ParameterError(ValueError):
    """A parameter value or name that the registry rejects (one-line message)."""


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its kind, unit, range, default and where it comes from."""

    name: str
    default: Any
    low: float | None
    high: float | None
    unit: str
    source: str
    help: str
    group: str
    kind: str = "real"  # real | int | bool | choice
    choices: tuple[str, ...] = ()

    @property
    def is_assumption(self) -> bool:
        return self.source.startswith(ASSUMPTION)

    def allowed(self) -> str:
        """The allowed values, as an error message states them."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return f"{self.kind} in [{_fmt(self.low)}, {_fmt(self.high)}]"

    def validate(self, value: Any, where: str = "") -> Any:
        """Return ``value`` coerced to this parameter's kind, or raise ParameterError.

        Numbers are range-checked before any conversion, so NaN, infinities and integers no
        float can hold (a 400-digit number) are refused in one line instead of raising
        ValueError or OverflowError on the way.
        """
        prefix = f"{where}: " if where else ""

        def bad() -> ParameterError:
            return ParameterError(f"{prefix}{self.name} = {show(value)} is not allowed; expected {self.allowed()} ({self.unit})")

        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise bad()
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            raise bad()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise bad()
        if not isinstance(value, numbers.Integral) and not math.isfinite(value):  # NaN, inf
            raise bad()
        if not self.low <= value <= self.high:  # exact for integers of any size
            raise bad()
        if self.kind == "int":
            if not isinstance(value, numbers.Integral) and not float(value).is_integer():
                raise bad()
            return int(value)
        return float(value)


def show(value: Any, width: int = 60) -> str:
    """A value as a one-line error message shows it: short, whatever its size or depth."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return f"a {int(value.bit_length() * 0.30103) + 1}-digit number"
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return f"a deeply nested {type(value).__name__}"
    return text if len(text) <= width else text[: width - 3] + "..."


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _p(name, default, low, high, unit, source, help, group, kind="real", choices=()):
    return Parameter(name, default, low, high, unit, source, help, group, kind, tuple(choices))


A = ASSUMPTION
# fmt: off
_DECLARED: list[Parameter] = [
    # --- population and structure ------------------------------------------------------
    _p("cohort_scale", 1.0, 0.1, 100.0, "multiplier", "returned_2022",
       "Scales the Belgian cohort (140 adults, 40 children) for hypothetical larger populations; agency capacity scales with it.", "population"),
    _p("n_prisons", 6, 1, 30, "prisons", A, "Prisons that hold returnees (D-Rad:Ex wings in Hasselt and Ittre among them).", "population", "int"),
    _p("n_municipalities", 8, 1, 60, "municipalities", A, "Municipalities returnees live in, each with its own local cell and social services.", "population", "int"),
    _p("women_share_early", 0.10, 0.0, 0.5, "share", A, "Share of women among adults who returned before the 2021-2022 repatriation flights.", "population"),
    _p("dual_share", 0.35, 0.0, 0.8, "share", A, "Share of returnees holding a second nationality (eligible for nationality withdrawal).", "population"),
    _p("resident_share", 0.10, 0.0, 0.5, "share", A, "Share of returnees who are non-citizen residents (eligible for residence withdrawal).", "population"),
    _p("children_with_early_returnees", 14, 0, 60, "children", "returned_2022",
       "Children who returned with adults outside the repatriation flights (about 40 children in all, 26 of them on the flights).", "population", "int"),
    _p("detained_on_arrival", 0.85, 0.3, 1.0, "share", A, "Share of arriving adults placed in pre-trial detention.", "population"),
    _p("pretrial_months", 10.0, 1.0, 36.0, "months", A, "Mean time in pre-trial detention before sentencing.", "population"),
    _p("sentence_months_men", 60.0, 12.0, 180.0, "months", A, "Median sentence of men for terrorism offences.", "population"),
    _p("sentence_months_women", 48.0, 12.0, 180.0, "months", A, "Median sentence of women (repatriated women were mostly sentenced to five years).", "population"),
    _p("sentence_dispersion", 0.4, 0.05, 1.0, "log-sd", A, "Dispersion (log standard deviation) of sentence lengths.", "population"),
    _p("extremist_ties_initial", 0.35, 0.0, 1.0, "tie weight", A, "Mean initial weight of ties to extremist peers on arrival.", "population"),
    _p("trauma_initial", 0.5, 0.0, 1.0, "index", "brief:III", "Mean trauma load on arrival (conflict zones, camps).", "population"),
    _p("host_capacity_mean", 0.5, 0.0, 1.0, "index", A, "Mean capacity of a returnee's family to host them after release.", "population"),
    _p("family_members", 3, 1, 10, "persons", A, "Adult family members (partner, parents, siblings) tied to each returnee.", "population", "int"),
    _p("peers_per_returnee", 5, 0, 30, "ties", A, "Prosocial community ties (friends, neighbours, mentors) per returnee.", "population", "int"),
    _p("extremist_peers_per_returnee", 2, 0, 10, "ties", A, "Ties to extremist peers per returnee.", "population", "int"),

    # --- network -----------------------------------------------------------------------
    _p("tie_gain", 0.15, 0.0, 0.6, "per month", A, "Strengthening of a tie in a month of contact.", "network"),
    _p("tie_decay", 0.05, 0.0, 0.3, "per month", A, "Weakening of a tie in a month without contact.", "network"),
    _p("capital_saturation", 3.0, 0.5, 10.0, "tie weight", A, "Summed tie weight at which social capital reaches 63% of its maximum.", "network"),

    # --- prisons (policy levers first) -------------------------------------------------
    _p("prison_density_scale", 1.0, 0.6, 1.8, "multiplier", "prison_density_2015",
       "Multiplier on the recorded prison density series (1.27 in 2015, 1.15 in 2023, 1.146 in 2024, about 1.24 in 2025).", "prison"),
    _p("prison_staff_fill", 0.984, 0.5, 1.0, "share", "staff_fill_2023", "Share of prison staff posts filled.", "prison"),
    _p("staff_absence", 0.10, 0.0, 0.5, "share", A, "Share of filled prison posts absent in a month (sickness, strikes).", "prison"),
    _p("middle_management", 0.4, 0.0, 1.0, "share", "brief:II", "Share of the required middle-management posts filled (organisational capacity).", "prison"),
    _p("isolation_share", 0.20, 0.0, 1.0, "share", "celex_followed_2018",
       "Share of returnee detainees placed in isolation units (D-Rad:Ex) under the security-first regime.", "prison"),
    _p("national_consistency", 0.3, 0.0, 1.0, "index", "brief:I", "How alike prisons' regimes are (1 = shared guidelines everywhere).", "prison"),
    _p("balanced_evaluations", 0.2, 0.0, 1.0, "weight", "brief:II",
       "Weight of resilience and progress next to risk in evaluations for the sentence-implementation court.", "prison"),
    _p("staff_posts_per_place", 0.75, 0.2, 1.5, "FTE per place", A, "Prison staff posts per prison place (posts are sized to capacity).", "prison"),
    _p("staff_per_detainee_needed", 0.75, 0.2, 1.5, "FTE per detainee", A, "Staff per detainee at which programmes and care run fully.", "prison"),
    _p("access_elasticity", 1.5, 0.2, 4.0, "exponent", A, "How steeply programme access falls with staff per detainee.", "prison"),
    _p("middle_management_weight", 0.3, 0.0, 0.8, "share", A, "Share of programme access lost when no middle management is in place.", "prison"),
    _p("regime_spread", 0.5, 0.0, 1.0, "index", A, "Spread of prisons' regimes (isolation use, access) when consistency is zero.", "prison"),
    _p("isolation_contact_cut", 0.6, 0.0, 1.0, "share", A, "Share of family contact lost in an isolation unit.", "prison"),
    _p("isolation_programme_cut", 0.7, 0.0, 1.0, "share", A, "Share of programme access lost in an isolation unit.", "prison"),
    _p("isolation_containment", 0.8, 0.0, 1.0, "share", A,
       "Protective effect: share of a recruiter's influence on other detainees removed by isolation.", "prison"),
    _p("extremist_spread_rate", 0.04, 0.0, 0.3, "per month", A, "Growth of extremist ties per unit of exposure to radical detainees.", "prison"),
    _p("programme_meaning_gain", 0.04, 0.0, 0.2, "per month", A, "Gain in meaning and motivation per month in a prison programme.", "prison"),
    _p("cr_eligible_fraction", 0.33, 0.33, 1.0, "share", A, "Share of the sentence served before conditional release can be granted (one third in Belgian law).", "prison"),
    _p("cr_grant_rate", 0.12, 0.0, 0.6, "per month", A, "Monthly chance that the sentence-implementation court grants conditional release to a fully prepared candidate.", "prison"),
    _p("risk_only_leniency", 0.3, 0.0, 1.0, "share", A, "How readily risk-only evaluations grant release to a low-risk candidate, relative to balanced ones.", "prison"),
    _p("probation_min_months", 12, 0, 60, "months", A, "Shortest probation period that comes with conditional release.", "prison", "int"),
    _p("prep_window_months", 6, 1, 24, "months", A, "Months before eligibility (or the end of the sentence) from which release is prepared, until release.", "prison", "int"),
    _p("prep_rate", 0.35, 0.0, 1.0, "per month", A, "Monthly progress of release preparation with full access and information.", "prison"),

    # --- families ----------------------------------------------------------------------
    _p("family_contact", 0.42, 0.0, 1.0, "per month", "visits_any",
       "Facilitated family contact: monthly chance a willing family visits (visits, family days).", "family"),
    _p("family_centred", 0.0, 0.0, 1.0, "index", "brief:III", "Intensity of family-centred methods (WP5) in detention and after release.", "family"),
    _p("contact_stability_gain", 0.05, 0.0, 0.3, "per month", A, "Gain in family stability per month with contact.", "family"),
    _p("detention_family_strain", 0.02, 0.0, 0.2, "per month", A, "Loss of family stability per month of detention without contact.", "family"),
    _p("youth_protection_rate", 0.03, 0.0, 0.3, "per month", A, "Monthly chance youth protection becomes involved with an unstable family with children.", "family"),
    _p("youth_protection_exit", 0.03, 0.0, 0.3, "per month", A, "Monthly chance youth-protection involvement ends for a stable family.", "family"),
    _p("youth_protection_strain", 0.02, 0.0, 0.2, "per month", A, "Loss of family stability per month of youth-protection involvement.", "family"),
    _p("family_adjustment", 0.08, 0.0, 0.5, "per month", A, "Speed at which family stability moves towards what housing, income and contact support.", "family"),

    # --- coordination and information ------------------------------------------------
    _p("coordination_per_year", 1.0, 0.0, 24.0, "meetings per year", "livcr_min_meetings", "Meetings per year of each coordination tie.", "coordination"),
    _p("coordination_scope", "local", None, None, "category", "brief:II",
       "Which agencies are tied: local (local cell, police, social services), chain (adds prison and justice house across levels), full (every agency).",
       "coordination", "choice", ("local", "chain", "full")),
    _p("info_flow", 0.3, 0.0, 1.0, "probability", "brief:II", "Chance case information crosses a governance level where no coordination tie carries it.", "coordination"),
    _p("info_decay", 0.15, 0.0, 1.0, "per month", A, "Monthly loss of freshness of information shared at a meeting.", "coordination"),
    _p("ll_coordination_boost", 0.5, 0.0, 2.0, "per month", A, "Extra meeting chance for agencies whose professionals meet in the Living Lab.", "coordination"),

    # --- Living Lab --------------------------------------------------------------------
    _p("living_lab", False, None, None, "on/off", "brief:IV", "A Returnee Reintegration Living Lab (RELAB) runs in every municipality.", "living_lab", "bool"),
    _p("ll_sessions_per_month", 2.0, 0.0, 8.0, "sessions", "brief:IV", "Living Lab sessions per month.", "living_lab"),
    _p("ll_outreach", 0.3, 0.0, 1.0, "per month", A, "Monthly chance a motivated returnee outside prison is reached and joins.", "living_lab"),
    _p("ll_family_participation", 0.5, 0.0, 1.0, "share", "brief:III", "Share of participants' families taking part.", "living_lab"),
    _p("ll_professional_participation", 0.6, 0.0, 1.0, "share", "brief:II", "Share of agencies sending professionals to the Living Lab.", "living_lab"),
    _p("ll_dropout", 0.05, 0.0, 0.5, "per month", A, "Monthly dropout of a participant with no trust (falls with trust).", "living_lab"),
    _p("ll_tie_gain", 0.12, 0.0, 0.5, "per session", A, "Strengthening of a Living Lab tie per session attended.", "living_lab"),
    _p("ll_admin_friction_cut", 0.5, 0.0, 1.0, "share", A, "Share of administrative friction that co-created solutions remove for participants.", "living_lab"),

    # --- sanctions ---------------------------------------------------------------------
    _p("nationality_withdrawal_rate", 0.03, 0.0, 1.0, "per year", "nationality_stripping",
       "Yearly chance an eligible dual national is stripped of Belgian nationality.", "sanctions"),
    _p("withdrawal_min_sentence", 60.0, 0.0, 240.0, "months", "nationality_stripping", "Shortest sentence that makes a dual national eligible for withdrawal.", "sanctions"),
    _p("residence_withdrawal_rate", 0.03, 0.0, 1.0, "per year", A, "Yearly chance an eligible non-citizen loses the right of residence.", "sanctions"),
    _p("removal_execution_rate", 0.01, 0.0, 0.5, "per month", A,
       "Protective (in the Belgian count): monthly chance a removal order is executed for a stripped person outside prison.", "sanctions"),
    _p("limbo_document_loss", 0.8, 0.0, 1.0, "share", A, "Chance a withdrawal leaves the person without valid documents.", "sanctions"),

    # --- community services and support ----------------------------------------------
    _p("service_staffing", 0.85, 0.3, 1.3, "share", "brief:II", "Share of required staff present in community agencies (justice houses, social services, care).", "services"),
    _p("background_load", 0.95, 0.3, 1.5, "share", A, "Other clients' demand on each agency, as a share of its full capacity.", "services"),
    _p("tailored_access", 0.2, 0.0, 1.0, "index", "brief:III", "Priority for returnees in housing, work and administrative regularisation queues.", "services"),
    _p("post_release_support_months", 12, 0, 120, "months", "brief:II", "Months of support after release (project-bound short vs long-term).", "services", "int"),
    _p("trauma_sensitive", 0.0, 0.0, 1.0, "share", "brief:III", "Share of psychosocial care delivered with trauma-sensitive methods.", "services"),
    _p("care_uptake", 0.15, 0.0, 1.0, "per month", A, "Monthly chance of starting care when a care worker is available.", "services"),
    _p("care_dropout", 0.08, 0.0, 0.5, "per month", A, "Monthly chance a care relationship breaks with no trust.", "services"),
    _p("trauma_care_effect", 0.5, 0.0, 1.0, "share", A, "Share of care dropout removed, and extra speed of trauma recovery, with trauma-sensitive methods.", "services"),
    _p("trauma_recovery", 0.03, 0.0, 0.2, "per month", A, "Monthly fall in trauma load while in care.", "services"),
    _p("housing_rate", 0.04, 0.0, 0.5, "per month", A, "Monthly chance of finding stable housing with full access.", "services"),
    _p("housing_loss", 0.02, 0.0, 0.2, "per month", A, "Monthly chance of losing stable (or precarious) housing; 80% lower with an income (work or benefits).", "services"),
    _p("work_rate", 0.03, 0.0, 0.5, "per month", A, "Monthly chance of finding work with full access.", "services"),
    _p("work_loss", 0.03, 0.0, 0.3, "per month", A, "Monthly chance of losing work.", "services"),
    _p("admin_rate", 0.08, 0.0, 1.0, "per month", A, "Monthly chance of regularising one administrative file (documents or benefits) with service.", "services"),
    _p("admin_friction", 0.5, 0.0, 1.0, "share", "brief:IV", "Share of administrative attempts lost to friction across fragmented services.", "services"),
    _p("stigma_barrier", 0.6, 0.0, 1.0, "share", A, "Share of housing and job chances lost at full stigma.", "services"),
    _p("network_access_gain", 0.8, 0.0, 3.0, "multiplier", A, "Extra housing (linking) and work (bridging) chances at full social capital.", "services"),
    _p("supervision_help", 0.5, 0.0, 2.0, "multiplier", A, "Extra service access while a justice assistant supervises and while post-release support lasts (each).", "services"),

    # --- stigma ------------------------------------------------------------------------
    _p("stigma_base", 0.35, 0.0, 1.0, "index", "brief:IV", "Stigma towards returnees without media shocks.", "stigma"),
    _p("media_shock_rate", 0.05, 0.0, 0.5, "per month", A, "Monthly chance of a media shock about returnees.", "stigma"),
    _p("media_shock_size", 0.3, 0.0, 1.0, "index", A, "Rise in stigma at a media shock.", "stigma"),
    _p("stigma_decay", 0.1, 0.0, 1.0, "per month", A, "Monthly fading of a media shock.", "stigma"),
    _p("counter_narrative", 0.0, 0.0, 1.0, "share", "brief:IV", "Share of media-shock stigma damped by counter-narrative policy.", "stigma"),

    # --- trust and meaning -------------------------------------------------------------
    _p("trust_adjustment", 0.08, 0.0, 0.5, "per month", A, "Speed at which trust moves towards the procedural justice experienced.", "trust"),
    _p("security_distrust", 0.3, 0.0, 1.0, "index", A, "Fall in experienced procedural justice from purely security measures (isolation, withdrawal).", "trust"),
    _p("support_trust", 0.3, 0.0, 1.0, "index", A, "Rise in experienced procedural justice from support and transparent decisions.", "trust"),
    _p("meaning_adjustment", 0.05, 0.0, 0.5, "per month", A, "Speed at which meaning and motivation move towards what work, family, Living Lab, care and counsel give.", "trust"),

    # --- offending ---------------------------------------------------------------------
    _p("terror_hazard", 0.0006, 0.0, 0.01, "per month", "terror_reconviction",
       "Baseline monthly hazard of a terrorism-related offence or re-engagement at average risk.", "offending"),
    _p("any_hazard", 0.0045, 0.0, 0.05, "per month", "general_reincarceration",
       "Baseline monthly hazard of any new offence at average risk (returnees re-offend less than all releasees).", "offending"),
    _p("need_effect", 1.0, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of unmet needs (housing, work, administrative clarity, untreated trauma).", "offending"),
    _p("trust_effect", 0.8, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of missing trust.", "offending"),
    _p("meaning_effect", 0.8, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of missing meaning and motivation.", "offending"),
    _p("prosocial_effect", 1.0, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of missing prosocial ties (bonding and bridging).", "offending"),
    _p("extremist_effect_terror", 2.5, 0.0, 5.0, "log-hazard", A, "Log-hazard of terrorism offending per unit of extremist ties.", "offending"),
    _p("extremist_effect_any", 0.5, 0.0, 3.0, "log-hazard", A, "Log-hazard of any offending per unit of extremist ties.", "offending"),
    _p("supervision_deterrence", 0.4, 0.0, 0.9, "share", A, "Protective: share of offending hazard removed while supervised.", "offending"),
    _p("detection_supervised", 0.9, 0.0, 1.0, "probability", A, "Chance a new offence leads to re-incarceration while supervised.", "offending"),
    _p("detection_free", 0.6, 0.0, 1.0, "probability", A, "Chance a new offence leads to re-incarceration when not supervised.", "offending"),
    _p("breach_rate", 0.012, 0.0, 0.1, "per month", A, "Monthly chance of a technical breach of release conditions for a stable person.", "offending"),
    _p("breach_instability_effect", 1.5, 0.0, 4.0, "multiplier", A, "Extra breaches for people with no stable housing or family.", "offending"),
    _p("reoffence_sentence_months", 36.0, 6.0, 120.0, "months", A, "Median sentence for a new offence.", "offending"),

    # --- public cost -------------------------------------------------------------------
    _p("cost_detention_day", 70.0, 20.0, 400.0, "EUR per day", A, "Cost of one detention day other than staff (building, food, health care).", "cost"),
    _p("cost_staff_month", 4500.0, 2000.0, 10000.0, "EUR per FTE-month", A, "Cost of one month of one prison staff member present; detainees' share is staff per detainee.", "cost"),
    _p("cost_isolation_day", 100.0, 0.0, 400.0, "EUR per day", A, "Extra cost of a day in an isolation unit.", "cost"),
    _p("cost_supervision_month", 300.0, 0.0, 2000.0, "EUR per month", A, "Cost of one month of supervision by a justice house.", "cost"),
    _p("cost_service_month", 200.0, 0.0, 2000.0, "EUR per month", A, "Cost of one month of support or care from community services.", "cost"),
    _p("cost_ll_session", 1500.0, 0.0, 10000.0, "EUR per session", A, "Cost of one Living Lab session in one municipality.", "cost"),
    _p("cost_meeting", 400.0, 0.0, 5000.0, "EUR per meeting", A, "Cost of one coordination meeting between two agencies.", "cost"),

    # --- reintegration index -----------------------------------------------------------
    _p("weight_housing", 1.0, 0.0, 5.0, "weight", A, "Weight of stable housing in the reintegration index.", "index"),
    _p("weight_family", 1.0, 0.0, 5.0, "weight", A, "Weight of family stability in the reintegration index.", "index"),
    _p("weight_admin", 1.0, 0.0, 5.0, "weight", A, "Weight of administrative clarity in the reintegration index.", "index"),
    _p("weight_care", 1.0, 0.0, 5.0, "weight", A, "Weight of psychosocial continuity in the reintegration index.", "index"),
    _p("weight_work", 1.0, 0.0, 5.0, "weight", A, "Weight of employment in the reintegration index.", "index"),
    _p("weight_trust", 1.0, 0.0, 5.0, "weight", A, "Weight of trust in the reintegration index.", "index"),
]
# fmt: on

REGISTRY: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in _DECLARED})
assert len(REGISTRY) == len(_DECLARED), "a parameter is declared twice"

# Knock-out switches (spec section 7): pathways a test can cut. They are not policy
# levers and never appear in scenario files; ``Model(knockouts=...)`` takes them.
KNOCKOUTS: Mapping[str, str] = MappingProxyType({
    "staff_access": "programme access in detention no longer depends on staff per detainee",
    "information": "release continuity no longer depends on shared information",
    "living_lab_effects": "Living Lab participation builds no ties, cuts no friction, adds no trust, meaning or coordination",
    "limbo": "withdrawal no longer removes legal status, benefits or documents",
    "removal": "removal orders are never executed",
    "family_contact": "family contact in detention no longer changes ties or stability",
    "incapacitation": "detention no longer prevents offending (offences inside count too)",
})


def markdown_table() -> str:
    """The parameter table of docs/ODD.md (regenerate with `python run.py params --markdown`)."""
    lines = ["| parameter | default | range | unit | source | meaning |", "|---|---|---|---|---|---|"]
    for p in REGISTRY.values():
        rng = p.allowed().replace("|", "/")
        lines.append(f"| `{p.name}` | {p.default!r} | {rng} | {p.unit} | {p.source} | {p.help} |")
    return "\n".join(lines)


def defaults() -> dict[str, Any]:
    """Every parameter at its default value."""
    return {name: p.default for name, p in REGISTRY.items()}


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean X?)' hint for a misspelt name, or ''."""
    import difflib

    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check(values: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    """Validate a mapping of overrides: known names, right kinds, in range."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in REGISTRY:
            prefix = f"{where}: " if where else ""
            raise ParameterError(f"{prefix}unknown parameter {show(name)}{suggest(str(name), REGISTRY)}")
        out[name] = REGISTRY[name].validate(value, where)
    return out


def resolve(overrides: Mapping[str, Any] | None = None, where: str = "") -> dict[str, Any]:
    """Defaults with validated overrides applied."""
    values = defaults()
    values.update(check(overrides or {}, where))
    return values
