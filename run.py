#!/usr/bin/env python3
"""Command line of the returnee reintegration model (SYNTHETIC populations only).

    python run.py run SCENARIO [--seed N] [--months M] [--out DIR]
    python run.py compare [SCENARIO ...] [--reps R] [--seed N] [--months M] [--workers W]
                          [--uncertainty posterior|prior|chance] [--out DIR]
    python run.py experiment run FILE --out DIR [--workers W | --dask local | --dask ADDRESS]
    python run.py experiment status|summarize|sensitivity DIR
    python run.py calibrate [--budget N] [--particles N] [--workers W | --dask ADDRESS] [--out DIR] [--adopt]
    python run.py validate [--reps R] [--uncertainty posterior|prior|chance] [--workers W] [--out DIR]
    python run.py scenarios list | show NAME | validate [FILE ...]
    python run.py params [--markdown]
    python run.py dashboard [--host 127.0.0.1] [--port 8765] [--allow-host NAME ...]

This tool explores policy with synthetic populations. It is not, and must never be
used as, a risk assessment of real people.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

DISCLAIMER = "Synthetic population: a tool for exploring policy, never for assessing real people."
SUMMARY_OUTCOMES = (
    "arrived", "in_detention", "in_community", "removed", "stably_housed", "family_stability", "admin_clarity",
    "psychosocial_continuity", "employed", "trust", "bonding", "bridging", "linking", "reintegration_index",
    "reoffended_terror_cum", "reoffended_any_cum", "reincarcerated_cum", "housed_at_release",
    "living_lab_participants", "cost_eur_cum",
)


class UsageError(Exception):
    """Bad input from the user: reported on one line, exit status 2."""


class Interrupted(Exception):
    """Stopped by the user (Ctrl-C) after saving what was finished: exit status 130."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a job scheduler, a shutdown), handled as Ctrl-C is: pools shut down, finished work kept, one
    line, exit status 143 (128 + 15) and no semaphores left for the resource tracker to complain about."""


_terminated: list[int] = []  # set by the handler: a stop caught on the way (a batch's) still exits 143


def _terminate(signum: int, frame: object) -> None:
    _terminated.append(signum)
    raise Terminated()


def _stopped(exc: BaseException, line: str) -> int:
    """Say how a run was stopped; the exit status tells Ctrl-C (130) from SIGTERM (143)."""
    by_term = isinstance(exc, Terminated) or bool(_terminated)
    print(("terminated (SIGTERM); " if by_term else "" if isinstance(exc, Interrupted) else "interrupted; ") + line,
          file=sys.stderr)
    return 128 + (signal.SIGTERM if by_term else signal.SIGINT)


def _bounded(name: str, low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} {text!r} is not an integer; allowed {low} to {high}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name} {value} is out of range; allowed {low} to {high}")
        return value

    return parse


_months = _bounded("--months", 1, 1200)
_seed = _bounded("--seed", 0, 2**63 - 1)


def _overrides(pairs: list[str]) -> dict:
    """--set name=value pairs, values parsed as TOML scalars (1.2, true, "full"); one name and one value each.

    Control characters (newlines above all) are refused, so that no value can carry a second key.
    """
    import tomllib

    from model.api import control_character, show

    out = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep:
            raise UsageError(f"--set {show(pair)}: expected name=value")
        if control_character(pair, allowed="\t"):
            raise UsageError(f"--set {show(pair)}: a control character or line break in name=value; give one "
                             "name and one value per --set")
        name, raw = name.strip(), raw.strip()
        try:
            parsed = tomllib.loads(f"v = {raw}")
        except tomllib.TOMLDecodeError:
            parsed = {"v": raw}  # a bare word: full, local, chain
        except RecursionError:
            raise UsageError(f"--set {name}: the value is nested too deeply") from None
        except ValueError:  # more digits than Python converts
            raise UsageError(f"--set {name}: the value has more digits than any parameter allows") from None
        if list(parsed) != ["v"]:
            raise UsageError(f"--set {show(pair)}: more than one value; give one name and one value per --set")
        if name in out:
            raise UsageError(f"--set {name}: given twice ({show(out[name])}, then {show(parsed['v'])}); set each "
                             "parameter once")
        out[name] = parsed["v"]
    return out


def _format(value: float, name: str) -> str:
    if value != value:
        return "-"
    if name.startswith("cost"):
        return f"{value / 1e6:,.2f} M EUR"
    if name in ("arrived", "in_detention", "in_community", "removed", "living_lab_participants"):
        return f"{value:,.0f}"
    return f"{value:.3f}"


def cmd_run(args: argparse.Namespace) -> None:
    from model import api
    from model.api import OUTCOMES

    from experiments.store import check_out

    overrides = _overrides(args.set)
    scenario = api.scenario_with(args.scenario, overrides)  # bad names and values first
    out = Path(args.out) if args.out else Path("results") / scenario.name / f"seed-{args.seed}"
    check_out(out)  # then the folder, before the run
    result = api.run(args.scenario, seed=args.seed, months=args.months, overrides=overrides)
    api.save(result, out)
    final = result.final()
    print(f"{result.scenario.title}  (seed {args.seed}, {args.months} months to {final['date']}, {result.wall_time:.2f} s)")
    print(DISCLAIMER)
    width = max(len(OUTCOMES[name].label) for name in SUMMARY_OUTCOMES)
    for name in SUMMARY_OUTCOMES:
        print(f"  {OUTCOMES[name].label:<{width}}  {_format(float(final[name]), name):>14}")
    print(f"wrote {out}/timeseries.csv, timeseries_by_group.csv, run.json")


def cmd_compare(args: argparse.Namespace) -> None:
    from experiments import compare as cmp
    from experiments import compare_folder as folder
    from experiments.store import check_out, writer
    from model import api

    names = args.scenarios or ["baseline", "full_sra"]
    called: dict[str, tuple[str, Path]] = {}
    for ref in names:
        s = api.load(ref)  # fail fast, before any run, on a bad name or file
        if s.name in called:
            first, where = called[s.name]
            raise UsageError(f"compare: the scenario {ref} is named twice" if where == s.path.resolve() else
                             f"compare: {first} and {ref} are both called {s.name} (a scenario is known by its file's "
                             "name); rename one")
        called[s.name] = ref, s.path.resolve()
    if args.reps % args.seeds_per_draw:
        raise UsageError(f"--reps {args.reps} is not a multiple of --seeds-per-draw {args.seeds_per_draw}")
    if args.precision and args.max_reps < args.reps:
        raise UsageError(f"--max-reps {args.max_reps} is below --reps {args.reps}")
    precision = _precision(args.precision, len(names)) if args.precision else None
    out = Path(args.out) if args.out else Path("results") / ("compare-" + "-vs-".join(api.load(n).name for n in names))
    check_out(out, reserve=folder.SIBLING_BYTES, whole=True)  # before the runs: never computed for nothing
    folder.check_folder(out)
    for warning in cmp.horizon_warnings([api.load(n) for n in names], args.months):
        print(f"warning: {warning}", file=sys.stderr)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot create its folder ({exc.strerror})") from None
    with writer(out.parent, folder.lock_name(out), "`compare`", out):  # a second compare into it exits at once
        folder.tidy(out)
        common = dict(seed=args.seed, months=args.months, workers=args.workers, uncertainty=args.uncertainty,
                      progress=sys.stderr.isatty(), seeds_per_draw=args.seeds_per_draw)
        if precision:
            outcome, target = precision
            result = cmp.compare_to_precision(
                names, outcome, target, reps=args.reps, max_reps=args.max_reps, **common,
                on_round=lambda n, w: print(f"{n} replications: half-width of the paired interval of {outcome} "
                                            f"{w:.3g} (target {target:g})", file=sys.stderr))
        else:
            result = cmp.compare(names, reps=args.reps, **common)
        paths = folder.save(result, out)
    print(DISCLAIMER)
    print(cmp.format_table(result))
    print(f"{result.reps * len(names)} runs in {result.wall_time:.1f} s on {args.workers} worker(s)")
    print(f"wrote {out}/: " + ", ".join(p.name for p in paths.values()))


def _precision(text: str, n_scenarios: int) -> tuple[str, float]:
    """--precision OUTCOME=HALFWIDTH, checked before any run."""
    from model.api import OUTCOMES, show, suggest

    outcome, sep, raw = text.partition("=")
    if n_scenarios < 2:
        raise UsageError("--precision needs at least two scenarios: it is about a paired difference")
    if outcome not in OUTCOMES:
        raise UsageError(f"--precision {show(text)}: unknown outcome {show(outcome)}{suggest(outcome, OUTCOMES)}; "
                         "expected OUTCOME=HALFWIDTH")
    try:
        target = float(raw) if sep else float("nan")
    except ValueError:
        target = float("nan")
    if not 0 < target < float("inf"):
        raise UsageError(f"--precision {show(text)}: the half-width must be a positive number in the outcome's own "
                         "units (a share: 0.01 for one percentage point)")
    return outcome, target


def cmd_experiment(args: argparse.Namespace) -> None:
    from experiments import analysis, batch, store
    from experiments.spec import load_experiment

    if args.action == "run":
        exp = load_experiment(args.target, reps=args.reps, months=args.months)
        out = Path(args.out) if args.out else Path("results") / f"experiment-{exp.path.stem}"
        where = f"Dask ({args.dask})" if args.dask else f"{args.workers} worker(s)"
        print(f"{exp.title}: {exp.n_runs} runs ({len(exp.scenarios)} scenario(s) x {len(exp.points)} points x "
              f"{exp.replications} replications) on {where} -> {out}")
        report = batch.run_experiment(exp, out, workers=args.workers, dask=args.dask, batch=args.batch,
                                      retry_failed=args.retry_failed, progress=sys.stderr.isatty())
        done = f"{report.ran} runs in {report.wall_time:.1f} s ({report.ran / max(report.wall_time, 1e-9):.1f} runs/s)"
        print(f"{done}; {report.skipped} already finished; {report.failed} failed; "
              f"driver peak memory {report.peak_memory_mb:.0f} MB")
        for what, why in store.stale(out).items() if report.ran else ():
            print(f"stale: {why}; run `experiment {'summarize' if what == 'summary' else what} {out}` again")
        if report.interrupted:
            raise Interrupted(f"stopped; finished runs are saved in {out}. Resume with the same command.")
        return
    out = Path(args.target)
    if args.action == "status":
        st = store.status(out)
        print(f"{out}: planned {st['planned']}, finished {st['finished']}, failed {st['failed']}, "
              f"remaining {st['remaining']} ({st['parts']} part files)")
        for f in st["failures"][:20]:
            print(f"  failed run {f['run_id']} (seed {f['seed']}): {f['error']}")
        for what, why in st["stale"].items():
            print(f"  stale: {why}; run `experiment {'summarize' if what == 'summary' else what} {out}` again")
    elif args.action == "summarize":
        table, csv, html = analysis.summarize(out)
        print(f"{len(table)} design points summarised: wrote {csv} and {html}")
    else:
        table, csv, html = analysis.sensitivity(out)
        value = "mu_star" if "mu_star" in table.columns else "ST"
        for (scenario, outcome), rows in table.groupby(["scenario", "outcome"], sort=False):
            top = rows.sort_values(value, ascending=False)
            dummy = float(top.loc[top.parameter == "dummy", value].iloc[0])
            ranked = ", ".join(f"{r.parameter} {getattr(r, value):.3g}" for r in top.head(5).itertuples())
            print(f"{scenario} / {outcome}: {ranked}; dummy {dummy:.3g}")
        print(f"wrote {csv} and {html}")


def cmd_calibrate(args: argparse.Namespace) -> None:
    from experiments import abc, calibration
    from experiments.batch import dask_address
    from experiments.store import check_out

    out = Path(args.out) if args.out else Path("results") / "calibration"
    check_out(out)
    if args.dask is not None:
        dask_address(args.dask)  # a malformed address fails here, before any folder is made
    first = min(args.first, args.budget)
    if args.particles > first:
        raise UsageError(f"calibrate: --particles {args.particles} exceeds the first generation's {first} prior draws; "
                         "raise --budget or lower --particles")
    settings = abc.Settings(particles=args.particles, first=first, budget=args.budget)
    print(DISCLAIMER)
    paths = calibration.calibrate(out, settings, seed=args.seed, workers=args.workers, dask=args.dask,
                                  progress=sys.stderr.isatty())
    print(calibration.format_provenance(out))
    print(f"wrote {out}/: " + ", ".join(p.name for p in paths.values()))
    if args.adopt:
        print(f"adopted: {calibration.adopt(out)} now holds the posterior that --uncertainty posterior draws from")
    else:
        print(f"to draw from it by default: python run.py calibrate --out {out} --adopt (same settings: resumes, "
              "then adopts)")


def cmd_validate(args: argparse.Namespace) -> None:
    from experiments import validation
    from experiments.store import check_out

    out = Path(args.out) if args.out else Path("results") / "validation"
    check_out(out)
    report = validation.validate(reps=args.reps, seed=args.seed, workers=args.workers, uncertainty=args.uncertainty,
                                 prior_runs=args.loo_runs, progress=sys.stderr.isatty())
    paths = validation.save(report, out)
    print(DISCLAIMER)
    print(validation.format_table(report))
    print(f"wrote {out}/: " + ", ".join(p.name for p in paths.values()))


def cmd_scenarios(args: argparse.Namespace) -> None:
    from model import api

    if args.action == "list":
        for name in api.catalogue():
            s = api.load(name)
            print(f"{name:<28} {s.title}  [{', '.join(s.recommendations) or '-'}]")
    elif args.action == "show":
        if len(args.names) != 1:
            raise UsageError("scenarios show: give exactly one scenario name or file")
        s = api.load(args.names[0])
        base = api.load("baseline").base
        print(f"{s.name}: {s.title}\n{s.description}\nrecommendations: {', '.join(s.recommendations) or '-'}")
        print("parameters (* differs from baseline):")
        for name, value in s.base.items():
            print(f"  {'*' if value != base[name] else ' '} {name} = {value!r}")
        for ph in s.phases:
            d = ph.describe()
            print(f"  phase {d['start']} to {d['end'] or 'end'}: {d['parameters']}")
    else:  # validate
        names = args.names or api.catalogue()
        for name in names:
            api.load(name)
        print(f"{len(names)} scenario file(s) valid")


def cmd_params(args: argparse.Namespace) -> None:
    from model.api import REGISTRY, markdown_table

    if args.markdown:
        print(markdown_table())
        return
    print(f"{'parameter':<32} {'kind':<19} {'default':<10} {'accepted':<28} {'unit':<18} source")
    for p in REGISTRY.values():
        kind = p.role + (f" ({p.change})" if p.change else "")
        print(f"{p.name:<32} {kind:<19} {p.default!r:<10} {p.allowed():<28} {p.unit:<18} {p.source}")


def cmd_dashboard(args: argparse.Namespace) -> None:
    from dashboards.server import StartError, serve

    try:
        serve(args.host, args.port, args.allow_host)
    except StartError as exc:
        raise UsageError(str(exc)) from None


def _host_name(text: str) -> str:
    """--allow-host: a DNS name or an IP address (no wildcards, ports or paths)."""
    import ipaddress
    import re

    name = text.strip().lower()
    try:
        return str(ipaddress.ip_address(name.strip("[]")))
    except ValueError:
        pass
    if len(name) > 253 or not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*", name):
        raise argparse.ArgumentTypeError(f"--allow-host {text!r} is not a host name or an IP address")
    return name


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit status 2)."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="run.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run one scenario once and write its time series")
    r.add_argument("scenario", help="a scenario name from scenarios/ or a path to a .toml file")
    r.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    r.add_argument("--months", type=_months, help="months from Jan 2014 (default: the whole horizon)")
    r.add_argument("--out", help="output folder (default results/SCENARIO/seed-N)")
    r.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a parameter (repeatable)")
    r.set_defaults(func=cmd_run)

    from experiments.pool_server import default_workers

    c = sub.add_parser("compare", help="compare scenarios over paired replications (default: baseline vs full_sra)")
    c.add_argument("scenarios", nargs="*", help="scenario names or files; the first is the reference")
    c.add_argument("--reps", type=_bounded("--reps", 2, 100000), default=30, help="replications per scenario (default 30)")
    c.add_argument("--seed", type=_seed, default=0, help="root seed; replicate seeds are spawned from it (default 0)")
    c.add_argument("--months", type=_months, help="months from Jan 2014 (default: the whole horizon)")
    c.add_argument("--workers", type=_bounded("--workers", 1, 256), default=default_workers(),
                   help="parallel processes (default: the machine's cores)")
    c.add_argument("--uncertainty", choices=("posterior", "prior", "chance", "parameters"), default="posterior",
                   help="posterior (default): each replicate also takes one parameter set of the calibrated posterior "
                        "ensemble; prior: every uncertainty drawn from its prior; chance: replications only, every "
                        "uncertainty at its default; the draw is shared by all scenarios ('parameters' is the old word "
                        "for prior)")
    c.add_argument("--seeds-per-draw", type=_bounded("--seeds-per-draw", 1, 1000), default=1,
                   help="under prior or posterior uncertainty: replications that share one parameter draw (default 1); "
                        "with more, the share of draws keeping a difference's sign is measured on each draw's mean "
                        "difference, with less chance noise")
    c.add_argument("--precision", metavar="OUTCOME=HALFWIDTH",
                   help="double the replications until the paired 95%% interval of OUTCOME (end of horizon) is at most "
                        "HALFWIDTH on either side, in its own units (e.g. reoffended_any_cum=0.01)")
    c.add_argument("--max-reps", type=_bounded("--max-reps", 2, 100000), default=1000,
                   help="with --precision: replications at most (default 1000)")
    c.add_argument("--out", help="output folder (default results/compare-A-vs-B)")
    c.set_defaults(func=cmd_compare)

    e = sub.add_parser("experiment", help="batch experiments: run (resumable), status, summarize, sensitivity")
    e.add_argument("action", choices=("run", "status", "summarize", "sensitivity"))
    e.add_argument("target", help="run: an experiment file; otherwise: a results folder")
    e.add_argument("--out", help="run: results folder (default results/experiment-NAME); an existing one is resumed")
    where = e.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_bounded("--workers", 1, 256), default=default_workers(),
                       help="local processes (default: the machine's cores)")
    where.add_argument("--dask", metavar="local|tcp://HOST:PORT", help="run on a Dask LocalCluster or an existing scheduler")
    e.add_argument("--reps", type=_bounded("--reps", 1, 100000), help="override the file's replications (quick trials)")
    e.add_argument("--months", type=_months, help="override the file's months")
    e.add_argument("--batch", type=_bounded("--batch", 1, 10000), help="runs per part file (default: automatic)")
    e.add_argument("--retry-failed", action="store_true", help="run failed runs again on resume")
    e.set_defaults(func=cmd_experiment)

    k = sub.add_parser("calibrate", help="fit the priors to the published Belgian figures (ABC-SMC, resumable)")
    k.add_argument("--budget", type=_bounded("--budget", 100, 10_000_000), default=20000,
                   help="simulations in all, at most (default 20000: at most about 20 minutes on 2 cores; the shipped "
                        "posterior stopped at 12,240)")
    k.add_argument("--particles", type=_bounded("--particles", 20, 100000), default=400,
                   help="accepted parameter sets per generation, and members of the posterior ensemble (default 400)")
    k.add_argument("--first", type=_bounded("--first", 20, 10_000_000), default=2000,
                   help="prior draws of the first generation (default 2000)")
    k.add_argument("--seed", type=_seed, default=0, help="root seed (default 0)")
    where = k.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_bounded("--workers", 1, 256), default=default_workers(),
                       help="local processes (default: the machine's cores)")
    where.add_argument("--dask", metavar="local|tcp://HOST:PORT", help="run on a Dask LocalCluster or an existing scheduler")
    k.add_argument("--out", help="results folder (default results/calibration); an unfinished one is resumed")
    k.add_argument("--adopt", action="store_true",
                   help="make the result the shipped posterior (experiments/posterior/) that --uncertainty posterior uses")
    k.set_defaults(func=cmd_calibrate)

    v = sub.add_parser("validate", help="the model under the posterior beside every published figure, with replication "
                                        "analysis and leave-one-out checks (terminal table and validation.html)")
    v.add_argument("--reps", type=_bounded("--reps", 10, 100000), default=200, help="replications (default 200)")
    v.add_argument("--seed", type=_seed, default=0, help="root seed (default 0)")
    v.add_argument("--uncertainty", choices=("posterior", "prior", "chance"), default="posterior",
                   help="what each replicate draws (default posterior)")
    v.add_argument("--loo-runs", type=_bounded("--loo-runs", 20, 1000000), default=1000,
                   help="prior runs for the leave-one-out checks (default 1000)")
    v.add_argument("--workers", type=_bounded("--workers", 1, 256), default=default_workers(),
                   help="parallel processes (default: the machine's cores)")
    v.add_argument("--out", help="output folder (default results/validation)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("scenarios", help="list, show or validate scenario files")
    s.add_argument("action", choices=("list", "show", "validate"))
    s.add_argument("names", nargs="*", help="scenario names or files")
    s.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("params", help="list every parameter with range, unit and source")
    p.add_argument("--markdown", action="store_true", help="as a Markdown table (used in docs/ODD.md)")
    p.set_defaults(func=cmd_params)

    d = sub.add_parser("dashboard", help="start the Solara dashboard (works offline) and print its address")
    d.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    d.add_argument("--port", type=_bounded("--port", 1, 65535), default=8765, help="port (default 8765)")
    d.add_argument("--allow-host", type=_host_name, action="append", default=[], metavar="NAME",
                   help="also answer to this host name, e.g. the machine's name on the room's network (repeatable); "
                        "the bound address and localhost are always answered")
    d.set_defaults(func=cmd_dashboard)
    return ap


def _shown(text: object) -> str:
    """A message as a terminal can show it: bytes of a name in another encoding as ``\\xff``."""
    try:
        return os.fsencode(str(text)).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that no byte stands for
        return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {_shown(message)}", file=sys.stderr)


def _on_local_pool(args: argparse.Namespace) -> bool:
    """Whether the command runs on a pool of local processes (``experiments.runner.process_pool``)."""
    if args.command == "experiment":
        return args.action == "run" and args.dask is None and args.workers > 1
    if args.command == "calibrate":
        return args.dask is None and args.workers > 1
    return args.command in ("compare", "validate") and args.workers > 1


def main(argv: list[str] | None = None) -> int:
    """The command line; SIGTERM is handled as Ctrl-C while it runs (the previous handler is restored after)."""
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() else None
    _terminated.clear()
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    import warnings

    args = parser().parse_args(argv)
    if _on_local_pool(args):  # its server imports the model on the other core while this process does
        from experiments import pool_server

        pool_server.start()

    from experiments.spec import ExperimentError
    from experiments.store import ResultsError
    from model.api import DEFAULT_MONTHS, OutputError, ParameterError, ScenarioError

    if args.command in ("run", "compare") and args.months is None:  # parsing never imports the model
        args.months = DEFAULT_MONTHS

    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning  # a warning is one line too
            args.func(args)
    except (UsageError, ParameterError, ScenarioError, ExperimentError, ResultsError, OutputError) as exc:
        print(f"error: {_shown(exc)}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        return _stopped(exc, str(exc))
    except KeyboardInterrupt as exc:
        return _stopped(exc, "nothing half-written was left behind")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM while starting up: nothing was written yet
        sys.exit(_stopped(stop, "nothing was written"))
