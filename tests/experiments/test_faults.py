"""Faults while running (issue 10): a full disk, a file-size limit, a killed worker, a lost Dask
scheduler, a driver killed as its forkserver starts; and sensitivity at a horizon where an
outcome is undefined in every run.

Faults are injected, not provoked by mounts or timing loops: ENOSPC raised where parts and
results are written, RLIMIT_FSIZE in a subprocess, a worker killed by its pid, futures
cancelled as Dask cancels them when the scheduler is lost, and a pause hook
(``REINTEGRATION_PAUSE_AFTER_FORKSERVER``) that holds the driver or the forkserver right
after the server starts, so the kill lands in that window every time.
"""

from __future__ import annotations

import builtins
import errno
import os
import resource
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from cli_helpers import ROOT, Done, alive, assert_one_line, cli, cli_process, cmdline, descendants

from experiments import batch, store
from experiments.analysis import UndefinedOutcomeWarning, sensitivity
from experiments.spec import load_experiment

GRID = ('title = "g"\ndescription = "d"\nreplications = {reps}\nmonths = 24\nseed = 5\n[outcomes]\n'
        'keep = ["reintegration_index", "reoffended_any_cum"]\nat = "{at}"\n[design]\nkind = "grid"\n[design.grid]\n'
        'family_contact = [0.1, 0.9]\ncoordination_per_year = [1.0, 12.0]\n')


def grid_file(tmp_path: Path, reps: int = 2, at: str = "end") -> Path:
    path = tmp_path / "grid.toml"
    path.write_text(GRID.format(reps=reps, at=at))
    return path


def completes(path: Path, out: Path, planned: int) -> None:
    """Resuming after the fault finishes the plan with every run once and no temporary file left."""
    batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
    st = store.status(out)
    assert (st["finished"], st["remaining"]) == (planned, 0), st
    assert store.read_results(out).drop_duplicates(["run_id"])["run_id"].tolist() == list(range(planned))
    assert not list(out.rglob(".*.tmp"))


def no_space(monkeypatch, where, after: int = 0):
    """Fault injection: ENOSPC from the writer ``where`` once ``after`` writes have succeeded."""
    calls = [0]

    def fail_or(real):
        def write(*args, **kwargs):
            target = str(args[1] if real is real_write_table else args[0])
            if where(target):
                calls[0] += 1
                if calls[0] > after:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
            return real(*args, **kwargs)

        return write

    real_write_table, real_open = pq.write_table, builtins.open
    monkeypatch.setattr(pq, "write_table", fail_or(real_write_table))
    monkeypatch.setattr(builtins, "open", lambda file, mode="r", *a, **k: (
        fail_or(real_open)(file, mode, *a, **k) if isinstance(file, (str, os.PathLike)) and any(m in mode for m in "wax")
        else real_open(file, mode, *a, **k)))


# --- a full disk -------------------------------------------------------------------------------------
def disk_full_in_the_part_writer(tmp_path, monkeypatch, capsys):
    path, out = grid_file(tmp_path), tmp_path / "out"
    no_space(monkeypatch, lambda target: "/parts/" in target, after=2)
    done = cli(capsys, "experiment", "run", path, "--out", out, "--workers", "1", "--batch", "1")
    assert_one_line(done, "No space left on device", "2 finished runs are saved", "same command")
    monkeypatch.undo()
    completes(path, out, 8)


def disk_full_writing_the_manifest(tmp_path, monkeypatch, capsys):
    path, out = grid_file(tmp_path), tmp_path / "out"
    no_space(monkeypatch, lambda target: ".manifest.json." in target)
    done = cli(capsys, "experiment", "run", path, "--out", out, "--workers", "1")
    assert_one_line(done, "No space left on device", "manifest.json")
    monkeypatch.undo()
    completes(path, out, 8)


