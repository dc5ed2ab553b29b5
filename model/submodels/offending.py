"""Offending and breaches: two monthly hazards and technical breaches of conditions.

For each returnee at risk (living in Belgium outside prison: detention
incapacitates) the log-hazard rises with unmet needs (no stable housing, no work,
missing administrative clarity, trauma without care), missing trust, missing
meaning, missing prosocial ties (each centred at 0.5) and extremist ties:
h = base x exp(risk) x (1 - ``supervision_deterrence`` while supervised).
A terrorism-related offence counts as an offence of any kind. An offence leads
to re-incarceration with the chance of detection (higher under supervision).
Technical breaches of release conditions (more with instability) send people
back to prison without a new offence.
"""

from __future__ import annotations

import numpy as np

from ..state import CONDITIONAL, STABLE
from .community import admin_clarity
from .detention import incarcerate


def step(model) -> None:
    p, pop, u = model.p, model.pop, model.u
    at_risk = pop.present() if "incapacitation" in model.knockouts else pop.in_community()
    untreated_trauma = pop.trauma * ~pop.in_care
    unmet = ((pop.housing != STABLE) + (~pop.employed).astype(float) + (1.0 - admin_clarity(pop)) + untreated_trauma) / 4.0
    prosocial = (pop.bonding + pop.bridging) / 2.0
    risk = (p.need_effect * (unmet - 0.5) + p.trust_effect * (0.5 - pop.trust)
            + p.meaning_effect * (0.5 - pop.meaning) + p.prosocial_effect * (0.5 - prosocial))
    supervised = at_risk & (pop.supervised_left > 0)
    deterred = 1.0 - p.supervision_deterrence * supervised
    h_terror = p.terror_hazard * np.exp(risk + p.extremist_effect_terror * (pop.extremism - 0.5)) * deterred
    h_any = p.any_hazard * np.exp(risk + p.extremist_effect_any * (pop.extremism - 0.5)) * deterred

    terror = at_risk & (u["terror"] < h_terror)
    offence = terror | (at_risk & (u["offence"] < h_any))
    pop.ever_terror[terror] = True
    pop.ever_any[offence] = True
    detection = np.where(supervised, p.detection_supervised, p.detection_free)
    caught = offence & pop.in_community() & (u["detected"] < detection)
    z = np.sqrt(-2.0 * np.log1p(-u["sentence_a"])) * np.cos(2.0 * np.pi * u["sentence_b"])
    new_sentence = np.maximum(6, np.round(p.reoffence_sentence_months * np.exp(p.sentence_dispersion * z)))
    incarcerate(model, caught, new_sentence)

    instability = 0.5 * (pop.housing != STABLE) + 0.5 * (1.0 - pop.family_stability)
    breach = ((pop.custody == CONDITIONAL) & ~caught
              & (u["breach"] < p.breach_rate * (1.0 + p.breach_instability_effect * instability)))
    incarcerate(model, breach, None)
