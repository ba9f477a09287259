"""Negation added or dropped: "will not hesitate" -> "will hesitate".

The cues come from each language's pack (mtcheck.lang). Same-language beads: cues present on one
side only, located through the word alignment (an added cue in the candidate; a dropped one where
its source word would stand). Cross-language beads: one side negates and the other has no
negation at all. A language without a pack is not judged (the report says so). Chinese negation
characters are found with a list of common words that contain one without negating anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..spans.pair import Pair
from ..spans.words import base_language, main_script, strip_punct
from ..text import quote
from ..types import Flag, FlagKind
from .context import BeadContext, CheckResult, Scope

# Chinese negation characters, and common words that contain one without negating anything.
_ZH_NEG = "不没未无非别勿莫"
_ZH_NOT_NEG = (
    "不断 不少 不仅 不过 不久 不同 不管 不论 不得不 无论 并非 非常 非洲 未来 别人 别的 特别 区别 "
    "分别 个别 级别 类别 无人机 无线 无数 不已 不禁 莫斯科 莫过于 没有人不 毫无疑问 无疑 不妨 无比 "
    "不料 不光 不只 不然 不但 不外乎 不由得 不停 不时 不利 不良 不足 不安 无限 无偿 非法 未曾"
).split()


def negation_count(words: Sequence[str], cues: frozenset[str]) -> list[int]:
    """Indices of the words that are negation cues (any "n't" form counts, whatever ``cues``)."""
    hits = []
    for k, w in enumerate(words):
        lw = w.lower().replace("’", "'")
        core = strip_punct(lw)
        if core in cues or lw.endswith("n't") or core.endswith("n't") or core == "cannot":
            hits.append(k)
    return hits


def zh_negations(text: str) -> list[int]:
    """Character offsets of the negation characters of a Chinese text."""
    masked = list(text)
    for word in _ZH_NOT_NEG:
        for m in re.finditer(re.escape(word), text):
            for k in range(m.start(), m.end()):
                masked[k] = " "
    return [k for k, ch in enumerate(masked) if ch in _ZH_NEG]


def negation_evidence(
    pair: Pair, cues: frozenset[str], nearby_source: str = "", nearby_candidate: str = ""
) -> tuple[tuple[str, int, int, int | None], ...]:
    """Negation cues present on one side only: added ones in the candidate, dropped ones located
    where their source word would stand. A cue the neighbouring sentences account for (the
    clause moved into the next sentence) is neither added nor dropped."""
    cw = pair.cand.word_texts()
    sw = pair.src.word_texts()
    c_hits, s_hits = negation_count(cw, cues), negation_count(sw, cues)
    # the neighbours' surplus on either side: a cue that moved across a sentence boundary
    nearby = len(negation_count(nearby_candidate.split(), cues)) - len(negation_count(nearby_source.split(), cues))
    if len(c_hits) < len(s_hits) and nearby > 0:
        s_hits = s_hits[: max(len(c_hits), len(s_hits) - nearby)]
    elif len(c_hits) > len(s_hits) and nearby < 0:
        c_hits = c_hits[: max(len(s_hits), len(c_hits) + nearby)]
    out: list[tuple[str, int, int, int | None]] = []
    if len(c_hits) > len(s_hits):
        extra = [k for k in c_hits if not pair.loose[k]] or c_hits
        for k in extra[: len(c_hits) - len(s_hits)]:
            out.append(("added", k, k + 1, None))
    elif len(c_hits) < len(s_hits):
        # source cue words the candidate lacks: locate them through the opcodes
        matched_src: set[int] = set()
        for tag, _i1, _i2, j1, j2 in pair.opcodes:
            if tag == "equal":
                matched_src.update(range(j1, j2))
        missing = [j for j in s_hits if j not in matched_src] or s_hits
        for j in missing[: len(s_hits) - len(c_hits)]:
            i_lo, i_hi = pair.candidate_window(j)
            out.append(("dropped", i_lo, i_hi, j))
    return tuple(out)


class NegationCheck:
    name = "negation"
    needs_pack = True
    kinds: tuple[FlagKind, ...] = ("negation",)
    scopes: frozenset[Scope] = frozenset({"same-language", "cross-language"})

    def run(self, context: BeadContext, claimed: frozenset[int]) -> CheckResult:
        if context.scope == "cross-language":
            return CheckResult(tuple(_cross_language_flags(context)))
        pair, evidence, scores = context.same_language()
        cand, src = pair.cand, pair.src
        flags: list[Flag] = []
        taken = set(claimed)
        for kind, i1, i2, j in evidence.neg:
            ks = [k for k in range(i1, i2) if k not in taken]
            if not ks:
                continue
            taken.update(ks)
            cspan = cand.words_span(ks[0], ks[-1] + 1)
            if kind == "added" or j is None:
                msg = f"negation {quote(cspan.text)} added: the source has no negation here"
                counterpart = pair.source_chunk(ks[0])
            else:
                counterpart = src.words_span(j, j + 1)
                msg = f"negation dropped: the source has {quote(counterpart.text)}, the candidate {quote(cspan.text)}"
            flags.append(
                Flag(
                    "negation",
                    "major",
                    cspan,
                    counterpart,
                    float(max(0.7, scores.p_major[ks].max())),
                    msg,
                    context.bead,
                )
            )
        return CheckResult(tuple(flags), frozenset(taken - claimed))


def _cross_language_flags(context: BeadContext) -> list[Flag]:
    """One side negates and the other has no negation at all."""
    cand, src = context.candidate, context.source
    src_span = src.whole()
    if context.candidate_pack is None:
        return []
    cw = cand.word_texts()
    c_hits = negation_count(cw, context.candidate_pack.negation_cues)
    if main_script(src.text) == "cjk" or base_language(context.source_language).startswith("zh"):
        s_count = len(zh_negations(src.text))
    elif context.source_pack is not None:
        s_count = len(negation_count(src.word_texts(), context.source_pack.negation_cues))
    else:
        return []
    if c_hits and s_count == 0:
        found = [(cand.words_span(k, k + 1), "negation {} but the source has none") for k in c_hits]
    elif s_count and not c_hits:
        found = [(cand.span(0, len(cand.text)), "the source has a negation and the candidate has none")]
    else:
        found = []
    flags = [
        Flag("negation", "minor", cspan, src_span, 0.5, message.format(quote(cspan.text)), context.bead)
        for cspan, message in found
    ]
    return flags
