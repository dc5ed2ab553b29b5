"""docs/ODD.md must describe every parameter and every submodel of the code."""

from pathlib import Path

from model.parameters import REGISTRY, markdown_table
from model.submodels import SCHEDULE

ODD = (Path(__file__).resolve().parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")


def test_every_registry_parameter_is_in_the_odd():
    missing = [name for name in REGISTRY if f"`{name}`" not in ODD]
    assert not missing, f"parameters missing from docs/ODD.md: {missing}"


def test_every_submodel_has_a_section_named_as_its_module():
    """Section 7 has a heading ``### 7.k `name``` for every scheduled submodel, in the order of the schedule."""
    import re

    headings = re.findall(r"^### 7\.\d+ `(\w+)`", ODD.split("## 7. Submodels")[1].split("\n## ")[0], flags=re.M)
    scheduled = [module.__name__.rsplit(".", 1)[1] for module in SCHEDULE]
    assert [h for h in headings if h in scheduled] == scheduled, (headings, scheduled)


def test_the_odd_uses_the_2020_headings():
    for heading in ("Purpose and patterns", "Entities, state variables, and scales", "Process overview and scheduling",
                    "Design concepts", "Initialization", "Input data", "Submodels"):
        assert heading in ODD, heading


def test_the_parameter_table_is_generated_from_the_registry():
    """Regenerate with: python run.py params --markdown (paste between the markers)."""
    table = ODD.split("<!-- PARAMETERS:BEGIN -->")[1].split("<!-- PARAMETERS:END -->")[0].strip()
    assert table == markdown_table()
