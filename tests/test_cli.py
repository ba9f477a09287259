"""The command line as a user meets it: exit codes, one-line errors, nothing overwritten."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck.cli import EXIT_BAD_INPUT

from .conftest import pair_paths
from .conftest import run_cli as run


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("mtcheck 0.")


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "empty"),
        (b"   \n\t\n", "only whitespace"),
        (b"\x00\x01\x02binary\x00\x00" * 10, "binary"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, content: bytes, expected: str):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    src, _ = pair_paths("kim-arrives")
    result = run("check", str(src), str(bad))
    assert result.exit_code == EXIT_BAD_INPUT
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("mtcheck: error: ")
    assert expected in lines[0].lower()
    assert "Traceback" not in result.output


def test_missing_file_exit_2(tmp_path: Path):
    src, _ = pair_paths("kim-arrives")
    result = run("check", str(src), str(tmp_path / "nope.txt"))
    assert result.exit_code == EXIT_BAD_INPUT
    assert "nope.txt" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_too_big_exit_2():
    src, cand = pair_paths("kim-arrives")
    result = run("check", str(src), str(cand), "--max-bytes", "1000")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "--max-bytes" in result.output


def test_usage_error_exit_2():
    result = run("check", "only-one-argument.txt")
    assert result.exit_code == 2


def test_existing_output_is_not_overwritten(tmp_path: Path):
    out = tmp_path / "mine.json"
    out.write_text("my notes\n")
    src, cand = pair_paths("kim-support-control")
    result = run("check", str(src), str(cand), "--format", "json", "--output", str(out))
    assert result.exit_code == EXIT_BAD_INPUT
    assert "--force" in result.output
    assert out.read_text() == "my notes\n"


@pytest.mark.model
def test_json_report_written_and_valid(tmp_path: Path):
    import jsonschema

    from mtcheck.schema import report_schema

    out = tmp_path / "r.json"
    md = tmp_path / "r.md"
    src, cand = pair_paths("kim-support-control")
    result = run("check", str(src), str(cand), "--format", "json", "--output", str(out), "--markdown", str(md))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    jsonschema.validate(data, report_schema())
    assert data["summary"]["coverage_source"] == 1.0
    assert md.read_text("utf-8").startswith("## mtcheck report")


@pytest.mark.model
def test_console_script_runs_without_traceback_on_bad_encoding(tmp_path: Path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade. ".encode("cp1252") * 20)
    src, _ = pair_paths("kim-arrives")
    proc = subprocess.run(
        [sys.executable, "-m", "mtcheck", "check", str(src), str(latin)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == EXIT_BAD_INPUT
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith("re-run with --candidate-encoding cp1252")


@pytest.mark.model
def test_model_option_takes_a_local_sentence_transformers_path():
    from mtcheck.embed import default_english_model_path

    path = default_english_model_path()
    src, cand = pair_paths("kim-support-control")
    result = run("check", str(src), str(cand), "--model", path, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["model"] == path
    assert f"model:{path}@torch+sha256:" in data["signature"]


def test_unknown_model_is_one_line_exit_2_without_network_retries():
    src, cand = pair_paths("kim-support-control")
    result = run("check", str(src), str(cand), "--model", "no-such-org/no-such-model")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "--allow-download" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_output_that_is_a_directory_is_refused_before_any_work(tmp_path: Path):
    src, cand = pair_paths("kim-support-control")
    result = run("check", str(src), str(cand), "--json", str(tmp_path), "--force")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "is a directory" in result.output


def test_cli_choices_are_the_librarys():
    """The CLI's choice enums repeat the library's tuples (typer needs an Enum); they must not drift."""
    from mtcheck.cli import app
    from mtcheck.config import FLAGGER_CHOICES
    from mtcheck.embed import RUNTIMES
    from mtcheck.gate import BACKENDS

    for enum, choices in ((app.Flagger, FLAGGER_CHOICES), (app.Runtime, RUNTIMES), (app.GateBackend, BACKENDS)):
        assert tuple(member.value for member in enum) == choices
