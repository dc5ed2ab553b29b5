"""model.files: the CSV writer gives exactly the bytes pandas writes (faster), neutralises formulas, and reads back
what it wrote."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.files import CSV_FLOAT_FORMAT, FORMULA_STARTS, neutralised, read_csv, write_csv

FRAMES = {
    "numbers, text and flags": pd.DataFrame({
        "scenario": ["baseline", 'a,"quoted"', "new\nline", "ünïcode", None],
        "month": np.arange(5), "flag": [True, False, True, True, False],
        "share": [0.1234567891, np.nan, 1e-9, -np.inf, 123456789.0], "zeros": [0.0, -0.0, 0.0, -0.0, np.nan],
        "small": np.array([1.5, -2.25, 1.5, 0.0, 7.0], dtype=np.float32), "unsigned": np.arange(5, dtype=np.uint8),
        "mixed": [1, "two", 3.5, None, np.nan],
        "count": pd.array([1, None, 3, 4, 5], dtype="Int64"),
    }),
    "pandas text types": pd.DataFrame({
        "str": pd.array(["a", None, 'b,"c"'], dtype="str"), "string": pd.array(["x", None, "y\nz"], dtype="string"),
        "object": np.array(["p", None, "q"], dtype=object), "share": [0.5, np.nan, 2.0]}),
    "one column with empty text": pd.DataFrame({"only": np.array(["", None, "x", ""], dtype=object)}),
    "headers to quote": pd.DataFrame({'a,"b"': [1.5], "line\nbreak": ["c"], "": [2]}),
    "no columns": pd.DataFrame(),
    "no columns, some rows": pd.DataFrame(index=range(2)),
    "long double goes through pandas": pd.DataFrame({"x": np.array([1.5, 2.25], dtype=np.longdouble), "y": [1, 2]}),
    "no rows": pd.DataFrame({"a": pd.Series([], dtype=float), "b": pd.Series([], dtype=object)}),
    "dates go through pandas": pd.DataFrame({"when": pd.to_datetime(["2020-01-01", "2021-06-30"]), "x": [1.5, 2.0]}),
    "categories go through pandas": pd.DataFrame({"c": pd.Categorical([0.123456789, 1.0]), "x": [1, 2]}),
    "repeated column names": pd.DataFrame([[1.5, 2.5]], columns=["a", "a"]),
    "numbers as column names": pd.DataFrame([[1.5, 2.5]], columns=[0.5, 1]),
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_write_csv_writes_the_bytes_pandas_writes(tmp_path: Path, name: str):
    frame = FRAMES[name]
    write_csv(frame, tmp_path / "fast.csv")
    frame.to_csv(tmp_path / "pandas.csv", index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_a_carriage_return_in_a_field_is_quoted(tmp_path: Path):
    """RFC 4180: a field holding a carriage return is quoted (pandas and the csv module leave it bare, and a
    spreadsheet then starts a new row inside the field)."""
    frame = pd.DataFrame({"a\rb": ["x\ry", "z"], "s": pd.array(["p\rq", None], dtype="str"), "n": [1, 2]})
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == b'"a\rb",s,n\n"x\ry","p\rq",1\nz,,2\n'
    assert read_csv(tmp_path / "t.csv")["a\rb"].tolist() == ["x\ry", "z"]


def test_text_and_number_tables_take_the_fast_path(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("went through pandas"))
    for name in ("numbers, text and flags", "pandas text types", "no rows"):
        frame = FRAMES[name].drop(columns=["count"], errors="ignore")  # a nullable integer goes through pandas
        write_csv(frame, tmp_path / "fast.csv")
        assert (tmp_path / "fast.csv").read_text(encoding="utf-8").startswith(",".join(frame.columns))


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=1", "''-cmd", "=HYPERLINK(\"http://x\",\"y\")"]
SAFE = ["baseline", "2030-12", "'quoted", "a=b", "", "1-2"]


@pytest.mark.parametrize("dtype", [object, "string"])
def test_text_cells_a_spreadsheet_would_run_are_neutralised_and_read_back(tmp_path: Path, dtype):
    """OWASP "CSV Injection": a text cell starting with = + - @, a tab or a carriage return gets a leading quote (also
    after leading quotes, so that reading takes exactly one away); numbers, negative ones too, are left alone."""
    text = FORMULAS + SAFE
    frame = pd.DataFrame({"name": pd.array(text, dtype=dtype), "value": np.linspace(-2, 2, len(text))})
    write_csv(frame, tmp_path / "t.csv")
    import csv

    with open(tmp_path / "t.csv", newline="", encoding="utf-8") as fh:
        cells = [row[0] for row in list(csv.reader(fh))[1:]]
    assert cells == ["'" + t for t in FORMULAS] + SAFE
    assert not any(c.startswith(FORMULA_STARTS) for c in cells)
    back = read_csv(tmp_path / "t.csv", keep_default_na=False)
    assert back["name"].tolist() == text and back["value"].tolist() == pytest.approx(frame["value"].tolist(), rel=1e-5)  # %.6g


@pytest.mark.parametrize("name", ["numbers, text and flags", "dates go through pandas"])
def test_both_writers_neutralise_alike(tmp_path: Path, name: str):
    """The fast writer and pandas write the same bytes for a neutralised frame, and nothing else is changed."""
    frame = FRAMES[name].copy()
    frame.insert(0, "label", ["=cmd", "-x", "ok", "@a", "+b"][: len(frame)])
    write_csv(frame, tmp_path / "fast.csv")
    neutralised(frame).to_csv(tmp_path / "pandas.csv", index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    assert frame["label"].iloc[0] == "=cmd"  # the caller's frame is not changed
