#!/usr/bin/env python3
"""Throughput of the batched engine (run on demand; never part of the test suite).

    python benchmarks/bench_batch.py [--repeats 3] [--quick]

Every figure is a ratio to a run measured in the same process: the single-run path (a batch of
one) or, for the whole command, ``python run.py run baseline``. Medians with min and max over
``--repeats``. Writes ``benchmarks/results/batch.json`` and prints the markdown tables of
``docs/PERFORMANCE.md``:

1. runs per second per core for batches of 1, 8, 64 and 256 baseline replications, full horizon;
2. scaling with the cohort (x1, x10, x100 at one replicate): time, peak traced memory,
   fitted exponent and bytes per agent-replicate;
3. a 100-run experiment on 1 and 2 worker processes and on a Dask LocalCluster: throughput and parallel efficiency;
4. the headline target: a run's marginal cost inside ``run.py compare baseline full_sra --reps 64
   --workers 1`` against the compute of ``run.py run baseline``;
5. the time a 100,000-run Sobol design of the shipped levers would take: from a measured slice (its first 2,048
   runs, on 2 worker processes, as ``experiment run`` runs them) and from the throughput of the largest batch an
   experiment uses (``experiments.runner.BATCH_CAP``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "results" / "batch.json"

from experiments.runner import BATCH_CAP  # noqa: E402  (after the path is set)
PY = sys.executable


def timed(fn, repeats: int) -> dict:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def _child(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (peak memory of that process alone); it prints one JSON line."""
    done = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def batch_sizes(repeats: int, sizes: tuple[int, ...]) -> list[dict]:
    from model import api

    api.run("baseline", seed=0)  # warm-up
    rows = []
    for r in sizes:
        t = timed(lambda: api.run_batch([("baseline", s) for s in range(r)]), repeats if r <= 64 else 1)
        rows.append({"replicates": r, **t, "runs_per_s": r / t["median"]})
    one = rows[0]["runs_per_s"]
    for row in rows:
        row["ratio_to_single"] = row["runs_per_s"] / one
    return rows


SCALE_CODE = """
import json, time, tracemalloc
from model import api
m = api.build("baseline", seed=1, overrides={{"cohort_scale": {scale}}})
agents, edges = m.pop.n * 2 + m.ag.n, sum(g.weight.shape[1] for g in m.net.groups.values())
del m
start = time.perf_counter(); api.run("baseline", seed=1, months={months}, overrides={{"cohort_scale": {scale}}})
t = time.perf_counter() - start
tracemalloc.start()  # memory from a second run: tracing slows the run it traces
api.run("baseline", seed=1, months={months}, overrides={{"cohort_scale": {scale}}})
print(json.dumps({{"agents": agents, "edges": edges, "seconds": t, "peak_bytes": tracemalloc.get_traced_memory()[1]}}))
"""


def scaling(scales: tuple[float, ...], months: int) -> list[dict]:
    """Time and peak traced memory (numpy arrays included) of one run at each cohort scale, in fresh processes."""
    import numpy as np

    rows = [_child(SCALE_CODE.format(scale=s, months=months)) | {"scale": s} for s in scales]
    for row in rows:
        row["bytes_per_agent_replicate"] = row["peak_bytes"] / row["agents"]
    x = np.log([r["agents"] for r in rows])
    y = np.log([r["seconds"] for r in rows])
    exponent = float(np.polyfit(x, y, 1)[0])
    return [*rows, {"fitted_exponent": exponent}]


EXECUTORS = {"processes": lambda w: ["--workers", str(w)], "dask": lambda w: ["--dask", "local"]}


