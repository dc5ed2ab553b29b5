"""Mesa agents: returnees, households, agencies and Living Labs, as views onto one replicate's state.

The model's processes run vectorised over state arrays (``state.Population``, replicates x
slots); an agent is a named view onto its slot in the model's ``view_replicate``, so Mesa's
``model.agents`` / ``AgentSet`` tools (select, groupby, agg) work on live state.
Dashboards and experiments use the public API in ``model.api`` instead of reaching into agents.
"""

from __future__ import annotations

import mesa

from .agencies import AGENCY_TYPES, LEVEL_NAMES
from .state import CITIZENSHIP_NAMES, CUSTODY_NAMES


class _Slot(mesa.Agent):
    def __init__(self, model: mesa.Model, slot: int):
        super().__init__(model)
        self.slot = slot

    def _get(self, name: str):
        return getattr(self.model.pop, name)[self.model.view_replicate, self.slot]


class Returnee(_Slot):
    """An adult who came back from Syria or Iraq (synthetic)."""

    @property
    def custody(self) -> str:
        return CUSTODY_NAMES[self._get("custody")]

    @property
    def gender(self) -> str:
        return "woman" if self._get("woman") else "man"

    @property
    def citizenship(self) -> str:
        return CITIZENSHIP_NAMES[self._get("citizenship")]

    def state(self) -> dict:
        """Every state variable of this returnee (for inspection and tests)."""
        return {name: self._get(name).item() for name in self.model.pop.arrays()}


class Household(_Slot):
    """A returnee's family: partner, parents, children (stability, contact, youth protection)."""

    @property
    def stability(self) -> float:
        return float(self._get("family_stability"))

    @property
    def children(self) -> int:
        return int(self._get("children"))


class Agency(mesa.Agent):
    """One agency instance (a prison, a municipality's social services, ...)."""

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index
        spec = AGENCY_TYPES[model.ag.type[index]]
        self.kind = spec.name
        self.label = spec.label
        self.level = LEVEL_NAMES[spec.level]


class LivingLab(mesa.Agent):
    """The Living Lab of one municipality: sessions and participants."""

    def __init__(self, model: mesa.Model, municipality: int):
        super().__init__(model)
        self.municipality = municipality

    @property
    def participants(self) -> int:
        pop, r = self.model.pop, self.model.view_replicate
        return int((pop.ll_member[r] & (pop.municipality[r] == self.municipality)).sum())
