"""Detention: D-Rad:Ex wings, programmes, care, family contact, extremist ties, release preparation,
and serving part of a sentence outside a closed cell.

Wings (men only, as in the record): each month the sentenced men in a closed cell whose
extremist ties are strongest are placed there, a share ``isolation_share`` of them. A wing
cuts family visits and programmes, is an encounter of pure security, contains a man's
contact with ordinary detainees (``isolation_containment``: his influence on them, a
protective effect) and exposes him to the other men held there (``wing_contagion``).
Programme and care access is the prison's access (``agency_capacity``). Visits come
with chance ``family_contact`` x family days x the prison's regime x family stability;
contact strengthens family ties and stability, months without it strain the family, and
radicalised relatives add exposure. Extremist ties grow with exposure: the prison's
milieu, other returnees held with a person (their ties to each other) and the wing; they
fall in programmes (``programme_disengagement``). Release is prepared from
``prep_window_months`` before eligibility (or the end of the sentence), as fast as access,
management and the file at the justice house allow. A prepared detainee can get
penitentiary leave (in the release window) or move to limited detention or electronic
monitoring (from ``modality_window_months`` before eligibility).
"""

from __future__ import annotations

import numpy as np

from ..agencies import TYPE_INDEX
from ..arrays import gather, rank_within
from ..constants import DAYS_PER_MONTH
from ..network import RADICAL_RELATIVE, ByOwner
from ..state import (ELECTRONIC_MONITORING, LIMITED_DETENTION, PRECARIOUS, PRETRIAL, SENTENCED, STABLE)
from . import coordination, release, wellbeing

INCARCERATE_READS = ("pop.in_care", "pop.housing", "pop.months_left", "pop.supervised_left") + coordination.HOP_READS
INCARCERATE_WRITES = ("pop.custody", "pop.sentence", "pop.served", "pop.months_left", "pop.ever_reincarcerated",
                      "pop.supervised_left", "pop.support_left", "pop.job_file_left", "pop.family_support_left",
                      "pop.employed", "pop.benefits", "pop.ll_member", "pop.plan", "pop.housing", "pop.in_care",
                      "pop.counselled", "pop.on_leave", "pop.cell_left", "pop.policed")
READS = ("pop.custody", "pop.prison", "pop.woman", "pop.extremism", "pop.isolation_u", "pop.served", "pop.sentence",
         "pop.months_left", "pop.family_stability", "pop.plan", "pop.in_programme", "pop.meaning", "pop.in_care",
         "pop.trauma", "pop.trust", "pop.municipality", "pop.ll_file", "world.prison_access", "world.contact_regime",
         "world.overtime", "world.tie_freshness", "world.ll_met", "net.family", "net.extremist", "net.returnee",
         "net.peer", "net.case") + release.DISCHARGE_READS
WRITES = ("pop.served", "pop.detention_months", "pop.outside_cell_months", "pop.months_left", "pop.isolated",
          "pop.in_programme", "pop.contact", "pop.family_stability", "pop.plan", "pop.on_leave", "pop.custody",
          "pop.supervised_left", "pop.meaning", "pop.in_care", "pop.trauma", "pop.justice_sum", "pop.justice_weight",
          "world.cost", "net.family", "net.extremist", "net.returnee", "net.peer", "net.case") + release.DISCHARGE_WRITES


def incarcerate(model, mask: np.ndarray, sentence: np.ndarray | None = None, revoke: bool = False) -> None:
    """Send people from the community into prison: pre-trial on a new case, a new sentence, or a revocation.

    An arrest is a transition: care continues only where the care file reaches the prison.
    """
    if not mask.any():
        return
    pop = model.pop
    if revoke:
        pop.custody[mask] = SENTENCED
        pop.months_left[mask] = np.maximum(pop.months_left[mask], pop.supervised_left[mask])
    elif sentence is None:
        pop.custody[mask] = PRETRIAL
    else:
        pop.custody[mask] = SENTENCED
        pop.sentence[mask], pop.served[mask], pop.months_left[mask] = sentence[mask], 0, sentence[mask]
    care_file = coordination.deliver(model, "arrest_care")
    pop.in_care[mask] = (pop.in_care & (model.u("arrest_care", pop.n) < care_file))[mask]
    pop.ever_reincarcerated[mask] = True
    for name in ("supervised_left", "support_left", "job_file_left", "family_support_left", "cell_left"):
        getattr(pop, name)[mask] = 0
    for name in ("employed", "benefits", "ll_member", "counselled", "on_leave", "policed"):
        getattr(pop, name)[mask] = False
    pop.plan[mask] = 0.0
    pop.housing[mask & (pop.housing == STABLE)] = PRECARIOUS