def experiment(workers: tuple[int, ...], dask: bool = True) -> list[dict]:
    """The same 100-run grid on a pool of 1 and 2 processes and on a Dask LocalCluster of 2 (its default here)."""
    rows = []
    spec = ('title = "bench"\ndescription = "100 runs"\nreplications = 50\nmonths = 204\n[outcomes]\n'
            'keep = ["reintegration_index"]\n[design]\nkind = "grid"\n[design.grid]\nliving_lab = [false, true]\n')
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(spec)
        runs = [("processes", w) for w in workers] + ([("dask", 2)] if dask else [])
        for executor, w in runs:
            start = time.perf_counter()
            done = subprocess.run([PY, "run.py", "experiment", "run", str(path), "--out", str(Path(tmp) / f"{executor}{w}"),
                                   *EXECUTORS[executor](w)], cwd=ROOT, check=True, capture_output=True, text=True)
            t = time.perf_counter() - start
            # the command's own figure: from planning the runs to the last part file
            running = float(re.search(r"100 runs in ([0-9.]+) s", done.stdout).group(1))
            rows.append({"executor": executor, "workers": w, "seconds": t, "running_s": running, "runs_per_s": 100 / t})
    for row in rows:
        row["efficiency"] = row["runs_per_s"] / (rows[0]["runs_per_s"] * row["workers"])
    return rows


SOBOL_RUNS = 100_000


