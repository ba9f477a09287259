"""The word flagger, as a check: runs of candidate words over its thresholds.

Every candidate word of a same-language bead has P(in a Major error) and P(in any error), computed
once per bead into the context by the span tagger (:mod:`mtcheck.spans.tagger`, a cross-encoder
that reads the candidate and its source together; English) or the logistic flagger
(:mod:`mtcheck.spans.model`; any language). Words over the Major threshold become major flags,
words difflib left unmatched over the any-error threshold minor flags, and runs inside one difflib
chunk become one flag whose source counterpart is that chunk's source side. Paraphrases
("spokesman" / "spokesperson") get a low probability; meaning changes ("boarded" / "addressed")
do not.
"""

from __future__ import annotations

import numpy as np

from ..text import quote
from ..types import Flag, FlagKind
from .context import BeadContext, CheckResult, Scope


class LearnedCheck:
    name = "learned"
    needs_pack = False
    kinds: tuple[FlagKind, ...] = ("mistranslation", "addition")
    scopes: frozenset[Scope] = frozenset({"same-language"})

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        pair, evidence, scores = context.same_language()
        cand, th = pair.cand, scores.thresholds
        p_major, p_any = scores.p_major, scores.p_any
        n = len(cand.words)
        flags: list[Flag] = []
        # major: the Major head over its threshold; minor: only words difflib left unmatched
        sev = np.where(p_major >= th["major"], 2, np.where((p_any >= th["minor"]) & ~pair.loose, 1, 0))
        sev[list(claimed)] = 0
        sev[pair.loose & ~pair.exact] = 0  # case, punctuation or spelling variants only
        for k in evidence.num_ok:
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
            kind: FlagKind
            if tag == "delete" or counterpart is None:
                kind, msg = "addition", f"{quote(cspan.text)} has no counterpart in the source"
            else:
                kind, msg = "mistranslation", f"{quote(cspan.text)} where the source has {quote(counterpart.text)}"
            flags.append(
                Flag(kind, "major" if level == 2 else "minor", cspan, counterpart, min(1.0, score), msg, context.bead)
            )
            k = j
        return CheckResult(tuple(flags))
