"""Community: needs met by agencies within capacity, month by month, for people out of prison.

Every chance below is monthly and multiplies a base rate by the agency's service
probability (its queue share, ``agency_capacity``) and by ``help`` = 1 +
``supervision_help`` x justice-house supervision + ``support_help`` x post-release support
+ ``monitoring_support`` x the local cell's case consultation (as far as it reaches social
welfare), each times the serving agency's probability. Stigma (public stigma times a
personal exposure, plus police monitoring, being known as a Living Lab participant and an
electronic monitor) bars housing, work and peer contact and raises the loss of both.
Housing chances fall without administrative clarity and rise with linking capital; work
needs the right to work and documents, and rises with bridging capital and a work file at
the employment service; a file fresh from a Living Lab discussion raises both and cuts
administrative friction. Family stability moves towards the mean of stable housing,
income, bonding and no youth-protection case; youth protection holding the family's file
eases its strain. Extremist ties follow the pull of missing meaning, trust and bonding,
cut by police monitoring, plus exposure from tied returnees and radicalised relatives.
People without stable housing sometimes move to another municipality; their care, benefits
and follow-up survive the move only on paper.
"""

from __future__ import annotations

import numpy as np

from ..agencies import SERVICE_INDEX, TYPE_INDEX
from ..arrays import gather
from ..network import RADICAL_RELATIVE, ByOwner
from ..people import Some
from ..state import CONDITIONAL, ELECTRONIC_MONITORING, FREE, NO_HOUSING, PRECARIOUS, STABLE
from . import agency_capacity, coordination, wellbeing

READS = ("pop.custody", "pop.municipality", "pop.prison", "pop.supervised_left", "pop.support_left", "pop.cell_left",
         "pop.policed", "pop.job_file_left", "pop.family_support_left", "pop.stigma_exposure", "pop.ll_known",
         "pop.ll_file", "pop.ll_attended", "pop.housing", "pop.linking", "pop.bridging", "pop.bonding",
         "pop.documents", "pop.benefits", "pop.legal_status", "pop.employed", "pop.release_month",
         "pop.months_to_housing", "pop.host_capacity", "pop.family_stability", "pop.children", "pop.woman",
         "pop.youth_protection", "pop.family_file", "pop.meaning", "pop.trust", "pop.extremism", "pop.in_care",
         "pop.counselled", "pop.trauma", "world.service", "world.public_stigma", "world.tie_freshness", "world.ll_met",
         "net.family", "net.peer", "net.extremist", "net.returnee", "net.case", "net.ll_professional")
WRITES = ("pop.supervised_left", "pop.support_left", "pop.cell_left", "pop.policed", "pop.job_file_left",
          "pop.family_support_left", "pop.custody", "pop.stigma", "pop.housing", "pop.months_to_housing",
          "pop.employed", "pop.documents", "pop.benefits", "pop.in_care", "pop.trauma", "pop.counselled",
          "pop.contact", "pop.youth_protection", "pop.family_stability", "pop.meaning", "pop.justice_sum",
          "pop.justice_weight", "pop.municipality", "world.cost", "net.family", "net.peer", "net.extremist",
          "net.returnee", "net.case", "net.ll_professional")


def admin_clarity(pop) -> np.ndarray:
    """Administrative clarity of each person: documents, benefits and legal residence."""
    return np.mean([pop.documents, pop.benefits, pop.legal_status], axis=0)


def _count_down(pop, out: np.ndarray) -> None:
    for name in ("supervised_left", "support_left", "cell_left", "job_file_left", "family_support_left"):
        left = getattr(pop, name)
        left[out & (left > 0)] -= 1
    pop.custody[(pop.custody == CONDITIONAL) & (pop.supervised_left <= 0)] = FREE
    pop.policed[pop.cell_left <= 0] = False


