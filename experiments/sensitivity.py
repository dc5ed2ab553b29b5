"""Global sensitivity analysis with SALib: sampling and analysis, model-agnostic.

``sample`` and ``analyze`` take a SALib problem and plain arrays, so the same code runs
on the model's results and on test functions with known answers (Ishigami).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def sample(kind: str, problem: dict[str, Any], samples: int, seed: int, levels: int = 4) -> np.ndarray:
    """Design points for a Latin hypercube, a Morris screening or a Sobol analysis, within the bounds.

    SALib scales unit samples by ``low + x * (high - low)``, which can overshoot ``high`` by a
    rounding error (1.8000000000000003), and the model rejects any value out of range: clip.
    """
    if kind == "lhs":
        from SALib.sample import latin

        points = latin.sample(problem, samples, seed=seed)
    elif kind == "morris":
        from SALib.sample import morris

        points = morris.sample(problem, samples, num_levels=levels, seed=seed)
    elif kind == "sobol":
        from SALib.sample import sobol

        points = sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    else:
        raise ValueError(f"no sampler for design kind {kind!r}")
    bounds = np.asarray(problem["bounds"], dtype=float)
    return np.clip(points, bounds[:, 0], bounds[:, 1])


def analyze(kind: str, problem: dict[str, Any], X: np.ndarray, Y: np.ndarray, seed: int = 0,
            levels: int = 4) -> pd.DataFrame:
    """Indices per parameter: Morris mu*, its confidence, sigma; Sobol S1 and ST with confidence."""
    names = problem["names"]
    if kind == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, X, Y, num_levels=levels, seed=seed)
        return pd.DataFrame({"parameter": names, "mu_star": res["mu_star"], "mu_star_conf": res["mu_star_conf"],
                             "sigma": res["sigma"]})
    if kind == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, Y, calc_second_order=False, seed=seed)
        return pd.DataFrame({"parameter": names, "S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"],
                             "ST_conf": res["ST_conf"]})
    raise ValueError(f"sensitivity analysis needs a morris or sobol design, not {kind!r}")


def undefined(kind: str, problem: dict[str, Any]) -> pd.DataFrame:
    """The columns ``analyze`` gives, all NaN: the indices of an outcome that has no value somewhere."""
    columns = ("mu_star", "mu_star_conf", "sigma") if kind == "morris" else ("S1", "S1_conf", "ST", "ST_conf")
    return pd.DataFrame({"parameter": problem["names"], **{c: np.nan for c in columns}})
