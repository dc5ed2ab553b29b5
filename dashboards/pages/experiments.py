"""Page 4, experiments: open a results folder found under the results root; show an experiment's
status, summary and sensitivity indices, or a saved scenario comparison, as plots."""

from __future__ import annotations

import reacton.ipyvuetify as rv
import solara

from experiments.compare import KEY_OUTCOMES
from experiments.spec import DUMMY
from experiments.store import ResultsError
from model.calendar import month_to_date

from .. import charts, results
from ..common import language, text
from ..i18n import t
from ..widgets import Chart

folder_name = solara.reactive("")
outcome = solara.reactive("")
refreshed = solara.reactive(0)  # bumped to list the folders again and re-read tables


@solara.component
def Page():
    lang = language.value
    root = results.root()
    found = solara.use_memo(lambda: results.folders(root), dependencies=[root, refreshed.value])
    text("h2", t("experiments.title", lang))
    text("p", t("experiments.intro", lang, root=str(root)))
    if not found:
        text("p", t("experiments.none", lang, root=str(root)), classes=["rr-small", "rr-no-results"])
        return
    names = [f.name for f in found]
    current = folder_name.value if folder_name.value in names else names[0]
    with solara.Row(style={"align-items": "center"}):
        rv.Select(label=t("experiments.folder", lang), v_model=current, on_v_model=folder_name.set,
                  items=[{"text": f"{f.name} ({t(f'experiments.kind.{f.kind}', lang)})", "value": f.name} for f in found],
                  style_="min-width: 520px", class_="rr-folder")
        solara.Button(icon_name="mdi-refresh", on_click=lambda: refreshed.set(refreshed.value + 1), icon=True)
    folder = results.find(current, root)
    try:
        if folder.kind == "experiment":
            Experiment(folder, lang, refreshed.value)
        else:
            Comparison(folder, lang, refreshed.value)
    except (ResultsError, OSError, ValueError, KeyError) as exc:
        solara.Error(t("error", lang, error=exc))


def computed(folder: results.Folder, what: str) -> None:
    """Compute and save a summary or sensitivity table, then read the folder again."""
    results.compute(folder, what)
    refreshed.set(refreshed.value + 1)


def pick(options: list[str]) -> str:
    """The outcome chosen on this page, or the first available."""
    return outcome.value if outcome.value in options else options[0]


def outcome_select(options: list[str], lang: str) -> None:
    rv.Select(label=t("compare.outcome", lang), v_model=pick(options), on_v_model=outcome.set,
              items=[{"text": charts.display.label(o, lang), "value": o} for o in options],
              style_="max-width: 520px", class_="rr-outcome")


@solara.component
def Experiment(folder: results.Folder, lang: str, version: int):
    manifest = solara.use_memo(lambda: results.manifest(folder), dependencies=[folder, version])
    state = solara.use_memo(lambda: results.status(folder), dependencies=[folder, version])
    if manifest.get("title"):
        text("h3", manifest["title"])
    text("p", manifest.get("description", ""), classes=["rr-small"])
    text("h3", t("experiments.status", lang))
    with solara.Row(classes=["rr-status"], style={"flex-wrap": "wrap"}):
        for key in ("planned", "finished", "failed", "remaining"):
            with solara.Card(style={"min-width": "160px"}):
                text("div", str(state[key]), classes=["rr-card-value"])
                text("div", t(f"experiments.{key}", lang), classes=["rr-small"])
    options = list(manifest["keep"])
    outcome_select(options, lang)
    varied = [p for p in manifest["parameters"] if p != DUMMY]
    for what, title in (("summary", "experiments.summary"), ("sensitivity", "experiments.sensitivity")):
        if what == "sensitivity" and manifest["kind"] not in ("morris", "sobol"):
            continue
        text("h3", t(title, lang))
        frame = results.table(folder, f"{what}.csv")
        if frame is None:
            text("p", t("experiments.not_yet", lang), classes=["rr-small"])
            solara.Button(t("experiments.compute", lang), outlined=True, classes=[f"rr-compute-{what}"],
                          on_click=lambda what=what: computed(folder, what))
        elif what == "summary":
            Chart(charts.design_points(frame, varied, pick(options), lang))
        else:
            for scenario in frame.scenario.unique():
                Chart(charts.sensitivity_bars(frame, str(scenario), pick(options), DUMMY, lang))


@solara.component
def Comparison(folder: results.Folder, lang: str, version: int):
    meta = solara.use_memo(lambda: results.manifest(folder), dependencies=[folder, version])
    summary = solara.use_memo(lambda: results.table(folder, "summary.csv"), dependencies=[folder, version])
    ts = solara.use_memo(lambda: results.table(folder, "timeseries.csv"), dependencies=[folder, version])
    by_group = solara.use_memo(lambda: results.table(folder, "summary_by_group.csv"), dependencies=[folder, version])
    names = [s["name"] for s in meta["scenarios"]]
    options = [o for o in KEY_OUTCOMES if summary is not None and o in set(summary.outcome)]
    if summary is None or ts is None or not options:
        text("p", t("experiments.not_yet", lang), classes=["rr-small"])
        return
    outcome_select(options, lang)
    chosen = pick(options)
    text("h3", t("compare.trajectories", lang))
    Chart(charts.trajectories(ts, names, chosen, lang))
    end = month_to_date(int(meta["months"]) - 1)
    text("h3", t("compare.diffs", lang, date=end))
    solara.HTML(unsafe_innerHTML=charts.differences_table(summary, names, options, lang), classes=["rr-diffs"])
    chance = meta.get("uncertainty", "chance") == "chance"
    text("p", t("compare.interval_note" if chance else "compare.interval_note_parameters", lang), classes=["rr-small"])
    if by_group is not None and chosen in set(by_group.outcome):
        text("h3", t("compare.groups", lang, date=end))
        Chart(charts.groups(by_group, names, chosen, lang))
