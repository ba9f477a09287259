"""The text model the flagger works on: one side of a bead as words with offsets, and word keys.

A bead may hold several sentences per side. They are joined with single spaces into one text that
difflib and the model see as a whole; :class:`Side` keeps the map back to the raw input, because
every flag must point at exactly the characters read from disk (see DESIGN.md, "Offsets").

The word keys below decide what counts as "the same word": punctuation stripped, case folded and
British spellings folded to American ones, because MQM raters do not count those as errors when
the source and candidate are in the same language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from ..types import Span

STOPWORDS = frozenset(
    """a an the and or but nor so yet for of to in on at by with from as into onto upon about
    above below over under between among through during before after since until than then
    that this these those there here which who whom whose what when where why how whether if
    because while although though also too very just only even still already again further
    more most less least much many some any each every all both either neither other another
    such same own i me my mine we us our ours you your yours he him his she her hers it its
    they them their theirs one ones is am are was were be been being have has had having do
    does did doing will would shall should can could may might must ought 's 're 've 'd 'll
    n't not no s t up out off down per via against within without toward towards across
    around along amid behind beyond near so-called mr mrs ms""".split()
)

_SENT_END = re.compile(r"[.!?。！？:;\"“”]$")
_WORD_RE = re.compile(r"\S+")
_HAS_ALNUM = re.compile(r"\w", re.UNICODE)


@dataclass
class Side:
    """One side of a bead: its sentences joined by single spaces, with a map back to the raw text."""

    raw: str
    text: str
    pieces: list[tuple[int, int, int]]  # (joined start, raw start, length)
    words: list[tuple[int, int]]  # word offsets into ``text``

    @classmethod
    def build(cls, raw: str, spans: Sequence[Span]) -> "Side":
        parts, pieces, pos = [], [], 0
        for k, sp in enumerate(spans):
            if k:
                parts.append(" ")
                pos += 1
            pieces.append((pos, sp.start, len(sp.text)))
            parts.append(sp.text)
            pos += len(sp.text)
        text = "".join(parts)
        return cls(raw, text, pieces, [(m.start(), m.end()) for m in _WORD_RE.finditer(text)])

    def word(self, k: int) -> str:
        s, e = self.words[k]
        return self.text[s:e]

    def to_raw(self, pos: int, *, end: bool = False) -> int:
        """Raw offset of joined offset ``pos`` (an end offset maps the character before it)."""
        if not self.pieces:
            return 0
        probe = pos - 1 if end and pos > 0 else pos
        for js, rs, n in self.pieces:
            if js <= probe < js + n:
                return rs + (probe - js) + (1 if end and pos > 0 else 0)
        # in a joining space or past the end: snap to the nearest piece boundary
        best = min(self.pieces, key=lambda p: min(abs(p[0] - probe), abs(p[0] + p[2] - probe)))
        js, rs, n = best
        return rs if probe < js else rs + n

    def span(self, start: int, end: int) -> Span:
        a = self.to_raw(start)
        b = self.to_raw(end, end=True) if end > start else a
        return Span.of(self.raw, a, max(a, b))

    def words_span(self, i: int, j: int, *, trim: bool = True) -> Span:
        """Raw span of words i..j-1, with edge punctuation trimmed from words that have letters."""
        s, e = self.words[i][0], self.words[j - 1][1]
        if trim:
            s, e = _trim(self.text, s, e)
        return self.span(s, e)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    if not _HAS_ALNUM.search(text[s:e]):
        return s, e
    while s < e and not (text[s].isalnum()):
        s += 1
    while e > s and not (text[e - 1].isalnum() or text[e - 1] == "%"):
        e -= 1
    return s, e


def sentence_initial(side: Side, k: int) -> bool:
    """Word ``k`` starts a sentence or clause, so a capital there says nothing about names."""
    if k == 0:
        return True
    prev = side.word(k - 1)
    if _SENT_END.search(prev):
        return True
    # after a dash or colon a capital starts a clause ("SEOUL (AP) — Accompanied by ...")
    if prev in ("—", "–", "-", ":") or prev.endswith(":"):
        return True
    # the first word after a sentence join
    s = side.words[k][0]
    return any(js == s for js, _, _ in side.pieces)


# --------------------------------------------------------------------------------------------
# Word keys
# --------------------------------------------------------------------------------------------


def base_language(code: str | None) -> str:
    """The language of a langdetect-style code without its region: "en-GB" -> "en", None -> ""."""
    return (code or "").split("-")[0].lower()


def strip_punct(word: str) -> str:
    return "".join(ch for ch in word if ch.isalnum() or ch in "'’-").strip("'’-")


def spelling_key(word: str) -> str:
    """Lower-case, punctuation-free, British spellings folded to American ones."""
    w = strip_punct(unicodedata.normalize("NFKC", word)).lower().replace("’", "'")
    if len(w) > 4:
        w = re.sub(r"our(s|ed|ing|ite|ites|able)?$", r"or\1", w)
        w = re.sub(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)$", r"iz\1", w)
        w = re.sub(r"yse(s|d)?$", r"yze\1", w)
        w = re.sub(r"tre(s)?$", r"ter\1", w)
        w = re.sub(r"ence(s)?$", r"ense\1", w) if w.endswith(("fence", "fences")) else w
        w = re.sub(r"([aeiou])ll(ed|ing|er|ers)$", r"\1l\2", w)
        w = w.replace("ae", "e") if ("aem" in w or "aed" in w) else w
        w = w.replace("-", "")
    return w


def fold(word: str) -> str:
    """Lower case without accents: "Rússia" -> "russia"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))


def shares_stem(a: str, b: str, length: int = 5) -> bool:
    """Both words begin with the same ``length`` letters (Korea/Korean, Russia/Russian)."""
    a, b = fold(strip_punct(a)), fold(strip_punct(b))
    return len(a) >= length and len(b) >= length and a[:length] == b[:length]


def is_stop(word: str) -> bool:
    return strip_punct(word).lower().replace("’", "'") in STOPWORDS


def is_punct(word: str) -> bool:
    return not _HAS_ALNUM.search(word)


# --------------------------------------------------------------------------------------------
# Scripts
# --------------------------------------------------------------------------------------------


def script_of(ch: str) -> str:
    """The script of one character ("latin", "cjk", "cyrillic", ...), or "" for none we know."""
    if ch.isascii():
        return "latin" if ch.isalpha() else ""
    name = unicodedata.name(ch, "")
    for script in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "CYRILLIC", "ARABIC", "GREEK", "HEBREW",
                   "THAI", "DEVANAGARI", "LATIN"):
        if name.startswith(script) or f" {script} " in f" {name} ":
            return {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}.get(script, script.lower())
    return ""


def main_script(text: str) -> str:
    """The script most of ``text``'s letters are in ("latin" when it has none)."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            sc = script_of(ch)
            if sc:
                counts[sc] = counts.get(sc, 0) + 1
    return max(counts, key=counts.get) if counts else "latin"
