"""Page 4, experiments: open a results folder found under the results root; show an experiment's
status, summary and sensitivity indices, or a saved scenario comparison, as plots.

A folder is read, and its charts drawn, inside the component that shows them (``use_read``):
child components render after their parent returns, so only there does a damaged or vanished
folder become one translated error line instead of a traceback. Missing tables are computed
in the background.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, NamedTuple, TypeVar

import plotly.graph_objects as go
import reacton.ipyvuetify as rv
import solara
import solara.lab

from experiments.compare import KEY_OUTCOMES
from experiments.spec import DUMMY
from model.api import month_to_date

from .. import charts, results
from ..common import language, set_allowed, text
from ..i18n import t
from ..widgets import Chart

T = TypeVar("T")
folder_name = solara.reactive("")
outcome = solara.reactive("")
refreshed = solara.reactive(0)  # bumped to list the folders again and re-read tables
STATUS = ("planned", "finished", "failed", "remaining")  # an experiment's status cards (label keys experiments.<name>)
TABLES = ("summary", "sensitivity")  # an experiment's tables, each under its heading (label keys experiments.<name>)


def use_read(read: Callable[[], T], dependencies: list[Any]) -> T | Exception:
    """``read()``, memoised, or the reading error it raised (results.READ_ERRORS) for the caller to show."""
    return solara.use_memo(lambda: results.attempt(read), dependencies=dependencies)


def error(problem: Exception, lang: str) -> None:
    solara.Error(t("error", lang, error=problem), classes=["rr-error"])


@solara.component
def Page():
    lang = language.value
    root = results.root()
    found = use_read(lambda: results.folders(root), [root, refreshed.value])
    text("h2", t("experiments.title", lang))
    text("p", t("experiments.intro", lang, root=str(root)))
    if isinstance(found, Exception):
        error(found, lang)
        return
    if not found:
        text("p", t("experiments.none", lang, root=str(root)), classes=["rr-small", "rr-no-results"])
        return
    names = [f.name for f in found]
    current = folder_name.value if folder_name.value in names else names[0]
    refresh = t("experiments.refresh", lang)
    with solara.Row(style={"align-items": "center"}):
        rv.Select(label=t("experiments.folder", lang), v_model=current,
                  on_v_model=lambda v: set_allowed(folder_name, v, names),
                  items=[{"text": f"{f.name} ({t(f'experiments.kind.{f.kind}', lang)})", "value": f.name} for f in found],
                  style_="min-width: 520px", class_="rr-folder")
        with solara.Tooltip(refresh):
            solara.Button(icon_name="mdi-refresh", on_click=lambda: refreshed.set(refreshed.value + 1), icon=True,
                          classes=["rr-refresh"], attributes={"aria-label": refresh})
    FolderView(current, root, lang, refreshed.value)


@solara.component
def FolderView(name: str, root: Path, lang: str, version: int):
    """The chosen folder, looked up in the listing again and read here (it may have gone or be damaged)."""
    opened = use_read(lambda: results.open_folder(name, root), [name, root, version])
    if isinstance(opened, Exception):
        error(opened, lang)
    elif opened.folder.kind == "experiment":
        Experiment(opened, lang)
    else:
        Comparison(opened, lang)


def computed(folder: results.Folder, what: str) -> None:
    """Compute and save a summary or sensitivity table (in a task's thread), then read the folder again."""
    results.compute(folder, what)
    refreshed.set(refreshed.value + 1)


def pick(options: list[str]) -> str:
    """The outcome chosen on this page, or the first available."""
    return outcome.value if outcome.value in options else options[0]


def outcome_select(options: list[str], lang: str) -> None:
    rv.Select(label=t("compare.outcome", lang), v_model=pick(options),
              on_v_model=lambda v: set_allowed(outcome, v, options), items=[{"text": charts.display.label(o, lang), "value": o} for o in options],
              style_="max-width: 520px", class_="rr-outcome")


def experiment_charts(opened: results.Opened, chosen: str, lang: str) -> dict[str, list[go.Figure]]:
    """The summary chart and one sensitivity chart per scenario, for the tables saved so far."""
    varied = [p for p in opened.manifest["parameters"] if p != DUMMY]
    summary, indices = opened.tables["summary"], opened.tables.get("sensitivity")
    return {"summary": [] if summary is None else [charts.design_points(summary, varied, chosen, lang)],
            "sensitivity": [] if indices is None else [charts.sensitivity_bars(indices, str(s), chosen, lang)
                                                       for s in indices["scenario"].unique()]}


@solara.component
def Experiment(opened: results.Opened, lang: str):
    manifest, options = opened.manifest, list(opened.manifest["keep"])
    chosen = pick(options)
    drawn = use_read(lambda: experiment_charts(opened, chosen, lang), [opened, chosen, lang])
    if manifest.get("title"):
        text("h3", manifest["title"])
    text("p", manifest.get("description", ""), classes=["rr-small"])
    text("h3", t("experiments.status", lang))
    with solara.Row(classes=["rr-status"], style={"flex-wrap": "wrap"}):
        for key in STATUS:
            with solara.Card(style={"min-width": "160px"}):
                text("div", str(opened.status[key]), classes=["rr-card-value"])
                text("div", t(f"experiments.{key}", lang), classes=["rr-small"])
    outcome_select(options, lang)
    if isinstance(drawn, Exception):
        error(drawn, lang)
        return
    for what in TABLES:
        if what not in opened.tables:  # a design without sensitivity indices
            continue
        text("h3", t(f"experiments.{what}", lang))
        if opened.tables[what] is None:
            Compute(opened.folder, what, what in opened.status["stale"], lang).key(f"{opened.folder.path}:{what}")
        for figure in drawn[what]:
            Chart(figure)


@solara.component
def Compute(folder: results.Folder, what: str, stale: bool, lang: str):
    """A table not saved yet, or saved before the folder's runs changed (never shown then): computed in the
    background on request (the session stays usable)."""
    task = solara.lab.use_task(lambda: computed(folder, what), dependencies=None, raise_error=False)
    text("p", t("experiments.stale" if stale else "experiments.not_yet", lang), classes=["rr-small"])
    solara.Button(t("experiments.compute", lang), outlined=True, classes=[f"rr-compute-{what}"], on_click=task,
                  disabled=task.pending)
    if task.pending:
        text("p", t("experiments.computing", lang), classes=["rr-small", "rr-computing"])
        solara.ProgressLinear(True)
    elif task.error:
        error(task.exception, lang)


INTERVAL_NOTES = {"chance": "compare.interval_note", "prior": "compare.interval_note_parameters",
                  "parameters": "compare.interval_note_parameters", "posterior": "compare.interval_note_posterior"}


class ComparisonView(NamedTuple):
    end: str  # the last month's date
    uncertainty: str  # what the intervals include: chance, prior or posterior (experiments.compare.INTERVALS)
    trajectories: go.Figure
    diffs: str  # HTML table
    groups: go.Figure | None  # None when the groups table lacks the outcome


def comparison_view(opened: results.Opened, options: list[str], chosen: str, lang: str) -> ComparisonView:
    """Trajectories, the differences table and (if saved for this outcome) the groups chart of a saved comparison."""
    meta, tables = opened.manifest, opened.tables
    names = [s["name"] for s in meta["scenarios"]]
    by_group = tables["summary_by_group"]
    return ComparisonView(month_to_date(int(meta["months"]) - 1), meta.get("uncertainty", "chance"),
                          charts.trajectories(tables["timeseries"], names, chosen, lang),
                          charts.differences_table(tables["summary"], names, options, lang),
                          charts.groups(by_group, names, chosen, lang)
                          if by_group is not None and chosen in set(by_group["outcome"]) else None)


@solara.component
def Comparison(opened: results.Opened, lang: str):
    summary, ts = opened.tables["summary"], opened.tables["timeseries"]
    options = [o for o in KEY_OUTCOMES if summary is not None and ts is not None and o in set(summary["outcome"])]
    chosen = pick(options) if options else ""
    drawn = use_read(lambda: comparison_view(opened, options, chosen, lang) if options else None,
                     [opened, chosen, lang])
    if drawn is None:
        text("p", t("experiments.not_yet", lang), classes=["rr-small"])
        return
    if isinstance(drawn, Exception):
        error(drawn, lang)
        return
    outcome_select(options, lang)
    text("h3", t("compare.trajectories", lang))
    Chart(drawn.trajectories)
    text("h3", t("compare.diffs", lang, date=drawn.end))
    solara.HTML(unsafe_innerHTML=drawn.diffs, classes=["rr-diffs"])
    text("p", t(INTERVAL_NOTES.get(drawn.uncertainty, "compare.interval_note_parameters"), lang), classes=["rr-small"])
    if drawn.groups is not None:
        text("h3", t("compare.groups", lang, date=drawn.end))
        Chart(drawn.groups)
