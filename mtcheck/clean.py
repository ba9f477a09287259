"""Page-junk detection for plain text scraped from news pages.

A block is one line. Each block is first judged on its own (phrase patterns for common
boilerplate, the shape of the line), then in context (the teaser above a "Read more" link,
the headline lists after a "Related" heading, runs of bare headlines), and finally a content
block may lose a junk tail such as a trailing "___" or ". . ." run.

Nothing is dropped silently: every non-whitespace character of the input ends up in exactly
one content block or one :class:`~mtcheck.types.Junk` item, whose ``reason`` names the rule.

Known limits, on purpose: a lone headline-shaped line between body paragraphs (a mid-article
subheading such as "Images of Kim Jong-un as he leaves for Russia") stays content, because
it cannot be told from an article title by shape alone; the aligner reports it as an insertion
if the other side lacks it. A bulleted list of three or more unpunctuated items inside an
article is taken for a link list.
"""

from __future__ import annotations

import re

from .text import word_count
from .types import Junk, Span

# Block-level rules: (reason, pattern, most words a matching line may have). The word limit
# keeps a phrase that also occurs in prose ("... in your inbox") from condemning a paragraph.
_I = re.IGNORECASE
_LINE_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("read-more", re.compile(r"^(read|see|view) (more|the full (story|article))\b\W*$|^continue reading\b\W*$", _I), 6),
    (
        "comment-form",
        re.compile(
            r"^(leave|post|add|write) a (reply|comment)\b|^\d+ (comments?|replies)$|^comments?$"
            r"|your email address will not be published|required fields are marked",
            _I,
        ),
        20,
    ),
    (
        "newsletter",
        re.compile(
            # "^(?>.*?" commits to the first "newsletter": a plain search retried ".*" from every
            # occurrence, quadratic on a long one-word line ("newsletter," * 16000: 17 s).
            r"\b(in|to) your inbox\b|^(?>.*?\bnewsletters?\b).*\b(sign up|subscribe)"
            r"|\b(sign up|subscribe) (for|to) (our|the)\b|\bdo not miss our news\b",
            _I,
        ),
        30,
    ),
    ("loading", re.compile(r"^loading\b[\w\s]{0,40}(\s*(\.|…)){2,}\s*$|^loading\W*$", _I), 8),
    (
        "ad-block-notice",
        re.compile(
            r"\bad[- ]?block(er|ing)?\b|\bthanks to our (\w+ )?advertisers\b"
            r"|^advertisement$|^sponsored( content)?$",
            _I,
        ),
        60,
    ),
    (
        "follow-prompt",
        re.compile(r"^follow (us|@?\w+) on\b|^follow our \w+.*\bhere\W*$|^(like|follow) us\b|^share (this|on)\b", _I),
        14,
    ),
    ("breadcrumb", re.compile(r"^(current:\s*)?home\s*[>»›/|]|^you are here\s*:", _I), 60),
    (
        "metadata",
        re.compile(
            r"^(date|posted|published|updated|last updated|source|tags?|categor(y|ies)|filed under)\s*:"
            r"|^\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d)?)?$|^(view|views|share|print|email|tweet|reply|menu)$"
            r"|\blatest news\b.*\bheadlines$",
            _I,
        ),
        16,
    ),
    ("rating", re.compile(r"^[a-z][a-z ]{1,30}!\s*\(\d[\d,.]*\)$|^[★☆\s]+$|^(rated|rating)\s*:", _I), 6),
    (
        "section-heading",
        re.compile(
            r"^(related( (news|articles|stories|posts|content|coverage))?|ranking|recommendations?|recommended"
            r"|trending( now)?|most (read|popular|viewed)|popular( posts)?|more (stories|news)"
            r"|you may also like|read (also|next)|see also|similar news)\s*:?\s*$|^similar news\s*:",
            _I,
        ),
        24,
    ),
)

# Only punctuation, symbols or exotic whitespace (NBSP, zero-width space): "___", ". . .".
_SEPARATOR = re.compile(r"^[\W_]*$")
# Markers of a link-list item: "- Headline", "• Headline".
_LIST_ITEM = re.compile(r"^[-•*–—]\s+\S")
# A line ending like a sentence: final stop, optionally inside closing quotes or brackets.
_FINAL_STOP = re.compile(r"[.!?…:;,。！？；：，][\"'”’»)\]」』）]*$")
# Junk tails inside a content block: a run of spaced dots after a final stop ("efforts. . .")
# or of rule characters ("___"), and a trailing read-more link. The separator pattern is
# matched at the start of the *reversed* block: the search for "(?<=[.!?])(?:\s+\.){2,}\s*$"
# that it mirrors restarted at every dot of a long ". . . ." run, quadratic (5 s for a 32 KB
# line, hours for a 5 MB one). Same tails either way; flag True marks a reversed pattern.
_TAILS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("separator", re.compile(r"\s*(?:\.\s+){2,}(?=[.!?])|\s*[_=*~-]{3,}(?=\s)"), True),
    ("read-more", re.compile(r"(?<=\s)(read more|continue reading)\W*$", _I), False),
)
# ASCII whitespace only: a line holding just an NBSP is a block, reported as a separator.
_ASCII_SPACE = " \t\r\n\f\v"
_HEADLINE_MAX_WORDS = 25
_RUN_MIN = 3