def _wings(model, in_cell: np.ndarray) -> np.ndarray:
    """The sentenced men in a closed cell placed in a D-Rad:Ex wing: the most extreme first, up to the share."""
    p, pop = model.p, model.pop
    eligible = in_cell & (pop.custody == SENTENCED) & ~pop.woman
    rank = rank_within(np.zeros_like(pop.prison), pop.extremism, pop.isolation_u, eligible)
    places = np.round(p.isolation_share * eligible.sum(axis=1, keepdims=True))
    return eligible & (rank < places)


def step(model) -> None:
    p, pop, net, w, ko = model.p, model.pop, model.net, model.world, model.knockouts
    detained = pop.detained()
    in_cell = pop.closed_cell()
    serving = (pop.custody == SENTENCED) | (pop.custody == LIMITED_DETENTION) | (pop.custody == ELECTRONIC_MONITORING)
    pop.served[detained | (pop.custody == ELECTRONIC_MONITORING)] += 1
    pop.detention_months[detained] += 1
    outside = (pop.custody == LIMITED_DETENTION) | (pop.custody == ELECTRONIC_MONITORING)
    pop.outside_cell_months[outside] += 1
    pop.months_left[serving] -= 1

    pop.isolated[:] = _wings(model, in_cell)
    iso = pop.isolated & ("isolation" not in ko)
    access = np.where(detained, gather(w.prison_access, pop.prison) * (1.0 - p.isolation_programme_cut * iso), 0.0)
    pop.in_programme[:] = detained & (model.u("programme", pop.n) < access)
    wellbeing.update_care(model, detained, access, np.ones(pop.custody.shape))
    gained = pop.in_programme
    pop.meaning[gained] += (p.programme_meaning_gain * (1.0 - pop.meaning))[gained]
    wellbeing.experience(model, pop.in_programme, p.support_justice)
    wellbeing.experience(model, iso, p.security_justice)
    _modalities(model, in_cell, iso)
    _family(model, detained, iso)
    _extremist_ties(model, detained, iso)

    # release preparation in the window before eligibility
    eligible_at = np.ceil(p.cr_eligible_fraction * pop.sentence)
    window = serving & ((eligible_at - pop.served <= p.prep_window_months) | (pop.months_left <= p.prep_window_months))
    organised = 1.0 if "programme_access" in ko else 1.0 - p.management_plan_effect * (1.0 - p.middle_management)
    boost = np.where(pop.on_leave | (pop.custody == LIMITED_DETENTION), p.leave_plan_gain, 0.0)
    progress = (p.prep_rate * access * organised * coordination.deliver(model, "plan") + boost) * (1.0 - pop.plan)
    pop.plan[window] = np.minimum(1.0, pop.plan + progress)[window]

    prison_case = net["case"].attr_is(TYPE_INDEX["prison"])
    net.tend("case", ByOwner(access), p.tie_gain, p.tie_decay, where=prison_case)
    net.tend("peer", 0.0, 0.0, p.tie_decay, where=ByOwner(detained))

    days = DAYS_PER_MONTH
    day_cost = p.cost_detainee_day * (1.0 + p.staff_cost_share * w.overtime[:, None] * (p.overtime_premium - 1.0))
    ordinary = (detained & ~pop.isolated).sum(axis=1, keepdims=True)
    winged = pop.isolated.sum(axis=1, keepdims=True)
    w.cost[:, model.cost_index["detention"]] += (days * day_cost * (ordinary + p.isolation_cost_ratio * winged))[:, 0]
    em = (pop.custody == ELECTRONIC_MONITORING).sum(axis=1, keepdims=True)
    w.cost[:, model.cost_index["electronic_monitoring"]] += (days * p.cost_em_day * em)[:, 0]


