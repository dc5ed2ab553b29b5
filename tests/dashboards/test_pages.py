"""Each page's wiring, rendered in-process with solara.render (no browser), one fresh session per test."""

import json
import shutil
import threading

import ipyvuetify as v
import pytest
import solara
from page_helpers import texts, wait_for, walk

from dashboards import app, common, comparing, results
from dashboards.i18n import t
from dashboards.pages import compare, experiments, network, workshop
from dashboards.widgets import ResponsiveFigure
from experiments import analysis, store


def by_class(root, css_class, widget_type=v.VuetifyWidget):
    """The widgets under ``root`` of a type whose CSS classes include ``css_class``."""
    return [w for w in walk(root) if isinstance(w, widget_type) and css_class in (w.class_ or "").split()]


def click(root, css_class):
    (button,) = by_class(root, css_class, v.Btn)
    button.fire_event("click", {})


def slide(root, css_class, value):
    """Release a CommitSlider at ``value`` (the browser's 'change' event)."""
    (column,) = by_class(root, css_class)
    (slider,) = [w for w in walk(column) if isinstance(w, v.Slider)]
    slider.fire_event("change", value)


def figures(rc):
    return rc.find(ResponsiveFigure).widgets


def errors(rc):
    """The texts of the error lines shown."""
    return [" ".join(map(str, w.children)) for w in rc.find(v.Alert).widgets]


def render_page(path, page):
    return solara.render(solara.RoutingProvider(children=[common.Layout(children=[page()])], routes=app.routes,
                                                pathname=path), handle_error=False)


def test_every_page_carries_the_synthetic_population_note_in_the_chosen_language(session):
    box, rc = render_page("/network", lambda: solara.Text("page"))
    assert texts(box, "rr-note") == [
        "Synthetic population: every person in this model is invented. This tool is for exploring policy, never for "
        "assessing real people."]
    click(box, "rr-lang-nl")
    assert "Synthetische populatie" in texts(box, "rr-note")[0]
    assert [w.children[0] for w in rc.find(v.Btn).widgets if "rr-nav" in (w.class_ or "")] == [
        "Scenario's vergelijken", "Workshop: wat als?", "Netwerk", "Experimenten"]
    glossary = "".join(texts(box))
    assert "justitiehuis" in glossary and "maison de justice" in glossary and "house of justice" in glossary


def test_compare_runs_in_the_background_then_shows_bands_differences_groups_texts_and_downloads(session):
    box, rc = solara.render(compare.Page(), handle_error=False)
    (others,) = by_class(box, "rr-others", v.Select)
    others.v_model = ["living_lab"]
    slide(box, "rr-reps", 2)
    assert compare.reps.value == 2 and compare.chosen() == ["baseline", "living_lab"]
    click(box, "rr-run")
    wait_for(lambda: compare.comparison.pending, 10, "the run to start")
    assert texts(box, "rr-progress")  # 'k of n runs done'
    wait_for(lambda: compare.comparison.finished, 120, "the comparison")
    wait_for(lambda: len(figures(rc)) == 2, 10, "trajectory and group charts")
    trajectory = figures(rc)[0]
    assert [tr.name for tr in trajectory.data if tr.showlegend is not False] == [
        "Baseline: the security-first status quo", "Permanent Returnee Reintegration Living Lab (RELAB) from 2026"]
    assert any(tr.fill == "tonexty" for tr in trajectory.data)  # the 10-90% band
    table = " ".join(texts(box, "rr-diffs"))
    assert "Linking capital" in table and "difference [95%]" in table
    page = " ".join(texts(box))
    assert "Train professionals through Living Labs" in page  # living_lab enacts II.6
    downloads = [w for w in rc.find(v.Btn).widgets if "mdi-cloud-download-outline" in str(w.children)]
    assert len(downloads) == len(comparing.DOWNLOADS)  # each file comparing.Result offers


def test_moving_a_workshop_lever_changes_the_cards_reset_and_pins(session):
    box, rc = solara.render(workshop.Page(), handle_error=False)
    value = lambda: [t for card in by_class(box, "rr-card-family_stability") for t in texts(card, "rr-card-value")]  # noqa: E731
    before = wait_for(value, 60, "the first cards")
    slide(box, "rr-lever-family_contact", 100)
    assert workshop.settings.value["family_contact"] == 1.0
    after = wait_for(lambda: value() != before and value(), 60, "the cards to change")
    assert float(after[0]) > float(before[0])
    slide(box, "rr-lever-family_contact", 250)  # beyond the registry's range: ignored
    assert workshop.settings.value["family_contact"] == 1.0
    wait_for(lambda: not by_class(box, "rr-pin", v.Btn)[0].disabled, 30, "pinning to be possible")
    click(box, "rr-pin")
    assert len(workshop.pins.value) == 1 and workshop.pins.value[0].settings["family_contact"] == 1.0
    assert "Family contact: chance per month of a visit (%): <b>100 %</b>" in " ".join(texts(box))
    click(box, "rr-reset")
    assert workshop.settings.value == workshop.baseline()
    wait_for(lambda: value() == before, 60, "the baseline cards")


