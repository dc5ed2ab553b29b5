"""Agency capacity: staff present, caseloads and what is left for returnees.

Prisons: staff posts are sized to places, not to detainees, so density raises
detainees per member of staff; programme access falls with staff per detainee
(to the power ``access_elasticity``), with missing middle management, and with a
prison's own regime (spread set by national consistency).

Community agencies: capacity = staff present x caseload per member of staff; other
clients take ``background_load`` of full capacity. Clients share capacity in a
weighted queue in which ``tailored_access`` gives returnees priority for housing,
work and administrative regularisation.
"""

from __future__ import annotations

import numpy as np

from ..state import STABLE

PRIORITY_TYPES = ("housing_service", "employment_service", "social_welfare")
SERVICE_TYPES = ("justice_house", "social_welfare", "housing_service", "employment_service",
                 "psychosocial_service", "counsellor", "youth_protection")


def prison_conditions(model) -> None:
    p, ag = model.p, model.ag
    density = model.density_record[model.month] * p.prison_density_scale
    staff_per_detainee = p.staff_posts_per_place * p.prison_staff_fill * (1.0 - p.staff_absence) / density
    ratio = 1.0 if "staff_access" in model.knockouts else staff_per_detainee / p.staff_per_detainee_needed
    spread = p.regime_spread * (1.0 - p.national_consistency)
    regime = spread * ag.prison_regime
    organisation = 1.0 - p.middle_management_weight * (1.0 - p.middle_management)
    model.prison_access = np.clip(min(1.0, ratio) ** p.access_elasticity * organisation * (1.0 - 0.5 * regime), 0.0, 1.0)
    model.prison_isolation = np.clip(p.isolation_share * (1.0 + regime), 0.0, 1.0)
    model.density = density
    model.staff_per_detainee = staff_per_detainee


def _returnee_demand(model) -> dict[str, np.ndarray]:
    """Returnee clients per municipality for each community agency type."""
    pop = model.pop
    out = pop.in_community()
    needs = {
        "justice_house": out & (pop.supervised_left > 0),
        "social_welfare": out & ~(pop.documents & pop.benefits),
        "housing_service": out & (pop.housing != STABLE),
        "employment_service": out & ~pop.employed,
        "psychosocial_service": out,
        "counsellor": out,
        "youth_protection": pop.present() & pop.youth_protection,
    }
    n_m = model.p.n_municipalities
    return {t: np.bincount(pop.municipality[m], minlength=n_m) for t, m in needs.items()}


def step(model) -> None:
    prison_conditions(model)
    p, ag = model.p, model.ag
    demand = _returnee_demand(model)
    model.service = {}
    load = []
    for name in SERVICE_TYPES:
        ids = ag.tables[name]
        capacity = ag.capacity[ids] * p.service_staffing
        background = ag.background[ids] * p.background_load
        weight = 1.0 + (p.tailored_access if name in PRIORITY_TYPES else 0.0)
        queue = background + weight * demand[name]
        model.service[name] = np.minimum(1.0, weight * capacity / np.maximum(queue, 1e-9))
        load.append((background + demand[name]) / np.maximum(capacity, 1e-9))
    model.workload = float(np.mean(np.concatenate(load)))
