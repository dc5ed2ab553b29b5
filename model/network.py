"""The multi-layer social network: typed nodes, typed and weighted ties, for a batch of replicates.

Layers (named once here): family (bonding), community (bridging: prosocial peers and other
returnees; extremist peers are community ties of negative valence), case (returnee-agency,
linking), coordination (agency-agency) and Living Lab (linking to professionals, bridging to
mentors). Every tie group's weights are one array, replicates x ties, so a month's tie
dynamics and the capital of every returnee cost one pass over the ties (linear in ties and
replicates). ``to_networkx`` builds the graph of one replicate for pictures and analysis;
no process reads networkx.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from . import kernels
from .agencies import AGENCY_TYPES, TIE_TYPES, Agencies, tie_name
from .arrays import gather

LAYERS = ("family", "community", "case", "coordination", "living_lab")
FAMILY, COMMUNITY, CASE, COORDINATION, LIVING_LAB = range(len(LAYERS))
NODE_KINDS = ("returnee", "family_member", "child", "peer", "mentor", "extremist_peer", "agency")
CASE_TYPES = ("prison", "justice_house", "social_welfare", "housing_service", "employment_service",
              "psychosocial_service", "counsellor", "local_cell", "youth_protection")
LL_PROFESSIONAL_TYPES = ("justice_house", "social_welfare", "psychosocial_service", "counsellor",
                         "local_cell", "police", "employment_service", "housing_service")
FAMILY_KINDS = ("relative", "radical_relative", "child")  # the attr of a family tie
RELATIVE, RADICAL_RELATIVE, CHILD = range(len(FAMILY_KINDS))
# group -> (layer, kind of the node at the other end: a node kind, "returnee" or "agency")
GROUPS: dict[str, tuple[int, str]] = {
    "family": (FAMILY, "family"), "peer": (COMMUNITY, "peer"), "extremist": (COMMUNITY, "extremist_peer"),
    "returnee": (COMMUNITY, "returnee"), "case": (CASE, "agency"), "ll_professional": (LIVING_LAB, "agency"),
    "ll_mentor": (LIVING_LAB, "mentor"),
}


@dataclass(frozen=True)
class ByOwner:
    """A per-returnee array (replicates x returnees) given where a tie update wants one value per tie: each tie
    takes its owner's value, read in the update itself (``Network.tend``)."""

    values: np.ndarray | bool | float


Given = np.ndarray | float | ByOwner  # a tie update's argument: per tie (or broadcast to it), or per owner


