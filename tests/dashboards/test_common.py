"""Controls keep only values the page offers, whatever a browser sends over the websocket."""

import pytest
import solara

from dashboards.common import set_allowed, set_bounded, set_choices


@pytest.mark.parametrize("sent, kept", [(7, 7), (7.0, 7), (2, 2), (50, 50), (1, 10), (51, 10), (10**7, 10), (6.5, 10),
                                        ("7", 10), (True, 10), (None, 10), (float("nan"), 10)])
def test_an_integer_control_keeps_only_whole_numbers_in_its_range(sent, kept):
    variable = solara.reactive(10)
    set_bounded(variable, sent, 2, 50)
    assert variable.value == kept


@pytest.mark.parametrize("sent, kept", [("b", "b"), ("../../etc/passwd", "a"), ("/tmp/x.toml", "a"), (3, "a"),
                                        (["b"], "a"), (["b", "c"], "a"), (["b", "../x"], "a")])
def test_a_choice_keeps_only_offered_names(sent, kept):
    variable = solara.reactive("a")
    set_allowed(variable, sent, ["a", "b", "c"])
    assert variable.value == kept


@pytest.mark.parametrize("sent, kept", [(["b", "c"], ["b", "c"]), (["a", "b", "c"], ["a", "b"]), ([], []),
                                        (["b", "../x"], ["a"]), (["b", "b"], ["a"]), ("bc", ["a"]), (3, ["a"]),
                                        (None, ["a"]), ([["b"]], ["a"])])
def test_a_multiple_choice_keeps_only_lists_of_offered_names(sent, kept):
    variable = solara.reactive(["a"])
    set_choices(variable, sent, ["a", "b", "c"], most=2)
    assert variable.value == kept