def disk_full_in_run(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    no_space(monkeypatch, lambda target: target.startswith(str(out)))
    assert_one_line(cli(capsys, "run", "baseline", "--months", "12", "--out", out), "No space left on device", str(out))


def disk_full_in_compare(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    # a comparison is written into a hidden sibling folder and renamed into place (experiments.compare_folder.save)
    no_space(monkeypatch, lambda target: target.startswith(str(tmp_path / ".out.partial-")))
    done = cli(capsys, "compare", "baseline", "overcrowding_crisis", "--reps", "2", "--months", "120", "--workers", "1",
               "--out", out)
    assert_one_line(done, "No space left on device", str(out))
    assert not out.exists() and not list(tmp_path.glob(".out.partial-*"))  # nothing half-written is left


def disk_full_in_summarize(tmp_path, monkeypatch, capsys):
    path, out = grid_file(tmp_path), tmp_path / "out"
    batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
    no_space(monkeypatch, lambda target: "summary" in target)
    assert_one_line(cli(capsys, "experiment", "summarize", out), "No space left on device", "summary")


# --- a file-size limit (RLIMIT_FSIZE in a subprocess) ------------------------------------------------
def limit_file_size(size: int):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return set_limit


def file_size_limit_in_an_experiment(tmp_path, monkeypatch, capsys):
    """Resuming a half-finished folder under a file-size limit smaller than a part file (the manifest is written)."""
    path, out = grid_file(tmp_path), tmp_path / "out"
    batch.run_experiment(load_experiment(path), out, workers=1, batch=1, progress=False)
    for part in store.part_files(out)[4:]:
        part.unlink()
    done = cli_process("experiment", "run", path, "--out", out, "--workers", "1", "--batch", "1",
                       preexec=limit_file_size(2_000))
    assert_one_line(done, "File too large", "4 finished runs are saved", "same command")
    completes(path, out, 8)


def file_size_limit_in_run(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    done = cli_process("run", "baseline", "--months", "120", "--out", out, preexec=limit_file_size(16_000))
    assert_one_line(done, "File too large", str(out))


# --- a killed pool worker, a lost Dask scheduler -----------------------------------------------------
def a_killed_pool_worker(tmp_path, monkeypatch, capsys):
    path, out = grid_file(tmp_path, reps=5), tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out", str(out),
                             "--workers", "2", "--batch", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while len(list((out / "parts").glob("part-*.parquet"))) < 2 and time.time() < deadline:
        time.sleep(0.02)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    workers = [p for s in children if "forkserver" in cmdline(int(s)) for p in descendants(int(s))]
    assert workers, "the pool should have workers"
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's OOM killer would
    _, err = proc.communicate(timeout=120)
    assert_one_line(Done(proc.returncode, "", err), "worker", "finished runs are saved", "same command")
    completes(path, out, 20)


class LostScheduler:
    """An executor whose futures are cancelled after ``ok`` results, as Dask cancels every future when the client
    loses its scheduler (``FutureCancelledError``, a ``CancelledError``)."""

    def __init__(self, ok: int):
        self.ok = ok

    def submit(self, fn, *args, **kwargs):
        future = Future()
        if self.ok > 0:
            self.ok -= 1
            future.set_result(fn(*args, **kwargs))
        else:
            future.cancel()
            future.set_running_or_notify_cancel()
        return future


def a_lost_dask_scheduler(tmp_path, monkeypatch, capsys):
    path, out = grid_file(tmp_path), tmp_path / "out"

    @contextmanager
    def lost(workers, dask):
        yield LostScheduler(ok=3)

    monkeypatch.setattr(batch, "executor_for", lost)
    done = cli(capsys, "experiment", "run", path, "--out", out, "--workers", "2", "--batch", "1")
    assert_one_line(done, "lost", "3 finished runs are saved", "same command")
    monkeypatch.undo()
    completes(path, out, 8)


SCHEDULER = """
import sys, time
from distributed import LocalCluster
cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
                       dashboard_address=None)
print(cluster.scheduler_address, flush=True)
time.sleep(600)
"""


def a_real_dask_scheduler_killed(tmp_path, monkeypatch, capsys):
    """A scheduler (with its worker, in one process) killed while the experiment runs on it."""
    path, out = grid_file(tmp_path, reps=5), tmp_path / "out"
    scheduler = subprocess.Popen([sys.executable, "-c", SCHEDULER], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True)
    try:
        address = scheduler.stdout.readline().strip()
        assert address.startswith("tcp://"), address
        proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out",
                                 str(out), "--dask", address, "--batch", "1"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 120
        while len(list((out / "parts").glob("part-*.parquet"))) < 2 and time.time() < deadline:
            time.sleep(0.02)
    finally:
        scheduler.kill()
        scheduler.wait()
    _, err = proc.communicate(timeout=120)
    assert_one_line(Done(proc.returncode, "", err), "Dask", "finished runs are saved", "same command")
    completes(path, out, 20)


# --- the driver killed right after its forkserver starts ----------------------------------------------
def killed_as_the_forkserver_starts(where: str):
    """The pause hook holds the driver (after it started the server) or the server (before its guard, while the
    driver waits for its first worker); the driver is then killed with SIGKILL, alone. Nothing may outlive it."""

    def case(tmp_path, monkeypatch, capsys):
        path, out = grid_file(tmp_path, reps=10), tmp_path / "out"
        env = {**os.environ, "REINTEGRATION_PAUSE_AFTER_FORKSERVER": f"{where}:3"}
        proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out", str(out),
                                 "--workers", "2", "--batch", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env=env, start_new_session=True)
        deadline = time.time() + 60
        line = ""
        while "paused" not in line and time.time() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
        assert "paused" in line, "the pause hook was not reached"
        if where == "server":
            time.sleep(1.0)  # the driver has asked the paused server for a worker
        family = descendants(proc.pid)
        proc.kill()
        proc.wait()
        deadline = time.time() + 20
        while time.time() < deadline:
            group = [int(p) for p in subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True,
                                                    text=True).stdout.split()]
            survivors = [p for p in set(group) | set(family) if alive(p)]
            if not survivors:
                break
            time.sleep(0.2)
        for p in survivors:
            os.kill(p, signal.SIGKILL)
        assert not survivors, [cmdline(p)[:120] for p in survivors]

    return case


# --- SIGTERM (a scheduler's or a shutdown's kill) while runs are in flight ------------------------------------
def terminated_while_running(command: str):
    """SIGTERM to the driver once its pool works: one line of its own, exit status 143, no leaked-semaphore warning,
    no process left, and for compare nothing half-written (for an experiment: the finished runs, resumable)."""

    def case(tmp_path, monkeypatch, capsys):
        out = tmp_path / "out"
        words = (["compare", "--reps", "3000", "--months", "180"] if command == "compare" else
                 ["experiment", "run", str(grid_file(tmp_path, reps=200)), "--batch", "1"])
        proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), *words, "--workers", "2", "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        def working() -> bool:  # runs in flight: the forkserver has forked workers (and an experiment saved a part)
            servers = [p for p in descendants(proc.pid) if "forkserver" in cmdline(p)]
            return any(descendants(p) for p in servers) and (command == "compare" or bool(list(out.glob("parts/part-*"))))

        deadline = time.time() + 120
        while time.time() < deadline and not working():
            time.sleep(0.05)
        family = descendants(proc.pid)
        assert family, "the pool should have started"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
        lines = err.strip().splitlines()
        assert proc.returncode == 143 and len(lines) == 1 and lines[0].startswith("terminated (SIGTERM)"), err
        assert "leaked" not in err and "Traceback" not in err, err
        deadline = time.time() + 20
        while any(alive(p) for p in family) and time.time() < deadline:
            time.sleep(0.2)
        assert not [p for p in family if alive(p)], "processes outlived the driver"
        if command == "compare":
            assert not out.exists() and not [p.name for p in tmp_path.iterdir() if ".partial-" in p.name]
        else:
            assert "finished runs are saved" in err and store.status(out)["finished"] > 0

    return case


