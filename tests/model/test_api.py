"""model.api's CSV writer gives exactly the bytes pandas writes, faster."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.api import CSV_FLOAT_FORMAT, write_csv

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
    "carriage returns": pd.DataFrame({"a\rb": ["x\ry", "z"], "s": pd.array(["p\rq", None], dtype="str"), "n": [1, 2]}),
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


def test_text_and_number_tables_take_the_fast_path(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("went through pandas"))
    for name in ("numbers, text and flags", "pandas text types", "no rows"):
        frame = FRAMES[name].drop(columns=["count"], errors="ignore")  # a nullable integer goes through pandas
        write_csv(frame, tmp_path / "fast.csv")
        assert (tmp_path / "fast.csv").read_text(encoding="utf-8").startswith(",".join(frame.columns))
