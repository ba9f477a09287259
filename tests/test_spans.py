"""Span flags inside aligned beads, with the real packaged model (all-MiniLM-L6-v2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mtcheck.checks import BeadInput, check_names, flag_beads
from mtcheck.config import CheckConfig
from mtcheck.numbers import extract_numbers, number_keys
from mtcheck.summary import penalty
from mtcheck.types import Flag, Span

ROOT = Path(__file__).resolve().parent.parent

KIM_SRC = (
    "North Korea’s official news agency said Kim boarded his personal train from the capital, "
    "Pyongyang, on Sunday afternoon, and that he was accompanied by unspecified members of the "
    "country’s ruling party, government and military."
)
KIM_CAND = (
    "North Korea’s official news agency said Kim addressed his private exercise from the capital "
    "Pyongyang on Sunday afternoon, and was accompanied by unspecified members of the country’s "
    "ruling party, government and military."
)


@pytest.fixture(scope="module")
def embedder():
    from mtcheck.embed import get_embedder

    return get_embedder("all-MiniLM-L6-v2")


def flag_bead(
    src: str,
    src_spans,
    cand: str,
    cand_spans,
    *,
    bead_index: int,
    embedder,
    cross_language: bool = False,
    language: str = "en",
) -> list[Flag]:
    """Flags of one bead through the real checks (an empty ``src_spans`` is an inserted sentence)."""
    bead = BeadInput(src, tuple(src_spans), cand, tuple(cand_spans), bead_index, cross_language, "en", language)
    return flag_beads([bead], embedder=embedder)[0]


def flags_for(src: str, cand: str, embedder, cross_language: bool = False) -> list[Flag]:
    return flag_bead(
        src,
        [Span.of(src, 0, len(src))],
        cand,
        [Span.of(cand, 0, len(cand))],
        bead_index=3,
        embedder=embedder,
        cross_language=cross_language,
    )


def find(flags: list[Flag], text: str) -> Flag | None:
    return next((f for f in flags if f.candidate.text == text), None)


# ---------------------------------------------------------------------------- pure logic


def test_numbers_normalise_times_and_scales():
    assert number_keys("7 p.m. local time") & number_keys("19. 00 local time") >= {"T19:00"}
    assert "T19:00" in number_keys("at 19:00")
    assert [m.key for m in extract_numbers("1,200 people and 2.5 million yuan")] == ["1200", "2500000"]
    assert [m.key for m in extract_numbers("2.5万 and 三十五")] == ["25000", "35"]
    assert "680" not in number_keys("580 kilometers")


def test_check_names_and_penalty():
    whole = ("interior-gaps", "similarity-outliers")
    assert check_names(True) == ("number", "negation", "untranslated", "name", *whole)
    assert check_names(False) == (
        "number",
        "negation",
        "antonym",
        "untranslated",
        "name",
        "learned",
        "omission",
        *whole,
    )
    span = Span.of("abc def", 0, 3)
    flags = [
        Flag("mistranslation", "major", span, None, 0.9, "m", 0),
        Flag("addition", "minor", span, None, 0.3, "m", 0),
    ]
    assert penalty(flags, CheckConfig().severity_weights) == 6.0
    assert penalty([], {"major": 5, "minor": 1}) == 0.0


# ---------------------------------------------------------------------------- with the model


@pytest.mark.model
def test_kim_arrives_substitutions(embedder):
    flags = flags_for(KIM_SRC, KIM_CAND, embedder)
    addressed, exercise = find(flags, "addressed"), find(flags, "private exercise")
    assert addressed is not None and exercise is not None, [f.candidate.text for f in flags]
    for flag, src_text in ((addressed, "boarded"), (exercise, "personal train")):
        assert KIM_CAND[flag.candidate.start : flag.candidate.end] == flag.candidate.text
        assert flag.source is not None and flag.source.text == src_text
        assert KIM_SRC[flag.source.start : flag.source.end] == src_text
        assert flag.kind == "mistranslation" and flag.bead == 3
    assert exercise.message == '"private exercise" where the source has "personal train"'
    # punctuation-only differences ("capital," / "capital") are not flagged
    assert not any("Pyongyang" in f.candidate.text or "capital" in f.candidate.text for f in flags)


@pytest.mark.model
def test_multi_sentence_bead_offsets_are_raw(embedder):
    src = "Intro line.\n\n" + KIM_SRC + "  He returned on Monday."
    cand = "Header\n" + KIM_CAND + "\n He returned on Tuesday."
    s1 = Span.of(src, 13, 13 + len(KIM_SRC))
    s2 = Span.of(src, src.index("He returned"), len(src))
    c1 = Span.of(cand, 7, 7 + len(KIM_CAND))
    c2 = Span.of(cand, cand.index("He returned"), len(cand))
    flags = flag_bead(src, [s1, s2], cand, [c1, c2], bead_index=0, embedder=embedder)
    for f in flags:
        assert cand[f.candidate.start : f.candidate.end] == f.candidate.text
        if f.source is not None:
            assert src[f.source.start : f.source.end] == f.source.text
    texts = {f.candidate.text for f in flags}
    assert "private exercise" in texts and "Tuesday" in texts


@pytest.mark.model
def test_negation_flip(embedder):
    flags = flags_for(
        "He said the country will not hesitate to respond.", "He said the country will hesitate to respond.", embedder
    )
    neg = [f for f in flags if f.kind == "negation"]
    assert neg and neg[0].severity == "major" and "hesitate" in neg[0].candidate.text
    assert neg[0].source is not None and neg[0].source.text == "not"


@pytest.mark.model
def test_numbers(embedder):
    flags = flags_for("The train arrived at 7 p.m. local time.", "The train arrived at 19. 00 local time.", embedder)
    assert not [f for f in flags if f.kind == "number"], flags
    assert not any("19" in f.candidate.text for f in flags)
    flags = flags_for("The train travelled 680 kilometers.", "The train travelled 580 kilometers.", embedder)
    num = [f for f in flags if f.kind == "number"]
    assert len(num) == 1 and num[0].candidate.text == "580" and num[0].source.text == "680"


@pytest.mark.model
def test_untranslated_word(embedder):
    flags = flags_for("The two parties disagree on the plan.", "The two parties disienten on the plan.", embedder)
    assert [(f.kind, f.candidate.text) for f in flags if f.kind == "untranslated"] == [("untranslated", "disienten")]


@pytest.mark.model
def test_untranslated_flags_without_a_source(embedder):
    """Candidate sentences with no aligned source (an insertion bead) get the same-language path's
    "untranslated" flags, with offsets into the raw text across a sentence join."""
    raw = "Header\n\nRussia and North Korea are connected via a small railway.\n link between countries, disienten.\n"
    first = Span.of(raw, raw.index("Russia"), raw.index("railway.") + len("railway."))
    second = Span.of(raw, raw.index("link"), raw.index("disienten.") + len("disienten."))
    flags = flag_bead(raw, [], raw, [first, second], bead_index=4, language="en", embedder=embedder)
    assert [(f.kind, f.candidate.text) for f in flags] == [("untranslated", "disienten")]
    flag = flags[0]
    assert (flag.candidate.start, flag.candidate.end) == (raw.index("disienten"), raw.index("disienten") + 9)
    assert raw[flag.candidate.start : flag.candidate.end] == "disienten"
    assert flag.severity == "major" and flag.source is None and flag.bead == 4
    assert flag.message == '"disienten" looks like another language than the rest of the text'
    # only English texts are judged for Latin-script words of other languages
    assert flag_bead(raw, [], raw, [first, second], bead_index=4, language="de", embedder=embedder) == []


@pytest.mark.model
def test_spelling_variant_is_not_flagged(embedder):
    assert flags_for("The armoured train left the station.", "The armored train left the station.", embedder) == []


@pytest.mark.model
def test_paraphrases_rank_below_real_changes(embedder):
    real = max(f.score for f in flags_for(KIM_SRC, KIM_CAND, embedder))
    for src, cand in (
        (
            "A spokesman for the ministry said the talks went well.",
            "A spokesperson of the ministry said the talks went well.",
        ),
        ("He did not explain the reason.", "He didn't elaborate the reason."),
    ):
        flags = flags_for(src, cand, embedder)
        assert all(f.score < real and f.severity == "minor" for f in flags), flags


@pytest.mark.model
def test_cross_language_checks(embedder):
    src = "金正恩周日下午乘坐专列离开平壤，行程680公里。"
    flags = flags_for(
        src,
        "Kim left Pyongyang by special train on Sunday afternoon, a journey of 580 kilometres.",
        embedder,
        cross_language=True,
    )
    assert [f.candidate.text for f in flags if f.kind == "number"] == ["580"]
    flags = flags_for(
        src,
        "Kim left Pyongyang by special train on Sunday afternoon, a journey of 680 kilometres.",
        embedder,
        cross_language=True,
    )
    assert not [f for f in flags if f.kind == "number"]
    flags = flags_for("他表示不会犹豫。", "He said he would hesitate.", embedder, cross_language=True)
    assert [f.kind for f in flags] == ["negation"]
    flags = flags_for("他表示会犹豫。", "He said he would 犹豫.", embedder, cross_language=True)
    assert "untranslated" in [f.kind for f in flags]


@pytest.mark.model
def test_mqm_slice_beats_difflib():
    """On a 60-segment slice of the MQM dev set, Major F1 beats difflib's on the same slice."""
    sys.path.insert(0, str(ROOT / "bench"))
    import eval_mqm

    from mtcheck.embed import get_embedder

    rows = eval_mqm.load_rows(split="test", limit=60)
    flags = flag_beads(eval_mqm.bead_inputs(rows), embedder=get_embedder("all-MiniLM-L6-v2"))
    ours = eval_mqm.span_prf(rows, [eval_mqm.flags_to_pred(f) for f in flags])
    base = eval_mqm.span_prf(rows, [eval_mqm.difflib_unmatched(r["hypothesis"], r["reference"]) for r in rows])
    assert ours["major"][2] > base["major"][2], (ours, base)


