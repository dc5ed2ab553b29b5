"""The multi-layer social network: typed nodes, typed and weighted edges.

Layers (named once here): family (bonding), community (bridging; extremist peers are
community ties of negative valence), case (returnee-agency, linking), coordination
(agency-agency) and Living Lab (linking to professionals, bridging to mentors).

Edges live in flat arrays so that a month's tie dynamics and the social capital of
every returnee cost one pass over the edges (linear in edges). ``to_networkx`` builds
the networkx graph with current weights for pictures and analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from . import streams
from .agencies import TYPE_INDEX, Agencies

LAYERS = ("family", "community", "case", "coordination", "living_lab")
FAMILY, COMMUNITY, CASE, COORDINATION, LIVING_LAB = range(len(LAYERS))
NODE_KINDS = ("returnee", "family_member", "child", "peer", "mentor", "extremist_peer", "agency")

# Edge groups with their own dynamics; each group is one layer, or part of one.
GROUPS = ("family", "peer", "extremist", "case", "coordination", "ll_professional", "ll_mentor", "static")
CASE_TYPES = ("prison", "justice_house", "social_welfare", "housing_service", "employment_service",
              "psychosocial_service", "counsellor", "local_cell", "youth_protection")
LL_PROFESSIONAL_TYPES = ("justice_house", "social_welfare", "psychosocial_service", "counsellor",
                         "local_cell", "police", "employment_service", "housing_service")
MENTORS_PER_RETURNEE = 2


@dataclass
class Network:
    node_kind: np.ndarray
    node_owner: np.ndarray  # the returnee a family member, child, peer or mentor belongs to (-1 if shared)
    node_agency: np.ndarray  # agency id of agency nodes, -1 otherwise
    src: np.ndarray
    dst: np.ndarray
    layer: np.ndarray
    weight: np.ndarray
    group: np.ndarray
    owner: np.ndarray  # returnee the edge belongs to, -1 for edges between others
    agency_type: np.ndarray  # for case and Living Lab edges: the agency type index, else -1
    n_returnees: int

    def __post_init__(self) -> None:
        self._idx = {g: np.flatnonzero(self.group == GROUPS.index(g)) for g in GROUPS}
        self._owner = {g: self.owner[i] for g, i in self._idx.items()}
        self._type = {g: self.agency_type[i] for g, i in self._idx.items()}

    def edges(self, group: str) -> np.ndarray:
        return self._idx[group]

    def owners(self, group: str) -> np.ndarray:
        return self._owner[group]

    def types(self, group: str) -> np.ndarray:
        return self._type[group]

    def tend(self, group: str, contact: np.ndarray, gain: float, decay: float) -> None:
        """Ties strengthen with contact (towards 1) and decay without it (towards 0).

        ``contact`` is per edge of the group, in [0, 1] (a share of the month in contact).
        """
        idx = self._idx[group]
        w = self.weight[idx]
        self.weight[idx] = w + gain * contact * (1.0 - w) - decay * (1.0 - contact) * w

    def strength(self, group: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Sum of a group's tie weights per returnee (optionally over a mask of its edges)."""
        w = self.weight[self._idx[group]]
        if mask is not None:
            w = w * mask
        return np.bincount(self._owner[group], weights=w, minlength=self.n_returnees)

    def to_networkx(self, node_attrs: dict[str, np.ndarray] | None = None) -> nx.MultiGraph:
        """The network as a networkx MultiGraph with layer and weight on every edge."""
        g = nx.MultiGraph()
        for node, kind in enumerate(self.node_kind):
            attrs = {"kind": NODE_KINDS[kind], "owner": int(self.node_owner[node])}
            if self.node_agency[node] >= 0:
                attrs["agency"] = int(self.node_agency[node])
            if node_attrs and node < self.n_returnees:
                attrs.update({k: v[node].item() for k, v in node_attrs.items()})
            g.add_node(node, **attrs)
        live = self.weight > 0
        g.add_edges_from(
            (int(s), int(d), {"layer": LAYERS[l], "weight": float(w), "group": GROUPS[gr]})
            for s, d, l, w, gr in zip(self.src[live], self.dst[live], self.layer[live], self.weight[live], self.group[live])
        )
        return g


