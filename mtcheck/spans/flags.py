"""Turning a same-language pair's check hits and word probabilities into :class:`Flag` objects.

Order matters: precise checks claim their words first, because "number 580 where the source has
680" tells an editor more than "580 probably does not fit"; the learned flagger then reports runs of
words above its thresholds inside one difflib chunk; omissions (source-only content words) come
last. Every flag's message quotes the words, since a one-line message is all a report shows.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..text import shorten
from ..types import Flag, Span
from .foreign import foreign_words
from .pair import Pair
from .vectors import word_pieces_of
from .words import Side, base_language, is_punct, is_stop


def quote(text: str, limit: int = 60) -> str:
    """``text`` on one line in double quotes, cut with "…" past ``limit`` characters."""
    return f'"{shorten(text, limit)}"'


def _untranslated_flag(cand: Side, k: int, level: str, source: Span | None, bead: int,
                       p_major: float = 0.0) -> Flag:
    """The flag for candidate word ``k`` found in another language; a major finding is at least
    0.6 confident and a minor one 0.3, whatever the learned flagger thinks of the word."""
    cspan = cand.words_span(k, k + 1)
    return Flag("untranslated", level, cspan, source, float(max(0.6 if level == "major" else 0.3, p_major)),
                f"{quote(cspan.text)} looks like another language than the rest of the text", bead)


def untranslated_flags(candidate_raw: str, candidate_spans: Sequence[Span], *, bead_index: int,
                       language: str, embedder=None) -> list[Flag]:
    """"untranslated" flags for words in another language or script, in candidate text alone.

    The same check and flags as the same-language path, with no source to excuse a word: for
    candidate sentences no source sentence was aligned to (insertion beads).

    Args:
        candidate_raw: the raw candidate text; ``candidate_spans`` are offsets into it.
        candidate_spans: the sentences to check, treated as one text (joined by a space).
        bead_index: the bead the flags belong to.
        language: the candidate's language code ("en", "en-GB", ...). Only English texts are
            checked for Latin-script words of other languages; every text for another script.
        embedder: the Embedder the rest of the check uses, if any; a TokenEmbedder's subword
            vocabulary is what lets an all-ASCII word ("disienten") be judged. Without it, only words with accented
            letters or in another script are found.

    Returns:
        the flags, sorted by candidate offset, with offsets into ``candidate_raw``.
    """
    cand = Side.build(candidate_raw, candidate_spans)
    if not cand.words:
        return []
    english = base_language(language) == "en"
    found = foreign_words(cand, set(), word_pieces_of(embedder), english=english)
    return [_untranslated_flag(cand, k, level, None, bead_index) for k, level in found.items()]


def same_language_flags(pair: Pair, p_major: np.ndarray, p_any: np.ndarray,
                        th: Mapping[str, float], bead: int) -> list[Flag]:
    """All flags of one same-language pair, sorted by candidate offset.

    Args:
        pair: the aligned pair, its checks run.
        p_major: per candidate word, P(in a Major error); p_any: P(in any error).
        th: the "major" and "minor" probability thresholds (and optionally "omission_major_words").
        bead: the bead index the flags belong to.
    """
    taken = np.zeros(len(pair.cand.words), dtype=bool)  # words a flag already covers
    flags = _precise_flags(pair, p_major, p_any, th, bead, taken)
    flags += _learned_flags(pair, p_major, p_any, th, bead, taken)
    flags += _omission_flags(pair, th, bead)
    flags.sort(key=lambda f: (f.candidate.start, f.candidate.end))
    return flags


def _precise_flags(pair: Pair, p_major: np.ndarray, p_any: np.ndarray, th: Mapping[str, float],
                   bead: int, taken: np.ndarray) -> list[Flag]:
    """Numbers, negations, untranslated words and names; marks their words in ``taken``."""
    cand, src, hits = pair.cand, pair.src, pair.checks
    flags: list[Flag] = []

    def words_of(s: int, e: int) -> list[int]:
        return [k for k, (ws, we) in enumerate(cand.words) if ws < e and we > s]

    for s, e, key in hits.num_bad:
        ks = words_of(s, e)
        if not ks or taken[ks].any():
            continue
        taken[ks] = True
        counterpart = pair.source_chunk(ks[0])
        cspan = cand.span(s, e)
        score = float(max(0.6, p_major[ks].max()))
        msg = (f"number {quote(cspan.text)} where the source has {quote(counterpart.text)}" if counterpart
               else f"number {quote(cspan.text)} does not appear in the source")
        flags.append(Flag("number", "major", cspan, counterpart, score, msg, bead))
    for kind_, i1, i2, j in hits.neg:
        ks = [k for k in range(i1, i2) if not taken[k]]
        if not ks:
            continue
        taken[ks] = True
        cspan = cand.words_span(ks[0], ks[-1] + 1)
        if kind_ == "added":
            msg = f"negation {quote(cspan.text)} added: the source has no negation here"
            counterpart = pair.source_chunk(ks[0])
        else:
            counterpart = src.words_span(j, j + 1)
            msg = f"negation dropped: the source has {quote(counterpart.text)}, the candidate {quote(cspan.text)}"
        flags.append(Flag("negation", "major", cspan, counterpart, float(max(0.7, p_major[ks].max())), msg, bead))
    for k, level in hits.foreign.items():
        if taken[k]:
            continue
        taken[k] = True
        flags.append(_untranslated_flag(cand, k, level, pair.source_chunk(k), bead, p_major[k]))
    for k in hits.name_bad:
        if taken[k] or max(p_major[k] / th["major"], p_any[k] / th["minor"]) < 1.0:
            continue  # a name check alone is not precise enough; it needs the model's support
        taken[k] = True
        cspan = cand.words_span(k, k + 1)
        counterpart = pair.source_chunk(k)
        sev = "major" if p_major[k] >= th["major"] else "minor"
        msg = (f"name {quote(cspan.text)} where the source has {quote(counterpart.text)}" if counterpart
               else f"name {quote(cspan.text)} does not appear in the source")
        flags.append(Flag("name", sev, cspan, counterpart, float(p_major[k] if sev == "major" else p_any[k]),
                          msg, bead))
    return flags


def _learned_flags(pair: Pair, p_major: np.ndarray, p_any: np.ndarray, th: Mapping[str, float],
                   bead: int, taken: np.ndarray) -> list[Flag]:
    """Runs of words over the learned flagger's thresholds inside one difflib chunk, one flag each."""
    cand = pair.cand
    n = len(cand.words)
    flags: list[Flag] = []
    # major: the Major head over its threshold; minor: only words difflib left unmatched
    sev = np.where(p_major >= th["major"], 2, np.where((p_any >= th["minor"]) & ~pair.loose, 1, 0))
    sev[taken] = 0
    sev[pair.loose & ~pair.exact] = 0  # case, punctuation or spelling variants only
    for k in pair.checks.num_ok:
        sev[k] = 0  # "19. 00" for "7 p.m.": the same time, written differently
    k = 0
    while k < n:
        if sev[k] == 0:
            k += 1
            continue
        j = k + 1
        while j < n and sev[j] > 0 and pair.chunk_of[j] == pair.chunk_of[k]:
            j += 1
        level = int(sev[k:j].max())
        ks = list(range(k, j))
        tag = pair.opcodes[pair.chunk_of[k]][0]
        if tag == "equal":
            # Words the source has verbatim: the model sometimes rates them high next to a change
            # ("believes Kim's exercise"), but a flag on an exact match confuses more than it helps;
            # dropping these moved the tuning half's Major F1 by -0.0006 and tau by +0.0002.
            k = j
            continue
        cspan = cand.words_span(k, j)
        counterpart = pair.source_chunk(k)
        # confidence that the words changed the meaning: the Major head, for both severities
        score = float(p_major[ks].max())
        if tag == "delete" or counterpart is None:
            kind, msg = "addition", f"{quote(cspan.text)} has no counterpart in the source"
        else:
            kind, msg = "mistranslation", f"{quote(cspan.text)} where the source has {quote(counterpart.text)}"
        flags.append(Flag(kind, "major" if level == 2 else "minor", cspan, counterpart, min(1.0, score), msg, bead))
        k = j
    return flags


def _omission_flags(pair: Pair, th: Mapping[str, float], bead: int) -> list[Flag]:
    """Source-only content words, flagged at the place in the candidate where they are missing."""
    cand, src = pair.cand, pair.src
    n = len(cand.words)
    dropped_negations = {j for _, _, _, j in pair.checks.neg if j is not None}
    flags: list[Flag] = []
    for tag, i1, i2, j1, j2 in pair.opcodes:
        if tag != "insert":
            continue
        content = [j for j in range(j1, j2) if not is_stop(src.word(j)) and not is_punct(src.word(j))]
        if not content:
            continue
        if any(j in dropped_negations for j in range(j1, j2)):
            continue  # already reported as a dropped negation
        sspan = src.words_span(j1, j2)
        at = cand.words[i1][0] if i1 < n else cand.words[-1][1]
        cspan = cand.span(at, at)
        major = len(content) >= th.get("omission_major_words", 5)
        score = min(0.95, 0.3 + 0.15 * len(content))
        flags.append(Flag("omission", "major" if major else "minor", cspan, sspan, score,
                          f"the source's {quote(sspan.text)} is missing here", bead))
    return flags
