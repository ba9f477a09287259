"""Shared fixtures: paths to the bundled pairs and one real check per pair, computed once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "pairs"
DATA = Path(__file__).resolve().parent / "data"


def pair_paths(name: str) -> tuple[Path, Path]:
    return PAIRS / name / "source.txt", PAIRS / name / "candidate.txt"


@pytest.fixture(scope="session")
def pair_report():
    """A function name -> Report for a bundled pair, each checked once per test session."""
    from mtcheck import CheckConfig
    from mtcheck.pipeline import check, read_document

    cache = {}

    def get(name: str):
        if name not in cache:
            config = CheckConfig()
            src, cand = pair_paths(name)
            rel = lambda p: str(p.relative_to(ROOT))  # noqa: E731 - reports show paths as given
            cache[name] = check(read_document(rel(src), config), read_document(rel(cand), config), config)
        return cache[name]

    return get


@pytest.fixture(autouse=True, scope="session")
def _run_from_root():
    import os

    old = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(old)
