"""The forkserver that local process pools fork their workers from, startable before the model is imported.

A command that will run on more than one local process starts it first thing (``run.py``): the server then
imports the model (about 2 s on this project's machine) on one core while the driver imports it on the other,
instead of after it. ``runner.process_pool`` starts it too (a no-op when it runs), so every pool forks from it.

Started from the main thread, the server ignores Ctrl-C and dies with its driver even if that is killed
(``worker_guard``). Linux ties that guard to the thread that started the server, and Python lets only the main
thread set signal handlers, so from any other thread (a dashboard request) both are skipped: the server then
lives as long as the driver does.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import signal
import threading

from .worker_guard import DRIVER, pause_for_tests

POOL_PRELOAD = ("experiments.batch",)  # what the command line's workers run: batches of the model
_started: list[bool] = []  # whether this process started a server (the test hook pauses once)


def default_workers() -> int:
    """The cores this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def start(preload: tuple[str, ...] = POOL_PRELOAD) -> multiprocessing.context.BaseContext:
    """Start the forkserver (``preload`` imported in it once) unless it runs; return the context pools use.

    A server that died (its pool broke) is started again, guarded the same way."""
    ctx = multiprocessing.get_context("forkserver")
    main = threading.current_thread() is threading.main_thread()
    ctx.set_forkserver_preload([*(["experiments.worker_guard"] if main else []), *preload])
    if main:  # start the server with Ctrl-C ignored: it and the workers it forks inherit that
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.environ[DRIVER] = str(os.getpid())  # the server checks it still has this parent once its guard is set
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            os.environ.pop(DRIVER, None)
            signal.signal(signal.SIGINT, previous)
        if not _started:
            _started.append(True)
            pause_for_tests("driver")  # a test kills the driver in this window
    return ctx
