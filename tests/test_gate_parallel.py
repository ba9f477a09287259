"""The gate beyond one process: a local process pool and a Dask cluster give the local run's reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtcheck import CheckConfig
from mtcheck.errors import ConfigError
from mtcheck.gate import PAIRS_PER_WORKER, Thresholds, auto_workers, find_pairs, gate_executor, run_gate
from mtcheck.report import render

from .conftest import PAIRS, run_cli

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def ten_pairs(tmp_path_factory) -> Path:
    """Ten pairs: the three bundled ones, and variants of them (candidates cut short, paragraphs
    swapped, a number changed), plus a folder with half a pair."""
    root = tmp_path_factory.mktemp("gate10") / "pairs"
    made = 0
    for pair in sorted(p for p in PAIRS.iterdir() if p.is_dir()):
        source = (pair / "source.txt").read_text("utf-8")
        candidate = (pair / "candidate.txt").read_text("utf-8")
        paragraphs = [p for p in candidate.split("\n\n") if p.strip()]
        variants = {
            "as-is": candidate,
            "cut": "\n\n".join(paragraphs[: max(1, len(paragraphs) // 2)]),
            "swapped": "\n\n".join(paragraphs[1:2] + paragraphs[:1] + paragraphs[2:]),
        }
        for name, text in variants.items():
            folder = root / f"{pair.name}-{name}"
            folder.mkdir(parents=True)
            (folder / "source.txt").write_text(source, "utf-8")
            (folder / "candidate.txt").write_text(text, "utf-8")
            made += 1
    (root / "zz-half").mkdir()
    (root / "zz-half" / "source.txt").write_text("A source without its candidate.", "utf-8")
    assert made == 9
    return root


def _reports(result) -> list[tuple[str, str | None, str | None]]:
    return [(o.pair.name, o.error, None if o.report is None else render(o.report, "json")) for o in result.outcomes]


@pytest.fixture(scope="module")
def local_run(ten_pairs):
    return run_gate(find_pairs([ten_pairs]), CheckConfig(), Thresholds(max_major=3))


def test_a_process_pool_gives_the_local_run(ten_pairs, local_run):
    seen = []
    with gate_executor("local", workers=2) as pool:
        assert pool is not None
        result = run_gate(
            find_pairs([ten_pairs]), CheckConfig(), Thresholds(max_major=3), on_done=seen.append, executor=pool
        )
    assert _reports(result) == _reports(local_run)
    assert [o.pair.name for o in seen] == [o.pair.name for o in local_run.outcomes]  # in order
    assert [o.verdict.passed if o.verdict else None for o in result.outcomes] == [
        o.verdict.passed if o.verdict else None for o in local_run.outcomes
    ]
    assert result.outcomes[-1].error is not None  # the half pair is an error there too


def test_a_two_worker_dask_cluster_gives_the_local_run(ten_pairs, local_run):
    pytest.importorskip("distributed")
    with gate_executor("dask", workers=2) as executor:
        result = run_gate(find_pairs([ten_pairs]), CheckConfig(), Thresholds(max_major=3), executor=executor)
    assert len(result.outcomes) == 10
    assert _reports(result) == _reports(local_run)


def test_the_command_line_runs_the_gate_in_parallel(ten_pairs, tmp_path, local_run):
    sequential = run_cli("gate", str(ten_pairs), "--max-major", "3", "--reports", str(tmp_path / "one"))
    pooled = run_cli("gate", str(ten_pairs), "--max-major", "3", "--workers", "2", "--reports", str(tmp_path / "two"))
    assert pooled.exit_code == sequential.exit_code == 2  # the half pair is bad input
    assert pooled.stdout == sequential.stdout
    for report in (tmp_path / "one").rglob("report.json"):
        twin = tmp_path / "two" / report.relative_to(tmp_path / "one")
        assert json.loads(twin.read_text("utf-8")) == json.loads(report.read_text("utf-8"))


def test_bad_executor_settings_are_one_line_errors(ten_pairs):
    with pytest.raises(ConfigError, match="needs the dask backend"), gate_executor("local", 1, "tcp://x:1"):
        pass
    with pytest.raises(ConfigError, match="backend must be local or dask"), gate_executor("spark"):
        pass
    result = run_cli("gate", str(ten_pairs), "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2
    assert result.output.strip() == "mtcheck: error: a scheduler address needs the dask backend (--backend dask)"


def test_the_gate_uses_a_process_per_core_once_there_are_enough_pairs():
    import os

    assert auto_workers(3) == 1  # the bundled pairs: a worker's start would cost more than it saves
    assert auto_workers(PAIRS_PER_WORKER * 2) == min(2, os.cpu_count() or 1)
    assert auto_workers(100_000) == (os.cpu_count() or 1)