# ---------------------------------------------------------------------- language packs at work


@pytest.mark.model
def test_portuguese_negation_dropped_is_a_major_negation_flag():
    import mtcheck

    report = mtcheck.check(
        "O governo disse que o país não vai hesitar em responder às provocações.",
        "O governo disse que o país vai hesitar em responder às provocações.",
    )
    assert report.source.language == report.candidate.language == "pt"
    assert [(f.kind, f.severity, f.source.text) for f in report.flags] == [("negation", "major", "não")]


@pytest.mark.model
def test_portuguese_number_word_against_english_number_word():
    import mtcheck

    source = "A Coreia do Norte lançou dois mísseis balísticos na quarta-feira."
    changed = mtcheck.check(source, "North Korea launched three ballistic missiles on Wednesday.")
    assert [(f.kind, f.severity, f.candidate.text) for f in changed.flags] == [("number", "major", "three")]
    assert mtcheck.check(source, "North Korea launched two ballistic missiles on Wednesday.").flags == ()


@pytest.mark.model
def test_portuguese_para_is_not_a_missing_content_word():
    import mtcheck

    report = mtcheck.check(
        "O ministro viajou para Tóquio na segunda-feira para uma reunião com os aliados.",
        "O ministro viajou Tóquio na segunda-feira uma reunião com os aliados.",
    )
    assert [f for f in report.flags if f.kind == "omission"] == []
    # a content word dropped is still an omission
    report = mtcheck.check(
        "O ministro viajou para Tóquio na segunda-feira para uma reunião com os aliados.",
        "O ministro viajou para na segunda-feira para uma reunião com os aliados.",
    )
    assert [(f.kind, f.source.text) for f in report.flags if f.kind == "omission"] == [("omission", "Tóquio")]


