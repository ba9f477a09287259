"""The terminology check: glossary files, inflected matching, and flags on real pairs."""

from __future__ import annotations

import json
import shutil

import pytest

from mtcheck.errors import InputError
from mtcheck.glossary import Term, TermMatcher, parse_glossary, read_glossary

from .conftest import PAIRS, run_cli

GLOSSARY = (
    "# kim-arrives house terms\n"
    "source\ttarget\tnote\n"
    "personal train\tpersonal train|armoured train\tKim travels by train\n"
    "crossed\tcrossed|!entered\tsay crossed\n"
    "Kim Jong Un\t=\tnames stay\n"
    "\t!exercise\tnever\n"
)


# ---------------------------------------------------------------------------------------------
# glossary files and matching (no model)
# ---------------------------------------------------------------------------------------------


def test_a_glossary_row_is_a_required_kept_or_forbidden_term():
    glossary = parse_glossary(GLOSSARY, "g.tsv")
    assert glossary.terms == (
        Term("personal train", ("personal train", "armoured train"), (), False, "Kim travels by train", 3),
        Term("crossed", ("crossed",), ("entered",), False, "say crossed", 4),
        Term("Kim Jong Un", ("Kim Jong Un",), (), True, "names stay", 5),
        Term("", (), ("exercise",), False, "never", 6),
    )
    csv = parse_glossary('source,target\n"health care system","health care system|healthcare system"\n', delimiter=",")
    assert csv.terms[0].targets == ("health care system", "healthcare system")
    assert parse_glossary(GLOSSARY).digest() == glossary.digest() != csv.digest()


@pytest.mark.parametrize(
    "text, message",
    [
        ("train\n", "line 1: 'train' has no target term"),
        ("\tallowed\n", "line 1: a row without a source term lists only forbidden terms"),
        ("# only a comment\n\n", "the glossary lists no term"),
    ],
)
def test_a_bad_glossary_is_refused_in_one_line(text, message):
    with pytest.raises(InputError, match=message):
        parse_glossary(text, "g.tsv")


def test_read_glossary_picks_csv_by_suffix_and_reports_a_missing_file(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("\ufeffsource,target\nhealth,=\n", "utf-8")  # a BOM from a spreadsheet
    assert read_glossary(path).terms[0] == Term("health", ("health",), (), True, "", 2)
    with pytest.raises(InputError, match="cannot read the glossary"):
        read_glossary(tmp_path / "missing.tsv")


def test_terms_match_whole_words_in_any_inflected_form():
    english = TermMatcher("en")
    text = "The health care systems were denied; a trainer's trains."

    def at(part: str) -> tuple[int, int]:
        return text.index(part), text.index(part) + len(part)

    words = english.words(text)
    assert english.find("health care system", words) == [at("health care systems")]
    assert english.find("deny", words) == [at("denied")]
    assert english.find("train", words) == [at("trains")]  # not "trainer's"
    assert english.find("care system health", words) == []
    german = TermMatcher("de")
    assert german.find("Gesundheitssystem", german.words("Die Gesundheitssysteme")) == [(4, 22)]
    # a language simplemma does not know: words as written, case folded
    unknown = TermMatcher("xx")
    assert unknown.find("Abc", unknown.words("abc abcs")) == [(0, 3)]


# ---------------------------------------------------------------------------------------------
# the check on real pairs
# ---------------------------------------------------------------------------------------------


@pytest.mark.model
def test_terminology_flags_kim_arrives_in_both_texts(tmp_path):
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text(GLOSSARY, "utf-8")
    src, cand = PAIRS / "kim-arrives" / "source.txt", PAIRS / "kim-arrives" / "candidate.txt"
    out = tmp_path / "r.json"
    result = run_cli("check", str(src), str(cand), "--glossary", str(glossary), "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text("utf-8"))
    raw, source_raw = cand.read_text("utf-8"), src.read_text("utf-8")
    terms = [f for f in report["flags"] if f["kind"] == "terminology"]
    assert all(f["severity"] == "major" for f in terms)
    for f in terms:
        c = f["candidate"]
        assert raw[c["start"] : c["end"]] == c["text"]
        if f["source"] is not None:
            s = f["source"]
            assert source_raw[s["start"] : s["end"]] == s["text"]
    # "Kim's personal train" became "his private exercise": the required term is missing there
    missing = [f for f in terms if f["message"].startswith('"personal train" should be rendered')]
    assert len(missing) == 1 and "private exercise" in missing[0]["candidate"]["text"]
    assert missing[0]["source"]["text"] == "personal train"
    # "train crossed into" became "exercise entered": a forbidden rendering, at its own words
    entered = [f for f in terms if f["candidate"]["text"] == "entered"]
    assert len(entered) == 1 and entered[0]["source"]["text"] == "crossed"
    assert entered[0]["message"].startswith('"entered" is a forbidden term for "crossed"')
    # "exercise" is forbidden anywhere: every occurrence, inserted sentences too
    anywhere = [f for f in terms if f["message"].startswith('"exercise" is a forbidden term anywhere')]
    assert len(anywhere) == raw.count("exercise") and all(f["source"] is None for f in anywhere)
    # the name is kept everywhere it occurs in the source: no flag for it
    assert not [f for f in terms if "Kim Jong Un" in f["message"]]
    assert "terminology" in report["checks"] and "|glossary:" in report["signature"]
    # without a glossary the check neither runs nor appears
    plain = run_cli("check", str(src), str(cand), "-f", "json")
    assert '"terminology"' not in plain.stdout and "|glossary:" not in plain.stdout


@pytest.mark.model
def test_a_faithful_pair_meets_its_glossary_and_the_gate_reads_a_pair_glossary(tmp_path):
    root = tmp_path / "pairs"
    for name in ("kim-support-control", "kim-arrives"):
        shutil.copytree(PAIRS / name, root / name)
        (root / name / "glossary.tsv").write_text(
            "Vostochny cosmodrome\t=\nsupport\tsupport|backing\n\t!cosmodome\n", "utf-8"
        )
    (root / "kim-arrives" / "glossary.tsv").write_text(GLOSSARY, "utf-8")
    result = run_cli("gate", str(root), "--fail-kind", "terminology")
    assert result.exit_code == 1, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│ kim")}
    assert "pass" in rows["kim-support-control"]
    assert "fail" in rows["kim-arrives"] and "terminology flags" in rows["kim-arrives"]


@pytest.mark.model
def test_a_glossary_named_in_the_project_config_applies_to_check_and_gate(tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(PAIRS / "kim-support-control", project / "pairs" / "control")
    (project / "terms").mkdir()
    (project / "terms" / "house.tsv").write_text("\t!cosmodrome\tsay spaceport\n", "utf-8")
    (project / "pyproject.toml").write_text('[tool.mtcheck]\nglossary = "terms/house.tsv"\n', "utf-8")
    monkeypatch.chdir(project / "pairs")  # the path is taken relative to the config file, not here
    shown = run_cli("config")
    assert f"glossary = '{project / 'terms' / 'house.tsv'}'  ({project / 'pyproject.toml'})" in shown.stdout
    result = run_cli("gate", ".", "--fail-kind", "terminology")
    assert result.exit_code == 1, result.output
    assert "terminology flag" in result.stdout
    # the command line wins: a glossary the pair meets
    (project / "ok.tsv").write_text("Putin\t=\n", "utf-8")
    assert run_cli("gate", ".", "--fail-kind", "terminology", "--glossary", str(project / "ok.tsv")).exit_code == 0
