"""The dashboard's comparison: one scenario at a time, the same numbers and files as run.py compare."""

import tempfile
from pathlib import Path

import numpy as np
import pytest

from dashboards import comparing
from experiments import compare as cmp
from experiments import compare_folder


def test_the_dashboard_comparison_equals_run_py_compare_and_reports_each_run():
    seen = []
    result = comparing.run(["baseline", "living_lab"], reps=2, on_progress=lambda done, total: seen.append((done, total)),
                           months=36)
    joint = cmp.compare(["baseline", "living_lab"], reps=2, months=36, workers=1, progress=False)
    np.testing.assert_array_equal(result.comparison.overall, joint.overall)
    np.testing.assert_array_equal(result.comparison.by_group, joint.by_group)
    assert result.comparison.names == ["baseline", "living_lab"] and result.comparison.seeds == joint.seeds
    assert seen == [(k, 4) for k in range(5)]
    assert set(result.summary.scenario) == {"baseline", "living_lab"} and result.seconds > 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = compare_folder.save(joint, Path(tmp))
        assert result.file("summary.csv") == paths["summary.csv"].read_bytes()
        assert result.file("timeseries.csv") == paths["timeseries.csv"].read_bytes()
    html = result.file("report.html").decode()
    assert html.startswith("<!DOCTYPE html>") and "Synthetic population" in html
    with pytest.raises(ValueError):
        result.file("../comparison.json")


@pytest.mark.parametrize("names", [["baseline"], ["baseline", "baseline"], ["baseline", "living_lab", "full_sra",
                                                                               "rights_based", "trauma_sensitive"]])
def test_two_to_four_different_scenarios(names):
    with pytest.raises(ValueError):
        comparing.run(names, reps=2)


@pytest.mark.parametrize("names, reps", [(["baseline", "scenarios/living_lab.toml"], 2), (["baseline", "/etc/hosts"], 2),
                                         (["baseline", "living_lab"], 1), (["baseline", "living_lab"], 51),
                                         (["baseline", "living_lab"], 10**6), (["baseline", "living_lab"], 2.5)])
def test_only_catalogue_names_and_bounded_replications_are_run(names, reps):
    """Scenario names come from a browser: a path (which model.scenario would load) must not get through."""
    with pytest.raises(ValueError, match="allowed"):
        comparing.run(names, reps=reps)
