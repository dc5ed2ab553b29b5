"""Every lever's effect can come out either way: the settings stored in docs/reversals.toml still do it.

``scripts/find_reversals.py`` searched 20 replications over 120 months; this re-checks the first
ten (the same seeds): at the stored beneficial setting the lever's benefit on its main outcome
is positive, at the stored harmful setting negative, each with paired |t| >= 2. A lever with no
such pair is listed in ``NOT_REVERSIBLE`` with the evidence.
"""

import tomllib
from pathlib import Path

import numpy as np
import pytest

from experiments.reversals import CHECK_REPS, CHECK_T, LEVERS, MONTHS, NOT_REVERSIBLE, _arms, benefit, t_value
from model.knockouts import PATHWAYS

pytestmark = pytest.mark.slow

STORED = tomllib.loads((Path(__file__).resolve().parents[2] / "docs" / "reversals.toml").read_text(encoding="utf-8"))


def test_every_lever_is_searched_or_listed_as_one_way():
    assert set(PATHWAYS) <= set(LEVERS) | set(NOT_REVERSIBLE)
    assert set(STORED["levers"]) == set(LEVERS) and set(STORED["not_reversible"]) == set(NOT_REVERSIBLE)


REVERSIBLE = sorted(n for n, rec in STORED["levers"].items()
                    if rec["beneficial"]["setting"] != "none" and rec["harmful"]["setting"] != "none")


@pytest.mark.parametrize("name", REVERSIBLE)
def test_the_stored_settings_make_the_lever_beneficial_and_harmful(name):
    rec, check = STORED["levers"][name], LEVERS[name]
    for kind, sign in (("beneficial", 1.0), ("harmful", -1.0)):
        d = benefit(check, _arms(name, check, rec[kind]["setting"], range(CHECK_REPS), MONTHS))
        assert np.sign(d.mean()) == sign and abs(t_value(d)) >= CHECK_T, (kind, d.mean(), t_value(d))


def test_most_levers_can_come_out_either_way():
    one_way = sorted(set(STORED["levers"]) - set(REVERSIBLE))
    assert len(REVERSIBLE) >= 2 * len(one_way), one_way
