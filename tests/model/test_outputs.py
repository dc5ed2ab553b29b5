"""No per-person hazard, risk score or offence probability appears in any output, API result or picture.

Outputs are aggregates over the synthetic cohort; the network picture carries a returnee's
custody, gender, citizenship, housing, trust and Living Lab membership, never an
estimate of how likely that person is to offend.
"""

from model import api

FORBIDDEN = ("hazard", "risk", "probab", "likel", "score", "extrem", "danger", "threat")
PICTURE_ATTRIBUTES = {"kind", "owner", "agency", "agency_type", "key", "custody", "woman", "citizenship", "housing",
                      "trust", "ll_member", "present"}


def test_tables_hold_aggregates_only():
    result = api.run("baseline", seed=1, months=24)
    for frame in (result.timeseries, result.by_group):
        assert len(frame) == 24 * (1 if frame is result.timeseries else 5)  # months (x groups), never people
    person_level = [c for c in result.timeseries.columns if any(w in c for w in FORBIDDEN if w != "extrem")]
    assert not person_level, person_level
    assert "scenario" in result.metadata() and "pop" not in result.metadata()


def test_the_network_picture_carries_no_risk_attribute():
    graph = api.network_at("baseline", seed=2, month=40)
    keys = {k for _, d in graph.nodes(data=True) for k in d}
    assert keys <= PICTURE_ATTRIBUTES, keys - PICTURE_ATTRIBUTES
    assert not any(w in k for k in keys for w in FORBIDDEN)
