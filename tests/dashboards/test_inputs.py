"""What a crafted websocket message can send to the pages' controls: bad values are ignored, never a crash.

A browser sends a control's new value as JSON over the kernel websocket, and anything can be
written there: text for a number, ``NaN``/``Infinity`` (``1e400`` parses as infinity), a
400-digit integer, a list for a single choice, the string ``"false"`` for a switch, an index
out of range for a toggle. Each case renders the page in a fresh session, sends the value the
way the widget passes it on (a slider's ``change`` event, a select's or switch's ``v_model``),
and checks that nothing raised and the page's state is what it must be: unchanged for a bad
value, set for a good one (the controls that must still work).
"""

from __future__ import annotations

from typing import Any, Callable

import ipyvuetify as v
import pytest
import solara
from page_helpers import walk

from dashboards import app, common, compute
from dashboards.pages import compare, experiments, network, workshop

HUGE = 10**400
INF, NAN = float("inf"), float("nan")


def shown(value: Any) -> str:
    """A sent value as a case's name shows it."""
    return {HUGE: "400 digits", -HUGE: "-400 digits"}.get(value, repr(value)) if isinstance(value, int) else repr(value)


def widgets(box, css_class: str, kind=v.VuetifyWidget) -> list:
    return [w for w in walk(box) if isinstance(w, kind) and css_class in (w.class_ or "").split()]


def slider(box, css_class: str):
    (column,) = widgets(box, css_class)
    (found,) = [w for w in walk(column) if isinstance(w, v.Slider)]
    return found


def release(box, css_class: str, value: Any) -> None:
    """A CommitSlider released at ``value`` (its 'change' event carries the value as sent)."""
    slider(box, css_class).fire_event("change", value)


def select(box, css_class: str, value: Any) -> None:
    (found,) = widgets(box, css_class, v.Select)
    found.v_model = value


def switch(box, lever: str, value: Any) -> None:
    (found,) = [w for w in walk(box) if isinstance(w, v.Switch) and f"rr-lever-{lever}" in (w.class_ or "")]
    found.v_model = value


def toggle(box, value: Any) -> None:
    (found,) = [w for w in walk(box) if isinstance(w, v.BtnToggle)]
    found.v_model = value


def checkbox(box, label_start: str, value: Any) -> None:
    (found,) = [w for w in walk(box) if isinstance(w, v.Checkbox) and w.label.lower().startswith(label_start)]
    found.v_model = value


def lever(name: str) -> Callable[[], Any]:
    return lambda: workshop.settings.value[name]


def sliding(css_class: str, value: Any) -> Callable:
    return lambda box: release(box, css_class, value)


def lever_sliding(name: str, value: Any) -> Callable:
    return sliding(f"rr-lever-{name}", value)


def unchanged(read: Callable[[], Any]) -> Callable[[Any], bool]:
    return lambda before: read() == before


# name: (page, send(box), read the state, what must hold of it given the state read before sending)
CASES: dict[str, tuple[str, Callable, Callable[[], Any], Callable[[Any], bool] | None]] = {}


def case(name: str, page: str, send: Callable, read: Callable[[], Any], expect: Any = None) -> None:
    """``expect`` None: the state read must not change; otherwise the value it must become."""
    CASES[name] = (page, send, read, None if expect is None else (lambda _before, e=expect: read() == e))


for sent, label in (("50", "text"), (None, "null"), ([50], "a list"), ({"v": 50}, "an object"), (HUGE, "400 digits"),
                    (-HUGE, "-400 digits"), (INF, "Infinity"), (NAN, "NaN")):
    case(f"percent lever service_staffing: {label}", "workshop", lever_sliding("service_staffing", sent),
         lever("service_staffing"))
for sent, label in ((INF, "Infinity"), (-INF, "-Infinity"), (NAN, "NaN"), (HUGE, "400 digits"), (12.5, "12.5"),
                    (True, "true"), ("12", "text")):
    case(f"integer lever post_release_support_months: {label}", "workshop",
         lever_sliding("post_release_support_months", sent), lever("post_release_support_months"))
for sent, label in ((HUGE, "400 digits"), (INF, "Infinity"), ("1.2", "text")):
    case(f"real lever prison_density_scale: {label}", "workshop", lever_sliding("prison_density_scale", sent),
         lever("prison_density_scale"))
case("real lever coordination_per_year: 1e300", "workshop", lever_sliding("coordination_per_year", 1e300),
     lever("coordination_per_year"))
