"""Community: needs met by agencies within capacity, over months, after release.

Every chance below is monthly and multiplies a base rate by the agency's service
probability (queue share, see agency_capacity) and by ``help`` = 1 +
``supervision_help`` x (justice-house supervision + social-work support, each while
it lasts). Housing chances halve without administrative clarity
(x (1 + clarity) / 2), are barred by stigma and opened by
linking capital; work needs the right to work (legal status) and documents, is
barred by stigma and opened by bridging capital. Administrative files
(documents, then benefits) are regularised by social welfare, minus friction.
Family stability moves towards the mean of stable housing, income, bonding and no
youth-protection case; family-centred methods speed that up. Trust follows
procedural justice; meaning follows work, family, Living Lab, care and counsel.
"""

from __future__ import annotations

import numpy as np

from ..agencies import AGENCY_TYPES, TYPE_INDEX
from ..state import CONDITIONAL, FREE, NO_HOUSING, PRECARIOUS, STABLE
from . import living_lab, wellbeing


def admin_clarity(pop) -> np.ndarray:
    """Administrative clarity of each person: documents, benefits and legal residence."""
    return (pop.documents.astype(float) + pop.benefits + pop.legal_status) / 3.0


def step(model) -> None:
    p, pop, net, u = model.p, model.pop, model.net, model.u
    out = pop.in_community()
    supervised = out & (pop.supervised_left > 0)
    supported = out & (pop.support_left > 0)
    model.cost += supervised.sum() * p.cost_supervision_month + supported.sum() * p.cost_service_month
    pop.supervised_left[supervised] -= 1
    pop.support_left[supported] -= 1
    pop.custody[(pop.custody == CONDITIONAL) & (pop.supervised_left <= 0)] = FREE

    m = pop.municipality
    s = {name: prob[m] for name, prob in model.service.items()}
    help_ = 1.0 + p.supervision_help * (supervised * s["justice_house"] + supported * s["social_welfare"])
    clarity = admin_clarity(pop)
    stigma_left = 1.0 - p.stigma_barrier * pop.stigma

    # housing
    find = p.housing_rate * s["housing_service"] * help_ * stigma_left * (1.0 + p.network_access_gain * pop.linking) * (1.0 + clarity) / 2.0
    found = out & (pop.housing != STABLE) & (u["housing_find"] < find)
    pop.housing[found] = STABLE
    first = found & np.isnan(pop.months_to_housing) & (pop.release_month >= 0)
    pop.months_to_housing[first] = model.month - pop.release_month[first]
    hosted = out & (pop.housing == NO_HOUSING) & ~found & (u["hosting"] < p.housing_rate * pop.host_capacity * pop.family_stability)
    pop.housing[hosted] = PRECARIOUS
    income = pop.employed | pop.benefits
    lose = out & ~found & (u["housing_loss"] < p.housing_loss * (1.0 - 0.8 * income))
    pop.housing[lose & (pop.housing == PRECARIOUS)] = NO_HOUSING
    pop.housing[lose & (pop.housing == STABLE)] = PRECARIOUS

    # work
    get_work = p.work_rate * s["employment_service"] * help_ * stigma_left * (1.0 + p.network_access_gain * pop.bridging)
    hired = out & ~pop.employed & pop.legal_status & pop.documents & (u["work_find"] < get_work)
    fired = out & pop.employed & (u["work_loss"] < p.work_loss)
    pop.employed[hired] = True
    pop.employed[fired] = False

    # administrative clarity
    lab = living_lab.effective(model)
    friction = p.admin_friction * (1.0 - p.ll_admin_friction_cut * lab)
    regularise = p.admin_rate * s["social_welfare"] * help_ * (1.0 - friction)
    docs = out & pop.legal_status & ~pop.documents & (u["documents"] < regularise)
    bens = out & pop.legal_status & pop.documents & ~pop.benefits & (u["benefits"] < regularise)
    pop.documents[docs] = True
    pop.benefits[bens] = True

    # psychosocial continuity
    wellbeing.update_care(model, out, s["psychosocial_service"], (supported | supervised).astype(float))

    # family: contact, ties, stability, youth protection
    present = pop.present()
    pop.contact[out] = (u["family_contact"] < 0.5 + 0.5 * pop.family_stability)[out]
    fam = net.owners("family")
    net.tend("family", np.where(out[fam], pop.contact[fam], 0.0),
             np.where(out[fam], p.tie_gain * (1.0 + p.family_centred), 0.0), np.where(out[fam], p.tie_decay, 0.0))
    peer = net.owners("peer")
    net.tend("peer", np.where(out[peer], u["peer_contact"][peer] < stigma_left[peer], 0.0),
             np.where(out[peer], p.tie_gain, 0.0), np.where(out[peer], p.tie_decay, 0.0))
    ext = net.owners("extremist")
    pull = (1.0 - pop.meaning) * (1.0 - pop.trust) * (1.0 - pop.bonding)
    net.tend("extremist", np.where(out[ext], pull[ext], 0.0),
             np.where(out[ext], p.extremist_spread_rate, 0.0), np.where(out[ext], p.tie_decay, 0.0))
    case, case_type = net.owners("case"), net.types("case")
    by_type = np.zeros((len(AGENCY_TYPES), pop.n))
    for name, prob in s.items():
        by_type[TYPE_INDEX[name]] = prob * out
    served = by_type[case_type, case]
    net.tend("case", served, p.tie_gain, p.tie_decay)

    fs = pop.family_stability
    kids = present & (pop.children > 0)
    start_yp = kids & ~pop.youth_protection & (fs < 0.5) & (u["youth_start"] < p.youth_protection_rate * (1.0 - fs))
    end_yp = kids & pop.youth_protection & (u["youth_end"] < p.youth_protection_exit * fs)
    pop.youth_protection[start_yp] = True
    pop.youth_protection[end_yp] = False
    target = ((pop.housing == STABLE) + income.astype(float) + pop.bonding + (1.0 - pop.youth_protection)) / 4.0
    fs[out] += (p.family_adjustment * (1.0 + p.family_centred) * (target - fs))[out]
    fs[present & pop.youth_protection] -= (p.youth_protection_strain * fs)[present & pop.youth_protection]
    np.clip(fs, 0.0, 1.0, out=fs)

    wellbeing.update_meaning(model, out, 0.25 + 0.75 * (pop.employed + fs + lab + pop.in_care + s["counsellor"]) / 5.0)
    security = (pop.stripped.astype(float) + pop.removal_order) / 2.0
    wellbeing.update_trust(model, out, (supported | supervised) * s["social_welfare"] * 0.5 + 0.5 * p.balanced_evaluations + 0.5 * lab, security)
