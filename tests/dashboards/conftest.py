"""Fixtures of the dashboard tests: a fresh Solara session per test and a small results root
(a scenario comparison and a Morris experiment made with run.py)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.append(str(HERE))  # page_helpers and browser_helpers (uniquely named: tests/ is earlier on the path)

TINY_MORRIS = """
title = "Tiny Morris screen of two levers"
description = "Two levers and the dummy over ten years (dashboard tests)."
scenarios = ["baseline"]
replications = 1
months = 120
seed = 1

[outcomes]
keep = ["stably_housed", "reoffended_any_cum"]

[design]
kind = "morris"
parameters = ["tailored_access", "family_contact"]
samples = 3
levels = 4
"""


@pytest.fixture
def session() -> Iterator[Any]:
    """A fresh virtual kernel: Solara keeps reactive state per kernel, as per browser session."""
    import solara.server.starlette  # noqa: F401 (with the server loaded, reactive state is per kernel, not global)
    from solara.server import kernel, kernel_context

    context = kernel_context.VirtualKernelContext(id=str(uuid.uuid4()), kernel=kernel.Kernel(),
                                                  session_id=str(uuid.uuid4()))
    with context:
        yield context


def run_py(*args: str) -> None:
    """The command line, in this process (``run.main``)."""
    import run

    assert run.main(list(args)) == 0, args


@pytest.fixture(scope="session")
def results_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results root holding a small comparison and a small Morris experiment (summarised, no indices yet)."""
    root = tmp_path_factory.mktemp("results-root")
    run_py("compare", "baseline", "living_lab", "--reps", "2", "--months", "156", "--workers", "1",
           "--out", str(root / "compare-small"))
    spec = root.parent / "tiny-morris.toml"
    spec.write_text(TINY_MORRIS)
    run_py("experiment", "run", str(spec), "--out", str(root / "morris-tiny"), "--workers", "1")
    run_py("experiment", "summarize", str(root / "morris-tiny"))
    (root / "not-results").mkdir()  # a folder of something else: never listed
    return root
