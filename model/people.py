"""Who a computation is for: everyone in the batch, or the few people of a transition.

A transition (a release, an acquittal, an arrival, a move) concerns a handful of the batch's
replicate x person cells in a month. Working it out over every cell and keeping the masked
ones costs as much as the whole batch; ``Some`` reads values at its cells only. Every value
is the same number the whole-batch computation gives at that cell (elementwise arithmetic in
the same order, and random draws that are a function of seed, decision, month and id).
"""

from __future__ import annotations

import numpy as np

from .arrays import gather


class Everyone:
    """Every replicate x person cell: values are the arrays themselves."""

    def of(self, x):
        return x

    def table(self, table: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """``table[r, keys]`` per replicate, ``keys`` given for this selection's cells."""
        return gather(table, keys)


class Some:
    """The cells where ``mask`` (replicates x people) is true, in row-major order."""

    def __init__(self, mask: np.ndarray):
        self.rows, self.cols = np.nonzero(mask)
        self.files: dict = {}  # case-file hops at these cells (submodels.coordination)

    def of(self, x):
        """A person array (replicates x people), a per-replicate column (replicates x 1, or 1 x 1: the same in every
        replicate) or a scalar, at the cells."""
        x = np.asarray(x)
        if x.ndim == 0:
            return x
        return x[self.rows if x.shape[0] > 1 else 0, self.cols if x.shape[1] > 1 else 0]

    def table(self, table: np.ndarray, keys: np.ndarray) -> np.ndarray:
        return table[self.rows, keys]

    def draws(self, model, decisions: tuple[str, ...]) -> np.ndarray:
        """Several decisions' uniforms at the cells in one pass (decisions x cells)."""
        return model.u.at(decisions, model.pop.n, self.rows, self.cols)

    def put(self, target: np.ndarray, values, where: np.ndarray | None = None) -> None:
        """``target`` at the cells (or at those of them where ``where``) set to ``values`` (cell values or a scalar)."""
        if where is None:
            target[self.rows, self.cols] = values
        else:
            chosen = np.broadcast_to(values, self.rows.shape)[where] if np.ndim(values) else values
            target[self.rows[where], self.cols[where]] = chosen


EVERYONE = Everyone()
