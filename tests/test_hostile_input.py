"""Hostile input (issue 26): texts that could inject, names the file system or a terminal cannot take, and the
project's own words for what other libraries would only warn about.

Each class is one parametrised test whose rows are its cases (``pytest tests/test_hostile_input.py -rA``).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_helpers import ROOT, assert_one_line, cli, tree

HEAD = 'title = "t"\ndescription = "d"\n'
GRID = ('replications = 1\nmonths = 2\n[outcomes]\nkeep = ["linking"]\n[design]\nkind = "grid"\n[design.grid]\n'
        'family_contact = [0.1, 0.9]\n')

# --- injection: control characters in titles and descriptions -------------------------------------------------
CONTROLS = {  # case: (file kind, field, text, the character named)
    "title-escape-sequence": ("scenario", "title", "\\u001b[2J\\u001b[31mred", "U+001B"),
    "title-line-break": ("scenario", "title", "two\\nlines", "U+000A"),
    "title-carriage-return": ("scenario", "title", "over\\rwritten", "U+000D"),
    "title-bidi-override": ("scenario", "title", "\\u202egnp.exe", "U+202E"),
    "title-line-separator": ("scenario", "title", "a\\u2028b", "U+2028"),
    "title-c1-control": ("scenario", "title", "a\\u009bb", "U+009B"),
    "description-escape-sequence": ("scenario", "description", "ok\\n\\u001b]0;owned\\u0007", "U+001B"),
    "description-delete": ("scenario", "description", "a\\u007fb", "U+007F"),
    "description-isolate": ("scenario", "description", "a\\u2066b", "U+2066"),
    "experiment-title-escape": ("experiment", "title", "\\u001b[2Jx", "U+001B"),
    "experiment-description-bell": ("experiment", "description", "x\\u0007", "U+0007"),
}


FILE_NAMES = {"c1-csi": "x\u009b31m.toml", "bidi-override": "y\u202eabc.toml", "escape": "z\u001b[2J.toml",
              "line-separator": "w\u2028.toml"}


@pytest.mark.parametrize("case", list(FILE_NAMES))
def test_control_characters_in_a_scenario_file_name_are_refused_and_never_echoed(capsys, tmp_path, case):
    from model.parameters import control_character

    path = tmp_path / FILE_NAMES[case]
    path.write_text(HEAD, encoding="utf-8")
    for words in (["scenarios", "show", path], ["compare", "baseline", path, "--reps", "2", "--out", tmp_path / "o"]):
        done = cli(capsys, *words)
        assert_one_line(done, "not a scenario name or file")
        assert control_character(done.err.rstrip("\n") + done.out) is None, done.err


@pytest.mark.parametrize("case", list(CONTROLS))
def test_control_characters_in_titles_and_descriptions_are_refused(capsys, tmp_path, case):
    """Refused by `scenarios validate` (and every command that loads the file) in one line naming the field and the
    character by its code point; the raw character never reaches the terminal."""
    kind, field, text, named = CONTROLS[case]
    values = {"title": "t", "description": "d", field: text}
    body = f'title = "{values["title"]}"\ndescription = "{values["description"]}"\n'
    path, out = tmp_path / "bad.toml", tmp_path / "out"
    path.write_text(body + (GRID if kind == "experiment" else ""), encoding="utf-8")
    done = cli(capsys, "scenarios", "validate", path) if kind == "scenario" else \
        cli(capsys, "experiment", "run", path, "--out", out)
    assert_one_line(done, "bad.toml", f"{field}: holds the control character {named}")
    from model.parameters import control_character

    assert control_character(done.err.rstrip("\n") + done.out) is None, done.err  # named, never printed raw
    assert tree(out) == set()


def test_line_breaks_and_tabs_stay_allowed_in_a_description(capsys, tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text('title = "t"\ndescription = """two\n\tlines"""\n', encoding="utf-8")
    done = cli(capsys, "scenarios", "validate", path)
    assert done.code == 0 and "1 scenario file(s) valid" in done.out


# --- scenario identity: a file is known by its own name, never as a catalogue scenario ---------------------------
def test_a_file_named_like_a_catalogue_scenario_is_labelled_by_its_content_hash(capsys, tmp_path):
    import hashlib
    import json

    from model import scenario as sc

    own = tmp_path / "baseline.toml"
    own.write_text(HEAD + "[parameters]\nliving_lab = true\n", encoding="utf-8")
    label = f"baseline@{hashlib.sha256(own.read_bytes()).hexdigest()[:8]}"
    assert sc.load(own).name == label and sc.load("baseline").name == "baseline"
    out = tmp_path / "cmp"
    done = cli(capsys, "compare", "baseline", own, "--reps", "2", "--months", "3", "--workers", "1",
               "--uncertainty", "chance", "--out", out)
    assert done.code == 0, done.err
    meta = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in meta["scenarios"]] == ["baseline", label]
    assert meta["scenarios"][1]["file"] == str(own) and str(own) in meta["command"]
    from model.api import read_csv

    assert set(read_csv(out / "summary.csv")["scenario"]) == {"baseline", label}


TWINS = {  # case: (the two references, written files, expected fragment)
    "same-file-twice": (["a/x.toml", "a/x.toml"], ["a/x.toml"], "named twice"),
    "catalogue-name-and-its-path": (["baseline", "CATALOGUE/baseline.toml"], [], "named twice"),
    "two-files-one-name": (["a/x.toml", "b/x.toml"], ["a/x.toml", "b/x.toml"], "both called x"),
}


@pytest.mark.parametrize("case", list(TWINS))
def test_compare_refuses_one_scenario_twice_and_two_files_of_one_name(capsys, tmp_path, case):
    from model.scenario import SCENARIO_DIR

    refs, files, fragment = TWINS[case]
    for k, name in enumerate(files):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(HEAD + f"[parameters]\nfamily_centred = 0.{k + 1}\n", encoding="utf-8")
    refs = [str(SCENARIO_DIR) + r[len("CATALOGUE"):] if r.startswith("CATALOGUE") else
            str(tmp_path / r) if "/" in r else r for r in refs]
    out = tmp_path / "out"
    assert_one_line(cli(capsys, "compare", *refs, "--reps", "2", "--out", out), fragment)
    assert not out.exists()


# --- parents: found beside the child, with or without .toml; errors name the child's parent field ---------------
PARENTS = {  # case: (parent field, files beside the child, family_centred expected or the error's fragments)
    "beside-without-toml": ("p", {"p.toml": 0.31}, 0.31),
    "beside-with-toml": ("p.toml", {"p.toml": 0.32}, 0.32),
    "beside-wins-over-the-catalogue": ("living_lab", {"living_lab.toml": 0.33}, 0.33),
    "subfolder-without-toml": ("sub/p", {"sub/p.toml": 0.34}, 0.34),
    "catalogue-when-none-beside": ("living_lab", {}, None),
    "missing-bare-name": ("nope", {}, ("child.toml: parent: unknown scenario 'nope'", "no nope.toml in")),
    "missing-path": ("sub/nope", {}, ("child.toml: parent: 'sub/nope': no such file",)),
    "broken-parent": ("p", {"p.toml": "broken"}, ("child.toml: parent 'p': ", "p.toml: parameters.no_such_lever")),
}


@pytest.mark.parametrize("case", list(PARENTS))
def test_parents_resolve_from_the_childs_folder(capsys, tmp_path, monkeypatch, case):
    from model import scenario as sc

    field, files, expected = PARENTS[case]
    folder = tmp_path / "files"
    for name, value in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        body = "[parameters]\nno_such_lever = 1\n" if value == "broken" else f"[parameters]\nfamily_centred = {value}\n"
        (folder / name).write_text(HEAD + body, encoding="utf-8")
    folder.mkdir(exist_ok=True)
    child = folder / "child.toml"
    child.write_text(HEAD + f'parent = "{field}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # another folder than the child's: resolution must not depend on it
    if isinstance(expected, tuple):
        assert_one_line(cli(capsys, "scenarios", "validate", child), *expected)
        return
    loaded = sc.load(child)
    want = sc.load("living_lab").base["family_centred"] if expected is None else expected
    assert loaded.base["family_centred"] == want


# --- names the file system or JSON cannot take: one line, exit 2, before any run --------------------------------
LONG = "n" * 250
NAMES = {  # case: (command words, with OUT for the --out folder, SCEN for a scenario file, EXP for an experiment)
    "run-out-too-long": (["run", "baseline", "--months", "1", "--out", "OUT/" + "x" * 256], "has a name of 256 bytes"),
    "compare-out-too-long-with-its-siblings": (["compare", "--reps", "2", "--out", "OUT/" + LONG], "at most 237"),
    "compare-derived-name-too-long": (["compare", "baseline", "SCEN"], "has a name of"),
    "experiment-out-too-long": (["experiment", "run", "EXP", "--out", "OUT/" + "x" * 300], "has a name of 300"),
    "validate-out-too-long": (["validate", "--out", "OUT/" + "x" * 256], "has a name of 256"),
    "calibrate-out-too-long": (["calibrate", "--out", "OUT/" + "x" * 256], "has a name of 256"),
    "run-out-not-utf8": (["run", "baseline", "--out", "OUT/r\udcff"], "not a UTF-8 name (byte 0xff"),
    "compare-out-not-utf8": (["compare", "--reps", "2", "--out", "OUT/c\udce9"], "not a UTF-8 name (byte 0xe9"),
    "scenario-file-not-utf8": (["run", "SCEN\udcff"], "not a UTF-8 name"),
    "experiment-file-not-utf8": (["experiment", "run", "EXP\udcff", "--out", "OUT/e"], "not a UTF-8 name"),
}


@pytest.mark.parametrize("case", list(NAMES))
def test_names_too_long_or_not_utf8_are_refused_before_any_run(capsys, tmp_path, monkeypatch, case):
    words, fragment = NAMES[case]
    monkeypatch.chdir(tmp_path)  # default folders (results/...) land here
    scenario = tmp_path / ("s" * 230 + ".toml")  # compare-baseline-vs-sss...: 250 bytes, with the siblings too long
    scenario.write_text(HEAD, encoding="utf-8")
    experiment = tmp_path / "e.toml"
    experiment.write_text(HEAD + GRID, encoding="utf-8")
    for path in (tmp_path / "SCEN\udcff", tmp_path / "EXP\udcff"):  # files that exist under names of another encoding
        path.write_bytes(scenario.read_bytes() if "SCEN" in path.name else experiment.read_bytes())
    before = tree(tmp_path)
    argv = [w.replace("OUT", str(tmp_path / "out")).replace("SCEN", str(scenario) if w == "SCEN" else str(tmp_path / "SCEN"))
            .replace("EXP", str(experiment) if w == "EXP" else str(tmp_path / "EXP")) for w in words]
    assert_one_line(cli(capsys, *argv), fragment)
    assert tree(tmp_path) == before  # nothing written, not even a results folder


# --- test-only environment hooks: ignored unless pytest runs the command ------------------------------------------
HOOKS = {  # case: (the hook's value, whether pytest's own variable is passed on)
    "set-outside-the-tests": ("driver:20", False),
    "server-hook-outside-the-tests": ("server:20", False),
    "malformed-seconds-under-the-tests": ("driver:soon", True),
    "absurd-seconds-under-the-tests": ("driver:1e9", True),
    "unknown-role-under-the-tests": ("everyone:5", True),
}


@pytest.mark.parametrize("case", list(HOOKS))
def test_test_hooks_in_a_users_environment_are_ignored(tmp_path, case):
    """The forkserver pause hook acts only under pytest and only when well formed: a stray or malformed value never
    holds, slows or breaks a user's command."""
    value, under_tests = HOOKS[case]
    env = {k: v for k, v in os.environ.items() if under_tests or k != "PYTEST_CURRENT_TEST"}
    env["REINTEGRATION_PAUSE_AFTER_FORKSERVER"] = value
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "--reps", "2", "--months", "1", "--workers",
                           "2", "--uncertainty", "chance", "--out", str(tmp_path / "c")], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0 and "paused" not in done.stderr and "Traceback" not in done.stderr, done.stderr
