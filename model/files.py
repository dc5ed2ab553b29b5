"""Reading and writing the project's files: one line naming the file when it cannot be done, never half a file.

Inputs (scenario, parent, experiment, manifest, part, table) are regular files checked before they are opened, so
a named pipe, a device or a folder where a file belongs never blocks a command or a dashboard thread. Outputs go
through a temporary file and a rename. Text cells of every CSV the project writes are neutralised as OWASP
advises for spreadsheet formulas (a leading ``'`` before ``= + - @``, a tab or a carriage return), and
``read_csv`` undoes exactly that, so the project reads back what it wrote.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from .constants import ERROR_TEXT_WIDTH, JSON_INDENT, KIB, MAX_INPUT_BYTES, NAME_MAX, NAME_SHOWN, RESULTS_FILE_MODE

CSV_FLOAT_FORMAT = "%.6g"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP, "CSV Injection"
__all__ = ["CSV_FLOAT_FORMAT", "name_problem", "OutputError", "atomic_write", "write_csv", "read_csv", "write_json", "special_kind",
           "read_input"]


def name_problem(path: Path | str, reserve: int = 0) -> str | None:
    """What makes ``path`` unusable as a name for the project's files, checked before any run (None if nothing):
    bytes that are not UTF-8 (a name made on another system; JSON and Arrow cannot hold it), or a part longer than
    the file system allows, counting ``reserve`` bytes a writer adds to it (a hidden sibling's prefix and suffix)."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = os.fsencode(text[exc.start])[0]
        return f"is not a UTF-8 name (byte {byte:#04x}, from another encoding); rename it"
    for part in Path(text).parts:
        size = len(part.encode("utf-8"))
        if size + reserve > NAME_MAX:
            return f"has a name of {size} bytes ({part[:NAME_SHOWN]}...); at most {NAME_MAX - reserve} allowed here"
    return None


def special_kind(path: Path) -> str | None:
    """What stands at ``path`` if it is not a regular file ("a folder", "a named pipe (FIFO)", ...), else None.

    ``os.stat`` follows links and never opens the file, so nothing blocks; OSError if nothing is there."""
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    return "a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else \
        "a socket" if stat.S_ISSOCK(mode) else "a device or special file"


def read_input(path: Path, error: type[Exception], limit: int = MAX_INPUT_BYTES, what: str = "name a .toml file") -> bytes:
    """An input file's bytes, or ``error`` with one line naming it: a FIFO, a device or a folder is refused before it
    is opened, the file is opened without blocking and read to at most ``limit`` bytes, so no input can hang a
    command or fill its memory."""
    try:
        kind = special_kind(path)
        if kind:
            raise error(f"{path}: is {kind}, not a file; {what}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise error(f"{path}: larger than {limit // KIB} KB, the most the project reads for such a file")
    return data


class OutputError(OSError):
    """A results file that cannot be written (a full disk, a file-size limit, a read-only folder): one line naming it."""

    def __init__(self, code: int | None, message: str, reason: str = ""):
        super().__init__(message)
        self.errno, self.reason = code, reason or message

    def __str__(self) -> str:
        return self.args[0]


def output_error(path: Path, exc: OSError) -> OutputError:
    if exc.errno:
        reason = os.strerror(exc.errno)
    else:
        reason = (exc.strerror or str(exc)).strip().splitlines()[-1][:ERROR_TEXT_WIDTH] or type(exc).__name__
    return OutputError(exc.errno, f"{path}: cannot write: {reason}", reason)


def atomic_write(path: Path, write: Callable[[str], None]) -> None:
    """Write through a temporary file in the same folder, synced, then rename: never half-written.

    Any failure to write (no space left, a file-size limit, a read-only folder) removes the
    temporary file and raises ``OutputError``, whose message is one line naming ``path``.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise output_error(path, exc) from None
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:  # on disk before the rename makes it visible, even across a crash
            os.fsync(fh.fileno())
        os.chmod(tmp, RESULTS_FILE_MODE)  # mkstemp creates 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise output_error(path, exc) from None
        raise


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A table as CSV, never half-written: the bytes pandas' ``to_csv(index=False, float_format=CSV_FLOAT_FORMAT)``
    writes, several times as fast for tables of numbers, text (numpy objects, pandas' str and string) and flags:
    each distinct number formatted and each distinct text quoted once, rows joined as text. Other columns (dates,
    categories, nullable types, long doubles), frames without columns and unusual headers go through pandas (which
    leaves a carriage return inside a field unquoted; the project's tables of text take the fast path). Text cells
    that a spreadsheet would run as a formula are neutralised first (``neutralised``)."""
    frame = neutralised(frame)
    plain = len(frame.columns) > 0 and frame.columns.is_unique and all(isinstance(c, str) for c in frame.columns) and all(
        (isinstance(t, np.dtype) and t.kind in "fiubO" and t.itemsize <= np.dtype(np.float64).itemsize)
        or isinstance(t, pd.StringDtype) for t in frame.dtypes)
    if plain:
        atomic_write(path, lambda tmp: _write_columns(frame, tmp))
    else:
        atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n"))


def _write_columns(frame: pd.DataFrame, tmp: str) -> None:
    columns = []  # each column's header and fields, as text
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype):  # text repeats a few values: quoted once each
            codes, distinct = pd.factorize(column)
            text = np.array([_quoted(v) for v in distinct] + [""], dtype=object)[codes].tolist()  # -1: missing, empty
        else:
            values = column.to_numpy()
            text = _number_texts(values) if values.dtype.kind in "fiu" else [_quoted(str(v)) for v in values.tolist()]
            for i in np.flatnonzero(pd.isna(values)):  # missing values are empty fields
                text[i] = ""
        columns.append([_quoted(str(name)), *text])
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        if len(columns) == 1:  # as the csv module, a lone empty field is written "" (a blank line would end the table)
            fh.writelines((field or '""') + "\n" for field in columns[0])
        else:
            fh.write("\n".join(map(",".join, zip(*columns))))
            fh.write("\n")


def _quoted(text: str) -> str:
    """A field as the csv module's minimal quoting writes it with a "\\n" line end: in quotes, quotes doubled, if
    it holds a comma, a quote or a newline; and, as RFC 4180 asks and the csv module does not, a carriage return
    (a spreadsheet would end the row there, and the rest of the cell could start a formula)."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _number_texts(values: np.ndarray) -> list[str]:
    """Each number as pandas writes it, formatted once per distinct value (a band table repeats a few values
    thousands of times); distinct by bit pattern, so -0.0 stays '-0'."""
    _, first, inverse = np.unique(values.view(f"u{values.dtype.itemsize}"), return_index=True, return_inverse=True)
    distinct = values[first].tolist()
    texts = [CSV_FLOAT_FORMAT % x for x in distinct] if values.dtype.kind == "f" else list(map(str, distinct))
    return np.array(texts, dtype=object)[inverse].tolist()


def write_json(data: Any, path: Path) -> None:
    def dump(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=JSON_INDENT, sort_keys=False, default=str)
            fh.write("\n")

    atomic_write(path, dump)


def _neutral(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: one more ``'`` in front of a formula start, also after
    leading quotes (so that ``read_csv`` can take exactly one away again)."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def _restored(text: Any) -> Any:
    return text[1:] if isinstance(text, str) and text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) \
        else text


def _text(column: pd.Series) -> bool:
    return column.dtype == object or isinstance(column.dtype, pd.StringDtype)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells neutralised (a copy only if one needed it); numbers stay numbers."""
    changed = {}
    for k, (name, column) in enumerate(frame.items()):
        if _text(column):
            values = column.to_numpy(dtype=object)
            risky = [i for i, v in enumerate(values) if isinstance(v, str) and v.lstrip("'").startswith(FORMULA_STARTS)]
            if risky:
                values = values.copy()
                for i in risky:
                    values[i] = _neutral(values[i])
                changed[k] = pd.Series(values, index=frame.index, dtype=column.dtype)
    if not changed:
        return frame
    out = frame.copy()
    for k, series in changed.items():
        out.isetitem(k, series)
    return out


def read_csv(path: Path, **options: Any) -> pd.DataFrame:
    """A CSV the project wrote, its text cells as they were before ``write_csv`` neutralised them."""
    frame = pd.read_csv(path, **options)
    for k, (name, column) in enumerate(frame.items()):
        if _text(column):
            frame.isetitem(k, column.map(_restored))
    return frame
