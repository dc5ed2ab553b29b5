"""Links in the results root: listing and reading never follow one out of the root, and loops are survived.

Each case builds a copy of the small results root with one link in it (a folder of valid results
outside the root stands ready to be pointed at), then lists and opens folders as the experiments
page does. Opening a folder through a link that leads out of the root must give one reading error
(shown as one line) and read nothing outside; loops must neither raise nor hide the other folders.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pytest
import solara
import ipyvuetify as v
from page_helpers import walk

from dashboards import results
from dashboards.pages import experiments

LISTED = ["compare-small", "morris-tiny"]


def errors(rc) -> list[str]:
    return [" ".join(map(str, w.children)) for w in rc.find(v.Alert).widgets]


def listing(root: Path) -> list[str]:
    return [f.name for f in results.folders(root)]


def refused(root: Path, name: str, outside: Path) -> bool:
    """Opening ``name`` gives a reading error (one line on the page) that names no path outside the root."""
    opened = results.attempt(lambda: results.open_folder(name, root))
    return isinstance(opened, results.READ_ERRORS) and str(outside) not in str(opened) and "/etc" not in str(opened)


def from_environment(root: Path, read: Callable[[], object]) -> object:
    """``read()`` with the results root taken from the environment, as the page takes it."""
    before = os.environ.get(results.ROOT_VARIABLE)
    os.environ[results.ROOT_VARIABLE] = str(root)
    try:
        return read()
    finally:
        if before is None:
            del os.environ[results.ROOT_VARIABLE]
        else:
            os.environ[results.ROOT_VARIABLE] = before


def loop(path: Path) -> None:
    os.symlink(path.name, path)


def mutual(a: Path, b: Path) -> None:
    os.symlink(b.name, a)
    os.symlink(a.name, b)


def link_out(target: Path, link: Path) -> None:
    """Replace ``link`` (a file or folder) by a link to ``target`` outside the root."""
    if link.is_dir():
        shutil.rmtree(link)
    elif link.exists():
        link.unlink()
    os.symlink(target, link)


# what to do to the copy (root, outside: a copy of the root's folders outside it), then what must hold
CASES: dict[str, tuple[Callable[[Path, Path], None], Callable[[Path, Path], bool]]] = {
    "a link to itself in the root": (
        lambda root, out: loop(root / "loop"),
        lambda root, out: listing(root) == LISTED),
    "two links to each other in the root": (
        lambda root, out: mutual(root / "a", root / "b"),
        lambda root, out: listing(root) == LISTED),
    "the root itself a link to itself": (
        lambda root, out: loop(root / "self"),
        lambda root, out: from_environment(root / "self", results.folders) == []),
    "a folder outside the root linked into it": (
        lambda root, out: os.symlink(out / "compare-small", root / "linked"),
        lambda root, out: listing(root) == LISTED),
    "a manifest that is a link to itself": (
        lambda root, out: link_loop_marker(root / "morris-tiny" / "manifest.json"),
        lambda root, out: listing(root) == ["compare-small"]),
    "a manifest linked from outside the root": (
        lambda root, out: link_out(out / "morris-tiny" / "manifest.json", root / "morris-tiny" / "manifest.json"),
        lambda root, out: "morris-tiny" not in listing(root) or refused(root, "morris-tiny", out)),
    "parts/ linked from outside the root": (
        lambda root, out: link_out(out / "morris-tiny" / "parts", root / "morris-tiny" / "parts"),
        lambda root, out: refused(root, "morris-tiny", out)),
    "parts/ a link to itself": (
        lambda root, out: link_loop_marker(root / "morris-tiny" / "parts"),
        lambda root, out: refused(root, "morris-tiny", out) and listing(root) == LISTED),
    "one part file linked from outside the root": (
        lambda root, out: link_out(next((out / "morris-tiny" / "parts").iterdir()),
                                   next((root / "morris-tiny" / "parts").iterdir())),
        lambda root, out: refused(root, "morris-tiny", out)),
    "summary.csv linked from outside the root": (
        lambda root, out: link_out(out / "morris-tiny" / "summary.csv", root / "morris-tiny" / "summary.csv"),
        lambda root, out: refused(root, "morris-tiny", out)),
    "a comparison's timeseries.csv linked from outside the root": (
        lambda root, out: link_out(out / "compare-small" / "timeseries.csv", root / "compare-small" / "timeseries.csv"),
        lambda root, out: refused(root, "compare-small", out)),
    "a link deep in a folder to outside the root": (
        lambda root, out: os.symlink("/etc", root / "morris-tiny" / "parts" / "system"),
        lambda root, out: refused(root, "morris-tiny", out)),
    "a link between files inside the root is followed": (
        lambda root, out: (os.rename(root / "morris-tiny" / "summary.csv", root / "summary-kept.csv"),
                           os.symlink("../summary-kept.csv", root / "morris-tiny" / "summary.csv")),
        lambda root, out: results.open_folder("morris-tiny", root).tables["summary"] is not None),
    "the root given as a link to the real folder": (
        lambda root, out: os.symlink(root, root.parent / "root-link"),
        lambda root, out: from_environment(root.parent / "root-link", lambda: (
            [f.name for f in results.folders()], results.open_folder("morris-tiny").status["finished"])) == (LISTED, 12)),
}


def link_loop_marker(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    loop(path)


@pytest.fixture
def copies(results_root, tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    shutil.copytree(results_root, root, symlinks=True)
    shutil.copytree(results_root, outside, symlinks=True)
    return root, outside


@pytest.mark.parametrize("case", list(CASES))
def test_links_never_lead_reading_out_of_the_root_and_loops_are_survived(copies, case):
    make, holds = CASES[case]
    make(*copies)
    assert holds(*copies)


@pytest.mark.parametrize("case", ["a link to itself in the root", "parts/ a link to itself",
                                  "parts/ linked from outside the root"])
def test_the_experiments_page_shows_a_link_problem_as_one_line(session, copies, monkeypatch, case):
    root, outside = copies
    CASES[case][0](root, outside)
    monkeypatch.setenv(results.ROOT_VARIABLE, str(root))
    experiments.folder_name.set("morris-tiny")
    box, rc = solara.render(experiments.Page(), handle_error=False)  # nothing raises
    (select,) = [w for w in walk(box) if isinstance(w, v.Select) and "rr-folder" in (w.class_ or "")]
    assert [i["value"] for i in select.items] == LISTED
    if case.startswith("parts/"):
        (line,) = errors(rc)
        assert str(outside) not in line
    else:
        assert errors(rc) == []