FAULTS = {
    "sigterm-during-compare": terminated_while_running("compare"),
    "sigterm-during-an-experiment": terminated_while_running("experiment"),
    "disk-full-in-the-part-writer": disk_full_in_the_part_writer,
    "disk-full-writing-the-manifest": disk_full_writing_the_manifest,
    "disk-full-in-run": disk_full_in_run,
    "disk-full-in-compare": disk_full_in_compare,
    "disk-full-in-summarize": disk_full_in_summarize,
    "file-size-limit-in-an-experiment": file_size_limit_in_an_experiment,
    "file-size-limit-in-run": file_size_limit_in_run,
    "killed-pool-worker": a_killed_pool_worker,
    "lost-dask-scheduler": a_lost_dask_scheduler,
    "real-dask-scheduler-killed": a_real_dask_scheduler_killed,
    "driver-killed-while-the-forkserver-starts": killed_as_the_forkserver_starts("server"),
    "driver-killed-right-after-starting-the-forkserver": killed_as_the_forkserver_starts("driver"),
}


@pytest.mark.parametrize("case", list(FAULTS))
def test_faults_say_what_is_saved_and_how_to_resume(tmp_path, monkeypatch, capsys, case):
    FAULTS[case](tmp_path, monkeypatch, capsys)


# --- sensitivity where an outcome is undefined in every run ------------------------------------------
SENSITIVITY = ('title = "s"\ndescription = "d"\nreplications = 1\nmonths = 3\n[outcomes]\nkeep = {keep}\n'
               '[design]\nkind = "{kind}"\nsamples = {samples}\nparameters = ["tie_gain", "ll_outreach"]\n')
