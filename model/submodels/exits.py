"""Exits: people leave Belgium, or the authorities' view, each way with its own monthly hazard.

Competing exits of everyone in Belgium, one draw a month: death (anyone, detained or
not), transfer or extradition to another state (detained or in the community),
re-departure (in the community or lost to contact), emigration (in the community; a
stripped person with a removal order emigrates ``limbo_emigration`` times as often),
and loss of contact (free or conditionally released people with no supervision,
post-release support or local-cell follow-up). Leaving is permanent; people lost to contact stay in Belgium out of view
(``LOST``): they can still offend and, once arrested, come back into view.
"""

from __future__ import annotations

import numpy as np

from ..state import CONDITIONAL, DEAD, DEPARTED, EMIGRATED, FREE, LOST, TRANSFERRED

READS = ("pop.custody", "pop.stripped", "pop.removal_order", "pop.supervised_left", "pop.support_left",
         "pop.cell_left")
WRITES = ("pop.custody", "pop.ll_member", "pop.isolated", "pop.on_leave")


def step(model) -> None:
    p, pop, ko = model.p, model.pop, model.knockouts
    in_belgium, out, detained = pop.in_belgium(), pop.in_community(), pop.detained()
    limbo = pop.stripped & pop.removal_order & ("limbo" not in ko)
    out_of_view = (pop.custody == FREE) | (pop.custody == CONDITIONAL)
    if "supervision" not in ko:
        out_of_view &= pop.supervised_left <= 0
    if "support" not in ko:
        out_of_view &= pop.support_left <= 0
    if "monitoring" not in ko:
        out_of_view &= pop.cell_left <= 0
    hazards = (
        (DEAD, in_belgium * p.death_rate),
        (TRANSFERRED, (detained | out) * p.transfer_rate),
        (DEPARTED, (out | (pop.custody == LOST)) * p.redeparture_rate),
        (EMIGRATED, out * p.emigration_rate * np.where(limbo, p.limbo_emigration, 1.0)),
        (LOST, out_of_view * p.lost_contact_rate),
    )
    u = model.u("exit", pop.n)
    below = np.zeros(u.shape)
    for state, hazard in hazards:
        leaves = in_belgium & (u >= below) & (u < below + hazard)
        pop.custody[leaves] = state
        below = below + hazard
    gone = in_belgium & ~pop.in_belgium()
    lost = in_belgium & (pop.custody == LOST)
    pop.ll_member[gone | lost] = False
    pop.isolated[gone | lost] = False
    pop.on_leave[gone | lost] = False