def sobol_slice(slice_runs: int, workers: int = 2) -> dict:
    """The first ``slice_runs`` runs of a Sobol design of the shipped levers (``experiments/sobol_levers.toml``
    with samples raised until it holds at least 100,000 runs), run as ``experiment run`` runs them (a pool of
    ``workers`` processes started for it, batches of ``BATCH_CAP``, part files written); the time of 100,000
    runs at the slice's rate, start-up included in every slice."""
    import tomllib

    from experiments import batch
    from experiments.spec import load_experiment

    design = tomllib.loads((ROOT / "experiments" / "sobol_levers.toml").read_text())["design"]
    samples = design["samples"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sobol.toml"
        while True:
            path.write_text((ROOT / "experiments" / "sobol_levers.toml").read_text()
                            .replace(f"samples = {design['samples']}", f"samples = {samples}"))
            exp = load_experiment(path)
            if exp.n_runs >= SOBOL_RUNS:
                break
            samples *= 2
        full = exp.n_runs
        exp.points = exp.points[:slice_runs // exp.replications]  # the plan's order: point, then replicate
        start = time.perf_counter()
        report = batch.run_experiment(exp, Path(tmp) / "out", workers=workers, progress=False)
        seconds = time.perf_counter() - start
    assert report.ran == slice_runs and report.failed == 0, report
    return {"design_runs": full, "samples": samples, "slice_runs": slice_runs, "workers": workers,
            "seconds": seconds, "runs_per_s": slice_runs / seconds,
            "hours_for_100k": SOBOL_RUNS / (slice_runs / seconds) / 3600}


def headline(reps: int) -> dict:
    """Marginal cost per run inside compare against the compute of one ``run`` (both as a user sees them; the
    fastest of 3 runs and of 2 comparisons, so a neighbour's load on this shared machine counts least)."""
    def wall(args):
        start = time.perf_counter()
        subprocess.run([PY, *args], cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        imports = min(wall(["-c", "import model.api, experiments.compare"]) for _ in range(3))
        run = min(wall(["run.py", "run", "baseline", "--out", f"{tmp}/run{i}"]) for i in range(3))
        compare = min(wall(["run.py", "compare", "baseline", "full_sra", "--reps", str(reps), "--workers", "1",
                            "--out", f"{tmp}/cmp{i}"]) for i in range(2))
    single = run - imports
    marginal = (compare - run) / (2 * reps - 1)
    return {"import_s": imports, "run_s": run, "compare_s": compare, "single_run_compute_s": single,
            "marginal_per_run_s": marginal, "ratio": single / marginal, "target_ratio": 20.0}


SECTIONS = ("batches", "scaling", "experiment", "headline", "sobol_slice")


def measure(section: str, repeats: int, quick: bool):
    if section == "batches":
        return batch_sizes(repeats, (1, 8) if quick else (1, 8, 64, 256))
    if section == "scaling":
        return scaling((1.0, 3.0) if quick else (1.0, 10.0, 100.0), 24 if quick else 204)
    if section == "experiment":
        return experiment((1,) if quick else (1, 2), dask=not quick)
    if section == "headline":
        return headline(4 if quick else 64)
    return sobol_slice(64 if quick else 8 * BATCH_CAP)


def report(result: dict, sections: tuple[str, ...]) -> None:
    """The markdown tables of docs/PERFORMANCE.md for the ``sections`` measured."""
    result = {k: v for k, v in result.items() if k in sections or k not in SECTIONS}
    if "batches" in result:
        print("| replicates per batch | s per batch (median, min-max) | runs/s per core | x single run |\n|---|---|---|---|")
        for b in result["batches"]:
            print(f"| {b['replicates']} | {b['median']:.2f} ({b['min']:.2f}-{b['max']:.2f}) | {b['runs_per_s']:.1f} | "
                  f"{b['ratio_to_single']:.1f} |")
        print(f"100,000-run Sobol on 2 cores at the batch-{result['sobol_batch']} rate: "
              f"{result['sobol_100k_hours_2_cores']:.2f} h (target 0.5 h)")
    if "scaling" in result:
        print("\n| cohort scale | agents | ties | s per run | peak memory MB | bytes per agent-replicate |\n|---|---|---|---|---|---|")
        for s in result["scaling"][:-1]:
            print(f"| {s['scale']:g} | {s['agents']} | {s['edges']} | {s['seconds']:.2f} | {s['peak_bytes'] / 1e6:.0f} | "
                  f"{s['bytes_per_agent_replicate']:.0f} |")
        print(f"\nfitted exponent (time vs agents): {result['scaling'][-1]['fitted_exponent']:.2f}")
    if "experiment" in result:
        print("\n| executor | workers | s for 100 runs | of which the command reports running | runs/s | parallel efficiency |"
              "\n|---|---|---|---|---|---|")
        for e in result["experiment"]:
            print(f"| {e['executor']} | {e['workers']} | {e['seconds']:.1f} | {e['running_s']:.1f} | {e['runs_per_s']:.2f} | "
                  f"{e['efficiency']:.2f} |")
    if "headline" in result:
        h = result["headline"]
        print(f"\nheadline: run compute {h['single_run_compute_s']:.2f} s, marginal per run in compare "
              f"{h['marginal_per_run_s']:.3f} s: ratio {h['ratio']:.1f} (target >= 20)")
    if "sobol_slice" in result:
        sl = result["sobol_slice"]
        print(f"measured slice: the first {sl['slice_runs']:,} runs of a {sl['design_runs']:,}-run Sobol design "
              f"({sl['samples']} samples) on {sl['workers']} workers in {sl['seconds']:.1f} s ({sl['runs_per_s']:.1f} "
              f"runs/s): 100,000 runs in {sl['hours_for_100k']:.2f} h (target 0.5 h)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for checking the script itself")
    ap.add_argument("--only", choices=SECTIONS, action="append",
                    help="measure only this section (repeatable); the others are kept from the existing file")
    args = ap.parse_args()
    result = json.loads(OUT.read_text()) if args.only and OUT.exists() else {}
    result["machine"] = {"python": platform.python_version(), "platform": platform.platform(),
                         "cores": os.cpu_count(), "processor": platform.processor() or platform.machine()}
    sections = tuple(args.only or SECTIONS)
    for section in sections:
        result[section] = measure(section, args.repeats, args.quick)
    if "batches" in result:  # a long design runs in batches of BATCH_CAP runs (experiments.runner.batch_size)
        largest = max((b for b in result["batches"] if b["replicates"] <= BATCH_CAP), key=lambda b: b["replicates"])
        result["sobol_batch"] = largest["replicates"]
        result["sobol_100k_hours_2_cores"] = SOBOL_RUNS / (largest["runs_per_s"] * 2) / 3600
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1))
    report(result, sections)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
