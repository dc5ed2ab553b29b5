#!/usr/bin/env python3
"""Figures derived from runs, never targets (issue 12): print them for the closing note and the ODD.

    python scripts/run_derived.py [--reps 30]

1. The hazard ratio of any offence for returnees in the community without stable housing
   against those with it, from the model's own person-months at risk (baseline, all runs pooled).
2. The change in any offending (cumulative, model truth, by 2030) per extra year of sentence
   served outside a closed cell: the baseline against a setting where prepared detainees get
   limited detention and electronic monitoring readily, paired; the ratio of the mean
   differences of `reoffended_any_cum` and of `outside_cell_months` / 12.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import api  # noqa: E402

OUTSIDE = {"limited_detention_rate": 0.5, "electronic_monitoring_rate": 0.5, "leave_rate": 0.5}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=30)
    args = ap.parse_args()
    seeds = range(args.reps)
    print(f"hazard ratio of any offence, no stable housing vs stable housing: "
          f"{api.housing_hazard_ratio('baseline', seeds):.2f} ({args.reps} baseline runs pooled)")
    base = api.run_batch([("baseline", s) for s in seeds])
    outside = api.run_batch([(api.scenario_with("baseline", OUTSIDE), s) for s in seeds])
    d_off = np.array([float(o.final()["reoffended_any_cum"] - b.final()["reoffended_any_cum"]) for b, o in zip(base, outside)])
    d_years = np.array([float(o.final()["outside_cell_months"] - b.final()["outside_cell_months"]) / 12
                        for b, o in zip(base, outside)])
    per_year = d_off.mean() / d_years.mean()
    se = d_off.std(ddof=1) / np.sqrt(len(d_off)) / d_years.mean()
    print(f"outside a closed cell: +{d_years.mean():.2f} years per returnee; any offending {d_off.mean():+.4f}; "
          f"per extra year {per_year:+.4f} (about {per_year - 2 * se:+.4f} to {per_year + 2 * se:+.4f})")


if __name__ == "__main__":
    main()
