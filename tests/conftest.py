"""Shared fixtures: the spaCy pipeline is loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "00_macao-tip-2025-response.txt"


@pytest.fixture(scope="session")
def nlp():
    """kg's configured pipeline (default model); tests using it are model-dependent."""
    from kg import nlp as nlp_mod

    return nlp_mod.load()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, nlp):
    """One build of data/ shared by the end-to-end tests: (BuildResult, output folder)."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed") / "out"
    return build([DATA], out, nlp=nlp), out


def pytest_collection_modifyitems(items):
    for item in items:
        if "nlp" in getattr(item, "fixturenames", ()) or "seed_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)
