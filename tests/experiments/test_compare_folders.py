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
    fd = os.open(tmp_path / cmp.lock_name(out), os.O_RDWR | os.O_CREAT)
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
    assert sorted(p.name for p in out.iterdir()) == sorted(cmp.FILES)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    import experiments.report

    monkeypatch.setattr(experiments.report, "render", broken)
    failed = run(capsys, lab, "baseline", out=out)
    assert_one_line(failed, str(out), "No space left on device")
    assert json.loads((out / "comparison.json").read_text()) == first  # the previous comparison, whole
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.") and p.name != cmp.lock_name(out)] == []


def test_what_a_killed_save_left_is_tidied_and_a_previous_comparison_restored(capsys, tmp_path, lab):
    out = tmp_path / "out"
    assert run(capsys, "baseline", lab, out=out).code == 0
    # killed between its two renames: the previous comparison set aside, the new one half-written
    os.rename(out, tmp_path / ".out.old-dead1")
    (tmp_path / ".out.partial-dead2").mkdir()
    (tmp_path / ".out.partial-dead2" / "summary.csv").write_text("half")
    cmp.tidy(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(cmp.FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == [cmp.lock_name(out), "out"]
    assert run(capsys, "baseline", lab, out=out).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [cmp.lock_name(out), "out"]
