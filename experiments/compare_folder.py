"""A comparison's folder: written whole into a hidden sibling, then put in place, never mixed with other files.

``save`` writes the tables of ``experiments.compare``, its metadata and the HTML report of ``experiments.report``;
the command line holds the folder's lock (``lock_name``) around the runs and the save, and ``tidy`` undoes what a
killed save left.
"""

from __future__ import annotations

import errno
import glob
import os
import shutil
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path

from model.api import OutputError, write_csv, write_json

from .compare import Comparison, summary, summary_by_group, timeseries, timeseries_by_group
from .report import render
from .store import LOCK, ResultsError, writer

FILES = ("summary.csv", "summary_by_group.csv", "timeseries.csv", "timeseries_by_group.csv", "comparison.json",
         "report.html")


def _partial(out: Path) -> str:
    return f".{out.name}.partial-"


def _replaced(out: Path) -> str:
    return f".{out.name}.old-"


TEMP_CHARS, ASIDE_CHARS = 8, 12  # random characters mkdtemp adds to the hidden new folder; of the old one moved aside
SIBLING_BYTES = len(".") + max(len(".partial-") + TEMP_CHARS, len(".old-") + ASIDE_CHARS)  # added to the folder's name


def lock_name(out: Path) -> str:
    """The lock of a comparison folder: a sibling file, since the folder itself is replaced whole."""
    return f".{out.name}.lock"


def check_folder(out: Path) -> None:
    """Refuse, before any run, an ``--out`` that holds an experiment or files that are not a comparison's."""
    if not out.is_dir():
        return
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    if "manifest.json" in names:
        raise ResultsError(f"--out {out}: holds an experiment (manifest.json); a comparison would replace its files; "
                           "use another --out")
    foreign = [n for n in names if n not in FILES]
    if foreign:
        raise ResultsError(f"--out {out}: holds files that are not a comparison's ({foreign[0]}); a comparison replaces "
                           "its folder whole: use a new or empty folder")


def tidy(out: Path) -> None:
    """Undo what a killed ``save`` left (call with the folder's lock held): a previous comparison moved aside comes
    back if the new one never arrived, and half-written folders go."""
    parent = out.parent
    aside = sorted(parent.glob(glob.escape(_replaced(out)) + "*"))  # a name holding * or [ is no pattern
    if aside and not out.exists():
        os.rename(aside.pop(), out)
    for stale in aside + sorted(parent.glob(glob.escape(_partial(out)) + "*")):
        shutil.rmtree(stale, ignore_errors=True)


def save(c: Comparison, out: Path) -> dict[str, Path]:
    """Write summary, trajectories (overall and by group), metadata and the HTML report into a hidden sibling folder,
    then put it in place of ``out`` by renames: a kill at any moment leaves the previous comparison or the new one,
    never files of both. Callers writing into a shared ``out`` hold its lock (``lock_name``); an existing ``out`` is
    also locked as an experiment folder is, and checked again under that lock."""
    with ExitStack() as held:
        if out.is_dir():  # an `experiment run` may have begun in it since the runs started: never replace that
            held.enter_context(writer(out, LOCK, "`experiment run`"))
            check_folder(out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=_partial(out)))
        except OSError as exc:
            raise OutputError(exc.errno, f"{out}: cannot create: {exc.strerror}") from None
        return _put_in_place(c, out, tmp)


_RENAME_EXCHANGE, _AT_FDCWD = 2, -100  # linux/fs.h, fcntl.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the system or
    its file system cannot, and nothing was changed."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _put_in_place(c: Comparison, out: Path, tmp: Path) -> dict[str, Path]:
    """Write the comparison into ``tmp``, then rename it to ``out`` (the previous one moved aside, then removed)."""
    try:
        tables = {"summary.csv": summary(c), "summary_by_group.csv": summary_by_group(c),
                  "timeseries.csv": timeseries(c), "timeseries_by_group.csv": timeseries_by_group(c)}
        for name, frame in tables.items():
            write_csv(frame, tmp / name)
        write_json(c.metadata(), tmp / "comparison.json")
        render(c, tables, tmp / "report.html")
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a results folder is not
        if out.exists() and _exchange(tmp, out):  # one atomic step: the new comparison in place, the old one in tmp
            shutil.rmtree(tmp, ignore_errors=True)
        elif out.exists():  # no atomic exchange here: two renames (a kill between them is undone by ``tidy``)
            aside = out.parent / f"{_replaced(out)}{uuid.uuid4().hex[:ASIDE_CHARS]}"
            os.rename(out, aside)
            os.rename(tmp, out)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except OutputError as exc:  # a writer's own one-line error names the file; say it is this comparison's
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(exc.errno, f"{out}: cannot write the comparison: {os.strerror(exc.errno) if exc.errno else exc}"
                          ) from None
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(exc.errno, f"{out}: cannot write the comparison: {exc.strerror}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {name: out / name for name in FILES}
