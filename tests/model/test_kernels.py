"""The compiled kernels give bit for bit what their numpy formulas give."""

import numpy as np
import pytest

from model import api, kernels, streams
from model.constants import MANTISSA_BITS, SPLITMIX_M1, SPLITMIX_M2, SPLITMIX_SHIFTS, WORD_BITS

MASK = (1 << WORD_BITS) - 1


def splitmix(z: int) -> int:
    """SplitMix64's finaliser in plain Python integers (the published reference)."""
    for shift, mult in zip(SPLITMIX_SHIFTS[:2], (SPLITMIX_M1, SPLITMIX_M2)):
        z = ((z ^ (z >> shift)) * mult) & MASK
    return z ^ (z >> SPLITMIX_SHIFTS[2])


def numpy_units(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The numpy chain the kernels replaced: mix, drop to 53 bits, scale."""
    z = keys[:, None] + ids[None, :]
    for shift, mult in zip(SPLITMIX_SHIFTS[:2], (SPLITMIX_M1, SPLITMIX_M2)):
        z = (z ^ (z >> np.uint64(shift))) * np.uint64(mult)
    z = z ^ (z >> np.uint64(SPLITMIX_SHIFTS[2]))
    return (z >> np.uint64(WORD_BITS - MANTISSA_BITS)).astype(np.int64) * (1.0 / float(1 << MANTISSA_BITS))


@pytest.fixture
def words():
    rng = np.random.default_rng(7)
    return rng.integers(0, np.iinfo(np.uint64).max, size=257, dtype=np.uint64, endpoint=True)


def test_mix_is_splitmix64(words):
    assert [int(v) for v in kernels.mix_all(words)] == [splitmix(int(v)) for v in words]


def test_grid_of_uniforms_equals_the_numpy_chain(words):
    keys, ids = words[:13], streams._codes(np.arange(300))
    got = streams._unit(keys.reshape(1, 13), ids)
    assert got.shape == (1, 13, 300)
    assert np.array_equal(got[0], numpy_units(keys, ids))
    assert got.min() >= 0.0 and got.max() < 1.0


def test_pairs_are_the_grid_at_those_cells(words):
    keys = words[:6].reshape(2, 3)
    rows, cols = np.array([0, 2, 2, 1]), np.array([5, 0, 9, 9])
    grid = streams._unit(keys, streams._codes(np.arange(10)))
    pairs = streams._unit_at(keys[:, rows], streams._codes(cols))
    assert np.array_equal(pairs, grid[:, rows, cols])


@pytest.mark.parametrize("form", ["numbers", "per tie", "per replicate", "per tie type", "per owner"])
@pytest.mark.parametrize("masked", ["no", "per tie", "per owner"])
def test_tend_is_the_numpy_formula_and_leaves_unchosen_ties(form, masked):
    rng = np.random.default_rng(3)
    shape, n = (4, 50), 7
    owner = np.ascontiguousarray(np.broadcast_to(rng.integers(0, n, size=shape[1]), shape))
    rows = np.arange(shape[0])[:, None]
    weight = rng.random(shape)
    args = {"numbers": (0.7, 0.2, 0.05),
            "per tie": (rng.random(shape), rng.random(shape), rng.random(shape)),
            "per replicate": (rng.random((4, 1)), rng.random((4, 1)), 0.1),
            "per tie type": (rng.random(shape[1]) > 0.5, rng.random(shape[1]), rng.random(shape[1])),
            "per owner": (rng.random((4, n)), rng.random((4, n)), rng.random((4, n)))}[form]
    owned = form == "per owner"
    where = {"no": np.ones(shape, dtype=bool), "per tie": rng.random(shape) < 0.3,
             "per owner": rng.random((4, n)) < 0.5}[masked]
    at_ties = lambda x, by_owner: np.asarray(x, dtype=float)[rows, owner] if by_owner else np.asarray(x, dtype=float)
    contact, gain, decay = (at_ties(a, owned) for a in args)
    chosen = where[rows, owner] if masked == "per owner" else where
    expected = np.where(chosen, weight + gain * contact * (1.0 - weight) - decay * (1.0 - contact) * weight, weight)
    b = lambda x: np.broadcast_to(np.asarray(x, dtype=float), (4, n) if owned else shape)
    kernels.tend(weight, owner, b(args[0]), b(args[1]), b(args[2]), where, owned, owned, owned, masked == "per owner")
    assert np.array_equal(weight, expected)


def test_tend_by_owner_is_tend_with_the_owners_values():
    from model.network import ByOwner

    net = api.build("baseline", seed=1).net
    g = net["peer"]
    rng = np.random.default_rng(4)
    contact, away = rng.random((1, net.n)), rng.random((1, net.n)) < 0.5
    start = g.weight.copy()
    net.tend("peer", g.of_owner(contact), 0.3, 0.1, where=g.of_owner(away))
    gathered, g.weight = g.weight, start.copy()
    net.tend("peer", ByOwner(contact), 0.3, 0.1, where=ByOwner(away))
    assert np.array_equal(g.weight, gathered) and not np.array_equal(g.weight, start)
    with pytest.raises(ValueError, match="tend peer"):
        net.tend("peer", ByOwner(contact[:, :-1]), 0.3, 0.1)


@pytest.mark.parametrize("dtype", [bool, np.int64, float])
def test_gather_is_fancy_indexing_per_replicate(dtype):
    from model.arrays import gather

    rng = np.random.default_rng(5)
    table = (rng.random((3, 20)) * 50).astype(dtype)
    keys = rng.integers(0, 20, size=(3, 40))
    rows = np.arange(3)[:, None]
    assert np.array_equal(gather(table, keys), table[rows, keys])
    assert np.array_equal(gather(table[:, ::2], keys // 2), table[:, ::2][rows, keys // 2])  # a strided table
    assert np.array_equal(gather(table, keys[0]), table[:, keys[0]])  # the same keys in every replicate
    lookups = np.stack([keys, keys[::-1]])
    assert np.array_equal(gather(table, lookups), np.stack([table[rows, k] for k in lookups]))
    for outside in (keys + 20, keys - 20):  # checked in every test run (tests/conftest.py), not by the kernel
        with pytest.raises(IndexError):
            gather(table, outside)


def test_owner_sums_are_numpys_bincount_bit_for_bit():
    rng = np.random.default_rng(11)
    weight, factor = rng.random((3, 500)), rng.random((3, 500))
    owner = np.broadcast_to(rng.integers(0, 40, size=500), (3, 500))
    flat = (owner + np.arange(3)[:, None] * 40).ravel()
    expected = np.bincount(flat, weights=(weight * factor).ravel(), minlength=120).reshape(3, 40)
    assert np.array_equal(kernels.owner_sums(weight, factor, owner, 40), expected)
    ones = np.broadcast_to(1.0, weight.shape)
    assert np.array_equal(kernels.owner_sums(weight, ones, owner, 40),
                          np.bincount(flat, weights=weight.ravel(), minlength=120).reshape(3, 40))


def test_shares_are_the_numpy_ratio_with_counts_kept_and_empty_denominators_nan():
    from model.arrays import ratio

    rng = np.random.default_rng(13)
    num = rng.random((5, 3, 4, 2))
    den = np.where(rng.random((5, 3, 2, 2)) < 0.3, 0.0, rng.random((5, 3, 2, 2)))
    denominator_of, is_count = np.array([0, 1, 1, 0]), np.array([False, True, False, False])
    expected = np.where(is_count[None, None, :, None], num, ratio(num, den[:, :, denominator_of, :], empty=np.nan))
    got = kernels.shares(num, den, denominator_of, is_count)
    assert np.array_equal(got, np.einsum("trkg->rgtk", expected), equal_nan=True)
    assert np.isnan(got).any()