def step(model) -> None:
    p, pop, w, ko = model.p, model.pop, model.world, model.knockouts
    n = pop.n
    out = pop.in_community()
    ci = model.cost_index
    supervised = out & (pop.supervised_left > 0)
    supported = out & (pop.support_left > 0)
    followed = out & (pop.cell_left > 0)
    w.cost[:, ci["supervision"]] += (supervised.sum(axis=1, keepdims=True) * p.cost_supervision_month)[:, 0]
    w.cost[:, ci["services"]] += (supported.sum(axis=1, keepdims=True) * p.cost_service_month)[:, 0]
    w.cost[:, ci["monitoring"]] += (followed.sum(axis=1, keepdims=True) * p.cost_monitoring_month)[:, 0]
    _count_down(pop, out)

    s = {name: gather(w.service[:, k, :], pop.municipality) for name, k in SERVICE_INDEX.items()}
    sup = supervised & ("supervision" not in ko)
    help_ = 1.0 + p.supervision_help * sup * s["justice_house"]
    if "support" not in ko:
        help_ = help_ + p.support_help * supported * s["social_welfare"]
    watched = followed & ("monitoring" not in ko)
    policed = watched & pop.policed
    if watched.any():
        help_ = help_ + (p.monitoring_support * watched * coordination.hop(model, "local_cell", "social_welfare")
                         * s["social_welfare"])
    clarity = admin_clarity(pop)
    known = pop.ll_known & ("living_lab_sessions" not in ko)
    pop.stigma[:] = np.clip(w.public_stigma[:, None] * pop.stigma_exposure + p.monitoring_stigma * policed
                            + p.ll_labelling * known + p.em_stigma * (pop.custody == ELECTRONIC_MONITORING), 0.0, 1.0)
    stigma = np.zeros(pop.stigma.shape) if "stigma" in ko else pop.stigma
    stigma_left = 1.0 - p.stigma_barrier * stigma
    lab = np.zeros(pop.ll_file.shape) if "living_lab_sessions" in ko else pop.ll_file
    case_boost = 1.0 + p.ll_case_gain * lab
    u = model.u

    # housing
    find = (p.housing_rate * s["housing_service"] * help_ * stigma_left * (1.0 + p.network_access_gain * pop.linking)
            * (p.admin_housing_floor + (1.0 - p.admin_housing_floor) * clarity) * case_boost)
    found = out & (pop.housing != STABLE) & (u("housing_find", n) < find)
    pop.housing[found] = STABLE
    first = found & np.isnan(pop.months_to_housing) & (pop.release_month >= 0)
    pop.months_to_housing[first] = (model.month - pop.release_month)[first]
    family_help = pop.family_support_left > 0
    host = pop.host_capacity + np.where(family_help & ("family_support" not in ko), p.family_support_hosting, 0.0)
    hosted = (out & (pop.housing == NO_HOUSING) & ~found
              & (u("hosting", n) < p.housing_rate * np.minimum(host, 1.0) * pop.family_stability))
    pop.housing[hosted] = PRECARIOUS
    income = pop.employed | pop.benefits
    loss = p.housing_loss * (1.0 - p.income_housing_protection * income) * (1.0 + p.stigma_loss_effect * stigma)
    lose = out & ~found & (u("housing_loss", n) < loss)
    pop.housing[lose & (pop.housing == PRECARIOUS)] = NO_HOUSING
    pop.housing[lose & (pop.housing == STABLE)] = PRECARIOUS

    # work
    job_file = 1.0 + p.job_file_gain * (pop.job_file_left > 0)
    get_work = (p.work_rate * s["employment_service"] * help_ * stigma_left * (1.0 + p.network_access_gain * pop.bridging)
                * case_boost * job_file)
    hired = out & ~pop.employed & pop.legal_status & pop.documents & (u("work_find", n) < get_work)
    fired = out & pop.employed & (u("work_loss", n) < p.work_loss * (1.0 + p.stigma_loss_effect * stigma))
    pop.employed[hired] = True
    pop.employed[fired] = False

    # administrative clarity
    friction = np.zeros(lab.shape) if "friction" in ko else p.admin_friction * (1.0 - p.ll_admin_friction_cut * lab)
    regularise = p.admin_rate * s["social_welfare"] * help_ * (1.0 - friction)
    docs = out & pop.legal_status & ~pop.documents & (u("documents", n) < regularise)
    bens = out & pop.legal_status & pop.documents & ~pop.benefits & (u("benefits", n) < regularise)
    pop.documents[docs] = True
    pop.benefits[bens] = True

    # psychosocial continuity and counsel
    backed = (supported & ("support" not in ko)) | sup
    wellbeing.update_care(model, out, s["psychosocial_service"], backed.astype(float))
    referral = 1.0 + p.counsel_referral * pop.in_care * coordination.hop(model, "psychosocial_service", "counsellor")
    start = out & ~pop.counselled & (u("counsel_start", n) < p.counsel_uptake * s["counsellor"] * referral)
    stop = out & pop.counselled & (u("counsel_stop", n) < p.counsel_dropout)
    pop.counselled[start] = True
    pop.counselled[stop] = False

    _family(model, out, s)
    _ties(model, out, stigma_left, policed, s)
    lab_month = np.minimum(pop.ll_attended, 1.0) * ("living_lab_sessions" not in ko)
    sources = np.mean([pop.employed, pop.family_stability, lab_month, pop.in_care, pop.counselled], axis=0)
    wellbeing.update_meaning(model, out, p.meaning_floor + (1.0 - p.meaning_floor) * sources)
    wellbeing.experience(model, supported & ("support" not in ko), p.support_justice, s["social_welfare"])
    wellbeing.experience(model, sup, p.supervision_justice)
    wellbeing.experience(model, policed, p.security_justice)
    _moves(model, out)


