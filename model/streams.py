"""Common random numbers: every draw is a pure function of (seed, decision, month, id).

A counter-based generator (SplitMix64 over a key made from the seed, the decision's
name and the month) gives each agent, tie or agency its own uniform number per
decision and month. Nothing depends on how many draws came before, so two scenarios
run with the same seed face the same individual luck even after their paths branch.
"""

from __future__ import annotations

import zlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 1.0 / float(1 << 53)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on a uint64 array (wrapping arithmetic)."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def _key(*parts: int) -> np.uint64:
    z = np.zeros(1, dtype=np.uint64)
    for part in parts:
        z = _mix(z ^ np.array([part & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64) + _GOLDEN)
    return z[0]


def decision_code(name: str) -> int:
    """Stable integer code of a decision's name."""
    return zlib.crc32(name.encode())


def uniform(seed: int, decision: str, month: int, n: int) -> np.ndarray:
    """n uniforms in [0, 1) for ids 0..n-1 of one decision in one month."""
    key = _key(seed, decision_code(decision), month + 1)
    ids = np.arange(n, dtype=np.uint64)
    return (_mix(key + (ids + np.uint64(1)) * _GOLDEN) >> _S11) * _TO_UNIT


def normal(seed: int, decision: str, month: int, n: int) -> np.ndarray:
    """n standard normals (Box-Muller over two uniform streams of the decision)."""
    u1 = uniform(seed, decision + ":a", month, n)
    u2 = uniform(seed, decision + ":b", month, n)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def subseed(seed: int, name: str) -> int:
    """A 32-bit seed for a library generator (networkx), derived from (seed, name)."""
    return int(_key(seed, decision_code(name)) >> np.uint64(33))


class Streams:
    """Per-returnee decisions of one run: one batch of uniforms per month.

    One vectorised pass per month keeps the cost of common random numbers to tens
    of microseconds; rows are keyed by the decision's name, so adding a decision
    never shifts the numbers of another.
    """

    def __init__(self, seed: int, decisions: tuple[str, ...]):
        self.seed = seed
        self._row = {name: i for i, name in enumerate(decisions)}
        codes = np.array([decision_code(d) for d in decisions], dtype=np.uint64)
        seed_key = _key(seed)
        self._base = _mix((seed_key ^ codes) + _GOLDEN)

    def month(self, month: int, n: int, width: int | None = None) -> "MonthDraws":
        """The month's uniforms: ``n`` per decision by default, up to ``width`` ids via ``row``."""
        keys = _mix((self._base ^ np.uint64(month + 1)) + _GOLDEN)
        ids = (np.arange(max(n, width or 0), dtype=np.uint64) + np.uint64(1)) * _GOLDEN
        return MonthDraws(self._row, (_mix(keys[:, None] + ids[None, :]) >> _S11) * _TO_UNIT, n)


class MonthDraws:
    """The uniforms of every decision in one month (ids 0..n-1 unless asked for more)."""

    def __init__(self, rows: dict[str, int], u: np.ndarray, n: int):
        self._row = rows
        self._u = u
        self._n = n

    def __getitem__(self, decision: str) -> np.ndarray:
        return self._u[self._row[decision], : self._n]

    def row(self, decision: str, n: int) -> np.ndarray:
        """The first ``n`` uniforms of a decision (for ties or a single global draw)."""
        return self._u[self._row[decision], :n]
