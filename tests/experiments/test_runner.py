"""Runs give the same outputs serially and on a process pool, whichever thread starts the pool."""

import threading

import numpy as np

from experiments.runner import Task, process_pool, run_tasks
from model.api import scenario_with


def _tasks() -> list[Task]:
    return [Task(scenario_with("baseline"), seed, 24) for seed in (5, 6, 7)]


def test_a_pool_started_outside_the_main_thread_matches_serial_runs():
    """A dashboard request starts pools from a server thread, where Python forbids signal handlers."""
    serial = dict(run_tasks(_tasks(), workers=1, progress=False))
    pooled, errors = {}, []

    def in_thread() -> None:
        try:
            pool = process_pool(2, preload=("experiments.runner",))
            try:
                pooled.update(run_tasks(_tasks(), executor=pool, progress=False))
            finally:
                pool.shutdown()
        except Exception as exc:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(exc)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    assert not errors, errors
    for i, out in serial.items():
        np.testing.assert_array_equal(pooled[i].overall, out.overall)
        np.testing.assert_array_equal(pooled[i].by_group, out.by_group)
