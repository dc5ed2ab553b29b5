"""Living Lab sessions (RELAB): bonding, bridging and linking, shared files and co-created solutions.

Where a Living Lab runs, a returnee in the community who is not a participant is invited
with monthly chance ``ll_outreach`` and accepts unless they refuse: a fixed personal
reluctance below ``ll_refusal x (1 - trust)``, so whoever refuses tends to refuse again
until trust grows. A lab takes members while it has room, ``ll_places / ll_attendance``
(the keenest first); participants drop out with chance ``ll_dropout x (1 - trust)``. Participants
are selected, so effects are read by comparing scenarios with common random numbers, never
participants with non-participants. Each municipality's lab holds ``ll_sessions_per_month``
sessions of at most ``ll_places`` returnees; a participant attends ``ll_attendance`` of them,
fewer when places run short. Everything follows from sessions attended: ties to the
professionals of the agencies that send them (linking), to mentors and fellow participants
(bridging), and to relatives who take part (bonding); an encounter of procedural justice
``ll_session_justice``; files discussed (``ll_files_per_session``), which the professionals
present then share (``coordination.hop``), and which cut administrative friction; being
known as a participant (``ll_labelling``). Every session takes ``ll_staff_time`` of each
sending agency's capacity. Professionals who met there coordinate better next month.
"""

from __future__ import annotations

import numpy as np

from ..arrays import gather, group_sum, rank_within, ratio
from ..network import LL_PROFESSIONAL_TYPES, ByOwner
from ..agencies import TYPE_INDEX
from . import coordination, wellbeing

READS = ("pop.custody", "pop.ll_member", "pop.trust", "pop.municipality", "pop.ll_family_u", "pop.ll_refusal_u",
         "pop.ll_file",
         "net.ll_professional", "net.ll_mentor", "net.family", "net.returnee") + coordination.FORGET_READS
WRITES = ("pop.ll_member", "pop.ll_known", "pop.ll_attended", "pop.ll_file", "pop.justice_sum", "pop.justice_weight",
          "world.ll_met", "world.ll_sessions", "world.staff_time", "world.cost", "net.ll_professional", "net.ll_mentor",
          "net.family", "net.returnee")


def step(model) -> None:
    p, pop, net, w, ag, ko = model.p, model.pop, model.net, model.world, model.ag, model.knockouts
    n, n_m = pop.n, model.structure["n_municipalities"]
    u = model.u
    out = pop.in_community()
    running = p.living_lab & (p.ll_sessions_per_month > 0)  # replicates x 1
    leaves = pop.ll_member & (u("ll_drop", n) < p.ll_dropout * (1.0 - pop.trust))
    staying = running & out & pop.ll_member & ~leaves
    places = p.ll_places * model.structure["cohort_scale"]
    room = np.maximum(places / p.ll_attendance - group_sum(pop.municipality, n_m, staying), 0.0)  # members a lab takes
    invited = running & out & ~pop.ll_member & (u("ll_invite", n) < p.ll_outreach)
    willing = invited & (pop.ll_refusal_u >= p.ll_refusal * (1.0 - pop.trust))
    queue = rank_within(pop.municipality, pop.ll_refusal_u, u("ll_queue", n), willing)  # the keenest first
    joins = willing & (queue < gather(room, pop.municipality))
    pop.ll_member[:] = staying | joins

    members = group_sum(pop.municipality, n_m, pop.ll_member)  # replicates x municipalities
    share = np.minimum(p.ll_attendance, ratio(places, members, empty=0.0))
    pop.ll_attended[:] = np.where(pop.ll_member, p.ll_sessions_per_month * gather(share, pop.municipality), 0.0)
    attending = pop.ll_attended > 0
    pop.ll_known |= attending
    held = (members > 0) & running
    sessions = held * p.ll_sessions_per_month
    w.ll_sessions[:] = sessions.sum(axis=1)
    w.cost[:, model.cost_index["living_lab"]] += (sessions * p.cost_ll_session).sum(axis=1)

    sends = model.ll_sends & (model.ll_draw < p.ll_professional_participation)  # replicates x agencies
    lab_of_agency = np.where(ag.municipality >= 0, ag.municipality, 0)
    w.ll_met[:] = sends & gather(held, np.broadcast_to(lab_of_agency, sends.shape)) & (ag.municipality >= 0)
    if "staff_time" not in ko:
        w.staff_time[:] += w.ll_met * gather(sessions, np.broadcast_to(lab_of_agency, sends.shape)) * p.ll_staff_time
    coordination.forget(model)  # who met this month changed

    if "living_lab_sessions" in ko:
        return
    gain = 1.0 - (1.0 - p.ll_tie_gain) ** pop.ll_attended
    prof = net["ll_professional"]
    present = gather(w.ll_met, prof.other)
    net.tend("ll_professional", (prof.of_owner(attending) & present).astype(float), ByOwner(gain), p.tie_decay)
    net.tend("ll_mentor", ByOwner(attending), ByOwner(gain), p.tie_decay)
    joined = attending & (pop.ll_family_u < p.ll_family_participation)
    net.tend("family", ByOwner(joined), ByOwner(gain * joined), 0.0)
    rt = net["returnee"]
    together = (rt.of_owner(attending) & gather(attending, rt.other)
                & (rt.of_owner(pop.municipality) == gather(pop.municipality, rt.other)))
    net.tend("returnee", 1.0, ByOwner(gain), 0.0, where=together)  # ties of two attendees of one lab

    wellbeing.experience(model, attending, p.ll_session_justice, pop.ll_attended)
    files = p.ll_sessions_per_month * p.ll_files_per_session
    attendees = group_sum(pop.municipality, n_m, attending)
    chance = np.minimum(1.0, ratio(files, attendees, empty=0.0))
    discussed = attending & (u("ll_file", n) < gather(chance, pop.municipality))
    pop.ll_file[:] = np.where(discussed, 1.0, pop.ll_file * (1.0 - p.info_decay))
    coordination.forget(model)


SENDING_TYPES = tuple(TYPE_INDEX[t] for t in LL_PROFESSIONAL_TYPES)
