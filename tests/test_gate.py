"""mtcheck gate: many pairs in one process, thresholds, exit codes, reports and JUnit XML."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mtcheck.errors import InputError
from mtcheck.gate import Thresholds, find_pairs, judge

from .conftest import PAIRS, run_cli


def _copy_pair(name: str, into: Path, as_name: str | None = None) -> None:
    shutil.copytree(PAIRS / name, into / (as_name or name))


# ---------------------------------------------------------------------------------------------
# finding pairs and judging reports (no model)
# ---------------------------------------------------------------------------------------------


def test_find_pairs_sorted_by_name_with_half_pairs_as_problems(tmp_path):
    for name in ("b-pair", "a-pair"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "source.txt").write_text("One.", "utf-8")
        (tmp_path / name / "candidate.md").write_text("One.", "utf-8")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "source.txt").write_text("One.", "utf-8")
    (tmp_path / "notes").mkdir()  # no pair files at all: not a pair, not a problem
    pairs = find_pairs([tmp_path])
    assert [p.name for p in pairs] == ["a-pair", "b-pair", "half"]
    assert pairs[0].candidate.name == "candidate.md"
    assert pairs[2].problem == f"{tmp_path / 'half'} has no candidate.* file"
    # a pair folder given directly is one pair
    assert [p.name for p in find_pairs([tmp_path / "b-pair"])] == ["b-pair"]


def test_find_pairs_refuses_what_holds_no_pair(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        find_pairs([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds no pair"):
        find_pairs([tmp_path / "empty"])
    (tmp_path / "file.txt").write_text("x", "utf-8")
    with pytest.raises(InputError, match="is neither a folder of pairs"):
        find_pairs([tmp_path / "file.txt"])


def test_thresholds_refuse_nonsense():
    with pytest.raises(InputError, match="unknown flag kind 'typo'"):
        Thresholds(fail_kinds=("typo",))
    with pytest.raises(InputError, match="between 0 and 1"):
        Thresholds(min_coverage_source=1.5)
    with pytest.raises(InputError, match="must not be negative"):
        Thresholds(max_major=-1)


@pytest.mark.model
def test_judge_gives_every_reason(pair_report):
    report = pair_report("kim-arrives")
    s = report.summary
    assert judge(report, Thresholds()).passed
    verdict = judge(
        report,
        Thresholds(
            max_mqm_estimate=s.mqm_estimate - 0.5,
            min_coverage_candidate=s.coverage_candidate + 0.1,
            max_major=s.flags_major - 1,
            fail_kinds=("untranslated", "number"),
        ),
    )
    assert not verdict.passed
    assert verdict.reasons[0] == f"MQM estimate {s.mqm_estimate:.2f} > {s.mqm_estimate - 0.5:g}"
    assert verdict.reasons[1].startswith("candidate coverage ")
    assert verdict.reasons[2] == f"{s.flags_major} major flags > {s.flags_major - 1}"
    untranslated = sum(f.kind == "untranslated" for f in report.flags)
    assert untranslated >= 1
    assert verdict.reasons[3].startswith(f"{untranslated} untranslated flag")
    assert len(verdict.reasons) == 4 + (any(f.kind == "number" for f in report.flags))
    # exactly at a threshold passes
    assert judge(report, Thresholds(max_mqm_estimate=s.mqm_estimate, max_major=s.flags_major)).passed


# ---------------------------------------------------------------------------------------------
# the command, on real folders of pairs with the real models
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """kim-arrives (garbled), kim-support-control (faithful) and a folder with half a pair."""
    root = tmp_path_factory.mktemp("gate") / "pairs"
    root.mkdir()
    _copy_pair("kim-arrives", root)
    _copy_pair("kim-support-control", root)
    (root / "zz-broken").mkdir()
    (root / "zz-broken" / "source.txt").write_text("A source without its candidate.", "utf-8")
    return root


@pytest.mark.model
def test_gate_exit_codes_on_a_real_folder(folder, tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    for name in ("kim-arrives", "kim-support-control"):
        shutil.copytree(folder / name, good / name)
    # 0: every pair passes (no thresholds, or loose ones)
    result = run_cli("gate", str(good), "--max-mqm-estimate", "50")
    assert result.exit_code == 0, result.output
    assert "2 pairs: 2 passed, 0 failed, 0 errors" in result.stdout
    # 1: kim-arrives (MQM estimate about 7.8) fails a threshold of 5; the control still passes
    result = run_cli("gate", str(good), "--max-mqm-estimate", "5", "--fail-kind", "untranslated")
    assert result.exit_code == 1, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│ kim")}
    assert "fail" in rows["kim-arrives"] and "MQM estimate" in rows["kim-arrives"]
    assert "untranslated flag" in result.stdout
    assert "pass" in rows["kim-support-control"]
    assert "2 pairs: 1 passed, 1 failed, 0 errors" in result.stdout
    # 2: a broken pair is an error, and every other pair is still checked and reported
    result = run_cli("gate", str(folder), "--max-mqm-estimate", "5")
    assert result.exit_code == 2, result.output
    assert "3 pairs: 1 passed, 1 failed, 1 errors" in result.stdout
    assert "has no candidate.* file" in result.stdout


@pytest.mark.model
def test_gate_writes_junit_and_every_report_format(folder, tmp_path):
    junit, reports = tmp_path / "gate.xml", tmp_path / "reports"
    result = run_cli("gate", str(folder), "--max-mqm-estimate", "5", "--junit", str(junit), "--reports", str(reports))
    assert result.exit_code == 2, result.output
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["kim-arrives", "kim-support-control", "zz-broken"]
    failure = cases["kim-arrives"].find("failure")
    assert failure is not None and failure.get("message", "").startswith("MQM estimate ")
    assert cases["kim-support-control"].find("failure") is None and cases["kim-support-control"].find("error") is None
    error = cases["zz-broken"].find("error")
    assert error is not None and "has no candidate.* file" in error.get("message", "")
    for name in ("kim-arrives", "kim-support-control"):
        assert sorted(p.name for p in (reports / name).iterdir()) == [
            "report.html",
            "report.json",
            "report.md",
            "report.txt",
        ]
    assert not (reports / "zz-broken").exists()
    # the same run again gives the same JUnit file; existing files are not replaced without --force
    first = junit.read_text("utf-8")
    again = run_cli("gate", str(folder), "--junit", str(junit))
    assert again.exit_code == 2 and "already exists" in again.stderr and len(again.stderr.splitlines()) == 1
    assert junit.read_text("utf-8") == first
    forced = run_cli("gate", str(folder), "--max-mqm-estimate", "5", "--junit", str(junit), "--force")
    assert forced.exit_code == 2
    assert junit.read_text("utf-8") == first


@pytest.mark.parametrize(
    "args, message",
    [
        (["--fail-kind", "typo"], "unknown flag kind 'typo'"),
        (["--min-coverage-source", "1.5"], "between 0 and 1"),
    ],
)
def test_gate_usage_errors_are_one_line(folder, args, message):
    result = run_cli("gate", str(folder), *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stdout == ""


def test_gate_on_a_missing_folder_is_one_line(tmp_path):
    result = run_cli("gate", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.stderr == f"mtcheck: error: {tmp_path / 'nowhere'}: no such file or folder\n"


@pytest.mark.model
def test_github_annotations_point_at_the_flagged_characters(folder, monkeypatch, pair_report):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # on by itself in GitHub Actions
    result = run_cli("gate", str(folder / "kim-arrives"), "--max-major", "0")
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    raw = (folder / "kim-arrives" / "candidate.txt").read_text("utf-8")
    lines = raw.split("\n")
    flags = pair_report("kim-arrives").flags
    per_flag = [a for a in annotations if ",title=mtcheck major " in a or ",title=mtcheck minor " in a]
    assert len(per_flag) == len(flags)
    for annotation, flag in zip(per_flag, flags):
        level, rest = annotation[2:].split(" ", 1)
        assert level == ("error" if flag.severity == "major" else "warning")
        props = dict(p.split("=", 1) for p in rest.split("::", 1)[0].split(","))
        assert props["file"].endswith("kim-arrives/candidate.txt")
        line, col = int(props["line"]), int(props["col"])
        start = sum(len(x) + 1 for x in lines[: line - 1]) + col - 1
        assert start == flag.candidate.start
        assert raw[start : start + len(flag.candidate.text)] == flag.candidate.text
        assert props["title"] == f"mtcheck {flag.severity} {flag.kind}"
    assert annotations[-1].startswith("::error file=") and "major flags > 0" in annotations[-1]
    # off on request, and off outside GitHub Actions
    assert "::" not in run_cli("gate", str(folder / "kim-arrives"), "--no-github").stdout
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert "::error" not in run_cli("gate", str(folder / "kim-arrives")).stdout


def test_github_command_text_is_escaped():
    from mtcheck.report.gate import _command_data, _command_property

    assert _command_data("100% sure\nnext line\r") == "100%25 sure%0Anext line%0D"
    assert _command_property("a:b,c") == "a%3Ab%2Cc"


# ---------------------------------------------------------------------------------------------
# settings from pyproject.toml / mtcheck.toml, the command line winning
# ---------------------------------------------------------------------------------------------

PYPROJECT = """
[project]
name = "articles"

