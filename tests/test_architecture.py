"""One direction of flow and one face of the model (issue 24): import contracts, checked on every test run.

``pyproject.toml`` holds the import-linter contracts (layers dashboards > experiments > model; from outside the model
only ``model.api``). run.py and benchmarks/ are modules, not packages, so they are checked here from their syntax.
"""

from __future__ import annotations

import ast
import itertools
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

import model

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_the_import_contracts_are_kept():
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and "0 broken" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]


def test_the_forbidden_list_names_every_model_module_but_the_api():
    """A module added to the model is forbidden to the layers above at once (the contract cannot go stale)."""
    (contract,) = [c for c in CONFIG["contracts"] if c["type"] == "forbidden"]
    top = {f"model.{m.name}" for m in pkgutil.iter_modules(model.__path__)}
    assert set(contract["forbidden_modules"]) == top - {"model.api"}


def model_imports(path: Path) -> list[str]:
    """Every module of the model that a file imports (``from model import api`` counts as model.api)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "model":
            found += [node.module] if node.module != "model" else [f"model.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "model"]
    return found


def test_the_command_line_and_the_benchmarks_use_only_the_api():
    for path in [ROOT / "run.py", *sorted((ROOT / "benchmarks").glob("*.py"))]:
        others = [m for m in model_imports(path) if m not in ("model.api", "model.__version__")]
        assert not others, (path.name, others)


def test_no_module_imports_itself_through_others():
    """No cycles among the modules of the model, the experiments and the dashboards (function-level imports too)."""
    graph = grimp.build_graph(*CONFIG["root_packages"])
    cycles = [(a, b) for a, b in itertools.combinations(sorted(graph.modules), 2)
              if graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)]
    assert not cycles, [(a, b, graph.find_shortest_chain(importer=b, imported=a)) for a, b in cycles[:5]]
