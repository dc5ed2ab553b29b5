"""Release: the cliff edge between prison and community.

At the end of the sentence a person walks out, under post-sentence supervision with chance
``post_sentence_supervision``. From eligibility (``cr_eligible_fraction`` of the sentence)
the sentence-implementation court hears the case with monthly chance ``hearing_rate``; a
hearing is an encounter whose procedural justice depends on how balanced evaluations
are, and grants conditional release with chance
``cr_grant_at_hearing x plan x [b x progress + (1 - b) x risk_only_leniency x (1 - extremism)]``,
b = ``balanced_evaluations``, where progress reflects lower extremism only as far as
``progress_validity`` says (otherwise meaning and family stability).

Release is a transition: housing, documents, benefits, care, risk information, the
family's and the work file stay in place only as far as the plan and the case file that
reached each receiving agency allow (``coordination.deliver``); otherwise the family hosts
(precarious housing) if it can.
"""

from __future__ import annotations

import numpy as np

from ..constants import NONE
from ..state import CONDITIONAL, ELECTRONIC_MONITORING, FREE, LIMITED_DETENTION, NO_HOUSING, PRECARIOUS, SENTENCED, STABLE
from ..people import Some
from . import coordination, wellbeing

DISCHARGE_WRITES = (
    "pop.custody", "pop.isolated", "pop.in_programme", "pop.on_leave", "pop.supervised_left", "pop.months_left",
    "pop.support_left", "pop.family_support_left", "pop.housing", "pop.documents", "pop.benefits", "pop.in_care",
    "pop.cell_left", "pop.policed", "pop.family_file", "pop.job_file_left", "pop.plan", "pop.release_month",
    "pop.rel_housed", "pop.rel_documented", "pop.rel_care", "pop.rel_family", "pop.months_to_housing",
    "pop.ever_released", "pop.first_release_month",
)
RELEASE_FILES = ("housing", "documents", "care", "risk", "family", "work")
RELEASE_HOPS = coordination.pairs_of(RELEASE_FILES) + (("local_cell", "police"),)
DISCHARGE_DRAWS = ("support", "release_housing", "release_hosting", "release_documents", "release_benefits",
                   "release_care", "release_risk", "release_police", "release_family", "release_work")
DISCHARGE_READS = ("pop.plan", "pop.host_capacity", "pop.family_stability", "pop.legal_status", "pop.documents",
                   "pop.in_care", "pop.months_left", "pop.first_release_month") + coordination.HOP_READS
READS = ("pop.custody", "pop.months_left", "pop.served", "pop.sentence", "pop.plan", "pop.meaning",
         "pop.family_stability", "pop.extremism", "pop.host_capacity", "pop.legal_status", "pop.documents",
         "pop.in_care", "pop.prison", "pop.municipality", "pop.ll_file", "world.tie_freshness", "world.ll_met")
WRITES = DISCHARGE_WRITES + ("pop.justice_sum", "pop.justice_weight")  # custody and supervision: post-sentence


