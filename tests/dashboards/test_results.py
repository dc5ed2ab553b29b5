"""Results folders: only those found under the configured root, never a typed path."""

import os
import shutil

import pytest

from dashboards import results


def test_the_root_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(results.ROOT_VARIABLE, str(tmp_path))
    assert results.root() == tmp_path.resolve()
    monkeypatch.delenv(results.ROOT_VARIABLE)
    assert results.root() == (results.Path.cwd() / "results").resolve()


def test_listing_finds_comparisons_and_experiments_only(results_root, tmp_path):
    outside = tmp_path / "outside"
    shutil.copytree(results_root / "compare-small", outside)
    os.symlink(outside, results_root / "link-outside")
    try:
        found = {f.name: f.kind for f in results.folders(results_root)}
    finally:
        (results_root / "link-outside").unlink()
    assert found == {"compare-small": "compare", "morris-tiny": "experiment"}
    assert results.folders(tmp_path / "missing") == []


@pytest.mark.parametrize("name", ["../compare-small", "/etc", "not-results", "", "morris-tiny/parts"])
def test_a_name_not_in_the_listing_is_refused(results_root, name):
    with pytest.raises(LookupError):
        results.find(name, results_root)


def test_reading_an_experiment_and_a_comparison(results_root):
    experiment, comparison = results.find("morris-tiny", results_root), results.find("compare-small", results_root)
    status = results.status(experiment)
    assert (status["planned"], status["finished"], status["failed"], status["remaining"]) == (12, 12, 0, 0)
    assert results.manifest(experiment)["kind"] == "morris"
    assert [s["name"] for s in results.manifest(comparison)["scenarios"]] == ["baseline", "living_lab"]
    assert results.table(experiment, "summary.csv") is not None and results.table(experiment, "sensitivity.csv") is None
    with pytest.raises(ValueError):
        results.compute(comparison, "summary")


def test_computing_sensitivity_saves_it_in_the_folder(results_root, tmp_path):
    shutil.copytree(results_root / "morris-tiny", tmp_path / "morris-tiny")
    folder = results.find("morris-tiny", tmp_path)
    frame = results.compute(folder, "sensitivity")
    assert set(frame.parameter) == {"tailored_access", "family_contact", "dummy"}
    assert results.table(folder, "sensitivity.csv") is not None
