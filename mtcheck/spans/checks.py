"""Precise checks on a same-language pair: numbers, names, negation and other-language words.

Each check looks for one kind of error that a rule finds with few false alarms and that the
learned flagger, which only sees word similarity, tends to miss or underrate: "580" for "680" is
one changed character, and "will hesitate" for "will not hesitate" drops a stopword. The hits feed
the flagger as features and become flags of their own kind (see :mod:`.flags`).

The negation cue lists, including Chinese, are shared with the cross-language checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..numbers import extract_numbers, number_keys
from .foreign import WordPieces, foreign_words
from .pair import Pair
from .words import is_stop, sentence_initial, shares_stem, spelling_key, strip_punct

NEGATION_CUES = {
    "en": frozenset("not no never nobody nothing none neither nor cannot without nowhere n't".split()),
    "de": frozenset("nicht kein keine keinen keinem keiner keines nie niemals niemand nichts ohne weder".split()),
    "fr": frozenset("ne n' pas jamais rien personne aucun aucune sans ni".split()),
    "es": frozenset("no nunca nada nadie ningún ninguno ninguna sin ni jamás tampoco".split()),
    "it": frozenset("non mai niente nulla nessuno nessuna senza né".split()),
    "pt": frozenset("não nunca nada ninguém nenhum nenhuma sem nem".split()),
    "nl": frozenset("niet geen nooit niets niemand zonder".split()),
    "ru": frozenset("не нет ни никогда ничего никто без".split()),
}
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


@dataclass
class CheckHits:
    """What the precise checks found in one same-language pair (candidate word indices unless said)."""

    num_bad: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, key) in cand.text
    num_ok: list[int] = field(default_factory=list)  # digits whose value the source has in another form
    name_bad: list[int] = field(default_factory=list)  # capitalised words with no source counterpart
    foreign: dict[int, str] = field(default_factory=dict)  # word -> "major"/"minor"
    # ("added", i1, i2, None) or ("dropped", i1, i2, source word index)
    neg: list[tuple[str, int, int, int | None]] = field(default_factory=list)


def same_language_checks(pair: Pair, word_pieces: WordPieces | None, english: bool = True) -> CheckHits:
    """Precise checks over one same-language pair (English word lists where they matter).

    ``english``: the pair is in English, so English-only evidence of untranslated words applies
    (a Portuguese "três" is not foreign in a Portuguese text).
    """
    cand, src = pair.cand, pair.src
    cw = [cand.word(k) for k in range(len(cand.words))]
    sw = [src.word(k) for k in range(len(src.words))]
    src_bag = {strip_punct(w).lower() for w in sw} | {spelling_key(w) for w in sw}
    out = CheckHits()
    _check_numbers(pair, cw, out)
    out.name_bad = _unmatched_names(pair, cw, src_bag)
    out.foreign = foreign_words(cand, src_bag, word_pieces, english=english, skip=pair.exact)
    out.neg = _negation_changes(pair, cw, sw)
    return out


def _check_numbers(pair: Pair, cw: list[str], out: CheckHits) -> None:
    cand = pair.cand
    src_keys = number_keys(pair.src.text)
    for m in extract_numbers(cand.text):
        ks = [k for k, (ws, we) in enumerate(cand.words) if ws < m.end and we > m.start]
        if m.key not in src_keys:
            out.num_bad.append((m.start, m.end, m.key))
        elif m.written_in_digits and all(not strip_punct(cw[k]).isalpha()
                                         or strip_punct(cw[k]).lower() in ("am", "pm", "oclock", "o'clock", "hrs")
                                         for k in ks):
            out.num_ok.extend(ks)


def _unmatched_names(pair: Pair, cw: list[str], src_bag: set[str]) -> list[int]:
    """Capitalised, not sentence-initial words with no counterpart anywhere in the source."""
    src_text_lower = pair.src.text.lower()
    names = []
    for k, w in enumerate(cw):
        core = strip_punct(w)
        if not core or not core[0].isupper() or is_stop(core) or pair.loose[k]:
            continue
        if sentence_initial(pair.cand, k) or any(ch.isdigit() for ch in core):
            continue
        if core.lower() in src_bag or spelling_key(core) in src_bag or core.lower() in src_text_lower:
            continue
        if len(core) <= 2 and core.isupper():
            continue  # "TV", "AP": abbreviations of common nouns as often as names
        if any(shares_stem(core, w) for w in src_bag):
            continue  # "South Korean" for "South Korea's": the same name, another form
        names.append(k)
    return names


def _negation_changes(pair: Pair, cw: list[str], sw: list[str]) -> list[tuple[str, int, int, int | None]]:
    """Negation cues present on one side only: added ones in the candidate, dropped ones located
    where their source word would stand."""
    cues = NEGATION_CUES["en"]
    c_hits, s_hits = negation_count(cw, cues), negation_count(sw, cues)
    out: list[tuple[str, int, int, int | None]] = []
    if len(c_hits) > len(s_hits):
        extra = [k for k in c_hits if not pair.loose[k]] or c_hits
        for k in extra[: len(c_hits) - len(s_hits)]:
            out.append(("added", k, k + 1, None))
    elif len(c_hits) < len(s_hits):
        # source cue words the candidate lacks: locate them through the opcodes
        matched_src = set()
        for tag, i1, i2, j1, j2 in pair.opcodes:
            if tag == "equal":
                matched_src.update(range(j1, j2))
        missing = [j for j in s_hits if j not in matched_src] or s_hits
        for j in missing[: len(s_hits) - len(c_hits)]:
            i_lo, i_hi = pair.candidate_window(j)
            out.append(("dropped", i_lo, i_hi, j))
    return out
