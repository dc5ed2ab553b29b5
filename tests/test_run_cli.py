"""The command line: outputs, reproducibility and clear errors on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_run_writes_byte_identical_outputs_for_the_same_seed(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((a, "5"), (b, "5"), (c, "6")):
        done = cli("run", "baseline", "--seed", seed, "--months", "96", "--out", str(out))
        assert done.returncode == 0, done.stderr
    for name in ("timeseries.csv", "timeseries_by_group.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
        assert (a / name).read_bytes() != (c / name).read_bytes()
    meta = json.loads((a / "run.json").read_text())
    assert meta["seed"] == 5 and meta["months"] == 96 and meta["scenario"]["name"] == "baseline"
    assert "prison_staff_fill" in meta["scenario"]["parameters"] and meta["model_version"] and meta["wall_time_s"] > 0
    assert "Reintegration index" in cli("run", "baseline", "--months", "12", "--out", str(c)).stdout
    assert len(pd.read_csv(a / "timeseries.csv")) == 96


@pytest.mark.parametrize("args,expected", [
    (["run", "no_such_scenario"], "unknown scenario 'no_such_scenario'"),
    (["run", "missing/file.toml"], "missing/file.toml: no such scenario file"),
    (["run", "baseline", "--set", "prison_staff_fill=2"], "prison_staff_fill = 2 is not allowed; expected real in [0.5, 1]"),
    (["run", "baseline", "--set", "nonsense"], "expected name=value"),
    (["run", "baseline", "--months", "0"], "--months 0 is out of range; allowed 1 to 1200"),
    (["run", "baseline", "--seed", "abc"], "--seed 'abc' is not an integer"),
])
def test_bad_input_exits_non_zero_with_one_line_and_no_traceback(tmp_path, args, expected):
    done = cli(*args, "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_malformed_scenario_file_names_file_and_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "t"\ndescription = "d"\n[parameters]\nfamily_centred = 3\n')
    done = cli("run", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    line = done.stderr.strip()
    assert "\n" not in line and str(bad) in line and "parameters.family_centred" in line and "[0, 1]" in line


def test_scenarios_and_params_commands():
    assert "baseline" in cli("scenarios", "list").stdout
    assert "valid" in cli("scenarios", "validate").stdout
    assert "prison_staff_fill" in cli("params").stdout


@pytest.mark.parametrize("args,pool", [
    (["compare", "--workers", "2"], True),
    (["compare", "--workers", "1"], False),
    (["calibrate", "--workers", "2"], True),
    (["calibrate", "--dask", "local"], False),
    (["validate", "--workers", "2"], True),
    (["experiment", "run", "f.toml", "--workers", "2"], True),
    (["experiment", "run", "f.toml", "--dask", "local"], False),
    (["experiment", "status", "results/x", "--workers", "2"], False),
    (["run", "baseline"], False),
])
def test_the_forkserver_starts_before_the_model_is_imported_only_for_local_pools(args, pool):
    """A command on a local pool starts its forkserver right after parsing, so the server imports the model while
    the driver does; parsing itself must not import the model, or the two imports would not overlap."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import run; a = run.parser().parse_args(sys.argv[2:]); "
            "print(run._on_local_pool(a), 'model.api' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(pool), "False"]
