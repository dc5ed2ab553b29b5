"""Offending (model truth) and what the authorities see of it: detection, prosecution, breaches.

Everyone in Belgium outside a closed cell is at risk: in the community, lost to contact, and
for the share of the month spent outside, on penitentiary leave or in limited detention
(detention incapacitates). The log-hazard rises with unmet needs (no stable housing, no
work, missing administrative clarity, trauma without care), missing trust, missing
meaning, missing prosocial ties and extremist ties, and falls with age:
h = base x exp(risk) x (1 - ``supervision_deterrence`` while supervised)
x (1 - ``monitoring_deterrence`` while the police monitor). A terrorism-related offence
counts as an offence of any kind. An offence is detected with chance ``detection_free``,
more under supervision and police monitoring; a detected offence is prosecuted (more often
for terrorism), and the suspect is held in pre-trial detention (always for terrorism) or
summoned; ``justice`` judges the case after the trial lag. Technical breaches of
supervision (more with instability and under an electronic monitor) send people back to
prison without a new offence.
"""

from __future__ import annotations

import numpy as np

from ..constants import DECADE_YEARS, NONE
from ..initialization import age
from ..state import ELECTRONIC_MONITORING, FREE, LIMITED_DETENTION, LOST, STABLE
from .community import admin_clarity
from .detention import INCARCERATE_READS, INCARCERATE_WRITES, incarcerate

READS = ("pop.custody", "pop.on_leave", "pop.housing", "pop.employed", "pop.documents", "pop.benefits",
         "pop.legal_status", "pop.trauma", "pop.in_care", "pop.trust", "pop.meaning", "pop.bonding", "pop.bridging",
         "pop.extremism", "pop.age0", "pop.arrival", "pop.supervised_left", "pop.cell_left", "pop.policed",
         "pop.case_pending", "pop.family_stability", "pop.months_left", "pop.first_release_month") + INCARCERATE_READS
WRITES = ("pop.ever_terror", "pop.ever_any", "pop.case_pending", "pop.case_terror", "pop.trial_left",
          "pop.risk_months_housed", "pop.risk_months_unhoused", "pop.offences_housed", "pop.offences_unhoused",
          "pop.risk_months_after_release") + INCARCERATE_WRITES


def step(model) -> None:
    p, pop, ko = model.p, model.pop, model.knockouts
    n, u = pop.n, model.u
    out = pop.in_community()
    if "incapacitation" in ko:
        exposure = pop.in_belgium().astype(float)
    else:
        exposure = (out | (pop.custody == LOST)).astype(float)
        exposure = np.where(pop.on_leave, p.leave_days_share, exposure)
        exposure = np.where(pop.custody == LIMITED_DETENTION, p.limited_detention_days_share, exposure)
    untreated = pop.trauma * ~pop.in_care
    unmet = np.mean([pop.housing != STABLE, ~pop.employed, 1.0 - admin_clarity(pop), untreated], axis=0)
    prosocial = np.mean([pop.bonding, pop.bridging], axis=0)
    years = (age(pop, model.month) - p.age_reference) / DECADE_YEARS
    risk = (p.need_effect * unmet + p.trust_effect * (1.0 - pop.trust) + p.meaning_effect * (1.0 - pop.meaning)
            + p.prosocial_effect * (1.0 - prosocial) + p.age_effect * years)
    supervised = (pop.supervised_left > 0) & out & ("supervision" not in ko)
    policed = pop.policed & (pop.cell_left > 0) & out & ("monitoring" not in ko)
    deterred = (1.0 - p.supervision_deterrence * supervised) * (1.0 - p.monitoring_deterrence * policed)
    h_terror = p.terror_hazard * np.exp(risk + p.extremist_effect_terror * pop.extremism) * deterred * exposure
    h_any = p.any_hazard * np.exp(risk + p.extremist_effect_any * pop.extremism) * deterred * exposure

    terror = u("terror", n) < h_terror
    offence = terror | (u("offence", n) < h_any)
    pop.ever_terror[terror] = True
    pop.ever_any[offence] = True
    housed = pop.housing == STABLE
    at_risk = out * exposure
    pop.risk_months_housed += at_risk * housed
    pop.risk_months_unhoused += at_risk * ~housed
    pop.offences_housed += offence & out & housed
    pop.offences_unhoused += offence & out & ~housed
    pop.risk_months_after_release += exposure * (pop.first_release_month != NONE)  # person-time at risk since release

    detection = 1.0 - ((1.0 - p.detection_free) * (1.0 - p.detection_supervised * supervised)
                       * (1.0 - p.monitoring_detection * policed))
    detected = offence & ~pop.case_pending & (u("detected", n) < detection)
    prosecuted = detected & (u("prosecuted", n) < np.where(terror, p.prosecution_terror, p.prosecution_any))
    pop.case_pending[prosecuted] = True
    pop.case_terror[prosecuted] = terror[prosecuted]
    lag = np.maximum(1, np.ceil(-np.log1p(-u("trial_lag", n)) * p.trial_lag_months))
    pop.trial_left[prosecuted] = lag[prosecuted]
    held = prosecuted & (terror | (u("pretrial", n) < p.pretrial_on_arrest)) & ~pop.closed_cell()
    serving = (pop.custody == LIMITED_DETENTION) | (pop.custody == ELECTRONIC_MONITORING)
    incarcerate(model, held & serving, None, revoke=True)  # back to a closed cell, the rest of the sentence kept
    incarcerate(model, held & ~serving, None)
    pop.custody[prosecuted & ~held & (pop.custody == LOST)] = FREE  # summoned: back in view

    if "supervision" in ko:
        return
    instability = np.mean([pop.housing != STABLE, 1.0 - pop.family_stability], axis=0)
    chance = (p.breach_rate * (1.0 + p.breach_instability_effect * instability)
              * (1.0 + p.em_breach_effect * (pop.custody == ELECTRONIC_MONITORING)))
    breach = out & (pop.supervised_left > 0) & ~held & (u("breach", n) < chance)
    incarcerate(model, breach, None, revoke=True)

