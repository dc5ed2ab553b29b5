#!/usr/bin/env python3
"""Driver cost of a 100,000-run study (run on demand; never part of the test suite).

Builds the Morris screening of ``experiments/morris_assumptions.toml`` with its samples
raised (400 trajectories: 103,200 runs) and times what the driver does before and around
the runs: loading the file, planning (the first batch, and every batch as the runner
builds them), preparing the results folder, reading its status; then fills the folder
with the part files ``batch.run_batch`` writes (the model stubbed out) and times the
resume bookkeeping (``store.finished_runs``, ``store.status``). Peak memory is the
driver's resident peak so far. No model run is made.

Before the design moved out of the manifest and planning became lazy (same machine):
load 1.4 s, plan 6.3 s, prepare 8.1 s, manifest 51.7 MB, status 1.5 s, peak 500 MB;
with 2,000 parts, finished_runs 12.7 s and status 13.8 s.

    python benchmarks/bench_plan.py [--samples 400] [--parts 2000]
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from experiments import batch, store  # noqa: E402
from experiments.spec import Experiment, load_experiment  # noqa: E402
from model import api  # noqa: E402

BATCH = 50  # what run_experiment picks for a plan this long


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn, note=lambda result: ""):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<34} {time.perf_counter() - start:8.3f} s   peak {peak_mb():6.0f} MB   {note(result)}")
    return result


def all_batches(exp: Experiment) -> int:
    todo = np.arange(exp.n_runs)
    return sum(len(exp.runs(todo[i:i + BATCH])) for i in range(0, len(todo), BATCH))


def fake_parts(out: Path, exp: Experiment, parts: int) -> None:
    """``parts`` part files of BATCH runs each, written by ``batch.run_batch`` with the model stubbed out."""
    rng = np.random.default_rng(0)
    result = SimpleNamespace(final=lambda: {o: rng.random() for o in exp.keep})
    stamp = (exp.file_hash, store.stamp(store.read_manifest(out)))
    with patch.object(api, "run", lambda *args, **kwargs: result):
        for k in range(parts):
            specs = exp.runs(np.arange(k * BATCH, min((k + 1) * BATCH, exp.n_runs)))
            store.write_part(out, batch.run_batch(specs, exp.months, exp.keep, exp.at, stamp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=400, help="Morris trajectories (400: 103,200 runs)")
    parser.add_argument("--parts", type=int, default=2000, help=f"part files of {BATCH} runs to time resuming")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        spec = Path(tmp) / "morris_large.toml"
        text = (ROOT / "experiments" / "morris_assumptions.toml").read_text()
        spec.write_text(re.sub(r"(?m)^samples = \d+", f"samples = {args.samples}", text))
        out = Path(tmp) / "out"
        print(f"after imports{'':<21} {'':>8}     peak {peak_mb():6.0f} MB")
        exp = timed("load_experiment", lambda: load_experiment(spec),
                    lambda e: f"{e.n_runs} runs, {len(e.points)} points x {len(e.parameters)} parameters")
        timed(f"first batch ({BATCH} runs)", lambda: exp.runs(np.arange(BATCH)))
        timed("every batch, as the runner builds", lambda: all_batches(exp), lambda n: f"{n} runs")
        timed("store.prepare (new folder)", lambda: store.prepare(out, exp))
        size = lambda name: f"{(out / name).stat().st_size / 1e6:.2f} MB"  # noqa: E731
        print(f"manifest.json {size('manifest.json')}, {store.DESIGN} {size(store.DESIGN)}")
        timed("store.status (no parts)", lambda: store.status(out))
        timed("store.prepare (resume check)", lambda: store.prepare(out, exp))
        parts = min(args.parts, -(-exp.n_runs // BATCH))
        timed(f"write {parts} fake parts", lambda: fake_parts(out, exp, parts))
        timed("store.finished_runs", lambda: store.finished_runs(out), lambda f: f"{len(f)} finished runs")
        timed("store.status", lambda: store.status(out), lambda s: f"{s['remaining']} remaining")


if __name__ == "__main__":
    main()
