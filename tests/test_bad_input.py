"""Bad input: one clear line (exit status 2, no traceback, nothing written) for every class of issue 10.

Each class is one parametrised test whose rows are its cases, so the table of the closing
note (category, cases tried, handled) is the test report: ``pytest tests/test_bad_input.py -rA``.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import os
import socket
import struct
import threading
import time
from pathlib import Path

import pytest
from cli_helpers import assert_one_line, cli, tree

HEAD = 'title = "t"\ndescription = "d"\n'
EXP_HEAD = HEAD + "replications = 1\nmonths = 2\n"
GRID = EXP_HEAD + '[outcomes]\nkeep = ["linking"]\n[design]\nkind = "grid"\n[design.grid]\nfamily_contact = [0.1, 0.9]\n'
BIG = "9" * 400  # a 400-digit integer: no float holds it
HUGE = "9" * 5000  # more digits than Python converts from text by default (4300)
DEEP = 3000  # nesting deeper than any parser recursion allows


def nested(depth: int, table: bool = False) -> str:
    return "{a = " * depth + "1" + "}" * depth if table else "[" * depth + "]" * depth


def attempt(capsys, tmp_path: Path, kind: str, text: str):
    """Run ``text`` as a scenario file, a --set value or an experiment file; returns (result, out folder)."""
    out = tmp_path / "out"
    if kind == "scenario":
        path = tmp_path / "s.toml"
        path.write_text(HEAD + text)
        return cli(capsys, "run", path, "--months", "1", "--out", out), out
    if kind == "set":
        return cli(capsys, "run", "baseline", "--months", "1", "--set", text, "--out", out), out
    path = tmp_path / "e.toml"
    path.write_text(EXP_HEAD + text)
    return cli(capsys, "experiment", "run", path, "--workers", "1", "--out", out), out


def grid(line: str) -> str:
    return f'[design]\nkind = "grid"\n[design.grid]\n{line}\n'


# ------------------------------------------------------------------------------------------------
INTEGERS = {
    "scenario-nan": ("scenario", "[parameters]\nn_prisons = nan\n", "n_prisons"),
    "scenario-inf": ("scenario", "[parameters]\nn_prisons = inf\n", "n_prisons"),
    "scenario-minus-inf": ("scenario", "[parameters]\nn_prisons = -inf\n", "n_prisons"),
    "scenario-1e400": ("scenario", "[parameters]\nn_prisons = 1e400\n", "n_prisons"),
    "scenario-400-digits": ("scenario", f"[parameters]\nn_prisons = {BIG}\n", "n_prisons"),
    "scenario-5000-digits": ("scenario", f"[parameters]\nn_prisons = {HUGE}\n", "s.toml"),
    "scenario-real-400-digits": ("scenario", f"[parameters]\nfamily_centred = {BIG}\n", "family_centred"),
    "scenario-phase-nan": ("scenario", '[[phases]]\nstart = "2020-01"\n[phases.parameters]\nprep_window_months = nan\n',
                           "prep_window_months"),
    "set-nan": ("set", "n_prisons=nan", "n_prisons"),
    "set-inf": ("set", "n_prisons=inf", "n_prisons"),
    "set-1e999": ("set", "n_prisons=1e999", "n_prisons"),
    "set-400-digits": ("set", f"n_prisons={BIG}", "n_prisons"),
    "set-5000-digits": ("set", f"n_prisons={HUGE}", "n_prisons"),
    "set-real-400-digits": ("set", f"family_contact={BIG}", "family_contact"),
    "grid-nan": ("experiment", grid("n_prisons = [nan]"), "n_prisons"),
    "grid-inf": ("experiment", grid("n_prisons = [6, inf]"), "n_prisons"),
    "grid-400-digits": ("experiment", grid(f"n_prisons = [{BIG}]"), "n_prisons"),
    "grid-real-400-digits": ("experiment", grid(f"family_contact = [{BIG}]"), "family_contact"),
    "ranges-400-digits": ("experiment", f'[design]\nkind = "lhs"\nsamples = 4\nparameters = ["n_prisons"]\n'
                                        f'[design.ranges]\nn_prisons = [1, {BIG}]\n', "n_prisons"),
    "samples-400-digits": ("experiment", f'[design]\nkind = "lhs"\nsamples = {BIG}\nparameters = ["n_prisons"]\n',
                           "samples"),
}


@pytest.mark.parametrize("case", list(INTEGERS))
def test_integer_parameters_given_nan_inf_or_huge_numbers(capsys, tmp_path, case):
    kind, text, fragment = INTEGERS[case]
    done, out = attempt(capsys, tmp_path, kind, text)
    line = assert_one_line(done, fragment)
    assert len(line) < 400 and not out.exists(), line


# ------------------------------------------------------------------------------------------------
LATIN = 'title = "R\xe9insertion"\ndescription = "d"\n'.encode("latin-1")
NOT_UTF8 = {
    "scenario-latin-1": ("run", LATIN),
    "scenario-utf-16": ("run", HEAD.encode("utf-16")),
    "scenario-bad-byte-in-comment": ("run", b"# \xff\xfe\n" + HEAD.encode()),
    "parent-latin-1": ("parent", LATIN),
    "experiment-latin-1": ("experiment", b'title = "\xe9"\ndescription = "d"\n[design]\nkind = "grid"\n'),
    "experiment-names-a-latin-1-scenario": ("experiment-scenario", LATIN),
    "scenarios-validate": ("validate", LATIN),
    "scenarios-show": ("show", LATIN),
}


def read_as(capsys, tmp_path, how: str, bad: Path, out: Path):
    """Give the file ``bad`` to a command as a scenario, a parent, an experiment, an experiment's scenario, or to
    ``scenarios validate|show``."""
    if how == "run":
        return cli(capsys, "run", bad, "--months", "1", "--out", out)
    if how == "parent":
        child = tmp_path / "child.toml"
        ref = bad.name if bad.parent == tmp_path else bad  # beside the child: by its name, as files usually are
        child.write_text(HEAD + f'parent = "{ref}"\n')
        return cli(capsys, "run", child, "--months", "1", "--out", out)
    if how == "experiment":
        return cli(capsys, "experiment", "run", bad, "--out", out)
    if how == "experiment-scenario":
        exp = tmp_path / "e.toml"
        exp.write_text(GRID.replace("[outcomes]", f'scenarios = ["{bad}"]\n[outcomes]'))
        return cli(capsys, "experiment", "run", exp, "--out", out)
    return cli(capsys, "scenarios", how, bad)


@pytest.mark.parametrize("case", list(NOT_UTF8))
def test_files_that_are_not_utf8(capsys, tmp_path, case):
    how, data = NOT_UTF8[case]
    bad, out = tmp_path / "bad.toml", tmp_path / "out"
    bad.write_bytes(data)
    assert_one_line(read_as(capsys, tmp_path, how, bad, out), "bad.toml", "UTF-8")
    assert not out.exists()


@pytest.mark.parametrize("how", ["run", "parent", "experiment", "validate"])
def test_a_byte_order_mark_is_named_as_such(capsys, tmp_path, how):
    bad, out = tmp_path / "bad.toml", tmp_path / "out"
    bad.write_bytes(b"\xef\xbb\xbf" + (HEAD if how != "experiment" else GRID).encode())
    assert_one_line(read_as(capsys, tmp_path, how, bad, out), "bad.toml", "byte-order mark (BOM")
    assert not out.exists()


SPECIAL = {"fifo": "a named pipe (FIFO)", "folder": "a folder", "device": "a device or special file",
           "too-large": "larger than 1024 KB"}


@pytest.mark.parametrize("how", ["run", "parent", "experiment"])
@pytest.mark.parametrize("case", list(SPECIAL))
def test_special_files_where_a_file_belongs_are_refused_without_hanging(capsys, tmp_path, case, how):
    bad, out = tmp_path / "bad.toml", tmp_path / "out"
    if case == "fifo":
        os.mkfifo(bad)  # reading it would block forever: no writer ever comes
    elif case == "folder":
        bad.mkdir()
    elif case == "device":
        bad = Path("/dev/zero")
    else:
        bad.write_text(HEAD + "# " + "x" * (1024 * 1024) + "\n")
    assert_one_line(read_as(capsys, tmp_path, how, bad, out), str(bad), SPECIAL[case])
    assert not out.exists()


# ------------------------------------------------------------------------------------------------
NAME_EXPECTED = {
    "parent-list": ("scenario", 'parent = ["baseline"]\n', "parent"),
    "parent-table": ("scenario", 'parent = {name = "baseline"}\n', "parent"),
    "recommendations-nested-list": ("scenario", 'recommendations = [["I.1"]]\n', "recommendations[0]"),
    "recommendations-table": ("scenario", 'recommendations = [{id = "I.1"}]\n', "recommendations[0]"),
    "phases-from-list": ("scenario", 'phases_from = ["2016-01"]\n', "phases_from"),
    "phase-start-list": ("scenario", '[[phases]]\nstart = ["2020-01"]\n[phases.parameters]\nliving_lab = true\n', "start"),
    "choice-list": ("scenario", '[parameters]\ncoordination_scope = ["full"]\n', "coordination_scope"),
    "scenarios-nested-list": ("experiment", 'scenarios = [["baseline"]]\n' + grid("family_contact = [0.1]"), "scenarios"),
    "scenarios-table": ("experiment", 'scenarios = [{name = "baseline"}]\n' + grid("family_contact = [0.1]"), "scenarios"),
    "keep-nested-list": ("experiment", '[outcomes]\nkeep = [["linking"]]\n' + grid("family_contact = [0.1]"), "keep[0]"),
    "keep-table": ("experiment", '[outcomes]\nkeep = [{name = "linking"}]\n' + grid("family_contact = [0.1]"), "keep[0]"),
    "at-nested-list": ("experiment", '[outcomes]\nat = [["2014-02"]]\n' + grid("family_contact = [0.1]"), "at[0]"),
    "parameters-nested-list": ("experiment", '[design]\nkind = "lhs"\nsamples = 4\nparameters = [["tie_gain"]]\n',
                               "parameters[0]"),
    "parameters-table": ("experiment", '[design]\nkind = "lhs"\nsamples = 4\nparameters = [{name = "tie_gain"}]\n',
                         "parameters[0]"),
    "kind-list": ("experiment", '[design]\nkind = ["grid"]\n', "kind"),
    "grid-choice-nested-list": ("experiment", grid('coordination_scope = [["full"]]'), "coordination_scope"),
    "set-list": ("set", 'coordination_scope=["full"]', "coordination_scope"),
    "set-table": ("set", 'coordination_scope={name = "full"}', "coordination_scope"),
}


@pytest.mark.parametrize("case", list(NAME_EXPECTED))
def test_lists_or_tables_where_a_name_is_expected(capsys, tmp_path, case):
    kind, text, fragment = NAME_EXPECTED[case]
    done, out = attempt(capsys, tmp_path, kind, text)
    assert_one_line(done, fragment)
    assert not out.exists()


# ------------------------------------------------------------------------------------------------
NESTED = {
    "scenario-parameter-array": ("scenario", f"[parameters]\nfamily_centred = {nested(DEEP)}\n", "s.toml"),
    "scenario-parameter-table": ("scenario", f"[parameters]\nfamily_centred = {nested(DEEP, True)}\n", "s.toml"),
    "scenario-title": ("scenario-raw", f'title = {nested(DEEP)}\ndescription = "d"\n', "s.toml"),
    "scenario-200-deep": ("scenario", f"[parameters]\nfamily_centred = {nested(200)}\n", "family_centred"),
    "experiment-scenarios": ("experiment", f"scenarios = {nested(DEEP)}\n" + grid("family_contact = [0.1]"), "e.toml"),
    "experiment-grid": ("experiment", grid(f"family_contact = {nested(DEEP)}"), "e.toml"),
    "experiment-keep-200-deep": ("experiment", f"[outcomes]\nkeep = {nested(200)}\n" + grid("family_contact = [0.1]"),
                                 "keep"),
    "set-array": ("set", f"family_contact={nested(DEEP)}", "family_contact"),
    "set-table": ("set", f"family_contact={nested(DEEP, True)}", "family_contact"),
}


@pytest.mark.parametrize("case", list(NESTED))
def test_deeply_nested_values(capsys, tmp_path, case):
    kind, text, fragment = NESTED[case]
    if kind == "scenario-raw":
        (tmp_path / "s.toml").write_text(text)
        done, out = cli(capsys, "run", tmp_path / "s.toml", "--months", "1", "--out", tmp_path / "out"), tmp_path / "out"
    else:
        done, out = attempt(capsys, tmp_path, kind, text)
    line = assert_one_line(done, fragment)
    assert len(line) < 400 and not out.exists(), line


# ------------------------------------------------------------------------------------------------
def chain(folder: Path, depth: int, circular: bool = False) -> Path:
    """c0.toml (parent baseline, or the last file when circular) <- c1.toml <- ... <- c{depth}.toml."""
    folder.mkdir()
    for k in range(depth + 1):
        parent = f'parent = "c{k - 1}.toml"\n' if k else (f'parent = "c{depth}.toml"\n' if circular else "")
        (folder / f"c{k}.toml").write_text(HEAD + parent + f"[parameters]\nfamily_centred = {0.1 + k % 5 / 10}\n")
    return folder / f"c{depth}.toml"


PARENTS = {
    "depth-40": (40, False, "run", "parent"),
    "depth-400": (400, False, "run", "parent"),
    "depth-3000": (3000, False, "run", "parent"),
    "circular-2": (1, True, "run", "circular"),
    "circular-1500": (1500, True, "run", "parent"),  # refused at the limit, before the circle closes
    "depth-3000-in-an-experiment": (3000, False, "experiment", "parent"),
    "depth-3000-validate": (3000, False, "validate", "parent"),
}


@pytest.mark.parametrize("case", list(PARENTS))
def test_parent_chains_deeper_than_the_limit(capsys, tmp_path, case):
    depth, circular, how, fragment = PARENTS[case]
    top, out = chain(tmp_path / "chain", depth, circular), tmp_path / "out"
    if how == "run":
        done = cli(capsys, "run", top, "--months", "1", "--out", out)
    elif how == "validate":
        done = cli(capsys, "scenarios", "validate", top)
    else:
        exp = tmp_path / "e.toml"
        exp.write_text(GRID.replace("[outcomes]", f'scenarios = ["{top}"]\n[outcomes]'))
        done = cli(capsys, "experiment", "run", exp, "--out", out)
    line = assert_one_line(done, fragment)
    assert len(line) < 600 and not out.exists(), line


def test_a_parent_chain_at_the_limit_still_loads(tmp_path):
    from model import scenario as sc

    assert sc.load(chain(tmp_path / "chain", sc.MAX_PARENTS - 1)).base["family_centred"] == pytest.approx(0.1 + (sc.MAX_PARENTS - 1) % 5 / 10)


# ------------------------------------------------------------------------------------------------
SMUGGLED = {
    "newline-second-key": "family_contact=0.5\nliving_lab=true",
    "newline-second-bool": "living_lab=true\nfamily_contact=0.9",
    "string-then-key": 'coordination_scope="full"\nliving_lab=true',
    "crlf-second-key": "family_contact=0.5\r\nliving_lab=true",
    "newline-table-header": "living_lab=true\n[parameters]\nfamily_contact=0.9",
    "unicode-line-separator": "family_contact=0.5\u2028living_lab=true",
    "newline-in-the-name": "family_contact\nliving_lab=true",
    "escape-sequence": "coordination_scope=full\x1b[31m",
    "vertical-tab": "family_contact=0.5\x0bliving_lab=true",
}


@pytest.mark.parametrize("case", list(SMUGGLED))
def test_set_values_that_smuggle_in_a_second_key(capsys, tmp_path, case):
    out = tmp_path / "out"
    done = cli(capsys, "run", "baseline", "--months", "1", "--set", SMUGGLED[case], "--out", out)
    assert_one_line(done)  # refused, whatever the words: never a run with a value or key that was not meant
    assert not out.exists()


def test_a_parameter_set_twice_is_refused_in_one_line(capsys, tmp_path):
    out = tmp_path / "out"
    done = cli(capsys, "run", "baseline", "--months", "1", "--set", "family_contact=0.5", "--set",
               "family_contact=0.6", "--out", out)
    assert_one_line(done, "--set family_contact: given twice (0.5, then 0.6)")
    assert not out.exists()


# ------------------------------------------------------------------------------------------------
@pytest.fixture
def silent_listener():
    """A TCP port that accepts connections and never answers (not a Dask scheduler)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@contextlib.contextmanager
