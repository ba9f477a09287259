"""Words left in another language or script ("disienten", "犹豫" in an English text).

How a word is judged foreign is in :mod:`mtcheck.spans.foreign`. Same-language beads skip words
the source has verbatim; cross-language beads and inserted sentences (no source to excuse a word)
report only the confident, major findings: the minor level also catches rare English words.
"""

from __future__ import annotations

from ..spans.foreign import foreign_words
from ..spans.words import Side, base_language, strip_punct
from ..text import quote
from ..types import Flag, FlagKind, Severity, Span
from .context import BeadContext, CheckResult, Scope


def untranslated_flag(
    cand: Side, k: int, level: Severity, source: Span | None, bead: int, p_major: float = 0.0
) -> Flag:
    """The flag for candidate word ``k`` found in another language; a major finding is at least
    0.6 confident and a minor one 0.3, whatever the learned flagger thinks of the word."""
    cspan = cand.words_span(k, k + 1)
    return Flag(
        "untranslated",
        level,
        cspan,
        source,
        float(max(0.6 if level == "major" else 0.3, p_major)),
        f"{quote(cspan.text)} looks like another language than the rest of the text",
        bead,
    )


class UntranslatedCheck:
    name = "untranslated"
    needs_pack = False
    kinds: tuple[FlagKind, ...] = ("untranslated",)
    scopes: frozenset[Scope] = frozenset({"same-language", "cross-language", "inserted"})

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        cand = context.candidate
        if context.scope == "cross-language":
            src = context.source
            src_span = src.whole()
            src_bag = {strip_punct(w).lower() for w in src.text.split()}
            spans = [
                cand.words_span(k, k + 1)
                for k, level in foreign_words(cand, src_bag, None, english=False).items()
                if level == "major"
            ]
            message = "{} is in another script than the rest of the text"
            return CheckResult(
                tuple(
                    Flag("untranslated", "major", span, src_span, 0.8, message.format(quote(span.text)), context.bead)
                    for span in spans
                )
            )
        if context.scope == "inserted":
            english = base_language(context.candidate_language) == "en"
            found = foreign_words(cand, set(), context.word_pieces, english=english)
            return CheckResult(
                tuple(
                    untranslated_flag(cand, k, level, None, context.bead)
                    for k, level in found.items()
                    if level == "major"
                )
            )
        pair, evidence, scores = context.same_language()
        flags = []
        taken = set(claimed)
        for k, level in evidence.foreign.items():
            if k in taken:
                continue
            taken.add(k)
            flags.append(untranslated_flag(cand, k, level, pair.source_chunk(k), context.bead, scores.p_major[k]))
        return CheckResult(tuple(flags), frozenset(taken - claimed))
