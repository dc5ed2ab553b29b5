import csv
from pathlib import Path

import pytest

from model.knockouts import KNOCKOUTS
from model.parameters import ASSUMPTION, REGISTRY, ParameterError, check, defaults, resolve
from model.scenario import RECOMMENDATIONS

TARGETS = Path(__file__).resolve().parents[2] / "docs" / "calibration-targets.csv"


def test_every_default_is_valid():
    assert resolve({}) == defaults()
    for p in REGISTRY.values():
        assert p.validate(p.default) == p.default


def test_every_parameter_has_unit_help_and_a_known_source():
    ids = {row["id"] for row in csv.DictReader(TARGETS.open())}
    for p in REGISTRY.values():
        assert p.unit and p.help and p.group, p.name
        if p.source.startswith("brief:"):
            assert p.source.split(":")[1] in {"I", "II", "III", "IV"}, p.name
        else:
            assert p.source == ASSUMPTION or p.source in ids, f"{p.name}: unknown source {p.source!r}"


@pytest.mark.parametrize("name,value", [("prison_staff_fill", 1.5), ("cohort_scale", 0.0), ("n_prisons", 2.5),
                                        ("living_lab", 1), ("coordination_scope", "everything"),
                                        ("family_contact", float("nan")), ("family_contact", "0.4")])
def test_out_of_range_or_wrong_kind_is_rejected_naming_the_range(name, value):
    with pytest.raises(ParameterError) as err:
        check({name: value})
    message = str(err.value)
    assert name in message and REGISTRY[name].allowed() in message and "\n" not in message


def test_unknown_name_suggests_the_nearest():
    with pytest.raises(ParameterError, match="did you mean 'family_contact'"):
        check({"family_contakt": 0.5})


def test_integers_are_accepted_for_real_parameters():
    assert check({"family_contact": 1})["family_contact"] == 1.0


def test_knockouts_and_recommendations_are_described():
    assert all(KNOCKOUTS.values()) and all(RECOMMENDATIONS.values())
