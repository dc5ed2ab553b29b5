"""Array helpers for a batch: per-replicate groupings without Python loops over agents or replicates."""

from __future__ import annotations

import numpy as np

from . import kernels


def group_sum(keys: np.ndarray, n_groups: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``weights`` (or counts) per group within each replicate: replicates x groups, as floats, added in
    element order as numpy's bincount adds them (one compiled pass: ``kernels.owner_sums``)."""
    keys = np.asarray(keys).astype(np.int64, copy=False)
    w = np.broadcast_to(np.asarray(1.0 if weights is None else weights, dtype=float), keys.shape)
    return kernels.owner_sums(w, np.broadcast_to(1.0, keys.shape), keys, n_groups)


def gather(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``table[r, keys[..., r, i]]`` for every replicate r and element i (keys replicates x m, m for every
    replicate, or lookups x replicates x m)."""
    replicates, m = table.shape[0], keys.shape[-1]
    several = keys.ndim > table.ndim
    keys = keys.astype(np.int64, copy=False)  # the kernel's index type (numpy's default integer may be 32-bit)
    found = kernels.gather(table, np.broadcast_to(keys, (keys.shape[0] if several else 1, replicates, m)))
    return found if several else found[0]


def ratio(num: np.ndarray, den: np.ndarray, empty: float = 0.0) -> np.ndarray:
    """num / den where den > 0, else ``empty``."""
    out = np.full(np.broadcast(num, den).shape, empty, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


def rank_within(keys: np.ndarray, score: np.ndarray, tiebreak: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Each eligible element's rank (0 = highest score, ties broken by ``tiebreak``, then by position) among the
    eligible elements of its group (``keys``, numbers from 0), per replicate; ineligible elements get the rank n,
    outside any quota. Only the eligible are sorted: a quota is usually filled from a few people."""
    replicates, n = keys.shape
    rank = np.full((replicates, n), n, dtype=np.int64)
    rows, cols = np.nonzero(eligible)
    m = rows.size
    if m == 0:
        return rank
    group = rows * (int(keys.max(initial=0)) + 1) + keys[rows, cols]  # replicate and group as one sort key
    order = np.lexsort((-tiebreak[rows, cols], -score[rows, cols], group))
    ordered = group[order]
    starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
    within = np.empty(m, dtype=np.int64)
    within[order] = np.arange(m) - np.repeat(starts, np.diff(np.r_[starts, m]))
    rank[rows, cols] = within
    return rank
