"""The command line in this process, and the one-line-error contract of bad input.

``cli`` calls ``run.main`` (as the dashboard tests do): a traceback is an exception that
fails the test, so a row passes only when the tool itself turned the case into its answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Done:
    code: int
    out: str
    err: str


def cli(capsys, *argv: str | Path) -> Done:
    import run

    capsys.readouterr()
    code = run.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return Done(code, captured.out, captured.err)


def cli_process(*argv: str | Path, timeout: float = 120, env: dict | None = None, preexec=None) -> Done:
    """run.py in a fresh interpreter (for limits, kills and races)."""
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), *map(str, argv)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, preexec_fn=preexec)
    return Done(done.returncode, done.stdout, done.stderr)


def assert_one_line(done: Done, *fragments: str, code: int = 2) -> str:
    """Exit status ``code``, stderr one line beginning 'error: ' that holds every fragment, no traceback."""
    err = done.err.strip()
    assert done.code == code, (done.code, done.err[-2000:])
    assert "Traceback" not in done.err and err.count("\n") == 0, done.err[-2000:]
    assert err.startswith("error: "), err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def tree(path: Path) -> set[str]:
    """Every path under ``path`` (to show that nothing was written)."""
    return {str(p.relative_to(path)) for p in path.rglob("*")} if path.exists() else set()


# --- processes a command leaves (kills, signals, orphans) -------------------------------------------------------
def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children...)."""
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        kids = [int(k) for k in subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()]
        found += kids
        frontier += kids
    return found


def cmdline(pid: int) -> str:
    """A process's command line ('' once it is gone); bytes of any encoding shown, never raised on."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (an exited process waiting to be reaped, a zombie, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
