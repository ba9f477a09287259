"""Names with no counterpart in the source ("Hirokazu Matsuno" where the source names someone else).

Same-language beads: a capitalised word, not sentence-initial, with no counterpart anywhere in the
source; on its own not precise enough, so it is flagged only where the learned flagger also rates
the word above a threshold. Cross-language beads: Latin-script words a non-Latin source writes
should survive translation; for a Latin-script source, multi-word candidate names with no similar
source word (single capitalised words are translated too often: "Korea"/"Coreia").
"""

from __future__ import annotations

import difflib
import re

from ..lang import LanguagePack, is_stopword, word_key
from ..spans.pair import Pair
from ..spans.words import Side, fold, main_script, sentence_initial, shares_stem, strip_punct
from ..text import quote
from ..types import Flag, FlagKind, Severity
from .context import BeadContext, CheckResult, Scope


def name_evidence(pair: Pair, src_bag: set[str], pack: LanguagePack | None, nearby_source: str = "") -> tuple[int, ...]:
    """Capitalised, not sentence-initial candidate words with no counterpart anywhere in the
    source or its neighbouring sentences (``src_bag`` holds the words of both)."""
    src_text_lower = f"{pair.src.text} {nearby_source}".lower()
    names = []
    for k in range(len(pair.cand.words)):
        core = strip_punct(pair.cand.word(k))
        if not core or not core[0].isupper() or is_stopword(pack, core) or pair.loose[k]:
            continue
        if sentence_initial(pair.cand, k) or any(ch.isdigit() for ch in core):
            continue
        if core.lower() in src_bag or word_key(pack, core) in src_bag or core.lower() in src_text_lower:
            continue
        if len(core) <= 2 and core.isupper():
            continue  # "TV", "AP": abbreviations of common nouns as often as names
        if any(shares_stem(core, w) for w in src_bag):
            continue  # "South Korean" for "South Korea's": the same name, another form
        names.append(k)
    return tuple(names)


class NameCheck:
    name = "name"
    needs_pack = False
    kinds: tuple[FlagKind, ...] = ("name",)
    scopes: frozenset[Scope] = frozenset({"same-language", "cross-language"})

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        if context.scope == "cross-language":
            if main_script(context.source.text) != "latin":
                return CheckResult(tuple(_kept_latin_word_flags(context)))
            return CheckResult(tuple(_name_flags(context)))
        pair, evidence, scores = context.same_language()
        cand = pair.cand
        (p_major, major), p_any, minor = scores.own_major, scores.p_any, scores.thresholds["minor"]
        flags = []
        taken = set(claimed)
        for k in evidence.name_bad:
            if k in taken or max(p_major[k] / major, p_any[k] / minor) < 1.0:
                continue  # a name check alone is not precise enough; it needs the model's support
            taken.add(k)
            cspan = cand.words_span(k, k + 1)
            counterpart = pair.source_chunk(k)
            sev: Severity = "major" if p_major[k] >= major else "minor"
            msg = (
                f"name {quote(cspan.text)} where the source has {quote(counterpart.text)}"
                if counterpart
                else f"name {quote(cspan.text)} does not appear in the source"
            )
            flags.append(
                Flag(
                    "name",
                    sev,
                    cspan,
                    counterpart,
                    float(p_major[k] if sev == "major" else p_any[k]),
                    msg,
                    context.bead,
                )
            )
        return CheckResult(tuple(flags), frozenset(taken - claimed))


def _kept_latin_word_flags(context: BeadContext) -> list[Flag]:
    """Latin-script words a non-Latin source writes (names, acronyms) should survive translation."""
    cand, src = context.candidate, context.source
    flags: list[Flag] = []
    cand_lower = cand.text.lower()
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9.&'-]*[A-Za-z0-9]", src.text):
        word = m.group()
        if len(word) >= 2 and word.lower() not in cand_lower:
            sspan = src.span(m.start(), m.end())
            cspan = cand.span(0, len(cand.text))
            flags.append(
                Flag(
                    "name",
                    "minor",
                    cspan,
                    sspan,
                    0.5,
                    f"the source's {quote(word)} does not appear in the candidate",
                    context.bead,
                )
            )
    return flags


def _name_flags(context: BeadContext) -> list[Flag]:
    """Multi-word names in the candidate ("Hirokazu Matsuno") with no similar word in the source.

    A name whose every part has no similar source word (accents folded, difflib ratio >= 0.6) is
    flagged; one similar part (in any source word) is enough to trust it ("Joint Chiefs" /
    "Estado-Maior Conjunto").
    """
    cand, src = context.candidate, context.source
    src_span = src.whole()
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
        while run < n and _is_name_word(context, cand, run):
            run += 1
        if run - k >= 2 and not any(similar(strip_punct(cand.word(i))) for i in range(k, run)):
            cspan = cand.words_span(k, run)
            flags.append(
                Flag(
                    "name",
                    "minor",
                    cspan,
                    src_span,
                    0.4,
                    f"name {quote(cspan.text)} has no similar name in the source",
                    context.bead,
                )
            )
        k = max(run, k + 1)
    return flags


def _is_name_word(context: BeadContext, side: Side, k: int) -> bool:
    core = strip_punct(side.word(k))
    return len(core) >= 2 and core[0].isupper() and not context.is_stop(core) and not sentence_initial(side, k)