def test_two_sessions_keep_their_own_settings_and_pins():
    import solara.server.starlette  # noqa: F401 (as in the server: state per kernel)
    from solara.server import kernel, kernel_context

    first, second = (kernel_context.VirtualKernelContext(id=name, kernel=kernel.Kernel(), session_id=name)
                     for name in ("room-a", "room-b"))
    with first:
        workshop.set_lever("family_contact", 90)
        workshop.pins.set(["pinned in room a"])
        common.language.set("fr")
    with second:
        assert workshop.settings.value["family_contact"] == workshop.baseline()["family_contact"]
        assert workshop.pins.value == [] and common.language.value == "en"
    with first:
        assert workshop.settings.value["family_contact"] == 0.9 and common.language.value == "fr"


def test_network_page_draws_the_chosen_layers(session):
    box, rc = solara.render(network.Page(), handle_error=False)
    wait_for(lambda: len(figures(rc)) == 2, 60, "the network and capital charts")
    lines = lambda: [tr for tr in figures(rc)[0].data if tr.mode == "lines"]  # noqa: E731
    assert len(lines()) == 5
    family = [w for w in rc.find(v.Checkbox).widgets if w.label.startswith("family")][0]
    family.v_model = False
    wait_for(lambda: len(lines()) == 4, 10, "the family layer to go")
    assert not any(tr.name.startswith("family") for tr in lines())
    capital = figures(rc)[1]
    (base, chosen) = capital.data
    assert chosen.y[2] > base.y[2]  # the Living Lab adds linking ties


@pytest.fixture
def root(results_root, tmp_path, monkeypatch):
    """A copy of the results root (the page may write summaries into it)."""
    shutil.copytree(results_root, tmp_path / "root")
    monkeypatch.setenv("REINTEGRATION_RESULTS_ROOT", str(tmp_path / "root"))
    return tmp_path / "root"


def test_experiments_page_lists_folders_shows_status_summary_and_computes_indices(session, root, monkeypatch):
    box, rc = solara.render(experiments.Page(), handle_error=False)
    (select,) = by_class(box, "rr-folder", v.Select)
    assert [i["value"] for i in select.items] == ["compare-small", "morris-tiny"]
    select.v_model = "morris-tiny"
    status = texts(box, "rr-card-value")
    assert status[:4] == ["12", "12", "0", "0"]
    assert len(figures(rc)) == 1  # the summary; indices not computed yet
    shown = lambda labels: {label.replace("<br>", " ") for label in labels}  # noqa: E731 (long labels wrap)
    assert shown(a.text for a in figures(rc)[0].layout.annotations) == {
        "tailored_access (index)", "Family contact: chance per month of a visit (%)"}
    release, compute = threading.Event(), results.compute
    monkeypatch.setattr(results, "compute", lambda *args: release.wait(30) and compute(*args))
    click(box, "rr-compute-sensitivity")
    wait_for(lambda: texts(box, "rr-computing"), 10, "the progress line while computing")  # the session stays usable
    assert rc.find(v.Btn, class_="rr-compute-sensitivity").widget.disabled
    release.set()
    wait_for(lambda: len(figures(rc)) == 2, 60, "the sensitivity chart")
    assert (root / "morris-tiny" / "sensitivity.csv").is_file()
    bars = figures(rc)[1]
    assert shown(bars.data[0].y) == {"tailored_access (index)", "Family contact: chance per month of a visit (%)",
                                   "dummy (noise floor)"}
    assert set(bars.data[0].customdata[:, 0]) == {"tailored_access", "family_contact", "dummy"}  # ids in the hover
    assert bars.layout.xaxis.title.text == "μ* (mean absolute elementary effect)"
    select.v_model = "compare-small"
    wait_for(lambda: len(figures(rc)) == 2, 10, "the comparison's charts")
    assert "difference [95%]" in " ".join(texts(box, "rr-diffs"))


def test_a_failed_computation_shows_one_error_line(session, root, monkeypatch):
    def fail(out):
        raise store.ResultsError(f"{out}: 3 of 12 design points have no finished run")

    monkeypatch.setattr(analysis, "sensitivity", fail)
    experiments.folder_name.set("morris-tiny")
    box, rc = solara.render(experiments.Page(), handle_error=False)
    click(box, "rr-compute-sensitivity")
    (line,) = wait_for(lambda: errors(rc), 30, "the error line")
    assert line.startswith("Something went wrong: ") and "3 of 12 design points have no finished run" in line
    assert not (root / "morris-tiny" / "sensitivity.csv").exists()


def test_the_refresh_button_says_what_it_does(session, root):
    box, rc = solara.render(experiments.Page(), handle_error=False)
    button = rc.find(v.Btn, class_="rr-refresh").widget
    assert button.attributes["aria-label"] == "Read the folders and tables again"
    (tooltip,) = rc.find(v.Tooltip).widgets
    assert tooltip.children == ["Read the folders and tables again"]


