"""No process of the project outlives the test session (issue 26, "no orphans").

Every process the tests start inherits ``REINTEGRATION_TEST_SESSION`` (set here, in pytest's first process,
before any worker or subprocess exists), even one that was orphaned and adopted by init. When the session ends,
the last hook waits briefly for such processes to exit; any left are listed, killed, and fail the session.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from cli_helpers import alive, cmdline

TAG = "REINTEGRATION_TEST_SESSION"
GRACE_SECONDS = 15.0  # a server's workers need a moment to notice their parent is gone
WORKER = "exec(eval(sys.stdin.readline()))"  # how pytest-xdist starts its workers (they exit with the session)


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def left_behind(tag: str) -> list[int]:
    """Running processes carrying the session's tag, other than this one and pytest-xdist's own workers."""
    mark = f"{TAG}={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid() and mark in _environ(int(entry.name)).split(b"\0"):
            pid = int(entry.name)
            if alive(pid) and WORKER not in cmdline(pid):
                found.append(pid)
    return found


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the first process: its workers and everything they start inherit it
        os.environ[TAG] = uuid.uuid4().hex


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput") or not Path("/proc/self/environ").exists():
        return
    tag, deadline = os.environ[TAG], time.monotonic() + GRACE_SECONDS
    leftovers = left_behind(tag)
    while leftovers and time.monotonic() < deadline:
        time.sleep(0.5)
        leftovers = left_behind(tag)
    if leftovers:
        shown = "; ".join(f"{pid}: {cmdline(pid)[:120]}" for pid in leftovers)
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        session.config.get_terminal_writer().line(f"processes outlived the test session (killed now): {shown}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
