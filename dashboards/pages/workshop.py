"""Page 2, workshop what-if: large controls for the main levers, result cards that update within
about a second or two (a few paired runs in worker processes), reset, and pinned settings."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import solara
import solara.lab

from model.api import ParameterError

from .. import compute, display
from ..common import language, set_allowed, text
from ..i18n import number, t
from ..levers import BY_NAME, LEVERS, baseline, overrides
from ..widgets import ChoiceButtons, CommitSlider

settings = solara.reactive(baseline())
start = solara.reactive("2026")
pins = solara.reactive([])  # list[Pin], this session's only


@dataclass(frozen=True, eq=False)
class Pin:
    settings: dict[str, Any]
    start: str
    cards: compute.Cards


def set_lever(name: str, shown: Any) -> None:
    """Store a control's value after the registry has validated it (anything else from the browser is ignored)."""
    try:
        value = BY_NAME[name].from_browser(shown)
    except ParameterError:
        return
    settings.set({**settings.value, name: value})


def shown_value(name: str, value: Any, lang: str) -> str:
    """A lever's value as the room reads it (on/off, %, months...)."""
    lever = BY_NAME[name]
    if lever.parameter.kind == "bool":
        return t("workshop.on" if value else "workshop.off", lang)
    digits = 0 if lever.parameter.kind == "int" or lever.percent or lever.step >= 1 else 2
    return number(lever.shown(value), digits, lang) + (" %" if lever.percent else "")


@solara.component
def Page():
    lang = language.value
    text("h2", t("workshop.title", lang))
    text("p", t("workshop.intro", lang, end=compute.END_DATE, reps=len(compute.SEEDS)))
    with solara.Columns([5, 7]):
        with solara.Column():
            Controls(lang)
        with solara.Column():
            Results(lang)
    Pins(lang)


@solara.component
def Results(lang: str):
    """Reset, pin and the cards of the current setting. The what-if's task lives here, so its state changes
    (starting, running, finished) re-draw this column only, not the levers or the pins."""
    key = (tuple(sorted(settings.value.items())), start.value)
    cards = solara.lab.use_task(lambda: compute.what_if(overrides(settings.value), start.value), dependencies=[key],
                                raise_error=False)
    year = compute.END_DATE[:4]
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.Button(t("workshop.reset", lang), on_click=lambda: settings.set(baseline()), outlined=True,
                      classes=["rr-reset"], style="font-size: 1.1rem")
        solara.Button(t("workshop.pin", lang), color="primary", classes=["rr-pin"], style="font-size: 1.1rem",
                      disabled=cards.latest is None or cards.pending,
                      on_click=lambda: pins.set([*pins.value, Pin(dict(settings.value), start.value, cards.latest)]))
    if cards.pending:
        text("div", t("workshop.updating", lang), classes=["rr-small", "rr-updating"])
    solara.ProgressLinear(cards.pending)
    if cards.error:
        solara.Error(t("error", lang, error=cards.exception))
    elif cards.latest is not None:
        marks = cards.latest.verdicts()
        with solara.GridFixed(columns=2):
            for outcome in compute.CARD_OUTCOMES:
                ResultCard(outcome, cards.latest, marks[outcome], lang, year)
        text("p", t("workshop.verdict_rule", lang, reps=len(compute.SEEDS)), classes=["rr-small"])


@solara.component
def Controls(lang: str):
    text("div", t("workshop.start", lang), classes=["rr-small"])
    ChoiceButtons(start.value, [(key, t(f"workshop.start_{key}", lang), f"rr-start-{key}") for key in compute.STARTS],
                  lambda key: set_allowed(start, key, list(compute.STARTS)), style="flex-wrap: wrap; height: auto")
    for lever in LEVERS:
        value = settings.value[lever.name]
        if lever.parameter.kind == "bool":
            solara.Switch(label=t(lever.label, lang), value=bool(value), on_value=lambda v, n=lever.name: set_lever(n, v),
                          classes=["rr-lever", f"rr-lever-{lever.name}"])
            continue
        low, high = lever.bounds()
        CommitSlider(t(lever.label, lang), lever.shown(value), lambda v, n=lever.name: set_lever(n, v), low, high,
                     lever.step, disabled=lever.name == "ll_outreach" and not settings.value["living_lab"],
                     classes=[f"rr-lever-{lever.name}"])
        if lever.since_2016:
            text("div", t("workshop.since_2016_hint", lang), classes=["rr-small", f"rr-hint-{lever.name}"])


@solara.component
def ResultCard(outcome: str, cards: compute.Cards, mark: str | None, lang: str, year: str):
    """Mean over the runs, their range, the paired difference from the baseline and its verdict."""
    values, diffs = cards.column(outcome)
    u = display.unit(outcome)
    verdict_text = {"better": "workshop.clearly_better", "worse": "workshop.clearly_worse", None: "workshop.unclear"}[mark]
    with solara.Card(classes=[f"rr-card-{outcome}"], style={"min-height": "220px"}):
        text("div", t(f"card.{outcome}", lang, year=year), classes=["rr-card-title"])
        text("div", display.value(outcome, float(values.mean()), lang), classes=["rr-card-value"])
        text("div", t(u.unit, lang), classes=["rr-small"])
        text("div", t("workshop.spread", lang, low=display.value(outcome, float(values.min()), lang),
                      high=display.value(outcome, float(values.max()), lang)), classes=["rr-small"])
        diff = f"{display.value(outcome, float(diffs.mean()), lang, signed=True)} {t(u.diff_unit, lang)}"
        text("div", t("workshop.vs_baseline", lang, diff=diff), classes=["rr-small"])
        text("div", t(verdict_text, lang), classes=[f"rr-{mark}" if mark else "rr-small"])


@solara.component
def Pins(lang: str):
    """The settings this room pinned, side by side with the baseline."""
    text("h3", t("workshop.pins", lang))
    if not pins.value:
        text("p", t("workshop.pins_empty", lang), classes=["rr-small", "rr-pins-empty"])
        return
    base = baseline()
    head = [t("compare.col_outcome", lang)] + [t("workshop.pin_name", lang, n=k + 1) for k in range(len(pins.value))]
    rows = [[t("workshop.changes", lang)] + [
        "<br>".join(f"{html.escape(t(BY_NAME[n].label, lang))}: <b>{html.escape(shown_value(n, v, lang))}</b>"
                    for n, v in p.settings.items() if v != base[n]) or html.escape(t("workshop.no_changes", lang))
        for p in pins.value]]
    rows.append([t("workshop.start", lang)] + [html.escape(t(f"workshop.start_{p.start}", lang)) for p in pins.value])
    for outcome in compute.CARD_OUTCOMES:
        cells = []
        for p in pins.value:
            values, diffs = p.cards.column(outcome)
            cells.append(f"{display.value(outcome, float(values.mean()), lang)} "
                         f"({display.value(outcome, float(diffs.mean()), lang, signed=True)})")
        rows.append([html.escape(t(f"card.{outcome}", lang, year=compute.END_DATE[:4]))] + cells)
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    solara.HTML(unsafe_innerHTML=f"<table class='rr-table rr-pins'><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>")
    text("p", t("workshop.pins_note", lang), classes=["rr-small"])
    with solara.Row(style={"flex-wrap": "wrap"}):
        for k, p in enumerate(pins.value):
            solara.Button(f"{t('workshop.restore', lang)}: {t('workshop.pin_name', lang, n=k + 1)}", outlined=True,
                          on_click=lambda p=p: (settings.set(dict(p.settings)), start.set(p.start)))
        solara.Button(t("workshop.clear_pins", lang), text=True, on_click=lambda: pins.set([]))

