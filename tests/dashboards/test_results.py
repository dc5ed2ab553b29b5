"""Results folders: only those found under the configured root, never a typed path."""

import os
import shutil
import threading
import time

import pandas as pd
import pytest

from dashboards import charts, results, theme
from experiments import analysis, store


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


def test_a_comparison_being_written_or_left_by_a_killed_save_is_not_listed(results_root, tmp_path):
    for hidden in (".compare-small.partial-abcdefgh", ".compare-small.old-0123456789ab"):
        shutil.copytree(results_root / "compare-small", tmp_path / hidden)
    shutil.copytree(results_root / "compare-small", tmp_path / "compare-small")
    assert [f.name for f in results.folders(tmp_path)] == ["compare-small"]


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


def test_a_vanished_or_damaged_folder_is_returned_as_an_error_not_raised(results_root, tmp_path):
    shutil.copytree(results_root / "morris-tiny", tmp_path / "morris-tiny")
    assert isinstance(results.attempt(lambda: results.open_folder("gone", tmp_path)), LookupError)
    (tmp_path / "morris-tiny" / "summary.csv").write_text("scenario,point,tailored_access\nbaseline,0,zero\n")
    damaged = results.attempt(lambda: results.open_folder("morris-tiny", tmp_path))
    assert isinstance(damaged, store.ResultsError) and "missing columns: family_contact, stably_housed_mean" in str(damaged)
    (tmp_path / "morris-tiny" / "summary.csv").write_text(
        (results_root / "morris-tiny" / "summary.csv").read_text().replace(",0.15,", ",a lot,"))
    assert "text instead of numbers: reoffended_any_cum_mean" in str(
        results.attempt(lambda: results.open_folder("morris-tiny", tmp_path)))
    with pytest.raises(TypeError):  # a programming error is not hidden as a reading error
        results.attempt(lambda: len(None))


def test_one_computation_per_folder_at_a_time_whichever_session_asks(monkeypatch, tmp_path):
    running, most, guard = [0], [0], threading.Lock()
    both = threading.Barrier(2, timeout=10)  # two folders: computed side by side, or the barrier breaks

    def summarize(out):
        if out.name.startswith("other"):
            both.wait()
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.1)
        with guard:
            running[0] -= 1
        return pd.DataFrame(), out / "summary.csv", out / "summary.html"

    monkeypatch.setattr(analysis, "summarize", summarize)
    same = [results.Folder("one", "experiment", tmp_path / "one")] * 3
    others = [results.Folder(name, "experiment", tmp_path / name) for name in ("other-a", "other-b")]
    for folders, expected in ((same, 1), (others, 2)):
        most[0] = 0
        threads = [threading.Thread(target=results.compute, args=(folder, "summary")) for folder in folders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert most[0] == expected


def test_experiment_points_tell_scenarios_apart_by_symbol_not_only_colour():
    summary = pd.DataFrame({"scenario": ["baseline", "living_lab", "full_sra"], "dual_share": [0.2, 0.3, 0.4],
                            **{f"stably_housed_{s}": [0.5, 0.6, 0.7] for s in ("mean", "ci_low", "ci_high")}})
    fig = charts.design_points(summary, ["dual_share"], "stably_housed", "en")
    assert len({tr.marker.symbol for tr in fig.data}) == len({tr.marker.color for tr in fig.data}) == 3
    assert fig.layout.colorway == theme.SERIES  # traces without a colour of their own stay colour-blind safe


@pytest.mark.parametrize("folder, name", [("morris-tiny", "summary.csv"), ("morris-tiny", "manifest.json"),
                                          ("morris-tiny", "part"), ("compare-small", "summary.csv"),
                                          ("compare-small", "comparison.json")])
def test_a_named_pipe_in_a_folder_never_blocks_the_page(results_root, tmp_path, folder, name):
    """Opening a folder where a file is a FIFO nobody writes to returns an error within seconds (a read would block
    the page's thread, and the server's shutdown, for ever)."""
    shutil.copytree(results_root / folder, tmp_path / folder)
    target = sorted((tmp_path / folder / "parts").iterdir())[0] if name == "part" else tmp_path / folder / name
    target.unlink()
    os.mkfifo(target)
    found = []
    reader = threading.Thread(target=lambda: found.append(results.attempt(lambda: results.open_folder(folder, tmp_path))),
                              daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert found, "opening the folder blocked"
    error = found[0]
    if name in results.KINDS:  # its marker is not a file: the folder is not listed at all
        assert isinstance(error, LookupError)
    else:
        assert isinstance(error, store.ResultsError) and "named pipe (FIFO)" in str(error) and target.name in str(error)
