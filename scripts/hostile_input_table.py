#!/usr/bin/env python3
"""The table of issue 26's closing note: for each class of hostile input, the cases tried and those handled.

    python scripts/hostile_input_table.py                  # this checkout
    python scripts/hostile_input_table.py --before COMMIT  # and the same tests run against an older commit

A case is a row of the parametrised tests listed below (``pytest --collect-only`` counts them here); it is
handled when it passes. For ``--before``, the commit is checked out in a temporary worktree and this checkout's
tests are run against its code: a row that fails, or whose module cannot even import there, was not handled.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HANG_SECONDS = 120  # a row still running then counts as not handled (code that blocks on a FIFO hangs for ever)
CLASSES: dict[str, list[list[str]]] = {  # class: pytest selections (paths, then -k expressions)
    "compare folders": [["tests/experiments/test_compare_folders.py"],
                        ["tests/dashboards/test_results.py", "-k", "being_written"]],
    "stale summaries": [["tests/experiments/test_integrity.py", "-k", "stale or unfinished"]],
    "scenario identity": [["tests/test_hostile_input.py", "-k", "catalogue_scenario or twice_and_two_files"],
                          ["tests/experiments/test_compare.py", "-k", "reproduce_command"]],
    "special files": [["tests/test_bad_input.py", "-k", "special_files"],
                      ["tests/experiments/test_integrity.py", "-k", "fifo"],
                      ["tests/dashboards/test_results.py", "-k", "named_pipe"]],
    "injection": [["tests/model/test_files.py", "-k", "neutralis or carriage"],
                  ["tests/test_hostile_input.py", "-k", "control_characters or line_breaks"]],
    "one line, exit 2 (or the signal's status)": [
        ["tests/test_hostile_input.py", "-k", "names_too_long or hooks"],
        ["tests/test_bad_input.py", "-k", "peer_announcing or too-large"],
        ["tests/experiments/test_faults.py", "-k", "sigterm"],
        ["tests/dashboards/test_server.py", "-k", "cannot_start"],
        ["tests/dashboards/test_browser.py", "-k", "stopping_the_dashboard"]],
    "messages": [["tests/test_bad_input.py", "-k", "byte_order or set_twice"],
                 ["tests/experiments/test_spec.py", "-k", "sobol_too_few or twice or odd"],
                 ["tests/test_hostile_input.py", "-k", "parents_resolve"]],
    "no orphans": [["tests/test_orphans.py"]],
}


def count(tree: Path, selection: list[str], collect: bool) -> tuple[int, str]:
    """Rows collected (``collect``) or passed, by pytest run in ``tree`` on its own code."""
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            *(["--collect-only"] if collect else ["-rA", "-n", "2", "--dist", "loadfile", "--timeout", str(HANG_SECONDS),
                                                  "--timeout-method", "signal"]), *selection]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(args, cwd=tree, capture_output=True, text=True, env=env, timeout=1800)
    if collect:
        return len(re.findall(r"^\S+::\S+", done.stdout, flags=re.M)), done.stdout
    return len(re.findall(r"^PASSED ", done.stdout, flags=re.M)), done.stdout


def table(tree: Path, tried_in: Path) -> dict[str, tuple[int, int, list[str]]]:
    out = {}
    for name, selections in CLASSES.items():
        tried = handled = 0
        failed: list[str] = []
        for selection in selections:
            tried += count(tried_in, selection, collect=True)[0]
            passed, log = count(tree, selection, collect=False)
            handled += passed
            failed += re.findall(r"^(?:FAILED|ERROR) (\S+)", log, flags=re.M)
        out[name] = (tried, handled, failed)
        print(f"{name}: {handled} of {tried}", file=sys.stderr, flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", metavar="COMMIT", help="also run this checkout's tests against COMMIT's code")
    args = ap.parse_args()
    after = table(ROOT, ROOT)
    before = None
    if args.before:
        worktree = Path(tempfile.mkdtemp(prefix="before-"))
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.before], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            shutil.rmtree(worktree / "tests")
            shutil.copytree(ROOT / "tests", worktree / "tests")
            before = table(worktree, ROOT)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, capture_output=True)
    head = "| class | tried | handled before | handled after |" if before else "| class | tried | handled |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for name, (tried, handled, failed) in after.items():
        cells = [name, str(tried)] + ([str(before[name][1])] if before else []) + [str(handled)]
        print("| " + " | ".join(cells) + " |")
    remaining = [f for _, (_, _, failed) in after.items() for f in failed]
    print("\nstill failing: " + (", ".join(remaining) if remaining else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
