"""Checks and flags for a bead whose source and candidate are in two languages.

Without a shared vocabulary difflib has nothing to align and the learned flagger was not trained
for it, so only checks that survive translation run: numbers written in digits, names (Latin-script
words of a non-Latin source; multi-word names of a Latin-script one), negation present on one side
only, and words in another script than the candidate's. Each is a weak signal on its own, so most
flags are minor, and those with no clear counterpart point at the whole source sentence.
"""

from __future__ import annotations

import difflib
import re

from ..numbers import extract_numbers, number_keys
from ..types import Flag, Span
from .checks import NEGATION_CUES, negation_count, zh_negations
from .flags import quote
from .foreign import foreign_words
from .words import Side, base_language, fold, is_stop, main_script, sentence_initial, strip_punct


def cross_language_flags(cand: Side, src: Side, bead_index: int, source_language: str | None,
                         candidate_language: str | None) -> list[Flag]:
    """Number, name, negation and script checks for a pair in two languages, sorted by offset."""
    src_span = src.span(0, len(src.text)) if src.text else None
    src_script = main_script(src.text)
    flags = _number_flags(cand, src, src_span, src_script, bead_index)
    if src_script != "latin":
        flags += _kept_latin_word_flags(cand, src, bead_index)
    else:
        flags += _name_flags(cand, src, src_span, bead_index)
    flags += _negation_flags(cand, src, src_span, src_script, source_language, candidate_language, bead_index)
    # words in another script than the candidate's
    src_bag = {strip_punct(w).lower() for w in src.text.split()}
    for k, level in foreign_words(cand, src_bag, None, english=False).items():
        if level == "major":
            cspan = cand.words_span(k, k + 1)
            flags.append(Flag("untranslated", "major", cspan, src_span, 0.8,
                              f"{quote(cspan.text)} is in another script than the rest of the text", bead_index))
    flags.sort(key=lambda f: (f.candidate.start, f.candidate.end))
    return flags


def _number_flags(cand: Side, src: Side, src_span: Span | None, src_script: str, bead: int) -> list[Flag]:
    """Candidate numbers written in digits that are not among any number the source writes."""
    flags: list[Flag] = []
    src_keys = number_keys(src.text, words=(src_script == "latin"))
    for m in extract_numbers(cand.text):
        if m.written_in_digits and m.key not in src_keys:
            if re.fullmatch(r"\d{1,2}", m.key) and int(m.key) <= 12 and not re.search(r"\d", src.text):
                continue  # small numbers are often written as words in the source
            cspan = cand.span(m.start, m.end)
            flags.append(Flag("number", "major", cspan, src_span, 0.7,
                              f"number {quote(cspan.text)} does not appear in the source", bead))
    return flags


def _kept_latin_word_flags(cand: Side, src: Side, bead: int) -> list[Flag]:
    """Latin-script words a non-Latin source writes (names, acronyms) should survive translation."""
    flags: list[Flag] = []
    cand_lower = cand.text.lower()
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9.&'-]*[A-Za-z0-9]", src.text):
        word = m.group()
        if len(word) >= 2 and word.lower() not in cand_lower:
            sspan = src.span(m.start(), m.end())
            cspan = cand.span(0, len(cand.text))
            flags.append(Flag("name", "minor", cspan, sspan, 0.5,
                              f"the source's {quote(word)} does not appear in the candidate", bead))
    return flags


def _name_flags(cand: Side, src: Side, src_span: Span | None, bead: int) -> list[Flag]:
    """Multi-word names in the candidate ("Hirokazu Matsuno") with no similar word in the source.

    Single capitalised words are left alone: across languages, countries, days and institutions
    are translated ("Korea"/"Coreia", "Wednesday"/"quarta-feira"), and a check on them is noise.
    A name whose every part has no similar source word (accents folded, difflib ratio >= 0.6) is
    flagged; one similar part (in any source word) is enough to trust it ("Joint Chiefs" / "Estado-Maior Conjunto").
    """
    # every source word, split at hyphens, any case: "sul-coreanos" vouches for "South Korean"
    src_words = {fold(w) for w in re.findall(r"[^\W\d_]+", src.text)}
    if not src_words:
        return []

    def similar(word: str) -> bool:
        folded = fold(word)
        return any(difflib.SequenceMatcher(None, folded, s).ratio() >= 0.6 for s in src_words)

    flags: list[Flag] = []
    k, n = 0, len(cand.words)
    while k < n:
        run = k
        while run < n and _is_name_word(cand, run):
            run += 1
        if run - k >= 2 and not any(similar(strip_punct(cand.word(i))) for i in range(k, run)):
            cspan = cand.words_span(k, run)
            flags.append(Flag("name", "minor", cspan, src_span, 0.4,
                              f"name {quote(cspan.text)} has no similar name in the source", bead))
        k = max(run, k + 1)
    return flags


def _is_name_word(side: Side, k: int) -> bool:
    core = strip_punct(side.word(k))
    return len(core) >= 2 and core[0].isupper() and not is_stop(core) and not sentence_initial(side, k)


def _negation_flags(cand: Side, src: Side, src_span: Span | None, src_script: str,
                    source_language: str | None, candidate_language: str | None, bead: int) -> list[Flag]:
    """One side negates and the other has no negation at all (sources in languages without a cue
    list are not judged)."""
    s_lang = base_language(source_language)
    c_lang = base_language(candidate_language or "en")
    cw = [cand.word(k) for k in range(len(cand.words))]
    c_hits = negation_count(cw, NEGATION_CUES.get(c_lang, NEGATION_CUES["en"]))
    if src_script == "cjk" or s_lang.startswith("zh"):
        s_count = len(zh_negations(src.text))
    elif s_lang in NEGATION_CUES:
        s_count = len(negation_count([src.word(k) for k in range(len(src.words))], NEGATION_CUES[s_lang]))
    else:
        return []
    flags: list[Flag] = []
    if c_hits and s_count == 0:
        for k in c_hits:
            cspan = cand.words_span(k, k + 1)
            flags.append(Flag("negation", "minor", cspan, src_span, 0.5,
                              f"negation {quote(cspan.text)} but the source has none", bead))
    elif s_count and not c_hits:
        cspan = cand.span(0, len(cand.text))
        flags.append(Flag("negation", "minor", cspan, src_span, 0.5,
                          "the source has a negation and the candidate has none", bead))
    return flags
