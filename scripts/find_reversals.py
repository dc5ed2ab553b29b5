#!/usr/bin/env python3
"""Find, for every lever, a setting of its pathway parameters that reverses its effect (run on demand).

    python scripts/find_reversals.py [--workers 2] [LEVER ...]

Writes docs/reversals.toml (read by docs/ODD.md and tests/experiments/test_reversals.py).
Each lever costs about 100-200 model runs; all levers take a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from experiments.reversals import LEVERS, MONTHS, NOT_REVERSIBLE, REPS, T_MIN, find  # noqa: E402

OUT = ROOT / "docs" / "reversals.toml"


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if value is None:
        return '"none"'
    return json.dumps(value) if not isinstance(value, float) else repr(round(value, 6))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("levers", nargs="*", help="levers to search (default: all of experiments.reversals.LEVERS)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    names = args.levers or list(LEVERS)
    with ProcessPoolExecutor(args.workers) as pool:
        searched = dict(zip(names, pool.map(find, names)))
    # naming levers re-searches only those: the others keep their stored records
    stored = tomllib.loads(OUT.read_text(encoding="utf-8"))["levers"] if args.levers and OUT.exists() else {}
    found = {name: searched.get(name, stored.get(name)) for name in LEVERS if name in searched or name in stored}
    lines = ["# Settings of each lever's pathway parameters under which its effect is clearly beneficial and clearly",
             "# harmful (scripts/find_reversals.py). Benefit: the paired effect of the lever (high minus low) on its main",
             f"# outcome, signed so that positive is better; {REPS} replications, {MONTHS} months from January 2014;",
             f"# clearly means |t| >= {T_MIN}. An empty setting: the defaults already do. Re-checked by",
             "# tests/experiments/test_reversals.py. Levers no setting can reverse: [not_reversible].", ""]
    for name, rec in found.items():
        lines.append(f"[levers.{name}]")
        lines += [f"{key} = {_toml(value)}" for key, value in rec.items() if key not in ("beneficial", "harmful")]
        for kind in ("beneficial", "harmful"):
            lines.append(f"{kind} = {_toml(rec[kind])}")
        lines.append("")
    lines.append("[not_reversible]")
    lines += [f"{name} = {json.dumps(why)}" for name, why in NOT_REVERSIBLE.items()]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, rec in searched.items():
        both = all(rec[k]["setting"] != "none" for k in ("beneficial", "harmful"))
        print(f"{name:30s} {rec['outcome']:28s} default benefit {rec['default_benefit']:+.4f} (t {rec['default_t']:+.1f}) "
              f"{'either way' if both else 'ONE WAY ONLY'}; beneficial {rec['beneficial']['benefit']:+.4f} "
              f"(t {rec['beneficial']['t']:+.1f}) {rec['beneficial']['setting']}; harmful {rec['harmful']['benefit']:+.4f} "
              f"(t {rec['harmful']['t']:+.1f}) {rec['harmful']['setting']}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