def peer_announcing(frame_bytes: int):
    """A TCP port whose peer answers any message with a Dask frame header announcing ``frame_bytes`` bytes, then
    nothing (a hostile or broken peer: reading the frame would need that much memory, or wait for ever)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop, held = threading.Event(), []

    def serve():
        while not stop.is_set():
            try:
                conn = server.accept()[0]
            except OSError:
                continue
            held.append(conn)
            conn.settimeout(5)
            with contextlib.suppress(OSError):
                conn.recv(65536)
                conn.sendall(struct.pack("<Q", frame_bytes) + bytes(64))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


DASK = {
    "no-host": "tcp://",
    "empty-host": "tcp://:8786",
    "no-port": "tcp://127.0.0.1",
    "port-not-a-number": "tcp://127.0.0.1:abc",
    "port-out-of-range": "tcp://127.0.0.1:99999",
    "http-scheme": "http://127.0.0.1:8786",
    "no-scheme": "127.0.0.1:8786",
    "typo-of-local": "locl",
    "space-in-host": "tcp://my host:8786",
    "connection-refused": "tcp://127.0.0.1:1",
    "unknown-host": "tcp://no-such-host.invalid:8786",
    "not-a-scheduler": "silent",
    "peer-announcing-a-1-tib-frame": 2**40,
    "peer-announcing-the-largest-frame": 2**64 - 1,
    "peer-announcing-an-8-gb-frame-then-silent": 8 * 10**9,
}


@pytest.mark.parametrize("case", list(DASK))
def test_dask_addresses_that_are_malformed_or_unreachable(capsys, tmp_path, case, request):
    with contextlib.ExitStack() as stack:
        given = DASK[case]
        address = request.getfixturevalue("silent_listener") if given == "silent" else \
            stack.enter_context(peer_announcing(given)) if isinstance(given, int) else given
        exp, out = tmp_path / "e.toml", tmp_path / "out"
        exp.write_text(GRID)
        start = time.perf_counter()
        done = cli(capsys, "experiment", "run", exp, "--out", out, "--dask", address)
    assert_one_line(done, "--dask")
    assert time.perf_counter() - start < 15 and not out.exists()


# ------------------------------------------------------------------------------------------------
def axes(names, n):
    return grid("\n".join(f"{p} = [{', '.join(str(v / n) for v in range(n))}]" for p in names))


LEVERS = ("family_contact", "info_flow", "ll_outreach", "tailored_access", "family_centred", "trauma_initial",
          "extremist_ties_initial", "host_capacity_mean", "national_consistency")  # each in [0, 1]
PLANS = {  # design, replications in the file, command-line options
    "grid-1e9-points": (axes(LEVERS, 10), 1, []),
    "grid-1000-cubed": (axes(LEVERS[:3], 1000), 1, []),
    "morris-100000-trajectories": ('[design]\nkind = "morris"\nsamples = 100000\nparameters = ["assumptions"]\n', 1, []),
    "sobol-65536": ('[design]\nkind = "sobol"\nsamples = 65536\nparameters = ["assumptions"]\n', 1, []),
    "1e9-runs": (axes(LEVERS[:2], 100), 100000, []),
    "reps-override-1e8-runs": (axes(LEVERS[:3], 10), 1, ["--reps", "100000"]),
}


@pytest.mark.parametrize("case", list(PLANS))
def test_plans_too_large_to_hold(capsys, tmp_path, monkeypatch, case):
    """Refused before sampling: the samplers, the grid's product and the folder are guarded, so a plan that is not
    refused fails this row at once instead of taking the machine's memory."""
    from experiments import spec, store

    def guard(*args, **kwargs):
        raise AssertionError("the plan was not refused before it was built")

    for module, name in ((spec, "_sample"), (spec, "product"), (store, "prepare")):
        monkeypatch.setattr(module, name, guard)
    design, reps, extra = PLANS[case]
    exp, out = tmp_path / "e.toml", tmp_path / "out"
    exp.write_text(EXP_HEAD.replace("replications = 1", f"replications = {reps}") + design)
    assert_one_line(cli(capsys, "experiment", "run", exp, "--out", out, "--workers", "1", *extra), "limit")
    assert not out.exists()