DAMAGED = {  # a file under the results root: what is written there instead
    "morris-tiny/manifest.json": '{"n_runs": 12, "kind": "morris"',  # cut short
    "morris-tiny/summary.csv": "\x00\x07 a page of something else\n",
    "morris-tiny/sensitivity.csv": "scenario,outcome,parameter,mu_star,mu_star_conf\nbaseline,stably_housed,dummy,large,0.1\n",
    "compare-small/comparison.json": "[]",
    "compare-small/timeseries.csv": "scenario,month\nbaseline,0\n",
}


@pytest.mark.parametrize("damaged", sorted(DAMAGED))
def test_a_damaged_results_file_shows_one_translated_error_line(session, root, damaged):
    path = root / damaged
    path.write_text(DAMAGED[damaged])
    if path.stem in store.DERIVED:  # damaged after it was computed from the folder's runs (else it is stale, unshown)
        store.stamp_derived(path.parent, path.stem, store.parts_stamp(path.parent), 12, 12)
    common.language.set("nl")
    experiments.folder_name.set(damaged.split("/")[0])
    box, rc = solara.render(experiments.Page(), handle_error=False)  # nothing raises
    (line,) = errors(rc)
    assert line.startswith("Er ging iets mis: ") and str(path) in line
    assert not figures(rc)


def test_experiments_page_without_results_says_so(session, tmp_path, monkeypatch):
    monkeypatch.setenv("REINTEGRATION_RESULTS_ROOT", str(tmp_path / "nothing"))
    box, rc = solara.render(experiments.Page(), handle_error=False)
    assert texts(box, "rr-no-results") == [f"No results folders found under {tmp_path / 'nothing'}."]
    assert not figures(rc)


def readable(root):
    """Every text a person can read under ``root``: HTML, labels, button, alert and tooltip texts, select items,
    aria labels and everything in the charts."""
    found, queue = [], [root]
    while queue:
        w = queue.pop()
        children = [c for c in (getattr(w, "children", None) or []) if not isinstance(c, str)]
        queue += children + [c for slot in (getattr(w, "v_slots", None) or []) for c in slot["children"]]
        if isinstance(w, ResponsiveFigure):
            found.append(json.dumps(w.to_plotly_json(), default=str, ensure_ascii=False).replace("<br>", " "))
            continue
        found += [c for c in (getattr(w, "children", None) or []) if isinstance(c, str)]
        found += [getattr(w, name, None) or "" for name in ("unsafe_innerHTML", "label", "hint", "placeholder")]
        found += [str(i.get("text", "")) for i in (getattr(w, "items", None) or []) if isinstance(i, dict)]
        found += [str(value) for value in (getattr(w, "attributes", None) or {}).values()]
    return " ".join(found)


def charts_shown(box, rc):
    wait_for(lambda: len(figures(rc)) == 2, 120, "the page's two charts")


def compared(box, rc):
    """A small comparison run, so that its results show too."""
    compare.others.set(["living_lab"])
    compare.reps.set(2)
    click(box, "rr-run")
    charts_shown(box, rc)


PAGES = {  # route: its page, what to do until it shows its content, label keys whose English must not show in Dutch
    "/": (compare.Page, compared, (
        "nav.compare", "nav.network", "language", "glossary_title", "synthetic_note", "compare.title", "compare.run",
        "compare.reference", "compare.reps", "compare.trajectories", "compare.band_note", "compare.by_gender",
        "compare.groups_note", "compare.dl_summary", "compare.enacts", "unit.share_arrived")),
    "/workshop": (workshop.Page, lambda box, rc: wait_for(lambda: texts(box, "rr-card-value"), 60, "the cards"), (
        "nav.workshop", "workshop.title", "workshop.reset", "workshop.pin", "workshop.start", "workshop.start_2026",
        "workshop.pins", "workshop.pins_empty", "lever.family_contact", "lever.service_staffing",
        "card.family_stability", "unit.score", "workshop.unclear")),
    "/network": (network.Page, charts_shown, (
        "network.title", "network.layers", "layer.family", "layer.case", "capital.bonding", "kind.family_member",
        "network.capital_note", "baseline")),
    "/experiments": (experiments.Page, charts_shown, (
        "nav.experiments", "experiments.title", "experiments.folder", "experiments.planned", "experiments.finished",
        "experiments.summary", "experiments.sensitivity", "experiments.refresh", "experiments.index.mu_star",
        "experiments.dummy", "compare.outcome", "lever.family_contact")),
}


@pytest.mark.parametrize("route", sorted(PAGES))
def test_every_page_in_dutch_shows_no_english_label(session, root, route):
    page, until_shown, keys = PAGES[route]
    results.compute(results.find("morris-tiny", root), "sensitivity")
    experiments.folder_name.set("morris-tiny")
    common.language.set("nl")
    box, rc = render_page(route, page)
    until_shown(box, rc)
    shown = readable(box)
    assert t("nav.workshop", "nl") in shown and t("synthetic_note", "nl") in shown  # the frame is read too
    for key in keys:
        english = t(key, "en")
        assert english != t(key, "nl"), key
        assert english not in shown, f"{key}: {english!r} shows on the Dutch page"