UNDEFINED = {  # at month 3 nobody has been released: housed_at_release is NaN in every run
    "morris-only-an-undefined-outcome": ("morris", 3, ["housed_at_release"]),
    "morris-undefined-and-defined-outcomes": ("morris", 3, ["housed_at_release", "linking"]),
    "sobol-undefined-and-defined-outcomes": ("sobol", 32, ["housed_at_release", "linking"]),
    "morris-through-the-command-line": ("morris-cli", 3, ["housed_at_release", "linking"]),
    "a-point-without-runs-is-still-refused": ("morris-missing", 3, ["housed_at_release", "linking"]),
}


@pytest.mark.parametrize("case", list(UNDEFINED))
def test_sensitivity_where_an_outcome_is_undefined_in_every_run(tmp_path, capsys, case):
    kind, samples, keep = UNDEFINED[case]
    path, out = tmp_path / "s.toml", tmp_path / "out"
    path.write_text(SENSITIVITY.format(keep=str(keep).replace("'", '"'), kind=kind.split("-")[0], samples=samples))
    # a part file per run, so that deleting one leaves a design point without runs
    batch.run_experiment(load_experiment(path), out, workers=1, batch=1 if kind == "morris-missing" else None,
                         progress=False)
    if kind == "morris-missing":
        store.part_files(out)[0].unlink()
        with pytest.raises(store.ResultsError, match="have no finished run"):
            sensitivity(out)
        return
    if kind == "morris-cli":
        done = cli(capsys, "experiment", "sensitivity", out)
        assert done.code == 0, done.err
        assert "no finished run" not in done.err and "housed_at_release" in done.err and "linking" in done.out
        return
    with pytest.warns(UndefinedOutcomeWarning, match="housed_at_release: no value"):
        table = sensitivity(out)[0]
    value = "mu_star" if kind == "morris" else "ST"
    undefined = table[table.outcome == "housed_at_release"]
    assert len(undefined) == 3 and undefined[value].isna().all()
    if "linking" in keep:
        defined = table[table.outcome == "linking"].set_index("parameter")[value]
        assert np.isfinite(defined).all() and defined["tie_gain"] > 0


@pytest.mark.parametrize("command", ["summarize", "sensitivity"])
def test_a_folder_whose_part_files_are_all_gone_is_refused_in_one_line(tmp_path, capsys, command):
    path, out = tmp_path / "s.toml", tmp_path / "out"
    path.write_text(SENSITIVITY.format(keep='["linking"]', kind="morris", samples=3))
    batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
    for part in store.part_files(out):
        part.unlink()
    done = cli(capsys, "experiment", command, out)
    assert done.code != 0 and "no finished run" in done.err
    assert "Traceback" not in done.err and len(done.err.strip().splitlines()) == 1
