"""Compiled loops (numba) for the array passes a month repeats most.

A batch's month makes some million random numbers and updates some hundred thousand tie weights.
In numpy each is a chain of whole-array passes (eight for a random number, seven for a tie) with a
temporary array each; here each number is made in one pass, in registers. The arithmetic is the
same, operation for operation, so the numbers are bit for bit those of the numpy formulas
(tests/model/test_kernels.py checks that against them).

Each kernel is declared for the one set of types the model passes (so it is compiled once, eagerly),
compiled once per machine and cached beside this file (``cache=True``): importing the module loads
them, so their start-up cost is paid at import, not inside a run.
"""

from __future__ import annotations

import numba
from numba import types
import numpy as np

from .constants import MANTISSA_BITS, SPLITMIX_GOLDEN, SPLITMIX_M1, SPLITMIX_M2, SPLITMIX_SHIFTS, WORD_BITS

GOLDEN = np.uint64(SPLITMIX_GOLDEN)
_M1, _M2 = np.uint64(SPLITMIX_M1), np.uint64(SPLITMIX_M2)
_S1, _S2, _S3 = (np.uint64(s) for s in SPLITMIX_SHIFTS)
_DROP = np.uint64(WORD_BITS - MANTISSA_BITS)
TO_UNIT = 1.0 / float(1 << MANTISSA_BITS)

# the kernels' argument types: written arrays C-ordered; given arrays read-only views of any strides
_WORDS, _WORD_GRID = types.uint64[::1], types.uint64[:, ::1]
_FLOATS = types.float64[:, ::1]
_GIVEN_FLOATS, _GIVEN_MASK = (t[:, :].copy(readonly=True) for t in (types.float64, types.boolean))
_GIVEN_KEYS = types.int64[:, :, :].copy(readonly=True)
_OWNERS = types.int64[:, :].copy(readonly=True)
_RECORD = types.float64[:, :, :, :].copy(readonly=True)
GATHERED = (types.boolean, types.int64, types.float64)  # the dtypes the model gathers


def _compiled(signature, **options):
    return numba.njit(signature, cache=True, nogil=True, **options)


@numba.njit(cache=True, inline="always")
def mix(z: np.uint64) -> np.uint64:
    """SplitMix64's finaliser of one 64-bit word (wrapping arithmetic)."""
    z = (z ^ (z >> _S1)) * _M1
    z = (z ^ (z >> _S2)) * _M2
    return z ^ (z >> _S3)


@numba.njit(cache=True, inline="always")
def to_unit(z: np.uint64) -> float:
    """A counter to a uniform in [0, 1) with 53 random bits."""
    return np.float64(np.int64(mix(z) >> _DROP)) * TO_UNIT


