"""The word flagger, as a check: runs of candidate words over its thresholds.

Every candidate word of a same-language bead has P(in a Major error) and P(in any error), computed
once per bead into the context by the span tagger (:mod:`mtcheck.spans.tagger`, a cross-encoder
that reads the candidate and its source together; English) or the logistic flagger
(:mod:`mtcheck.spans.model`; any language). Words over the Major threshold become major flags,
words difflib left unmatched over the any-error threshold minor flags, and runs inside one difflib
chunk become one flag whose source counterpart is that chunk's source side. Paraphrases
("spokesman" / "spokesperson") get a low probability; meaning changes ("boarded" / "addressed")
do not.

With an "extend" threshold (the span tagger sets one, the logistic flagger does not), a flag also
takes in up to EXTEND_REACH words on either side that the source has too, where the flagger still
rates each one's P(any error) at least that high: a reader, like an MQM rater, marks the phrase
("green-and-yellow armored exercise"), not only its changed word; it does not start or end on a
function word it took in. Such words are never flagged on their own.
"""

from __future__ import annotations

import numpy as np

from ..spans.pair import Pair
from ..text import quote
from ..types import Flag, FlagKind, Span
from .context import BeadContext, CheckResult, Scope

#: How many words the source has too a flag may take in on either side (see "extend" above).
EXTEND_REACH = 2


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
        # Words the source has (as written, or in a case, punctuation or spelling variant: difflib's
        # "equal" chunks, pair.loose) are never flagged on their own: the model sometimes rates them
        # high next to a change ("believes Kim's exercise"), but a flag on a match confuses more
        # than it helps (dropping these moved the tuning half's Major F1 by -0.0006, tau by +0.0002);
        # with "extend" they can join a neighbouring flag instead.
        sev[pair.loose] = 0
        sev[list(claimed)] = 0
        for k in evidence.num_ok:
            sev[k] = 0  # "19. 00" for "7 p.m.": the same time, written differently
        # words a flag may take in at its edges: ones the source has, no other check claimed, and
        # the flagger rates at the "extend" threshold
        extendable = pair.loose & (sev == 0) & (p_any >= th.get("extend", np.inf))
        extendable[list(claimed)] = False
        words = cand.word_texts()
        k = 0
        while k < n:
            if sev[k] == 0:
                k += 1
                continue
            j = k + 1
            while j < n and sev[j] > 0 and pair.chunk_of[j] == pair.chunk_of[k]:
                j += 1
            lo, hi = k, j
            while lo > max(0, k - EXTEND_REACH) and extendable[lo - 1]:
                lo -= 1
            while hi < min(n, j + EXTEND_REACH) and extendable[hi]:
                hi += 1
            extendable[lo:hi] = False  # a word joins one flag at most
            while lo < k and context.is_stop(words[lo]):  # no function word at either end
                lo += 1
            while hi > j and context.is_stop(words[hi - 1]):
                hi -= 1
            level = int(sev[k:j].max())
            ks = list(range(k, j))
            tag = pair.opcodes[pair.chunk_of[k]][0]
            cspan = cand.words_span(lo, hi)
            counterpart = _widened(pair, k, lo, hi)
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


def _widened(pair: Pair, k: int, lo: int, hi: int) -> Span | None:
    """The source side of candidate word ``k``'s chunk, widened by the source words matching the
    candidate words ``lo``..``hi`` - 1 that lie outside the chunk; None for an added chunk."""
    counterpart = pair.source_chunk(k)
    if counterpart is None:
        return None
    _, i1, i2, j1, j2 = pair.opcodes[pair.chunk_of[k]]
    src = [j for i in (*range(lo, i1), *range(i2, hi)) if (j := pair.source_word(i)) is not None]
    return pair.src.words_span(min([j1, *src]), max([j2, *(j + 1 for j in src)]))
