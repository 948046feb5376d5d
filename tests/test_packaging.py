"""The wheel ships every package: a subpackage missing from pyproject's list imports in an
editable checkout and fails only after `pip install .` (CI's install)."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
SUBPACKAGES = sorted(
    "kg." + ".".join(p.parent.relative_to(ROOT / "kg").parts)
    for p in (ROOT / "kg").rglob("__init__.py")
    if p.parent != ROOT / "kg"
)


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_every_subpackage_is_in_the_wheel(package: str) -> None:
    assert package in PACKAGES, f"{package} is not in pyproject's [tool.setuptools] packages"


def test_the_table_found_subpackages() -> None:
    assert "kg.extraction" in SUBPACKAGES
