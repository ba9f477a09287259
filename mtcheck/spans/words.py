"""The text model the flagger works on: one side of a bead as words with offsets, and word keys.

A bead may hold several sentences per side. They are joined with single spaces into one text that
difflib and the model see as a whole; :class:`Side` keeps the map back to the raw input, because
every flag must point at exactly the characters read from disk (see DESIGN.md, "Offsets").

What counts as "the same word" (punctuation stripped, case folded, British spellings folded to
American ones in English) and what is a stopword are the language pack's business (mtcheck.lang).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..lang.base import strip_punct
from ..types import Span

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
    def build(cls, raw: str, spans: Sequence[Span]) -> Side:
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

    def word_texts(self) -> list[str]:
        """Every word of the side, as written, in order."""
        return [self.text[s:e] for s, e in self.words]

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

    def whole(self) -> Span | None:
        """The whole side as one raw span (a cross-language flag's counterpart), None if empty."""
        return self.span(0, len(self.text)) if self.text else None

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


def fold(word: str) -> str:
    """Lower case without accents: "Rússia" -> "russia"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))


def shares_stem(a: str, b: str, length: int = 5) -> bool:
    """Both words begin with the same ``length`` letters (Korea/Korean, Russia/Russian)."""
    a, b = fold(strip_punct(a)), fold(strip_punct(b))
    return len(a) >= length and len(b) >= length and a[:length] == b[:length]


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
    for script in (
        "CJK",
        "HIRAGANA",
        "KATAKANA",
        "HANGUL",
        "CYRILLIC",
        "ARABIC",
        "GREEK",
        "HEBREW",
        "THAI",
        "DEVANAGARI",
        "LATIN",
    ):
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
    return max(counts, key=lambda script: counts[script]) if counts else "latin"