[tool.mtcheck]
flagger = "logistic"

[tool.mtcheck.gate]
max_mqm_estimate = 5
fail_kinds = ["number", "negation"]
"""


def test_config_shows_each_setting_and_where_it_comes_from(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    deeper = tmp_path / "articles" / "2026"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)  # found by looking upwards
    result = run_cli("config")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    origin = f"({tmp_path / 'pyproject.toml'})"
    assert lines[0] == f"config file: {tmp_path / 'pyproject.toml'}"
    assert f"  flagger  = 'logistic'  {origin}" in lines
    assert "  model    = none  (default)" in lines
    assert f"  max_mqm_estimate          = 5.0  {origin}" in lines
    assert f"  fail_kinds                = [number, negation]  {origin}" in lines
    assert "  max_major                 = none  (default)" in lines
    # a nearer mtcheck.toml wins over the pyproject.toml further up
    (deeper / "mtcheck.toml").write_text("[gate]\nmax_major = 2\n", "utf-8")
    lines = run_cli("config").stdout.splitlines()
    assert lines[0] == f"config file: {deeper / 'mtcheck.toml'}"
    assert f"  max_major                 = 2  ({deeper / 'mtcheck.toml'})" in lines
    assert "  max_mqm_estimate          = none  (default)" in lines


def test_a_pyproject_without_a_mtcheck_table_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("[project]\nname = 'other'\n", "utf-8")
    monkeypatch.chdir(tmp_path / "sub")
    assert run_cli("config").stdout.splitlines()[0] == f"config file: {tmp_path / 'pyproject.toml'}"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[tool.mtcheck]\nflager = 'tagger'\n", "unknown setting [tool.mtcheck]flager"),
        ("[tool.mtcheck.gate]\nmax_major = 'many'\n", "max_major must be int, not str"),
        ("[tool.mtcheck\n", "not valid TOML"),
    ],
)
def test_a_bad_config_file_is_one_line(tmp_path, monkeypatch, text, message):
    (tmp_path / "pyproject.toml").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    for argv in (["config"], ["gate", str(tmp_path)]):
        result = run_cli(*argv)
        assert result.exit_code == 2, result.output
        assert message in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.model
def test_gate_thresholds_from_pyproject_and_the_command_line_wins(folder, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.replace('flagger = "logistic"\n', ""), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("gate", str(folder / "kim-arrives"))
    assert result.exit_code == 1, result.output
    assert "MQM estimate" in result.stdout and "> 5" in result.stdout
    assert run_cli("gate", str(folder / "kim-arrives"), "--max-mqm-estimate", "50").exit_code == 0


@pytest.mark.model
def test_an_interrupted_gate_says_which_pairs_finished_and_leaves_no_partial_file(folder, tmp_path):
    import json
    import os
    import re
    import signal
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    reports = tmp_path / "reports"
    proc = subprocess.Popen(
        # --no-cache: a report stored by an earlier test would finish the gate before the signal
        [sys.executable, "-m", "mtcheck", "gate", str(folder), "--reports", str(reports), "--no-cache"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    first = reports / "kim-arrives" / "report.html"
    deadline = time.monotonic() + 300
    while not first.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.exists(), proc.communicate()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    match = re.fullmatch(
        r"mtcheck: interrupted after (\d) of 3 pairs \(finished: ([a-z, -]+)\); "
        r"their reports are complete; nothing else was written\n",
        err,
    )
    assert match, err
    finished = match.group(2).split(", ")
    assert finished[0] == "kim-arrives" and len(finished) == int(match.group(1))
    assert sorted(p.name for p in reports.iterdir()) == sorted(n for n in finished if n != "zz-broken")
    for pair in reports.iterdir():  # every file there is whole
        assert sorted(p.name for p in pair.iterdir()) == ["report.html", "report.json", "report.md", "report.txt"]
        json.loads((pair / "report.json").read_text("utf-8"))
        assert (pair / "report.html").read_text("utf-8").rstrip().endswith("</html>")
    assert out == ""  # no table for a run that did not finish


# ---------------------------------------------------------------------------------------------
# manifests
# ---------------------------------------------------------------------------------------------


def test_manifests_in_toml_csv_and_jsonl_list_the_same_pairs(tmp_path):
    (tmp_path / "m.toml").write_text(
        '[[pair]]\nsource = "a/src.txt"\ncandidate = "a/mt.txt"\nmax_mqm_estimate = 4\nfail_kinds = ["number"]\n'
        '[[pair]]\nname = "b"\nsource = "b.en"\ncandidate = "b.fr"\n',
        "utf-8",
    )
    (tmp_path / "m.csv").write_text(
        "name,source,candidate,max_mqm_estimate,fail_kinds\n,a/src.txt,a/mt.txt,4,number\nb,b.en,b.fr,,\n", "utf-8"
    )
    (tmp_path / "m.jsonl").write_text(
        '{"source": "a/src.txt", "candidate": "a/mt.txt", "max_mqm_estimate": 4, "fail_kinds": ["number"]}\n'
        '{"name": "b", "source": "b.en", "candidate": "b.fr"}\n',
        "utf-8",
    )
    listed = [find_pairs([tmp_path / f"m.{ext}"]) for ext in ("toml", "csv", "jsonl")]
    assert listed[0] == listed[1] == listed[2]
    a, b = listed[0]
    assert (a.name, a.source, a.candidate) == ("a/mt.txt", tmp_path / "a" / "src.txt", tmp_path / "a" / "mt.txt")
    assert a.thresholds == (("fail_kinds", ("number",)), ("max_mqm_estimate", 4.0))
    assert (b.name, b.thresholds) == ("b", ())


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"source": "a"}\n', "pair 1 has no candidate"),
        ('{"source": "a", "candidate": "b", "max_majors": 1}\n', "pair 1: unknown key 'max_majors'"),
        ('{"source": "a", "candidate": "b", "max_major": "lots"}\n', "max_major must be a number"),
        ('{"source": "a", "candidate": "b", "fail_kinds": ["typo"]}\n', "unknown flag kind 'typo'"),
        ("not json\n", "cannot be read as a manifest"),
        ("", "lists no pair"),
    ],
)
def test_a_bad_manifest_is_refused_with_one_reason(tmp_path, text, message):
    (tmp_path / "m.jsonl").write_text(text, "utf-8")
    with pytest.raises(InputError, match=message):
        find_pairs([tmp_path / "m.jsonl"])


@pytest.mark.model
def test_gate_on_a_manifest_with_a_threshold_for_one_pair(folder, tmp_path):
    manifest = tmp_path / "pairs.toml"
    manifest.write_text(
        f'[[pair]]\nname = "garbled"\nsource = "{folder}/kim-arrives/source.txt"\n'
        f'candidate = "{folder}/kim-arrives/candidate.txt"\nmax_mqm_estimate = 5\n'
        f'[[pair]]\nname = "faithful"\nsource = "{folder}/kim-support-control/source.txt"\n'
        f'candidate = "{folder}/kim-support-control/candidate.txt"\n',
        "utf-8",
    )
    result = run_cli("gate", str(manifest))
    assert result.exit_code == 1, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│ ")}
    assert list(rows) == ["faithful", "garbled"]
    assert "pass" in rows["faithful"] and "fail" in rows["garbled"] and "> 5" in rows["garbled"]


# ---------------------------------------------------------------------------------------------
# the pre-commit hook
# ---------------------------------------------------------------------------------------------


@pytest.mark.model
def test_the_pre_commit_hook_gates_the_pairs_of_a_repository(tmp_path):
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = tmp_path / "articles"
    (repo / "pairs").mkdir(parents=True)
    _copy_pair("kim-support-control", repo / "pairs")
    (repo / "pyproject.toml").write_text("[tool.mtcheck.gate]\nmax_major = 0\n", "utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PATH": f"{pre_commit.parent}:{os.environ['PATH']}",
    }
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "articles"], cwd=repo, check=True)

    def hook() -> subprocess.CompletedProcess:
        command = [str(pre_commit), "try-repo", str(ROOT), "mtcheck-gate", "--all-files", "--verbose"]
        return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "mtcheck gate" in passed.stdout and "1 pairs: 1 passed" in passed.stdout
    # a garbled article joins: the hook fails the commit, naming the pair and the reason
    _copy_pair("kim-arrives", repo / "pairs")
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "2 pairs: 1 passed, 1 failed" in failed.stdout and "major flags > 0" in failed.stdout
