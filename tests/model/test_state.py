"""Each submodel reads and writes only the state it declares (READS, WRITES), and all state exists from the start.

A month is run process by process on a baseline model in 2016 and 2027 (arrivals, releases, a
Living Lab and withdrawals under way); before each process the state is copied, attribute
reads are recorded through a proxy, and after it the arrays that changed must be declared
writes and the fields read must be declared reads or writes.
"""

import numpy as np
import pytest

from model import api
from model.state import Population, World
from model.submodels import SCHEDULE


class Recording:
    """A proxy that records which attributes of ``target`` are read or assigned."""

    def __init__(self, target, prefix: str, seen: set):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "_seen", seen)

    def __getattr__(self, name):
        self._seen.add(f"{self._prefix}.{name}")
        return getattr(self._target, name)

    def __setattr__(self, name, value):
        self._seen.add(f"{self._prefix}.{name}")
        setattr(self._target, name, value)

    def __getitem__(self, group):
        self._seen.add(f"{self._prefix}.{group}")
        return self._target[group]


def _snapshot(model) -> dict[str, np.ndarray]:
    out = {f"pop.{k}": v.copy() for k, v in model.pop.arrays().items()}
    out.update({f"world.{k}": v.copy() for k, v in model.world.arrays().items()})
    out.update({f"net.{g}": tg.weight.copy() for g, tg in model.net.groups.items()})
    return out


STATE_FIELDS = ({f"pop.{n}" for n in Population.__dataclass_fields__ if n != "n"}
                | {f"world.{n}" for n in World.__dataclass_fields__})


@pytest.mark.parametrize("month", [30, 156])
def test_every_submodel_reads_and_writes_only_what_it_declares(month):
    overrides = {"living_lab": True, "nationality_withdrawal_rate": 0.5, "electronic_monitoring_rate": 0.5,
                 "limited_detention_rate": 0.5, "coordination_scope": "full", "coordination_per_year": 12.0}
    model = api.build("baseline", seed=3, months=month + 1, overrides=overrides)
    while model.month < month:
        model.step()
    model.p = model.timeline.at(month)
    model.u = model.streams.month(month)
    model.files = {}
    model.world.cost[:] = 0.0
    pop, world, net = model.pop, model.world, model.net
    for process in SCHEDULE:
        name = process.__name__.rsplit(".", 1)[1]
        seen: set[str] = set()
        before = _snapshot(model)
        # hops keep each person's agencies from month to month: drop them so the process reads what it uses
        model.files, model.file_ends = {}, ((pop.prison.copy(), pop.municipality.copy()), {})
        model.pop, model.world, model.net = Recording(pop, "pop", seen), Recording(world, "world", seen), Recording(net, "net", seen)
        try:
            process.step(model)
        finally:
            model.pop, model.world, model.net = pop, world, net
        after = _snapshot(model)
        changed = {k for k in before if not np.array_equal(before[k], after[k], equal_nan=True)}
        declared_reads, declared_writes = set(process.READS), set(process.WRITES)
        assert changed <= declared_writes, f"{name} writes undeclared {sorted(changed - declared_writes)}"
        state_read = {k for k in seen if k in STATE_FIELDS or k.startswith("net.") and k[4:] in net.groups}
        undeclared = state_read - declared_reads - declared_writes
        assert not undeclared, f"{name} reads undeclared {sorted(undeclared)}"


def test_every_declared_field_exists():
    for process in SCHEDULE:
        for field in (*process.READS, *process.WRITES):
            kind, name = field.split(".", 1)
            assert (kind == "pop" and name in Population.__dataclass_fields__) or (
                kind == "world" and name in World.__dataclass_fields__) or kind == "net", (process.__name__, field)
