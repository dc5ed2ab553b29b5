#!/usr/bin/env python3
"""Workshop latency in a real browser (run on demand; never part of the test suite).

    python benchmarks/bench_workshop.py [--moves 4]

Starts ``python run.py dashboard``, opens the workshop in headless Chromium and measures, by the browser's
clock, the time from a slider key press to the updated cards (all six cards changed, nothing updating):

1. alone, on an otherwise idle machine (the first what-if, which also runs the baseline's checkpoints, is
   reported separately);
2. while a second browser session runs a 30-replication comparison on the compare page (it runs on the
   dashboard's background workers, at a lower priority than the what-ifs'); each move is counted only if
   that comparison was still running when the cards arrived.

Every move goes to a setting not seen before (results are cached by setting). Needs Debian's chromium and
playwright (the test extra). Writes ``benchmarks/results/workshop.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "dashboards")]
OUT = ROOT / "benchmarks" / "results" / "workshop.json"

from browser_helpers import VIEWPORT, dashboard, launch, open_page  # noqa: E402  (after the path is set)

LEVER = ".rr-lever-family_contact [role=slider]"
CARDS = "[class*='rr-card-'] .rr-card-value, [class*='rr-card-'] .rr-small"
UPDATED = ("(before) => { const t = [...document.querySelectorAll(%r)].map(e => e.textContent).join('|');"
           " return t !== before && !document.querySelector('.rr-updating') && performance.now() - window.rrKey }"
           % CARDS)
RUNNING = "() => !!document.querySelector('.rr-progress')"
COMPARISON_REPS = 30


def cards_text(page) -> str:
    return page.evaluate("() => [...document.querySelectorAll(%r)].map(e => e.textContent).join('|')" % CARDS)


def move(page, key: str) -> float:
    """Press ``key`` on the lever's slider; milliseconds until every card shows the new setting."""
    before = cards_text(page)
    page.locator(LEVER).focus()
    page.evaluate("() => document.addEventListener('keydown', () => { window.rrKey = performance.now() },"
                  " {capture: true, once: true})")
    page.keyboard.press(key)
    return page.wait_for_function(UPDATED, arg=before, timeout=60_000).json_value()


def start_comparison(page, reps: int) -> None:
    """On the compare page: replications up to ``reps`` (from the minimum, 2), then run, without waiting."""
    slider = page.locator(".rr-reps [role=slider]")
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(200):  # one step at a time: a key pressed while the page re-renders the slider can be lost
        now = int(slider.get_attribute("aria-valuenow"))
        if now == reps:
            break
        slider.focus()
        page.keyboard.press("ArrowRight" if now < reps else "ArrowLeft")
        page.wait_for_timeout(150)
    else:
        raise RuntimeError(f"the replications slider did not reach {reps}")
    page.locator(".rr-run").click()
    page.wait_for_function(RUNNING, timeout=30_000)


def summary(ms: list[float]) -> dict:
    return {"each_ms": [round(m) for m in ms], "median_ms": round(statistics.median(ms)) if ms else None,
            "min_ms": round(min(ms)) if ms else None, "max_ms": round(max(ms)) if ms else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=4, help="slider moves measured in each condition (default 4)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with dashboard() as url, sync_playwright() as p:
        browser = launch(p)
        workshop, _ = open_page(browser.new_context(viewport=VIEWPORT), url, "workshop")
        first = move(workshop, "Home")  # 0 %: the baseline's checkpoints are made here
        alone = [move(workshop, "ArrowRight") for _ in range(args.moves)]  # 5 %, 10 %, ...
        compare, _ = open_page(browser.new_context(viewport=VIEWPORT), url, "compare")
        start_comparison(compare, COMPARISON_REPS)
        beside, after = [], []
        for _ in range(args.moves):
            ms = move(workshop, "ArrowRight")
            (beside if compare.evaluate(RUNNING) else after).append(ms)
        compare.wait_for_selector(".rr-diffs table", timeout=600_000)
        browser.close()
    result = {
        "first_what_if_ms": round(first), "alone": summary(alone),
        "beside_a_comparison": {**summary(beside), "comparison_reps": COMPARISON_REPS,
                                "moves_after_it_ended_ms": [round(m) for m in after]},
        "measured_with": (f"headless Debian Chromium via Playwright, {os.cpu_count()} cores, {platform.machine()}, "
                          "dashboard and browser on the same machine"),
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(f"first what-if (baseline checkpoints made): {first / 1000:.2f} s")
    for name in ("alone", "beside_a_comparison"):
        r = result[name]
        print(f"{name.replace('_', ' ')}: median {r['median_ms']} ms (min {r['min_ms']}, max {r['max_ms']}) "
              f"of {len(r['each_ms'])} moves; target {'0.5' if name == 'alone' else '2'} s")
    if after:
        print(f"{len(after)} move(s) came after the comparison had ended: not counted beside it")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
