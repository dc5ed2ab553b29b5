import numpy as np

from model.streams import Streams, normal, uniform


def test_a_draw_depends_only_on_seed_decision_month_and_id():
    s = Streams(7, ("a", "b", "c"))
    small, large = s.month(3, 10), s.month(3, 1000)
    assert np.array_equal(small["b"], large["b"][:10])
    # adding a decision does not shift another decision's numbers
    assert np.array_equal(Streams(7, ("z", "b")).month(3, 10)["b"], small["b"])
    assert np.array_equal(uniform(7, "x", 2, 5), uniform(7, "x", 2, 50)[:5])


def test_different_seeds_months_and_decisions_give_different_numbers():
    s = Streams(7, ("a", "b"))
    assert not np.array_equal(s.month(3, 50)["a"], s.month(4, 50)["a"])
    assert not np.array_equal(s.month(3, 50)["a"], s.month(3, 50)["b"])
    assert not np.array_equal(s.month(3, 50)["a"], Streams(8, ("a", "b")).month(3, 50)["a"])


def test_uniforms_are_uniform_and_normals_normal():
    """200,000 draws: mean within 0.005 of 1/2, each decile within 3% of 10%; normal mean/sd within 0.01."""
    u = Streams(1, ("d",)).month(0, 200_000)["d"]
    assert abs(u.mean() - 0.5) < 0.005 and u.min() >= 0 and u.max() < 1
    counts = np.histogram(u, bins=10, range=(0, 1))[0] / len(u)
    assert np.all(np.abs(counts - 0.1) < 0.003)
    z = normal(1, "z", 0, 200_000)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01


def test_wider_batches_do_not_change_any_number():
    s = Streams(3, ("a", "b"))
    narrow, wide = s.month(5, 10), s.month(5, 10, width=300)
    assert np.array_equal(narrow["a"], wide["a"]) and len(wide["a"]) == 10
    assert np.array_equal(wide.row("b", 300)[:10], narrow["b"]) and len(wide.row("b", 300)) == 300
