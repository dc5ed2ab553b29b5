"""Detention: programmes, care, family contact, extremist ties and release preparation.

Access to programmes and care is the prison's access (staff per detainee, middle
management, regime) cut by ``isolation_programme_cut`` in an isolation unit.
Isolation goes to the sentenced detainees with the strongest extremist ties first (each
prison's isolation share of its sentenced detainees, rounded to the nearest place); it cuts family contact and programmes, and contains a
recruiter's influence on others (``isolation_containment``, a protective effect).
Family visits strengthen family ties and family stability; months without contact
strain the family. Release is prepared from ``prep_window_months`` before eligibility
(or before the end of the sentence, if sooner) until release, as fast as access and
shared information allow.
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
    else:
        pop.custody[mask] = SENTENCED
    pop.ever_reincarcerated[mask] = True
    pop.supervised_left[mask] = 0
    pop.support_left[mask] = 0
    pop.employed[mask] = False
    pop.ll_member[mask] = False
    pop.plan[mask] = 0.0
    pop.housing[mask & (pop.housing == STABLE)] = PRECARIOUS


def _isolation(model) -> np.ndarray:
    """In each prison, isolate the sentenced with the strongest extremist ties, up to its share."""
    pop = model.pop
    sentenced = pop.custody == SENTENCED
    # rank within each prison by extremism; a fixed personal draw breaks ties
    score = pop.extremism + 1e-3 * pop.isolation_u
    order = np.lexsort((-score, ~sentenced, pop.prison))
    group = pop.prison[order] * 2 + (~sentenced[order])
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    rank = np.empty(pop.n, dtype=np.int64)
    rank[order] = np.arange(pop.n) - np.repeat(starts, np.diff(np.r_[starts, pop.n]))
    places = model.prison_isolation * np.bincount(pop.prison[sentenced], minlength=len(model.prison_isolation))
    return sentenced & (rank + 0.5 < places[pop.prison])  # rounds each prison's quota to the nearest place


def step(model) -> None:
    p, pop, net, u = model.p, model.pop, model.net, model.u
    detained = pop.detained()
    pop.served[detained] += 1
    pop.detention_months[detained] += 1
    pretrial = pop.custody == PRETRIAL
    pop.pretrial_left[pretrial] -= 1
    sentenced_now = pretrial & (pop.pretrial_left <= 0)
    pop.custody[sentenced_now] = SENTENCED
    pop.convicted[sentenced_now] = True
    pop.months_left[sentenced_now] = pop.sentence[sentenced_now] - pop.served[sentenced_now]
    pop.months_left[(pop.custody == SENTENCED) & ~sentenced_now] -= 1

    pop.isolated[:] = _isolation(model)
    iso = pop.isolated
    access = np.where(detained, model.prison_access[pop.prison] * (1.0 - p.isolation_programme_cut * iso), 0.0)
    pop.in_programme[:] = detained & (u["programme"] < access)
    model.cost += (detained.sum() * (30.4 * p.cost_detention_day + model.staff_per_detainee * p.cost_staff_month)
                   + iso.sum() * 30.4 * p.cost_isolation_day)

    # family contact
    visit_chance = p.family_contact * (1.0 + p.family_centred) * (1.0 - p.isolation_contact_cut * iso) * pop.family_stability
    visited = detained & (u["visit"] < np.minimum(visit_chance, 1.0))
    pop.contact[detained] = visited[detained]
    if "family_contact" not in model.knockouts:
        fam = net.owners("family")
        in_prison_fam = detained[fam]
        net.tend("family", np.where(in_prison_fam, visited[fam], 1.0),
                 np.where(in_prison_fam, p.tie_gain * (1.0 + p.family_centred), 0.0),
                 np.where(in_prison_fam, p.tie_decay, 0.0))
        fs = pop.family_stability
        strain = p.detention_family_strain * (1.0 - 0.5 * p.family_centred)
        fs[detained] += (p.contact_stability_gain * visited * (1.0 - fs) - strain * ~visited * fs)[detained]

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
