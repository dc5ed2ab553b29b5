import numpy as np

from model.streams import Streams, normal, uniform


def test_a_draw_depends_only_on_seed_decision_month_and_id():
    s = Streams([7])
    small, large = s.month(3)("b", 10), s.month(3)("b", 1000)
    assert np.array_equal(small, large[:, :10])
    assert np.array_equal(uniform([7], "x", 2, 5), uniform([7], "x", 2, 50)[:, :5])


def test_a_replicate_draws_the_same_in_any_batch():
    alone = Streams([11]).month(4)
    batch = Streams([3, 11, 5]).month(4)
    batch("other", 20)  # another decision drawn first changes nothing
    assert np.array_equal(alone("a", 30)[0], batch("a", 30)[1])
    again = Streams([3, 11, 5]).month(4)
    again("a", 30)
    assert np.array_equal(again("a", 30), batch("a", 30))  # drawn alone or with every known decision


def test_different_seeds_months_and_decisions_give_different_numbers():
    s = Streams([7, 8])
    assert not np.array_equal(s.month(3)("a", 50), s.month(4)("a", 50))
    assert not np.array_equal(s.month(3)("a", 50), s.month(3)("b", 50))
    u = s.month(3)("a", 50)
    assert not np.array_equal(u[0], u[1])


def test_uniforms_are_uniform_and_normals_normal():
    """200,000 draws: mean within 0.005 of 1/2, each decile within 3% of 10%; normal mean/sd within 0.01."""
    u = Streams([1]).month(0)("d", 200_000)[0]
    assert abs(u.mean() - 0.5) < 0.005 and u.min() >= 0 and u.max() < 1
    counts = np.histogram(u, bins=10, range=(0, 1))[0] / len(u)
    assert np.all(np.abs(counts - 0.1) < 0.003)
    z = normal([1], "z", 0, 200_000)[0]
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01 and np.isfinite(z).all()
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