@_compiled(_WORDS(_WORDS))
def mix_all(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser of every word of a 1-d uint64 array (a new array)."""
    out = np.empty_like(z)
    for i in range(z.shape[0]):
        out[i] = mix(z[i])
    return out


@_compiled(types.void(_WORDS, _WORDS, _FLOATS))
def unit_grid(keys: np.ndarray, ids: np.ndarray, out: np.ndarray) -> None:
    """``out[i, j]`` = the uniform of key i with id j (keys and ids 1-d uint64, out keys x ids)."""
    for i in range(keys.shape[0]):
        key = keys[i]
        for j in range(ids.shape[0]):
            out[i, j] = to_unit(key + ids[j])


@_compiled(types.void(_WORD_GRID, _WORDS, _FLOATS))
def unit_pairs(keys: np.ndarray, ids: np.ndarray, out: np.ndarray) -> None:
    """``out[d, c]`` = the uniform of key ``keys[d, c]`` with id ``ids[c]`` (decisions x cells)."""
    for d in range(keys.shape[0]):
        for c in range(ids.shape[0]):
            out[d, c] = to_unit(keys[d, c] + ids[c])


@_compiled([t[:, :, ::1](t[:, :].copy(readonly=True), _GIVEN_KEYS) for t in GATHERED])
def gather(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``table[r, keys[l, r, i]]`` for every replicate r (a new C-ordered array of keys' shape: lookups x
    replicates x elements). Keys are the model's own indices (owners, places, agencies), not checked against the
    table's width here (a check doubles the cost), and must be in 0 .. width - 1 (no counting from the end); the test
    suite checks every call (tests/conftest.py)."""
    lookups, replicates, elements = keys.shape
    out = np.empty(keys.shape, dtype=table.dtype)
    for l in range(lookups):
        for r in range(replicates):
            row, row_keys, row_out = table[r], keys[l, r], out[l, r]  # rows hoisted: 3x faster than 3-d indexing
            for i in range(elements):
                row_out[i] = row[np.uintp(row_keys[i])]  # unsigned: no wrap-around test, 20% faster
    return out


@_compiled(_FLOATS(_GIVEN_FLOATS, _GIVEN_FLOATS, _OWNERS, types.int64))
def owner_sums(weight: np.ndarray, factor: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Per replicate, the sum of ``weight * factor`` over each owner's ties (replicates x n), added in tie order
    as numpy's bincount adds them. Owners must be in 0 .. n - 1 (unchecked here, as in ``gather``; the test suite
    checks every call)."""
    out = np.zeros((weight.shape[0], n))
    for r in range(weight.shape[0]):
        row_w, row_f, row_owner, row_out = weight[r], factor[r], owner[r], out[r]
        for e in range(row_w.shape[0]):
            row_out[np.uintp(row_owner[e])] += row_w[e] * row_f[e]
    return out


@_compiled(types.float64[:, :, :, ::1](_RECORD, _RECORD, types.int64[::1], types.boolean[::1]))
def shares(num: np.ndarray, den: np.ndarray, denominator_of: np.ndarray, is_count: np.ndarray) -> np.ndarray:
    """The recorder's months x replicates x outcomes x groups sums as replicates x groups x months x outcomes:
    counts as they are, shares as ``num / den`` over their denominator (``den[..., denominator_of[k], :]``),
    NaN where it is empty; one pass instead of numpy's six over the whole record."""
    months, replicates, outcomes, groups = num.shape
    out = np.empty((replicates, groups, months, outcomes))
    for m in range(months):
        for r in range(replicates):
            for k in range(outcomes):
                d, count = denominator_of[k], is_count[k]
                for g in range(groups):
                    x, y = num[m, r, k, g], den[m, r, d, g]
                    out[r, g, m, k] = x if count else (x / y if y > 0.0 else np.nan)
    return out


@_compiled(types.void(_FLOATS, _OWNERS, _GIVEN_FLOATS, _GIVEN_FLOATS, _GIVEN_FLOATS, _GIVEN_MASK,
                      types.boolean, types.boolean, types.boolean, types.boolean))
def tend(weight: np.ndarray, owner: np.ndarray, contact: np.ndarray, gain: np.ndarray, decay: np.ndarray,
         where: np.ndarray, contact_owned: bool, gain_owned: bool, decay_owned: bool, where_owned: bool) -> None:
    """Tie weights towards 1 with contact and towards 0 without, in place where ``where`` holds.

    Each of ``contact``, ``gain``, ``decay`` and ``where`` is 2-d, of the weights' shape (replicates x ties) or,
    if its ``*_owned`` flag is set, per owner (replicates x returnees, read at each tie's ``owner``: the gather
    done in the same pass); broadcast views of numbers are fine. The formula and its order of operations are
    those of ``w + gain * contact * (1 - w) - decay * (1 - contact) * w``."""
    for r in range(weight.shape[0]):
        row_w, row_owner = weight[r], owner[r]
        row_c, row_g, row_d, row_where = contact[r], gain[r], decay[r], where[r]
        for e in range(row_w.shape[0]):
            o, t = np.uintp(row_owner[e]), np.uintp(e)  # unsigned, as in gather: 40% faster
            if row_where[o if where_owned else t]:
                w, c = row_w[e], row_c[o if contact_owned else t]
                g, d = row_g[o if gain_owned else t], row_d[o if decay_owned else t]
                row_w[e] = w + g * c * (1.0 - w) - d * (1.0 - c) * w
