"""Justice: judgments at the end of pre-trial detention and of new cases (the observation model's last steps).

The original case of a returnee detained on arrival ends, after ``pretrial_left`` months,
in a sentence (every returnee held on arrival is convicted). A new case (an offence
detected and prosecuted, ``offending``) is judged ``trial_left`` months after detection:
with chance ``conviction_rate`` a conviction, counted as a reconviction (of terrorism, or
of any offence) in the month of judgment, and a new sentence served at once; otherwise
an acquittal, which releases a suspect held in pre-trial detention. A reconviction after a
first release from prison is also counted from that release, as recidivism studies count.
"""

from __future__ import annotations

import numpy as np

from ..constants import NONE
from ..state import ELECTRONIC_MONITORING, LIMITED_DETENTION, PRETRIAL, SENTENCED
from . import detention, release

READS = ("pop.custody", "pop.pretrial_left", "pop.case_pending", "pop.case_terror", "pop.trial_left", "pop.served",
         "pop.sentence", "pop.months_left", "pop.first_release_month", "pop.first_reconviction_after_release"
         ) + detention.INCARCERATE_READS + release.DISCHARGE_READS
WRITES = ("pop.custody", "pop.pretrial_left", "pop.convicted", "pop.months_left", "pop.case_pending",
          "pop.case_terror", "pop.trial_left", "pop.reconv_any", "pop.reconv_terror", "pop.sentence", "pop.served",
          "pop.first_reconviction_after_release", "pop.reconvictions_after_release"
          ) + detention.INCARCERATE_WRITES + release.DISCHARGE_WRITES


def new_sentence(model, terror: np.ndarray) -> np.ndarray:
    """A sentence for a new conviction (months), lognormal around the median of its kind."""
    p = model.p
    median = np.where(terror, p.terror_sentence_months, p.reoffence_sentence_months)
    z = model.u.normal("sentence", model.pop.n)
    return np.maximum(p.min_sentence_months, np.round(median * np.exp(p.sentence_dispersion * z)))


def step(model) -> None:
    p, pop = model.p, model.pop
    original = (pop.custody == PRETRIAL) & ~pop.case_pending
    pop.pretrial_left[original] -= 1
    sentenced = original & (pop.pretrial_left <= 0)
    pop.custody[sentenced] = SENTENCED
    pop.convicted[sentenced] = True
    pop.months_left[sentenced] = pop.sentence[sentenced] - pop.served[sentenced]

    pending = pop.case_pending & pop.in_belgium()
    pop.trial_left[pending] -= 1
    judged = pending & (pop.trial_left <= 0)
    if not judged.any():
        return
    convicted = judged & (model.u("convicted", pop.n) < p.conviction_rate)
    pop.reconv_any[convicted] = True
    pop.reconv_terror[convicted & pop.case_terror] = True
    # after the first release from prison, as recidivism studies count (justice runs before this month's releases)
    after_release = convicted & (pop.first_release_month != NONE)
    pop.reconvictions_after_release[after_release] += 1
    first = after_release & (pop.first_reconviction_after_release == NONE)
    pop.first_reconviction_after_release[first] = model.month
    pop.convicted[convicted] = True
    sentence = new_sentence(model, pop.case_terror)
    held = convicted & (pop.custody == PRETRIAL)
    pop.sentence[held], pop.served[held] = sentence[held], 0
    pop.months_left[held] = sentence[held]
    pop.custody[held] = SENTENCED
    serving = convicted & ((pop.custody == SENTENCED) | (pop.custody == LIMITED_DETENTION)
                           | (pop.custody == ELECTRONIC_MONITORING)) & ~held
    pop.sentence[serving] += sentence[serving]  # served consecutively
    pop.months_left[serving] += sentence[serving]
    pop.custody[serving & (pop.custody == ELECTRONIC_MONITORING)] = SENTENCED
    outside = convicted & ~held & ~serving
    detention.incarcerate(model, outside, sentence)
    acquitted = judged & ~convicted & (pop.custody == PRETRIAL)
    pop.case_pending[judged] = False
    pop.case_terror[judged] = False
    release.discharge(model, acquitted, conditional=False)