def _family(model, out: np.ndarray, s: dict[str, np.ndarray]) -> None:
    p, pop, net, ko = model.p, model.pop, model.net, model.knockouts
    u, n = model.u, pop.n
    present = pop.present()
    fs = pop.family_stability
    contact = u("family_contact", n) < p.contact_willingness_floor + (1.0 - p.contact_willingness_floor) * fs
    pop.contact[out] = contact[out]
    felt = pop.contact & out & ("family_contact" not in ko)
    net.tend("family", ByOwner(felt), p.tie_gain, p.tie_decay, where=ByOwner(out))

    kids = present & (pop.children > 0)
    helped = (pop.family_support_left > 0) & ("family_support" not in ko)
    start_chance = np.where(fs < p.youth_protection_threshold, p.youth_protection_rate * (1.0 - fs), 0.0)
    start_chance = start_chance + helped * p.family_work_referral
    start_yp = kids & ~pop.youth_protection & (u("youth_start", n) < start_chance)
    coordinated = pop.family_file
    eased = 1.0 - p.family_file_effect * coordinated
    mother_away = pop.woman & ~out
    end_yp = (kids & pop.youth_protection & ~mother_away
              & (u("youth_end", n) < p.youth_protection_exit * fs * (1.0 + p.family_file_effect * coordinated)))
    pop.youth_protection[start_yp] = True
    pop.youth_protection[end_yp] = False
    target = np.mean([pop.housing == STABLE, pop.employed | pop.benefits, pop.bonding, ~pop.youth_protection], axis=0)
    fs[out] += (p.family_adjustment * (target - fs))[out]
    strained = present & pop.youth_protection
    fs[strained] -= (p.youth_protection_strain * eased * fs)[strained]
    np.clip(fs, 0.0, 1.0, out=fs)


def _ties(model, out: np.ndarray, stigma_left: np.ndarray, policed: np.ndarray, s: dict[str, np.ndarray]) -> None:
    p, pop, net, ko = model.p, model.pop, model.net, model.knockouts
    # the share of the month in contact with peers: less with stigma
    net.tend("peer", ByOwner(stigma_left), p.tie_gain, p.tie_decay, where=ByOwner(out))

    rt = net["returnee"]
    both = rt.of_owner(out) & gather(out, rt.other)
    near = both & (rt.of_owner(pop.municipality) == gather(pop.municipality, rt.other))
    seen = near * p.codetainee_contact  # the share of the month two tied returnees of one municipality meet
    net.tend("returnee", seen, p.tie_gain, p.tie_decay, where=ByOwner(out))

    if "extremist_ties" not in ko:
        pull = (1.0 - pop.meaning) * (1.0 - pop.trust) * (1.0 - pop.bonding)
        pull = pull * (1.0 - p.monitoring_contact_cut * policed)
        from_returnees = net.strength("returnee", seen * gather(pop.extremism, rt.other))
        fam = net["family"]
        radical = fam.attr_is(RADICAL_RELATIVE) & fam.of_owner(pop.contact & out & ("family_contact" not in ko))
        exposure = np.clip(pull + from_returnees + net.strength("family", radical.astype(float)), 0.0, 1.0)
        net.tend("extremist", ByOwner(exposure), p.extremist_spread_rate, p.tie_decay, where=ByOwner(out))

    case = net["case"]
    need = agency_capacity.clients(pop, ko)
    by_type = np.zeros((out.shape[0], len(TYPE_INDEX), pop.n))  # types that serve no one: 0
    for name in SERVICE_INDEX:
        by_type[:, TYPE_INDEX[name]] = s[name] * need[name]
    served = case.of_owner_by_attr(by_type)  # a case tie strengthens as far as its agency serves the person
    municipal = ~case.attr_is(TYPE_INDEX["prison"])
    mine = case.of_owner(out) & municipal
    net.tend("case", served, p.tie_gain, p.tie_decay, where=mine)


def _moves(model, out: np.ndarray) -> None:
    """A move to another municipality: case ties start afresh; care, benefits and follow-up go only on paper."""
    p, pop, net, ag = model.p, model.pop, model.net, model.ag
    n_m = model.structure["n_municipalities"]
    if n_m <= 1:
        return
    moving = out & (pop.housing != STABLE) & (model.u("move", pop.n) < p.move_rate)
    if not moving.any():
        return
    at = Some(moving)  # worked out for the movers alone
    paper = at.of(p.paper_share * p.local_info_flow)
    care, benefits, follow_up, where = at.draws(model, ("move_care", "move_benefits", "move_follow_up", "move_where"))
    at.put(pop.in_care, at.of(pop.in_care) & (care < paper))
    at.put(pop.benefits, at.of(pop.benefits) & (benefits < paper))
    lost_follow_up = follow_up >= paper
    at.put(pop.cell_left, 0, where=lost_follow_up)
    at.put(pop.policed, False, where=lost_follow_up)
    step = 1 + (where * (n_m - 1)).astype(np.int64)
    at.put(pop.municipality, (at.of(pop.municipality) + step) % n_m)
    coordination.forget(model)
    for group in ("case", "ll_professional"):  # the movers' ties to local agencies go to the new municipality's
        tg = net[group]
        rows, ties = tg.ties_of(at.rows, at.cols)
        local = ~tg.attr_is(TYPE_INDEX["prison"])[rows, ties]
        rows, ties = rows[local], ties[local]
        tg.other[rows, ties] = ag.in_municipality(tg.attr[rows, ties], pop.municipality[rows, tg.owner[rows, ties]])
        tg.weight[rows, ties] = 0.0
