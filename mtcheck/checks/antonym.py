"""Antonyms: a candidate word that reverses its source counterpart ("confirmed" / "denied").

A reversal reads as fluent and keeps the sentence's topic, so a model that judges how well a
word fits can rate it a mild change; the meaning is the opposite, so it is a major error. A
candidate word is flagged when a source word in its difflib chunk is one of its antonyms (by
lemma, so "rose" / "fell" and "accepted" / "rejects" count) and the source does not also have
the candidate's own word there ("rise and fall" reordered is no reversal). The pairs come from the
language pack (English: WordNet 3.0 plus a short hand list).
"""

from __future__ import annotations

from ..text import quote
from ..types import Flag, FlagKind
from .context import BeadContext, CheckResult, Scope


class AntonymCheck:
    name = "antonym"
    needs_pack = True
    kinds: tuple[FlagKind, ...] = ("mistranslation",)
    scopes: frozenset[Scope] = frozenset({"same-language"})

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        pack = context.pack
        if pack is None or pack.antonyms is None or pack.lemmas is None or context.alignment is None:
            return CheckResult()
        pair = context.alignment
        cand, src = pair.cand, pair.src
        flags: list[Flag] = []
        taken: set[int] = set()
        for tag, i1, i2, j1, j2 in pair.opcodes:
            if tag != "replace":
                continue
            source_lemmas = {j: pack.lemmas(src.word(j)) for j in range(j1, j2) if not context.is_stop(src.word(j))}
            everything = frozenset().union(*source_lemmas.values()) if source_lemmas else frozenset()
            for i in range(i1, i2):
                word = cand.word(i)
                if i in claimed or context.is_stop(word) or pack.lemmas(word) & everything:
                    continue
                opposite = pack.antonyms(word)
                hits = [j for j, lemmas in source_lemmas.items() if lemmas & opposite]
                if not hits:
                    continue
                cspan, sspan = cand.words_span(i, i + 1), src.words_span(hits[0], hits[0] + 1)
                message = f"{quote(cspan.text)} reverses the source's {quote(sspan.text)}"
                flags.append(Flag("mistranslation", "major", cspan, sspan, 0.9, message, context.bead))
                taken.add(i)
        return CheckResult(tuple(flags), frozenset(taken))
