"""Review decisions: the decisions file, applying it to a report, check --decisions, gate
--write-baseline, and SARIF output (suppressions, locations) validated against the published
SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtcheck.errors import InputError
from mtcheck.review import DECISIONS_SCHEMA, Decisions, apply_decisions, baseline, parse_decisions, render_decisions
from mtcheck.schema import report_schema
from mtcheck.types import Decision

from .conftest import DATA, PAIRS, ROOT, run_cli

SARIF_SCHEMA = DATA / "sarif" / "sarif-schema-2.1.0.json"
DECISIONS_SCHEMA_FILE = ROOT / "mtcheck" / "schemas" / "decisions-1.schema.json"


def _file(*decisions: dict) -> str:
    return json.dumps({"schema": DECISIONS_SCHEMA, "decisions": list(decisions)})


# ---------------------------------------------------------------------------------------------
# the decisions file (no model)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "not JSON"),
        ('{"decisions": []}', "not an mtcheck decisions file"),
        (json.dumps({"schema": DECISIONS_SCHEMA, "decisions": {}}), '"decisions" must be a list'),
        (_file({"decision": "dismissed"}), "decision 1 has no flag fingerprint"),
        (_file({"fingerprint": "fp1:" + "0" * 20, "decision": "ignored"}), '"decision" must be confirmed or dismissed'),
        (_file({"fingerprint": "fp1:" + "0" * 20, "decision": "dismissed", "who": "me"}), "unknown key 'who'"),
        (_file({"fingerprint": "fp1:" + "0" * 20, "decision": "dismissed", "note": 3}), "'note' must be a string"),
    ],
)
def test_a_bad_decisions_file_is_refused_in_one_line(text, message):
    with pytest.raises(InputError, match=message) as caught:
        parse_decisions(text, "d.json")
    assert str(caught.value).startswith("d.json") and "\n" not in str(caught.value)


def test_decisions_round_trip_validate_and_digest_ignores_order():
    jsonschema = pytest.importorskip("jsonschema")
    a = Decision(
        "fp1:" + "a" * 20, "dismissed", "a rewording", "ed", "2026-12-02T10:00:00+00:00", "mistranslation", "x"
    )
    b = Decision("fp1:" + "b" * 20, "confirmed")
    text = render_decisions(Decisions((a, b)))
    jsonschema.validate(json.loads(text), json.loads(DECISIONS_SCHEMA_FILE.read_text("utf-8")))
    again = parse_decisions(text, "d.json")
    assert again.entries == (a, b) and again.origin == "d.json"
    assert Decisions((b, a)).digest() == Decisions((a, b)).digest()
    # the last decision for a fingerprint wins
    later = Decision(a.fingerprint, "confirmed")
    assert Decisions((a, b, later)).by_fingerprint()[a.fingerprint].decision == "confirmed"
    assert Decisions((a, b, later)).digest() != Decisions((a, b)).digest()


# ---------------------------------------------------------------------------------------------
# applying decisions to a real report
# ---------------------------------------------------------------------------------------------


@pytest.mark.model
def test_dismissed_flags_stay_marked_and_count_toward_nothing(pair_report):
    jsonschema = pytest.importorskip("jsonschema")
    report = pair_report("kim-arrives")
    majors = [f for f in report.flags if f.severity == "major" and f.kind == "mistranslation"]
    minor = next(f for f in report.flags if f.severity == "minor")
    dismissed = majors[0]
    assert dismissed.error_mass > 0  # the tagger's evidence under it is what a dismissal takes back
    gone = Decision("fp1:" + "0" * 20, "dismissed", text="a flag of an older version")
    decisions = Decisions(
        (
            Decision(dismissed.fingerprint, "dismissed", "a fair rewording"),
            Decision(minor.fingerprint, "confirmed", "wrong sense"),
            gone,
        ),
        "decisions.json",
    )
    reviewed = apply_decisions(report, decisions)
    s, before = reviewed.summary, report.summary
    assert len(reviewed.flags) == len(report.flags)  # nothing disappears from the report
    marked = {f.fingerprint: f for f in reviewed.flags}
    assert marked[dismissed.fingerprint].decision == "dismissed"
    assert marked[dismissed.fingerprint].decision_note == "a fair rewording"
    assert marked[minor.fingerprint].decision == "confirmed"
    assert (s.flags_major, s.flags_minor, s.flags_dismissed) == (before.flags_major - 1, before.flags_minor, 1)
    assert s.penalty == before.penalty - 5
    assert s.mqm_estimate is not None and before.mqm_estimate is not None
    assert s.mqm_estimate < before.mqm_estimate
    assert reviewed.review is not None
    assert (reviewed.review.confirmed, reviewed.review.dismissed, reviewed.review.stale) == (1, 1, (gone,))
    assert reviewed.signature == f"{report.signature}|review:{decisions.digest()}"
    data = json.loads(json.dumps(reviewed.to_dict()))
    jsonschema.validate(data, report_schema())
    assert data["review"]["stale"][0]["text"] == "a flag of an older version"
    # no decision changes nothing but the signature and the review record
    same = apply_decisions(report, Decisions((), "empty.json"))
    assert same.summary == report.summary and same.flags == report.flags


@pytest.mark.model
def test_check_applies_a_decisions_file_and_reports_stale_ones(pair_report, tmp_path):
    report = pair_report("kim-arrives")
    flag = next(f for f in report.flags if f.severity == "major")
    decisions = tmp_path / "decisions.json"
    decisions.write_text(
        _file(
            {"fingerprint": flag.fingerprint, "decision": "dismissed"},
            {"fingerprint": "fp1:" + "1" * 20, "decision": "confirmed"},
        ),
        "utf-8",
    )
    src, cand = PAIRS / "kim-arrives" / "source.txt", PAIRS / "kim-arrives" / "candidate.txt"
    result = run_cli("check", str(src), str(cand), "--decisions", str(decisions))
    assert result.exit_code == 0, result.output
    assert f"{report.summary.flags_major - 1} major, {report.summary.flags_minor} minor, 1 dismissed" in result.stdout
    assert "0 confirmed, 1 dismissed; 1 stale" in result.stdout
    markdown = tmp_path / "r.md"
    assert (
        run_cli("check", str(src), str(cand), "--decisions", str(decisions), "--markdown", str(markdown)).exit_code == 0
    )
    assert "major (dismissed)" in markdown.read_text("utf-8")
    # a broken decisions file: one line, exit 2
    decisions.write_text("{", "utf-8")
    bad = run_cli("check", str(src), str(cand), "--decisions", str(decisions))
    assert bad.exit_code == 2 and len(bad.stderr.splitlines()) == 1 and "not JSON" in bad.stderr


# ---------------------------------------------------------------------------------------------
# the gate: a baseline, and SARIF
# ---------------------------------------------------------------------------------------------


@pytest.fixture()
def folder(tmp_path) -> Path:
    root = tmp_path / "pairs"
    root.mkdir()
    for name in ("kim-arrives", "kim-support-control"):
        shutil.copytree(PAIRS / name, root / name)
    return root


def _sarif(path: Path) -> dict:
    jsonschema = pytest.importorskip("jsonschema")
    log = json.loads(path.read_text("utf-8"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8"))).validate(log)
    return log


@pytest.mark.model
def test_write_baseline_then_the_gate_passes_and_fails_only_on_new_flags(folder, tmp_path, pair_report):
    kim = folder / "kim-arrives"
    report = pair_report("kim-arrives")
    minor = next(f for f in report.flags if f.severity == "minor")
    confirmed = {"fingerprint": minor.fingerprint, "decision": "confirmed", "note": "real", "by": "ed"}
    (kim / "decisions.json").write_text(_file(confirmed), "utf-8")
    assert run_cli("gate", str(folder), "--max-major", "0").exit_code == 1

    adopted = run_cli("gate", str(folder), "--max-major", "0", "--write-baseline")
    assert adopted.exit_code == 0, adopted.output
    written = parse_decisions((kim / "decisions.json").read_text("utf-8"))
    assert written.entries[0] == Decision(minor.fingerprint, "confirmed", "real", "ed")  # kept as it was
    assert {d.fingerprint for d in written.entries} == {f.fingerprint for f in report.flags}
    assert all(d.decision == "dismissed" and d.by == "mtcheck gate --write-baseline" for d in written.entries[1:])
    assert (
        not (folder / "kim-support-control" / "decisions.json").exists()
        or not parse_decisions((folder / "kim-support-control" / "decisions.json").read_text("utf-8")).entries[1:]
    )

    # the next run passes on the same content, with the dismissed flags marked in SARIF
    sarif = tmp_path / "gate.sarif"
    again = run_cli("gate", str(folder), "--max-major", "0", "--sarif", str(sarif))
    assert again.exit_code == 0, again.output
    results = _sarif(sarif)["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert len(suppressed) == len(report.flags) - 1
    assert all(r["suppressions"][0]["status"] == "accepted" for r in suppressed)

    # a new error in the candidate is not covered by the baseline: the gate fails on it
    candidate = kim / "candidate.txt"
    text = candidate.read_text("utf-8")
    candidate.write_text(text.replace("on Sunday afternoon", "on Friday afternoon", 1), "utf-8")
    after = run_cli("gate", str(folder), "--max-major", "0")
    assert after.exit_code == 1, after.output
    assert "1 major flags > 0" in after.stdout


@pytest.mark.model
def test_sarif_locates_every_flag_and_validates_against_the_schema(folder, tmp_path, pair_report):
    (folder / "zz-broken").mkdir()
    (folder / "zz-broken" / "source.txt").write_text("A source without its candidate.", "utf-8")
    sarif = tmp_path / "gate.sarif"
    result = run_cli("gate", str(folder), "--max-mqm-estimate", "5", "--sarif", str(sarif))
    assert result.exit_code == 2, result.output
    log = _sarif(sarif)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    report = pair_report("kim-arrives")
    flag_results = [r for r in run["results"] if r["ruleId"] != "gate-failed"]
    assert len(flag_results) == len(report.flags)  # the faithful control raises none
    raw = (folder / "kim-arrives" / "candidate.txt").read_text("utf-8")
    source_raw = (folder / "kim-arrives" / "source.txt").read_text("utf-8")
    lines, source_lines = raw.split("\n"), source_raw.split("\n")
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for r, flag in zip(flag_results, report.flags):
        region = r["locations"][0]["physicalLocation"]["region"]
        start = sum(len(x) + 1 for x in lines[: region["startLine"] - 1]) + region["startColumn"] - 1
        assert start == region["charOffset"] == flag.candidate.start
        assert raw[start : start + region["charLength"]] == region["snippet"]["text"] == flag.candidate.text
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("kim-arrives/candidate.txt")
        assert r["partialFingerprints"] == {"mtcheckFlag/v1": flag.fingerprint}
        assert rules[r["ruleIndex"]] == r["ruleId"] == flag.kind
        assert r["level"] == ("error" if flag.severity == "major" else "warning")
        if flag.source is not None:
            related = r["relatedLocations"][0]["physicalLocation"]
            sline, scol = related["region"]["startLine"], related["region"]["startColumn"]
            assert sum(len(x) + 1 for x in source_lines[: sline - 1]) + scol - 1 == flag.source.start
            assert related["artifactLocation"]["uri"].endswith("kim-arrives/source.txt")
    failed = [r for r in run["results"] if r["ruleId"] == "gate-failed"]
    assert len(failed) == 1 and failed[0]["message"]["text"].startswith("kim-arrives: MQM estimate")
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "zz-broken" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    # the same run gives the same file
    first = sarif.read_text("utf-8")
    assert run_cli("gate", str(folder), "--max-mqm-estimate", "5", "--sarif", str(sarif), "--force").exit_code == 2
    assert sarif.read_text("utf-8") == first


def test_baseline_keeps_what_was_decided():
    from mtcheck.types import Flag, Span

    def flag(fp: str) -> Flag:
        return Flag("mistranslation", "major", Span(0, 1, "x"), None, 0.5, "m", 0, fp)

    class _Report:
        flags = (flag("fp1:" + "a" * 20), flag("fp1:" + "b" * 20))

    kept = Decision("fp1:" + "a" * 20, "confirmed", "real")
    out = baseline(_Report(), Decisions((kept,), "d.json"), by="me", at="now")  # type: ignore[arg-type]
    assert out.entries[0] == kept and out.origin == "d.json"
    assert [(d.fingerprint[-1], d.decision, d.by, d.at) for d in out.entries[1:]] == [("b", "dismissed", "me", "now")]
