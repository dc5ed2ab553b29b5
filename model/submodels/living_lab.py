"""Living Lab sessions (RELAB): bonding, bridging and linking, and better coordination.

When a Living Lab runs, a returnee outside prison joins with monthly chance
``ll_outreach x (meaning + trust) / 2`` and drops out with chance
``ll_dropout x (1 - trust)``: participants are selected, so effects are read by
comparing scenarios with common random numbers, never participants with
non-participants. Each session attended (``ll_sessions_per_month`` x engagement)
strengthens ties to the professionals of participating agencies (linking), to
mentors (bridging) and, where the family takes part, family ties (bonding).
Professionals who meet there coordinate better (coordination reads
``model.ll_agencies``); co-created solutions cut administrative friction (community).
"""

from __future__ import annotations

import numpy as np


def effective(model) -> np.ndarray:
    """Participation as the other processes feel it (all zero when the pathway is knocked out)."""
    if "living_lab_effects" in model.knockouts:
        return np.zeros(model.pop.n)
    return model.pop.ll_member.astype(float)


def step(model) -> None:
    p, pop, net, u = model.p, model.pop, model.net, model.u
    out = pop.in_community()
    if p.living_lab:
        join = out & ~pop.ll_member & (u["ll_join"] < p.ll_outreach * (pop.meaning + pop.trust) / 2.0)
        leave = pop.ll_member & (u["ll_drop"] < p.ll_dropout * (1.0 - pop.trust))
        pop.ll_member[join] = True
        pop.ll_member[leave | ~out] = False
    else:
        pop.ll_member[:] = False
    members = pop.ll_member
    sessions = p.ll_sessions_per_month * (0.5 + 0.5 * pop.meaning) * members
    pop.ll_months[members] += 1

    gain = (1.0 - (1.0 - p.ll_tie_gain) ** sessions) * effective(model)
    sends = model.ag.ll_participates < p.ll_professional_participation
    prof, prof_owner = net.edges("ll_professional"), net.owners("ll_professional")
    attending_agency = sends[net.node_agency[net.dst[prof]]]
    net.tend("ll_professional", (members[prof_owner] & attending_agency).astype(float), gain[prof_owner], p.tie_decay)
    mentor = net.owners("ll_mentor")
    net.tend("ll_mentor", members[mentor].astype(float), gain[mentor], p.tie_decay)
    fam = net.owners("family")
    family_joins = members & (pop.ll_family_u < p.ll_family_participation)
    net.tend("family", family_joins[fam].astype(float), gain[fam] * family_joins[fam], 0.0)

    model.ll_agencies = None
    if members.any():
        labs = np.unique(pop.municipality[members])
        model.cost += len(labs) * p.ll_sessions_per_month * p.cost_ll_session
        if effective(model).any():
            model.ll_agencies = sends & model.ll_professional_agency & np.isin(model.ag.municipality, labs)
