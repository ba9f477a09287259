"""Source content words with no counterpart in the candidate, flagged where they are missing."""

from __future__ import annotations

from ..spans.words import is_punct
from ..text import quote
from ..types import Flag, FlagKind
from .context import BeadContext, CheckResult, Scope


class OmissionCheck:
    name = "omission"
    needs_pack = True
    kinds: tuple[FlagKind, ...] = ("omission",)
    scopes: frozenset[Scope] = frozenset({"same-language"})

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        if context.pack is None:
            return CheckResult()  # without the language's stopwords every word looks like content
        pair, evidence, scores = context.same_language()
        cand, src = pair.cand, pair.src
        n = len(cand.words)
        dropped_negations = {j for _, _, _, j in evidence.neg if j is not None}
        flags: list[Flag] = []
        for tag, i1, _i2, j1, j2 in pair.opcodes:
            if tag != "insert":
                continue
            content = [j for j in range(j1, j2) if not context.is_stop(src.word(j)) and not is_punct(src.word(j))]
            if not content:
                continue
            if any(j in dropped_negations for j in range(j1, j2)):
                continue  # already reported as a dropped negation
            sspan = src.words_span(j1, j2)
            at = cand.words[i1][0] if i1 < n else cand.words[-1][1]
            cspan = cand.span(at, at)
            major = len(content) >= scores.thresholds.get("omission_major_words", 5)
            score = min(0.95, 0.3 + 0.15 * len(content))
            flags.append(
                Flag(
                    "omission",
                    "major" if major else "minor",
                    cspan,
                    sspan,
                    score,
                    f"the source's {quote(sspan.text)} is missing here",
                    context.bead,
                )
            )
        return CheckResult(tuple(flags))
