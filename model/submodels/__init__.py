"""The model's processes, one module each, named as in docs/ODD.md.

``SCHEDULE`` is the order in which they run every month (ODD: process overview).
"""

from . import (
    agency_capacity,
    community,
    coordination,
    detention,
    exogenous_events,
    living_lab,
    offending,
    release,
    sanctions,
)

SCHEDULE = (
    exogenous_events,
    agency_capacity,
    coordination,
    detention,
    release,
    community,
    sanctions,
    living_lab,
    offending,
)
