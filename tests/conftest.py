"""Shared fixtures: paths to the bundled pairs and one real check per pair, computed once."""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from mtcheck.types import Document, Span

# The command line stores sentence vectors in the user's cache directory (mtcheck.cache): the
# tests, and the command lines they start, keep a cache of their own and remove it at the end.
if "MTCHECK_CACHE_DIR" not in os.environ:
    os.environ["MTCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="mtcheck-test-cache-")
    atexit.register(shutil.rmtree, os.environ["MTCHECK_CACHE_DIR"], True)

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "pairs"
DATA = Path(__file__).resolve().parent / "data"


def pair_paths(name: str) -> tuple[Path, Path]:
    return PAIRS / name / "source.txt", PAIRS / name / "candidate.txt"


def doc_of(sentences: list[str], language: str = "en") -> Document:
    """A Document of these sentences joined by spaces, with no cleaning or language detection
    (unit tests of pure logic that index sentences directly)."""
    raw, spans, pos = " ".join(sentences), [], 0
    for sentence in sentences:
        spans.append(Span(pos, pos + len(sentence), sentence))
        pos += len(sentence) + 1
    return Document(raw, tuple(spans), language=language)


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str) -> CliResult:
    """The command line in this process, through the same ``run`` the console script calls
    (so usage errors and exit codes are mapped as a user sees them)."""
    from mtcheck.cli.app import Failure, run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run(list(args))
        except Failure as exc:  # pragma: no cover - run() maps these itself
            code = exc.exit_code
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def pair_report():
    """A function name -> Report for a bundled pair, each checked once per test session."""
    from mtcheck import CheckConfig
    from mtcheck.io import read_document
    from mtcheck.pipeline import check

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


# Hypothesis profiles for tests/test_properties.py: "default" is what CI runs (the file stays well
# under a minute on two cores); "long" is for hunting bugs: pytest --hypothesis-profile=long.
settings.register_profile("default", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")
