"""The parameter registry: every lever and coefficient of the model, declared once.

Validation, scenario files, sweeps, sensitivity ranges, dashboard sliders and the
ODD parameter table all read from ``REGISTRY``. A parameter's ``source`` is an id
from ``docs/calibration-targets.csv``, a pointer into the policy brief
(``brief:<section>``), or the word ``assumption``.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import numpy as np

ASSUMPTION = "assumption"
ROLES = ("lever", "uncertainty", "constant")
CHANGE_MODES = ("shift", "scale")  # how a scenario changes an uncertain status quo: add to it, or multiply it


class ParameterError(ValueError):
    """A parameter value or name that the registry rejects (one-line message)."""


@dataclass(frozen=True)
class Prior:
    """What is plausible for an uncertainty: a triangular distribution over [low, high] whose mode is the default
    (on a log scale for ``log-triangular``: a median at the default for rates known only to a factor), and its basis:
    a row of docs/calibration-targets.csv, an effect size from a named study, or an assumption with its reasoning.
    ``mode`` is set only where a named study puts the most plausible value elsewhere than the default."""

    low: float
    high: float
    basis: str
    shape: str = "triangular"  # triangular | log-triangular
    mode: float | None = None  # None: the parameter's default

    def draw(self, u: np.ndarray, default: float) -> np.ndarray:
        """Values for uniforms ``u`` (inverse distribution function)."""
        mode = default if self.mode is None else self.mode
        log = self.shape == "log-triangular"
        a, b, c = (np.log(x) for x in (self.low, self.high, mode)) if log else (self.low, self.high, mode)
        below = (c - a) / (b - a) if b > a else 1.0
        x = np.where(u < below, a + np.sqrt(u * (b - a) * (c - a)), b - np.sqrt((1.0 - u) * (b - a) * (b - c)))
        return np.exp(x) if log else x

    def density(self, x: np.ndarray, default: float) -> np.ndarray:
        """Probability density at ``x`` (0 outside [low, high]); calibration's importance weights use it."""
        mode = default if self.mode is None else self.mode
        log = self.shape == "log-triangular"
        x = np.asarray(x, dtype=float)
        inside = (x >= self.low) & (x <= self.high) & (x > 0 if log else True)
        z = np.log(np.where(inside, x, 1.0)) if log else x
        a, b, c = (np.log(v) for v in (self.low, self.high, mode)) if log else (self.low, self.high, mode)
        if b <= a:
            return np.where(inside, np.inf, 0.0)
        rising = np.divide(2.0 * (z - a), (b - a) * (c - a), out=np.zeros_like(z), where=(z < c) & (c > a))
        falling = np.divide(2.0 * (b - z), (b - a) * (b - c), out=np.zeros_like(z), where=(z >= c) & (b > c))
        pdf = np.where(z < c, rising, falling)
        return np.where(inside, pdf / np.where(log, np.where(inside, x, 1.0), 1.0), 0.0)

    def describe(self) -> str:
        scale = " (log scale)" if self.shape == "log-triangular" else ""
        where = "the default" if self.mode is None else _fmt(self.mode)
        return f"triangular{scale} on [{_fmt(self.low)}, {_fmt(self.high)}], mode at {where}"


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
    role: str = "uncertainty"  # lever (a policy choice scenarios set) | uncertainty (not known) | constant
    prior: Prior | None = None  # uncertainties: what is plausible (bounds only say what the model accepts)
    change: str | None = None  # uncertain status quo a scenario may change: by "shift" (add) or "scale" (multiply)

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


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_character(text: str, allowed: str = "") -> str | None:
    """The first character of ``text`` that a terminal or a page would act on rather than show (a control
    character such as ESC, a line or paragraph separator, a bidirectional override), as ``U+001B``; None if none.

    ``allowed`` lists the controls a field may hold (a description's line breaks and tabs)."""
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS:
            return f"U+{ord(ch):04X}"
    return None


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _p(name, default, low, high, unit, source, help, group, kind="real", choices=(), role="uncertainty"):
    return Parameter(name, default, low, high, unit, source, help, group, kind, tuple(choices), role)


