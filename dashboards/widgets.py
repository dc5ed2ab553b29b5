"""Controls and charts shared by the pages: a slider that reports on release, and plotly charts
that fill the page width and load plotly's front-end code from the local asset folder."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import plotly.graph_objects as go
import reacton.ipyvue as rvue
import reacton.ipyvuetify as rv
import solara
from plotly.graph_objs import FigureWidget

from .assets import PLOTLY_BUNDLE
from .common import text


@solara.component
def CommitSlider(label: str, value: float, on_commit: Callable[[float], Any], min: float, max: float, step: float,
                 disabled: bool = False, classes: list[str] | None = None):
    """A large slider that reports a value only when released (or moved by keyboard), not while dragging."""
    shown, set_shown = solara.use_state(value)
    solara.use_effect(lambda: set_shown(value), [value])
    with solara.Column(classes=["rr-lever", *(classes or [])], gap="0px"):
        text("div", label, classes=["rr-small"], style="font-size: 1.15rem; color: #1a1a1a")
        slider = rv.Slider(v_model=shown, on_v_model=set_shown, min=min, max=max, step=step, thumb_label="always",
                           disabled=disabled, hide_details=True, style_="margin-top: 40px")
        rvue.use_event(slider, "change", lambda _widget, _event, data: on_commit(data))


@solara.component
def ChoiceButtons(value: str, choices: Sequence[tuple[str, str, str]], on_value: Callable[[str], Any],
                  style: str | None = None):
    """Toggle buttons for one of ``choices`` (value, label, CSS class).

    Like solara.ToggleButtonsSingle, but the index the browser sends is checked before use:
    anything but the index of a button is ignored (Solara's raises on an index out of range or
    not a number).
    """
    keys = [key for key, _, _ in choices]

    def picked(index: Any) -> None:
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(keys):
            on_value(keys[index])

    rv.BtnToggle(v_model=keys.index(value) if value in keys else None, on_v_model=picked, mandatory=True,
                 style_=style, children=[solara.Button(label, classes=[css]) for _, label, css in choices])


@solara.component_vue("autosize.vue")
def Autosize():
    """Makes the page's plotly charts fit their container once they are on the page."""


class ResponsiveFigure(FigureWidget):
    """A plotly figure widget that follows its container's width (the configuration is read when drawn).

    Its front-end code is a two-line module that imports plotly's widget bundle from the
    server's asset folder (``dashboards.assets``), where the browser caches it, instead of
    carrying the 5 MB bundle over the websocket with every chart.
    """

    _esm = ("const bundle = await import(new URL(window.solara_cdn + '/" + PLOTLY_BUNDLE + "', location.href).href);\n"
            "export default bundle.default;\n")

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._config = {"responsive": True, "displaylogo": False}


@solara.component
def Figure(figure: go.Figure):
    """solara.FigurePlotly with the responsive widget above."""
    element = ResponsiveFigure.element()

    def update() -> None:
        widget = solara.get_widget(element)
        widget.layout = figure.layout
        length = len(widget.data)
        widget.add_traces(figure.data)
        widget.data = list(widget.data)[length:]

    solara.use_effect(update, [figure])
    return element


@solara.component
def Chart(figure: go.Figure):
    """A plotly figure that fits the page's width (see autosize.vue)."""
    with solara.Column(gap="0px", style={"width": "100%"}) as main:
        Figure(figure)
        Autosize()
    return main
