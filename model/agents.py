"""Mesa agents: returnees, households, agencies and Living Labs.

The model's processes run vectorised over state arrays (``state.Population``); an
agent is a named view onto its slot, so Mesa's ``model.agents`` / ``AgentSet``
tools (select, groupby, agg) work on live state. Dashboards and experiments use
the public API in ``model.api`` instead of reaching into agents.
"""

from __future__ import annotations

import mesa

from .agencies import AGENCY_TYPES, LEVEL_NAMES
from .state import CITIZENSHIP_NAMES, CUSTODY_NAMES


class Returnee(mesa.Agent):
    """An adult who came back from Syria or Iraq (synthetic)."""

    def __init__(self, model: mesa.Model, slot: int):
        super().__init__(model)
        self.slot = slot

    @property
    def custody(self) -> str:
        return CUSTODY_NAMES[self.model.pop.custody[self.slot]]

    @property
    def gender(self) -> str:
        return "woman" if self.model.pop.woman[self.slot] else "man"

    @property
    def citizenship(self) -> str:
        return CITIZENSHIP_NAMES[self.model.pop.citizenship[self.slot]]

    def state(self) -> dict:
        """Every state variable of this returnee (for inspection and tests)."""
        pop = self.model.pop
        return {name: getattr(pop, name)[self.slot].item() for name in pop.__dataclass_fields__ if name != "n"}


class Household(mesa.Agent):
    """A returnee's family: partner, parents, children (stability, contact, youth protection)."""

    def __init__(self, model: mesa.Model, slot: int):
        super().__init__(model)
        self.slot = slot

    @property
    def stability(self) -> float:
        return float(self.model.pop.family_stability[self.slot])

    @property
    def children(self) -> int:
        return int(self.model.pop.children[self.slot])


class Agency(mesa.Agent):
    """One agency instance (a prison, a municipality's social services, ...)."""

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index
        spec = AGENCY_TYPES[model.ag.type[index]]
        self.kind = spec.name
        self.label = spec.label
        self.level = LEVEL_NAMES[spec.level]
        self.security_orientation = spec.security_orientation


class LivingLab(mesa.Agent):
    """The Living Lab of one municipality: sessions and participants."""

    def __init__(self, model: mesa.Model, municipality: int):
        super().__init__(model)
        self.municipality = municipality

    @property
    def participants(self) -> int:
        pop = self.model.pop
        return int((pop.ll_member & (pop.municipality == self.municipality)).sum())
