"""Make pool processes die with their parent (Linux), so a killed driver leaves no orphans.

Imported as the first forkserver preload (``pool_server.start``): the server then
receives SIGKILL when the driver dies (even by ``kill -9``), and every worker it forks,
from the moment it is forked, when the server dies.

``PR_SET_PDEATHSIG`` only covers a parent that dies *after* it is set. A driver killed in
the first tens of milliseconds, while the server is still starting Python, is gone before
the server can set it; the server would then fork the worker the dead driver had already
asked for, and the two would wait for each other forever (the worker holds the server's
liveness pipe open). So each process also checks, right after setting the signal, that
its parent is still the one it was started by (the driver's pid comes in the environment,
the server's is known to its forks) and exits at once if not. Elsewhere this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import time

_PR_SET_PDEATHSIG = 1
DRIVER = "REINTEGRATION_POOL_DRIVER"  # the driver's pid, set while it starts the server
PAUSE = "REINTEGRATION_PAUSE_AFTER_FORKSERVER"  # test hook: "server:S" or "driver:S" holds that process S seconds
TESTS_RUNNING = "PYTEST_CURRENT_TEST"  # the hook is read only under pytest
MAX_TEST_PAUSE = 30.0  # seconds
_role = "other"


def die_with_parent(parent: int | None = None) -> None:
    """SIGKILL this process when its parent dies; exit now if ``parent`` is given and is no longer the parent."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: orphans finish their batch and exit
        pass
    if parent is not None and os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)


def _after_fork_in_worker() -> None:
    global _role
    if _role == "server":  # a worker just forked by the server (not a process a worker forks itself)
        _role = "worker"
        die_with_parent(_server)


def test_pause(role: str) -> float:
    """The seconds the test hook asks ``role`` ("driver" or "server") to pause: 0 unless pytest started this
    process's command (pytest sets ``PYTEST_CURRENT_TEST`` for each test, and what a test starts inherits it) and the
    hook is well formed, so a user's stray variable never slows or breaks a command."""
    if TESTS_RUNNING not in os.environ:
        return 0.0
    name, _, seconds = os.environ.get(PAUSE, "").partition(":")
    try:
        value = float(seconds or 1)
    except ValueError:
        return 0.0
    return value if name == role and 0 < value <= MAX_TEST_PAUSE else 0.0


def pause_for_tests(role: str) -> None:
    """Hold this process (a starting forkserver, or the driver right after it started one) while a test kills it."""
    seconds = test_pause(role)
    if seconds:
        print(f"{role} paused after the forkserver started", file=sys.stderr, flush=True)
        time.sleep(seconds)


if os.environ.get(DRIVER, "").isdigit():  # in a forkserver that pool_server.start started
    pause_for_tests("server")
    die_with_parent(int(os.environ.pop(DRIVER)))
    _server, _role = os.getpid(), "server"
    os.register_at_fork(after_in_child=_after_fork_in_worker)
