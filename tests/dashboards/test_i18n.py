"""Every label in Dutch, French and English, with the official Belgian terms from the glossary."""

import re
from pathlib import Path

import pytest

from dashboards import network_chart
from dashboards.compute import CARD_OUTCOMES
from dashboards.glossary import LANGUAGES, TERMS, terms
from dashboards.i18n import MissingTranslation, number, placeholders, t
from dashboards.labels import LABELS
from dashboards.levers import LEVERS
from model.agencies import AGENCY_TYPES
from model.network import LAYERS, NODE_KINDS
from model.outcomes import GROUPS, OUTCOMES
from model.scenario import RECOMMENDATIONS, catalogue
from model.state import CUSTODY_NAMES, NO_HOUSING, PRECARIOUS, STABLE

SOURCES = Path(__file__).resolve().parents[2] / "dashboards"
# keys built at run time, by family: the names the model declares
FAMILIES = {
    "outcome": list(OUTCOMES), "scenario": catalogue(), "rec": list(RECOMMENDATIONS), "group": [g for _, g in GROUPS],
    "layer": list(LAYERS), "kind": list(NODE_KINDS), "custody": list(CUSTODY_NAMES), "housing": list(network_chart.HOUSING),
    "agency": [a.name for a in AGENCY_TYPES], "lever": [lever.name for lever in LEVERS], "card": list(CARD_OUTCOMES),
    "capital": list(network_chart.CAPITAL), "network.colour": list(network_chart.COLOUR_BY),
}


def test_every_label_has_three_non_empty_translations_with_the_same_fields():
    for key, texts in LABELS.items():
        assert len(texts) == len(LANGUAGES), key
        assert all(text.strip() for text in texts), f"{key}: an empty translation"
        fields = [placeholders(text) - set(TERMS) for text in texts]
        assert fields[0] == fields[1] == fields[2], f"{key}: the languages fill in different values {fields}"
        for text in texts:
            unknown = {f for f in placeholders(text) if f not in TERMS and not f.isidentifier()}
            assert not unknown, f"{key}: malformed field {unknown}"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_name_the_model_declares_has_a_label(family):
    missing = [name for name in FAMILIES[family] if f"{family}.{name}" not in LABELS]
    assert not missing, f"no translation for {family}: {missing}"


def test_every_literal_label_key_used_in_the_dashboard_exists():
    used = set()
    for path in SOURCES.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    assert len(used) > 60  # the scan finds the calls
    assert not sorted(k for k in used if k not in LABELS)


def test_a_missing_label_is_an_error_not_a_silent_fallback():
    with pytest.raises(MissingTranslation):
        t("no.such.label", "nl")


@pytest.mark.parametrize("key, words", [
    ("justice_house", ("justitiehuis", "maison de justice", "house of justice")),
    ("social_welfare", ("OCMW", "CPAS", "public social welfare centre")),
    ("local_cell", ("LIVC-R", "CSIL-R", "local integrated security cell")),
    ("sentence_court", ("strafuitvoeringsrechtbank", "tribunal de l'application des peines", "sentence implementation court")),
    ("threat_assessment", ("OCAD", "OCAM", "CUTA")),
])
def test_the_glossary_holds_the_official_terms(key, words):
    assert all(word in name for word, name in zip(words, TERMS[key], strict=True)), TERMS[key]


def test_labels_take_institutions_from_the_glossary_in_each_language():
    assert t("lever.service_staffing", "nl").count("OCMW") == 1 and "justitiehuis" in t("lever.service_staffing", "nl")
    assert "CPAS" in t("lever.service_staffing", "fr") and "maison de justice" in t("lever.service_staffing", "fr")
    assert "LIVC-R" in t("lever.coordination_per_year", "nl") and "CSIL-R" in t("lever.coordination_per_year", "fr")
    assert t("agency.threat_assessment", "fr") == "OCAM"
    assert t("scenario.full_sra", "fr").startswith("Approche restauratrice durable")  # a leading term is capitalised
    assert terms("nl")["justice_house"] == "justitiehuis"


def test_numbers_use_the_decimal_comma_in_dutch_and_french():
    assert number(1234.567, 2, "en") == "1,234.57"
    assert number(1234.567, 2, "fr") == "1\u202f234,57" == number(1234.567, 2, "nl")
    assert number(-0.0001, 1, "en", signed=True) == "+0.0"
    assert number(float("nan"), 1, "nl") == "n/a"


def test_housing_names_follow_the_model_codes():
    assert [network_chart.HOUSING.index(n) for n in ("none", "precarious", "stable")] == [NO_HOUSING, PRECARIOUS, STABLE]