for sent in ("false", "0", "off", 1, [], {"on": True}):
    case(f"switch living_lab: {sent!r}", "workshop", lambda box, s=sent: switch(box, "living_lab", s), lever("living_lab"))
for sent in (99, -3, "2016", None, 1.5, [1]):
    case(f"policy start toggle: index {sent!r}", "workshop", lambda box, s=sent: toggle(box, s), lambda: workshop.start.value)
case("percent lever service_staffing: 50 is set", "workshop", lever_sliding("service_staffing", 50),
     lever("service_staffing"), 0.5)
case("switch living_lab: true is set", "workshop", lambda box: switch(box, "living_lab", True), lever("living_lab"), True)
case("policy start toggle: index 1 is set", "workshop", lambda box: toggle(box, 1), lambda: workshop.start.value, "2016")

for sent in (["full_sra"], ["full_sra", "baseline"], {"full_sra": 1}, 3):
    case(f"compare reference: {sent!r}", "compare", lambda box, s=sent: select(box, "rr-reference", s),
         lambda: compare.reference.value)
for sent in (5, None, 2.5, True, "living_lab", [["living_lab"]], ["living_lab", 7]):
    case(f"compare others: {sent!r}", "compare", lambda box, s=sent: select(box, "rr-others", s),
         lambda: compare.others.value)
for sent in (HUGE, -HUGE, "7", INF, NAN, 7.5):
    case(f"compare replications: {shown(sent)}", "compare", sliding("rr-reps", sent), lambda: compare.reps.value)
case("compare others: a valid list is set", "compare", lambda box: select(box, "rr-others", ["living_lab"]),
     lambda: compare.others.value, ["living_lab"])
case("compare replications: 7 is set", "compare", sliding("rr-reps", 7), lambda: compare.reps.value, 7)

for sent in (["baseline"], ["living_lab"]):
    case(f"network scenario: {sent!r}", "network", lambda box, s=sent: select(box, "rr-network-scenario", s),
         lambda: network.scenario.value)
case("network colour: ['kind']", "network", lambda box: select(box, "rr-colour-by", ["kind"]),
     lambda: network.colour_by.value)
for sent in ("false", "no", 1, [0]):
    case(f"network layer checkbox (layer off): {sent!r}", "network-family-off",
         lambda box, s=sent: checkbox(box, "family", s), lambda: network.layers.value)
for sent in (HUGE, NAN, "3"):
    case(f"network month: {shown(sent)}", "network", sliding("rr-month", sent), lambda: network.month.value)
    case(f"network seed: {shown(sent)}", "network", sliding("rr-seed", sent), lambda: network.seed.value)
case("network layer checkbox: true turns it on", "network-family-off", lambda box: checkbox(box, "family", True),
     lambda: "family" in network.layers.value, True)

case("experiments folder: ['morris-tiny']", "experiments", lambda box: select(box, "rr-folder", ["morris-tiny"]),
     lambda: experiments.folder_name.value)
case("experiments outcome: ['stably_housed']", "experiments", lambda box: select(box, "rr-outcome", ["stably_housed"]),
     lambda: experiments.outcome.value)
case("experiments folder: a listed name is set", "experiments", lambda box: select(box, "rr-folder", "morris-tiny"),
     lambda: experiments.folder_name.value, "morris-tiny")


def no_runs(*args, **kwargs):
    raise ValueError("no runs in this test")


@pytest.fixture
def pages(monkeypatch, results_root):
    """Each page renderable without running the model (its runs fail at once; the controls still render)."""
    monkeypatch.setattr(compute, "what_if", no_runs)
    monkeypatch.setattr(network, "graphs", no_runs)
    monkeypatch.setenv("REINTEGRATION_RESULTS_ROOT", str(results_root))

    def render(name: str):
        if name == "network-family-off":
            network.layers.set([layer for layer in network.layers.value if layer != "family"])
            name = "network"
        page = {"workshop": workshop.Page, "compare": compare.Page, "network": network.Page,
                "experiments": experiments.Page}[name]
        box, _ = solara.render(solara.RoutingProvider(children=[common.Layout(children=[page()])], routes=app.routes,
                                                      pathname="/"), handle_error=False)
        return box

    return render


@pytest.mark.parametrize("name", list(CASES))
def test_a_crafted_control_value_is_ignored_without_a_crash(session, pages, name):
    page, send, read, expect = CASES[name]
    box = pages(page)
    before = read()
    send(box)  # raises if a handler crashes
    assert (expect or unchanged(read))(before), read()
