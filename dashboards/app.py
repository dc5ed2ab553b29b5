"""The Solara app: four routes inside the common layout (served by ``dashboards.server``)."""

from __future__ import annotations

import solara

from .common import Layout
from .pages import compare, experiments, network, workshop

routes = [
    solara.Route(path="/", component=compare.Page, label="compare", layout=Layout),
    solara.Route(path="workshop", component=workshop.Page, label="workshop"),
    solara.Route(path="network", component=network.Page, label="network"),
    solara.Route(path="experiments", component=experiments.Page, label="experiments"),
]
