"""Every behavioural number lives in the parameter registry (with bounds and a source), nowhere else.

The scan covers all of ``model/`` but the registry (``parameters.py``) and the unit and
calendar conversions of ``constants.py``: module-level assignments, default arguments and
expressions alike. Only 0 and 1 may appear as numbers (and True/False); the dated record is
data (``model/record.toml``).
"""

import ast
from pathlib import Path

MODEL = Path(__file__).resolve().parents[2] / "model"
EXEMPT = {"parameters.py", "constants.py"}
ALLOWED = {0, 1}


def literals(path: Path) -> list[tuple[int, object]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)) \
                and not isinstance(node.value, bool) and node.value not in ALLOWED:
            found.append((node.lineno, node.value))
    return found


def test_no_numeric_literal_outside_the_registry_and_the_constants():
    offenders = {str(p.relative_to(MODEL)): literals(p) for p in sorted(MODEL.rglob("*.py")) if p.name not in EXEMPT}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, offenders


def test_the_scan_finds_a_literal_when_there_is_one(tmp_path):
    path = tmp_path / "x.py"
    path.write_text("def f(x, rate=0.3):\n    return 1 - 0.8 * x\n")
    assert [v for _, v in literals(path)] == [0.3, 0.8]
