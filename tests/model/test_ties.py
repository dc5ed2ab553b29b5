"""Every coordination tie type has a reader: removing it changes a returnee outcome (common random numbers).

With every tie in scope meeting monthly, the same seeds are run with and without one tie type;
some returnee outcome must differ. Sizes with paired intervals over 20 replications are in the
closing note of the mechanisms issue (scripts measure them; this test only proves each tie is read).
"""

import numpy as np
import pytest

from model import api
from model.knockouts import TIE_KNOCKOUTS
from model.outcomes import PERSON_OUTCOMES

pytestmark = pytest.mark.slow

RETURNEE = [o.name for o in PERSON_OUTCOMES]
FULL = api.scenario_with("baseline", {"coordination_scope": "full", "coordination_per_year": 12.0})


@pytest.fixture(scope="module")
def reference():
    return api.run_batch([(FULL, s) for s in (0, 1)], months=144)


@pytest.mark.parametrize("knockout", sorted(TIE_KNOCKOUTS))
def test_removing_a_tie_type_changes_some_returnee_outcome(reference, knockout):
    without = api.run_batch([(FULL, s) for s in (0, 1)], months=144, knockouts=(knockout,))
    changed = max(float(np.nanmax(np.abs(w.timeseries[RETURNEE].to_numpy(float) - r.timeseries[RETURNEE].to_numpy(float))))
                  for w, r in zip(without, reference))
    assert changed > 0, f"{knockout}: no returnee outcome moves without this tie type"
