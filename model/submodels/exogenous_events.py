"""Exogenous events: arrivals of returnees, and media shocks that raise stigma.

Arrivals follow the dated record (``calendar``): a share is detained on arrival, the rest
come straight into the community. A media shock raises public stigma by
``media_shock_size``, damped by counter-narrative policy (``narrative_efficacy``), fading
at ``stigma_decay`` per month. Base stigma rises with counter-narrative policy itself
(``narrative_backfire``: attention drawn to returnees) and with priority for returnees in
public queues (``priority_backlash``). Each person feels public stigma through a fixed
personal exposure (``community``).
"""

from __future__ import annotations

import numpy as np

from ..state import FREE, NOT_ARRIVED, PRETRIAL
from . import release

READS = ("pop.custody", "pop.arrival", "pop.detain_u", "world.shock") + release.DISCHARGE_READS
WRITES = ("pop.custody", "world.shock", "world.public_stigma") + release.DISCHARGE_WRITES


def step(model) -> None:
    p, pop, w = model.p, model.pop, model.world
    arriving = (pop.custody == NOT_ARRIVED) & (pop.arrival == model.month)
    if arriving.any():
        detained = arriving & (pop.detain_u < p.detained_on_arrival)
        pop.custody[detained] = PRETRIAL
        pop.custody[arriving & ~detained] = FREE
        release.discharge(model, arriving & ~detained, conditional=False, from_prison=False)

    shock = model.u("media_shock", 1)[:, 0] < p.media_shock_rate[:, 0]
    damped = p.counter_narrative[:, 0] * p.narrative_efficacy[:, 0]
    w.shock[:] = w.shock * (1.0 - p.stigma_decay[:, 0]) + shock * p.media_shock_size[:, 0] * (1.0 - damped)
    base = (p.stigma_base + p.counter_narrative * p.narrative_backfire + p.tailored_access * p.priority_backlash)[:, 0]
    w.public_stigma[:] = np.clip(base + w.shock, 0.0, 1.0)
