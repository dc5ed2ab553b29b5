"""Batch experiments: executors agree, a SIGKILL loses nothing finished, failures are recorded."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments import batch, store
from experiments.analysis import sensitivity, summarize
from experiments.spec import load_experiment

ROOT = Path(__file__).resolve().parents[2]
GRID = ('title = "g"\ndescription = "d"\nreplications = 2\nmonths = 24\nseed = 5\n[outcomes]\n'
        'keep = ["reintegration_index", "reoffended_any_cum"]\n[design]\nkind = "grid"\n[design.grid]\n'
        'family_contact = [0.1, 0.9]\ncoordination_per_year = [1.0, 12.0]\n')


def comparable(out: Path) -> pd.DataFrame:
    return store.read_results(out).drop(columns=["wall_time"]).reset_index(drop=True)


@pytest.fixture
def grid_file(tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text(GRID)
    return path


def test_serial_process_pool_and_dask_give_identical_tables(tmp_path, grid_file):
    exp = load_experiment(grid_file)
    batch.run_experiment(exp, tmp_path / "serial", workers=1, progress=False)
    batch.run_experiment(exp, tmp_path / "pool", workers=2, batch=3, progress=False)
    batch.run_experiment(exp, tmp_path / "dask", workers=2, dask="local", batch=2, progress=False)
    serial = comparable(tmp_path / "serial")
    assert len(serial) == 8 and (serial["status"] == "ok").all()
    pd.testing.assert_frame_equal(serial, comparable(tmp_path / "pool"))
    pd.testing.assert_frame_equal(serial, comparable(tmp_path / "dask"))


@pytest.fixture
def failing_last_point(monkeypatch):
    """Runs of the last design point (family_contact 0.9, 12 meetings) raise; a batch holding one fails as a whole
    and its runs are retried one by one. Calling the fixture's value restores the real model."""
    from model import api

    real, real_batch = api.run, api.run_batch

    def broken(values):
        return values["family_contact"] == 0.9 and values["coordination_per_year"] == 12.0

    def flaky(scenario, seed, months, overrides):
        if broken(overrides):
            raise RuntimeError("synthetic failure")
        return real(scenario, seed=seed, months=months, overrides=overrides)

    def flaky_batch(runs, months):
        if any(broken(s.timeline().values_at(0)) for s, _ in runs):
            raise RuntimeError("synthetic failure")
        return real_batch(runs, months=months)

    monkeypatch.setattr(api, "run", flaky)
    monkeypatch.setattr(api, "run_batch", flaky_batch)
    return lambda: (monkeypatch.setattr(api, "run", real), monkeypatch.setattr(api, "run_batch", real_batch))


def test_a_run_that_raises_is_recorded_and_the_rest_finish(tmp_path, grid_file, failing_last_point):
    report = batch.run_experiment(load_experiment(grid_file), tmp_path / "out", workers=1, progress=False)
    assert report.ran == 8 and report.failed == 2
    st = store.status(tmp_path / "out")
    assert st["finished"] == 6 and st["failed"] == 2 and st["remaining"] == 0
    assert all("RuntimeError: synthetic failure" in f["error"] and f["seed"] > 0 for f in st["failures"])


