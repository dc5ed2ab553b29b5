"""Quantiles across replicates in a few whole-array operations.

``np.nanquantile`` falls back to one Python call per cell as soon as any cell holds a NaN
(outcomes are undefined before anyone is released), which cost a comparison of 64 replicates
tens of seconds. This gives the same numbers: numpy's default (linear, Hyndman and Fan's 7th)
method applied to each cell's defined values, bit for bit except the sign of a zero where a cell
holds both 0.0 and -0.0 (numpy's partition and sort order those two differently).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def nanquantile(values: np.ndarray, quantiles: Sequence[float], axis: int) -> np.ndarray:
    """``np.nanquantile(values, quantiles, axis=axis)``: quantiles first, then the other axes; NaN where a cell
    has no defined value."""
    ordered = np.sort(np.moveaxis(np.asarray(values, dtype=float), axis, 0), axis=0)  # NaNs sort last
    count = np.sum(~np.isnan(ordered), axis=0)
    last = np.maximum(count - 1, 0)
    out = np.empty((len(quantiles),) + ordered.shape[1:])
    for i, q in enumerate(quantiles):
        virtual = (count - 1) * float(q)
        below = np.clip(np.floor(virtual), 0, None).astype(np.intp)
        above = np.minimum(below + 1, last)
        below = np.where(virtual >= count - 1, last, below)
        a = np.take_along_axis(ordered, below[None], axis=0)[0]
        b = np.take_along_axis(ordered, above[None], axis=0)[0]
        gamma = virtual - np.floor(virtual)
        diff = b - a
        out[i] = np.where(count == 0, np.nan, np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma))
    return out


def band95(values: np.ndarray) -> tuple[float, float, float]:
    """Median and central 95% range of the defined values (NaN if none): how calibration and validation report a
    quantity across runs or parameter sets."""
    lo, med, hi = nanquantile(np.asarray(values, dtype=float)[:, None], [0.025, 0.5, 0.975], axis=0)[:, 0]
    return float(med), float(lo), float(hi)