class _Builder:
    def __init__(self) -> None:
        self.kind: list[np.ndarray] = []
        self.node_owner: list[np.ndarray] = []
        self.node_agency: list[np.ndarray] = []
        self.n_nodes = 0
        self.cols: dict[str, list[np.ndarray]] = {k: [] for k in ("src", "dst", "layer", "weight", "group", "owner", "agency_type")}

    def nodes(self, kind: str, owners: np.ndarray, agency: np.ndarray | None = None) -> np.ndarray:
        ids = np.arange(self.n_nodes, self.n_nodes + len(owners))
        self.n_nodes += len(owners)
        self.kind.append(np.full(len(owners), NODE_KINDS.index(kind)))
        self.node_owner.append(np.asarray(owners))
        self.node_agency.append(np.full(len(owners), -1) if agency is None else np.asarray(agency))
        return ids

    def edges(self, src, dst, layer: int, weight, group: str, owner, agency_type=-1) -> None:
        n = len(src)
        self.cols["src"].append(np.asarray(src))
        self.cols["dst"].append(np.asarray(dst))
        self.cols["layer"].append(np.full(n, layer))
        self.cols["weight"].append(np.broadcast_to(np.asarray(weight, dtype=float), (n,)).copy())
        self.cols["group"].append(np.full(n, GROUPS.index(group)))
        self.cols["owner"].append(np.broadcast_to(np.asarray(owner), (n,)).copy())
        self.cols["agency_type"].append(np.broadcast_to(np.asarray(agency_type), (n,)).copy())

    def build(self, n_returnees: int) -> Network:
        cat = {k: np.concatenate(v) if v else np.zeros(0) for k, v in self.cols.items()}
        return Network(
            node_kind=np.concatenate(self.kind), node_owner=np.concatenate(self.node_owner),
            node_agency=np.concatenate(self.node_agency),
            src=cat["src"].astype(np.int64), dst=cat["dst"].astype(np.int64), layer=cat["layer"].astype(np.int8),
            weight=cat["weight"].astype(float), group=cat["group"].astype(np.int8),
            owner=cat["owner"].astype(np.int64), agency_type=cat["agency_type"].astype(np.int64),
            n_returnees=n_returnees,
        )


def _block_edges(counts: np.ndarray, first_node: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, node) pairs where returnee i owns counts[i] consecutive nodes from first_node[i]."""
    owner = np.repeat(np.arange(len(counts)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(first_node, counts) + offset


def build_network(seed: int, p: dict, municipality: np.ndarray, children: np.ndarray, prison: np.ndarray,
                  family_tie: np.ndarray, extremist_tie: np.ndarray, agencies: Agencies) -> Network:
    """Build the network at initialisation (networkx generators seeded from the run's seed)."""
    n = len(municipality)
    ids = np.arange(n)
    b = _Builder()
    b.nodes("returnee", ids)

    # family (bonding): adult relatives and children, each tied to their returnee
    fam_counts = np.full(n, p["family_members"])
    first = b.nodes("family_member", np.repeat(ids, fam_counts))[:: max(p["family_members"], 1)]
    own, node = _block_edges(fam_counts, first)
    b.edges(own, node, FAMILY, family_tie[own], "family", own)
    if children.sum():
        child_nodes = b.nodes("child", np.repeat(ids, children))
        own = np.repeat(ids, children)
        b.edges(own, child_nodes, FAMILY, family_tie[own], "family", own)

    # community (bridging): each municipality's peer pool is a seeded small world
    k = p["peers_per_returnee"]
    if k:
        order = np.argsort(municipality, kind="stable")
        peer_nodes = b.nodes("peer", np.repeat(order, k))
        own = np.repeat(order, k)
        b.edges(own, peer_nodes, COMMUNITY, 0.2, "peer", own)
        start = 0
        for m in np.unique(municipality):
            size = int((municipality == m).sum()) * k
            pool = peer_nodes[start:start + size]
            start += size
            if size > 2:
                ws = nx.watts_strogatz_graph(size, min(4, size - 1), 0.1, seed=streams.subseed(seed, f"peers:{m}"))
                e = np.array(ws.edges(), dtype=np.int64).reshape(-1, 2)
                b.edges(pool[e[:, 0]], pool[e[:, 1]], COMMUNITY, 0.5, "static", -1)

    # extremist peers: a national pool shared between returnees
    e_k = p["extremist_peers_per_returnee"]
    if e_k:
        pool_size = max(2, int(round(n * e_k / 3)))
        pool = b.nodes("extremist_peer", np.full(pool_size, -1))
        for j in range(e_k):
            pick = (streams.uniform(seed, f"init:extremist_peer:{j}", -1, n) * pool_size).astype(np.int64)
            b.edges(ids, pool[pick], COMMUNITY, extremist_tie, "extremist", ids)
        er = nx.fast_gnp_random_graph(pool_size, min(1.0, 3.0 / pool_size), seed=streams.subseed(seed, "extremist_pool"))
        e = np.array(er.edges(), dtype=np.int64).reshape(-1, 2)
        b.edges(pool[e[:, 0]], pool[e[:, 1]], COMMUNITY, 0.5, "static", -1)

    # agencies as nodes; coordination ties between them
    agency_nodes = b.nodes("agency", np.full(agencies.n, -1), np.arange(agencies.n))
    b.edges(agency_nodes[agencies.tie_a], agency_nodes[agencies.tie_b], COORDINATION, 0.0, "coordination", -1)

    # case ties (linking): every returnee to their prison and their municipality's agencies
    for name in CASE_TYPES:
        number = prison if name == "prison" else municipality
        b.edges(ids, agency_nodes[agencies.of(name, number)], CASE, 0.0, "case", ids, TYPE_INDEX[name])

    # Living Lab ties, dormant (weight 0) until sessions build them
    for name in LL_PROFESSIONAL_TYPES:
        b.edges(ids, agency_nodes[agencies.of(name, municipality)], LIVING_LAB, 0.0, "ll_professional", ids,
                TYPE_INDEX[name])
    mentors = b.nodes("mentor", np.repeat(ids, MENTORS_PER_RETURNEE))
    b.edges(np.repeat(ids, MENTORS_PER_RETURNEE), mentors, LIVING_LAB, 0.0, "ll_mentor",
            np.repeat(ids, MENTORS_PER_RETURNEE))
    return b.build(n)

