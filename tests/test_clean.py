"""mtcheck.clean.find_junk on the four scraped seed pages and the two originals."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.clean import find_junk
from mtcheck.text import word_count

SEEDS = Path(__file__).parent / "data" / "seeds"
PAGES = sorted(SEEDS.glob("*.txt"))
ORIGINALS = sorted((SEEDS / "originals").glob("*.txt"))


def load(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def junk_of(raw: str) -> list[tuple[str, str]]:
    return [(j.reason, j.text) for j in find_junk(raw)[1]]


def content_of(raw: str) -> list[str]:
    return [b.text for b in find_junk(raw)[0]]


@pytest.mark.parametrize("path", PAGES + ORIGINALS, ids=lambda p: p.name)
def test_every_visible_character_is_content_or_junk_exactly_once(path):
    raw = path.read_text(encoding="utf-8")
    content, junk = find_junk(raw)
    owner = [0] * len(raw)
    for span in (*content, *junk):
        assert raw[span.start : span.end] == span.text
        for i in range(span.start, span.end):
            owner[i] += 1
    assert all(count == 1 for i, count in enumerate(owner) if not raw[i].isspace())
    assert all(count <= 1 for count in owner)
    # Reading order, no span starting or ending in whitespace.
    starts = [s.start for s in sorted((*content, *junk), key=lambda s: s.start)]
    assert starts == sorted(set(starts))
    assert all(s.text == s.text.strip() for s in content)


def test_seed_003_junk():
    raw = load("003_cf84c1753290a236.txt")
    assert junk_of(raw) == [
        ("loading", "Loading the weather. . . ."),
        ("newsletter", "Do not miss our news and essential news each and every day in your inbox."),
        ("separator", ". ."),  # the tail of "... restructuring efforts. . ."
        ("separator", "___"),
        ("separator", "___"),
        ("follow-prompt", "Follow AP on https://apnews. com/hub/russia-ukraine"),
        ("separator", ". . ."),
        ("separator", "\u00a0"),
        ("loading", "Loading trending content. . . ."),
        ("ad-block-notice", raw.splitlines()[78]),
        ("comment-form", "Leave a Comment"),
        ("comment-form", "Your email address will not be published. Required fields are marked *"),
    ]
    assert raw.splitlines()[78].startswith("Did you know that Riverbender. com is available to you")


def test_seed_003_title_body_and_credit_line_kept():
    raw = load("003_cf84c1753290a236.txt")
    content = content_of(raw)
    assert content[0] == "North Korean leader Kim Jong Un arrives in Russia ahead of planned meeting with Putin"
    assert content[1].startswith("SEOUL, South Korea (AP) — Accompanied by his top military officers")
    assert content[-1].startswith("Associated Press writers Jim Heintz in Tallinn, Estonia")
    assert content[-1].endswith("contributed.")
    assert len(content) == 32
    # The ". ." tail is cut, the sentence's own stop stays.
    assert any(c.endswith("to those regions with restructuring efforts.") for c in content)


def test_seed_002_junk_and_mid_article_headlines_stay():
    raw = load("002_62e6a9109030a693.txt")
    assert junk_of(raw) == [
        ("follow-prompt", "Follow our liveblog about the war in Ukraine here"),
        ("comment-form", "Leave a Reply"),
    ]
    content = content_of(raw)
    assert content[0].startswith("North Korea launched this Wednesday two ballistic missiles")
    # Lone subheadings between paragraphs stay content (documented in clean.py).
    assert "Images of Kim Jong-un as he leaves for Russia" in content
    assert "Kim Jong-un says visit to Russia shows “strategic importance” of bilateral ties" in content
    assert len(content) == 16


def test_seed_000_junk():
    raw = load("000_df3035f38ce0fb66.txt")
    junk = junk_of(raw)
    assert junk[:2] == [
        ("metadata", "United States Latest News, United States Headlines"),
        (
            "section-heading",
            "Similar News:You can also read news stories similar to this one that we have "
            "collected from other news sources.",
        ),
    ]
    assert [r for r, _ in junk[2:]] == ["teaser", "read-more"] * 5
    assert all(t == "Read more »" for r, t in junk if r == "read-more")
    teasers = [t for r, t in junk if r == "teaser"]
    assert teasers[0].startswith("Moscow and Pyongyang confirm that North Korean leader")
    assert teasers[-1].startswith("Putin invites North Korea's Kim to RussiaAfter declining")


def test_seed_000_body_kept():
    content = content_of(load("000_df3035f38ce0fb66.txt"))
    assert len(content) == 4
    assert content[0].startswith("North Korean leader Kim Jong Un has told Russian President Vladimir Putin")
    assert content[-1].endswith("producing artillery shells and missile, according to South Korea.")


def test_seed_001_junk():
    raw = load("001_3f7603d152ec7591.txt")
    junk = junk_of(raw)
    assert junk[0][0] == "breadcrumb" and junk[0][1].startswith("Current:Home > ContactNorth Korea says")
    assert junk[1:4] == [
        ("metadata", "View"),
        ("metadata", "Date:2025-04-15 03:03:52"),
        ("rating", "veryGood! (44634)"),
    ]
    headings = [t for r, t in junk if r == "section-heading"]
    assert headings == ["Related", "Ranking", "Recommendation"]
    links = [t for r, t in junk if r == "link-list"]
    assert len(links) == 10 + 8 + 8
    assert links[0] == "- Who's hosting 'Saturday Night Live' tonight? Musical guest, how to watch Dec. 14 episode"
    assert "Control of Congress matters. But which party now runs your state might matter more" in links
    assert links[-1] == "Killer Proteins: The Science Of Prions"
    assert len(junk) == 4 + 3 + 26


def test_seed_001_title_and_body_kept():
    content = content_of(load("001_3f7603d152ec7591.txt"))
    assert content[0] == (
        "North Korea says Kim Jong Un is back home from Russia, where he deepened ‘comradely’ ties with Putin"
    )
    assert content[1].startswith("SEOUL, South Korea (AP) — North Korea said Tuesday")
    assert content[-1].startswith("Kim has been pushing hard to bolster his nuclear arsenal")
    assert len(content) == 9


@pytest.mark.parametrize("path", ORIGINALS, ids=lambda p: p.name)
def test_originals_have_no_junk(path):
    raw = path.read_text(encoding="utf-8")
    content, junk = find_junk(raw)
    assert junk == ()
    assert len(content) == len([line for line in raw.splitlines() if line.strip()])


def test_crlf_offsets_and_inline_tails():
    raw = "A headline\r\n\r\nBody text here. Read more »\r\n___\r\n"
    content, junk = find_junk(raw)
    assert [c.text for c in content] == ["A headline", "Body text here."]
    assert [(j.reason, j.text) for j in junk] == [("read-more", "Read more »"), ("separator", "___")]


def test_prose_mentioning_boilerplate_words_is_kept():
    raw = (
        "Related talks will follow next week, officials said.\n"
        "The ministry said it would send updates to your inbox, a spokesman told reporters who had "
        "asked repeatedly about the timing of the talks, the sanctions, the missile launches and "
        "the planned meeting between the two leaders at the cosmodrome.\n"
    )
    content, junk = find_junk(raw)
    assert junk == ()
    assert len(content) == 2


def test_run_of_bare_headlines_is_a_link_list_but_one_is_not():
    raw = "Kim meets Putin\n\nBody paragraph one.\n\nFirst headline here\nSecond headline here\nThird one\n"
    content, junk = find_junk(raw)
    assert [c.text for c in content] == ["Kim meets Putin", "Body paragraph one."]
    assert [j.reason for j in junk] == ["link-list"] * 3


def test_empty_text():
    assert find_junk("") == ((), ())
    assert find_junk(" \n\n ") == ((), ())


def test_chinese_paragraphs_are_content_not_a_link_list():
    """Chinese writes no spaces between words and ends sentences with "。": three Chinese
    paragraphs once counted one word each with no final stop, so they read as a headline list
    and a Chinese source had "no sentences to check"."""
    raw = (
        "图伊奥内托阿当选汤加新首相。\n\n"
        "努库阿洛法消息：南太平洋岛国汤加议会27日选举现任财政和国家规划大臣波希瓦·图伊奥内托阿担任汤加新首相。\n\n"
        "他说，这是一个很好的机会。\n"
    )
    content, junk = find_junk(raw)
    assert junk == ()
    assert [span.text for span in content] == [line for line in raw.split("\n") if line]


def test_word_count_counts_han_characters():
    assert word_count("He said so.") == 3
    assert word_count("他说，这是一个很好的机会。") == 11
    assert word_count("2023年 Kim") == 3