# ------------------------------------------------------------------------------------------------
COMMANDS = {
    "run": ["run", "baseline", "--months", "1"],
    "compare": ["compare", "baseline", "living_lab", "--reps", "2", "--months", "2", "--workers", "1"],
    "experiment": ["experiment", "run", "GRID", "--workers", "1"],
    "calibrate": ["calibrate", "--budget", "100", "--first", "100", "--particles", "20", "--workers", "1"],
    "validate": ["validate", "--reps", "10", "--loo-runs", "20", "--workers", "1"],
}
WRITTEN_AT_ROOT = {"timeseries.csv", "timeseries_by_group.csv", "run.json", "summary.csv", "summary_by_group.csv",
                   "comparison.json", "report.html", "manifest.json", "design.parquet", "parts", "calibration.json",
                   "chunks", "posterior.csv", "generations.csv", "provenance.json", "validation.html", ".lock",
                   *(f"validation_{t}.csv" for t in ("targets", "loo", "patterns", "effect", "replication", "rare",
                                                     "sensitivity"))}


@pytest.fixture
def refuse_writes(monkeypatch):
    """Fault injection: creating anything under ``folder`` fails with ``code`` (EACCES: a read-only directory;
    EROFS: a read-only file system), at the os.open / os.mkdir / open calls every writer goes through."""

    def install(folder: Path, code: int):
        real_open, real_mkdir, real_builtin_open = os.open, os.mkdir, builtins.open
        inside = lambda path: str(Path(os.fsdecode(path)).absolute()).startswith(str(folder))  # noqa: E731

        def fail(path):
            raise OSError(code, os.strerror(code), os.fsdecode(path))

        def os_open(path, flags, *args, **kwargs):
            if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                fail(path)
            return real_open(path, flags, *args, **kwargs)

        def mkdir(path, *args, **kwargs):
            if inside(path):
                fail(path)
            return real_mkdir(path, *args, **kwargs)

        def builtin_open(file, mode="r", *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)) and inside(file) and any(m in mode for m in "wax+"):
                fail(file)
            return real_builtin_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(os, "open", os_open)
        monkeypatch.setattr(os, "mkdir", mkdir)
        monkeypatch.setattr(builtins, "open", builtin_open)

    return install