def discharge(model, mask: np.ndarray, conditional: bool, from_prison: bool = True) -> None:
    """Move people from prison (or, on arrival, from abroad) into the community, with what their file carries.

    Worked out for the people in ``mask`` only (``people.Some``). Only releases from prison are recorded as
    releases (the *_at_release outcomes).
    """
    if not mask.any():
        return
    p, pop = model.p, model.pop
    at = Some(mask)
    of = at.of
    u = dict(zip(DISCHARGE_DRAWS, at.draws(model, DISCHARGE_DRAWS))).__getitem__  # the people's draws, one pass

    at.put(pop.custody, CONDITIONAL if conditional else FREE)
    for name in ("isolated", "in_programme", "on_leave"):
        at.put(getattr(pop, name), False)
    if conditional:
        at.put(pop.supervised_left, np.maximum(of(pop.months_left), of(p.probation_min_months)))
    else:
        at.put(pop.months_left, 0)
    plan = of(pop.plan)
    supported = conditional | (u("support") < plan)
    at.put(pop.support_left, of(p.post_release_support_months), where=supported)
    at.put(pop.family_support_left, np.round(of(p.family_support_months) * of(p.family_centred)))

    coordination.hops(model, RELEASE_HOPS, at)  # every hop the people's files take, worked out together
    files = {c: coordination.deliver(model, c, at) for c in RELEASE_FILES}
    arranged = u("release_housing") < plan * files["housing"]
    hosted = u("release_hosting") < of(pop.host_capacity) * of(pop.family_stability)
    housing = np.where(arranged, STABLE, np.where(hosted, PRECARIOUS, NO_HOUSING))
    at.put(pop.housing, housing)
    legal = of(pop.legal_status)
    in_order = of(p.documents_on_release) + (1.0 - of(p.documents_on_release)) * plan
    documents = legal & (of(pop.documents) | (u("release_documents") < files["documents"] * in_order))
    at.put(pop.documents, documents)
    at.put(pop.benefits, legal & documents & (u("release_benefits") < files["documents"] * plan))
    in_care = of(pop.in_care) & (u("release_care") < files["care"])
    at.put(pop.in_care, in_care)
    followed = u("release_risk") < files["risk"]
    at.put(pop.cell_left, of(p.monitoring_months), where=followed)
    at.put(pop.policed, followed & (u("release_police") < coordination.hop(model, "local_cell", "police", at)))
    at.put(pop.family_file, u("release_family") < files["family"])
    at.put(pop.job_file_left, of(p.job_file_months), where=u("release_work") < files["work"])
    at.put(pop.plan, 0.0)

    if not from_prison:
        return
    at.put(pop.ever_released, True)
    at.put(pop.release_month, model.month)
    at.put(pop.first_release_month, model.month, where=of(pop.first_release_month) == NONE)  # recidivism's clock
    at.put(pop.rel_housed, housing == STABLE)
    at.put(pop.rel_documented, documents)
    at.put(pop.rel_care, in_care)
    at.put(pop.rel_family, of(pop.family_stability))
    # counted from the latest release: 0 if housed on the day, else pending until housing is found
    at.put(pop.months_to_housing, np.where(housing == STABLE, 0.0, np.nan))


def step(model) -> None:
    p, pop, ko = model.p, model.pop, model.knockouts
    serving = (pop.custody == SENTENCED) | (pop.custody == LIMITED_DETENTION) | (pop.custody == ELECTRONIC_MONITORING)
    full_term = serving & (pop.months_left <= 0)
    at_home = pop.custody == ELECTRONIC_MONITORING  # already released when the monitor went on
    discharge(model, full_term & ~at_home, conditional=False)
    pop.custody[full_term & at_home] = FREE
    pop.supervised_left[full_term & at_home] = 0
    post = full_term & (model.u("post_sentence", pop.n) < p.post_sentence_supervision)
    pop.custody[post] = CONDITIONAL
    pop.supervised_left[post] = np.broadcast_to(p.post_sentence_months, post.shape)[post]

    eligible = serving & ~full_term & (pop.served >= p.cr_eligible_fraction * pop.sentence)
    heard = eligible & (model.u("hearing", pop.n) < p.hearing_rate)
    b = np.zeros_like(p.balanced_evaluations) if "evaluations" in ko else p.balanced_evaluations
    validity = p.progress_validity
    progress = validity * (1.0 - pop.extremism) + (1.0 - validity) * np.mean([pop.meaning, pop.family_stability], axis=0)
    favour = b * progress + (1.0 - b) * p.risk_only_leniency * (1.0 - pop.extremism)
    wellbeing.experience(model, heard, b * p.hearing_justice_balanced + (1.0 - b) * p.hearing_justice_risk_only)
    granted = heard & (model.u("cr_grant", pop.n) < p.cr_grant_at_hearing * pop.plan * favour)
    at_home = pop.custody == ELECTRONIC_MONITORING
    discharge(model, granted & ~at_home, conditional=True)
    pop.custody[granted & at_home] = CONDITIONAL  # the monitor comes off; probation takes over
    pop.supervised_left[granted & at_home] = np.maximum(pop.months_left, p.probation_min_months)[granted & at_home]