@dataclass
class TieGroup:
    """One group of ties, replicates x ties: the returnee who owns each, the other end, and its weight."""

    weight: np.ndarray
    owner: np.ndarray  # returnee index
    other: np.ndarray  # returnee, agency or node-of-its-kind index, per group
    attr: np.ndarray | None = None  # family: FAMILY_KINDS code; case and Living Lab: the agency type index
    per_owner: int | None = None  # ties of returnee i are i * per_owner ... (i + 1) * per_owner - 1, if so laid out

    def __post_init__(self) -> None:
        replicates, n_ties = self.weight.shape
        self.owner = np.broadcast_to(self.owner.astype(np.int64, copy=False), (replicates, n_ties))  # kernels' index type
        self._attr_keys: tuple[int, np.ndarray] | None = None  # (returnees, attr x returnees + owner)
        self._attr_masks: dict[int, np.ndarray] = {}

    def of_owner(self, values: np.ndarray) -> np.ndarray:
        """Each tie's owner's value of a per-returnee array (replicates x ties)."""
        return gather(values, self.owner)

    def ties_of(self, rows: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The ties of returnees ``owners`` in replicates ``rows`` (cells, row-major), as (replicates, ties) in
        row-major order: what ``np.nonzero`` of their mask gives, without a pass over every tie."""
        if self.per_owner is None:
            raise ValueError("ties_of needs ties laid out per owner (per_owner)")
        slots = np.arange(self.per_owner)
        return np.repeat(rows, self.per_owner), (owners[:, None] * self.per_owner + slots).ravel()

    def attr_is(self, value: int) -> np.ndarray:
        """The ties whose ``attr`` is ``value`` (replicates x ties), worked out once: attrs never change."""
        found = self._attr_masks.get(value)
        if found is None:
            found = self._attr_masks[value] = self.attr == value
            found.flags.writeable = False  # shared by every caller
        return found

    def of_owner_by_attr(self, values: np.ndarray) -> np.ndarray:
        """Each tie's owner's value for the tie's ``attr`` (an agency type, say) of a replicates x attrs x
        returnees array: one gather instead of one per attr value."""
        replicates, kinds, n = values.shape
        if self._attr_keys is None or self._attr_keys[0] != n:
            self._attr_keys = (n, self.attr * n + self.owner)
        return gather(values.reshape(replicates, kinds * n), self._attr_keys[1])


class Network:
    """The dynamic ties of a batch; the static structure (who is tied to whom) is fixed at initialisation."""

    def __init__(self, n: int, groups: dict[str, TieGroup], agencies: Agencies, n_nodes: dict[str, int]):
        self.n = n
        self.groups = groups
        self.agencies = agencies
        self.n_nodes = n_nodes  # nodes of each kind per returnee-owned block (pictures)

    def __getitem__(self, group: str) -> TieGroup:
        return self.groups[group]

    def tend(self, group: str, contact: Given, gain: Given, decay: Given, where: np.ndarray | ByOwner | None = None
             ) -> None:
        """Ties strengthen with contact (towards 1) and decay without it (towards 0).

        ``contact`` is in [0, 1] (a share of the month in contact); it, ``gain`` and ``decay`` are numbers, arrays
        that broadcast to the group's replicates x ties, or ``ByOwner`` per-returnee arrays (each tie takes its
        owner's value). With ``where`` (replicates x ties, or ``ByOwner``) only those ties change; the others keep
        exactly the weight they had. The update is one compiled pass (``kernels.tend``), in place, with any
        per-owner value read there: no replicates x ties array is made for it.
        """
        g = self.groups[group]
        per_tie, per_owner = g.weight.shape, (g.weight.shape[0], self.n)

        def given(x: Given | None, dtype: type) -> tuple[np.ndarray, bool]:
            owned = isinstance(x, ByOwner)
            values = np.asarray(True if x is None else x.values if owned else x, dtype=dtype)
            try:
                return np.broadcast_to(values, per_owner if owned else per_tie), owned
            except ValueError:
                raise ValueError(f"tend {group}: an argument is {values.shape}, "
                                 f"the ties are {per_tie} ({per_owner} per owner)") from None

        (c, c_own), (gn, g_own), (d, d_own), (wh, w_own) = (
            given(contact, float), given(gain, float), given(decay, float), given(where, bool))
        kernels.tend(g.weight, g.owner, c, gn, d, wh, c_own, g_own, d_own, w_own)

    def strength(self, group: str, weights: np.ndarray | float = 1.0) -> np.ndarray:
        """Sum of a group's tie weights (times ``weights`` per tie) per returnee: replicates x returnees."""
        g = self.groups[group]
        factor = np.broadcast_to(np.asarray(weights, dtype=float), g.weight.shape)
        return kernels.owner_sums(g.weight, factor, g.owner, self.n)

    def to_networkx(self, replicate: int, tie_freshness: np.ndarray, node_attrs: dict[str, np.ndarray] | None = None
                    ) -> nx.MultiGraph:
        """One replicate's network as a networkx MultiGraph with layer and weight on every tie of positive weight."""
        g = nx.MultiGraph()
        n, ag = self.n, self.agencies
        for i in range(n):
            attrs = {"kind": "returnee", "owner": i}
            if node_attrs:
                attrs.update({k: v[replicate, i].item() for k, v in node_attrs.items()})
            g.add_node(("returnee", i), **attrs)
        for a in range(ag.n):
            g.add_node(("agency", a), kind="agency", owner=-1, agency=a, agency_type=AGENCY_TYPES[ag.type[a]].name)
        for name, tg in self.groups.items():
            layer, other_kind = GROUPS[name]
            w, owner, other = tg.weight[replicate], tg.owner[replicate], tg.other[replicate]
            for e in np.flatnonzero(w > 0):
                i, j = int(owner[e]), int(other[e])
                if other_kind == "agency":
                    target = ("agency", j)
                elif other_kind == "returnee":
                    target = ("returnee", j)
                else:
                    kind = other_kind
                    if name == "family":
                        kind = "child" if tg.attr[replicate, e] == CHILD else "family_member"
                    target = (kind, j)
                    if target not in g:
                        g.add_node(target, kind=kind, owner=i if other_kind != "extremist_peer" else -1)
                g.add_edge(("returnee", i), target, layer=LAYERS[layer], weight=float(w[e]), group=name)
        fresh = tie_freshness[replicate]
        for t in np.flatnonzero(fresh > 0):
            g.add_edge(("agency", int(ag.tie_a[t])), ("agency", int(ag.tie_b[t])), layer="coordination",
                       weight=float(fresh[t]), group=tie_name(TIE_TYPES[ag.tie_type[t]]))
        return nx.convert_node_labels_to_integers(g, label_attribute="key")