@pytest.mark.model
def test_a_language_without_a_pack_says_which_checks_did_not_run():
    import mtcheck

    report = mtcheck.check(
        "Il governo ha detto che il paese non esiterà a rispondere alle provocazioni.",
        "Il governo ha detto che il paese esiterà a rispondere alle provocazioni.",
    )
    assert report.source.language == "it"
    assert "negation" not in report.checks and "omission" not in report.checks and "number" in report.checks
    assert (
        "no language pack for 'it': negation, antonym and omission not checked (they need the language's word "
        "lists: negation cues, antonyms, stopwords; packs: en, pt, es, fr, de)"
    ) in report.notes


@pytest.mark.parametrize(
    ("source", "candidate"),
    [
        ("The leader – who arrived on Monday – spoke.", "The leader — who arrived on Monday — spoke."),
        ("The leader -- who arrived -- spoke.", "The leader — who arrived — spoke."),
        ('He said " yes " today.', "He said “ yes ” today."),
        ("Kim's train left.", "Kim’s train left."),
    ],
)
def test_typographic_variants_align_as_the_same_punctuation(source, candidate):
    from functools import partial

    from mtcheck.lang import pack_for, word_key
    from mtcheck.spans.pair import Pair
    from mtcheck.spans.words import Side

    def side(text):
        return Side.build(text, (Span.of(text, 0, len(text)),))

    pair = Pair.align(side(candidate), side(source), key=partial(word_key, pack_for("en")))
    assert pair.loose.all()
    assert [op[0] for op in pair.opcodes] == ["equal"]


@pytest.mark.model
def test_typographic_variants_are_never_flagged(embedder):
    source = "The leader – who arrived on Monday – said the “talks” went well."
    candidate = 'The leader — who arrived on Monday — said the "talks" went well.'
    assert flags_for(source, candidate, embedder) == []


def test_rare_english_words_are_not_foreign_but_spanish_ones_are():
    from mtcheck.spans.foreign import foreign_word

    def pieces(word):
        return 4  # as if the model's vocabulary split every word: only frequencies decide

    for english in ("cosmodrome", "cosmonaut", "telecommunication"):
        assert foreign_word(english, "latin", set(), pieces, english=True) is None, english
    assert foreign_word("disienten", "latin", set(), pieces, english=True) == "major"
    from mtcheck.spans.foreign import _attested_english

    # frequent in Spanish, and used in English too (names, quotes), but far less
    assert not any(_attested_english(w) for w in ("sobre", "gobierno", "entonces"))
