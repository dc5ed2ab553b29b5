"""The comparison report: one self-contained HTML file a policy analyst can open offline."""

from __future__ import annotations

import re
from html import escape

import pytest
from plotly.offline import get_plotlyjs

from experiments.compare import INTERVALS, compare
from experiments.compare_folder import save
from experiments.report import SYNTHETIC_NOTE, number


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    c = compare(["baseline", "full_sra"], reps=2, months=36, workers=1, progress=False)
    paths = save(c, tmp_path_factory.mktemp("compare"))
    return c, paths, paths["report.html"].read_text(encoding="utf-8")


def test_self_contained(report):
    _, _, text = report
    js = get_plotlyjs()
    assert text.count(js) == 1, "plotly.js inlined exactly once"
    rest = text.replace(js, "")  # the library's own source mentions URLs it never fetches here
    assert "<script src" not in rest.lower()
    assert "cdn.plot.ly" not in rest  # (plain "cdn" may occur by chance inside base64-encoded figure data)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", rest, flags=re.I)
    assert "<link" not in rest.lower() and "@import" not in rest


def test_contents(report):
    c, _, text = report
    for s in c.scenarios:
        assert escape(s.title) in text
    assert escape(SYNTHETIC_NOTE) in text
    assert escape(INTERVALS[c.uncertainty]) in text
    assert f"--reps {c.reps}" in text and str(c.seeds[0]) in text
    for name in ("summary.csv", "timeseries_by_group.csv"):
        assert name in text


def test_written_atomically(report):
    _, paths, _ = report
    folder = paths["report.html"].parent
    assert not list(folder.glob(".report.html.*.tmp"))


def test_numbers():
    assert number(-1e-17, 1, signed=True) == "+0.0"
    assert number(float("nan"), 2) == "n/a"


@pytest.mark.parametrize("rows, cols, shared_y, v, h", [(1, 1, False, 0.3, 0.2), (4, 2, False, 0.15, 0.18),
                                                        (1, 3, True, 0.3, 0.05), (3, 2, True, 0.1, 0.2)])
def test_grid_layout_places_panels_and_titles_as_make_subplots_does(rows, cols, shared_y, v, h):
    import json

    import plotly.io as pio
    from plotly.subplots import make_subplots

    from experiments.report import grid_layout

    titles = [f"panel {k}" for k in range(rows * cols - 1)]  # the last panel untitled
    fig = make_subplots(rows=rows, cols=cols, shared_yaxes=shared_y, subplot_titles=titles + [""],
                        vertical_spacing=v, horizontal_spacing=h)
    expected = json.loads(pio.to_json(fig.layout, validate=False))
    expected.pop("template")
    expected["annotations"] = [a for a in expected.get("annotations", []) if a["text"]]
    assert grid_layout(titles, rows, cols, shared_y, v, h) == expected