def find_junk(raw: str) -> tuple[tuple[Span, ...], tuple[Junk, ...]]:
    """Split a scraped page into content blocks and page junk.

    Args:
        raw: the page text as read.

    Returns:
        The content blocks (trimmed lines, offsets into ``raw``) and the junk items (offsets
        into ``raw``, each with the ``reason`` that caught it), both in reading order.
    """
    blocks = _blocks(raw)
    texts = [raw[s:e] for s, e in blocks]
    reasons: list[str | None] = [_line_reason(t) for t in texts]
    _mark_teasers(reasons)
    _mark_lists(texts, reasons)
    content: list[Span] = []
    junk: list[Junk] = []
    for (start, end), reason in zip(blocks, reasons):
        if reason is not None:
            junk.append(Junk(start, end, raw[start:end], reason))
            continue
        body_end, tail = _split_tail(raw, start, end)
        if body_end > start:
            content.append(Span.of(raw, start, body_end))
        if tail is not None:
            junk.append(tail)
    junk.sort(key=lambda j: j.start)
    return tuple(content), tuple(junk)


def _blocks(raw: str) -> list[tuple[int, int]]:
    """(start, end) of every line that is not blank, trimmed of surrounding whitespace."""
    blocks = []
    # A lone CR ends a line too (old Mac files; io.py keeps line endings as they are): matching
    # only "\n" made a whole CR-only page one block, with sentences running across lines.
    for match in re.finditer(r"[^\r\n]+", raw):
        line = match.group()
        inner = line.strip(_ASCII_SPACE)
        if not inner:
            continue
        start = match.start() + len(line) - len(line.lstrip(_ASCII_SPACE))
        if inner.strip():  # trim Unicode whitespace too, unless it is all there is
            start += len(inner) - len(inner.lstrip())
            inner = inner.strip()
        blocks.append((start, start + len(inner)))
    return blocks


def _line_reason(text: str) -> str | None:
    """The rule a line matches on its own, or None for content."""
    if _SEPARATOR.match(text):
        return "separator"
    for reason, pattern, max_words in _LINE_RULES:
        if word_count(text) <= max_words and pattern.search(text):
            return reason
    return None


def _is_headline(text: str) -> bool:
    """Shaped like a headline or a list item: short, and a headline has no final stop.

    A stop inside is allowed ("Control of Congress matters. But which party ... more"): link
    lists carry such two-part headlines, and the word limit keeps paragraphs out.
    """
    if word_count(text) > _HEADLINE_MAX_WORDS:
        return False
    return _LIST_ITEM.match(text) is not None or not _FINAL_STOP.search(text)


def _mark_teasers(reasons: list[str | None]) -> None:
    """The content line just above a "Read more" link is that link's teaser."""
    for i in range(1, len(reasons)):
        if reasons[i] == "read-more" and reasons[i - 1] is None:
            reasons[i - 1] = "teaser"


def _mark_lists(texts: list[str], reasons: list[str | None]) -> None:
    """Headline lists: after a section heading, and runs of bare headlines or list items."""
    i = 0
    while i < len(texts):
        if reasons[i] == "section-heading":
            # Everything headline-shaped up to the next heading or body paragraph.
            j = i + 1
            while j < len(texts) and reasons[j] is None and _is_headline(texts[j]):
                reasons[j] = "link-list"
                j += 1
            i = j
            continue
        j = i
        while j < len(texts) and reasons[j] is None and _is_headline(texts[j]):
            j += 1
        if j - i >= _RUN_MIN:
            for k in range(i, j):
                reasons[k] = "link-list"
        i = max(j, i + 1)


def _split_tail(raw: str, start: int, end: int) -> tuple[int, Junk | None]:
    """Where a content block's body ends, and the junk tail after it, if any."""
    text = raw[start:end]
    for reason, pattern, reversed_ in _TAILS:
        if reversed_:
            match = pattern.match(text[::-1])
            at = None if match is None else len(text) - match.end()
        else:
            match = pattern.search(text)
            at = None if match is None else match.start()
        if at is None:
            continue
        tail_start = start + at
        body_end = start + len(text[:at].rstrip())
        tail_start += len(raw[tail_start:end]) - len(raw[tail_start:end].lstrip())
        return body_end, Junk(tail_start, end, raw[tail_start:end], reason)
    return end, None
