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


DISTRIBUTION = "kg-statements"   # free on PyPI; "kg" there is an unrelated project whose build step would run
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALLS = [line.strip() for line in README.splitlines() + (ROOT / ".ci" / "run").read_text().splitlines()
            if "pip install" in line]


def test_the_distribution_has_its_own_name() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == DISTRIBUTION
    assert project["scripts"]["kg"] == "kg.cli:main"


@pytest.mark.parametrize("line", INSTALLS)
def test_install_lines_never_fetch_the_unrelated_kg(line: str) -> None:
    for part in line.split("pip install")[1:]:
        # what pip is asked to install: the checkout, never a registry kg (nor kg-statements: not published)
        words = part.split("#")[0].split("&&")[0].split()
        assert not any(w.strip("'\"").split("[")[0] in ("kg", "kg-statements") for w in words), line


def test_ci_installs_as_the_readme_says() -> None:
    ci = [line for line in INSTALLS if ".venv/bin/pip" in line and "pytest" in line or "kg build data" in line]
    assert ci and all(line in README for line in ci), ci
