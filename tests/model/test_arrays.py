"""The batch's array helpers against plain Python loops over replicates and elements."""

import numpy as np

from model.arrays import gather, group_sum, rank_within, ratio


def _rank_by_loops(keys, score, tiebreak, eligible):
    replicates, n = keys.shape
    rank = np.full((replicates, n), n)
    for r in range(replicates):
        for g in set(keys[r][eligible[r]].tolist()):
            members = [i for i in range(n) if eligible[r, i] and keys[r, i] == g]
            members.sort(key=lambda i: (-score[r, i], -tiebreak[r, i], i))
            for position, i in enumerate(members):
                rank[r, i] = position
    return rank


def test_rank_within_matches_a_loop_over_replicates_and_groups_with_ties_in_the_score():
    rng = np.random.default_rng(7)
    for trial in range(20):
        replicates, n = rng.integers(1, 6), rng.integers(1, 40)
        keys = rng.integers(0, 4, size=(replicates, n))
        score = rng.integers(0, 3, size=(replicates, n)).astype(float)  # many ties
        tiebreak = rng.integers(0, 2, size=(replicates, n)).astype(float)  # ties even after the tiebreak
        eligible = rng.random((replicates, n)) < rng.random()
        got = rank_within(keys, score, tiebreak, eligible)
        np.testing.assert_array_equal(got, _rank_by_loops(keys, score, tiebreak, eligible), err_msg=f"trial {trial}")


def test_rank_within_with_nobody_eligible_puts_everyone_outside_any_quota():
    keys = np.zeros((2, 5), dtype=int)
    got = rank_within(keys, np.ones((2, 5)), np.ones((2, 5)), np.zeros((2, 5), dtype=bool))
    assert (got == 5).all()


def test_gather_group_sum_and_ratio_match_loops():
    rng = np.random.default_rng(3)
    table = rng.random((3, 6))
    keys = rng.integers(0, 6, size=(3, 10))
    weights = rng.random((3, 10))
    np.testing.assert_array_equal(gather(table, keys), np.array([table[r, keys[r]] for r in range(3)]))
    sums = group_sum(keys, 6, weights)
    for r in range(3):
        for g in range(6):
            assert np.isclose(sums[r, g], weights[r][keys[r] == g].sum(), rtol=0, atol=1e-12)
    assert (group_sum(keys, 6) == np.array([np.bincount(keys[r], minlength=6) for r in range(3)])).all()
    flags = weights > 0.5  # flags count as 0/1; sums bit for bit those of bincount (same order of addition)
    for w in (weights, flags):
        expected = np.array([np.bincount(keys[r], weights=w[r].astype(float), minlength=6) for r in range(3)])
        assert np.array_equal(group_sum(keys, 6, w), expected)
    np.testing.assert_array_equal(ratio(np.array([1.0, 2.0]), np.array([0.0, 4.0]), empty=-1.0), [-1.0, 0.5])
