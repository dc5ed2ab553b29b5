#!/usr/bin/env python3
"""Regenerate tests/golden/baseline.csv on purpose, and print how many values changed.

    python tests/golden/update.py

Run it only when a change to results is intended; the closing note of the change explains
each difference the diff of the file shows.
"""

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

import numpy as np  # noqa: E402
from baseline import PATH, compute, read, write  # noqa: E402

if __name__ == "__main__":
    new = compute()
    if PATH.exists():
        old = read()
        keys = ["scenario", "seed", "date", "column"]
        both = old.merge(new, on=keys, how="outer", suffixes=("_old", "_new"), indicator=True)
        changed = both[(both["_merge"] != "both") | ~np.isclose(both["value_old"], both["value_new"], rtol=1e-9,
                                                                  atol=1e-12, equal_nan=True)]
        print(f"{len(changed)} of {len(both)} values changed; by column:")
        print(changed.groupby("column").size().sort_values(ascending=False).head(40).to_string())
    write(new)
    print(f"wrote {PATH}")
