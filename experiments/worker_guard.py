"""Make pool processes die with their parent (Linux), so a killed driver leaves no orphans.

Imported as a forkserver preload: the server then receives SIGKILL when the driver dies
(even by ``kill -9``), and each worker, which calls ``die_with_parent`` at start, when
the server dies. Elsewhere this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: orphans finish their batch and exit
        pass


die_with_parent()
