"""Common random numbers: every draw is a pure function of (seed, decision, month, id).

A counter-based generator (SplitMix64 over a key made from the seed, the decision's
name and the month) gives each agent, tie or agency its own uniform number per
decision and month. Nothing depends on how many draws came before, nor on which other
runs share a batch: replicate r of a batch draws exactly what its seed draws alone, so
two scenarios run with the same seed face the same individual luck even after their
paths branch.
"""

from __future__ import annotations

import zlib
from typing import Sequence

import numpy as np
from scipy.special import ndtri

from . import kernels
from .constants import HALF, NONE, WORD_BITS

_GOLDEN = kernels.GOLDEN
_MASK = (1 << WORD_BITS) - 1
INIT = NONE  # the 'month' of initialisation draws


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser of a uint64 array (wrapping arithmetic), as a new array of its shape."""
    z = np.asarray(z, dtype=np.uint64)
    return kernels.mix_all(z.reshape(-1)).reshape(z.shape)


def _keys(seeds: Sequence[int], *parts: int) -> np.ndarray:
    """Each seed's key for ``parts`` (a decision, a month): the seed, then each part, mixed in turn."""
    z = _mix(np.array([s & _MASK for s in seeds], dtype=np.uint64) + _GOLDEN)  # (wrapping add)
    for part in parts:
        z = _mix(z ^ np.uint64((part + int(_GOLDEN)) & _MASK))
    return z


def decision_code(name: str) -> int:
    """Stable integer code of a decision's name."""
    return zlib.crc32(name.encode())


def _ids(n: int) -> np.ndarray:
    return _codes(np.arange(n))


def _codes(ids: np.ndarray) -> np.ndarray:
    """The counter offset of each id (agent, tie or agency number)."""
    return (ids.astype(np.uint64) + np.uint64(1)) * _GOLDEN


def _unit(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1) of every key with every id: keys.shape + ids.shape."""
    out = np.empty((keys.size, len(ids)))
    kernels.unit_grid(np.ascontiguousarray(keys).reshape(-1), ids, out)
    return out.reshape(keys.shape + ids.shape)


def _unit_at(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Uniforms of ``keys[d, c]`` with ``ids[c]`` (pairs, not every key with every id): what ``_unit`` gives there."""
    out = np.empty(keys.shape)
    kernels.unit_pairs(np.ascontiguousarray(keys), ids, out)
    return out


def uniform(seeds: Sequence[int], decision: str, month: int, n: int) -> np.ndarray:
    """Uniforms in [0, 1) for ids 0..n-1 of one decision in one month, one row per seed (replicates x n)."""
    keys = _keys(seeds, decision_code(decision), month + 1)
    return _unit(keys, _ids(n))


def normal(seeds: Sequence[int], decision: str, month: int, n: int) -> np.ndarray:
    """Standard normals (the inverse normal of the decision's uniforms, moved off 0), replicates x n."""
    return gaussian(uniform(seeds, decision, month, n))


def gaussian(u: np.ndarray) -> np.ndarray:
    """Standard normals from uniforms in [0, 1): each is moved to the centre of its 53-bit cell first."""
    return ndtri(u + HALF * kernels.TO_UNIT)


class Streams:
    """Per-month decisions of a batch of runs.

    Each decision is keyed by its name, so adding a decision never shifts another's numbers.
    The streams remember which decisions (and widths) a run asks for; from the second month
    on, the first request of a month draws every known decision of that width in one
    vectorised pass, so a month costs a few array operations however many decisions it has.
    """

    def __init__(self, seeds: Sequence[int]):
        self.seeds = [int(s) for s in seeds]
        self._seed_keys = _keys(self.seeds)
        self._bases: dict[str, np.ndarray] = {}
        self.known: dict[int, list[str]] = {}  # width -> decisions drawn at that width

    def base(self, decision: str) -> np.ndarray:
        found = self._bases.get(decision)
        if found is None:
            found = self._bases[decision] = _mix((self._seed_keys ^ np.uint64(decision_code(decision))) + _GOLDEN)
        return found

    def month(self, month: int) -> "MonthDraws":
        return MonthDraws(self, month)


class MonthDraws:
    """The uniforms of one month: ``draws(decision, n)`` is replicates x n, the same on every call."""

    def __init__(self, streams: Streams, month: int):
        self._streams = streams
        self._month = np.uint64(month + 1)
        self._cache: dict[tuple[str, int], np.ndarray] = {}

    def _draw(self, decisions: list[str], n: int) -> None:
        bases = np.stack([self._streams.base(d) for d in decisions])  # decisions x replicates
        keys = _mix((bases ^ self._month) + _GOLDEN)
        u = _unit(keys, _ids(n))
        for k, d in enumerate(decisions):
            self._cache[(d, n)] = u[k]

    def __call__(self, decision: str, n: int) -> np.ndarray:
        found = self._cache.get((decision, n))
        if found is None:
            known = self._streams.known.setdefault(n, [])
            if decision in known:
                self._draw(known, n)
            else:
                known.append(decision)
                self._draw([decision], n)
            found = self._cache[(decision, n)]
        return found

    def at(self, decisions: Sequence[str], n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The decisions' uniforms at replicate ``rows`` and ids ``cols`` only (decisions x cells):
        ``self(decision, n)[rows, cols]`` for each, without drawing the rest (a transition's few people), in one
        pass, and without making them decisions drawn in full."""
        out = np.empty((len(decisions), len(rows)))
        fresh = []
        for k, decision in enumerate(decisions):
            found = self._cache.get((decision, n))
            if found is None:
                fresh.append(k)
            else:
                out[k] = found[rows, cols]
        if fresh:
            bases = np.stack([self._streams.base(decisions[k]) for k in fresh])  # decisions x replicates
            keys = _mix((bases ^ self._month) + _GOLDEN)
            out[fresh] = _unit_at(keys[:, rows], _codes(cols))
        return out

    def normal(self, decision: str, n: int) -> np.ndarray:
        """Standard normals of a decision (from its uniforms)."""
        return gaussian(self(decision, n))
