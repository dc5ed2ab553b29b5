"""Page 1, compare scenarios: paired replications run in the background, then trajectories with
bands, paired differences, the group breakdown, the scenarios' texts and downloads."""

from __future__ import annotations

import html

import reacton.ipyvuetify as rv
import solara
import solara.lab

from experiments.compare import KEY_OUTCOMES
from model.api import catalogue, load, month_to_date

from .. import charts, comparing
from ..common import language, set_allowed, set_bounded, set_choices, text
from ..i18n import number, t
from ..widgets import Chart, CommitSlider

reference = solara.reactive("baseline")
others = solara.reactive(["full_sra"])
reps = solara.reactive(10)
outcome = solara.reactive("stably_housed")
running = solara.reactive(0)  # how many runs the current comparison makes


@solara.lab.task
def comparison(names: list[str], replications: int) -> comparing.Result:
    """Run the comparison in a thread; progress is the share of runs done."""

    def report(done: int, total: int) -> None:
        comparison.progress = 100.0 * done / total

    return comparing.run(names, replications, report)


def chosen() -> list[str]:
    """The reference first, then the other scenarios, without repeats."""
    return [reference.value] + [n for n in others.value if n != reference.value]


def start(names: list[str]) -> None:
    running.set(len(names) * reps.value)
    comparison(names, reps.value)


@solara.component
def Page():
    lang = language.value
    names = chosen()
    valid = 2 <= len(names) <= comparing.MAX_SCENARIOS
    items = [{"text": charts.scenario_title(n, lang), "value": n} for n in catalogue()]
    text("h2", t("compare.title", lang))
    text("p", t("compare.intro", lang))
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        rv.Select(label=t("compare.reference", lang), items=items, v_model=reference.value,
                  on_v_model=lambda v: set_allowed(reference, v, catalogue()),
                  style_="min-width: 380px; max-width: 420px", class_="rr-reference")
        rv.Select(label=t("compare.others", lang), items=[i for i in items if i["value"] != reference.value],
                  v_model=others.value,
                  on_v_model=lambda v: set_choices(others, v, catalogue(), comparing.MAX_SCENARIOS - 1),
                  multiple=True, chips=True,
                  deletable_chips=True, style_="min-width: 480px", class_="rr-others")
    with solara.Row(style={"align-items": "center"}):
        with solara.Column(style={"min-width": "420px"}):
            CommitSlider(t("compare.reps", lang), reps.value,
                         lambda v: set_bounded(reps, v, comparing.MIN_REPS, comparing.MAX_REPS),
                         comparing.MIN_REPS, comparing.MAX_REPS, 1, classes=["rr-reps"])
        solara.Button(t("compare.run", lang), on_click=lambda: start(names), color="primary",
                      disabled=not valid or comparison.pending, classes=["rr-run"], style="font-size: 1.1rem")
    if not valid:
        text("p", t("compare.pick", lang), classes=["rr-small"])
    if comparison.pending:
        done = round((comparison.progress or 0) / 100 * running.value)
        text("p", t("compare.running", lang, k=done, n=running.value), classes=["rr-progress"])
        solara.ProgressLinear(comparison.progress or True)
    elif comparison.error:
        solara.Error(t("error", lang, error=comparison.exception))
    elif comparison.finished and comparison.value is not None:
        Results(comparison.value, lang)
    else:
        text("p", t("compare.empty", lang), classes=["rr-small"])


@solara.component
def Results(result: comparing.Result, lang: str):
    c = result.comparison
    names, end = c.names, month_to_date(c.months - 1)
    text("p", t("compare.done", lang, runs=c.reps * len(names), seconds=number(result.seconds, 1, lang)), classes=["rr-small"])
    rv.Select(label=t("compare.outcome", lang), v_model=outcome.value, on_v_model=lambda v: set_allowed(outcome, v, KEY_OUTCOMES),
              items=[{"text": charts.display.label(o, lang), "value": o} for o in KEY_OUTCOMES],
              style_="max-width: 520px", class_="rr-outcome")
    text("h3", t("compare.trajectories", lang))
    Chart(charts.trajectories(result.timeseries, names, outcome.value, lang))
    text("p", t("compare.band_note", lang), classes=["rr-small"])
    text("h3", t("compare.diffs", lang, date=end))
    solara.HTML(unsafe_innerHTML=charts.differences_table(result.summary, names, KEY_OUTCOMES, lang), classes=["rr-diffs"])
    text("p", t("compare.interval_note_posterior", lang), classes=["rr-small"])
    text("h3", t("compare.groups", lang, date=end))
    grouped = outcome.value if outcome.value in c.group_columns else "stably_housed"
    Chart(charts.groups(result.summary_by_group, names, grouped, lang))
    text("p", t("compare.groups_note", lang), classes=["rr-small"])
    Descriptions(names, lang)
    text("h3", t("compare.downloads", lang))
    with solara.Row(style={"flex-wrap": "wrap"}):
        for name, key, mime in (("summary.csv", "compare.dl_summary", "text/csv"),
                                ("summary_by_group.csv", "compare.dl_summary_by_group", "text/csv"),
                                ("timeseries.csv", "compare.dl_timeseries", "text/csv"),
                                ("report.html", "compare.dl_report", "text/html")):
            solara.FileDownload(lambda name=name: result.file(name), filename=name, label=t(key, lang), mime_type=mime)


@solara.component
def Descriptions(names: list[str], lang: str):
    """Each scenario's text (from its file) and the recommendations of the brief it enacts (translated)."""
    text("h3", t("compare.descriptions", lang))
    for name in names:
        scenario = load(name)
        with solara.Card(title=charts.scenario_title(name, lang)):
            text("p", t("compare.description_note", lang), classes=["rr-small"])
            text("p", scenario.description)
            if scenario.recommendations:
                text("p", t("compare.enacts", lang))
                items = "".join(f"<li><b>{html.escape(code)}</b> {html.escape(t(f'rec.{code}', lang))}</li>"
                                for code in scenario.recommendations)
                solara.HTML(tag="ul", unsafe_innerHTML=items)
            else:
                text("p", t("compare.enacts_none", lang))
