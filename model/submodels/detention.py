"""Detention: programmes, care, family contact, extremist ties and release preparation.

Access to programmes and care is the prison's access (staff per detainee, middle
management, regime) cut by ``isolation_programme_cut`` in an isolation unit.
Isolation goes to the detainees with the strongest extremist ties first (up to the
prison's isolation share); it cuts family contact and programmes, and contains a
recruiter's influence on others (``isolation_containment``, a protective effect).
Family visits strengthen family ties and family stability; months without contact
strain the family. Release is prepared in the months before eligibility, as fast
as access and shared information allow.
"""

from __future__ import annotations

import numpy as np

from ..state import PRECARIOUS, PRETRIAL, SENTENCED, STABLE
from . import wellbeing


def incarcerate(model, mask: np.ndarray, new_sentence: np.ndarray | None) -> None:
    """Send people (back) to prison: a new case (pre-trial, new sentence) or a revocation."""
    if not mask.any():
        return
    pop = model.pop
    if new_sentence is not None:
        pop.custody[mask] = PRETRIAL
        pop.pretrial_left[mask] = np.maximum(1, np.ceil(-np.log1p(-model.u["pretrial"][mask]) * model.p.pretrial_months))
        pop.sentence[mask] = new_sentence[mask]
        pop.served[mask] = 0
        pop.convicted[mask] = True
    else:
        pop.custody[mask] = SENTENCED
    pop.ever_reincarcerated[mask] = True
    pop.supervised_left[mask] = 0
    pop.support_left[mask] = 0
    pop.employed[mask] = False
    pop.ll_member[mask] = False
    pop.plan[mask] = 0.0
    pop.housing[mask & (pop.housing == STABLE)] = PRECARIOUS


def _isolation(model, detained: np.ndarray) -> np.ndarray:
    """Isolate those with the strongest extremist ties, up to each prison's share."""
    pop = model.pop
    share = model.prison_isolation[pop.prison]
    # rank within all detainees by extremism; a fixed personal draw breaks ties
    score = np.where(detained, pop.extremism + 1e-3 * pop.isolation_u, -1.0)
    order = np.argsort(-score, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    n_detained = max(int(detained.sum()), 1)
    return detained & (pop.custody == SENTENCED) & (rank < share * n_detained)


def step(model) -> None:
    p, pop, net, u = model.p, model.pop, model.net, model.u
    detained = pop.detained()
    pop.served[detained] += 1
    pop.detention_months[detained] += 1
    pretrial = pop.custody == PRETRIAL
    pop.pretrial_left[pretrial] -= 1
    sentenced_now = pretrial & (pop.pretrial_left <= 0)
    pop.custody[sentenced_now] = SENTENCED
    pop.months_left[sentenced_now] = pop.sentence[sentenced_now] - pop.served[sentenced_now]
    pop.months_left[(pop.custody == SENTENCED) & ~sentenced_now] -= 1

    pop.isolated[:] = _isolation(model, detained)
    iso = pop.isolated
    access = np.where(detained, model.prison_access[pop.prison] * (1.0 - p.isolation_programme_cut * iso), 0.0)
    pop.in_programme[:] = detained & (u["programme"] < access)
    model.cost += detained.sum() * 30.4 * p.cost_detention_day + iso.sum() * 30.4 * p.cost_isolation_day

    # family contact
    visit_chance = p.family_contact * (1.0 + p.family_centred) * (1.0 - p.isolation_contact_cut * iso) * pop.family_stability
    visited = detained & (u["visit"] < np.minimum(visit_chance, 1.0))
    pop.contact[detained] = visited[detained]
    effective = visited if "family_contact" not in model.knockouts else np.zeros_like(visited)
    fam = net.owners("family")
    in_prison_fam = detained[fam]
    contact = np.where(in_prison_fam, effective[fam], 1.0)  # community contact is set in `community`
    gain = np.where(in_prison_fam, p.tie_gain * (1.0 + p.family_centred), 0.0)
    decay = np.where(in_prison_fam, p.tie_decay, 0.0)
    net.tend("family", contact, gain, decay)
    fs = pop.family_stability
    strain = p.detention_family_strain * (1.0 - p.family_centred * 0.5)
    fs[detained] += (p.contact_stability_gain * effective * (1.0 - fs) - strain * ~effective * fs)[detained]

    # extremist ties spread among detainees in ordinary regimes
    influence = np.where(detained, pop.extremism * (1.0 - p.isolation_containment * iso), 0.0)
    per_prison = np.bincount(pop.prison, weights=influence, minlength=p.n_prisons)
    count = np.bincount(pop.prison, weights=detained.astype(float), minlength=p.n_prisons)
    exposure = np.where(detained, (per_prison / np.maximum(count, 1))[pop.prison], 0.0)
    exposure *= 1.0 - p.isolation_containment * iso
    ext = net.owners("extremist")
    net.tend("extremist", np.where(detained[ext], exposure[ext], 0.0),
             np.where(detained[ext], p.extremist_spread_rate, 0.0), np.where(detained[ext], p.tie_decay, 0.0))
    peer = net.owners("peer")
    net.tend("peer", np.zeros(len(peer)), 0.0, np.where(detained[peer], p.tie_decay, 0.0))

    # release preparation in the window before eligibility
    eligible_at = np.ceil(p.cr_eligible_fraction * pop.sentence)
    in_window = (pop.custody == SENTENCED) & ((eligible_at - pop.served <= p.prep_window_months) | (pop.months_left <= p.prep_window_months))
    pop.plan[in_window] += (p.prep_rate * access * pop.info_admin * (1.0 - pop.plan))[in_window]

    wellbeing.update_care(model, detained, access, np.ones(pop.n))
    gained = detained & pop.in_programme
    pop.meaning[gained] += p.programme_meaning_gain * (1.0 - pop.meaning[gained])
    wellbeing.update_trust(model, detained, 0.5 * pop.in_programme + 0.5 * p.balanced_evaluations, iso.astype(float))
