#!/usr/bin/env python3
"""Timing of the model (run on demand; never part of the test suite).

Reports: the wall time of one baseline run of the Belgian cohort over the default
horizon (median of several); the cost per agent-month against a minimal Mesa network
model (the performance target is a ratio of about 4 or less); and how the cost grows
with agents and edges (scaled cohorts), as cost per agent-month and per edge-month.

    python benchmarks/bench_run.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

import mesa  # noqa: E402
import networkx as nx  # noqa: E402

from bench_batch import timed  # noqa: E402  (the one timer of the benchmarks)
from model import api  # noqa: E402
from model.api import DEFAULT_MONTHS  # noqa: E402


class _Node(mesa.Agent):
    def __init__(self, model, node):
        super().__init__(model)
        self.node = node
        self.value = model.random.random()

    def step(self):
        neighbours = self.model.graph[self.node]
        if neighbours:
            self.value = 0.5 * self.value + 0.5 * self.model.values[next(iter(neighbours))]


class MinimalNetworkModel(mesa.Model):
    """The reference: agents on a networkx graph, each stepping once a month, Mesa-style."""

    def __init__(self, n: int, seed: int = 0):
        super().__init__(rng=seed)
        self.graph = nx.watts_strogatz_graph(n, 4, 0.1, seed=seed)
        self.values = [0.0] * n
        _Node.create_agents(self, n, node=list(range(n)))

    def step(self):
        self.agents.shuffle_do("step")
        for a in self.agents:
            self.values[a.node] = a.value


def median_time(fn, repeats: int) -> float:
    return timed(fn, repeats)["median"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    api.run("baseline", seed=0)  # warm-up

    t_run = median_time(lambda: api.run("baseline", seed=1), args.repeats)
    print(f"baseline run, Belgian cohort, {DEFAULT_MONTHS} months: {t_run * 1000:.0f} ms (median of {args.repeats})")

    rows = []
    for scale in (1.0, 5.0, 20.0):
        m = api.build("baseline", seed=1, overrides={"cohort_scale": scale})
        agents = m.pop.n * 2 + m.ag.n  # returnees, households, agencies
        edges = sum(g.weight.shape[1] for g in m.net.groups.values())
        t = median_time(lambda: api.run("baseline", seed=1, overrides={"cohort_scale": scale}), max(1, args.repeats // 2))
        rows.append((scale, agents, edges, t))
        print(f"scale {scale:>5g}: {agents:>6} agents, {edges:>7} edges: {t:.2f} s per run, "
              f"{t / (agents * DEFAULT_MONTHS) * 1e6:.2f} us per agent-month, {t / (edges * DEFAULT_MONTHS) * 1e9:.0f} ns per edge-month")
    (_, a1, e1, t1), (_, a3, e3, t3) = rows[0], rows[-1]
    print(f"growth from scale 1 to 20: agents x{a3 / a1:.1f}, edges x{e3 / e1:.1f}, time x{t3 / t1:.1f} (linear or better if time <= edges ratio)")

    n_ref = rows[-1][1]
    ref = MinimalNetworkModel(n_ref)
    t_ref = median_time(lambda: [ref.step() for _ in range(12)], 3) / 12
    t_model = rows[-1][3] / DEFAULT_MONTHS
    print(f"minimal Mesa network model, {n_ref} agents: {t_ref * 1000:.2f} ms per step; "
          f"this model at the same agent count: {t_model * 1000:.2f} ms per step; ratio {t_model / t_ref:.2f} (target <= 4)")


if __name__ == "__main__":
    main()
