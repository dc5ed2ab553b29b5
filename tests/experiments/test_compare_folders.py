"""A compare folder is never mixed: refused when it holds other things, locked while written, replaced whole.

Each row of ``REFUSED`` is a folder a comparison must not write into (refused in one line, before any run, with the
folder left as it was); the other tests cover the lock, an interrupted save and what a killed one left behind.
"""

import fcntl
import json
import os

import pytest
from cli_helpers import assert_one_line, cli, tree

from experiments import compare as cmp
from experiments import compare_folder as folder

OPTIONS = ["--reps", "2", "--months", "2", "--workers", "1", "--uncertainty", "chance"]


@pytest.fixture
def lab(tmp_path_factory):
    """A Living Lab from the first month (the catalogue's starts in 2026: two months would warn)."""
    path = tmp_path_factory.mktemp("scenarios") / "lab.toml"
    path.write_text('title = "t"\ndescription = "d"\n[parameters]\nliving_lab = true\n')
    return path


def run(capsys, *scenarios, out):
    return cli(capsys, "compare", *scenarios, *OPTIONS, "--out", out)
REFUSED = {
    "an experiment": ("manifest.json", "holds an experiment (manifest.json)"),
    "a foreign file": ("notes.txt", "holds files that are not a comparison's (notes.txt)"),
    "a foreign folder": ("drafts/", "holds files that are not a comparison's (drafts)"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_folder_holding_other_things_is_refused_before_any_run(capsys, tmp_path, case, lab):
    name, message = REFUSED[case]
    out = tmp_path / "out"
    (out / name).mkdir(parents=True) if name.endswith("/") else (out.mkdir(), (out / name).write_text("{}"))
    before = tree(tmp_path)
    assert_one_line(run(capsys, "baseline", lab, out=out), str(out), message)
    assert tree(tmp_path) == before


def test_a_second_compare_into_the_same_folder_exits_with_one_line(capsys, tmp_path, lab):
    out = tmp_path / "out"
    fd = os.open(tmp_path / folder.lock_name(out), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running compare holds it
    os.pwrite(fd, b"4242\n", 0)
    try:
        assert_one_line(run(capsys, "baseline", lab, out=out), str(out), "another `compare` (pid 4242) is writing")
    finally:
        os.close(fd)
    assert not out.exists()
    assert run(capsys, "baseline", lab, out=out).code == 0  # the kernel released the lock with its holder


def test_a_comparison_replaces_the_previous_one_whole_and_a_failed_save_keeps_it(capsys, tmp_path, monkeypatch, lab):
    out = tmp_path / "out"
    assert run(capsys, "baseline", lab, out=out).code == 0
    first = json.loads((out / "comparison.json").read_text())
    assert sorted(p.name for p in out.iterdir()) == sorted(folder.FILES)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folder, "render", broken)
    failed = run(capsys, lab, "baseline", out=out)
    assert_one_line(failed, str(out), "No space left on device")
    assert json.loads((out / "comparison.json").read_text()) == first  # the previous comparison, whole
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.") and p.name != folder.lock_name(out)] == []


def test_what_a_killed_save_left_is_tidied_and_a_previous_comparison_restored(capsys, tmp_path, lab):
    out = tmp_path / "out"
    assert run(capsys, "baseline", lab, out=out).code == 0
    # killed between its two renames: the previous comparison set aside, the new one half-written
    os.rename(out, tmp_path / ".out.old-dead1")
    (tmp_path / ".out.partial-dead2").mkdir()
    (tmp_path / ".out.partial-dead2" / "summary.csv").write_text("half")
    folder.tidy(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(folder.FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.lock_name(out), "out"]
    assert run(capsys, "baseline", lab, out=out).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.lock_name(out), "out"]


def test_an_experiment_begun_in_the_folder_during_the_runs_is_never_replaced(capsys, tmp_path, monkeypatch, lab):
    """`experiment run` into the same --out while the comparison's runs go on: the save refuses in one line, under
    the experiment's own lock, and the experiment's files stay; while an experiment holds that lock, likewise."""
    out = tmp_path / "out"
    real = cmp.compare

    def then_an_experiment_starts(*args, **kwargs):
        result = real(*args, **kwargs)
        out.mkdir()
        (out / "manifest.json").write_text("{}")  # as `experiment run` writes it
        return result

    monkeypatch.setattr(cmp, "compare", then_an_experiment_starts)
    assert_one_line(run(capsys, "baseline", lab, out=out), str(out), "holds an experiment (manifest.json)")
    assert sorted(p.name for p in out.iterdir()) == [".lock", "manifest.json"]
    monkeypatch.setattr(cmp, "compare", real)
    (out / "manifest.json").unlink()
    fd = os.open(out / ".lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running `experiment run` holds it
    try:
        assert_one_line(run(capsys, "baseline", lab, out=out), str(out), "another `experiment run`")
    finally:
        os.close(fd)


PATTERNS = ["x[12]", "c*", "a?b"]


@pytest.mark.parametrize("name", PATTERNS)
def test_a_folder_name_with_glob_characters_touches_no_other_folder(capsys, tmp_path, lab, name):
    """What a killed save of another comparison left (x1's set-aside and half-written folders) stays untouched."""
    others = [tmp_path / ".x1.old-0123456789ab", tmp_path / ".x1.partial-abcdefgh", tmp_path / ".cat.old-0123456789ab"]
    for other in others:
        other.mkdir()
        (other / "comparison.json").write_text("{}")
    assert run(capsys, "baseline", lab, out=tmp_path / name).code == 0
    assert all((other / "comparison.json").exists() for other in others)
    assert (tmp_path / name / "comparison.json").exists()


def test_folders_that_cannot_be_renamed_are_refused_before_any_run(capsys, tmp_path, monkeypatch, lab):
    """The current folder, a folder holding it, a link: a comparison replaces its folder by renaming, so these are
    refused in one line before any run (a mount point likewise, by os.path.ismount)."""
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    (tmp_path / "target").mkdir()
    os.symlink(tmp_path / "target", tmp_path / "link")
    for given, why in ((".", "is the current folder or holds it"), ("..", "is the current folder or holds it"),
                       (str(tmp_path / "link"), "is a link")):
        before = tree(tmp_path)
        assert_one_line(run(capsys, "baseline", lab, out=given), why, "replaces its folder whole")
        assert tree(tmp_path) == before


def test_the_new_comparison_takes_the_old_ones_place_in_one_atomic_step(capsys, tmp_path, monkeypatch, lab):
    """On Linux the two folders are exchanged (renameat2): no moment exists with no comparison at --out; the old one
    is removed afterwards from where the new one was written."""
    out = tmp_path / "out"
    assert run(capsys, "baseline", lab, out=out).code == 0
    renamed = []
    monkeypatch.setattr(folder.os, "rename", lambda a, b: renamed.append((a, b)) or pytest.fail("renamed"))
    assert run(capsys, "baseline", lab, "--seed", "5", out=out).code == 0
    assert renamed == [] and json.loads((out / "comparison.json").read_text())["root_seed"] == 5
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == [".out.lock"]
