"""The frame of every page: title, navigation, language switch, synthetic-population note, glossary.

State lives in ``solara.reactive`` variables, which Solara keeps per browser session
(virtual kernel): two rooms never share them.
"""

from __future__ import annotations

import html
from typing import Any, Sequence

import solara

from . import theme
from .glossary import LANGUAGES, TERMS
from .i18n import t

language = solara.reactive("en")
PAGES = (("/", "nav.compare"), ("/workshop", "nav.workshop"), ("/network", "nav.network"), ("/experiments", "nav.experiments"))


# A browser can send any JSON over the websocket for a control's value: text, null, lists, NaN,
# Infinity, 400-digit integers. The setters below keep only what the control offers and ignore the rest.

def set_bounded(variable: solara.Reactive[int], value: Any, low: int, high: int) -> None:
    """Set an integer control's value if it is a whole number in [low, high] (compared without converting)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if isinstance(value, float) and not value.is_integer():  # also NaN and infinities
        return
    if low <= value <= high:
        variable.set(int(value))


def set_allowed(variable: solara.Reactive[str], value: Any, allowed: Sequence[str]) -> None:
    """Set a single choice only if it is one of ``allowed`` (a list is not a single choice)."""
    if isinstance(value, str) and value in allowed:
        variable.set(value)


def set_choices(variable: solara.Reactive[list[str]], value: Any, allowed: Sequence[str], most: int | None = None) -> None:
    """Set a multiple choice only if it is a list of distinct names among ``allowed`` (cut to the first ``most``)."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v in allowed for v in value):
        return
    if len(set(value)) == len(value):
        variable.set(list(value)[:most])

def text(tag: str, content: str, classes: list[str] | None = None, style: str | None = None) -> solara.Element:
    """An HTML element holding escaped text."""
    return solara.HTML(tag=tag, unsafe_innerHTML=html.escape(content), classes=classes or [], style=style)


@solara.component
def Layout(children: list[solara.Element] = []):  # noqa: B006 (Solara's signature for layouts)
    """Title, language switch, navigation and the synthetic-population note around every page."""
    lang = language.value
    path = solara.use_router().path
    solara.Style(theme.CSS)
    solara.Title(t("app_title", lang))
    with solara.Column(style={"max-width": "1500px", "margin": "0 auto", "padding": "12px 28px"}):
        with solara.Row(justify="space-between", style={"align-items": "center", "flex-wrap": "wrap"}):
            text("h1", t("app_title", lang), style="font-size: 2rem; margin: 0")
            with solara.Row(style={"align-items": "center"}):
                text("span", t("language", lang), classes=["rr-small"])
                for code in LANGUAGES:
                    solara.Button(code.upper(), on_click=lambda code=code: language.set(code), classes=[f"rr-lang-{code}"],
                                  color="primary" if code == lang else None, outlined=code != lang, style="min-width: 56px")
        with solara.Row(classes=["rr-nav"], style={"flex-wrap": "wrap"}):
            for route, key in PAGES:
                active = path.rstrip("/") == route.rstrip("/")
                with solara.Link(route):
                    solara.Button(t(key, lang), color="primary" if active else None, outlined=not active,
                                  classes=[f"rr-nav-{key.split('.')[1]}"])
        text("div", t("synthetic_note", lang), classes=["rr-note"])
        solara.Column(children=children)
        Glossary(lang)


@solara.component
def Glossary(lang: str):
    """The official Belgian terms in the three languages, current language first."""
    order = [lang] + [code for code in LANGUAGES if code != lang]
    head = "".join(f"<th>{code.upper()}</th>" for code in order)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(names[LANGUAGES.index(code)])}</td>" for code in order) + "</tr>"
                   for names in TERMS.values())
    with solara.Details(summary=t("glossary_title", lang)):
        solara.HTML(unsafe_innerHTML=f"<table class='rr-table'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
