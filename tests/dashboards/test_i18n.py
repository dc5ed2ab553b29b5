"""Every label in Dutch, French and English, with the official Belgian terms from the glossary."""

import ast
import importlib.util
import re
from pathlib import Path

import pytest

from dashboards import charts, display, network_chart, results
from dashboards.compute import CARD_OUTCOMES, STARTS
from dashboards.glossary import LANGUAGES, TERMS, terms
from dashboards.i18n import MissingTranslation, number, placeholders, t
from dashboards.labels import LABELS
from dashboards.levers import LEVERS
from dashboards.pages import experiments
from model.agencies import AGENCY_TYPES
from model.network import LAYERS, NODE_KINDS
from model.outcomes import GROUPS, OUTCOMES
from model.parameters import REGISTRY
from model.scenario import RECOMMENDATIONS, catalogue
from model.state import CUSTODY_NAMES, NO_HOUSING, PRECARIOUS, STABLE

SOURCES = Path(__file__).resolve().parents[2] / "dashboards"
# keys built at run time (f-strings in the dashboard), by template: the names that fill them in
FAMILIES = {
    "outcome.{}": list(OUTCOMES), "scenario.{}": catalogue(), "rec.{}": list(RECOMMENDATIONS),
    "group.{}": [g for _, g in GROUPS], "layer.{}": list(LAYERS), "kind.{}": list(NODE_KINDS),
    "custody.{}": list(CUSTODY_NAMES), "housing.{}": list(network_chart.HOUSING), "agency.{}": [a.name for a in AGENCY_TYPES],
    "lever.{}": [lever.name for lever in LEVERS], "card.{}": list(CARD_OUTCOMES), "capital.{}": list(network_chart.CAPITAL),
    "network.colour.{}": list(network_chart.COLOUR_BY), "workshop.start_{}": list(STARTS),
    "experiments.kind.{}": list(results.KINDS.values()), "experiments.{}": [*experiments.STATUS, *experiments.TABLES],
    "experiments.index.{}": [name for columns in results.INDICES.values() for name in columns if "conf" not in name],
    "compare.by_{}": [by for by, _ in GROUPS], "compare.{}": ["better", "worse"],  # display.verdict's answers
    "parameter_unit.{}": [p.unit for p in REGISTRY.values()],
}
# keys held in variables: every unit an outcome is shown in
HELD = {key for u in map(display.unit, OUTCOMES) for key in (u.unit, u.diff_unit)}


def templates_and_literals() -> tuple[set[str], set[str]]:
    """Label keys written in the dashboard's code: f-string templates ('compare.by_{}') and plain strings
    that look like keys of a known family ('nav.workshop', in calls, dicts or tuples alike)."""
    prefixes = {key.split(".")[0] for key in LABELS if "." in key}
    found, literals = set(), set()
    for path in set(SOURCES.rglob("*.py")) - {SOURCES / "labels.py"}:  # the labels' own keys are not uses
        nodes = list(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
        parts = {id(v) for node in nodes if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in nodes:
            if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
                template = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
                if re.fullmatch(r"[a-z_]+\.[a-z0-9_.{}]*", template) and "{}" in template and template.split(".")[0] in prefixes:
                    found.add(template)
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts
                  and re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_]+)+", node.value) and node.value.split(".")[0] in prefixes
                  and not _is_module(node.value)):
                literals.add(node.value)
    return found, literals


def _is_module(name: str) -> bool:
    """A dotted module name such as 'experiments.runner' (also a family's prefix), not a label key."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_every_label_has_three_non_empty_translations_with_the_same_fields():
    for key, texts in LABELS.items():
        assert len(texts) == len(LANGUAGES), key
        assert all(text.strip() for text in texts), f"{key}: an empty translation"
        fields = [placeholders(text) - set(TERMS) for text in texts]
        assert fields[0] == fields[1] == fields[2], f"{key}: the languages fill in different values {fields}"
        for text in texts:
            unknown = {f for f in placeholders(text) if f not in TERMS and not f.isidentifier()}
            assert not unknown, f"{key}: malformed field {unknown}"


@pytest.mark.parametrize("template", sorted(FAMILIES))
def test_every_name_the_model_declares_has_a_label(template):
    missing = [name for name in FAMILIES[template] if template.format(name) not in LABELS]
    assert not missing, f"no translation for {template}: {missing}"


def test_every_key_built_at_run_time_belongs_to_a_known_family():
    found, _ = templates_and_literals()
    assert {"workshop.start_{}", "compare.by_{}", "experiments.kind.{}"} <= found  # the scan finds them
    assert not sorted(found - set(FAMILIES)), "a key built at run time: add its names to FAMILIES"


def test_every_literal_label_key_used_in_the_dashboard_exists():
    _, literals = templates_and_literals()
    assert {"nav.workshop", "compare.dl_report", "workshop.clearly_better", "unit.meur"} <= literals  # dicts, tuples too
    assert len(literals) > 60
    assert not sorted(k for k in literals | HELD if k not in LABELS)


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
    assert (number(float("nan"), 1, "en"), number(float("nan"), 1, "nl"), number(float("nan"), 1, "fr")) == (
        "n/a", "n.b.", "n.d.")


def test_housing_names_follow_the_model_codes():
    assert [network_chart.HOUSING.index(n) for n in ("none", "precarious", "stable")] == [NO_HOUSING, PRECARIOUS, STABLE]


def test_parameters_are_shown_by_their_lever_label_or_their_id_and_unit_in_each_language():
    assert charts.parameter_title("family_contact", "nl") == t("lever.family_contact", "nl")
    assert charts.parameter_title("dual_share", "fr") == "dual_share (part)"  # the id, as docs/ODD.md names it
    assert charts.parameter_title("dummy", "nl") == "dummy (ruisniveau)"
    assert t("experiments.index.ST", "nl") == "totale-orde-index" and t("experiments.index.S1", "fr") == "indice de premier ordre"
