"""Agency capacity: staff present, caseloads and what is left for returnees.

Prisons: staff posts are sized to places, not to detainees, so density raises detainees
per member of staff. Absence rises without middle management (stress of frontline
workers); a share ``overtime_cover`` of the missing staff time is worked as overtime (at a
cost, ``outcomes``). Programme and care access falls with staff per detainee (to the power
``access_elasticity``), with missing middle management, and with a prison's own regime: a
fixed deviation per prison, spread ``regime_spread`` when prisons are inconsistent, and
the shared guideline's level (``guideline_regime``) as consistency rises.

Community agencies: capacity is ``capacity_<type>`` x staffing, minus the staff time last
month's coordination meetings and Living Lab sessions took (trauma-sensitive care takes
more time per client); other clients take ``background_load`` of full capacity. Clients
share capacity in a weighted queue in which ``tailored_access`` gives returnees priority
for housing, work and administrative regularisation.
"""

from __future__ import annotations

import numpy as np

from ..agencies import PRIORITY_TYPES, SERVICE_INDEX, SERVICE_TYPES
from ..arrays import group_sum, ratio
from ..state import STABLE

READS = ("pop.custody", "pop.municipality", "pop.supervised_left", "pop.documents", "pop.benefits", "pop.housing",
         "pop.employed", "pop.youth_protection", "pop.cell_left", "world.staff_time")
WRITES = ("world.prison_density", "world.staff_per_detainee", "world.prison_access", "world.contact_regime",
          "world.overtime", "world.service", "world.workload")


def prison_conditions(model) -> None:
    p, w, ko = model.p, model.world, model.knockouts
    consistency = p.national_consistency
    regime = (1.0 - consistency) * p.regime_spread * model.regime_z + consistency * p.guideline_regime
    if "prison_regime" in ko:
        regime = np.zeros_like(regime)
    absence = np.clip(p.staff_absence * (1.0 + p.management_absence_effect * (1.0 - p.middle_management)), 0.0, 1.0)
    present = p.prison_staff_fill * (1.0 - absence)
    w.overtime[:] = (p.overtime_cover * (1.0 - present))[:, 0]
    density = model.density_record[model.month] * p.prison_density_scale
    per_detainee = p.staff_posts_per_place * (present + w.overtime[:, None]) / density
    ratio_needed = np.minimum(1.0, per_detainee / p.staff_per_detainee_needed)
    organisation = 1.0 - p.middle_management_weight * (1.0 - p.middle_management)
    access = np.clip(ratio_needed ** p.access_elasticity * organisation * (1.0 - p.regime_access_effect * regime), 0, 1)
    w.prison_access[:] = 1.0 if "programme_access" in ko else access
    w.contact_regime[:] = np.clip(1.0 - p.regime_contact_effect * regime, 0.0, 1.0)
    w.prison_density[:] = density
    w.staff_per_detainee[:] = per_detainee


def clients(pop, knockouts: frozenset[str]) -> dict[str, np.ndarray]:
    """Which returnees each community agency type serves this month (replicates x returnees)."""
    out = pop.in_community()
    return {
        "justice_house": out & (pop.supervised_left > 0) & ("supervision" not in knockouts),
        "local_cell": out & (pop.cell_left > 0) & ("monitoring" not in knockouts),
        "social_welfare": out & ~(pop.documents & pop.benefits),
        "housing_service": out & (pop.housing != STABLE),
        "employment_service": out & ~pop.employed,
        "psychosocial_service": out,
        "counsellor": out,
        "youth_protection": pop.present() & pop.youth_protection,
    }


def step(model) -> None:
    prison_conditions(model)
    p, pop, w, ag, ko = model.p, model.pop, model.world, model.ag, model.knockouts
    n_m = model.structure["n_municipalities"]
    demand = clients(pop, ko)
    taken = np.zeros_like(w.staff_time) if "staff_time" in ko else w.staff_time
    demand_total, capacity_total = 0.0, 0.0
    for name in SERVICE_TYPES:
        ids = ag.tables[name]
        full = ag.capacity[ids] * p.service_staffing  # replicates x municipalities
        if name == "psychosocial_service" and "trauma_methods" not in ko:
            full = full / (1.0 + p.trauma_care_time * p.trauma_sensitive)
        available = np.maximum(full - taken[:, ids], 0.0)
        background = ag.capacity[ids] * p.background_load
        weight = 1.0 + (p.tailored_access if name in PRIORITY_TYPES else 0.0)
        queue = group_sum(pop.municipality, n_m, demand[name])
        served = np.minimum(1.0, ratio(weight * available, background + weight * queue, empty=1.0))
        w.service[:, SERVICE_INDEX[name], :] = 1.0 if "service_queue" in ko else served
        demand_total = demand_total + (background + queue).sum(axis=1)
        capacity_total = capacity_total + available.sum(axis=1)
    w.workload[:] = ratio(demand_total, capacity_total, empty=np.inf)