def _modalities(model, in_cell: np.ndarray, iso: np.ndarray) -> None:
    """Penitentiary leave, limited detention and electronic monitoring for prepared detainees."""
    p, pop = model.p, model.pop
    pop.on_leave[:] = False
    if "modalities" in model.knockouts:
        return
    eligible_at = np.ceil(p.cr_eligible_fraction * pop.sentence)
    sentenced = (pop.custody == SENTENCED) & in_cell & ~iso  # no leave or modality from a wing
    to_eligibility = eligible_at - pop.served
    leave_window = (to_eligibility <= p.prep_window_months) | (pop.months_left <= p.prep_window_months)
    modality_window = (to_eligibility <= p.modality_window_months) & (pop.months_left > 0)
    pop.on_leave[:] = sentenced & leave_window & (model.u("leave", pop.n) < p.leave_rate * pop.plan)
    limited = sentenced & modality_window & (model.u("limited_detention", pop.n) < p.limited_detention_rate * pop.plan)
    monitored = (sentenced & modality_window & ~limited
                 & (model.u("electronic_monitoring", pop.n) < p.electronic_monitoring_rate * pop.plan))
    pop.custody[limited] = LIMITED_DETENTION
    release.discharge(model, monitored, conditional=True)  # leaving prison for home is the release transition
    pop.custody[monitored] = ELECTRONIC_MONITORING
    pop.supervised_left[monitored] = pop.months_left[monitored]


def _family(model, detained: np.ndarray, iso: np.ndarray) -> None:
    """Visits in a closed cell; days out (leave, limited detention) bring contact too."""
    p, pop, net, w, ko = model.p, model.pop, model.net, model.world, model.knockouts
    visit = (p.family_contact * (1.0 + p.family_centred * p.family_day_effect) * gather(w.contact_regime, pop.prison)
             * (1.0 - p.isolation_contact_cut * iso) * pop.family_stability)
    out_days = pop.on_leave | (pop.custody == LIMITED_DETENTION)
    pop.contact[:] = detained & ((model.u("visit", pop.n) < np.minimum(visit, 1.0)) | out_days)
    contact = pop.contact & ("family_contact" not in ko)
    fs = pop.family_stability
    fs[detained & contact] += (p.contact_stability_gain * (1.0 - fs))[detained & contact]
    fs[detained & ~contact] -= (p.detention_family_strain * fs)[detained & ~contact]
    np.clip(fs, 0.0, 1.0, out=fs)
    net.tend("family", ByOwner(contact), p.tie_gain, p.tie_decay, where=ByOwner(detained))


def _extremist_ties(model, detained: np.ndarray, iso: np.ndarray) -> None:
    """Exposure in detention: the milieu, tied returnees held with a person, the wing, radicalised relatives."""
    p, pop, net, ko = model.p, model.pop, model.net, model.knockouts
    rt = net["returnee"]
    other = rt.other
    same_place = (rt.of_owner(detained) & gather(detained, other)
                  & (rt.of_owner(pop.prison) == gather(pop.prison, other)))
    iso_owner, iso_other = rt.of_owner(iso), gather(iso, other)
    apart = iso_owner != iso_other  # one in a wing, one not
    met = same_place * p.codetainee_contact * np.where(apart, 1.0 - p.isolation_containment, 1.0)  # share of a month
    net.tend("returnee", met, p.tie_gain, p.tie_decay, where=same_place)
    if "extremist_ties" in ko:
        return
    from_returnees = net.strength("returnee", met * gather(pop.extremism, other))
    wing_mates = iso.sum(axis=1, keepdims=True)
    wing_mean = np.where(wing_mates > 1, (iso * pop.extremism).sum(axis=1, keepdims=True) - pop.extremism * iso, 0.0)
    wing = np.where(iso, p.wing_contagion * wing_mean / np.maximum(wing_mates - 1, 1), 0.0)
    milieu = np.where(iso, 0.0, p.prison_radical_milieu)
    fam = net["family"]
    radical = fam.attr_is(RADICAL_RELATIVE) & fam.of_owner(pop.contact & ("family_contact" not in ko))
    relatives = net.strength("family", radical.astype(float))
    exposure = np.clip(milieu + from_returnees + wing + relatives, 0.0, 1.0)
    ext = net["extremist"]
    net.tend("extremist", ByOwner(exposure), p.extremist_spread_rate, p.tie_decay, where=ByOwner(detained))
    disengaging = ext.of_owner(pop.in_programme)
    ext.weight = np.where(disengaging, ext.weight * (1.0 - p.programme_disengagement), ext.weight)
