"""Looking into a rendered Solara tree: walk its widgets, read texts, wait for a condition."""

from __future__ import annotations

import time
from typing import Any, Callable, Iterator

import pytest


def walk(widget: Any) -> Iterator[Any]:
    """Every widget under ``widget`` (children and slots), depth first."""
    yield widget
    children = getattr(widget, "children", None) or []
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "keys"):  # a widget, not a string
            yield from walk(child)


def texts(root: Any, css_class: str | None = None) -> list[str]:
    """The text of every solara.HTML element under ``root`` (optionally only those with a CSS class)."""
    found = []
    for w in walk(root):
        if hasattr(w, "unsafe_innerHTML") and (css_class is None or css_class in (w.attributes or {}).get("class", "").split()):
            found.append(w.unsafe_innerHTML)
    return found


def wait_for(predicate: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    """Poll until ``predicate()`` is truthy; fail the test after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")
