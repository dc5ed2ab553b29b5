"""The model's processes, one module each, named as in docs/ODD.md.

``SCHEDULE`` is the order in which they run every month (ODD: process overview). Each module
declares the state fields it reads and writes (``READS``, ``WRITES``); the month ends with
``wellbeing.settle`` (trust from the month's encounters) and social capital from the ties.
"""

from . import (
    agency_capacity,
    community,
    coordination,
    detention,
    exits,
    exogenous_events,
    justice,
    living_lab,
    offending,
    release,
    sanctions,
)

SCHEDULE = (
    exogenous_events,
    exits,
    justice,
    agency_capacity,
    coordination,
    detention,
    release,
    community,
    sanctions,
    living_lab,
    offending,
)
