"""mtcheck.segment: sentence splitting with repairs, language detection, Document builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.errors import InputError
from mtcheck.segment import (
    build_document,
    detect_language,
    document_from_lines,
    document_from_sentences,
    split_sentences,
)
from mtcheck.types import Span

from .conftest import PAIRS

SEEDS = Path(__file__).parent / "data" / "seeds"
ALL = sorted(SEEDS.glob("*.txt")) + sorted((SEEDS / "originals").glob("*.txt"))


def load(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc003():
    return build_document(load("003_cf84c1753290a236.txt"))


def whole(raw: str) -> tuple[Span, ...]:
    return (Span.of(raw, 0, len(raw)),)


def test_broken_spacing_initials_do_not_split(doc003):
    texts = doc003.texts
    trump = [t for t in texts if "former U. S. President Donald Trump" in t]
    assert trump == [
        "Even though Kim has been more comfortable with planes than his notoriously hostile As a father, "
        "he has also used his non-public exercise in past meetings with Putin, Chinese President Xi Jinping "
        "and former U. S. President Donald Trump, reviving a symbol of his family’s dynastic rule."
    ]
    officials = [t for t in texts if t.startswith("U. S. officials say")]
    assert len(officials) == 1
    assert officials[0].endswith("prove he is capable of waging a long war of attrition.")


def test_digit_dot_space_digit_does_not_split(doc003):
    hits = [t for t in doc003.texts if "local time" in t]
    assert hits == [
        "The exercise observed back and forth between the station and the technique to the bridge that "
        "connects the countries, but had not crossed the bridge until 19. 00 local time (10. 00 GMT)."
    ]


def test_misplaced_quote_splits_after_the_quote(doc003):
    texts = doc003.texts
    i = next(i for i, t in enumerate(texts) if t.endswith("would take a position “in the coming days. “"))
    assert texts[i + 1] == "The KCNA said the leaders would meet, without specifying when or where."
    j = texts.index("He added that Putin would host an official dinner for Kim.")
    assert texts[j - 1].endswith("could also meet “one-on-one if necessary. “")


def test_headline_without_stop_is_its_own_sentence(doc003):
    assert doc003.texts[0] == "North Korean leader Kim Jong Un arrives in Russia ahead of planned meeting with Putin"
    assert doc003.texts[1].startswith("SEOUL, South Korea (AP)")


def test_lowercase_fragment_joins_previous():
    raw = "Follow AP on https://apnews. com/hub/russia-ukraine today. Riverbender. com is free."
    texts = [s.text for s in split_sentences(raw, whole(raw))]
    assert texts == ["Follow AP on https://apnews. com/hub/russia-ukraine today.", "Riverbender. com is free."]


def test_real_boundaries_after_initials_and_numbers_stay():
    raw = "He visited the U. S. The trip was long. It ended in 2019. 2020 was quiet."
    texts = [s.text for s in split_sentences(raw, whole(raw))]
    assert texts[:2] == ["He visited the U. S.", "The trip was long."]


def test_sentences_never_cross_blocks_and_are_trimmed():
    raw = "  Images of Kim Jong-un as he leaves for Russia  \n\n Kim arrived. He left.\n"
    blocks = (Span.of(raw, 2, 47), Span.of(raw, 51, len(raw)))  # the second with its spaces
    assert blocks[0].text == "Images of Kim Jong-un as he leaves for Russia"
    assert [s.text for s in split_sentences(raw, blocks)] == [
        "Images of Kim Jong-un as he leaves for Russia",
        "Kim arrived.",
        "He left.",
    ]


def test_unknown_language_uses_english_rules():
    raw = "Hello there. This is it."
    assert [s.text for s in split_sentences(raw, whole(raw), "unknown")] == ["Hello there.", "This is it."]
    assert [s.text for s in split_sentences(raw, whole(raw), "zh-cn")] == ["Hello there.", "This is it."]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_offsets_point_into_raw_for_every_seed(path):
    raw = path.read_text(encoding="utf-8")
    doc = build_document(raw, path=str(path), encoding="utf-8")
    assert doc.sentences
    for s in doc.sentences:
        assert raw[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    assert [s.start for s in doc.sentences] == sorted(s.start for s in doc.sentences)
    assert doc.path == str(path) and doc.encoding == "utf-8"


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("000_df3035f38ce0fb66.txt", 9),
        ("001_3f7603d152ec7591.txt", 14),
        ("002_62e6a9109030a693.txt", 18),
        ("003_cf84c1753290a236.txt", 53),
        ("originals/ap_kim_arrives_2023-09-12.partial.en.txt", 11),
        ("originals/lusa_missiles_2023-09-13.partial.pt.txt", 10),
    ],
)
def test_sentence_counts(name, count):
    assert len(build_document(load(name)).sentences) == count


def test_languages():
    for path in sorted(SEEDS.glob("*.txt")):
        assert build_document(path.read_text(encoding="utf-8")).language == "en", path.name
    assert build_document(load("originals/lusa_missiles_2023-09-13.partial.pt.txt")).language == "pt"
    assert build_document(load("originals/ap_kim_arrives_2023-09-12.partial.en.txt")).language == "en"


def test_detect_language_is_deterministic_and_says_unknown():
    short = "Kim Putin Vostochny"  # too little text: langdetect's guess depends on its seed
    first = detect_language(short, seed=3)
    assert all(detect_language(short, seed=3) == first for _ in range(5))
    assert detect_language("12345 67 -- 89", seed=0) == "unknown"
    assert detect_language("", seed=0) == "unknown"


def test_build_document_is_deterministic(doc003):
    again = build_document(load("003_cf84c1753290a236.txt"))
    assert again == doc003


def test_build_document_without_cleaning_keeps_junk_as_content():
    raw = load("002_62e6a9109030a693.txt")
    doc = build_document(raw, clean=False)
    assert doc.junk == ()
    assert doc.texts[0] == "Follow our liveblog about the war in Ukraine here"
    assert doc.texts[-1] == "Leave a Reply"
    cleaned = build_document(raw)
    assert [j.text for j in cleaned.junk] == ["Follow our liveblog about the war in Ukraine here", "Leave a Reply"]


def test_all_junk_page_gives_no_sentences():
    doc = build_document("Leave a Reply\n\nRead more »\n")
    assert doc.sentences == ()
    assert doc.language == "unknown"
    assert len(doc.junk) == 2


def test_document_from_lines():
    raw = "  Primeira frase. Segunda frase.\r\n\r\nO Presidente russo Vladimir Putin recebeu Kim.\n"
    doc = document_from_lines(raw, path="src.txt", encoding="utf-8")
    assert doc.texts == ["Primeira frase. Segunda frase.", "O Presidente russo Vladimir Putin recebeu Kim."]
    assert all(raw[s.start : s.end] == s.text for s in doc.sentences)
    assert doc.junk == () and doc.path == "src.txt"


def test_document_from_lines_keeps_junk_lines():
    raw = load("002_62e6a9109030a693.txt")
    doc = document_from_lines(raw)
    assert len(doc.sentences) == 18
    assert doc.texts[0] == "Follow our liveblog about the war in Ukraine here"
    assert doc.language == "en"


def test_document_from_sentences():
    sentences = ["A Coreia do Norte lançou dois mísseis.", "  Kim está na Rússia.", "Putin recebeu o líder."]
    doc = document_from_sentences(sentences)
    assert doc.raw == "\n".join(sentences)
    assert doc.texts == sentences
    assert doc.language == "pt"
    assert [(s.start, s.end) for s in doc.sentences] == [(0, 38), (39, 60), (61, 83)]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([], "the list of sentences is empty"),
        (["One.", "  "], "sentence 1 is empty or only whitespace"),
        (["One.", 2], "sentence 1 is not a string but int"),
        ("One. Two.", "give a list of sentences, not one string"),
    ],
)
def test_document_from_sentences_refuses(bad, message):
    with pytest.raises(InputError, match=message):
        document_from_sentences(bad)


def test_empty_text_is_refused():
    with pytest.raises(InputError, match="cand.txt is empty or only whitespace"):
        build_document(" \n ", path="cand.txt")
    with pytest.raises(InputError, match="the text is empty"):
        document_from_lines("")


def test_language_profiles_read_fast_are_the_ones_langdetect_reads(tmp_path):
    """mtcheck reads langdetect's profiles with numpy (0.35 s less per cold start); the detector
    must see the same languages, n-grams and probabilities, so every guess stays the same."""
    from langdetect import detector_factory

    from mtcheck.segment import _language_profiles

    theirs = detector_factory.DetectorFactory()
    theirs.load_profile(detector_factory.PROFILES_DIRECTORY)
    ours = _language_profiles()
    assert ours.langlist == theirs.langlist
    assert len(ours.word_lang_prob_map) == len(theirs.word_lang_prob_map) == 87598
    for word in list(theirs.word_lang_prob_map)[::97]:
        assert word in ours.word_lang_prob_map
        assert ours.word_lang_prob_map[word] == theirs.word_lang_prob_map[word]
    assert "no such n-gram" not in ours.word_lang_prob_map
    texts = [p.read_text(encoding="utf-8")[:600] for pair in PAIRS.iterdir() for p in sorted(pair.glob("*.txt"))]
    texts += ["Der Bundestag hat heute abgestimmt.", "Le gouvernement a confirmé la nouvelle.", "Kim Putin"]
    for text in texts:
        probabilities = []
        for factory in (ours, theirs):
            detector = factory.create()
            detector.seed = 0
            detector.append(text)
            probabilities.append([(p.lang, p.prob) for p in detector.get_probabilities()])
        assert probabilities[0] == probabilities[1], text
