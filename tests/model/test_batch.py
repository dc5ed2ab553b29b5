"""A batch gives every run exactly what it gives alone: one code path, a run is a batch of one."""

import numpy as np
import pandas as pd
import pytest

from model import api


@pytest.mark.parametrize("months", [60, 204])
def test_each_run_of_a_batch_equals_the_run_alone(months):
    runs = [("baseline", 0), ("full_sra", 1), ("living_lab", 7), ("baseline", 7), ("strict_sanctions", 3)]
    batch = api.run_batch(runs, months=months)
    for (scenario, seed), result in zip(runs, batch):
        alone = api.run(scenario, seed=seed, months=months)
        pd.testing.assert_frame_equal(result.timeseries, alone.timeseries, check_exact=False, rtol=1e-12, atol=1e-12)
        pd.testing.assert_frame_equal(result.by_group, alone.by_group, check_exact=False, rtol=1e-12, atol=1e-12)


def test_a_run_does_not_depend_on_its_place_or_companions_in_a_batch():
    a = api.run_batch([("baseline", 4), ("baseline", 5)], months=48)
    b = api.run_batch([("full_sra", 9), ("baseline", 5), ("baseline", 4)], months=48)
    pd.testing.assert_frame_equal(a[0].timeseries, b[2].timeseries, check_exact=False, rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(a[1].timeseries, b[1].timeseries, check_exact=False, rtol=1e-12, atol=1e-12)


def test_runs_of_different_shape_cannot_share_a_batch():
    with pytest.raises(ValueError, match="must share cohort_scale"):
        api.run_batch([("baseline", 0), (api.scenario_with("baseline", {"cohort_scale": 2.0}), 0)], months=12)


def test_a_batch_checkpoint_resumes_every_run_as_a_full_run():
    spec = api.scenario_from("baseline", {"family_contact": 0.9}, "2020-01")
    state = api.checkpoint("baseline", seed=[3, 4], month=72, months=96)
    resumed = api.resume_batch(state, [spec, "baseline"])
    full = api.run_batch([(spec, 3), ("baseline", 4)], months=96)
    for r, f in zip(resumed, full):
        np.testing.assert_allclose(r.timeseries.drop(columns="date").to_numpy(dtype=float),
                                   f.timeseries.drop(columns="date").to_numpy(dtype=float), rtol=1e-12, atol=1e-12,
                                   equal_nan=True)
