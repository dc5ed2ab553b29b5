"""The reintegration model: a Mesa model whose monthly step is the ODD schedule."""

from __future__ import annotations

from typing import Iterable

import mesa
import numpy as np

from . import initialization
from .agencies import TYPE_INDEX
from .agents import Agency, Household, LivingLab, Returnee
from .calendar import DEFAULT_MONTHS, recorded_prison_density
from .network import LL_PROFESSIONAL_TYPES
from .outcomes import Recorder
from .parameters import KNOCKOUTS, ParameterError
from .scenario import Scenario, from_parameters
from .streams import Streams
from .submodels import SCHEDULE

# Per-returnee decisions drawn each month (common random numbers, see streams).
DECISIONS = (
    "programme", "visit", "care_start", "care_drop", "support", "release_housing", "release_hosting",
    "release_documents", "release_benefits", "release_care", "cr_grant", "housing_find", "hosting",
    "housing_loss", "work_find", "work_loss", "documents", "benefits", "family_contact", "peer_contact",
    "youth_start", "youth_end", "withdrawal", "document_loss", "removal", "ll_join", "ll_drop",
    "terror", "offence", "detected", "breach", "pretrial", "sentence_a", "sentence_b",
    "meeting", "media_shock",  # keyed by coordination tie, and a single draw (id 0)
)


class ReintegrationModel(mesa.Model):
    """Returnees, households and agencies on a multi-layer network, one step a month.

    ``knockouts`` switches named pathways off (see ``parameters.KNOCKOUTS``) so a test
    can show that an effect vanishes without its mechanism.
    """

    def __init__(self, scenario: Scenario | None = None, seed: int = 0, months: int = DEFAULT_MONTHS,
                 knockouts: Iterable[str] = ()):
        super().__init__(rng=seed)
        unknown = set(knockouts) - set(KNOCKOUTS)
        if unknown:
            raise ParameterError(f"unknown knock-out {sorted(unknown)[0]!r}; allowed: {', '.join(KNOCKOUTS)}")
        if not 1 <= months <= 1200:
            raise ParameterError(f"months = {months} is not allowed; expected an integer in [1, 1200]")
        self.seed = int(seed)
        self.spec = scenario or from_parameters()  # (Mesa reserves `scenario`)
        self.timeline = self.spec.timeline()
        self.months = months
        self.knockouts = frozenset(knockouts)
        self.p = self.timeline.at(0)
        structure = self.timeline.values_at(0)
        self.pop = initialization.cohort(self.seed, structure)
        weights = initialization.municipality_weights(structure["n_municipalities"])
        self.ag = initialization.agencies(self.seed, structure, weights)
        self.net = initialization.network(self.seed, structure, self.pop, self.ag)
        self.density_record = recorded_prison_density(months)
        self.streams = Streams(self.seed, DECISIONS)

        self.tie_freshness = np.zeros(len(self.ag.tie_a))
        self.ll_agencies: np.ndarray | None = None
        # agencies that can send professionals to a Living Lab (those returnees have Living Lab ties to)
        self.ll_professional_agency = np.isin(self.ag.type, [TYPE_INDEX[t] for t in LL_PROFESSIONAL_TYPES])
        self.shock = self.public_stigma = 0.0
        self.cost = self.cost_cum = 0.0
        self.meetings = 0
        self.update_capital()

        Returnee.create_agents(self, self.pop.n, slot=list(range(self.pop.n)))
        Household.create_agents(self, self.pop.n, slot=list(range(self.pop.n)))
        Agency.create_agents(self, self.ag.n, index=list(range(self.ag.n)))
        LivingLab.create_agents(self, structure["n_municipalities"], municipality=list(range(structure["n_municipalities"])))
        self.recorder = Recorder(self, months)
        self.month = 0

    def step(self) -> None:
        """One month: every process in the ODD order, then social capital and data collection."""
        self.p = self.timeline.at(self.month)
        self.u = self.streams.month(self.month, self.pop.n, width=len(self.ag.tie_a))
        self.cost = 0.0
        for process in SCHEDULE:
            process.step(self)
        self.update_capital()
        self.cost_cum += self.cost
        self.recorder.collect(self)
        self.month += 1

    def reseed(self, seed: int) -> None:
        """Draw every later monthly decision from ``seed``'s streams (the past and the population stay)."""
        self.streams = Streams(int(seed), DECISIONS)

    def run(self) -> None:
        """Run to the end of the horizon."""
        while self.month < self.months:
            self.step()

    def update_capital(self) -> None:
        """Bonding, bridging, linking and extremist ties of each returnee, from tie weights."""
        net, pop, k = self.net, self.pop, self.p.capital_saturation
        pop.bonding[:] = 1.0 - np.exp(-net.strength("family") / k)
        pop.bridging[:] = 1.0 - np.exp(-(net.strength("peer") + net.strength("ll_mentor")) / k)
        pop.linking[:] = 1.0 - np.exp(-(net.strength("case") + net.strength("ll_professional")) / k)
        per = max(self.p.extremist_peers_per_returnee, 1)
        pop.extremism[:] = net.strength("extremist") / per