def test_sigkill_partway_then_resume_equals_an_uninterrupted_run(tmp_path):
    path = tmp_path / "many.toml"
    path.write_text(GRID.replace("replications = 2", "replications = 10"))
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    batch.run_experiment(load_experiment(path), clean, workers=1, progress=False)

    cmd = [sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out", str(killed),
           "--workers", "2", "--batch", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while len(list((killed / "parts").glob("part-*.parquet"))) < 5 and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its workers, mid-experiment
    proc.wait()
    partial = store.status(killed)
    assert 5 <= partial["finished"] < 40, partial  # killed partway, finished runs kept

    report = batch.run_experiment(load_experiment(path), killed, workers=2, progress=False)
    assert report.skipped == partial["finished"] and report.ran == 40 - partial["finished"]
    resumed = comparable(killed)
    assert resumed["run_id"].is_unique and len(resumed) == 40
    pd.testing.assert_frame_equal(comparable(clean), resumed)
    assert not list((killed / "parts").glob(".*.tmp"))


def test_resuming_a_finished_experiment_runs_nothing_and_a_changed_plan_is_refused(tmp_path, grid_file):
    out = tmp_path / "out"
    batch.run_experiment(load_experiment(grid_file), out, workers=1, progress=False)
    again = batch.run_experiment(load_experiment(grid_file), out, workers=1, progress=False)
    assert again.ran == 0 and again.skipped == 8
    with pytest.raises(store.ResultsError, match="holds a different plan"):
        batch.run_experiment(load_experiment(grid_file, reps=3), out, workers=1, progress=False)


def test_resuming_runs_only_missing_runs_and_failed_ones_on_request(tmp_path, grid_file, failing_last_point):
    out = tmp_path / "out"
    restore = failing_last_point
    batch.run_experiment(load_experiment(grid_file), out, workers=1, batch=1, progress=False)  # runs 6 and 7 fail
    for part in store.part_files(out):
        if pd.read_parquet(part)["run_id"].iat[0] in (0, 3, 4):
            part.unlink()
    restore()
    batch.run_experiment(load_experiment(grid_file), tmp_path / "clean", workers=1, progress=False)
    again = batch.run_experiment(load_experiment(grid_file), out, workers=2, batch=2, progress=False)
    assert (again.skipped, again.ran, again.failed) == (5, 3, 0) and store.status(out)["failed"] == 2
    retried = batch.run_experiment(load_experiment(grid_file), out, workers=1, retry_failed=True, progress=False)
    assert (retried.skipped, retried.ran, retried.failed) == (6, 2, 0)
    assert (store.status(out)["finished"], store.status(out)["failed"]) == (8, 0)  # the retries count, not the failures
    ok = comparable(out).query("status == 'ok'").reset_index(drop=True)
    pd.testing.assert_frame_equal(ok, comparable(tmp_path / "clean"))


def test_a_corrupted_results_folder_is_named_in_the_error(tmp_path, grid_file):
    out = tmp_path / "out"
    batch.run_experiment(load_experiment(grid_file), out, workers=1, batch=4, progress=False)
    store.part_files(out)[0].write_bytes(b"not parquet at all")
    with pytest.raises(store.ResultsError, match="unreadable Parquet part"):
        store.status(out)
    for damaged in ("{broken", "42", "[]"):  # unreadable, or valid JSON that is not a manifest
        (out / "manifest.json").write_text(damaged)
        with pytest.raises(store.ResultsError, match="corrupted manifest"):
            store.status(out)


def test_summary_and_morris_indices_on_the_model(tmp_path):
    path = tmp_path / "morris.toml"
    path.write_text('title = "m"\ndescription = "d"\nreplications = 1\nmonths = 60\n[outcomes]\nkeep = ["linking"]\n'
                    '[design]\nkind = "morris"\nsamples = 3\nparameters = ["tie_gain", "cost_meeting"]\n')
    out = tmp_path / "out"
    batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
    table, csv, html = summarize(out)
    assert csv.exists() and html.exists() and len(table) == 3 * (3 + 1)  # trajectories x (params + dummy + 1)
    idx, csv, html = sensitivity(out)
    idx = idx.set_index("parameter")
    # tie strength drives linking capital; the cost of a meeting and the dummy do not
    assert idx.loc["tie_gain", "mu_star"] > 0 and idx.loc["cost_meeting", "mu_star"] == 0  # ignored entirely
    assert idx.loc["dummy", "mu_star"] > 0  # the dummy changes only the luck: chance alone
    assert "<script src" not in html.read_text()


def test_experiment_cli_status_and_errors(tmp_path, grid_file):
    out = tmp_path / "out"
    run = lambda *a: subprocess.run([sys.executable, str(ROOT / "run.py"), "experiment", *a], capture_output=True, text=True, timeout=300)
    done = run("run", str(grid_file), "--out", str(out), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "planned 8, finished 8, failed 0, remaining 0" in run("status", str(out)).stdout
    bad = run("status", str(tmp_path / "nowhere"))
    assert bad.returncode == 2 and "not an experiment results folder" in bad.stderr and "Traceback" not in bad.stderr
    grid_sens = run("sensitivity", str(out))
    assert grid_sens.returncode == 2 and "has no sensitivity indices" in grid_sens.stderr


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path):
    """The driver must start with Ctrl-C handled. A child inherits an ignored SIGINT (a shell ignores it in background
    jobs, as when the suite itself runs in the background): then the driver never sees Ctrl-C, runs everything and
    exits 0, which is how this test once failed. So the child is started from a process that handles SIGINT."""
    path = tmp_path / "many.toml"
    path.write_text(GRID.replace("replications = 2", "replications = 10"))
    out = tmp_path / "out"
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)  # a Python handler becomes SIG_DFL in the child
    try:
        proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out", str(out),
                                 "--workers", "2", "--batch", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, inherited)
    deadline = time.time() + 120
    while len(list((out / "parts").glob("part-*.parquet"))) < 2 and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Resume with the same command" in err and "Traceback" not in err, err[-500:]
    report = batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
    assert report.skipped >= 2 and report.skipped + report.ran == 40


def test_killing_the_driver_alone_leaves_no_orphan_workers(tmp_path):
    """kill -9 of the driver process only (not its group): its pool processes must go too."""
    path = tmp_path / "many.toml"
    path.write_text(GRID.replace("replications = 2", "replications = 10"))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out", str(out),
                             "--workers", "2", "--batch", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(list((out / "parts").glob("part-*.parquet"))) < 2 and time.time() < deadline:
        time.sleep(0.05)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert children, "the driver should have started a pool"
    proc.kill()
    proc.wait()
    deadline = time.time() + 15  # a worker dies at once; allow for a loaded machine
    survivors = children
    while survivors and time.time() < deadline:
        time.sleep(0.2)
        survivors = [pid for pid in children if _alive(pid)]
    assert not survivors, f"orphaned pool processes: {[Path(f'/proc/{p}/cmdline').read_text()[:80] for p in survivors]}"


def _alive(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"  # zombies are dead
    except OSError:
        return False
