"""Scenario files: every malformed file gets a one-line error naming the file and field."""

import pytest
from file_errors import assert_rejected_in_one_line

from model import scenario as sc
from model.scenario import ScenarioError

HEAD = 'title = "t"\ndescription = "d"\n'
CASES = {
    "unknown_key": (HEAD + "titel = 'x'\n", "titel: unknown key (did you mean 'title'?)"),
    "unknown_param": (HEAD + "[parameters]\nfamily_contakt = 0.5\n", "parameters.family_contakt: unknown parameter (did you mean 'family_contact'?)"),
    "wrong_type": (HEAD + "[parameters]\nliving_lab = 'yes'\n", "parameters.living_lab: 'yes' is not allowed; expected true or false"),
    "out_of_range": (HEAD + "[parameters]\nprison_staff_fill = 1.4\n", "parameters.prison_staff_fill: 1.4 is not allowed; expected real in [0.5, 1]"),
    "bad_toml": (HEAD + "[parameters\n", "not valid TOML"),
    "missing_title": ('description = "d"\n', "title: missing"),
    "missing_parent": (HEAD + 'parent = "nowhere"\n', "parent: unknown scenario 'nowhere'"),
    "bad_date": (HEAD + '[[phases]]\nstart = "2023-13"\n[phases.parameters]\nliving_lab = true\n', "phases[0].start: '2023-13' is not a date YYYY-MM"),
    "early_date": (HEAD + '[[phases]]\nstart = "2010-01"\n[phases.parameters]\nliving_lab = true\n', "before the model's start"),
    "end_before_start": (HEAD + '[[phases]]\nstart = "2023-01"\nend = "2022-01"\n[phases.parameters]\nliving_lab = true\n', "phases[0].end: 2022-01 is before start 2023-01"),
    "overlap": (HEAD + '[[phases]]\nstart = "2020-01"\nend = "2024-12"\n[phases.parameters]\nliving_lab = true\n'
                '[[phases]]\nstart = "2023-01"\n[phases.parameters]\nliving_lab = false\n', "phases[1]: overlaps phases[0] for living_lab"),
    "structural_phase": (HEAD + '[[phases]]\nstart = "2020-01"\n[phases.parameters]\ncohort_scale = 2.0\n', "cannot change over time"),
    "bad_recommendation": (HEAD + 'recommendations = ["V.9"]\n', "recommendations[0]: 'V.9' is not a recommendation"),
    "phase_no_params": (HEAD + '[[phases]]\nstart = "2020-01"\n', "a phase must set at least one parameter"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_files_give_one_clear_line(tmp_path, case):
    text, expected = CASES[case]
    assert_rejected_in_one_line(sc.load, tmp_path / f"{case}.toml", text, ScenarioError, expected)


def test_circular_parents_are_caught(tmp_path):
    (tmp_path / "a.toml").write_text(HEAD + 'parent = "b.toml"\n')
    (tmp_path / "b.toml").write_text(HEAD + 'parent = "a.toml"\n')
    with pytest.raises(ScenarioError, match="circular parents"):
        sc.load(tmp_path / "a.toml")


def test_unknown_name_lists_the_catalogue():
    with pytest.raises(ScenarioError, match="unknown scenario 'basline' \\(did you mean 'baseline'\\?\\)"):
        sc.load("basline")


def test_a_childs_values_replace_the_parents_in_the_base_and_in_every_phase_keeping_the_rest(tmp_path):
    (tmp_path / "parent.toml").write_text(HEAD + '[parameters]\nfamily_centred = 0.8\n[[phases]]\nstart = "2020-01"\n[phases.parameters]\nliving_lab = true\nll_sessions_per_month = 4.0\n')
    (tmp_path / "child.toml").write_text(HEAD + 'parent = "parent.toml"\n[parameters]\nll_sessions_per_month = 6.0\n')
    child = sc.load(tmp_path / "child.toml")
    assert child.base["family_centred"] == 0.8 and child.base["ll_sessions_per_month"] == 6.0
    assert [dict(ph.values) for ph in child.phases] == [{"living_lab": True, "ll_sessions_per_month": 6.0}]
    t = child.timeline()
    assert t.values_at(0)["living_lab"] is False and t.values_at(72)["living_lab"] is True and t.values_at(72)["ll_sessions_per_month"] == 6.0


def test_a_childs_phase_wins_only_in_its_own_window(tmp_path):
    (tmp_path / "parent.toml").write_text(HEAD + '[[phases]]\nstart = "2026-01"\n[phases.parameters]\nfamily_centred = 0.9\nliving_lab = true\n')
    (tmp_path / "child.toml").write_text(HEAD + 'parent = "parent.toml"\n[[phases]]\nstart = "2018-01"\nend = "2019-12"\n'
                                         '[phases.parameters]\nfamily_centred = 0.1\n')
    t = sc.load(tmp_path / "child.toml").timeline()
    assert t.values_at(0)["family_centred"] == 0.0 and t.values_at(50)["family_centred"] == 0.1 and t.values_at(80)["family_centred"] == 0.0
    assert t.values_at(150)["family_centred"] == 0.9 and t.values_at(150)["living_lab"] is True  # the parent's later phase is kept


def test_with_values_keeps_every_other_setting_of_a_phase():
    coordinated = sc.load("coordinated_agencies")
    changed = coordinated.with_values({"coordination_per_year": 12.0})
    t = changed.timeline()
    assert t.values_at(0)["coordination_per_year"] == 12.0 and t.values_at(150)["coordination_per_year"] == 12.0
    assert t.values_at(150)["coordination_scope"] == "full" and t.values_at(150)["info_flow"] == 0.6
    assert changed.with_values({}) is changed


def test_with_phase_wins_from_its_start_and_shifted_moves_every_phase_together():
    crisis = sc.load("overcrowding_crisis")
    assert [(ph.start, ph.end) for ph in crisis.shifted(24).phases] == [(24, 59), (60, None)]
    later = crisis.with_phase(150, {"prison_density_scale": 0.9})
    t = later.timeline()
    assert t.values_at(149)["prison_density_scale"] == 1.3 and t.values_at(150)["prison_density_scale"] == 0.9
    assert t.values_at(150)["staff_absence"] == 0.2


def test_first_difference_finds_where_two_scenarios_part():
    base, full = sc.load("baseline"), sc.load("full_sra")
    assert sc.first_difference(base, full, 204) == 144
    assert sc.first_difference(base, full, 144) is None
    assert sc.first_difference(full, sc.load("full_sra_since_2016"), 204) == 24


@pytest.mark.parametrize("text, expected", [
    ('phases_from = "2016-01"\n', "phases_from: the parent 'baseline' has no dated phases to move"),
    ('parent = "full_sra"\nphases_from = "2016-13"\n', "phases_from: '2016-13' is not a date YYYY-MM"),
])
def test_phases_from_needs_a_parent_with_phases_and_a_date(tmp_path, text, expected):
    assert_rejected_in_one_line(sc.load, tmp_path / "shift.toml", HEAD + text, ScenarioError, expected)


def test_the_catalogue_validates():
    for name in sc.catalogue():
        assert sc.load(name).title
