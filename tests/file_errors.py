"""Bad input files: the error is one line naming the file and what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest


def assert_rejected_in_one_line(load: Callable[[Path], Any], path: Path, text: str, error: type[Exception],
                                expected: str) -> None:
    """Write ``text`` to ``path``; loading it must raise ``error`` in one line naming the file and ``expected``."""
    path.write_text(text)
    with pytest.raises(error) as raised:
        load(path)
    message = str(raised.value)
    assert expected in message and str(path) in message and "\n" not in message, message
