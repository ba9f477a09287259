"""End to end on the bundled pairs, with the real packaged models."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

import mtcheck
from mtcheck.report import render
from mtcheck.schema import report_schema

from .conftest import ROOT, pair_paths

pytestmark = pytest.mark.model

# kim-arrives: each source sentence (by its opening words) and the candidate sentence(s) it must
# land on, in order. The candidate split the second sentence in two ("...President Vladimir." /
# "Putin has raised ..."), a 1-2 bead.
KIM_ARRIVES_GOLD = [
    ("North Korean leader Kim Jong Un arrives", ["North Korean leader Kim Jong Un arrives"]),
    ("SEOUL, South Korea (AP) — Joined", ["SEOUL, South Korea (AP) — Accompanied", "Putin has raised Western"]),
    ("North Korea’s official news agency said Kim boarded", ["North Korea’s official news agency said Kim addressed"]),
    ("Jeon Ha Gyu, spokesperson", ["Jeon Ha Gyu, a spokesman"]),
    ("He didn’t elaborate", ["He did not explain"]),
    ("North Korean state media showed", ["North Korean state media showed"]),
    ("Kim’s delegation likely includes", ["Kim’s delegation is likely to include"]),
    ("A group of senior officials were at the station", ["A group of senior officials showed up"]),
    ("Citing unidentified Russian", ["Citing unnamed Russian"]),
    ("A brief statement on the Kremlin’s website", ["A report on the Kremlin’s online page"]),
    ("KCNA said the leaders would meet", ["The KCNA said the leaders would meet"]),
]


def _bead_for_source(report, index):
    return next(b for b in report.beads if index in b.source)


def test_kim_arrives_alignment_bead_by_bead(pair_report):
    report = pair_report("kim-arrives")
    src, cand = report.source, report.candidate
    assert len(src.sentences) == len(KIM_ARRIVES_GOLD)
    for index, (source_start, candidate_starts) in enumerate(KIM_ARRIVES_GOLD):
        assert src.sentences[index].text.startswith(source_start)
        bead = _bead_for_source(report, index)
        got = [cand.sentences[j].text for j in bead.candidate]
        assert len(got) == len(candidate_starts), (source_start, got)
        for text, start in zip(got, candidate_starts):
            assert text.startswith(start), (source_start, text)
        assert bead.similarity is not None and bead.similarity > 0.55


def test_kim_arrives_tail_is_insertions_not_forced_matches(pair_report):
    report = pair_report("kim-arrives")
    last_matched = max(j for b in report.beads if not b.is_gap for j in b.candidate)
    assert report.candidate.sentences[last_matched].text.startswith("The KCNA said the leaders would meet")
    tail = [b for b in report.beads if b.candidate and min(b.candidate) > last_matched]
    assert len(tail) >= 35
    assert all(b.kind == "0-1" for b in tail)
    assert report.summary.insertions >= 35
    assert report.summary.coverage_source == 1.0


def test_kim_arrives_scores_and_signature(pair_report):
    report = pair_report("kim-arrives")
    matched = [b for b in report.beads if not b.is_gap]
    for bead in matched:
        assert {name for name, _ in bead.scores} == {"chrf", "bleu"}  # TER is opt-in
        assert 0 <= bead.score("chrf") <= 100
    assert report.model == "all-MiniLM-L6-v2"
    sig = report.signature
    assert sig.startswith(f"mtcheck:{mtcheck.__version__}|model:all-MiniLM-L6-v2@onnx-fp32+sha256:")
    assert "chrf(nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:" in sig
    assert "bleu(nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:" in sig
    assert "ter(" not in sig  # opt-in: --metrics chrf,bleu,ter
    s = report.summary
    assert 0.0 <= s.divergence_aligned < 0.3 < s.divergence <= 1.0
    # junk in the candidate page is reported, with offsets into the raw text
    assert {"loading", "newsletter", "comment-form"} <= {j.reason for j in report.candidate.junk}
    for j in report.candidate.junk:
        assert report.candidate.raw[j.start : j.end] == j.text


def test_missiles_pt_en_aligned_across_languages(pair_report):
    report = pair_report("missiles-pt-en")
    assert (report.source.language, report.candidate.language) == ("pt", "en")
    assert report.model == "usem3"
    assert any("languages differ" in n for n in report.notes)
    assert any("surface metrics" in n and "skipped" in n for n in report.notes)
    assert all(not b.scores for b in report.beads)
    assert report.summary.corpus_scores == ()
    src, cand = report.source, report.candidate
    # every Portuguese sentence finds its English translation, in order
    expected = [
        ("A Coreia do Norte lançou", "North Korea launched"),
        ("A Guarda Costeira do Japão", "Japan’s Coast Guard"),
        ("O porta-voz do governo japonês", "Japanese government spokesman"),
        ("Também o Estado-Maior Conjunto", "The South Korean Joint Chiefs"),
        ('"As nossas forças armadas', "“Our military"),
        ("O lançamento acontece", "The launch comes"),
        ("As agências de notícias oficiais", "Official Russian news agencies"),
        ("Kim chegou à estação", "Kim arrived at Vostochny"),
        ("De acordo com a imprensa", "According to the official Russian press"),
        ("Os dois líderes irão", "The two leaders will first visit"),
    ]
    assert len(src.sentences) == len(expected)
    for index, (pt_start, en_start) in enumerate(expected):
        assert src.sentences[index].text.startswith(pt_start)
        bead = _bead_for_source(report, index)
        assert bead.kind == "1-1", (pt_start, bead)
        assert cand.sentences[bead.candidate[0]].text.startswith(en_start)
        assert bead.similarity > 0.7
    # the headlines the page inserted are insertions
    inserted = {cand.sentences[b.candidate[0]].text for b in report.beads if b.kind == "0-1"}
    assert "Images of Kim Jong-un as he leaves for Russia" in inserted


def test_control_pair_is_clean(pair_report):
    report = pair_report("kim-support-control")
    assert all(b.kind == "1-1" for b in report.beads)
    assert all(b.similarity > 0.99 for b in report.beads)
    assert report.summary.coverage_source == report.summary.coverage_candidate == 1.0
    assert report.summary.divergence < 0.01
    assert len(report.candidate.junk) >= 10
    assert not report.source.junk


@pytest.mark.parametrize("pair", ["kim-arrives", "missiles-pt-en", "kim-support-control"])
def test_json_validates_against_shipped_schema(pair_report, pair):
    data = json.loads(render(pair_report(pair), "json"))
    jsonschema.validate(data, report_schema())
    assert data["schema"] == "mtcheck.report/1"
    for side in ("source", "candidate"):
        raw = pair_report(pair).source.raw if side == "source" else pair_report(pair).candidate.raw
        for span in data[side]["sentences"] + data[side]["junk"]:
            assert raw[span["start"] : span["end"]] == span["text"]


def test_python_api_accepts_strings_and_sentence_lists():
    source = ["Kim boarded his personal train on Sunday.", "He was accompanied by party members."]
    candidate = ["Kim addressed his private exercise on Sunday.", "He was accompanied by party members."]
    report = mtcheck.check(source, candidate)
    assert [b.kind for b in report.beads] == ["1-1", "1-1"]
    assert report.beads[1].similarity > 0.99
    assert report.beads[0].similarity < report.beads[1].similarity
    text_report = mtcheck.check(" ".join(source), " ".join(candidate))
    assert len(text_report.source.sentences) == 2
    assert report.to_dict()["schema"] == "mtcheck.report/1"


def test_presplit_cli_lines(tmp_path):
    from .conftest import run_cli

    src = tmp_path / "s.txt"
    cand = tmp_path / "c.txt"
    src.write_text("U. S. officials met on Monday. They talked.\nThe talks ended at 19. 00.\n", "utf-8")
    cand.write_text("U. S. officials met on Monday. They talked.\nThe talks ended at 7 p.m.\n", "utf-8")
    result = run_cli("check", str(src), str(cand), "--presplit", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["text"] for s in data["source"]["sentences"]] == [
        "U. S. officials met on Monday. They talked.",
        "The talks ended at 19. 00.",
    ]
    assert [b["kind"] for b in data["beads"]] == ["1-1", "1-1"]


def test_two_runs_give_byte_identical_json(tmp_path):
    outputs = []
    for run in range(2):
        out = tmp_path / f"run{run}.json"
        src, cand = pair_paths("missiles-pt-en")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mtcheck",
                "check",
                str(src.relative_to(ROOT)),
                str(cand.relative_to(ROOT)),
                "--format",
                "json",
                "--output",
                str(out),
            ],
            check=True,
            cwd=ROOT,
            timeout=300,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"language": "pt"' in outputs[0]


def test_importing_mtcheck_loads_no_model():
    code = "import sys, mtcheck; print('torch' in sys.modules, 'sentence_transformers' in sys.modules, 'usem3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False"]


def _flag_on(report, text, start_after=0):
    """The flag whose candidate span covers ``text`` (first occurrence after ``start_after``)."""
    at = report.candidate.raw.index(text, start_after)
    hits = [
        f
        for f in report.flags
        if f.candidate.start <= at and at + len(text) <= f.candidate.end + 1 and f.candidate.end > at
    ]
    return max(hits, key=lambda f: f.score) if hits else None


def test_kim_arrives_meaning_changes_are_flagged(pair_report):
    report = pair_report("kim-arrives")
    raw = report.candidate.raw
    for f in report.flags:
        assert raw[f.candidate.start : f.candidate.end] == f.candidate.text
        if f.source is not None:
            assert report.source.raw[f.source.start : f.source.end] == f.source.text
    private = _flag_on(report, "private exercise")
    assert private is not None and private.severity == "major" and private.kind == "mistranslation"
    assert private.source.text == "personal train"
    assert private.message == '"private exercise" where the source has "personal train"'
    entered = _flag_on(report, "exercise entered")
    assert entered is not None and entered.severity == "major" and "train crossed" in entered.source.text
    for changed, counterpart in [("addressed", "boarded"), ("considerations", "concerns"), ("greeting", None)]:
        flag = _flag_on(report, changed)
        assert flag is not None, changed
        if counterpart:
            assert counterpart in flag.source.text
    # plain rewordings are minor at most, and rank below the clearest meaning changes
    for reworded in KIM_REWORDINGS:
        flag = _flag_on(report, reworded)
        assert flag is None or (flag.severity == "minor" and flag.score < min(private.score, entered.score)), reworded
    assert report.summary.penalty == 5 * report.summary.flags_major + report.summary.flags_minor
    # the candidate's tail past the partial source is not flagged as additions (only the
    # untranslated word in it is, see below)
    tail_start = raw.index("Kremlin spokesman Dmitry Peskov")
    assert [f.kind for f in report.flags if f.candidate.start >= tail_start] == ["untranslated"]
    # and the report says where the source stops
    end = len(report.source.raw.rstrip())
    (note,) = [n for n in report.notes if n.startswith("source appears to end")]
    assert note.startswith(f"source appears to end at character {end} (...")
    assert "have no counterpart: counted as uncovered, not flagged" in note and "mid-way" not in note


#: kim-arrives' meaning changes in the paragraphs the partial source covers ("fitness system" is
#: past its end), and its plain rewordings of the same paragraphs.
KIM_MEANING_CHANGES = ("private exercise", "addressed", "considerations", "exercise entered", "greeting him")
KIM_REWORDINGS = ("a spokesman for", "did not explain", "news conference")


def _flags_over(report, text):
    """Flags whose candidate span overlaps the first occurrence of ``text``."""
    at = report.candidate.raw.index(text)
    return [f for f in report.flags if f.candidate.start < at + len(text) and f.candidate.end > at]


@pytest.mark.xfail(
    strict=True,
    reason="issue 8 bar not met yet: 'addressed', 'considerations' and 'greeting' are minor, "
    "and 'considerations' (0.07) scores below 'news conference' (0.13)",
)
def test_kim_arrives_meaning_changes_are_major_and_outrank_rewordings(pair_report):
    report = pair_report("kim-arrives")
    assert report.signature.count("flagger:tagger@sha256:") == 1
    lowest_change = 1.0
    for changed in KIM_MEANING_CHANGES:
        major = [f for f in _flags_over(report, changed) if f.severity == "major"]
        assert major, f"{changed!r} has no major flag"
        lowest_change = min(lowest_change, max(f.score for f in major))
    for reworded in KIM_REWORDINGS:
        for flag in _flags_over(report, reworded):
            if flag.kind == "omission":
                continue  # a missing source word nearby, scored on its own scale
            assert flag.score < lowest_change, (reworded, flag.candidate.text, flag.score, lowest_change)


def test_control_pair_has_no_major_flag(pair_report):
    report = pair_report("kim-support-control")
    assert report.summary.flags_major == 0
    assert report.summary.penalty < 3


def test_cross_language_pair_runs_the_cross_language_checks(pair_report):
    report = pair_report("missiles-pt-en")
    assert set(report.checks) >= {"number", "name", "negation", "interior-gaps", "similarity-outliers"}
    assert "substitution" not in report.checks
    # "11:43 am" / "11:43" and "3:43 am" / "03:43" are the same times: no number flag
    assert not [f for f in report.flags if f.kind == "number"]
    # the related headlines the page inserted mid-article are flagged as additions
    additions = [f.candidate.text for f in report.flags if f.kind == "addition"]
    assert "Images of Kim Jong-un as he leaves for Russia" in additions


def test_untranslated_word_in_an_inserted_sentence_is_flagged(pair_report):
    report = pair_report("kim-arrives")
    at = report.candidate.raw.index("disienten")
    flags = [f for f in report.flags if f.kind == "untranslated"]
    assert [(f.candidate.start, f.candidate.text) for f in flags] == [(at, "disienten")]
    assert report.beads[flags[0].bead].kind == "0-1"


def test_same_language_portuguese_pair_uses_the_multilingual_model_without_false_foreign_words():
    source = (ROOT / "pairs" / "missiles-pt-en" / "source.txt").read_text("utf-8")
    candidate = source.replace("muito feliz", "nada feliz")
    report = mtcheck.check(source, candidate)
    assert (report.source.language, report.candidate.language, report.model) == ("pt", "pt", "usem3")
    assert any("not English" in note for note in report.notes)
    assert not [f for f in report.flags if f.kind == "untranslated"]  # accents are not foreign in Portuguese
    changed = [f for f in report.flags if "nada" in f.candidate.text]
    assert changed and changed[0].source.text == "muito"
    assert all(f.candidate.text in ("nada",) for f in report.flags)


@pytest.mark.model
def test_two_threads_sharing_one_embedder_give_the_sequential_reports():
    # Embeddings are data: no embedder keeps per-check state, so concurrent checks cannot mix.
    from concurrent.futures import ThreadPoolExecutor

    from mtcheck import CheckConfig
    from mtcheck.embed import get_embedder
    from mtcheck.io import read_document
    from mtcheck.pipeline import check

    config = CheckConfig()
    names = ["kim-arrives", "kim-support-control"]
    docs = {n: [read_document(p, config) for p in pair_paths(n)] for n in names}

    def run(name: str) -> str:
        return json.dumps(check(*docs[name], config).to_dict(), sort_keys=True)

    get_embedder("all-MiniLM-L6-v2").clear()
    sequential = [run(n) for n in names]
    get_embedder("all-MiniLM-L6-v2").clear()  # both threads run the model, not the cache
    with ThreadPoolExecutor(max_workers=2) as pool:
        concurrent = list(pool.map(run, names))
    assert concurrent == sequential
    assert json.loads(sequential[0])["flags"] and not json.loads(sequential[1])["flags"]


@pytest.mark.model
def test_penalty_per_100_words_compares_articles_of_any_length(pair_report):
    report = pair_report("kim-arrives")
    words = sum(len(s.text.split()) for s in report.candidate.sentences)
    s = report.summary
    assert s.penalty > 0 and s.penalty_per_100_words == pytest.approx(100 * s.penalty / words)
    assert pair_report("kim-support-control").summary.penalty_per_100_words == 0
    # the same article twice over has twice the penalty and the same rate
    source = (
        "He met Putin at the cosmodrome on Wednesday.\n\nKim boarded his personal train from the capital on "
        "Sunday afternoon.\n\nThe talks lasted four hours."
    )
    candidate = source.replace("boarded his personal train", "addressed his private exercise")
    once = mtcheck.check(source, candidate).summary
    twice = mtcheck.check(source + "\n\n" + source, candidate + "\n\n" + candidate).summary
    assert once.penalty > 0 and twice.penalty == 2 * once.penalty
    assert twice.penalty_per_100_words == pytest.approx(once.penalty_per_100_words)
