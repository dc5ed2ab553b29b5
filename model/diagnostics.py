"""Figures derived from the model's own per-person histories, aggregated over whole runs (never per person).

They are reported, never targets: no parameter is tuned to them.
"""

from __future__ import annotations

import numpy as np

from .arrays import ratio


def housing_hazard_ratio(models) -> float:
    """Offences per person-month at risk in the community without stable housing, over those with it.

    ``models`` are finished runs (or batches); months and offences are summed over all of them.
    """
    unhoused = sum(float(m.pop.offences_unhoused.sum()) for m in models)
    housed = sum(float(m.pop.offences_housed.sum()) for m in models)
    months_unhoused = sum(float(m.pop.risk_months_unhoused.sum()) for m in models)
    months_housed = sum(float(m.pop.risk_months_housed.sum()) for m in models)
    return float(ratio(np.float64(unhoused) / months_unhoused, np.float64(housed) / months_housed, empty=np.nan))
