"""Exogenous events: arrivals of returnees, and media shocks that raise stigma.

Arrivals follow the dated record (``calendar``). A media shock raises public stigma
by ``media_shock_size``, damped by counter-narrative policy, fading at
``stigma_decay`` per month; each returnee and household feels it through a fixed
personal exposure.
"""

from __future__ import annotations

import numpy as np

from ..state import FREE, NOT_ARRIVED, PRETRIAL
from . import release


def step(model) -> None:
    p, pop = model.p, model.pop
    arriving = (pop.custody == NOT_ARRIVED) & (pop.arrival == model.month)
    if arriving.any():
        detained = arriving & (pop.detain_u < p.detained_on_arrival)
        pop.custody[detained] = PRETRIAL
        pop.custody[arriving & ~detained] = FREE
        release.discharge(model, arriving & ~detained, conditional=False, from_prison=False)

    shock = model.u.row("media_shock", 1)[0] < p.media_shock_rate
    model.shock = model.shock * (1.0 - p.stigma_decay) + shock * p.media_shock_size * (1.0 - p.counter_narrative)
    public = min(1.0, p.stigma_base + model.shock)
    model.public_stigma = public
    np.minimum(public * pop.stigma_exposure, 1.0, out=pop.stigma)
