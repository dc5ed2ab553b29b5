"""Results folders are never mixed or counted twice (issue 10, "silent corruption").

One parametrised test whose rows are the cases tried: two writers on one folder, a run id
counted twice, a resume after something that defines the runs changed (a scenario, its
parent, the parameter registry, the model's code or version, the experiment file), parts
from another experiment, hand-edited manifests and parts, designs that cannot be resumed,
and folders written before fingerprints existed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow.parquet as pq
import pytest
from cli_helpers import ROOT, cli

from experiments import batch, store
from experiments.analysis import IncompleteWarning, sensitivity, summarize
from experiments.spec import ExperimentError, load_experiment

MORRIS = ('title = "m"\ndescription = "d"\nreplications = 2\nmonths = 12\n[outcomes]\nkeep = ["linking"]\n'
          '[design]\nkind = "morris"\nsamples = 3\nparameters = ["tie_gain", "cost_meeting"]\n')
SCENARIO = 'title = "s"\ndescription = "d"\nparent = "{parent}"\n[parameters]\ntrauma_sensitive = {trauma_sensitive}\n'
REAL = ('title = "r"\ndescription = "d"\nscenarios = ["{scenario}"]\nreplications = 10\nmonths = 36\nseed = 5\n'
        '[outcomes]\nkeep = ["reintegration_index"]\n[design]\nkind = "grid"\n[design.grid]\n'
        'family_contact = [0.1, 0.9]\ncoordination_per_year = [1.0, 12.0]\n')
FINGERPRINT_KEYS = ("fingerprint", "definition")  # what folders written before fingerprints lack
REAL_RUN = __import__("model.api", fromlist=["run"]).run


@pytest.fixture
def stand_in(monkeypatch):
    """A stand-in model whose outcome is tie_gain plus the seed's luck (fast, in this process)."""
    from model import api

    def model(scenario, seed, months, overrides):
        return SimpleNamespace(final=lambda: {"linking": overrides["tie_gain"] + seed % 1000 / 1e6})

    monkeypatch.setattr(api, "run", model)