A = ASSUMPTION
L, U, C = "lever", "uncertainty", "constant"
# fmt: off
_DECLARED: list[Parameter] = [
    # --- population and structure (fixed for a run; a batch of runs shares the shape-setting ones) -------------
    _p("cohort_scale", 1.0, 0.1, 100.0, "multiplier", "returned_2022",
       "Scales the Belgian cohort (140 adults, 40 children) for hypothetical larger populations; agency capacity scales with it.", "population", role=C),
    _p("n_prisons", 6, 1, 30, "prisons", A, "Prisons that hold returnees (D-Rad:Ex wings in Hasselt and Ittre among them).", "population", "int", role=C),
    _p("n_municipalities", 8, 1, 60, "municipalities", A, "Municipalities returnees live in, each with its own local cell and social services.", "population", "int", role=C),
    _p("women_share_early", 0.10, 0.0, 0.5, "share", A, "Share of women among adults who returned before the 2021-2022 repatriation flights.", "population"),
    _p("dual_share", 0.35, 0.0, 0.8, "share", A, "Share of returnees holding a second nationality (eligible for nationality withdrawal).", "population"),
    _p("resident_share", 0.10, 0.0, 0.5, "share", A, "Share of returnees who are non-citizen residents (eligible for residence withdrawal).", "population"),
    _p("children_with_early_returnees", 14, 0, 60, "children", "returned_2022",
       "Children who returned with adults outside the repatriation flights (about 40 children in all, 26 of them on the flights).", "population", "int", role=C),
    _p("detained_on_arrival", 0.85, 0.3, 1.0, "share", A, "Share of arriving adults placed in pre-trial detention.", "population"),
    _p("pretrial_months", 10.0, 1.0, 36.0, "months", A, "Mean time in pre-trial detention before sentencing.", "population"),
    _p("sentence_months_men", 60.0, 12.0, 180.0, "months", A, "Median sentence of men for terrorism offences.", "population"),
    _p("sentence_months_women", 48.0, 12.0, 180.0, "months", A, "Median sentence of women (repatriated women were mostly sentenced to five years).", "population"),
    _p("sentence_dispersion", 0.4, 0.05, 1.0, "log-sd", A, "Dispersion (log standard deviation) of sentence lengths.", "population"),
    _p("min_sentence_months", 6, 1, 24, "months", A, "Shortest sentence drawn for any conviction.", "population", "int"),
    _p("age_mean", 28.0, 20.0, 40.0, "years", A, "Mean age of adults on arrival.", "population"),
    _p("age_sd", 6.0, 1.0, 12.0, "years", A, "Standard deviation of age on arrival.", "population"),
    _p("age_min", 18.0, 18.0, 25.0, "years", A, "Youngest age on arrival (adults only).", "population", role=C),
    _p("age_max", 65.0, 45.0, 80.0, "years", A, "Oldest age on arrival.", "population", role=C),
    _p("trust_initial", 0.3, 0.0, 1.0, "index", A, "Mean trust in institutions on arrival.", "population"),
    _p("meaning_initial", 0.35, 0.0, 1.0, "index", A, "Mean meaning and motivation on arrival.", "population"),
    _p("trauma_initial", 0.5, 0.0, 1.0, "index", "brief:III", "Mean trauma load on arrival (conflict zones, camps).", "population"),
    _p("family_stability_initial", 0.5, 0.0, 1.0, "index", A, "Mean family stability on arrival.", "population"),
    _p("host_capacity_mean", 0.5, 0.0, 1.0, "index", A, "Mean capacity of a returnee's family to host them after release.", "population"),
    _p("state_spread", 0.15, 0.0, 0.4, "sd", A, "Standard deviation of trust, meaning, trauma, family stability and host capacity around their means on arrival.", "population"),
    _p("stigma_exposure_spread", 0.5, 0.0, 1.0, "share", A, "How much personal exposure to public stigma varies (exposure uniform on 1 plus or minus this).", "population"),
    _p("extremist_ties_initial", 0.35, 0.0, 1.0, "tie weight", A, "Median initial weight of ties to extremist peers on arrival.", "population"),
    _p("extremist_ties_dispersion", 0.6, 0.0, 1.5, "log-sd", A, "Dispersion (log standard deviation) of initial extremist tie weights.", "population"),
    _p("family_members", 3, 1, 10, "persons", A, "Adult family members (partner, parents, siblings) tied to each returnee.", "population", "int", role=C),
    _p("family_tie_initial", 0.3, 0.0, 1.0, "tie weight", A, "Weight of a family tie on arrival at family stability 0 (rises with stability).", "population"),
    _p("family_tie_stability_gain", 0.5, 0.0, 1.0, "tie weight", A, "Extra family tie weight on arrival per unit of family stability.", "population"),
    _p("family_extremist_share", 0.02, 0.0, 1.0, "share", A,
       "Harmful: share of a returnee's family ties that carry extremist influence (radicalised relatives: few; the upper end is families where siblings left too), so contact with them adds exposure.", "population"),
    _p("peers_per_returnee", 5, 0, 30, "ties", A, "Prosocial community ties (friends, neighbours) per returnee.", "population", "int", role=C),
    _p("peer_tie_initial", 0.2, 0.0, 1.0, "tie weight", A, "Weight of a prosocial community tie on arrival.", "population"),
    _p("extremist_peers_per_returnee", 2, 0, 10, "ties", A, "Ties to extremist peers per returnee.", "population", "int", role=C),
    _p("extremist_pool_share", 0.33, 0.05, 1.0, "share", A, "Extremist peer persons per extremist tie (peers are shared between returnees; pictures only).", "population", role=C),
    _p("returnee_ties_per_returnee", 3, 0, 10, "ties", A, "Ties to other returnees (who left, fought or were held together).", "population", "int", role=C),
    _p("returnee_tie_initial", 0.3, 0.0, 1.0, "tie weight", A, "Weight of a tie between two returnees on arrival.", "population"),
    _p("returnee_tie_local", 0.7, 0.0, 1.0, "share", A, "Share of a returnee's ties to other returnees that are with returnees of the same municipality.", "population"),
    _p("mentors_per_returnee", 2, 0, 5, "ties", "brief:III", "Mentors a Living Lab can link each returnee to (bridging).", "population", "int", role=C),

    # --- network ---------------------------------------------------------------------------------------------------
    _p("tie_gain", 0.15, 0.0, 0.6, "per month", A, "Strengthening of a tie in a month of contact.", "network"),
    _p("tie_decay", 0.05, 0.0, 0.3, "per month", A, "Weakening of a tie in a month without contact.", "network"),
    _p("capital_saturation", 3.0, 0.5, 10.0, "tie weight", A, "Summed tie weight at which social capital reaches 63% of its maximum.", "network"),

    # --- prisons --------------------------------------------------------------------------------------------------
    _p("prison_density_scale", 1.0, 0.6, 1.8, "multiplier", "prison_density_2015",
       "Multiplier on the recorded prison density series (1.27 in 2015, 1.15 in 2023, 1.146 in 2024, about 1.27 in 2025).", "prison", role=L),
    _p("prison_staff_fill", 0.984, 0.5, 1.0, "share", "staff_fill_2023", "Share of prison staff posts filled.", "prison", role=L),
    _p("staff_absence", 0.10, 0.0, 0.5, "share", A, "Share of filled prison posts absent in a month (sickness, strikes) with full middle management.", "prison", role=U),
    _p("middle_management", 0.4, 0.0, 1.0, "share", "brief:II", "Share of the required middle-management posts filled (organisational capacity).", "prison", role=U),
    _p("management_absence_effect", 0.5, 0.0, 2.0, "multiplier", "brief:II",
       "Extra staff absence (stress of frontline workers) at no middle management, relative to full management.", "prison"),
    _p("management_plan_effect", 0.4, 0.0, 1.0, "share", "brief:II", "Share of release-preparation progress lost with no middle management to organise it.", "prison"),
    _p("isolation_share", 0.10, 0.0, 0.6, "share", "celex_followed_2018",
       "Share of sentenced men among returnee detainees placed in the D-Rad:Ex wings, those assessed most extreme first (22 of 237 followed by CelEx in 2018).", "prison", role=U),
    _p("national_consistency", 0.3, 0.0, 1.0, "index", "brief:I", "How alike prisons' regimes are: 1 = shared guidelines for placement, regime, services and family contact everywhere.", "prison", role=U),
    _p("guideline_regime", 0.0, -0.5, 0.5, "regime deviation", A,
       "Harmful if above 0: how much harsher than the average prison the shared guidelines of national consistency are (0 = the average regime).", "prison"),
    _p("regime_spread", 0.5, 0.0, 0.9, "regime deviation", A, "Spread of prisons' regimes when consistency is zero.", "prison"),
    _p("regime_access_effect", 0.5, 0.0, 1.0, "share", A, "Share of programme access lost per unit of regime harshness.", "prison"),
    _p("regime_contact_effect", 0.5, 0.0, 1.0, "share", A, "Share of family visits lost per unit of regime harshness.", "prison"),
    _p("staff_posts_per_place", 0.75, 0.2, 1.5, "FTE per place", A, "Prison staff posts per prison place (posts are sized to capacity).", "prison"),
    _p("staff_per_detainee_needed", 0.75, 0.2, 1.5, "FTE per detainee", A, "Staff present per detainee at which programmes and care run fully.", "prison"),
    _p("access_elasticity", 1.5, 0.2, 4.0, "exponent", A, "How steeply programme access falls with staff per detainee.", "prison"),
    _p("middle_management_weight", 0.3, 0.0, 0.8, "share", A, "Share of programme access lost when no middle management is in place.", "prison"),
    _p("isolation_contact_cut", 0.6, 0.0, 1.0, "share", A, "Harmful: share of family visits lost in a D-Rad:Ex wing.", "prison"),
    _p("isolation_programme_cut", 0.7, 0.0, 1.0, "share", A, "Harmful: share of programme access lost in a D-Rad:Ex wing.", "prison"),
    _p("isolation_containment", 0.8, 0.0, 1.0, "share", A,
       "Protective: share of a wing detainee's contact with ordinary detainees (and so of his influence on them) removed.", "prison"),
    _p("wing_contagion", 0.3, 0.0, 1.0, "exposure", A,
       "Harmful: exposure to the extremism of the other men held in the same wing (radicals held together).", "prison"),
    _p("prison_radical_milieu", 0.1, 0.0, 0.5, "exposure", A, "Exposure to extremist detainees other than returnees in an ordinary regime.", "prison"),
    _p("codetainee_contact", 0.5, 0.0, 1.0, "per month", A, "Share of a month two returnees tied to each other spend in contact when held in the same prison regime or living in the same municipality.", "prison"),
    _p("extremist_spread_rate", 0.04, 0.0, 0.3, "per month", A, "Growth of extremist ties per unit of exposure.", "prison"),
    _p("programme_meaning_gain", 0.04, 0.0, 0.2, "per month", A, "Gain in meaning and motivation per month in a prison programme.", "prison"),
    _p("programme_disengagement", 0.03, 0.0, 0.2, "per month", A, "Protective: fall in extremist ties per month in a prison programme (disengagement work).", "prison"),

    # --- sentence implementation and release ----------------------------------------------------------------------
    _p("cr_eligible_fraction", 0.33, 0.33, 1.0, "share", A, "Share of the sentence served before conditional release can be granted (one third in Belgian law).", "release", role=C),
    _p("hearing_rate", 0.17, 0.0, 1.0, "per month", A, "Monthly chance an eligible detainee's case is heard by the sentence-implementation court (about every six months).", "release"),
    _p("cr_grant_at_hearing", 0.6, 0.0, 1.0, "probability", A, "Chance a fully prepared, fully favourable candidate is granted conditional release at a hearing.", "release"),
    _p("balanced_evaluations", 0.2, 0.0, 1.0, "weight", "brief:II",
       "Weight of resilience and progress next to risk in evaluations for the sentence-implementation court.", "release", role=U),
    _p("risk_only_leniency", 0.3, 0.0, 1.0, "share", A, "How readily risk-only evaluations grant release to a low-risk candidate, relative to balanced ones.", "release"),
    _p("progress_validity", 0.5, 0.0, 1.0, "share", A,
       "How far the progress balanced evaluations weigh reflects lower extremism rather than meaning and family alone (at 0, balanced evaluations release riskier people).", "release"),
    _p("probation_min_months", 24, 0, 60, "months", A, "Shortest probation period that comes with conditional release.", "release", "int", role=L),
    _p("post_sentence_supervision", 0.2, 0.0, 1.0, "share", A,
       "Share of people released at the end of their sentence placed under post-sentence supervision by the sentence-implementation court (terbeschikkingstelling).", "release", role=U),
    _p("post_sentence_months", 60, 12, 180, "months", A, "Length of post-sentence supervision.", "release", "int", role=L),
    _p("prep_window_months", 6, 1, 24, "months", A, "Months before eligibility (or the end of the sentence) from which release is prepared, until release.", "release", "int"),
    _p("prep_rate", 0.35, 0.0, 1.0, "per month", A, "Monthly progress of release preparation with full access and the file at the justice house.", "release"),
    _p("documents_on_release", 0.5, 0.0, 1.0, "probability", A, "Chance documents are in order on release when the file reaches social welfare but no plan was made.", "release"),

    # --- serving a sentence outside a closed cell -------------------------------------------------------------------
    _p("modality_window_months", 6, 0, 24, "months", A, "Months before conditional-release eligibility from which limited detention and electronic monitoring can be granted.", "modalities", "int", role=C),
    _p("leave_rate", 0.2, 0.0, 1.0, "per month", A, "Monthly chance a prepared detainee in the release window is granted penitentiary leave (counted in detention).", "modalities", role=U),
    _p("limited_detention_rate", 0.05, 0.0, 1.0, "per month", A, "Monthly chance a prepared detainee in the modality window moves to limited detention (days out to work or train; counted in detention).", "modalities", role=U),
    _p("electronic_monitoring_rate", 0.05, 0.0, 1.0, "per month", A, "Monthly chance a prepared detainee in the modality window moves to electronic monitoring at home (counted in the community).", "modalities", role=U),
    _p("leave_days_share", 0.1, 0.0, 0.5, "share", A, "Share of a month spent outside on penitentiary leave.", "modalities"),
    _p("limited_detention_days_share", 0.4, 0.0, 0.8, "share", A, "Share of a month spent outside in limited detention.", "modalities"),
    _p("leave_plan_gain", 0.1, 0.0, 1.0, "per month", A, "Protective: progress of release preparation in a month with leave or days out (housing, work, family).", "modalities"),

    # --- families ---------------------------------------------------------------------------------------------------
    _p("family_contact", 0.42, 0.0, 1.0, "per month", "visits_any",
       "Facilitated family contact: monthly chance a willing family visits (visits, family days).", "family", role=U),
    _p("family_centred", 0.0, 0.0, 1.0, "index", "brief:III", "Intensity of family-centred methods (WP5) in detention and after release.", "family", role=L),
    _p("family_day_effect", 0.5, 0.0, 1.5, "multiplier", A, "Extra visits at full family-centred methods (family days, help with travel).", "family"),
    _p("family_support_months", 12, 0, 60, "months", A, "Months of family-centred work with the family after a release, at full family-centred methods.", "family", "int"),
    _p("family_support_hosting", 0.3, 0.0, 1.0, "index", A, "Protective: rise in the family's capacity to host while it gets family-centred support.", "family"),
    _p("family_work_referral", 0.02, 0.0, 0.1, "per month", A,
       "Harmful: monthly chance family-centred scrutiny refers a family with children to youth protection.", "family"),
    _p("contact_stability_gain", 0.05, 0.0, 0.3, "per month", A, "Gain in family stability per month with contact.", "family"),
    _p("detention_family_strain", 0.02, 0.0, 0.2, "per month", A, "Loss of family stability per month of detention without contact.", "family"),
    _p("contact_willingness_floor", 0.5, 0.0, 1.0, "probability", A, "Monthly chance of family contact in the community at family stability 0 (rises to 1 at full stability).", "family"),
    _p("youth_protection_rate", 0.03, 0.0, 0.3, "per month", A, "Monthly chance youth protection becomes involved with an unstable family with children.", "family"),
    _p("youth_protection_threshold", 0.5, 0.0, 1.0, "index", A, "Family stability below which youth protection can become involved.", "family"),
    _p("youth_protection_exit", 0.03, 0.0, 0.3, "per month", A, "Monthly chance youth-protection involvement ends for a fully stable family (a mother must be out of prison).", "family"),
    _p("youth_protection_strain", 0.02, 0.0, 0.2, "per month", A, "Loss of family stability per month of youth-protection involvement.", "family"),
    _p("family_adjustment", 0.08, 0.0, 0.5, "per month", A, "Speed at which family stability moves towards what housing, income, ties and no youth-protection case support.", "family"),

    # --- coordination: case files along typed ties -------------------------------------------------------------------
    _p("coordination_per_year", 1.0, 0.0, 24.0, "meetings per year", "livcr_min_meetings", "Meetings per year of each coordination tie in scope.", "coordination", role=L),
    _p("coordination_scope", "local", None, None, "category", "brief:II",
       "Which agencies are tied: local (local cell, police, social services, housing), chain (adds prison, justice house and OCAD across levels), full (every agency).",
       "coordination", "choice", ("local", "chain", "full"), role=L),
    _p("info_flow", 0.3, 0.0, 1.0, "probability", "brief:II", "Chance a case file crosses a governance level on paper where no meeting carried it.", "coordination", role=U),
    _p("local_info_flow", 0.5, 0.0, 1.0, "probability", A, "Chance a case file passes on paper between two agencies of the same level.", "coordination"),
    _p("paper_share", 0.5, 0.0, 1.0, "share", A, "What a file received on paper is worth for keeping housing, documents or care in place, relative to one discussed in a meeting.", "coordination"),
    _p("info_decay", 0.15, 0.0, 1.0, "per month", A, "Monthly loss of freshness of what agencies shared at a meeting.", "coordination"),
    _p("meeting_staff_time", 0.5, 0.0, 5.0, "client-months", A, "Harmful: capacity each agency loses for a month to one coordination meeting (staff time).", "coordination"),
    _p("job_file_gain", 0.5, 0.0, 2.0, "multiplier", A, "Extra chance of finding work while the employment service holds the person's work file (from social welfare).", "coordination"),
    _p("job_file_months", 12, 0, 60, "months", A, "Months a work file received at release keeps the employment service's help active.", "coordination", "int"),
    _p("family_file_effect", 0.5, 0.0, 1.0, "share", A, "Share of youth-protection strain removed, and extra exit, while youth protection holds the family's file from the justice house or social welfare.", "coordination"),
    _p("counsel_referral", 0.5, 0.0, 2.0, "multiplier", A, "Extra uptake of counsel for people in care where the psychosocial service and the counsellor share files.", "coordination"),

    # --- local cells, OCAD and police: acting on risk information ---------------------------------------------------
    _p("monitoring_months", 24, 0, 120, "months", "livcr_min_meetings", "Months a local cell follows a person after risk information reaches it.", "monitoring", "int", role=U),
    _p("monitoring_support", 0.3, 0.0, 1.5, "multiplier", A, "Protective: extra social-welfare help while the local cell's case consultation follows a person (needs the cell-welfare tie).", "monitoring"),
    _p("monitoring_deterrence", 0.2, -0.5, 0.6, "share", A, "Protective: share of offending hazard removed while the police monitor a person.", "monitoring"),
    _p("monitoring_detection", 0.3, 0.0, 0.9, "probability", A, "Extra chance an offence is detected while the police monitor a person.", "monitoring"),
    _p("monitoring_contact_cut", 0.3, 0.0, 0.9, "share", A, "Protective: share of contact with extremist peers cut while the police monitor a person.", "monitoring"),
    _p("monitoring_stigma", 0.15, 0.0, 0.6, "index", A, "Harmful: extra stigma while the police monitor a person (checks, visits known to landlords and employers).", "monitoring"),

    # --- Living Lab ---------------------------------------------------------------------------------------------------
    _p("living_lab", False, None, None, "on/off", "brief:IV", "A Returnee Reintegration Living Lab (RELAB) runs in every municipality.", "living_lab", "bool", role=L),
    _p("ll_sessions_per_month", 2.0, 0.0, 8.0, "sessions", "brief:IV", "Living Lab sessions per month in each municipality.", "living_lab", role=L),
    _p("ll_places", 8, 1, 60, "places", A, "Returnees per session (at cohort scale 1; scales with the cohort).", "living_lab", "int", role=L),
    _p("ll_outreach", 0.3, 0.0, 1.0, "per month", A, "Monthly chance a returnee in the community who is not a participant is invited.", "living_lab", role=U),
    _p("ll_refusal", 0.6, 0.0, 0.95, "share", A, "Share of returnees with no trust who refuse a Living Lab invitation, and keep refusing (falls with trust; sessions with security agencies present deter many).", "living_lab"),
    _p("ll_dropout", 0.05, 0.0, 0.5, "per month", A, "Monthly dropout of a participant with no trust (falls with trust).", "living_lab"),
    _p("ll_attendance", 0.7, 0.1, 1.0, "share", A, "Share of sessions a participant attends when places allow.", "living_lab"),
    _p("ll_family_participation", 0.5, 0.0, 1.0, "share", "brief:III", "Share of participants' families taking part.", "living_lab", role=U),
    _p("ll_professional_participation", 0.6, 0.0, 1.0, "share", "brief:II", "Share of agencies sending professionals to the Living Lab.", "living_lab", role=U),
    _p("ll_tie_gain", 0.12, 0.0, 0.5, "per session", A, "Strengthening of a Living Lab tie per session attended.", "living_lab"),
    _p("ll_files_per_session", 2.0, 0.0, 10.0, "files", A, "Participants' files discussed per session (co-created solutions).", "living_lab"),
    _p("ll_admin_friction_cut", 0.5, 0.0, 1.0, "share", A, "Share of administrative friction removed while a file discussed in the Living Lab is fresh.", "living_lab"),
    _p("ll_case_gain", 0.3, 0.0, 1.5, "multiplier", A, "Extra housing and work chances while a file discussed in the Living Lab is fresh.", "living_lab"),
    _p("ll_session_justice", 0.75, 0.0, 1.0, "index", A, "Procedural justice a participant experiences in a session (0.5 = neutral; below, sessions feel like control).", "living_lab"),
    _p("ll_labelling", 0.05, 0.0, 0.4, "index", A, "Harmful: extra stigma of being known as a Living Lab participant.", "living_lab"),
    _p("ll_staff_time", 0.5, 0.0, 3.0, "client-months", A, "Harmful: capacity each sending agency loses per session (professional time).", "living_lab"),

    # --- sanctions ----------------------------------------------------------------------------------------------------
    _p("nationality_withdrawal_rate", 0.03, 0.0, 1.0, "per year", "nationality_stripping",
       "Yearly chance an eligible dual national is stripped of Belgian nationality.", "sanctions", role=U),
    _p("withdrawal_min_sentence", 60.0, 0.0, 240.0, "months", "nationality_stripping", "Shortest sentence that makes a dual national eligible for withdrawal.", "sanctions", role=L),
    _p("residence_withdrawal_rate", 0.03, 0.0, 1.0, "per year", A, "Yearly chance an eligible non-citizen loses the right of residence.", "sanctions", role=U),
    _p("removal_execution_rate", 0.01, 0.0, 0.5, "per month", A,
       "Protective (in the Belgian count): monthly chance a removal order is executed for a stripped person outside prison.", "sanctions", role=U),
    _p("limbo_document_loss", 0.8, 0.0, 1.0, "share", A, "Chance a withdrawal leaves the person without valid documents.", "sanctions"),
    _p("limbo_emigration", 2.0, 1.0, 10.0, "multiplier", A, "Emigration of a stripped person with a removal order, relative to others (leaving on one's own).", "sanctions"),

    # --- community services and support -------------------------------------------------------------------------------
    _p("service_staffing", 0.85, 0.3, 1.3, "share", "brief:II", "Share of required staff present in community agencies (justice houses, social services, care).", "services", role=U),
    _p("background_load", 0.95, 0.3, 1.5, "share", A, "Other clients' demand on each agency, as a share of its full capacity.", "services"),
    _p("capacity_justice_house", 40.0, 5.0, 200.0, "clients per month", A, "Returnee-serving capacity of a justice house at full staffing (scale 1, average municipality).", "services"),
    _p("capacity_social_welfare", 50.0, 5.0, 200.0, "clients per month", A, "Capacity of a public social welfare centre (OCMW/CPAS).", "services"),
    _p("capacity_housing_service", 25.0, 5.0, 200.0, "clients per month", A, "Capacity of a housing service.", "services"),
    _p("capacity_employment_service", 30.0, 5.0, 200.0, "clients per month", A, "Capacity of an employment service.", "services"),
    _p("capacity_psychosocial_service", 22.5, 5.0, 200.0, "clients per month", A, "Capacity of a psychosocial service.", "services"),
    _p("capacity_counsellor", 15.0, 5.0, 200.0, "clients per month", A, "Capacity of religious or moral counsellors.", "services"),
    _p("capacity_youth_protection", 15.0, 5.0, 200.0, "clients per month", A, "Capacity of youth protection.", "services"),
    _p("capacity_local_cell", 30.0, 5.0, 200.0, "cases per month", A, "Cases a local integrated security cell can follow.", "services"),
    _p("tailored_access", 0.2, 0.0, 1.0, "index", "brief:III", "Priority for returnees in housing, work and administrative regularisation queues.", "services", role=U),
    _p("priority_backlash", 0.02, 0.0, 0.5, "index", A, "Harmful: rise in public stigma at full priority for returnees (resentment of queue jumping).", "services"),
    _p("post_release_support_months", 12, 0, 120, "months", "brief:II", "Months of support after release (project-bound short vs long-term).", "services", "int", role=L),
    _p("trauma_sensitive", 0.0, 0.0, 1.0, "share", "brief:III", "Share of psychosocial care delivered with trauma-sensitive methods.", "services", role=L),
    _p("trauma_care_effect", 0.5, 0.0, 1.0, "share", A, "Protective: share of care dropout removed, and extra speed of trauma recovery, with trauma-sensitive methods.", "services"),
    _p("trauma_care_time", 0.3, 0.0, 1.0, "share", A, "Harmful: extra staff time per client of trauma-sensitive care (fewer clients served).", "services"),
    _p("care_uptake", 0.15, 0.0, 1.0, "per month", A, "Monthly chance of starting care when a care worker is available.", "services"),
    _p("care_dropout", 0.08, 0.0, 0.5, "per month", A, "Monthly chance a care relationship breaks with no trust.", "services"),
    _p("trauma_recovery", 0.03, 0.0, 0.2, "per month", A, "Monthly fall in trauma load while in care.", "services"),
    _p("counsel_uptake", 0.05, 0.0, 0.5, "per month", A, "Monthly chance of starting regular counsel (imam, chaplain, moral counsellor) when a counsellor is available.", "services"),
    _p("counsel_dropout", 0.05, 0.0, 0.5, "per month", A, "Monthly chance regular counsel stops.", "services"),
    _p("housing_rate", 0.04, 0.0, 0.5, "per month", A, "Monthly chance of finding stable housing with full access.", "services"),
    _p("housing_loss", 0.02, 0.0, 0.2, "per month", A, "Monthly chance of losing stable (or precarious) housing without an income.", "services"),
    _p("income_housing_protection", 0.8, 0.0, 1.0, "share", A, "Share of the housing-loss chance removed by an income (work or benefits).", "services"),
    _p("admin_housing_floor", 0.5, 0.0, 1.0, "share", A, "Housing chances at no administrative clarity, relative to full clarity.", "services"),
    _p("work_rate", 0.03, 0.0, 0.5, "per month", A, "Monthly chance of finding work with full access.", "services"),
    _p("work_loss", 0.03, 0.0, 0.3, "per month", A, "Monthly chance of losing work.", "services"),
    _p("admin_rate", 0.08, 0.0, 1.0, "per month", A, "Monthly chance of regularising one administrative file (documents or benefits) with service.", "services"),
    _p("admin_friction", 0.5, 0.0, 1.0, "share", "brief:IV", "Share of administrative attempts lost to friction across fragmented services.", "services", role=U),
    _p("stigma_barrier", 0.6, 0.0, 1.0, "share", A, "Share of housing and job chances lost at full stigma.", "services"),
    _p("stigma_loss_effect", 0.5, 0.0, 2.0, "multiplier", A, "Extra chance of losing housing or work at full stigma.", "services"),
    _p("network_access_gain", 0.8, 0.0, 3.0, "multiplier", A, "Extra housing (linking) and work (bridging) chances at full social capital.", "services"),
    _p("supervision_help", 0.5, 0.0, 2.0, "multiplier", A, "Protective: extra service access while a justice assistant supervises.", "services"),
    _p("support_help", 0.5, 0.0, 2.0, "multiplier", A, "Extra service access while post-release social-work support lasts.", "services"),
    _p("move_rate", 0.01, 0.0, 0.1, "per month", A, "Monthly chance a returnee without stable housing moves to another municipality (the case file must follow).", "services"),

    # --- stigma -------------------------------------------------------------------------------------------------------
    _p("stigma_base", 0.35, 0.0, 1.0, "index", "brief:IV", "Stigma towards returnees without media shocks.", "stigma"),
    _p("media_shock_rate", 0.05, 0.0, 0.5, "per month", A, "Monthly chance of a media shock about returnees.", "stigma"),
    _p("media_shock_size", 0.3, 0.0, 1.0, "index", A, "Rise in stigma at a media shock.", "stigma"),
    _p("stigma_decay", 0.1, 0.0, 1.0, "per month", A, "Monthly fading of a media shock.", "stigma"),
    _p("counter_narrative", 0.0, 0.0, 1.0, "share", "brief:IV", "Intensity of counter-narrative policy (communication guidelines, public materials).", "stigma", role=L),
    _p("narrative_efficacy", 0.6, 0.0, 1.0, "share", A, "Protective: share of media-shock stigma damped at full counter-narrative policy.", "stigma"),
    _p("narrative_backfire", 0.02, 0.0, 0.2, "index", A, "Harmful: rise in base stigma at full counter-narrative policy (attention drawn to returnees).", "stigma"),
    _p("em_stigma", 0.1, 0.0, 0.4, "index", A, "Harmful: extra stigma while wearing an electronic monitor.", "stigma"),

    # --- trust and meaning: procedural justice experienced in encounters ----------------------------------------------
    _p("trust_adjustment", 0.08, 0.0, 0.5, "per encounter", A, "Speed at which trust moves towards the procedural justice of a month's encounters with institutions.", "trust"),
    _p("support_justice", 0.7, 0.0, 1.0, "index", A, "Procedural justice experienced when served by social welfare in post-release support, or in a prison programme (0.5 = neutral).", "trust"),
    _p("supervision_justice", 0.55, 0.0, 1.0, "index", A, "Procedural justice experienced in a month of supervision by a justice assistant.", "trust"),
    _p("security_justice", 0.2, 0.0, 1.0, "index", A, "Procedural justice experienced in a month in a D-Rad:Ex wing, under police monitoring, or at a withdrawal of nationality.", "trust"),
    _p("hearing_justice_balanced", 0.8, 0.0, 1.0, "index", A, "Procedural justice experienced at a court hearing under balanced evaluations.", "trust"),
    _p("hearing_justice_risk_only", 0.3, 0.0, 1.0, "index", A, "Procedural justice experienced at a court hearing under risk-only evaluations.", "trust"),
    _p("meaning_adjustment", 0.05, 0.0, 0.5, "per month", A, "Speed at which meaning and motivation move towards what work, family, Living Lab sessions, care and counsel give.", "trust"),
    _p("meaning_floor", 0.25, 0.0, 1.0, "index", A, "Meaning and motivation a person without work, family, sessions, care or counsel drifts towards.", "trust"),

    # --- offending (model truth) ----------------------------------------------------------------------------------------
    _p("terror_hazard", 0.00005, 0.0, 0.05, "per month", "terror_reconviction",
       "Monthly hazard of a terrorism-related offence or re-engagement for a person with no deficits (needs met, full trust, meaning and ties, no extremist ties).", "offending"),
    _p("any_hazard", 0.0008, 0.0, 0.1, "per month", "general_reincarceration",
       "Monthly hazard of any new offence for a person with no deficits (returnees re-offend less than all releasees).", "offending"),
    _p("need_effect", 1.0, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of unmet needs (housing, work, administrative clarity, untreated trauma).", "offending"),
    _p("trust_effect", 0.8, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of missing trust.", "offending"),
    _p("meaning_effect", 0.8, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of missing meaning and motivation.", "offending"),
    _p("prosocial_effect", 1.0, 0.0, 3.0, "log-hazard", A, "Log-hazard per unit of missing prosocial ties (bonding and bridging).", "offending"),
    _p("extremist_effect_terror", 2.5, 0.0, 5.0, "log-hazard", A, "Log-hazard of terrorism offending per unit of extremist ties.", "offending"),
    _p("extremist_effect_any", 0.5, 0.0, 3.0, "log-hazard", A, "Log-hazard of any offending per unit of extremist ties.", "offending"),
    _p("age_effect", -0.3, -1.0, 0.0, "log-hazard", A, "Log-hazard per ten years of age above the reference age (offending falls with age).", "offending"),
    _p("age_reference", 30.0, 18.0, 60.0, "years", A, "Age at which the age effect is zero.", "offending", role=C),
    _p("supervision_deterrence", 0.3, -0.5, 0.9, "share", A, "Protective: share of offending hazard removed while supervised (conditional release, post-sentence supervision, electronic monitoring).", "offending"),
    _p("breach_rate", 0.012, 0.0, 0.1, "per month", A, "Harmful: monthly chance of a technical breach of conditions while supervised, for a stable person.", "offending"),
    _p("breach_instability_effect", 1.5, 0.0, 4.0, "multiplier", A, "Extra breaches for people with no stable housing or family.", "offending"),
    _p("em_breach_effect", 1.0, 0.0, 4.0, "multiplier", A, "Extra breaches under electronic monitoring (curfew and zone conditions).", "offending"),

    # --- observation: detection, prosecution, conviction ---------------------------------------------------------------
    _p("detection_free", 0.5, 0.0, 1.0, "probability", A, "Chance a new offence is detected when the person is neither supervised nor monitored.", "justice"),
    _p("detection_supervised", 0.4, 0.0, 1.0, "probability", A, "Extra chance an offence is detected while supervised.", "justice"),
    _p("prosecution_any", 0.7, 0.0, 1.0, "probability", A, "Chance a detected offence (other than terrorism) is prosecuted.", "justice"),
    _p("prosecution_terror", 0.9, 0.0, 1.0, "probability", A, "Chance a detected terrorism offence is prosecuted.", "justice"),
    _p("conviction_rate", 0.8, 0.0, 1.0, "probability", A, "Chance a prosecution ends in a conviction.", "justice"),
    _p("trial_lag_months", 12.0, 1.0, 48.0, "months", A, "Mean time from detection to judgment.", "justice"),
    _p("pretrial_on_arrest", 0.4, 0.0, 1.0, "probability", A, "Chance a prosecuted suspect of an offence other than terrorism is held in pre-trial detention (terrorism suspects always are).", "justice"),
    _p("reoffence_sentence_months", 24.0, 6.0, 120.0, "months", A, "Median sentence for a new offence other than terrorism.", "justice"),
    _p("terror_sentence_months", 60.0, 12.0, 180.0, "months", A, "Median sentence for a new terrorism offence.", "justice"),

    # --- exits: leaving Belgium or the view of the authorities -----------------------------------------------------------
    _p("death_rate", 0.00025, 0.0, 1.0, "per month", A, "Monthly chance of death (about three per thousand a year: above the Belgian rate at these ages, after war and camps).", "exits"),
    _p("redeparture_rate", 0.0003, 0.0, 1.0, "per month", A, "Monthly chance a returnee in the community leaves again for a conflict zone (rare after 2017).", "exits"),
    _p("transfer_rate", 0.0003, 0.0, 1.0, "per month", A, "Monthly chance of transfer or extradition to another state (prosecution or sentence abroad).", "exits"),
    _p("emigration_rate", 0.0012, 0.0, 1.0, "per month", A, "Monthly chance a returnee in the community emigrates (family abroad, second nationality).", "exits"),
    _p("lost_contact_rate", 0.002, 0.0, 1.0, "per month", A, "Monthly chance a free returnee with no supervision, post-release support or local-cell follow-up drops out of the authorities' view (in Belgium, not observed).", "exits"),

    # --- public cost -----------------------------------------------------------------------------------------------------
    _p("cost_detainee_day", 146.5, 50.0, 400.0, "EUR per day", "cost_detainee_day_2017", "Average cost of a detainee-day (2017): staff, buildings, food, health care.", "cost", role=C),
    _p("staff_cost_share", 0.82, 0.5, 0.95, "share", "staff_share_2010", "Share of staff in the cost of a detainee-day.", "cost", role=C),
    _p("overtime_cover", 0.5, 0.0, 1.0, "share", A, "Share of prison staff time missing (vacancies, absence) that is covered by overtime.", "cost"),
    _p("overtime_premium", 1.5, 1.0, 2.5, "ratio", A, "Cost of an hour of overtime relative to an ordinary hour.", "cost"),
    _p("isolation_cost_ratio", 1.5, 1.0, 3.0, "ratio", A, "Cost of a detainee-day in a D-Rad:Ex wing relative to an ordinary one (more staff per detainee).", "cost"),
    _p("cost_em_day", 40.0, 10.0, 150.0, "EUR per day", A, "Cost of a day of electronic monitoring.", "cost"),
    _p("cost_supervision_month", 300.0, 0.0, 2000.0, "EUR per month", A, "Cost of one month of supervision by a justice house.", "cost"),
    _p("cost_service_month", 200.0, 0.0, 2000.0, "EUR per month", A, "Cost of one month of support or care from community services.", "cost"),
    _p("cost_monitoring_month", 150.0, 0.0, 2000.0, "EUR per month", A, "Cost of one month of following a person in a local cell and by the police.", "cost"),
    _p("cost_ll_session", 1500.0, 0.0, 10000.0, "EUR per session", A, "Cost of one Living Lab session in one municipality (besides professional time).", "cost"),
    _p("cost_meeting", 400.0, 0.0, 5000.0, "EUR per meeting", A, "Cost of the staff time of one coordination meeting between two agencies.", "cost"),

    # --- reintegration index (normative weights) --------------------------------------------------------------------------
    _p("weight_housing", 1.0, 0.0, 5.0, "weight", A, "Weight of stable housing in the reintegration index.", "index", role=C),
    _p("weight_family", 1.0, 0.0, 5.0, "weight", A, "Weight of family stability in the reintegration index.", "index", role=C),
    _p("weight_admin", 1.0, 0.0, 5.0, "weight", A, "Weight of administrative clarity in the reintegration index.", "index", role=C),
    _p("weight_care", 1.0, 0.0, 5.0, "weight", A, "Weight of psychosocial continuity in the reintegration index.", "index", role=C),
    _p("weight_work", 1.0, 0.0, 5.0, "weight", A, "Weight of employment in the reintegration index.", "index", role=C),
    _p("weight_trust", 1.0, 0.0, 5.0, "weight", A, "Weight of trust in the reintegration index.", "index", role=C),
]
# fmt: on

# Uncertain status quo that scenarios change (never set): by adding to it ("shift") or multiplying it ("scale"),
# so a drawn status quo stays the run's own and the scenario's measure acts on top of it.
CHANGES: dict[str, str] = {
    **dict.fromkeys(("staff_absence", "middle_management", "isolation_share", "national_consistency",
                     "balanced_evaluations", "post_sentence_supervision", "leave_rate", "limited_detention_rate",
                     "electronic_monitoring_rate", "family_contact", "info_flow", "monitoring_months", "ll_outreach",
                     "ll_family_participation", "ll_professional_participation", "service_staffing",
                     "tailored_access"), "shift"),
    **dict.fromkeys(("nationality_withdrawal_rate", "residence_withdrawal_rate", "removal_execution_rate",
                     "admin_friction"), "scale"),
}

# Named studies behind the effect priors (docs/VALIDATION.md lists them with what each says).
_BERGHUIS = ("reentry_programmes_or: Berghuis 2018 (J. Exp. Criminology), reentry programmes OR 0.89 (95% CI 0.74-1.07), "
             "read as the share of reoffending removed (1 - OR): 0.11, from -0.07 (mild harm) to 0.26")
_MODEST = ("reentry_programmes_or: Berghuis 2018 (J. Exp. Criminology): reentry programmes' effects are modest and "
           "may be nil (OR 0.89, 95% CI 0.74-1.07): from none to twice the default; mild harm reaches offending "
           "through supervision's deterrence and the procedural justice of encounters")
_LIPSEY = ("Landenberger & Lipsey 2005 (J. Exp. Criminology 1): cognitive-behavioural programmes OR 1.53, about 25% less "
           "recidivism at best; Berghuis 2018 (reentry_programmes_or) 0.89 (0.74-1.07): from none to the default's "
           "double at most")
_VISHER = ("Visher, Winterfield & Coggeshall 2005 (J. Exp. Criminology 1): community employment programmes for "
           "ex-offenders did not reduce rearrest: most plausible is none (the mode), up to twice the default")
_DUWE = ("Duwe & Clark 2013 (Criminal Justice Policy Review 24): any visit lowered the reconviction hazard by 13% and "
         "technical revocations by 25%; visits_any (Bales & Mears 2008): protective, modest: from none to twice the default")
_STRANG = ("Strang et al. 2013 (Campbell Systematic Reviews 2013:12): restorative justice conferences lower repeat "
           "offending modestly (d = 0.155); Berghuis 2018 (reentry_programmes_or): from none to twice the default")
_TOLAN = ("Tolan et al. 2013 (Campbell Systematic Reviews 2013:10): mentoring lowers delinquency modestly "
          "(d about 0.2): from none to twice the default")
_RENZEMA = ("Renzema & Mayo-Wilson 2005 (J. Exp. Criminology 1): no evidence that electronic monitoring lowers "
            "reoffending; its harms are stated as assumptions: from none to twice the default")
_PETROSINO = ("Petrosino, Turpin-Petrosino & Guckenburg 2010 (Campbell Systematic Reviews 2010:1): formal processing "
              "raised later offending (labelling); this harm may be absent or twice the default")
_MEARS = ("Mears & Bales 2009 (Criminology 47): supermax isolation went with more violent recidivism: the wing's "
          "harms may be absent or twice the default")
_NONE_PLAUSIBLE = ("assumption: no study measures this pathway; Berghuis 2018 (reentry_programmes_or) says support "
                   "effects are modest and may be nil, so the range runs from none to twice the default")
_HARM_PLAUSIBLE = "assumption: no study measures this harm; it may be absent or twice the default"
_RATE = "assumption: a monthly rate known only to a factor of two either way"
# Priors of the uncertainties that do not follow the default rule (_default_prior).
PRIORS: dict[str, Prior] = {
    # protective and support effects: none is plausible, mild harm where the literature allows
    "supervision_deterrence": Prior(-0.07, 0.35, "Petersilia & Turner 1993 (Crime and Justice 17): intensive "
                                    "supervision did not lower rearrest and raised technical violations; " + _BERGHUIS +
                                    "; the default 0.3 lies near the top", mode=0.11),
    "monitoring_deterrence": Prior(-0.1, 0.4, "assumption: no study of police monitoring of released extremists; "
                                   "attention may deter or provoke (" + _PETROSINO.split(":")[0] + "): from mild harm "
                                   "to twice the default"),
    "monitoring_support": Prior(0.0, 0.6, _NONE_PLAUSIBLE),
    "monitoring_contact_cut": Prior(0.0, 0.6, _NONE_PLAUSIBLE),
    "monitoring_detection": Prior(0.0, 0.6, _NONE_PLAUSIBLE),
    "isolation_containment": Prior(0.0, 0.95, "assumption: wings may contain little (contacts continue) or almost all"),
    "programme_disengagement": Prior(0.0, 0.06, _LIPSEY),
    "programme_meaning_gain": Prior(0.0, 0.08, _LIPSEY),
    "supervision_help": Prior(0.0, 1.0, _MODEST),
    "support_help": Prior(0.0, 1.0, _MODEST),
    "network_access_gain": Prior(0.0, 1.6, _TOLAN),
    "ll_tie_gain": Prior(0.0, 0.24, _TOLAN),
    "ll_admin_friction_cut": Prior(0.0, 1.0, _STRANG),
    "ll_case_gain": Prior(0.0, 0.6, _STRANG),
    "ll_session_justice": Prior(0.35, 0.95, "assumption: sessions may be felt as control (below 0.5: harm) or as fair"),
    "family_day_effect": Prior(0.0, 1.0, _DUWE),
    "family_support_hosting": Prior(0.0, 0.6, _NONE_PLAUSIBLE),
    "contact_stability_gain": Prior(0.0, 0.1, _DUWE),
    "trauma_care_effect": Prior(0.0, 1.0, _NONE_PLAUSIBLE),
    "job_file_gain": Prior(0.0, 1.0, _VISHER, mode=0.0),
    "counsel_referral": Prior(0.0, 1.0, _NONE_PLAUSIBLE),
    "family_file_effect": Prior(0.0, 1.0, _NONE_PLAUSIBLE),
    "narrative_efficacy": Prior(0.0, 1.0, "assumption: counter-narratives may not reach the public at all"),
    "leave_plan_gain": Prior(0.0, 0.2, _NONE_PLAUSIBLE),
    "support_justice": Prior(0.4, 0.9, "assumption: help may be felt as neutral-to-controlling (below 0.5) or fair"),
    "supervision_justice": Prior(0.3, 0.8, "assumption: supervision is felt as control or as help"),
    "hearing_justice_balanced": Prior(0.5, 1.0, "assumption: a balanced hearing is felt as at least neutral"),
    "hearing_justice_risk_only": Prior(0.1, 0.5, "assumption: a risk-only hearing is felt as at most neutral"),
    "security_justice": Prior(0.0, 0.4, "assumption: purely security measures are felt as unfair"),
    "progress_validity": Prior(0.0, 1.0, "assumption: whether progress in prison reflects lower extremism is unknown"),
    "guideline_regime": Prior(-0.2, 0.2, "assumption: shared guidelines may settle harsher or milder than the average"),
    # harmful pathways: none to twice the default
    "wing_contagion": Prior(0.0, 0.6, _MEARS),
    "isolation_contact_cut": Prior(0.3, 0.9, _MEARS),
    "family_extremist_share": Prior(0.0, 0.06, _HARM_PLAUSIBLE),
    "priority_backlash": Prior(0.0, 0.06, _HARM_PLAUSIBLE),
    "narrative_backfire": Prior(0.0, 0.06, _HARM_PLAUSIBLE),
    "trauma_care_time": Prior(0.0, 0.6, _HARM_PLAUSIBLE),
    "ll_labelling": Prior(0.0, 0.15, _PETROSINO),
    "ll_staff_time": Prior(0.0, 1.0, _HARM_PLAUSIBLE),
    "meeting_staff_time": Prior(0.0, 1.0, _HARM_PLAUSIBLE),
    "monitoring_stigma": Prior(0.0, 0.3, _PETROSINO),
    "em_stigma": Prior(0.0, 0.2, _RENZEMA),
    "family_work_referral": Prior(0.0, 0.04, _HARM_PLAUSIBLE),
    "stigma_loss_effect": Prior(0.0, 1.0, _HARM_PLAUSIBLE),
    "em_breach_effect": Prior(0.0, 2.0, _RENZEMA),
    # hazards fitted by `run.py calibrate`: the record decides, so the prior is wide (a factor 3 either way)
    "terror_hazard": Prior(0.00005 / 3, 0.00005 * 3, "terror_reconviction; terror_reengagement: fitted to them by "
                           "calibration, so the prior spans a factor 3 either way", "log-triangular"),
    "any_hazard": Prior(0.0008 / 2, 0.0008 * 2, "general_reincarceration (all Belgian releasees, context only): "
                        "returnees re-offend less, by a factor unknown within 2", "log-triangular"),
    # log-hazard effects of deficits: from none to twice the default
    **{name: Prior(0.0, 2 * d, "assumption: a deficit's effect on offending may be nil or twice the default")
       for name, d in (("need_effect", 1.0), ("trust_effect", 0.8), ("meaning_effect", 0.8), ("prosocial_effect", 1.0),
                       ("extremist_effect_any", 0.5))},
    "extremist_effect_terror": Prior(1.25, 3.75, "assumption: ties to extremist peers drive terrorism offending; "
                                     "their weight is known only within half and one and a half times the default"),
    "age_effect": Prior(-0.6, 0.0, "assumption: offending falls with age (the age-crime curve); how fast is unknown"),
}


def _default_prior(p: Parameter) -> Prior:
    """An uncertainty without a listed prior: half to one and a half times its default (a factor 2 for rates)."""
    if p.unit in ("per month", "per year") and p.default > 0:
        low, high = max(p.default / 2, p.low), min(p.default * 2, p.high)
        return Prior(low, high, _RATE, "log-triangular")
    span = abs(p.default) / 2
    low, high = max(p.default - span, p.low), min(p.default + span, p.high)
    return Prior(low, high, "assumption: no source gives a range; plausibly within half and one and a half times the "
                            "default")


def _complete(p: Parameter) -> Parameter:
    if p.role != "uncertainty":
        return p
    prior = PRIORS.get(p.name) or _default_prior(p)
    if p.kind == "int":
        prior = replace(prior, low=float(math.floor(prior.low)), high=float(math.ceil(prior.high)))
    return replace(p, prior=prior, change=CHANGES.get(p.name))


REGISTRY: Mapping[str, Parameter] = MappingProxyType({p.name: _complete(p) for p in _DECLARED})
assert len(REGISTRY) == len(_DECLARED), "a parameter is declared twice"

def markdown_table() -> str:
    """The parameter table of docs/ODD.md (regenerate with `python run.py params --markdown`)."""
    lines = ["| parameter | kind | default | bounds (accepted) | unit | prior (plausible) | source; basis of the prior | meaning |",
             "|---|---|---|---|---|---|---|---|"]
    for p in REGISTRY.values():
        rng = p.allowed().replace("|", "/")
        kind = p.role + (f" ({p.change} by scenarios)" if p.change else "")
        prior = p.prior.describe() if p.prior else "–"
        basis = p.source + (f"; {p.prior.basis}" if p.prior and p.prior.basis != p.source else "")
        lines.append(f"| `{p.name}` | {kind} | {p.default!r} | {rng} | {p.unit} | {prior} | {basis} | {p.help} |")
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
