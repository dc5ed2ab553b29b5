"""Runs give the same outputs serially and on a process pool, whichever thread starts the pool."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from experiments import runner
from experiments.runner import Task, as_finished, process_pool, run_tasks
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


class _Counting(ThreadPoolExecutor):
    """Records the most submissions waiting or running at once."""

    def __init__(self) -> None:
        super().__init__(max_workers=4)
        self.outstanding = self.most = 0
        self._count = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        with self._count:
            self.outstanding += 1
            self.most = max(self.most, self.outstanding)
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future) -> None:
        with self._count:
            self.outstanding -= 1


def test_a_window_bounds_what_waits_on_a_shared_pool_and_every_item_comes_back_once():
    """The dashboard shares one pool: a comparison may hold at most ``window`` places in its queue."""
    with _Counting() as pool:
        got = dict(as_finished(pool, _slow_square, range(30), 3))
    assert got == {i: i * i for i in range(30)}
    assert pool.most == 3


def _slow_square(x: int) -> int:
    time.sleep(0.002 * (x % 4))
    return x * x


def test_a_serial_batch_moves_the_progress_bar_month_by_month_in_whole_runs():
    """One batch of 4 runs over 12 months: the bar moves before the batch ends and stops at exactly 4."""
    class Bar:
        def __init__(self):
            self.n, self.seen = 0, []

        def update(self, k):
            assert k >= 0
            self.n += k
            self.seen.append(self.n)

    bar = Bar()
    advance = runner._runs_done(bar, 4, 12)
    tasks = [Task(scenario_with("baseline"), seed, 12) for seed in range(4)]
    outputs = runner.execute_batch(tasks, on_month=advance)
    advance(12)
    assert len(outputs) == 4 and bar.n == 4
    assert bar.seen[2] == 1 and bar.seen[5] == 2  # a quarter of the runs' work after 3 of 12 months
    assert sorted(set(bar.seen)) == [0, 1, 2, 3, 4]


def test_batches_are_one_per_worker_up_to_the_cap():
    assert runner.batch_size(128, 1) == 128 and runner.batch_size(128, 2) == 64
    assert runner.batch_size(10_000, 2) == runner.BATCH_CAP and runner.batch_size(3, 8) == 1


def test_a_large_cohort_makes_smaller_batches_within_the_memory_budget():
    small = [Task(scenario_with("baseline"), seed, 12) for seed in range(300)]
    large = [Task(scenario_with("baseline"), seed, 12, {"cohort_scale": 100.0}) for seed in range(300)]
    assert [len(b) for b in runner.batches(small, 256)] == [256, 44]
    sizes = [len(b) for b in runner.batches(large, 256)]
    assert sum(sizes) == 300 and max(sizes) == runner.memory_cap(runner.api.replicate_bytes(
        runner.api.batch_key(large[0].scenario, large[0].overrides))) < 256
    assert max(sizes) * runner.api.replicate_bytes(runner.api.batch_key(large[0].scenario, large[0].overrides)) \
        <= runner.BATCH_MEMORY
