"""The results folder of an experiment: a manifest, its design, and Parquet part files as the journal.

    DIR/design.parquet       the design points, one column per parameter (written once, atomically)
    DIR/manifest.json        the plan, its fingerprint and the definitions it covers (written once, after the design)
    DIR/parts/part-*.parquet finished runs, one batch per file, each written atomically
    DIR/.lock                held (flock) by the one `experiment run` writing to the folder

A run is finished when a part file holds its row(s); nothing else records progress, so a
killed process (even ``kill -9``) loses only runs not yet written, leaves no partial file
(temporary files are ignored and cleaned up), and resuming runs exactly what is missing.

Nothing is mixed or counted twice:

- one writer at a time: ``writer`` takes an exclusive ``flock`` on ``.lock`` (the kernel
  drops it when the holder dies, so a killed writer never leaves it stuck);
- the manifest holds a fingerprint of everything that defines the runs: the experiment
  file's bytes, every scenario resolved to its parameters (base values and dated phases),
  the parameter registry (names, kinds, defaults, bounds), the model version and a hash of
  the model's code (the sources under ``model/``), and the plan (design, replications,
  months, seed, outcomes). Resuming recomputes it and refuses any change in one line that
  names what changed; every read checks that the manifest still matches its own
  fingerprint (a hand edit is named) and that every part row carries it (a part from
  another experiment or model is named);
- parts are checked against the plan (run ids inside it, rows matching their run ids), and a
  run found in two parts (a copied part, a retried failure) is read from one of them only.

Folders written before fingerprints existed are read (status, summaries, indices) with a
``ReadOnlyWarning`` but never resumed: nothing in them says which model made their runs.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from model.api import (MAX_MANIFEST_BYTES, REGISTRY, SOURCES, OutputError, __version__, atomic_write, name_problem,
                       read_input, show, special_kind, write_json)

from .spec import KINDS, Experiment

ID_COLUMNS = ["run_id", "scenario", "point", "rep", "seed", "model_version", "experiment_hash", "fingerprint", "status",
              "error", "wall_time"]
MODEL_SOURCES = SOURCES  # hashed into every fingerprint


class ResultsError(ValueError):
    """A results folder that cannot be read or does not match the experiment; one line."""


class ReadOnlyWarning(UserWarning):
    """A folder written before fingerprints existed: readable, never resumed."""


DESIGN = "design.parquet"
LOCK = ".lock"
PLAN_KEYS = ("experiment_hash", "replications", "months", "n_runs", "design_hash")  # named first when they differ
UNFINGERPRINTED = ("experiment", "fingerprint")  # the file's path may differ between machines; the rest may not
UNREAD = "the folder is not read: move it away"
OWN_FILES = {"parts", DESIGN, "manifest.json", "summary.csv", "summary.html", "sensitivity.csv", "sensitivity.html"}


# --- fingerprints --------------------------------------------------------------------------------
def model_code_hash() -> str:
    """A digest of the model's sources (every .py file under ``model/``, by relative path)."""
    digest = hashlib.sha256()
    for path in sorted(MODEL_SOURCES.rglob("*.py")):
        digest.update(path.relative_to(MODEL_SOURCES).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def registry_description() -> dict[str, list]:
    """Every parameter's kind, default and bounds (choices for categorical ones)."""
    return {p.name: [p.kind, p.default, p.low, p.high, list(p.choices)] for p in REGISTRY.values()}


def definition_of(exp: Experiment) -> dict[str, Any]:
    """What defines the runs besides the plan: scenarios as resolved, the registry, the model."""
    scenarios = {}
    for s in exp.scenarios:
        described = s.describe()
        scenarios[s.name] = {"parameters": described["parameters"], "phases": described["phases"]}
    return _plain({"scenarios": scenarios, "registry": registry_description(), "model_version": __version__,
                   "model_code": model_code_hash()})


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()[:16]


def fingerprint_of(manifest: dict[str, Any]) -> dict[str, Any]:
    """One digest per fingerprinted field of the manifest, and one digest of them all."""
    fields = {key: _digest(value) for key, value in manifest.items() if key not in UNFINGERPRINTED}
    return {"digest": _digest(fields), "fields": fields}


def manifest_of(exp: Experiment, digest: str) -> dict[str, Any]:
    """The plan's metadata and fingerprint; ``digest`` is the hash of its design (``design_hash``)."""
    manifest = {
        "experiment": str(exp.path), "title": exp.title, "description": exp.description, "experiment_hash": exp.file_hash,
        "kind": exp.kind, "parameters": exp.parameters, "bounds": {k: list(v) for k, v in exp.bounds.items()},
        "design": DESIGN, "n_points": len(exp.points), "design_hash": digest, "samples": exp.samples,
        "levels": exp.levels, "scenarios": [s.name for s in exp.scenarios], "replications": exp.replications,
        "months": exp.months, "seed": exp.seed, "keep": exp.keep, "at": exp.at, "n_runs": exp.n_runs,
        "model_version": __version__, "definition": definition_of(exp),
    }
    manifest = _plain(manifest)
    manifest["fingerprint"] = fingerprint_of(manifest)
    return manifest


def stamp(manifest: dict[str, Any]) -> str:
    """What every part row of the folder carries in its ``fingerprint`` column ('' for folders from before)."""
    return manifest["fingerprint"]["digest"] if "fingerprint" in manifest else ""


def changes(held: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between a folder's manifest and this run's, in words (empty if nothing)."""
    out = []
    for key in PLAN_KEYS:
        if held.get(key) != new[key] and key != "experiment_hash":
            out.append(f"a different plan ({key} = {show(held.get(key))}, this run {show(new[key])})")
    old_def, new_def = held.get("definition", {}), new["definition"]
    old_sc, new_sc = old_def.get("scenarios", {}), new_def["scenarios"]
    for name in new_sc:
        if name in old_sc and old_sc[name] != new_sc[name]:
            a, b = old_sc[name], new_sc[name]
            names = sorted({*a.get("parameters", {}), *b["parameters"]} - {k for k in b["parameters"]
                           if a.get("parameters", {}).get(k, object()) == b["parameters"][k]})
            what = [f"parameters: {', '.join(names)}"] if names else []
            if a.get("phases") != b["phases"]:
                what.append("phases")
            out.append(f"scenario {name} changed since this folder was started ({'; '.join(what)})")
    if sorted(old_sc) != sorted(new_sc):
        out.append(f"other scenarios ({', '.join(old_sc)} then, {', '.join(new_sc)} now)")
    old_reg, new_reg = old_def.get("registry", {}), new_def["registry"]
    if old_reg != new_reg:
        names = sorted(n for n in {*old_reg, *new_reg} if old_reg.get(n) != new_reg.get(n))
        out.append(f"the parameter registry changed ({', '.join(names[:5])}{', ...' if len(names) > 5 else ''})")
    if old_def.get("model_version") != new_def["model_version"]:
        out.append(f"the model version changed ({old_def.get('model_version')} then, {new_def['model_version']} now)")
    if old_def.get("model_code") != new_def["model_code"]:
        out.append("the model code changed (the sources under model/)")
    if held.get("experiment_hash") != new["experiment_hash"]:
        out.append("the experiment file changed (its bytes differ)")
    for key in sorted(set(new) - set(PLAN_KEYS) - {"definition", "fingerprint", "experiment"}):
        if held.get(key) != new[key] and not out:
            out.append(f"{key} changed ({show(held.get(key))} then, {show(new[key])} now)")
    return out


# --- one writer ----------------------------------------------------------------------------------
@contextmanager
def writer(out: Path, lock: str = LOCK, who: str = "`experiment run`", shown: Path | None = None) -> Iterator[None]:
    """Hold the lock file ``lock`` in ``out``, or refuse at once if another process holds it (a ``compare`` locks a
    sibling of its folder, which it replaces whole). ``who`` and ``shown`` word the refusal.

    ``flock`` locks belong to the open file: the kernel releases them when the holder exits
    or is killed, so a stale ``.lock`` file never blocks. The descriptor is not inherited
    by worker processes (Python opens files non-inheritable).
    """
    try:
        fd = os.open(out / lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ResultsError(f"{out}: cannot take the folder's lock ({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise ResultsError(f"{shown or out}: another {who} (pid {holder}) is writing to this folder; "
                               "wait for it to finish, or use another --out") from None
        raise ResultsError(f"{out}: cannot lock the folder ({exc.strerror})") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass  # the lock holds without the pid
    try:
        yield
    finally:
        os.close(fd)


# --- output folders ------------------------------------------------------------------------------
def check_out(out: Path, experiment: bool = False, reserve: int = 0, whole: bool = False) -> None:
    """Refuse, before any run, an output folder that cannot be written (one line naming it).

    A name that is too long (with ``reserve`` bytes a writer adds to the folder's name) or not UTF-8, the root of
    the file system, an existing file, a path under a file, and a folder in which no file can be created
    (read-only, or read-only file system: tried with a probe file that is removed at once); for experiments also
    an existing folder holding other things. A folder replaced ``whole`` (a comparison's) cannot be a link, a mount
    point, or the current folder or one of its parents: none of them can be renamed.
    """
    shown = f"--out {out}"
    problem = name_problem(out.name, reserve) or name_problem(out)
    if problem:
        raise ResultsError(f"{shown}: {problem}")
    if whole:
        here = Path.cwd().resolve()
        real_out = Path(os.path.realpath(out))
        why = ("is a link" if os.path.islink(out) else "is a mount point" if os.path.ismount(real_out) else
               "is the current folder or holds it" if real_out == here or real_out in here.parents else None)
        if why:
            raise ResultsError(f"{shown}: {why}; a comparison replaces its folder whole (by renaming), so name a "
                               "new folder inside it")
    try:
        real = Path(os.path.realpath(out))
    except (OSError, ValueError) as exc:
        raise ResultsError(f"{shown}: not a usable path ({exc})") from None
    if real == Path(real.anchor):
        raise ResultsError(f"{shown}: is the root of the file system; name a folder for the results")
    if real.exists() and not real.is_dir():
        raise ResultsError(f"{shown}: is an existing file, not a folder")
    ancestor = real
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ResultsError(f"{shown}: lies under {ancestor}, which is a file")
    probe = ancestor / f".write-probe-{uuid.uuid4().hex[:8]}"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        reason = {errno.EROFS: "a read-only file system", errno.EACCES: "permission denied",
                  errno.EPERM: "permission denied"}.get(exc.errno, exc.strerror)
        raise ResultsError(f"{shown}: cannot write in {ancestor} ({reason})") from None
    os.unlink(probe)
    if experiment and real.is_dir() and not (real / "manifest.json").exists():
        foreign = sorted(p.name for p in real.iterdir() if p.name not in OWN_FILES and not p.name.startswith("."))
        if foreign:
            raise ResultsError(f"{shown}: exists and is not an experiment results folder (it holds {foreign[0]}); "
                               "use a new or empty folder")


# --- the manifest and the design -------------------------------------------------------------------
def prepare(out: Path, exp: Experiment) -> dict[str, Any]:
    """Create DIR's design and manifest, or check that DIR holds this same experiment (call under ``writer``)."""
    table = design_table(exp.parameters, exp.points)
    manifest = manifest_of(exp, design_hash(table))
    path = out / "manifest.json"
    if path.exists():
        existing = read_manifest(out)
        if "fingerprint" not in existing:
            raise ResultsError(f"{out}: predates fingerprints (written by an older version), so nothing says which "
                               "model made its runs; it cannot be resumed: run the experiment into a new folder")
        read_design(out, existing)
        found = changes(existing, manifest)
        if found:
            if found[0].startswith("a different plan"):
                raise ResultsError(f"{out}: holds {found[0]}; use another --out or the same file and options")
            raise ResultsError(f"{out}: cannot resume: {'; '.join(found)}; resuming would mix two definitions of "
                               "the runs: restore what changed, or use another --out")
        return existing
    try:
        (out / "parts").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(exc.errno, f"{out / 'parts'}: cannot create: {exc.strerror}") from None
    _adopt(out, manifest)
    atomic_write(out / DESIGN, lambda tmp: pq.write_table(table, tmp))
    write_json(manifest, path)  # last: a folder with a manifest has its design
    return manifest


def _adopt(out: Path, manifest: dict[str, Any]) -> None:
    """Parts already in a folder without a manifest (it was deleted) must carry this experiment's fingerprint."""
    for part in part_files(out):
        try:
            stamps = set(pq.read_table(part, columns=["fingerprint"]).column(0).to_pylist())
        except (pa.ArrowException, OSError, KeyError):
            stamps = {None}
        if stamps != {stamp(manifest)}:
            raise ResultsError(f"{part}: holds runs of another experiment or model, and {out} has no manifest.json; "
                               "move the parts out, or use another --out")


def _bad(path: Path, key: str, value: Any, expected: str) -> ResultsError:
    return ResultsError(f"{path}: {key} = {show(value)} is not valid ({expected}); the manifest was edited or damaged")


def _is_int(value: Any, low: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _validate(path: Path, manifest: dict[str, Any]) -> None:
    """Types and consistency of the fields readers use (folders from before fingerprints too)."""
    for key in ("n_runs", "replications", "seed"):
        if key in manifest and not _is_int(manifest[key], 1 if key == "replications" else 0):
            raise _bad(path, key, manifest[key], "a whole number")
    if manifest["kind"] not in KINDS:
        raise _bad(path, "kind", manifest["kind"], "one of " + ", ".join(KINDS))
    names = manifest["parameters"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names) or len(set(names)) < len(names):
        raise _bad(path, "parameters", names, "a list of distinct parameter names")
    keep = manifest["keep"]
    if not isinstance(keep, list) or not keep or not all(isinstance(n, str) for n in keep) or len(set(keep)) < len(keep):
        raise _bad(path, "keep", keep, "a list of distinct outcome names")
    scenarios = manifest.get("scenarios", [])
    if not isinstance(scenarios, list) or not scenarios or not all(isinstance(n, str) for n in scenarios):
        raise _bad(path, "scenarios", scenarios, "a list of scenario names")
    n_points = len(manifest["points"]) if "points" in manifest else manifest.get("n_points")
    if not _is_int(n_points, 1):
        raise _bad(path, "n_points", n_points, "a whole number")
    if "replications" in manifest and manifest["n_runs"] != len(scenarios) * n_points * manifest["replications"]:
        raise _bad(path, "n_runs", manifest["n_runs"], f"{len(scenarios)} scenario(s) x {n_points} points x "
                                                        f"{manifest['replications']} replications")
    bounds = manifest.get("bounds", {})
    if manifest["kind"] in ("morris", "sobol") and (not isinstance(bounds, dict) or any(
            not isinstance(bounds.get(n), list) or len(bounds[n]) != 2 for n in names)):
        raise _bad(path, "bounds", bounds, "[low, high] for every parameter")


def read_json(path: Path, damaged: str = "damaged metadata", consequence: str = "the folder cannot be read") -> Any:
    """A results folder's JSON file (a manifest, a comparison's metadata), read only if it is a regular file of at
    most ``MAX_MANIFEST_BYTES``; ResultsError in one line otherwise."""
    try:
        return json.loads(read_input(path, ResultsError, MAX_MANIFEST_BYTES, UNREAD))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ResultsError(f"{path}: {damaged} ({str(exc)[:80]}); {consequence}") from None


def read_manifest(out: Path) -> dict[str, Any]:
    """The plan's metadata, checked against its fingerprint and for the types readers rely on."""
    path = out / "manifest.json"
    if not path.exists():
        raise ResultsError(f"{out}: not an experiment results folder (no manifest.json)")
    manifest = read_json(path, "corrupted manifest", "the plan cannot be read")
    if not isinstance(manifest, dict):
        raise ResultsError(f"{path}: corrupted manifest (a JSON {type(manifest).__name__}, not an object)")
    design = "points" if "points" in manifest else "design_hash"
    missing = [k for k in ("n_runs", "kind", "parameters", design, "keep", "at") if k not in manifest]
    if missing:
        raise ResultsError(f"{path}: corrupted manifest (missing {', '.join(missing)})")
    if "fingerprint" in manifest:
        held = manifest["fingerprint"]
        fields = held.get("fields") if isinstance(held, dict) else None
        if not isinstance(fields, dict) or held.get("digest") != _digest(fields):
            raise ResultsError(f"{path}: its fingerprint is damaged; the folder cannot be trusted: re-run into a new folder")
        now = fingerprint_of(manifest)["fields"]
        edited = sorted(k for k in {*fields, *now} if fields.get(k) != now.get(k))
        if edited:
            raise ResultsError(f"{path}: {', '.join(edited)} changed since the folder was written (the manifest no "
                               "longer matches its fingerprint); restore the file, or re-run into a new folder")
    elif "definition" in manifest:
        raise ResultsError(f"{path}: fingerprint missing (the manifest was edited); restore the file, or re-run into a new folder")
    else:
        warnings.warn(ReadOnlyWarning(f"{out}: predates fingerprints (written by an older version): read-only, never "
                                      "resumed; its runs cannot be checked against the model that made them"),
                      stacklevel=2)
    _validate(path, manifest)
    return manifest


def design_table(parameters: list[str], points: np.ndarray) -> pa.Table:
    """Design points as a table, one column per parameter (a grid's column holds its parameter's kind of value)."""
    return pa.table({name: pa.array(np.ascontiguousarray(points[:, j])) for j, name in enumerate(parameters)})


def design_hash(table: pa.Table) -> str:
    """A digest of the design's values, not of the file's bytes, which change with the Parquet writer's version."""
    digest = hashlib.sha256()
    for name, column in zip(table.column_names, table.columns):
        values = column.to_numpy()
        digest.update(f"{name}:{column.type}:".encode())
        digest.update(json.dumps(values.tolist()).encode() if values.dtype == object else values.tobytes())
    return digest.hexdigest()[:16]


def read_design(out: Path, manifest: dict[str, Any]) -> pa.Table:
    """The design points, one column per parameter, checked against the manifest's hash.

    Folders written before design.parquet existed hold the points in the manifest instead.
    """
    if "points" in manifest:
        try:
            return design_table(manifest["parameters"], np.array(manifest["points"], dtype=object).reshape(
                len(manifest["points"]), len(manifest["parameters"])))
        except (ValueError, TypeError, pa.ArrowException):
            raise ResultsError(f"{out / 'manifest.json'}: corrupted manifest (its points do not fit its parameters)") from None
    path = out / DESIGN
    if not path.exists():
        raise ResultsError(f"{path}: missing; the design points of this experiment cannot be read")
    regular(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise ResultsError(f"{path}: corrupted design ({exc}); the design points cannot be read") from None
    if table.column_names != manifest["parameters"] or design_hash(table) != manifest["design_hash"] \
            or table.num_rows != manifest.get("n_points", table.num_rows):
        raise ResultsError(f"{path}: corrupted design (its points do not match the hash in manifest.json)")
    return table


# --- parts -----------------------------------------------------------------------------------------
def write_part(out: Path, rows: pd.DataFrame) -> Path:
    """Write one batch of finished runs atomically (a hidden ``.tmp`` file, then rename)."""
    final = out / "parts" / f"part-{uuid.uuid4().hex[:12]}.parquet"
    table = pa.Table.from_pandas(rows, preserve_index=False)
    atomic_write(final, lambda tmp: pq.write_table(table, tmp))
    return final


def clean_temporary(out: Path) -> int:
    """Remove temporary files a killed writer left behind; returns how many."""
    stale = list((out / "parts").glob(".*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def regular(path: Path) -> Path:
    """``path``, or a ResultsError if it is a named pipe, a device or a folder (never opened: it could block)."""
    try:
        kind = special_kind(path)
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read: {exc.strerror}") from None
    if kind:
        raise ResultsError(f"{path}: is {kind}, not a file; {UNREAD}")
    return path


def part_files(out: Path) -> list[Path]:
    """The folder's part files, each checked to be a regular file before anything opens it."""
    return [regular(p) for p in sorted((out / "parts").glob("part-*.parquet"))]


def read_results(out: Path, columns: list[str] | None = None, manifest: dict[str, Any] | None = None) -> pd.DataFrame:
    """Every finished row, each run once, sorted by run (and month), checked against the folder's plan.

    A part that does not belong (another experiment's fingerprint, run ids outside the plan,
    rows that do not match their run ids, no run ids) is named in the error. A run held by
    two parts is read from one: the one where it finished ok, else the first by name.
    Parts are joined and checked as Arrow tables; only the rows and columns asked for are
    converted to pandas, once.
    """
    manifest = read_manifest(out) if manifest is None else manifest
    legacy = "fingerprint" not in manifest
    mark, expected = ("experiment_hash", manifest.get("experiment_hash")) if legacy else ("fingerprint", stamp(manifest))
    check = ["run_id", "scenario", "point", "rep", "status", mark]
    needed = list(dict.fromkeys([*check, *(columns or manifest["keep"])]))
    wanted = None if columns is None else list(dict.fromkeys([*columns, *check, *(["month"] if manifest["at"] != "end" else [])]))
    tables, paths = [], part_files(out)
    for path in paths:
        try:
            with pq.ParquetFile(path) as part:
                table = part.read(columns=wanted)  # columns it lacks are left out, silently: checked next
        except (pa.ArrowException, OSError) as exc:
            raise ResultsError(f"{path}: unreadable Parquet part ({exc}); delete it and run the experiment again to redo its runs") from None
        missing = [c for c in needed if c not in table.column_names]
        if missing:
            raise ResultsError(f"{path}: not a part of this folder (no {', '.join(missing)} column); move it out of parts/")
        if table.column(mark).unique().to_pylist() not in ([], [expected]):
            raise ResultsError(f"{path}: holds runs of another experiment or model (its {mark} differs from "
                               "manifest.json's); move it out of parts/")
        tables.append(table)
    if not tables:
        return pd.DataFrame(columns=columns or ID_COLUMNS)
    part_of = np.repeat(np.arange(len(tables)), [t.num_rows for t in tables])
    try:
        table = pa.concat_tables(tables, promote_options="default")
    except pa.ArrowException as exc:
        raise ResultsError(f"{out}/parts: parts that do not fit together ({str(exc)[:120]}); one was edited or comes "
                           "from elsewhere") from None
    run_id, ok = _check_rows(table, part_of, paths, manifest)
    keep = _once(run_id, ok, part_of, manifest["n_runs"])
    if not keep.all():
        table = table.filter(pa.array(keep))
    if columns is not None:
        table = table.select([c for c in table.column_names if c in columns or c == "month"])
    frame = table.to_pandas()
    by = ["run_id", "month"] if "month" in frame.columns else ["run_id"]
    if frame.duplicated(by).any():  # the same run twice in one part
        frame = frame.drop_duplicates(by)
    return frame.sort_values(by, kind="stable").reset_index(drop=True)


def _check_rows(table: pa.Table, part_of: np.ndarray, paths: list[Path], manifest: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Run ids inside the plan, rows that match their run ids; returns the run ids and which rows finished ok."""
    def refuse(mask: np.ndarray, what: str) -> None:
        first = int(np.flatnonzero(mask)[0])
        raise ResultsError(f"{paths[part_of[first]]}: {what}; move it out of parts/ (it was edited or comes from elsewhere)")

    def values(name: str) -> np.ndarray:
        return table.column(name).to_numpy(zero_copy_only=False)

    column = table.column("run_id")
    if not pa.types.is_integer(column.type) or column.null_count:
        refuse(np.ones(table.num_rows, bool), "run_id is not a whole number")
    run_id = values("run_id").astype(np.int64)
    mask = (run_id < 0) | (run_id >= manifest["n_runs"])
    if mask.any():
        refuse(mask, f"run ids outside the plan (0 to {manifest['n_runs'] - 1}), such as {run_id[mask][0]}")
    status = values("status")
    ok, failed = status == "ok", status == "failed"
    if not (ok | failed).all():
        refuse(~(ok | failed), "a status other than ok or failed")
    scenarios, reps = manifest.get("scenarios"), manifest.get("replications")
    n_points = len(manifest["points"]) if "points" in manifest else manifest.get("n_points")
    if scenarios and reps and n_points:
        s, rest = np.divmod(run_id, n_points * reps)
        point, rep = np.divmod(rest, reps)
        named = pc.index_in(table.column("scenario"), value_set=pa.array(scenarios, pa.string())).fill_null(-1)
        for name, found, expected in (("point", values("point"), point), ("rep", values("rep"), rep),
                                      ("scenario", named.to_numpy(zero_copy_only=False), s)):
            mask = found != expected
            if mask.any():
                refuse(mask, f"rows whose {name} does not match their run id (run {run_id[mask][0]})")
    return run_id, ok


def _once(run_id: np.ndarray, ok: np.ndarray, part_of: np.ndarray, n_runs: int) -> np.ndarray:
    """Which rows to keep so that each run comes from one part: where it finished ok if it did, else the first."""
    order = np.lexsort((part_of, ~ok, run_id))  # by run, ok first, then part
    first = np.ones(len(order), bool)
    first[1:] = run_id[order][1:] != run_id[order][:-1]
    chosen = np.full(n_runs, -1, dtype=np.int64)
    chosen[run_id[order][first]] = part_of[order][first]
    return chosen[run_id] == part_of


def finished_runs(out: Path, manifest: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per finished run: run_id, seed, status, error; a failed run retried successfully counts as ok."""
    frame = read_results(out, columns=["run_id", "seed", "status", "error"], manifest=manifest)
    return frame.drop_duplicates("run_id").reset_index(drop=True)[["run_id", "seed", "status", "error"]]


# --- derived tables (summary, sensitivity): stamped with the parts they were computed from -------------------------
DERIVED = ("summary", "sensitivity")


def parts_stamp(out: Path) -> str:
    """A digest of which part files the folder holds: parts are written once under unique names and never changed, so
    the set of names says which runs a table read (take it before reading them: a part added meanwhile then makes
    the table stale, never falsely fresh)."""
    return hashlib.sha256("\n".join(p.name for p in part_files(out)).encode()).hexdigest()[:16]


def _stamp_path(out: Path, what: str) -> Path:
    return out / f".{what}.stamp.json"


def stamp_derived(out: Path, what: str, parts: str, finished: int, planned: int) -> None:
    """Record, beside ``what``'s CSV and HTML, the parts they were computed from (written after them)."""
    write_json({"parts": parts, "finished": finished, "planned": planned}, _stamp_path(out, what))


def staleness(out: Path, what: str) -> str | None:
    """Why ``what``.csv cannot be trusted to show the folder's runs (None if it can, or if it does not exist): it was
    computed from other parts than the folder holds now, or nothing records which."""
    if not (out / f"{what}.csv").exists():
        return None
    try:
        held = read_json(_stamp_path(out, what))
        parts, finished, planned = held["parts"], held["finished"], held["planned"]
    except (ResultsError, ValueError, KeyError, TypeError):
        return f"{what}.csv has no record of the runs it covers (written by an older version or edited)"
    if parts != parts_stamp(out):
        return f"{what}.csv was computed when {finished} of {planned} runs were finished, and the runs changed since"
    return None


def stale(out: Path) -> dict[str, str]:
    """The folder's derived tables that cannot be trusted to show its runs, with why."""
    return {what: why for what in DERIVED if (why := staleness(out, what))}


def status(out: Path) -> dict[str, Any]:
    manifest = read_manifest(out)
    done = finished_runs(out, manifest)
    failed = done[done["status"] == "failed"]
    return {"planned": manifest["n_runs"], "finished": int((done["status"] == "ok").sum()), "failed": len(failed),
            "remaining": manifest["n_runs"] - len(done), "parts": len(part_files(out)),
            "failures": failed[["run_id", "seed", "error"]].to_dict("records"),
            "stale": stale(out)}