def experiment(tmp_path: Path, text: str = MORRIS, name: str = "morris.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def finished(tmp_path: Path, text: str = MORRIS, batch_size: int = 4) -> tuple[Path, Path]:
    """A finished 24-run Morris folder (stand-in model) and its experiment file."""
    path, out = experiment(tmp_path, text), tmp_path / "out"
    batch.run_experiment(load_experiment(path), out, workers=1, batch=batch_size, progress=False)
    return path, out


def readers(path: Path):
    return {"status": store.status, "summarize": summarize, "sensitivity": sensitivity,
            "resume": lambda out: batch.run_experiment(load_experiment(path), out, workers=1, progress=False)}


def all_refuse(path: Path, out: Path, *fragments: str, only: tuple[str, ...] = ()) -> None:
    """Every reader (status, summarize, sensitivity, resume) refuses the folder in one line holding the fragments."""
    for name, read in readers(path).items():
        if only and name not in only:
            continue
        with pytest.raises(store.ResultsError) as err:
            read(out)
        message = str(err.value)
        assert "\n" not in message and all(f in message for f in fragments), (name, message)


def rewrite_manifest(out: Path, **changes) -> None:
    manifest = json.loads((out / "manifest.json").read_text())
    for key, value in changes.items():
        if value is KeyError:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    (out / "manifest.json").write_text(json.dumps(manifest))


def rewrite_part(part: Path, change) -> None:
    frame = pd.read_parquet(part)
    pq.write_table(__import__("pyarrow").Table.from_pandas(change(frame), preserve_index=False), part)


# --- two writers ---------------------------------------------------------------------------------
def two_writers_race(tmp_path, monkeypatch):
    """Two real `experiment run` commands started together on one folder: one writes, the other is refused."""
    path, out = experiment(tmp_path, REAL.format(scenario="baseline")), tmp_path / "out"
    cmd = [sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out", str(out), "--workers", "1",
           "--batch", "1"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    refused = next(err for code, _, err in results if code == 2).strip()
    assert "\n" not in refused and "another" in refused and "Traceback" not in refused, refused
    rows = store.read_results(out)
    assert rows["run_id"].is_unique and len(rows) == 40
    st = store.status(out)
    assert (st["planned"], st["finished"], st["remaining"]) == (40, 40, 0)
    assert (summarize(out)[0]["runs"] == 10).all()


def a_live_writer_holds_the_folder(tmp_path, monkeypatch):
    """While another process holds the folder's lock, a second writer is refused at once, in one line."""
    path, out = finished(tmp_path)
    for part in store.part_files(out)[:2]:
        part.unlink()
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\n"
                               f"f = open({str(out / store.LOCK)!r}, 'a'); fcntl.flock(f, fcntl.LOCK_EX)\n"
                               "print('locked', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(store.ResultsError) as err:
            batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
        assert "another" in str(err.value) and "\n" not in str(err.value)
        assert store.status(out)["remaining"] == 8  # nothing written by the refused writer
    finally:
        holder.kill()
        holder.wait()
    report = batch.run_experiment(load_experiment(path), out, workers=1, progress=False)  # a dead holder leaves no lock
    assert report.ran == 8


def a_lock_left_by_a_killed_writer_does_not_block(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os\n"
                               f"f = open({str(out / '.lock')!r}, 'a'); fcntl.flock(f, fcntl.LOCK_EX)\n"
                               "os.kill(os.getpid(), 9)"])
    holder.wait()
    for part in store.part_files(out)[:1]:
        part.unlink()
    assert batch.run_experiment(load_experiment(path), out, workers=1, progress=False).ran == 4


# --- counted once ----------------------------------------------------------------------------------
def a_part_copied_twice_counts_once(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    summary, indices = summarize(out)[0], sensitivity(out)[0]
    first = store.part_files(out)[0]
    shutil.copy(first, first.with_name("part-copy00000000.parquet"))
    assert store.status(out)["finished"] == 24 and store.status(out)["remaining"] == 0
    assert len(store.read_results(out)) == 24
    pd.testing.assert_frame_equal(summarize(out)[0], summary)
    pd.testing.assert_frame_equal(sensitivity(out)[0], indices)
    assert batch.run_experiment(load_experiment(path), out, workers=1, progress=False).ran == 0


# --- what defines the runs changed between runs ----------------------------------------------------
def scenario_edited_between_kill_and_resume(tmp_path, monkeypatch):
    """kill -9 partway, edit a scenario the experiment names, resume: refused, saying which scenario and parameter."""
    from model import api

    monkeypatch.setattr(api, "run", REAL_RUN)  # the real model, as in the killed process
    scenario = tmp_path / "mine.toml"
    scenario.write_text(SCENARIO.format(parent="baseline", trauma_sensitive=0.5))
    path, out = experiment(tmp_path, REAL.format(scenario=scenario)), tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "experiment", "run", str(path), "--out", str(out),
                             "--workers", "1", "--batch", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(list((out / "parts").glob("part-*.parquet"))) < 3 and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    parts = store.part_files(out)
    assert 3 <= len(parts) < 40
    scenario.write_text(SCENARIO.format(parent="baseline", trauma_sensitive=0.6))
    with pytest.raises(store.ResultsError) as err:
        batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
    assert "mine" in str(err.value) and "trauma_sensitive" in str(err.value) and "\n" not in str(err.value), err.value
    assert store.part_files(out) == parts  # nothing written
    scenario.write_text(SCENARIO.format(parent="baseline", trauma_sensitive=0.5))  # restored: resumes (the lock is free)
    report = batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
    assert report.skipped == len(parts) and report.skipped + report.ran == 40


def a_parent_scenario_edited(tmp_path, monkeypatch):
    parent, child = tmp_path / "p.toml", tmp_path / "c.toml"
    parent.write_text('title = "p"\ndescription = "d"\n[parameters]\nfamily_centred = 0.1\n')
    child.write_text(SCENARIO.format(parent="p.toml", trauma_sensitive=0.5))
    path, out = finished(tmp_path, MORRIS.replace('months = 12', f'months = 12\nscenarios = ["{child}"]'))
    store.part_files(out)[0].unlink()
    parent.write_text('title = "p"\ndescription = "d"\n[parameters]\nfamily_centred = 0.2\n')
    all_refuse(path, out, "scenario c", "family_centred", only=("resume",))


def a_scenario_phase_edited(tmp_path, monkeypatch):
    child = tmp_path / "c.toml"
    phase = '[[phases]]\nstart = "{start}"\n[phases.parameters]\nliving_lab = true\n'
    child.write_text(SCENARIO.format(parent="baseline", trauma_sensitive=0.5) + phase.format(start="2026-01"))
    path, out = finished(tmp_path, MORRIS.replace('months = 12', f'months = 12\nscenarios = ["{child}"]'))
    store.part_files(out)[0].unlink()
    child.write_text(SCENARIO.format(parent="baseline", trauma_sensitive=0.5) + phase.format(start="2020-01"))
    all_refuse(path, out, "scenario c", "phases", only=("resume",))


def the_parameter_registry_changed(tmp_path, monkeypatch):
    from dataclasses import replace
    from types import MappingProxyType

    path, out = finished(tmp_path)
    store.part_files(out)[0].unlink()
    changed = dict(store.REGISTRY)
    changed["ll_dropout"] = replace(changed["ll_dropout"], high=0.9)
    monkeypatch.setattr(store, "REGISTRY", MappingProxyType(changed))  # the registry as the fingerprint reads it
    all_refuse(path, out, "registry", "ll_dropout", only=("resume",))


def the_model_code_changed(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    store.part_files(out)[0].unlink()
    copy = tmp_path / "model-copy"
    shutil.copytree(ROOT / "model", copy, ignore=shutil.ignore_patterns("__pycache__"))
    with open(copy / "submodels" / "release.py", "a") as fh:
        fh.write("\n# an edited rule\n")
    monkeypatch.setattr(store, "MODEL_SOURCES", copy)
    all_refuse(path, out, "model code", only=("resume",))


def the_model_version_changed(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    store.part_files(out)[0].unlink()
    monkeypatch.setattr(store, "__version__", "9.9.9")  # the version as the fingerprint reads it
    all_refuse(path, out, "model version", only=("resume",))


def the_experiment_file_edited(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    store.part_files(out)[0].unlink()
    path.write_text(MORRIS + "# a note added later\n")
    all_refuse(path, out, "experiment", only=("resume",))  # "experiment_hash" or "experiment file"


def the_replications_changed(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    with pytest.raises(store.ResultsError, match="replications"):
        batch.run_experiment(load_experiment(path, reps=3), out, workers=1, progress=False)


# --- parts that do not belong -----------------------------------------------------------------------
def a_part_from_another_experiment(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    other_path = experiment(tmp_path, MORRIS.replace("months = 12", "months = 12\nseed = 2"), "other.toml")
    batch.run_experiment(load_experiment(other_path), tmp_path / "other", workers=1, progress=False)
    foreign = out / "parts" / "part-foreign00000.parquet"
    shutil.copy(store.part_files(tmp_path / "other")[0], foreign)
    all_refuse(path, out, foreign.name)


def a_deleted_manifest_then_another_experiment(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    (out / "manifest.json").unlink()
    other_path = experiment(tmp_path, MORRIS.replace("months = 12", "months = 12\nseed = 2"), "other.toml")
    with pytest.raises(store.ResultsError) as err:
        batch.run_experiment(load_experiment(other_path), out, workers=1, progress=False)
    assert "part-" in str(err.value) and "\n" not in str(err.value), err.value
    assert not (out / "manifest.json").exists()
    report = batch.run_experiment(load_experiment(path), out, workers=1, progress=False)  # its own experiment: adopted
    assert (report.skipped, report.ran) == (24, 0)


def a_run_id_outside_the_plan(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    part = store.part_files(out)[0]
    rewrite_part(part, lambda f: f.assign(run_id=f["run_id"] + 1000))
    all_refuse(path, out, part.name, "outside")


def a_part_without_run_ids(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    part = store.part_files(out)[0]
    rewrite_part(part, lambda f: f.drop(columns=["run_id"]))
    all_refuse(path, out, part.name, "run_id")


def a_part_whose_rows_do_not_match_their_run_ids(tmp_path, monkeypatch):
    path, out = finished(tmp_path)
    part = store.part_files(out)[0]
    rewrite_part(part, lambda f: f.assign(point=f["point"] + 1))
    all_refuse(path, out, part.name, "point")


# --- hand-edited manifests ---------------------------------------------------------------------------
def edited(**changes):
    def case(tmp_path, monkeypatch):
        path, out = finished(tmp_path)
        rewrite_manifest(out, **changes)
        all_refuse(path, out, "manifest.json", next(iter(changes)))

    return case


# --- special files where a results file belongs: refused before they are opened (a FIFO would block) ------
def special_file(name: str):
    """``name`` in a finished folder replaced by a named pipe no one writes to: every reader refuses it in one line."""
    def case(tmp_path, monkeypatch):
        path, out = finished(tmp_path)
        target = store.part_files(out)[0] if name == "part" else out / name
        target.unlink()
        os.mkfifo(target)
        all_refuse(path, out, target.name, "named pipe (FIFO)",
                   only=("sensitivity", "resume") if name == "design.parquet" else ())  # the others never read it

    return case


# --- designs that cannot be resumed, refused before any folder ---------------------------------------
def refused_design(text: str, fragment: str):
    def case(tmp_path, monkeypatch):
        path, out = experiment(tmp_path, text), tmp_path / "out"
        with pytest.raises(ExperimentError) as err:
            batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
        assert fragment in str(err.value) and "\n" not in str(err.value), err.value
        assert not out.exists()

    return case


# --- folders from before fingerprints ---------------------------------------------------------------
def pre_fingerprint(points_in_manifest: bool):
    """Read-only with a warning; resuming is refused in one line saying the folder predates fingerprints."""

    def case(tmp_path, monkeypatch, capsys):
        path, out = finished(tmp_path)
        summary = summarize(out)[0]
        manifest = json.loads((out / "manifest.json").read_text())
        if points_in_manifest:
            manifest["points"] = store.read_design(out, manifest).to_pandas().to_numpy().tolist()
            for key in ("design", "n_points", "design_hash"):
                del manifest[key]
            (out / store.DESIGN).unlink()
        for key in FINGERPRINT_KEYS:
            manifest.pop(key, None)
        (out / "manifest.json").write_text(json.dumps(manifest))
        for part in store.part_files(out):
            rewrite_part(part, lambda f: f.drop(columns=[c for c in ("fingerprint",) if c in f.columns]))
        with pytest.warns(store.ReadOnlyWarning, match="predates fingerprints"):
            assert store.status(out)["finished"] == 24
        with pytest.warns(store.ReadOnlyWarning):
            pd.testing.assert_frame_equal(summarize(out)[0], summary)
        store.part_files(out)[0].unlink()
        with pytest.warns(store.ReadOnlyWarning), pytest.raises(store.ResultsError) as err:
            batch.run_experiment(load_experiment(path), out, workers=1, progress=False)
        assert "predates fingerprints" in str(err.value) and "\n" not in str(err.value)
        done = cli(capsys, "experiment", "status", out)
        assert done.code == 0 and done.err.strip().startswith("warning:") and done.err.strip().count("\n") == 0

    return case


CASES = {
    "two-writers-race": two_writers_race,
    "live-writer-holds-the-lock": a_live_writer_holds_the_folder,
    "lock-of-a-killed-writer": a_lock_left_by_a_killed_writer_does_not_block,
    "part-copied-twice": a_part_copied_twice_counts_once,
    "scenario-edited-between-kill-and-resume": scenario_edited_between_kill_and_resume,
    "parent-scenario-edited": a_parent_scenario_edited,
    "scenario-phase-edited": a_scenario_phase_edited,
    "parameter-registry-changed": the_parameter_registry_changed,
    "model-code-changed": the_model_code_changed,
    "model-version-changed": the_model_version_changed,
    "experiment-file-edited": the_experiment_file_edited,
    "replications-changed": the_replications_changed,
    "part-from-another-experiment": a_part_from_another_experiment,
    "manifest-deleted-then-another-experiment": a_deleted_manifest_then_another_experiment,
    "run-id-outside-the-plan": a_run_id_outside_the_plan,
    "part-without-run-id": a_part_without_run_ids,
    "part-rows-not-matching-run-ids": a_part_whose_rows_do_not_match_their_run_ids,
    "manifest-n_runs-text": edited(n_runs="abc"),
    "manifest-n_runs-changed": edited(n_runs=10),
    "manifest-keep-changed": edited(keep=["linking", "trust"]),
    "manifest-parameters-changed": edited(parameters=["tie_gain", "tie_decay", "dummy"]),
    "manifest-kind-changed": edited(kind="sobol"),
    "manifest-replications-changed": edited(replications=3),
    "manifest-bounds-changed": edited(bounds={"tie_gain": [0, 1], "cost_meeting": [0, 1], "dummy": [0, 1]}),
    "manifest-fingerprint-removed": edited(fingerprint=KeyError),
    "design-repeated-parameter": refused_design(MORRIS.replace('["tie_gain", "cost_meeting"]', '["tie_gain", "tie_gain"]'),
                                                "tie_gain"),
    "design-assumptions-and-one-of-them": refused_design(
        MORRIS.replace('["tie_gain", "cost_meeting"]', '["assumptions", "tie_gain"]'), "tie_gain"),
    "design-no-scenarios": refused_design(MORRIS.replace("months = 12", "months = 12\nscenarios = []"), "scenarios"),
    "design-same-scenario-twice": refused_design(
        MORRIS.replace("months = 12", 'months = 12\nscenarios = ["baseline", "baseline"]'), "scenarios"),
    "design-no-outcomes": refused_design(MORRIS.replace('keep = ["linking"]', "keep = []"), "keep"),
    "design-same-outcome-twice": refused_design(MORRIS.replace('keep = ["linking"]', 'keep = ["linking", "linking"]'),
                                                "keep"),
    "manifest-is-a-fifo": special_file("manifest.json"),
    "design-is-a-fifo": special_file("design.parquet"),
    "part-is-a-fifo": special_file("part"),
    "pre-fingerprint-folder-points-in-manifest": pre_fingerprint(points_in_manifest=True),
    "pre-fingerprint-folder-with-design-file": pre_fingerprint(points_in_manifest=False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_results_are_never_mixed_or_counted_twice(tmp_path, monkeypatch, capsys, stand_in, case):
    run = CASES[case]
    if "capsys" in run.__code__.co_varnames[:run.__code__.co_argcount]:
        run(tmp_path, monkeypatch, capsys)
    else:
        run(tmp_path, monkeypatch)


# --- stale summaries (issue 26): a table computed before the folder's runs changed is never taken as current ------
STALE = {  # case: what happens to a summarised folder, and whether its summary is then stale
    "unchanged": (lambda out, path: None, False),
    "resumed-after-a-lost-part": (lambda out, path: (store.part_files(out)[0].unlink(), resume(path, out)), True),
    "a-part-deleted": (lambda out, path: store.part_files(out)[-1].unlink(), True),
    "stamp-removed": (lambda out, path: (out / ".summary.stamp.json").unlink(), True),
    "stamp-damaged": (lambda out, path: (out / ".summary.stamp.json").write_text("{"), True),
}


def resume(path: Path, out: Path) -> None:
    batch.run_experiment(load_experiment(path), out, workers=1, progress=False)


@pytest.mark.parametrize("case", list(STALE))
def test_a_summary_older_than_its_parts_is_marked_stale_and_never_shown(tmp_path, stand_in, capsys, case):
    from dashboards import results

    path, out = finished(tmp_path)
    summarize(out)
    change, expected = STALE[case]
    change(out, path)
    why = store.staleness(out, "summary")
    assert (why is not None) == expected, why
    assert ("summary" in store.status(out)["stale"]) == expected
    shown = results.open_folder(out.name, out.parent).tables["summary"]
    assert (shown is None) == expected  # the dashboard offers to compute it again instead
    assert ("stale: summary.csv" in cli(capsys, "experiment", "status", out).out) == expected
    with warnings.catch_warnings():  # a deleted part leaves runs missing: summarised anyway, with a warning
        warnings.simplefilter("ignore", IncompleteWarning)
        summarize(out)
    assert store.staleness(out, "summary") is None  # summarised again: current


def test_summarising_an_unfinished_folder_says_how_many_runs_are_missing(tmp_path, stand_in):
    path, out = finished(tmp_path, batch_size=4)
    store.part_files(out)[0].unlink()  # 4 of the 24 runs
    with pytest.warns(IncompleteWarning, match="4 of 24 runs are missing"):
        table = summarize(out)[0]
    assert table["runs"].sum() == 20
    assert store.staleness(out, "summary") is None  # stamped with the parts it read