@pytest.fixture
def count_runs(monkeypatch):
    from model import api

    calls = []

    def counting(real):
        def counted(*args, **kwargs):
            calls.append(1)
            return real(*args, **kwargs)
        return counted

    monkeypatch.setattr(api, "run", counting(api.run))  # single runs
    monkeypatch.setattr(api, "run_batch", counting(api.run_batch))  # compare, calibrate and validate run batches
    return calls


OUTS = ("existing-file", "under-a-file", "read-only-directory", "read-only-file-system", "root")


@pytest.mark.parametrize("where", OUTS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_out_folders_that_cannot_be_written_are_refused_before_any_run(capsys, tmp_path, command, where, refuse_writes,
                                                                        count_runs):
    exp = tmp_path / "grid.toml"
    exp.write_text(GRID)
    (tmp_path / "a-file").write_text("x")
    out = {"existing-file": tmp_path / "a-file", "under-a-file": tmp_path / "a-file" / "out",
           "read-only-directory": tmp_path / "ro" / "out", "read-only-file-system": tmp_path / "rofs" / "out",
           "root": Path("/")}[where]
    if where.startswith("read-only"):
        (tmp_path / out.parent.name).mkdir()
        refuse_writes(out.parent, errno.EACCES if where == "read-only-directory" else errno.EROFS)
    before, at_root = tree(tmp_path), set(os.listdir("/"))
    argv = [str(exp) if a == "GRID" else a for a in COMMANDS[command]]
    try:
        done = cli(capsys, *argv, "--out", out)
    finally:
        for name in set(os.listdir("/")) - at_root:  # what an unchecked run wrote into the root
            if name in WRITTEN_AT_ROOT:
                target = Path("/") / name
                if target.is_dir():
                    import shutil

                    shutil.rmtree(target)
                else:
                    target.unlink()
    assert_one_line(done, str(out))
    assert not count_runs, f"{len(count_runs)} runs made before the folder was refused"
    assert tree(tmp_path) == before and set(os.listdir("/")) == at_root
