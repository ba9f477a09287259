"""Numbers, times and dates that differ after normalisation ("580" for "680"; "7 p.m." = "19:00";
"Tuesday" for "Monday").

A rule finds these with few false alarms, and the learned flagger, which only sees word
similarity, underrates them: "580" for "680" is one changed character. Same-language beads compare
every number; cross-language beads only numbers written in digits (words are translated).
"""

from __future__ import annotations

import re

from ..lang import LanguagePack
from ..numbers import NumberWords, extract_numbers, number_keys
from ..spans.pair import Pair
from ..spans.words import sentence_initial, strip_punct
from ..text import quote
from ..types import Flag, FlagKind
from .context import BeadContext, CheckResult, Scope


def number_evidence(
    pair: Pair, words: NumberWords | None, nearby_source: str = ""
) -> tuple[tuple[tuple[int, int, str], ...], tuple[int, ...]]:
    """(numbers the source lacks as (start, end, key), digit words whose value the source has in
    another form) for a same-language pair; ``words`` reads the language's number words. A
    number the neighbouring source sentences have (``nearby_source``) is not lacking."""
    cand = pair.cand
    cw = cand.word_texts()
    src_keys = number_keys(pair.src.text, words=words)
    nearby_keys = number_keys(nearby_source, words=words) if nearby_source else set()
    bad: list[tuple[int, int, str]] = []
    ok: list[int] = []
    for m in extract_numbers(cand.text, words=words):
        ks = [k for k, (ws, we) in enumerate(cand.words) if ws < m.end and we > m.start]
        if m.key not in src_keys:
            if m.key not in nearby_keys:
                bad.append((m.start, m.end, m.key))
        elif m.written_in_digits and all(
            not strip_punct(cw[k]).isalpha() or strip_punct(cw[k]).lower() in ("am", "pm", "oclock", "o'clock", "hrs")
            for k in ks
        ):
            ok.extend(ks)
    return tuple(bad), tuple(ok)


def calendar_evidence(pair: Pair, pack: LanguagePack | None) -> tuple[tuple[int, int, str], ...]:
    """Weekday and month names of the candidate that the source has another one of ("Tuesday"
    where the source has "Monday"), as (start, end, key). Only capitalised words count, and a
    month only when not sentence-initial ("May" opens sentences as a verb, "march" walks)."""
    if pack is None:
        return ()
    out = []
    for table, what in ((pack.weekdays, "weekday"), (pack.months, "month")):
        src_names = {table[k] for w in pair.src.word_texts() if (k := _calendar_key(w)) in table}
        if not src_names:
            continue  # nothing to compare with: the source may give the date another way
        for i, (ws, _) in enumerate(pair.cand.words):
            word = pair.cand.word(i)
            key = _calendar_key(word)
            if key not in table or table[key] in src_names:
                continue
            if not strip_punct(word)[:1].isupper() or (what == "month" and sentence_initial(pair.cand, i)):
                continue
            core = strip_punct(word)
            start = ws + word.index(core)
            out.append((start, start + len(core), f"{what}:{table[key]}"))
    return tuple(out)


def _calendar_key(word: str) -> str:
    return strip_punct(word).lower().rstrip(".")


class NumberCheck:
    name = "number"
    needs_pack = False
    kinds: tuple[FlagKind, ...] = ("number",)
    scopes: frozenset[Scope] = frozenset({"same-language", "cross-language"})

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        if context.scope == "cross-language":
            return CheckResult(tuple(_cross_language_flags(context)))
        pair, evidence, scores = context.same_language()
        cand = pair.cand
        flags: list[Flag] = []
        taken = set(claimed)
        for s, e, _key in evidence.num_bad:
            ks = [k for k, (ws, we) in enumerate(cand.words) if ws < e and we > s]
            if not ks or taken.intersection(ks):
                continue
            taken.update(ks)
            counterpart = pair.source_chunk(ks[0])
            cspan = cand.span(s, e)
            score = float(max(0.6, scores.p_major[ks].max()))
            what = "date" if _key.startswith(("weekday:", "month:")) else "number"
            msg = (
                f"{what} {quote(cspan.text)} where the source has {quote(counterpart.text)}"
                if counterpart
                else f"{what} {quote(cspan.text)} does not appear in the source"
            )
            flags.append(Flag("number", "major", cspan, counterpart, score, msg, context.bead))
        return CheckResult(tuple(flags), frozenset(taken - claimed))


def _cross_language_flags(context: BeadContext) -> list[Flag]:
    """Candidate numbers that are not among any number the source writes: digits always, and
    numbers written as words when both languages have a pack ("three" where the source has
    "dois")."""
    cand, src = context.candidate, context.source
    src_span = src.whole()
    flags: list[Flag] = []
    src_words = context.source_pack.number_mentions if context.source_pack is not None else None
    cand_words = context.candidate_pack.number_mentions if context.candidate_pack is not None and src_words else None
    src_keys = number_keys(src.text, words=src_words)
    for m in extract_numbers(cand.text, words=cand_words):
        if m.key not in src_keys:
            if (
                src_words is None
                and re.fullmatch(r"\d{1,2}", m.key)
                and int(m.key) <= 12
                and not re.search(r"\d", src.text)
            ):
                continue  # small numbers are often written as words in a source we cannot read
            cspan = cand.span(m.start, m.end)
            flags.append(
                Flag(
                    "number",
                    "major",
                    cspan,
                    src_span,
                    0.7,
                    f"number {quote(cspan.text)} does not appear in the source",
                    context.bead,
                )
            )
    return flags
