"""The reintegration model: a Mesa model whose monthly step is the ODD schedule, over a batch of runs.

One model holds R runs (replicates) at once: each has its own scenario and seed, and
replicate r of every state array is that run. A single run is a batch of one; a batch
gives every run exactly what it gives alone (``tests/model/test_batch.py``).
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import mesa
import numpy as np

from . import initialization
from .agencies import TIE_TYPES, TYPE_INDEX
from .agents import Agency, Household, LivingLab, Returnee
from .arrays import gather
from .calendar import DEFAULT_MONTHS, recorded_prison_density
from .constants import MAX_MONTHS
from .knockouts import KNOCKOUTS, TIE_KNOCKOUTS
from .network import LL_PROFESSIONAL_TYPES
from .outcomes import COST_ITEMS, Recorder
from .parameters import ParameterError
from .scenario import Scenario, from_parameters
from .state import World
from .streams import Streams
from .submodels import SCHEDULE, wellbeing
from .timeline import BatchTimeline


class ReintegrationModel(mesa.Model):
    """Returnees, households and agencies on a multi-layer network, one step a month, for one or more runs.

    ``ReintegrationModel(scenario, seed)`` is one run; ``ReintegrationModel(runs=[(scenario, seed), ...])`` a
    batch. ``knockouts`` switches named pathways off (``model.knockouts.KNOCKOUTS``) so a test can show
    that an effect vanishes without its mechanism.
    """

    def __init__(self, scenario: Scenario | None = None, seed: int = 0, months: int = DEFAULT_MONTHS,
                 knockouts: Iterable[str] = (), runs: Sequence[tuple[Scenario, int]] | None = None):
        runs = list(runs) if runs is not None else [(scenario or from_parameters(), seed)]
        super().__init__(rng=int(runs[0][1]))
        unknown = set(knockouts) - set(KNOCKOUTS)
        if unknown:
            raise ParameterError(f"unknown knock-out {sorted(unknown)[0]!r}; allowed: {', '.join(KNOCKOUTS)}")
        if not 1 <= months <= MAX_MONTHS:
            raise ParameterError(f"months = {months} is not allowed; expected an integer in [1, {MAX_MONTHS}]")
        self.specs = [spec for spec, _ in runs]
        self.seeds = [int(s) for _, s in runs]
        self.months = months
        self.knockouts = frozenset(knockouts)
        self.timeline = BatchTimeline([s.timeline() for s in self.specs])
        start = self.timeline.values_at(0)
        self.structure = initialization.shape_of(start)
        draws = initialization.Draws(self.seeds)
        self.pop = initialization.cohort(draws, start)
        self.ag = initialization.agencies(start)
        self.net = initialization.network(draws, start, self.pop, self.ag)
        n_prisons = self.structure["n_prisons"]
        self.regime_z = np.tanh(draws.z("prison_regime", n_prisons))  # a fixed deviation per prison, in (-1, 1)
        self.ll_draw = draws.u("ll_professional", self.ag.n)  # an agency sends professionals below the share
        self.ll_sends = np.isin(self.ag.type, [TYPE_INDEX[t] for t in LL_PROFESSIONAL_TYPES])
        removed = [TIE_TYPES.index(TIE_KNOCKOUTS[k]) for k in self.knockouts if k in TIE_KNOCKOUTS]
        self.tie_removed = np.isin(self.ag.tie_type, removed)  # coordination ties knocked out (per tie)
        self.density_record = recorded_prison_density(months)
        # each hop's agencies and tie, valid for the prisons and municipalities they were worked out for
        self.file_ends = ((self.pop.prison.copy(), self.pop.municipality.copy()), {})  # (submodels.coordination)
        self.streams = Streams(self.seeds)
        self.cost_index = {item: k for k, item in enumerate(COST_ITEMS)}
        self.world = self._world(len(runs), n_prisons)
        self.month = 0
        self.p = self.timeline.at(0)
        self.update_capital()
        self.recorder = Recorder(self, months)
        if len(runs) == 1:
            self._views(0)

    @property
    def seed(self) -> int:
        return self.seeds[0]

    @property
    def spec(self) -> Scenario:
        return self.specs[0]

    @property
    def replicates(self) -> int:
        return len(self.seeds)

    def _world(self, replicates: int, n_prisons: int) -> World:
        from .agencies import SERVICE_TYPES

        zeros = lambda *shape: np.zeros((replicates, *shape))  # noqa: E731
        return World(
            prison_density=zeros(n_prisons), staff_per_detainee=zeros(n_prisons), prison_access=zeros(n_prisons),
            contact_regime=zeros(n_prisons), overtime=zeros(), staff_time=zeros(self.ag.n),
            service=zeros(len(SERVICE_TYPES), self.structure["n_municipalities"]), workload=zeros(),
            tie_freshness=zeros(len(self.ag.tie_a)), meetings=zeros(), ll_met=np.zeros((replicates, self.ag.n), dtype=bool),
            ll_sessions=zeros(), shock=zeros(), public_stigma=zeros(), cost=zeros(len(COST_ITEMS)), cost_cum=zeros(),
        )

    def _views(self, replicate: int) -> None:
        """Mesa agents as views onto one replicate's slots (for inspection)."""
        self.view_replicate = replicate
        n = self.pop.n
        Returnee.create_agents(self, n, slot=list(range(n)))
        Household.create_agents(self, n, slot=list(range(n)))
        Agency.create_agents(self, self.ag.n, index=list(range(self.ag.n)))
        municipalities = self.structure["n_municipalities"]
        LivingLab.create_agents(self, municipalities, municipality=list(range(municipalities)))

    def step(self) -> None:
        """One month: every process in the ODD order, then trust, social capital and data collection."""
        self.p = self.timeline.at(self.month)
        self.u = self.streams.month(self.month)
        self.files: dict = {}  # case-file hops of this month (submodels.coordination)
        self.world.cost[:] = 0.0
        for process in SCHEDULE:
            process.step(self)
        wellbeing.settle(self)
        self.update_capital()
        self.world.cost_cum += self.world.cost.sum(axis=1)
        self.recorder.collect(self)
        self.month += 1

    def run(self, on_month: Callable[[int], None] | None = None) -> None:
        """Run to the end of the horizon; ``on_month(months done)`` after each month (a progress bar)."""
        while self.month < self.months:
            self.step()
            if on_month is not None:
                on_month(self.month)

    def reseed(self, seeds: Sequence[int]) -> None:
        """Draw every later monthly decision from ``seeds``' streams (the past and the population stay)."""
        self.streams = Streams([int(s) for s in seeds])

    def update_capital(self) -> None:
        """Bonding, bridging, linking and extremist ties of each returnee, from tie weights."""
        net, pop, k = self.net, self.pop, self.p.capital_saturation
        returnees = net["returnee"]
        prosocial_returnees = net.strength("returnee", 1.0 - gather(pop.extremism, returnees.other))
        pop.bonding[:] = 1.0 - np.exp(-net.strength("family") / k)
        pop.bridging[:] = 1.0 - np.exp(-(net.strength("peer") + net.strength("ll_mentor") + prosocial_returnees) / k)
        pop.linking[:] = 1.0 - np.exp(-(net.strength("case") + net.strength("ll_professional")) / k)
        per = max(self.structure["extremist_peers_per_returnee"], 1)
        pop.extremism[:] = np.minimum(net.strength("extremist") / per, 1.0)
