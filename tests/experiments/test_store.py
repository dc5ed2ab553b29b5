"""Results folders: the design in its own Parquet file; older folders (points in the manifest, no fingerprint) read
but never resumed."""

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from experiments import batch, store
from experiments.analysis import sensitivity, summarize
from experiments.spec import load_experiment

MORRIS = ('title = "m"\ndescription = "d"\nreplications = 2\nmonths = 12\n[outcomes]\nkeep = ["linking"]\n'
          '[design]\nkind = "morris"\nsamples = 3\nparameters = ["tie_gain", "cost_meeting"]\n')


@pytest.fixture
def morris(tmp_path, monkeypatch):
    """A 24-run Morris experiment on a stand-in model whose outcome is tie_gain (plus the seed's luck)."""
    from model import api

    def model(scenario, seed, months, overrides):
        return SimpleNamespace(final=lambda: {"linking": overrides["tie_gain"] + seed % 1000 / 1e6})

    monkeypatch.setattr(api, "run", model)
    path = tmp_path / "morris.toml"
    path.write_text(MORRIS)
    return path


def results(out: Path) -> pd.DataFrame:
    return store.read_results(out).drop(columns=["wall_time"])


def as_old_format(out: Path) -> None:
    """Rewrite a folder as it was written before design.parquet and fingerprints: the points in the manifest."""
    manifest = store.read_manifest(out)
    points = store.read_design(out, manifest).to_pandas().to_numpy().tolist()
    for key in ("design", "n_points", "design_hash", "fingerprint", "definition"):
        del manifest[key]
    (out / "manifest.json").write_text(json.dumps({**manifest, "points": points}))
    (out / store.DESIGN).unlink()
    for part in store.part_files(out):
        pq.write_table(pq.read_table(part).drop_columns(["fingerprint"]), part)


def test_the_design_is_a_parquet_file_and_the_manifest_stays_small(tmp_path, morris):
    out = tmp_path / "out"
    exp = load_experiment(morris)
    batch.run_experiment(exp, out, workers=1, batch=5, progress=False)
    manifest = store.read_manifest(out)
    # its size does not grow with the design: the plan, the fingerprint and the resolved scenario and registry
    assert "points" not in manifest and manifest["n_points"] == 12 and (out / "manifest.json").stat().st_size < 40_000
    design = store.read_design(out, manifest).to_pandas()
    assert list(design.columns) == exp.parameters and (design.to_numpy() == exp.points).all()
    assert store.status(out) == {"planned": 24, "finished": 24, "failed": 0, "remaining": 0, "parts": 5, "failures": [],
                                 "stale": {}}
    assert len(summarize(out)[0]) == 12
    indices = sensitivity(out)[0].set_index("parameter")["mu_star"]
    assert indices["tie_gain"] > 0.01 and indices["cost_meeting"] == 0 and 0 < indices["dummy"] < 0.01


def test_an_old_folder_is_read_as_before_but_never_resumed(tmp_path, morris):
    out = tmp_path / "out"
    batch.run_experiment(load_experiment(morris), out, workers=1, batch=4, progress=False)
    finished, summary, indices = results(out), summarize(out)[0], sensitivity(out)[0]
    as_old_format(out)
    with pytest.warns(store.ReadOnlyWarning, match="predates fingerprints"):
        assert "points" in store.read_manifest(out) and store.status(out)["finished"] == 24
        pd.testing.assert_frame_equal(summarize(out)[0], summary)
        pd.testing.assert_frame_equal(sensitivity(out)[0], indices)
        pd.testing.assert_frame_equal(results(out), finished.drop(columns=["fingerprint"]))
    for part in store.part_files(out)[:3]:
        part.unlink()
    with pytest.warns(store.ReadOnlyWarning), pytest.raises(store.ResultsError, match="predates fingerprints") as err:
        batch.run_experiment(load_experiment(morris), out, workers=1, progress=False)
    assert "\n" not in str(err.value) and len(store.part_files(out)) == 3  # nothing run, nothing written


def test_a_changed_design_is_refused(tmp_path, morris):
    out = tmp_path / "out"
    batch.run_experiment(load_experiment(morris), out, workers=1, progress=False)
    changed = load_experiment(morris)
    changed.points[0, 0] = 0.123  # same file, other points (another sampler, say)
    with pytest.raises(store.ResultsError, match="holds a different plan \\(design_hash = "):
        batch.run_experiment(changed, out, workers=1, progress=False)


def test_a_missing_or_corrupted_design_file_is_named(tmp_path, morris):
    out = tmp_path / "out"
    batch.run_experiment(load_experiment(morris), out, workers=1, progress=False)
    design = out / store.DESIGN
    table = pq.read_table(design)
    wrong = table.set_column(0, "tie_gain", pa.array([0.5] * table.num_rows))
    for damage, message in [(lambda: design.unlink(), "missing"),
                            (lambda: design.write_bytes(b"not parquet"), "corrupted design"),
                            (lambda: pq.write_table(wrong, design), "do not match the hash in manifest.json")]:
        damage()
        for read in (lambda: sensitivity(out), lambda: batch.run_experiment(load_experiment(morris), out)):
            with pytest.raises(store.ResultsError, match=message) as err:
                read()
            assert str(err.value).startswith(f"{design}: ") and "\n" not in str(err.value)
    assert store.status(out)["finished"] == 24  # progress needs no design
